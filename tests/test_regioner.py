"""Any region: the national layer, länskoder, init → check → run, a second real region, many regions."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.io.assumptions import load_assumptions
from flerarsprognos.io.schema import SPECS
from flerarsprognos.output import fmt
from flerarsprognos.paths import default_assumptions_dir
from flerarsprognos.regioner import compare_vintages, headlines, run_regions, shipped_regions
from flerarsprognos.runner import run

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
JONKOPING = ROOT / "examples" / "regioner" / "jonkoping"
JONKOPING_UNDERLAG = ROOT / "examples" / "regioner" / "underlag" / "jonkoping.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lines(res) -> list[str]:
    return [" ".join(ln.split()) for ln in res.output.splitlines()]


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


# --- the two layers -----------------------------------------------------------------------

def test_default_is_national_set_plus_region_set():
    aset = load_assumptions(default_assumptions_dir())
    assert aset.riket == default_assumptions_dir() / "riket"
    for key, v in aset.values.items():
        if key == "inkomstutjamning_skattesats":
            continue  # the region's key, picked from the national regions table (below)
        in_riket = Path(v.file).parent.name == "riket"
        assert in_riket == SPECS[key].national, (key, v.file)
    assert aset["prognosunderlag_basar"] == aset.basar == 2023
    # the länsvis skattesats comes from the regions table by lanskod 17
    v = aset.values["inkomstutjamning_skattesats"]
    assert aset["lanskod"] == "17" and v.data == pytest.approx(0.0911) and v.file.endswith("regioner.csv")


def test_regions_table_has_the_21_regions_with_sources():
    with (default_assumptions_dir() / "riket" / "regioner.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 21 and len({r["lanskod"] for r in rows}) == 21
    assert all("2004:881" in r["kalla"] for r in rows)
    assert {r["lanskod"]: float(r["lansvis_skattesats"]) for r in rows}["06"] == 9.94


def test_overriding_an_overridable_national_key_is_a_warning(assumptions_copy):
    a = assumptions_copy
    text = (a / "makro.yaml").read_text(encoding="utf-8")
    (a / "makro.yaml").write_text(text + "  kpi:\n    enhet: procent\n    kalla: egen bedömning\n"
                                         "    varden: {2023: 6.0, 2024: 3.0, 2025: 2.0}\n    forlangning: senaste\n",
                                  encoding="utf-8")
    res = runner.invoke(app, ["check", "--assumptions", str(a)])
    assert res.exit_code == 0, res.output
    assert any("varning" in ln and "makro.yaml: kpi" in ln and "ersätter det nationella" in ln for ln in lines(res))
    aset = load_assumptions(a)
    assert aset["kpi"][1] == pytest.approx(0.03)  # the region's value is used


def test_a_region_may_not_override_a_fixed_national_key(assumptions_copy, tmp_path):
    a = assumptions_copy
    edit(a / "pension.yaml", "parametrar:\n", "parametrar:\n  loneskatt: {enhet: procent, kalla: egen, varde: 20}\n")
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", "--assumptions", str(a), "--out", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert any(ln.startswith("fel:") and "pension.yaml: loneskatt" in ln and "inte får ändra" in ln for ln in lines(res))
    assert nothing_written(out)


def test_missing_lanskod_is_an_error(assumptions_copy, tmp_path):
    a = assumptions_copy
    edit(a / "region.yaml", '  lanskod:\n    enhet: text\n', '  lanskod_x:\n    enhet: text\n')
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", "--assumptions", str(a), "--out", str(out)])
    assert res.exit_code == 2
    assert any("region.yaml: lanskod: saknas" in ln and "länskod" in ln for ln in lines(res))
    assert not any("inkomstutjamning_skattesats: saknas" in ln for ln in lines(res))
    assert nothing_written(out)


def test_unknown_lanskod_is_an_error(assumptions_copy):
    edit(assumptions_copy / "region.yaml", 'varde: "17"', 'varde: "99"')
    res = runner.invoke(app, ["check", "--assumptions", str(assumptions_copy)])
    assert res.exit_code == 2
    bad = [ln for ln in lines(res) if ln.startswith("fel:") and "region.yaml: lanskod" in ln and "'99'" in ln]
    assert len(bad) == 1, res.output  # one message for the one problem


def test_lanskod_picks_the_lansvis_skattesats(assumptions_copy):
    edit(assumptions_copy / "region.yaml", 'varde: "17"', 'varde: "06"')
    other = run(assumptions_copy).result.sel(scenario="bas")
    base = run().result.sel(scenario="bas")
    assert load_assumptions(assumptions_copy)["inkomstutjamning_skattesats"] == pytest.approx(0.0994)
    ink = lambda r: float(r["utjamning"].sel(komponent="inkomstutjamning", year=2023))  # noqa: E731
    assert ink(other) == pytest.approx(ink(base) * 9.94 / 9.11)


def test_national_set_from_another_base_year_is_an_error(tmp_path):
    riket = tmp_path / "riket_2024"
    shutil.copytree(default_assumptions_dir() / "riket", riket)
    edit(riket / "makro.yaml", "    varde: 2023\n", "    varde: 2024\n")
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", "--riket", str(riket), "--out", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    errors = [ln for ln in lines(res) if ln.startswith("fel:")]
    assert len(errors) == 1, res.output
    assert "makro.yaml: prognosunderlag_basar" in errors[0] and "2024" in errors[0] and "basar" in errors[0]
    assert nothing_written(out)


def test_a_new_vintage_is_one_directory_swap(tmp_path):
    riket = tmp_path / "ny"
    shutil.copytree(default_assumptions_dir() / "riket", riket)
    edit(riket / "makro.yaml", "      2024: 4.125\n", "      2024: 3.125\n")  # SU 2024 one point lower
    edit(riket / "makro.yaml", "varde: SKR hösten 2022", "varde: Prov")
    new = run(None, [], riket).result.sel(scenario="bas")
    old = run().result.sel(scenario="bas")
    ar = lambda r: r["resultatrakning"].sel(rr_post="arets_resultat").values  # noqa: E731
    assert ar(new)[0] == ar(old)[0] and ar(new)[1] < ar(old)[1] - 50
    v = compare_vintages(default_assumptions_dir(), default_assumptions_dir() / "riket", riket)
    d = v.table.set_index("ar")["arets_resultat_skillnad"]
    assert d[2023] == 0 and d[2024] == pytest.approx(ar(new)[1] - ar(old)[1])
    res = runner.invoke(app, ["jamfor-riket", str(default_assumptions_dir() / "riket"), str(riket)])
    assert res.exit_code == 0, res.output
    assert "Årets resultat, skillnad" in res.output and "Prov" in res.output


# --- init → check → run -------------------------------------------------------------------

UNDERLAG = """\
region_namn: Region Prov
lanskod: "08"
basar: 2023
planslut: 2024
slutar: 2026
siffror:
  skattesats: {kalla: Provbudget, varden: {2023: 11.86}}
  invanare: {kalla: SCB, varden: {2022: 246000, 2023: 246500}}
  verksamhetens_nettokostnader: {kalla: Provbudget, varden: {2023: -10000, 2024: -10300}}
  skatteintakter: {kalla: Provbudget, varden: {2023: 7200}}
  generella_statsbidrag_och_utjamning: {kalla: Provbudget, varden: {2023: 2900, 2024: 3000}}
  pensionsavsattning: {kalla: Provårsredovisning, varde: 3000}
  rur: {kalla: Provårsredovisning, varde: 250}
