"""Bad input: one message per problem (file, key, year), all at once, exit 2, nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from flerarsprognos.cli import app

runner = CliRunner()


def digest(directory: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(directory.rglob("*")):
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args: str):
    return runner.invoke(app, list(args))


def assert_bad_input(result, out: Path | None = None):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if out is not None:
        assert not out.exists() or not any(out.iterdir())


def test_many_problems_reported_together(assumptions_copy, tmp_path):
    a = assumptions_copy
    edit(a / "makro.yaml", "  ranta:", "  rantan:")  # unknown key (and so `ranta` is missing)
    edit(a / "riket" / "makro.yaml", "      2023: 3.0\n      2024: 3.3\n      2025: 3.3\n      2026: 3.4",
         "      2023: 3.0\n      2025: 3.3\n      2026: 3.4")  # a year missing in loneokning
    edit(a / "riket" / "pension.yaml", "    varde: 24.26", "    varde: 0.2426")  # löneskatt as a fraction under 'procent'
    edit(a / "region.yaml", "      2024: 283100", "      2024: -283100")  # negative population
    edit(a / "kostnader.yaml", "    varde: 55\n", "    varde: femtiofem\n")  # text where a number belongs
    edit(a / "intakter.yaml", "      2023: 979", "      2023: 979,5")  # Swedish decimal comma
    edit(a / "finans.yaml", "varden: {2023: 4, 2024: 4, 2025: 4}", "varden: {2023: 4, 2024: .nan, 2025: 4}")  # NaN
    edit(a / "regler.yaml", "  mal_resultat:\n", "  mal_nettokostnadsandel:\n    enhet: procent\n    kalla: dubblett\n"
                                                 "    varde: 97\n  mal_resultat:\n")  # duplicate key
    before = digest(a)
    out = tmp_path / "ut"
    res = run_cli("run", "--assumptions", str(a), "--out", str(out))
    assert_bad_input(res, out)
    text = " ".join(res.output.split())
    expected = [
        ("makro.yaml", "rantan", "okänd nyckel"),
        ("makro.yaml", "ranta", "saknas"),
        ("makro.yaml", "loneokning [år 2024]", "värde saknas"),
        ("pension.yaml", "loneskatt", "ser ut att vara angivet som andel"),
        ("region.yaml", "invanare [år 2024]", "utanför det möjliga intervallet"),
        ("kostnader.yaml", "personalkostnadsandel", "text ('femtiofem')"),
        ("intakter.yaml", "lakemedelsbidrag [år 2023]", "decimalkomma"),
        ("finans.yaml", "finansiella_intakter [år 2024]", "NaN"),
        ("regler.yaml", "mal_nettokostnadsandel", "två gånger"),
    ]
    for file, key, msg in expected:
        line = next((ln for ln in res.output.splitlines() if file in ln and key in ln and msg in ln), None)
        assert line is not None, f"no message for {file} {key} {msg}:\n{text}"
    assert "Är enheten rätt angiven?" in text
    assert len([ln for ln in res.output.splitlines() if ln.startswith("fel:")]) == len(expected)
    assert digest(a) == before  # inputs are never modified


def test_unknown_key_gets_a_suggestion(assumptions_copy):
    edit(assumptions_copy / "riket" / "makro.yaml", "  kpi:", "  kppi:")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    assert "Menade du 'kpi'?" in res.output


def test_wrong_unit_name_is_an_error(assumptions_copy):
    edit(assumptions_copy / "riket" / "makro.yaml", "    enhet: procent\n    kalla: SKR:s planeringsförutsättningar hösten 2022 (KPI",
         "    enhet: mnkr\n    kalla: SKR:s planeringsförutsättningar hösten 2022 (KPI")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    assert "kpi: fel enhet 'mnkr'" in " ".join(res.output.split())


def test_rate_given_as_fraction_under_andel_is_fine_but_percent_number_is_not(assumptions_copy):
    # 3.3 written with `enhet: andel` would be a 330 % wage increase: rejected
    edit(assumptions_copy / "riket" / "makro.yaml", "  loneokning:\n    beskrivning: Löneökning (timlön) i regionsektorn\n    enhet: procent",
         "  loneokning:\n    beskrivning: Löneökning (timlön) i regionsektorn\n    enhet: andel")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    assert "loneokning [år 2023]" in res.output


def test_implausible_value_is_a_warning_not_an_error(assumptions_copy, tmp_path):
    edit(assumptions_copy / "riket" / "makro.yaml", "      2026: 3.4\n    forlangning: senaste", "      2026: 9.0\n    forlangning: senaste")
    res = run_cli("run", "--assumptions", str(assumptions_copy), "--out", str(tmp_path / "ut"), "--quiet")
    assert res.exit_code == 0, res.output
    assert "varning" in res.output and "loneokning [år 2026]" in res.output and "osannolikt" in res.output
    assert (tmp_path / "ut" / "resultatrakning.csv").exists()


def test_scenario_problems(tmp_path):
    scen = tmp_path / "fel.yaml"
    scen.write_text(
        "titel: Fel\nbeskrivning: x\nbaslinje: bas\nkalla: test\nandringar:\n"
        "  lonokning: {enhet: procent, forskjutning: 1}\n"
        "  kpi: {enhet: procent, forskjutning: {2031: 1}}\n"
        "  skattesats: {forskjutning: 1}\n"
        "  ranta: {enhet: procent, forskjutning: {2024: '1,5'}}\n", encoding="utf-8")
    out = tmp_path / "ut"
    res = run_cli("run", str(scen), "--out", str(out))
    assert_bad_input(res, out)
    text = " ".join(res.output.split())
    assert "fel.yaml: lonokning: okänd nyckel" in text and "Menade du 'loneokning'?" in text
    assert "kpi [år 2031]" in text
    assert "skattesats: enhet saknas" in text
    assert "ranta [år 2024]" in text and "decimalkomma" in text


def test_missing_files_and_directories(tmp_path):
    res = run_cli("run", str(tmp_path / "finns_inte.yaml"))
    assert_bad_input(res)
    assert "scenariofilen finns inte" in res.output
    res = run_cli("run", "--assumptions", str(tmp_path / "ingen"))
    assert_bad_input(res)
    assert "katalogen med antaganden finns inte" in res.output


def test_invalid_yaml_is_reported_with_its_line(assumptions_copy):
    (assumptions_copy / "makro.yaml").write_text("parametrar:\n  kpi: [1, 2\n", encoding="utf-8")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    assert "makro.yaml: ogiltig YAML" in res.output


def test_unwritable_output_loses_nothing(tmp_path):
    out = tmp_path / "ut"
    assert run_cli("run", "--out", str(out), "--quiet").exit_code == 0
    before = (out / "resultatrakning.csv").read_bytes()
    blocker = tmp_path / "fil"
    blocker.write_text("jag är en fil")
    res = run_cli("run", "--out", str(blocker / "under"), "--quiet")
    assert_bad_input(res)
    assert blocker.read_text() == "jag är en fil"
    assert (out / "resultatrakning.csv").read_bytes() == before


def test_failed_write_leaves_previous_results(tmp_path, monkeypatch):
    """A run that fails half-way through writing renames nothing."""
    from flerarsprognos.output import files as output

    out = tmp_path / "ut"
    assert run_cli("run", "--out", str(out), "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(ds):
        def write(path):
            path.write_bytes(b"half")
            raise PermissionError(13, "Permission denied", str(path))
        return write

    monkeypatch.setattr(output, "netcdf", broken)
    res = run_cli("run", "hogre_loner", "--out", str(out), "--quiet")
    assert res.exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_value_outside_the_horizon_is_reported_not_crashing(assumptions_copy):
    edit(assumptions_copy / "riket" / "makro.yaml", "      2028: 3.9\n", "      2028: 3.9\n      2031: 'x'\n      1990: '1,5'\n")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    assert "skatteunderlag_forandring [år 2031]" in res.output and "decimalkomma" in res.output


def test_output_files_get_ordinary_permissions(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        assert run_cli("run", "--out", str(tmp_path), "--quiet").exit_code == 0
    finally:
        os.umask(umask)
    mode = stat.S_IMODE((tmp_path / "resultatrakning.csv").stat().st_mode)
    assert mode == 0o644


def test_rates_typed_as_fractions_under_procent_are_errors(assumptions_copy):
    # one year typed as a fraction among percent values, and a whole series typed as fractions
    edit(assumptions_copy / "riket" / "makro.yaml", "      2024: 3.3\n      2025: 3.3\n      2026: 3.4",
         "      2024: 0.033\n      2025: 3.3\n      2026: 3.4")
    edit(assumptions_copy / "riket" / "makro.yaml", "      2023: 6.0\n      2024: 2.4\n      2025: 2.0",
         "      2023: 0.06\n      2024: 0.024\n      2025: 0.02")
    res = run_cli("check", "--assumptions", str(assumptions_copy))
    assert_bad_input(res)
    text = " ".join(res.output.split())
    assert "loneokning [år 2024]: värdet 0.033 ser ut att vara angivet som andel" in text
    for year in (2023, 2024, 2025):
        assert f"kpi [år {year}]" in text


def test_tiny_shift_in_a_scenario_is_a_warning(tmp_path):
    scen = tmp_path / "liten.yaml"
    scen.write_text("titel: Liten\nbeskrivning: x\nbaslinje: bas\nkalla: test\nandringar:\n"
                    "  kpi: {enhet: procent, forskjutning: 0.02}\n", encoding="utf-8")
    res = run_cli("run", str(scen), "--out", str(tmp_path / "ut"), "--quiet")
    assert res.exit_code == 0, res.output
    assert "förskjutningen 0.02 procentenheter är mycket liten" in res.output
