"""Bad input: one message per problem (file, key, year), all at once, exit 2, nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
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
    res = run_cli("run", "--antaganden", str(a), "--ut", str(out))
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
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    assert "Menade du 'kpi'?" in res.output


def test_wrong_unit_name_is_an_error(assumptions_copy):
    edit(assumptions_copy / "riket" / "makro.yaml", "    enhet: procent\n    kalla: SKR:s planeringsförutsättningar hösten 2022 (KPI",
         "    enhet: mnkr\n    kalla: SKR:s planeringsförutsättningar hösten 2022 (KPI")
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    assert "kpi: fel enhet 'mnkr'" in " ".join(res.output.split())


def test_rate_given_as_fraction_under_andel_is_fine_but_percent_number_is_not(assumptions_copy):
    # 3.3 written with `enhet: andel` would be a 330 % wage increase: rejected
    edit(assumptions_copy / "riket" / "makro.yaml", "  loneokning:\n    beskrivning: Löneökning (timlön) i regionsektorn\n    enhet: procent",
         "  loneokning:\n    beskrivning: Löneökning (timlön) i regionsektorn\n    enhet: andel")
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    assert "loneokning [år 2023]" in res.output


def test_implausible_value_is_a_warning_not_an_error(assumptions_copy, tmp_path):
    edit(assumptions_copy / "riket" / "makro.yaml", "      2026: 3.4\n    forlangning: senaste", "      2026: 9.0\n    forlangning: senaste")
    res = run_cli("run", "--antaganden", str(assumptions_copy), "--ut", str(tmp_path / "ut"), "--tyst")
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
    res = run_cli("run", str(scen), "--ut", str(out))
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
    res = run_cli("run", "--antaganden", str(tmp_path / "ingen"))
    assert_bad_input(res)
    assert "katalogen med antaganden finns inte" in res.output


def test_invalid_yaml_is_reported_with_its_line(assumptions_copy):
    (assumptions_copy / "makro.yaml").write_text("parametrar:\n  kpi: [1, 2\n", encoding="utf-8")
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    assert "makro.yaml: ogiltig YAML" in res.output


def test_unwritable_output_loses_nothing(tmp_path):
    out = tmp_path / "ut"
    assert run_cli("run", "--ut", str(out), "--tyst").exit_code == 0
    before = (out / "resultatrakning.csv").read_bytes()
    blocker = tmp_path / "fil"
    blocker.write_text("jag är en fil")
    res = run_cli("run", "--ut", str(blocker / "under"), "--tyst")
    assert_bad_input(res)
    assert blocker.read_text() == "jag är en fil"
    assert (out / "resultatrakning.csv").read_bytes() == before


def test_failed_write_leaves_previous_results(tmp_path, monkeypatch):
    """A run that fails half-way through writing renames nothing."""
    from flerarsprognos.output import files as output

    out = tmp_path / "ut"
    assert run_cli("run", "--ut", str(out), "--tyst").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(ds, **attrs):  # the writer takes region and scenario_titles too
        def write(path):
            path.write_bytes(b"half")
            raise PermissionError(13, "Permission denied", str(path))
        return write

    monkeypatch.setattr(output, "netcdf", broken)
    res = run_cli("run", "hogre_loner", "--ut", str(out), "--tyst")
    assert res.exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_value_outside_the_horizon_is_reported_not_crashing(assumptions_copy):
    edit(assumptions_copy / "riket" / "makro.yaml", "      2028: 3.9\n", "      2028: 3.9\n      2031: 'x'\n      1990: '1,5'\n")
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    assert "skatteunderlag_forandring [år 2031]" in res.output and "decimalkomma" in res.output


def test_output_files_get_ordinary_permissions(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        assert run_cli("run", "--ut", str(tmp_path), "--tyst").exit_code == 0
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
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert_bad_input(res)
    text = " ".join(res.output.split())
    assert "loneokning [år 2024]: värdet 0.033 ser ut att vara angivet som andel" in text
    for year in (2023, 2024, 2025):
        assert f"kpi [år {year}]" in text


def test_tiny_shift_in_a_scenario_is_a_warning(tmp_path):
    scen = tmp_path / "liten.yaml"
    scen.write_text("titel: Liten\nbeskrivning: x\nbaslinje: bas\nkalla: test\nandringar:\n"
                    "  kpi: {enhet: procent, forskjutning: 0.02}\n", encoding="utf-8")
    res = run_cli("run", str(scen), "--ut", str(tmp_path / "ut"), "--tyst")
    assert res.exit_code == 0, res.output
    assert "förskjutningen 0.02 procentenheter är mycket liten" in res.output


# --- The table: every file kind this tool reads from the cli/analysis commands, every kind of bad
# input a user or a broken export produces. Each case builds its files in a temporary directory
# and returns the command line; every one must end in exit code 2, Swedish messages naming the
# file (and key/year where there is one), no traceback and nothing written.

from flerarsprognos.paths import default_scenarios_dir  # noqa: E402

SCENARIO_HEAD = "titel: T\nbeskrivning: B\nkalla: K\n"
BOMB = ('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n'
        'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n')
SWEEP_HEAD = "typ: svep\ntitel: T\nbeskrivning: B\nkalla: K\nbaslinje: bas\n"


def _axis(name, key, lo, hi, step):
    return (f"  {name}:\n    nycklar: [{key}]\n    enhet: procent\n    fran: {lo}\n    till: {hi}\n"
            f"    steg: {step}\n")


# kpi~loneokning 0.99, kpi~ranta 0.99 but loneokning~ranta −0.99: no such three variables exist.
NOT_PSD = "korrelationer:\n  kpi: {loneokning: 0.99, ranta: 0.99}\n  loneokning: {ranta: -0.99}\n"


def _uncertainties(extra_sd="1.0", corr="korrelationer:\n  kpi: {loneokning: 0.3}\n"):
    return ("typ: osakerheter\ntitel: T\nbeskrivning: B\nkalla: K\nfran_ar: 2024\nosakerheter:\n"
            f"  kpi:\n    nycklar: [kpi]\n    enhet: procent\n    standardavvikelse: {extra_sd}\n    kalla: K\n"
            "  loneokning:\n    nycklar: [loneokning]\n    enhet: procent\n    standardavvikelse: 0.5\n"
            "    kalla: K\n  ranta:\n    nycklar: [ranta]\n    enhet: procent\n    standardavvikelse: 1.0\n"
            "    kalla: K\n" + corr)


def _assumption_case(edit_fn):
    def build(tmp, a):
        edit_fn(a)
        return ["check", "--antaganden", str(a)]
    return build


def _file_case(command, name, text, *extra):
    def build(tmp, a):
        f = tmp / name
        f.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return [command, str(f), *extra]
    return build


def _mc(unc_text, *extra, command="montecarlo"):
    def build(tmp, a):
        f = tmp / "osakerheter.yaml"
        f.write_text(unc_text, encoding="utf-8")
        return [command, "--osakerheter", str(f), "--n", "64", *extra]
    return build


def _workbook_case(cells: dict):
    """The default assumptions as a workbook with {(sheet, key, year or heading): value} typed in
    (key None: a new heading in the header row)."""
    def build(tmp, a):
        import openpyxl

        from flerarsprognos.io.excel_antaganden import HEADER_ROW, write_workbook

        book = tmp / "antaganden.xlsx"
        write_workbook(a, book)
        wb = openpyxl.load_workbook(book)
        for (sheet, key, heading), value in cells.items():
            ws = wb[sheet]
            header = [c.value for c in ws[HEADER_ROW]]
            if key is None:
                ws.cell(row=HEADER_ROW, column=len(header) + 1, value=heading)
                continue
            row = next(r[0].row for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == key)
            ws.cell(row=row, column=header.index(heading) + 1, value=value)
        wb.save(book)
        return ["check", "--antaganden", str(book)]
    return build


def _replace(file, old, new):
    return lambda a: edit(a / file, old, new)


def _write(file, content):
    def fn(a):
        (a / file).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return fn


CASES = {
    # assumption files (YAML)
    "antaganden: tom fil": (_assumption_case(_write("makro.yaml", "")), ["makro.yaml", "filen är tom"]),
    "antaganden: bara blanktecken": (_assumption_case(_write("makro.yaml", "  \n\n   \n")), ["makro.yaml", "tom"]),
    "antaganden: binär fil": (_assumption_case(_write("makro.yaml", b"\x89PNG\r\n\x1a\n\x00\x00")),
                              ["makro.yaml", "ingen textfil"]),
    "antaganden: inte UTF-8": (_assumption_case(_write("makro.yaml", "parametrar: {}\n# \xe5\n".encode("latin-1"))),
                               ["makro.yaml", "UTF-8"]),
    "antaganden: aliasbomb i en text": (_assumption_case(_write("makro.yaml", BOMB)), ["makro.yaml", "aliasbomb"]),
    "antaganden: tabbtecken": (_assumption_case(_replace("riket/makro.yaml", "  kpi:\n", "\tkpi:\n")),
                               ["riket/makro.yaml", "ogiltig YAML (rad"]),
    "antaganden: dubblerad nyckel": (_assumption_case(_replace("regler.yaml", "  mal_resultat:\n",
                                                               "  mal_resultat:\n    enhet: procent\n  mal_resultat:\n")),
                                     ["regler.yaml", "två gånger"]),
    "antaganden: NaN": (_assumption_case(_replace("region.yaml", "      2024: 283100", "      2024: .nan")),
                        ["region.yaml", "invanare [år 2024]", "NaN"]),
    "antaganden: oändligt": (_assumption_case(_replace("region.yaml", "      2024: 283100", "      2024: .inf")),
                             ["invanare [år 2024]", "oändligt"]),
    "antaganden: jättetal": (_assumption_case(_replace("region.yaml", "      2024: 283100", "      2024: 1e300")),
                             ["invanare [år 2024]", "utanför det möjliga intervallet"]),
    "antaganden: årtal 2204": (_assumption_case(_replace("region.yaml", "      2024: 283100",
                                                         "      2024: 283100\n      2204: 283100")),
                               ["region.yaml", "invanare", "2204", "orimligt"]),
    "antaganden: årtal 20266": (_assumption_case(_replace("region.yaml", "      2024: 283100",
                                                          "      2024: 283100\n      20266: 283100")),
                                ["invanare", "20266", "orimligt"]),
    "antaganden: årtal med decimal": (_assumption_case(_replace("region.yaml", "      2024: 283100",
                                                                "      2024: 283100\n      2024.5: 283100")),
                                      ["invanare", "'2024.5' är inget årtal"]),
    "antaganden: basår med decimal": (_assumption_case(_replace("region.yaml", "    varde: 2023", "    varde: 2023.5")),
                                      ["region.yaml", "basar", "heltal"]),
    "antaganden: återställningstid med decimal": (
        _assumption_case(_replace("riket/regler.yaml", "11 kap. 12 § (de närmast följande tre åren).\n    varde: 3",
                                  "11 kap. 12 § (de närmast följande tre åren).\n    varde: 2.5")),
        ["riket/regler.yaml", "underskott_aterstallningstid", "heltal"]),
    "antaganden: fel enhet": (_assumption_case(_replace("region.yaml", "    enhet: antal\n    kalla: Antagande (svag",
                                                        "    enhet: mnkr\n    kalla: Antagande (svag")),
                              ["invanare", "fel enhet 'mnkr'"]),
    "antaganden: text i talcell": (_assumption_case(_replace("region.yaml", "      2024: 283100", "      2024: många")),
                                   ["invanare [år 2024]", "text ('många')"]),
    "antaganden: markup i nyckeln": (_assumption_case(_replace("riket/makro.yaml", "  kpi:", "  kpi[/red]:")),
                                     ["riket/makro.yaml", "kpi[/red]", "okänd nyckel"]),
    # assumptions as a workbook (more in tests/test_excel_antaganden.py)
    "antaganden i Excel: ingen arbetsbok": (lambda tmp, a: [(tmp / "a.xlsx").write_bytes(b"\x00PK junk"),
                                                             "check", "--antaganden", str(tmp / "a.xlsx")][1:],
                                            ["a.xlsx", "kan inte läsa arbetsboken"]),
    "antaganden i Excel: text och NaN i celler": (_workbook_case({("makro", "kpi", 2024): "hög",
                                                                  ("region", "invanare", 2024): float("nan")}),
                                                  ["makro!", "kpi [år 2024]", "text ('hög')", "region!",
                                                   "invanare [år 2024]"]),
    "antaganden i Excel: årtal 20266 i rubriken": (_workbook_case({("makro", None, 20266): None}),
                                                   ["makro!", "okänd kolumnrubrik '20266'"]),
    # scenarios
    "scenario: trasig arbetsbok": (_file_case("check", "s.xlsx", b"PK\x03\x04 trasig"),
                                   ["s.xlsx", "kan inte läsa arbetsboken"]),
    "scenario: baslinje med sökväg": (_file_case("check", "s.yaml", SCENARIO_HEAD + "baslinje: ../hogre_loner\n"
                                                 "andringar:\n  kpi: {enhet: procent, forskjutning: 1}\n"),
                                      ["s.yaml", "baslinje", "inget scenarionamn"]),
    "scenario: tom fil": (_file_case("check", "tom.yaml", ""), ["tom.yaml", "filen är tom"]),
    "scenario: binär fil": (_file_case("check", "bin.yaml", b"\x00\x01\x02\x03"), ["bin.yaml", "ingen textfil"]),
    "scenario: slinga": (lambda tmp, a: [(tmp / "x.yaml").write_text(SCENARIO_HEAD + "baslinje: y\nandringar:\n"
                                                                     "  kpi: {enhet: procent, forskjutning: 1}\n"),
                                         (tmp / "y.yaml").write_text(SCENARIO_HEAD + "baslinje: x\nandringar:\n"
                                                                     "  kpi: {enhet: procent, forskjutning: 1}\n"),
                                         "check", str(tmp / "x.yaml")][2:],
                         ["cirkulär baslinje", "x → y → x"]),
    "scenario: dubblerad nyckel": (_file_case("check", "d.yaml", SCENARIO_HEAD + "baslinje: bas\nandringar:\n"
                                              "  kpi: {enhet: procent, forskjutning: 1}\n"
                                              "  kpi: {enhet: procent, forskjutning: 2}\n"),
                                   ["d.yaml", "kpi", "två gånger"]),
    "scenario: NaN": (_file_case("check", "n.yaml", SCENARIO_HEAD + "baslinje: bas\nandringar:\n"
                                 "  kpi: {enhet: procent, forskjutning: .nan}\n"), ["n.yaml", "kpi", "NaN"]),
    "scenario: årtal 20266": (_file_case("check", "a.yaml", SCENARIO_HEAD + "baslinje: bas\nandringar:\n"
                                         "  kpi: {enhet: procent, forskjutning: {20266: 1}}\n"),
                              ["a.yaml", "kpi", "20266"]),
    "scenario: aliasbomb i titel": (_file_case("check", "b.yaml", BOMB.replace("g: &g", "titel: &g")),
                                    ["b.yaml", "aliasbomb"]),
    "scenario: en svepfil som scenario": (lambda tmp, a: ["check", "svep_inflation_lon"],
                                          ["svep_inflation_lon.yaml", "typen 'svep'", "flerarsprognos sweep"]),
    "scenario: finns inte": (lambda tmp, a: ["check", str(tmp / "saknas.yaml")],
                             ["saknas.yaml", "finns inte", "hogre_loner"]),
    # sweep specs
    "svep: tom fil": (_file_case("sweep", "svep.yaml", ""), ["svep.yaml", "tom"]),
    "svep: oändligt många värden": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "axlar:\n"
                                               + _axis("a", "kpi", 0, 1, "1e-320")),
                                    ["svep.yaml", "axlar.a.steg", "värden"]),
    "svep: axel med .inf": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "axlar:\n" + _axis("a", "kpi", 0, ".inf", 1)),
                            ["svep.yaml", "axlar.a.till", "oändligt"]),
    "svep: rutnät som spiller över": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "axlar:\n"
                                                 + "".join(_axis(n, k, 0, 0.65535, 0.00001) for n, k in
                                                           (("a", "kpi"), ("b", "loneokning"), ("c", "ranta"),
                                                            ("d", "volymokning")))),
                                      ["svep.yaml", "punkter", "högst"]),
    "svep: design med 10^9 punkter": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "design:\n  metod: lhs\n"
                                                 "  n: 1000000000\n  seed: 1\n  faktorer:\n"
                                                 "    kpi: {nycklar: [kpi], enhet: procent, fran: -1, till: 3}\n"),
                                      ["svep.yaml", "design.n", "1 000 000 000 punkter"]),
    "svep: n = 0": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "design:\n  metod: lhs\n  n: 0\n  faktorer:\n"
                               "    kpi: {nycklar: [kpi], enhet: procent, fran: -1, till: 3}\n"),
                    ["design.n", "positivt heltal"]),
    "svep: negativt n": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "design:\n  metod: lhs\n  n: -5\n  faktorer:\n"
                                    "    kpi: {nycklar: [kpi], enhet: procent, fran: -1, till: 3}\n"),
                         ["design.n", "positivt heltal"]),
    "svep: okänd nyckel": (_file_case("sweep", "svep.yaml", SWEEP_HEAD + "axlarr: {}\n"),
                           ["svep.yaml", "axlarr", "okänd nyckel", "Menade du 'axlar'?"]),
    # uncertainty files
    "osäkerheter: tom fil": (_mc(""), ["osakerheter.yaml", "tom"]),
    "osäkerheter: orimlig standardavvikelse": (_mc(_uncertainties(extra_sd="80")),
                                               ["osakerheter.kpi.standardavvikelse", "orimligt stor"]),
    "osäkerheter: negativ standardavvikelse": (_mc(_uncertainties(extra_sd="-1")),
                                               ["osakerheter.kpi.standardavvikelse", "> 0"]),
    "osäkerheter: ej positivt semidefinit": (_mc(_uncertainties(corr=NOT_PSD)), ["korrelationer", "positivt definit"]),
    "osäkerheter: n = 0": (_mc(_uncertainties(), "--n", "0"), ["--n", "positivt heltal"]),
    "osäkerheter: negativt n": (_mc(_uncertainties(), "--n", "-3"), ["--n", "positivt heltal"]),
    "osäkerheter: för stort för minnet": (_mc(_uncertainties(), "--n", str(10 ** 13)), ["--n", "GB minne"]),
    "sobol: n = 0": (_mc(_uncertainties(), "--n", "0", command="sobol"), ["--n", "positivt heltal"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_table(case, tmp_path, assumptions_copy):
    build, expected = CASES[case]
    work = tmp_path / "indata"
    work.mkdir()
    args = build(work, assumptions_copy)
    before = digest(assumptions_copy), digest(default_scenarios_dir()), digest(work)
    out = tmp_path / "ut"
    if args[0] != "check":
        args = [*args, "--ut", str(out)]
    res = run_cli(*args)
    assert_bad_input(res, out)
    text = " ".join(res.output.split())
    for part in expected:
        assert part in text, (case, part, res.output)
    assert all(ln.startswith(("fel:", "varning:")) or "fel" in ln for ln in res.output.splitlines() if ln.strip())
    assert (digest(assumptions_copy), digest(default_scenarios_dir()), digest(work)) == before
    if args[0] == "check":
        assert "Inget har skrivits" not in res.output


def test_bom_is_accepted(assumptions_copy):
    path = assumptions_copy / "makro.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    res = run_cli("check", "--antaganden", str(assumptions_copy))
    assert res.exit_code == 0, res.output


def test_markup_in_a_title_is_shown_literally(tmp_path):
    scen = tmp_path / "rod.yaml"
    scen.write_text("titel: 'Höjd [/red] skatt [bold]'\nbeskrivning: B\nkalla: K\nbaslinje: bas\nandringar:\n"
                    "  kpi: {enhet: procent, forskjutning: 1}\n", encoding="utf-8")
    res = run_cli("run", str(scen), "--ut", str(tmp_path / "ut[/red]"))
    assert res.exit_code == 0, res.output
    assert "Höjd [/red] skatt [bold]" in res.output and "ut[/red]" in res.output


def test_output_inside_the_assumptions_is_refused(assumptions_copy):
    before = digest(assumptions_copy)
    for out in (assumptions_copy, assumptions_copy / "ut"):
        res = run_cli("run", "--antaganden", str(assumptions_copy), "--ut", str(out))
        assert_bad_input(res)
        # io/guard.py's message (one rule for every command): the assumption folder, named once.
        assert "utdatasökvägen" in res.output and f"indata ({assumptions_copy})" in res.output
        assert "1 fel." in res.output, res.output
    assert digest(assumptions_copy) == before


def test_run_a_plus_b_and_run_a_b_write_different_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("run", "hogre_inflation+hogre_loner", "--tyst").exit_code == 0
    assert run_cli("run", "hogre_inflation", "hogre_loner", "--tyst").exit_code == 0
    folders = sorted(p.name for p in (tmp_path / "outputs").iterdir())
    assert len(folders) == 2, folders


def test_read_only_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    """A read-only file system (simulated: the tests may run as root, who can write anywhere)."""
    import errno
    import tempfile

    from flerarsprognos.output import files as output

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", kwargs.get("dir"))

    monkeypatch.setattr(output.tempfile, "mkstemp", read_only)
    res = run_cli("run", "--tyst", "--ut", str(tmp_path / "ut"))
    monkeypatch.setattr(output.tempfile, "mkstemp", tempfile.mkstemp)
    assert_bad_input(res)
    assert "kan inte skriva" in res.output and "skrivskyddat" in res.output


def test_full_disk_is_a_clear_error(tmp_path, monkeypatch):
    import errno

    from flerarsprognos.output import files as output

    def full(df):
        def write(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write

    monkeypatch.setattr(output, "table_csv", full)
    res = run_cli("run", "--tyst", "--ut", str(tmp_path / "ut"))
    assert_bad_input(res)
    assert "disken är full" in res.output
    assert not list((tmp_path / "ut").glob(".*.tmp"))


def test_check_of_a_shipped_scenario_by_its_path_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run_cli("check", "scenarios/hogre_loner.yaml")
    assert res.exit_code == 0, res.output
    assert "1 scenario " in res.output and "1 scenarier" not in res.output


def test_too_little_disk_space_is_refused_before_writing(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 1000, 1000))
    out = tmp_path / "ut"
    res = run_cli("run", "--tyst", "--ut", str(out))
    assert_bad_input(res, out)
    assert "disken har bara" in res.output


def test_a_killed_runs_temporaries_are_cleaned_by_the_next_run(tmp_path):
    import os
    import time

    out = tmp_path / "ut"
    out.mkdir()
    stale, fresh = out / ".resultat.nc.abc123.tmp", out / ".balanskrav.csv.def456.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    assert run_cli("run", "--tyst", "--ut", str(out)).exit_code == 0
    assert not stale.exists()
    assert fresh.exists()  # perhaps another run's, still being written