"""


def test_init_check_run_for_a_region_made_from_scratch(tmp_path):
    answers = tmp_path / "underlag.yaml"
    answers.write_text(UNDERLAG, encoding="utf-8")
    target = tmp_path / "prov"
    res = runner.invoke(app, ["init", str(target), "--underlag", str(answers)])
    assert res.exit_code == 0, res.output
    assert "Fortfarande uppskattat" in res.output and "härlett" in res.output
    res = runner.invoke(app, ["check", "--assumptions", str(target)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", "--assumptions", str(target), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    r = run(target).result.sel(scenario="bas")
    rr = lambda post, y: float(r["resultatrakning"].sel(rr_post=post, year=y))  # noqa: E731
    assert rr("skatteintakter", 2023) == pytest.approx(7200)
    assert rr("generella_statsbidrag_och_utjamning", 2023) == pytest.approx(2900)
    assert rr("generella_statsbidrag_och_utjamning", 2024) == pytest.approx(3000)
    assert rr("verksamhetens_nettokostnader", 2024) == pytest.approx(-10300, abs=0.01)
    aset = load_assumptions(target)
    assert aset["inkomstutjamning_skattesats"] == pytest.approx(0.0872)  # Kalmar län, by lanskod
    assert aset["rur_ingaende"] == 250 and aset["pensionsavsattning_ingaende"] == pytest.approx(3000 / 1.2426, abs=1e-3)
    assert aset.values["regleringsbidrag"].source.startswith("härlett:")
    assert aset.values["rur_ingaende"].source == "Provårsredovisning"


def test_init_with_bad_answers_reports_every_problem_and_writes_nothing(tmp_path):
    answers = tmp_path / "underlag.yaml"
    answers.write_text(UNDERLAG.replace('lanskod: "08"', 'lanskod: "99"')
                       .replace("  skatteintakter: {kalla: Provbudget, varden: {2023: 7200}}\n", "")
                       .replace("varden: {2022: 246000, 2023: 246500}", "varden: {2023: 246500}"), encoding="utf-8")
    target = tmp_path / "prov"
    res = runner.invoke(app, ["init", str(target), "--underlag", str(answers)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    text = " ".join(res.output.split())
    assert "lanskod: '99' är ingen länskod" in text  # the answers file's own check
    assert "siffror.skatteintakter: saknas" in text
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".prov")]


def test_init_without_answers_writes_a_template(tmp_path):
    res = runner.invoke(app, ["init", str(tmp_path / "ny")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ny" / "underlag.yaml").is_file()


# --- the second real region ---------------------------------------------------------------

def test_jonkoping_matches_its_published_budget_2024():
    """Region Jönköpings län, budget 2024 (rjl.se): verksamhet 14,7 mdkr, skatteintäkter 10,9 mdkr,
    generella statsbidrag och utjämning 3,6 mdkr, skattesats 11,76 (at the published rounding)."""
    r = run(JONKOPING).result.sel(scenario="bas", year=2024)
    rr = lambda post: float(r["resultatrakning"].sel(rr_post=post))  # noqa: E731
    assert round(rr("verksamhetens_nettokostnader"), -2) == -14700
    assert round(rr("skatteintakter"), -2) == 10900
    assert round(rr("generella_statsbidrag_och_utjamning"), -2) == 3600
    aset = load_assumptions(JONKOPING)
    assert aset["skattesats"][1] == pytest.approx(0.1176)
    assert aset["lanskod"] == "06" and aset["inkomstutjamning_skattesats"] == pytest.approx(0.0994)
    assert aset["invanare"][1] == 370009


def test_jonkoping_example_is_what_init_makes_of_its_published_figures(tmp_path):
    target = tmp_path / "jonkoping"
    res = runner.invoke(app, ["init", str(target), "--underlag", str(JONKOPING_UNDERLAG)])
    assert res.exit_code == 0, res.output
    shipped = {p.name: p.read_text(encoding="utf-8") for p in JONKOPING.glob("*.yaml")}
    made = {p.name: p.read_text(encoding="utf-8") for p in target.glob("*.yaml")}
    assert made == shipped, "examples/regioner/jonkoping is out of date: re-run init (docs/regioner.md)"


def test_every_estimate_in_the_example_says_so():
    aset = load_assumptions(JONKOPING)
    published = {"skattesats", "invanare", "invanare_ingaende", "region_namn", "lanskod", "laneskuld_ingaende",
                 "planens_volymokning"}  # the last is zero by definition, not an estimate
    for key, v in aset.values.items():
        if v.spec.national or key in published or key in ("basar", "planslut", "slutar", "inkomstutjamning_skattesats"):
            continue
        assert "härlett:" in v.source, (key, v.source)


# --- many regions ---------------------------------------------------------------------------

def test_regions_stacked_equal_each_region_run_alone():
    dirs = shipped_regions()
    # the shipped example wherever it is installed (the checkout's examples/, or the wheel's _data)
    assert default_assumptions_dir() in dirs and [d.name for d in dirs].count("jonkoping") == 1
    regions = run_regions(dirs)
    names = [str(s) for s in regions.result["scenario"].values]
    assert names == ["Region Värmland", "Region Jönköpings län"]
    for d, name in zip(dirs, names):
        alone = run(d).result.sel(scenario="bas")
        both = regions.result.sel(scenario=name)
        for var in ("resultatrakning", "balanskrav", "mal_varde", "balansrakning"):
            np.testing.assert_array_equal(alone[var].values, both[var].values)
    h = headlines(regions.result).set_index(["region", "ar"])
    assert round(h.loc[("Region Värmland", 2023), "arets_resultat"]) == -278
    assert round(h.loc[("Region Värmland", 2023), "nettokostnadsandel"], 3) == 0.987


def test_regioner_command_prints_the_comparison(tmp_path):
    res = runner.invoke(app, ["regioner", "--out", str(tmp_path), "--montecarlo", "300"])
    assert res.exit_code == 0, res.output
    text = res.output
    for s in ("Region Värmland", "Region Jönköpings län", "Årets resultat", "Balanskravsresultat",
              "Nettokostnadsandel", fmt.procent(0.987), "Sannolikhet att balanskravet inte nås"):
        assert s in text, s
    assert (tmp_path / "regioner.csv").is_file() and (tmp_path / "regioner_montecarlo.csv").is_file()


def test_regioner_reports_every_regions_problems(assumptions_copy, tmp_path):
    edit(assumptions_copy / "region.yaml", 'varde: "17"', 'varde: "99"')
    res = runner.invoke(app, ["regioner", str(assumptions_copy), str(JONKOPING), "--out", str(tmp_path / "ut")])
    assert res.exit_code == 2
    assert "lanskod: '99'" in " ".join(res.output.split()) and nothing_written(tmp_path / "ut")


# --- investment categories are the region's data --------------------------------------------

def test_a_region_names_its_own_investment_categories(assumptions_copy):
    a = assumptions_copy
    text = (a / "investeringar.yaml").read_text(encoding="utf-8")
    head, _ = text.split("kategorier:\n", 1)
    cats = ("  - {id: sjukhus, etikett: Nytt sjukhus, balanspost: mark_och_byggnader}\n"
            "  - {id: it, etikett: IT, balanspost: immateriella_anlaggningstillgangar}\n"
            "  - {id: fordon, etikett: Fordon, balanspost: maskiner_och_inventarier}\n")
    params = "".join(f"  investeringar_{c}: {{enhet: mnkr, kalla: prov, varden: {{2023: {x}}}, forlangning: senaste}}\n"
                     f"  avskrivningstid_{c}: {{enhet: antal_ar, kalla: prov, varde: 10}}\n"
                     f"  avskrivning_nettoandel_{c}: {{enhet: procent, kalla: prov, varde: 100}}\n"
                     f"  avskrivning_fran_ar_{c}: {{enhet: ar, kalla: prov, varde: 2023}}\n"
                     for c, x in (("sjukhus", 500), ("it", 40), ("fordon", 60)))
    (a / "investeringar.yaml").write_text(head + "kategorier:\n" + cats + "parametrar:\n" + params, encoding="utf-8")
    r = run(a).result.sel(scenario="bas")
    np.testing.assert_allclose(r["investeringar"].values, 600.0)
    assert "investeringar_nya_csk" not in load_assumptions(a).values


def test_a_bad_investment_category_is_reported(assumptions_copy):
    edit(assumptions_copy / "investeringar.yaml", "balanspost: mark_och_byggnader}\n", "balanspost: bilar}\n")
    res = runner.invoke(app, ["check", "--assumptions", str(assumptions_copy)])
    assert res.exit_code == 2
    assert any("investeringar.yaml: kategorier[4].balanspost: 'bilar'" in ln for ln in lines(res)), res.output


def test_a_national_set_may_not_hold_a_regions_key(assumptions_copy, tmp_path):
    edit(assumptions_copy / "riket" / "makro.yaml", "parametrar:\n",
         "parametrar:\n  ranta: {enhet: procent, kalla: fel lager, varden: {2023: 3.0}, forlangning: senaste}\n")
    res = runner.invoke(app, ["run", "--assumptions", str(assumptions_copy), "--out", str(tmp_path / "ut")])
    assert res.exit_code == 2
    assert any("riket/makro.yaml: ranta" in ln and "regionens egna" in ln for ln in lines(res)), res.output
    assert nothing_written(tmp_path / "ut")


def test_assumptions_command_shows_the_national_layer():
    res = runner.invoke(app, ["assumptions", "--key", "kpi"])
    assert res.exit_code == 0
    assert "makro.yaml – nationellt prognosunderlag" in res.output


def test_init_shows_the_stated_figures_beside_the_models(tmp_path):
    res = runner.invoke(app, ["init", str(tmp_path / "j"), "--underlag", str(JONKOPING_UNDERLAG)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.replace("\u00a0", " ").split())
    assert "Skatteintäkter 2024: angivet 10 900, modellen 10 900" in text
    assert "Årets resultat 2023: angivet -356, modellen" in text and "de uppskattade posterna bär den" in text


# --- demographic cost pressure (illustrative example) ---------------------------------------

DEMOGRAFI_CSV = ROOT / "examples" / "demografi" / "demografi.csv"


def drop_key(path: Path, key: str) -> None:
    """Remove one parameter block from an assumption file."""
    import re

    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"  {key}:\n(    .*\n)+", "", text, count=1)
    assert new != text, key
    path.write_text(new, encoding="utf-8")


@pytest.fixture
def demografi(assumptions_copy) -> Path:
    """The standard region with the illustrative demografi.csv in place of invanare and volymokning."""
    shutil.copy(DEMOGRAFI_CSV, assumptions_copy / "demografi.csv")
    drop_key(assumptions_copy / "region.yaml", "invanare")
    drop_key(assumptions_copy / "kostnader.yaml", "volymokning")
    return assumptions_copy


def test_demography_gives_population_and_volume_after_the_plan(demografi):
    DEMOGRAFI = demografi
    aset = load_assumptions(DEMOGRAFI)
    with (DEMOGRAFI / "demografi.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    pop = {y: sum(float(r[str(y)]) for r in rows) for y in range(2023, 2029)}
    cost = {y: sum(float(r["kostnad_kr_per_invanare"]) * float(r[str(y)]) for r in rows) for y in range(2023, 2029)}
    np.testing.assert_allclose(aset["invanare"], [round(pop[y]) for y in range(2023, 2029)])
    expected = [0, 0, 0] + [cost[y] / cost[y - 1] - 1 for y in (2026, 2027, 2028)]  # plan years: in the plan
    np.testing.assert_allclose(aset["volymokning"], expected, atol=1e-12)
    assert "illustrativt" in aset.values["invanare"].source.lower()


def test_demography_is_the_same_as_writing_its_population_and_volume(demografi, tmp_path):
    """The age groups' sum feeds everything invånare feeds (SU, utjämning): as if written out."""
    aset = load_assumptions(demografi)
    plain = tmp_path / "plain"
    shutil.copytree(demografi, plain)
    (plain / "demografi.csv").unlink()
    inv = ", ".join(f"{y}: {int(x)}" for y, x in zip(aset.years, aset["invanare"]))
    vol = ", ".join(f"{y}: {float(100 * x)!r}" for y, x in zip(aset.years, aset["volymokning"]))
    edit(plain / "region.yaml", "parametrar:\n", f"parametrar:\n  invanare: {{enhet: antal, kalla: x, varden: {{{inv}}}}}\n")
    edit(plain / "kostnader.yaml", "parametrar:\n", f"parametrar:\n  volymokning: {{enhet: procent, kalla: x, varden: {{{vol}}}}}\n")
    a = run(demografi).result.sel(scenario="bas")
    b = run(plain).result.sel(scenario="bas")
    for var in ("resultatrakning", "utjamning", "skatteunderlag"):
        np.testing.assert_allclose(a[var].values, b[var].values, rtol=1e-12)
    base = run().result.sel(scenario="bas")
    assert not np.allclose(a["skatteunderlag"].values, base["skatteunderlag"].values)  # the population matters


