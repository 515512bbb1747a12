"""Rebasing on the outcome: a new assumption directory that continues the plan exactly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.utfall.makro import with_outcome_macro
from flerarsprognos.io.assumptions import load_assumptions
from flerarsprognos.io.utfallsfil import read_outcome
from flerarsprognos.runner import run_sets
from flerarsprognos.paths import default_assumptions_dir
from flerarsprognos.problems import InputError
from flerarsprognos.utfall.rebase import rebase

MAKRO = Path(__file__).resolve().parents[1] / "examples" / "utfall" / "region_2024_makro.csv"


def _digest(directory: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(directory.glob("*.yaml")):
        h.update(f.read_bytes())
    return h.hexdigest()


def _run(aset, name, baseline=None):
    sets = [aset] if baseline is None else [baseline, aset]
    return run_sets(baseline or aset, sets).result.sel(scenario=name)


def test_rebased_set_continues_the_plan_with_the_outcome_economy(tmp_path):
    source = default_assumptions_dir()
    before = _digest(source)
    outcome = read_outcome(MAKRO)
    new, check, macro = rebase(source, outcome, 2024, tmp_path / "ny")
    assert _digest(source) == before  # the original files are not modified
    assert (new.basar, new.planslut, new.slutar) == (2024, 2026, 2029)
    assert macro.iloc[0]["utfall"] == pytest.approx(9.1)

    base = load_assumptions(source)
    with_macro, _ = with_outcome_macro(base, outcome)
    old = _run(with_macro, "utfallets_makro", base).sel(year=slice(2024, 2028))
    rebased = _run(new, "bas").sel(year=slice(2024, 2028))
    for table in ("resultatrakning", "balansrakning", "balanskrav"):
        np.testing.assert_allclose(rebased[table].values, old[table].values, atol=0.01, err_msg=table)
    # PBB 9,1 % in the new base year: the pension finance cost the plan of 2022 did not foresee
    assert float(rebased["resultatrakning"].sel(rr_post="finansiella_kostnader", year=2024)) == pytest.approx(-490.6, abs=0.1)
    assert "Ombaserat till 2024" in new.values["eget_kapital_ingaende"].source


def test_region_outcome_moves_the_plan_level(tmp_path):
    p = tmp_path / "region.csv"
    p.write_text("# enhet: mnkr\n# niva: region\nrad;ar;utfall\nverksamhetens_intakter;2024;2 100,0\n", encoding="utf-8")
    new, check, _ = rebase(default_assumptions_dir(), read_outcome(p), 2024, tmp_path / "ny")
    plan = new.values["plan_verksamhetens_intakter"].data
    assert plan[0] == pytest.approx(2100.0)          # the outcome is the new base year
    assert plan[1] == pytest.approx(2006.0 + 123.0)  # the old plan 2025 moved by the same 123 mnkr
    c = check.set_index("rad")
    assert c.loc["verksamhetens_intakter", "skillnad"] == pytest.approx(0.0, abs=1e-6)


def test_rebase_refuses_a_year_outside_the_plan_and_an_existing_directory(tmp_path):
    outcome = read_outcome(MAKRO)
    with pytest.raises(InputError, match="efter basåret 2023"):
        rebase(default_assumptions_dir(), outcome, 2023, tmp_path / "a")
    target = tmp_path / "finns"
    target.mkdir()
    (target / "x.txt").write_text("behåll", encoding="utf-8")
    with pytest.raises(InputError, match="finns redan"):
        rebase(default_assumptions_dir(), outcome, 2024, target)
    assert (target / "x.txt").read_text(encoding="utf-8") == "behåll"
    with pytest.raises(InputError, match="inget utfall för regionen 2026"):
        rebase(default_assumptions_dir(), outcome, 2026, tmp_path / "b")


def test_cli_rebase_then_check_the_new_directory(tmp_path):
    target = tmp_path / "antaganden_2024"
    r = CliRunner().invoke(app, ["rebase", "--utfall", str(MAKRO), "--ar", "2024", "--ut", str(target)])
    assert r.exit_code == 0, r.output
    assert "basår 2024, planen 2024–2026, prognosen till 2029" in r.output
    r = CliRunner().invoke(app, ["check", "--antaganden", str(target)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["rebase", "--utfall", str(MAKRO), "--ar", "2024", "--ut", str(target)])
    assert r.exit_code == 2


def test_rebase_into_a_year_with_effektivisering_counts_it_once(tmp_path):
    # makro.yaml/kostnader.yaml: effektivisering 115 mnkr from 2026; rebase onto 2026 itself
    p = tmp_path / "makro.csv"
    p.write_text("# niva: region\nrad;ar;utfall;enhet\nkpi;2026;2,5;procent\n", encoding="utf-8")
    outcome = read_outcome(p)
    new, _, _ = rebase(default_assumptions_dir(), outcome, 2026, tmp_path / "ny")
    assert (new.basar, new.planslut, new.slutar) == (2026, 2028, 2031)
    base = load_assumptions(default_assumptions_dir())
    with_macro, _ = with_outcome_macro(base, outcome)
    old = _run(with_macro, "utfallets_makro", base).sel(year=slice(2026, 2028))
    rebased = _run(new, "bas").sel(year=slice(2026, 2028))
    np.testing.assert_allclose(rebased["resultatrakning"].values, old["resultatrakning"].values, atol=0.01)
    np.testing.assert_allclose(rebased["balanskrav"].values, old["balanskrav"].values, atol=0.01)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
def test_rebase_onto_any_year_reproduces_the_plan_with_that_years_economy(tmp_path, year):
    p = tmp_path / "makro.csv"
    p.write_text(f"# niva: region\nrad;ar;utfall;enhet\nkpi;{year};3,1;procent\nloneokning;{year};4,0;procent\n"
                 f"prisbasbelopp_forandring;{year};5,0;procent\nkpi;{year - 1};7,0;procent\n", encoding="utf-8")
    outcome = read_outcome(p)
    new, _, _ = rebase(default_assumptions_dir(), outcome, year, tmp_path / "ny")
    base = load_assumptions(default_assumptions_dir())
    with_macro, _ = with_outcome_macro(base, outcome)
    old = _run(with_macro, "utfallets_makro", base).sel(year=slice(year, 2028))
    rebased = _run(new, "bas").sel(year=slice(year, 2028))
    for table in ("resultatrakning", "balansrakning", "balanskrav", "mal_varde"):
        np.testing.assert_allclose(rebased[table].values, old[table].values, atol=0.01, err_msg=table)


# ----------------------------------------------------------------------------------------
# Never delete or replace an input, or a file the tool did not write
# ----------------------------------------------------------------------------------------

def _tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def workdir(tmp_path):
    """A working directory with the assumptions, the outcome file and an unrelated file in it."""
    import shutil

    w = tmp_path / "arbete"
    shutil.copytree(default_assumptions_dir(), w / "antaganden")
    shutil.copy(MAKRO, w / "utfall.csv")
    (w / "anteckningar.txt").write_text("mina anteckningar", encoding="utf-8")
    return w


@pytest.mark.parametrize("out", [".", "antaganden", "antaganden/ny", "utfall.csv"])
def test_rebase_refuses_an_output_that_is_contains_or_lies_inside_an_input(workdir, out, monkeypatch):
    monkeypatch.chdir(workdir)
    before = _tree(workdir)
    r = CliRunner().invoke(app, ["rebase", "--utfall", "utfall.csv", "--ar", "2024", "--antaganden", "antaganden",
                                 "--ut", out, "--skriv-over"])
    assert r.exit_code == 2, r.output
    assert "indata" in r.output and "Traceback" not in r.output
    assert _tree(workdir) == before  # nothing deleted, replaced or added


def test_overwrite_removes_only_what_an_earlier_rebase_wrote(workdir):
    target = workdir / "ny"
    args = ["rebase", "--utfall", str(workdir / "utfall.csv"), "--ar", "2024", "--antaganden",
            str(workdir / "antaganden"), "--ut", str(target)]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (target / ".flerarsprognos-manifest").is_file()
    r = CliRunner().invoke(app, [*args, "--skriv-over"])  # its own files: replaced
    assert r.exit_code == 0, r.output
    (target / "egen.txt").write_text("behåll", encoding="utf-8")
    before = _tree(target)
    r = CliRunner().invoke(app, [*args, "--skriv-over"])
    assert r.exit_code == 2 and "egen.txt" in r.output
    assert _tree(target) == before
    other = workdir / "annan"
    other.mkdir()
    (other / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    r = CliRunner().invoke(app, [*args[:-1], str(other), "--skriv-over"])  # no manifest: nothing removed
    assert r.exit_code == 2 and "förteckning" in r.output
    assert (other / "x.yaml").read_text(encoding="utf-8") == "a: 1\n"


def test_the_old_option_spellings_still_work(tmp_path):
    r = CliRunner().invoke(app, ["rebase", "--outcome", str(MAKRO), "--year", "2024", "--out", str(tmp_path / "n")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["rebase", "--utfall", str(MAKRO), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "--ar" in r.output


def test_guard_api(tmp_path):
    from flerarsprognos.io.guard import MANIFEST, check_output_path, check_overwrite, write_manifest
    from flerarsprognos.problems import Problems

    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / "a.yaml"
    f.write_text("x", encoding="utf-8")
    for out, ok in [(tmp_path / "ut", True), (tmp_path, False), (tmp_path / "in", False),
                    (tmp_path / "in" / "sub", False), (f, False), (tmp_path / "in" / ".." / "in", False)]:
        p = Problems()
        assert check_output_path(out, [tmp_path / "in", None], p) is ok, out
        assert bool(p.errors) is not ok
    d = tmp_path / "ut"
    d.mkdir()
    assert check_overwrite(d, False, Problems()) == []  # empty: fine
    (d / "r.csv").write_text("1", encoding="utf-8")
    p = Problems()
    check_overwrite(d, False, p)
    assert "inte tom" in str(p.errors[0])
    write_manifest(d, ["r.csv"])
    p = Problems()
    assert {x.name for x in check_overwrite(d, True, p)} == {"r.csv", MANIFEST} and not p.errors


# ----------------------------------------------------------------------------------------
# The real opening position: a year of −1 000 (RUR 843 fully used, 157 left to regain by 2026)
# ----------------------------------------------------------------------------------------

ARSREDOVISNING_2023 = (
    "# titel: Regionen, årsredovisning 2023 (ett år med underskott)\n# enhet: mnkr\n# niva: region\n"
    "rad;ar;utfall\n"
    "arets_resultat;2023;-1 000,0\n"
    "summa_eget_kapital;2023;2 814,0\n"
    "resultatutjamningsreserv;2023;0\n"
    "anvandning_av_resultatutjamningsreserv;2023;843,0\n"
    "arets_balanskravsresultat;2023;-157,0\n"
    "avsattningar_for_pensioner;2023;3 100,0\n"
    "ansvarsforbindelse;2023;3 500,0\n"
    "laneskuld;2023;0\n"
    "likvida_medel;2023;1 200,0\n"
)


def _ledger(aset) -> dict[int, float]:
    v = aset.values["balanskravsunderskott_ingaende"]
    return {int(y): float(x) for y, x in zip(v.years, v.data) if x == x and x}


def test_rebase_takes_the_real_opening_position_and_the_open_deficit(tmp_path):
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import run_sets

    p = tmp_path / "ar2023.csv"
    p.write_text(ARSREDOVISNING_2023, encoding="utf-8")
    problems = Problems()
    new, check, _ = rebase(default_assumptions_dir(), read_outcome(p), 2024, tmp_path / "ny", problems=problems)
    tau = float(new["loneskatt"])
    assert float(new["rur_ingaende"]) == 0.0                       # not the re-run's 565
    assert float(new["eget_kapital_ingaende"]) == pytest.approx(2814.0)
    assert float(new["pensionsavsattning_ingaende"]) == pytest.approx(3100.0 / (1 + tau), abs=1e-3)
    assert float(new["ansvarsforbindelse_ingaende"]) == pytest.approx(3500.0 / (1 + tau), abs=1e-3)
    assert _ledger(new) == {2023: pytest.approx(157.0)}
    source = new.values["balanskravsunderskott_ingaende"].source
    assert "2023: 157,0 mnkr, återställs senast 2026" in source and "ar2023.csv (rad 9" in source
    # rows that cannot be used are named, with file, row and year; none silently dropped
    unused = [str(w) for w in problems.warnings]
    assert len(unused) == 1 and "ar2023.csv: rad 5, 8, 13 [år 2023]" in unused[0]
    assert "arets_resultat" in unused[0] and "kassa_och_bank" in unused[0]
    res = run_sets(new).result.sel(scenario="bas")
    bk = res["balanskrav"]
    assert float(bk.sel(bk_post="rur_ingaende", year=2024)) == 0.0
    assert float(bk.sel(bk_post="balanskravsunderskott_fran_tidigare_ar", year=2024)) == pytest.approx(-157.0)
    assert float(res["balansrakning"].sel(br_post="summa_eget_kapital", year=2024)) == pytest.approx(
        2814.0 + float(res["resultatrakning"].sel(rr_post="arets_resultat", year=2024)))


def test_the_deadline_counts_from_the_year_of_origin(tmp_path):
    from flerarsprognos.runner import run_sets

    p = tmp_path / "ar2023.csv"
    p.write_text(ARSREDOVISNING_2023 + "balanskravsunderskott_att_aterstalla;2021;-50,0\n"
                                       "balanskravsunderskott_att_aterstalla;2023;-157,0\n", encoding="utf-8")
    new, _, _ = rebase(default_assumptions_dir(), read_outcome(p), 2024, tmp_path / "ny")
    assert _ledger(new) == {2021: pytest.approx(50.0), 2023: pytest.approx(157.0)}
    bk = run_sets(new).result["balanskrav"].sel(scenario="bas")
    result_2024 = float(bk.sel(bk_post="arets_balanskravsresultat", year=2024))
    assert result_2024 < 0  # nothing regained in 2024: the 2021 deficit is late in 2024, the 2023 one not yet
    assert float(bk.sel(bk_post="underskott_for_sent_aterstallt", year=2024)) == pytest.approx(50.0)


def test_without_balance_rows_the_ledger_comes_from_the_rerun(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("# enhet: mnkr\n# niva: region\nrad;ar;utfall\nverksamhetens_intakter;2024;2 100,0\n"
                 "mark_och_byggnader;2024;2 900\nsumma_eget_kapital;2024;3 400\n", encoding="utf-8")
    new, check, _ = rebase(default_assumptions_dir(), read_outcome(p), 2024, tmp_path / "ny")
    assert _ledger(new) == {}
    assert float(new["balans_mark_och_byggnader"]) == 2900.0           # the base year's bokslut post
    assert "summa_eget_kapital" in set(check["rad"])                 # a computed post: shown as a check


def test_an_impossible_opening_value_names_the_cell(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("# enhet: mnkr\n# niva: region\nrad;ar;utfall\nresultatutjamningsreserv;2023;-5\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        rebase(default_assumptions_dir(), read_outcome(p), 2024, tmp_path / "ny")
    assert "rad 4, kolumn utfall" in str(exc.value) and not (tmp_path / "ny").exists()


_R = "# enhet: mnkr\n# niva: region\nrad;ar;utfall\n"
BAD_REBASE = [
    # (case, outcome content or None for the shipped macro file, extra arguments, fragment of the message)
    ("utfall saknas", None, ["--ar", "2024", "--utfall", "finns_inte.csv"], "filen finns inte"),
    ("ingen --utfall", None, ["--ar", "2024"], "--utfall: saknas"),
    ("ingen --ar", None, ["--utfall", str(MAKRO)], "--ar: saknas"),
    ("år som text", None, ["--utfall", str(MAKRO), "--ar", "tjugo"], "'--ar'"),  # the parser's message
    ("bråkår", None, ["--utfall", str(MAKRO), "--ar", "2024.5"], "'--ar'"),
    ("år före basåret", None, ["--utfall", str(MAKRO), "--ar", "2023"], "efter basåret 2023"),
    ("år efter horisonten", None, ["--utfall", str(MAKRO), "--ar", "20266"], "inom horisonten"),
    ("antaganden saknas", None, ["--utfall", str(MAKRO), "--ar", "2024", "--antaganden", "finns_inte"], "finns_inte"),
    ("inget för året", _R + "verksamhetens_intakter;2026;1\n", ["--ar", "2024"], "inget utfall för regionen 2024"),
    ("bara nämndrader", "# enhet: mnkr\n# niva: namnd\n# organisation: HSN\nrad;ar;utfall\n"
     "verksamhetens_intakter;2024;1\n", ["--ar", "2024"], "inget utfall för regionen 2024"),
    ("negativ RUR", _R + "resultatutjamningsreserv;2023;-5\n", ["--ar", "2024"], "rad 4, kolumn utfall"),
    ("negativ pensionsskuld", _R + "avsattningar_for_pensioner;2023;-5\n", ["--ar", "2024"], "rad 4, kolumn utfall"),
    ("underskott två gånger", _R + "balanskravsunderskott_att_aterstalla;2023;-5\n"
     "balanskravsunderskott;2023;-6\n", ["--ar", "2024"], "raden finns redan"),
    ("makro utanför horisonten", "# niva: region\nrad;ar;utfall;enhet\nkpi;2035;2,0;procent\nkpi;2024;2,0;procent\n",
     ["--ar", "2024"], "utanför planens horisont"),
    ("binär utfallsfil", b"\x00\x01\x02" * 50, ["--ar", "2024"], "ingen textfil"),
]


@pytest.mark.parametrize("case, content, args, fragment", BAD_REBASE, ids=[c[0] for c in BAD_REBASE])
def test_bad_rebase_input_is_a_clear_message_exit_2_nothing_written(tmp_path, monkeypatch, case, content, args,
                                                                     fragment):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        p = tmp_path / "utfall.csv"
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        args = ["--utfall", str(p), *args]
    r = CliRunner().invoke(app, ["rebase", *args, "--ut", str(tmp_path / "ny")])
    assert r.exit_code == 2, r.output
    assert fragment in r.output and "Traceback" not in r.output, r.output
    assert not (tmp_path / "ny").exists()
    assert not any(p.name.startswith(".ny.") for p in tmp_path.iterdir())  # no temporary directory left


def test_the_shipped_deficit_example_rebases_to_rur_0_and_157_to_regain(tmp_path):
    example = MAKRO.parent / "region_2023_underskott.csv"
    r = CliRunner().invoke(app, ["rebase", "--utfall", str(example), "--ar", "2024", "--ut", str(tmp_path / "ny")])
    assert r.exit_code == 0, r.output
    new = load_assumptions(tmp_path / "ny")
    assert float(new["rur_ingaende"]) == 0.0 and _ledger(new) == {2023: pytest.approx(157.0)}
    assert "återställs senast 2026" in new.values["balanskravsunderskott_ingaende"].source


def test_an_assumption_workbook_is_refused_with_a_message(tmp_path):
    """The rebase rewrites the YAML files' text: a workbook source is a clear error, not a traceback."""
    book = tmp_path / "antaganden.xlsx"
    assert CliRunner().invoke(app, ["antaganden", "--excel", str(book)]).exit_code == 0
    r = CliRunner().invoke(app, ["rebase", "--utfall", str(MAKRO), "--ar", "2024", "--antaganden", str(book),
                                 "--ut", str(tmp_path / "n")])
    assert r.exit_code == 2 and "kan inte utgå från en arbetsbok" in r.output, r.output
    assert "Traceback" not in r.output and not (tmp_path / "n").exists()