def test_demography_and_a_flat_volume_together_is_an_error(demografi):
    d = demografi
    shutil.copy(default_assumptions_dir() / "kostnader.yaml", d / "kostnader.yaml")
    res = runner.invoke(app, ["check", "--assumptions", str(d)])
    assert res.exit_code == 2
    assert any("kostnader.yaml: volymokning" in ln and "demografi.csv" in ln for ln in lines(res)), res.output


def test_init_on_another_national_set(tmp_path):
    riket = tmp_path / "riket_ny"
    shutil.copytree(default_assumptions_dir() / "riket", riket)
    answers = tmp_path / "underlag.yaml"
    answers.write_text(UNDERLAG, encoding="utf-8")
    res = runner.invoke(app, ["init", str(tmp_path / "prov"), "--underlag", str(answers), "--riket", str(riket)])
    assert res.exit_code == 0, res.output
    assert load_assumptions(tmp_path / "prov").riket.resolve() == riket.resolve()
    edit(riket / "makro.yaml", "    varde: 2023\n", "    varde: 2024\n")  # made for another base year
    res = runner.invoke(app, ["init", str(tmp_path / "prov2"), "--underlag", str(answers), "--riket", str(riket)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "makro.yaml: prognosunderlag_basar" in " ".join(res.output.split())
    assert not (tmp_path / "prov2").exists()


def test_regioner_montecarlo_on_dask_equals_in_process(tmp_path):
    pytest.importorskip("distributed")
    local, remote = tmp_path / "lokal", tmp_path / "dask"
    assert runner.invoke(app, ["regioner", "--montecarlo", "400", "--out", str(local)]).exit_code == 0
    res = runner.invoke(app, ["regioner", "--montecarlo", "400", "--dask", "--out", str(remote)])
    assert res.exit_code == 0, res.output
    assert (local / "regioner_montecarlo.csv").read_bytes() == (remote / "regioner_montecarlo.csv").read_bytes()


def test_the_docs_name_every_national_key_with_its_layer():
    text = (ROOT / "docs" / "regioner.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| `riket")}
    for key, spec in SPECS.items():
        if spec.national:
            assert f"`{key}`" in rows[f"`{spec.layer}`"], key


def test_a_run_records_its_prognosunderlag():
    assert run().result.attrs["prognosunderlag"] == "SKR hösten 2022 (2022-10)"


def test_regioner_takes_a_directory_of_regions(tmp_path):
    res = runner.invoke(app, ["regioner", str(JONKOPING.parent), str(default_assumptions_dir()), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "Region Jönköpings län" in res.output and "Region Värmland" in res.output
