"""Sweeps: the shipped inflation × löneökning grid, designs, the factor machinery, bad specs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from flerarsprognos.analysis import sweep as sw
from flerarsprognos.analysis.factors import Experiment, Factor, baseline_params
from flerarsprognos.analysis.evaluate import evaluate
from flerarsprognos.cli import app
from flerarsprognos.paths import default_scenarios_dir
from flerarsprognos.problems import Problems
from flerarsprognos.runner import load_sets, run

runner = CliRunner()
SHIPPED = default_scenarios_dir() / "svep_inflation_lon.yaml"

SPEC_HEAD = """typ: svep
titel: Test
beskrivning: Testsvep.
kalla: Test.
"""


def output(result) -> str:
    try:
        return result.output + (result.stderr or "")
    except ValueError:  # stderr not captured separately
        return result.output


@pytest.fixture(scope="module")
def base_params():
    base, _ = load_sets(None, [], Problems())
    return baseline_params(base, base)


@pytest.fixture(scope="module")
def shipped():
    spec, base, aset, params, experiment, _ = sw.load_sweep(SHIPPED)
    return spec, params, experiment, sw.sweep(params, experiment, spec)


def test_shipped_grid_has_the_axes_and_the_baseline_at_zero(shipped, base_result):
    spec, params, experiment, ds = shipped
    assert ds["arets_resultat"].dims == ("inflation", "loneokning", "year")
    assert ds.sizes["inflation"] == 11 and ds.sizes["loneokning"] == 7
    assert experiment.n == 77
    at_zero = ds["arets_resultat"].sel(inflation=0.0, loneokning=0.0)
    expected = base_result["resultatrakning"].sel(rr_post="arets_resultat")
    np.testing.assert_allclose(at_zero.values, expected.values, atol=1e-9)
    # The shift starts in 2024: 2023 is the same in every grid point.
    np.testing.assert_allclose(ds["arets_resultat"].sel(year=2023).values, float(expected.sel(year=2023)), atol=1e-9)


def test_higher_inflation_lowers_the_result_about_as_a_hand_calculation(shipped):
    _, params, _, ds = shipped
    r = ds["arets_resultat"].sel(loneokning=0.0, year=2024)
    # One pe more KPI in 2024: (1 − w) of the plan costs, less the price-indexed part of the
    # revenue; the prisbasbelopp (pension index-up) follows only in 2025.
    w = float(params["personalkostnadsandel"])
    a = float(params["intakter_prisindexering"])
    kost = -float(params["plan_verksamhetens_kostnader"].sel(plan_year=2024))
    intakt = float(params["plan_verksamhetens_intakter"].sel(plan_year=2024))
    plan_kpi = float(params["planens_kpi"].sel(plan_year=2024))
    price = 0.01 / (1 + plan_kpi)
    pension = float(run(None, []).result["pensionskostnad_verksamhet"].sel(scenario="bas", year=2024))
    assert float(r.sel(inflation=1.0) - r.sel(inflation=0.0)) == pytest.approx(
        -(1 - w) * (kost - pension) * price + a * intakt * price, abs=0.5)  # the pension part follows pay
    per_pe = np.diff(ds["arets_resultat"].sel(loneokning=0.0, year=2025).values)
    assert (per_pe < 0).all()  # monotone: every half pe of inflation costs money
    assert 80 < -per_pe.mean() * 2 < 200


def test_a_one_point_sweep_equals_the_scenario_file(base_params):
    """+1 pe löneökning every year as a sweep equals the shipped hogre_loner scenario."""
    f = Factor("lon", ("loneokning",), "forskjutning", "procent")
    values = evaluate(base_params, Experiment([f], {"lon": np.array([0.0, 0.01])}), ("arets_resultat",))
    ref = run(None, ["hogre_loner"]).result["resultatrakning"].sel(rr_post="arets_resultat")
    np.testing.assert_allclose(values[0, :, 0], ref.sel(scenario="bas").values, atol=1e-9)
    np.testing.assert_allclose(values[1, :, 0], ref.sel(scenario="hogre_loner").values, atol=1e-9)


def test_chunking_does_not_change_numbers(base_params):
    f = Factor("kpi", ("kpi",), "forskjutning", "procent", (2024, 2025))
    exp = Experiment([f], {"kpi": np.linspace(-0.02, 0.03, 37)})
    a = evaluate(base_params, exp, chunk=5)
    b = evaluate(base_params, exp, chunk=1000)
    c = evaluate(base_params, exp, chunk=7, threads=2)
    assert np.array_equal(a, b, equal_nan=True) and np.array_equal(a, c, equal_nan=True)


def test_cli_prints_the_politicians_table_and_writes_files(tmp_path):
    out = tmp_path / "svep"
    result = runner.invoke(app, ["sweep", str(SHIPPED), "--out", str(out)])
    assert result.exit_code == 0, output(result)
    text = output(result)
    assert "Årets resultat (mnkr) 2025" in text and "+5,0 pe" in text and "-1,0 pe" in text
    assert "147 BN" in text  # the plan's 2025 result at zero shift; balanskrav and 98 % met
    assert {p.name for p in out.iterdir()} == {"svep.nc", "experiment.csv", "svep.csv"}
    quiet = runner.invoke(app, ["sweep", str(SHIPPED), "--out", str(tmp_path / "q"), "--quiet"])
    assert quiet.exit_code == 0 and "147 BN" not in output(quiet)


def write(tmp_path: Path, body: str, name: str = "svep.yaml") -> Path:
    p = tmp_path / name
    p.write_text(SPEC_HEAD + body, encoding="utf-8")
    return p


def test_lhs_design_is_reproducible_and_within_bounds(tmp_path):
    body = """design:
  metod: lhs
  n: 50
  seed: 3
  faktorer:
    kpi: {nycklar: [kpi], enhet: procent, fran: -1, till: 2, fran_ar: 2024}
    skattesats: {nycklar: [skattesats], enhet: procent, fran: -0.2, till: 0.3}
"""
    spec_file = write(tmp_path, body)
    spec, _, _, params, exp, _ = sw.load_sweep(spec_file)
    ds1 = sw.sweep(params, exp, spec)
    _, _, _, params2, exp2, _ = sw.load_sweep(spec_file)
    ds2 = sw.sweep(params2, exp2, spec)
    assert ds1["arets_resultat"].dims == ("scenario", "year") and ds1.sizes["scenario"] == 50
    assert np.array_equal(ds1["arets_resultat"].values, ds2["arets_resultat"].values)
    k = ds1["faktor_kpi"].values
    assert k.min() >= -1 and k.max() <= 2
    # Latin hypercube: one point in each of the 50 strata.
    assert sorted(np.floor((k + 1) / 3 * 50).astype(int)) == list(range(50))
    # A higher skattesats never lowers the 2023 result (KPI does not move 2023).
    order = np.argsort(ds1["faktor_skattesats"].values)
    assert (np.diff(ds1["arets_resultat"].sel(year=2023).values[order]) >= -1e-9).all()


def test_path_axis_and_relative_change(tmp_path, base_result):
    body = """axlar:
  lon:
    nycklar: [loneokning]
    andring: niva
    enhet: procent
    banor:
      - {2023: 3.0, 2024: 3.3, 2025: 3.3, 2026: 3.4, 2027: 3.4, 2028: 3.4}
      - {2025: 5.0}
  su:
    nycklar: [skatteunderlag_ingaende]
    andring: relativ
    enhet: procent
    varden: [0, 1]
"""
    spec, _, _, params, exp, _ = sw.load_sweep(write(tmp_path, body))
    ds = sw.sweep(params, exp, spec)
    base = base_result["resultatrakning"].sel(rr_post="arets_resultat").values
    np.testing.assert_allclose(ds["arets_resultat"].isel(lon=0).sel(su=0.0).values, base, atol=1e-9)
    second = ds["arets_resultat"].isel(lon=1).sel(su=0.0).values
    np.testing.assert_allclose(second[:2], base[:2], atol=1e-9)  # years the path does not give keep the plan
    assert second[2] != pytest.approx(base[2])
    up = ds["arets_resultat"].isel(lon=0).sel(su=1.0, year=2023) - base[0]
    # the region's own skatteunderlag +1 % (the level from before the base year): its tax, less
    # what the inkomstutjämning stops equalising — its skattesats on 1 % of the income year
    # t−2 (2021: the opening level one year back), uppräknad (lag 2004:773)
    su_2021 = float(params["skatteunderlag_ingaende"]) / (1 + float(params["skatteunderlag_historik"][-1]))
    u_2023 = float(base_result["inkomstutjamning_upprakning"].sel(year=2023))
    assert float(up) == pytest.approx(0.01 * (float(base_result["skatteunderlag"].sel(year=2023))
                                              * float(params["skattesats"].sel(year=2023))
                                              - float(params["inkomstutjamning_skattesats"]) * u_2023 * su_2021),
                                      abs=1e-6)


BAD = {
    "okand_nyckel": ("""axlar:
  x: {nycklar: [kpii], enhet: procent, fran: 0, till: 1, steg: 0.5}
""", "axlar.x.nycklar", "kpii"),
    "tom_axel": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, varden: []}
""", "axlar.x.varden", "tom axel"),
    "steg_noll": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, fran: 0, till: 1, steg: 0}
""", "axlar.x.steg", "steget är 0"),
    "fel_riktning": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, fran: 0, till: 1, steg: -0.5}
""", "axlar.x.steg", "tom axel"),
    "n_noll": ("""design:
  metod: lhs
  n: 0
  faktorer:
    x: {nycklar: [kpi], enhet: procent, fran: 0, till: 1}
""", "design.n", "positivt heltal"),
    "okand_metod": ("""design:
  metod: grid
  n: 10
  faktorer:
    x: {nycklar: [kpi], enhet: procent, fran: 0, till: 1}
""", "design.metod", "grid"),
    "fel_enhet": ("""axlar:
  x: {nycklar: [skattesats], enhet: mnkr, varden: [1]}
""", "axlar.x.enhet", "mnkr"),
    "utanfor_intervall": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, varden: [0, 50]}
""", "axlar.x", "möjliga"),
    "okand_tabellaxel": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, varden: [0, 1]}
tabell: {rader: y}
""", "tabell.rader", "'y'"),
    "ar_utanfor": ("""axlar:
  x: {nycklar: [kpi], enhet: procent, varden: [0, 1], ar: [2040]}
""", "axlar.x.ar", "2040"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_spec_exit_2_names_file_and_key_nothing_written(tmp_path, case):
    body, key, words = BAD[case]
    spec_file = write(tmp_path, body, f"{case}.yaml")
    out = tmp_path / "ut"
    result = runner.invoke(app, ["sweep", str(spec_file), "--out", str(out)])
    text = output(result)
    assert result.exit_code == 2, text
    assert "Traceback" not in text
    assert f"{case}.yaml" in text and key in text and words in text, text
    assert not out.exists()


def test_a_scenario_file_is_not_a_sweep_spec(tmp_path):
    result = runner.invoke(app, ["sweep", str(default_scenarios_dir() / "hogre_loner.yaml"),
                                 "--out", str(tmp_path / "ut")])
    assert result.exit_code == 2 and "typ" in output(result)
    assert not (tmp_path / "ut").exists()


def test_vectorised_engine_equals_one_scenario_at_a_time(base_params):
    """Every scenario's result is its own: the same numbers alone as among 40 others
    (borrowing, deficits and the RUR included)."""
    from flerarsprognos.analysis.factors import vary
    from flerarsprognos.model.engine import project

    rng = np.random.default_rng(11)
    n = 40
    factors = [Factor("kpi", ("kpi", "prisbasbelopp_forandring"), "forskjutning", "procent"),
               Factor("eff", ("effektivisering",), "forskjutning", "mnkr"),
               Factor("kassa", ("kassa_minimum",), "forskjutning", "mnkr"),
               Factor("su", ("skatteunderlag_forandring",), "forskjutning", "procent")]
    exp = Experiment(factors, {"kpi": rng.normal(0, 0.02, n), "eff": rng.normal(0, 400, (n, 6)),
                               "kassa": rng.uniform(0, 3000, n), "su": rng.normal(0, 0.02, n)})
    together = project(vary(base_params, exp))
    assert float(together["nyupplaning"].max()) > 0  # some borrow
    assert float(together["balanskrav"].sel(bk_post="oreglerat_underskott").max()) > 0  # some have deficits
    for i in range(n):
        alone = project(vary(base_params, exp.rows(i, i + 1)))
        for name in ("resultatrakning", "balanskrav", "balansrakning", "mal_gap_mnkr", "laneskuld"):
            a = together[name].isel(scenario=i).values
            b = alone[name].isel(scenario=0).values
            np.testing.assert_allclose(a, b, atol=1e-9, rtol=0, err_msg=f"{name}, scenario {i}")


def test_unknown_baseline_names_the_spec_and_key(tmp_path):
    spec_file = write(tmp_path, """baslinje: finns_ej
axlar:
  x: {nycklar: [kpi], enhet: procent, varden: [0]}
""")
    result = runner.invoke(app, ["sweep", str(spec_file), "--out", str(tmp_path / "ut")])
    text = output(result)
    assert result.exit_code == 2 and "svep.yaml" in text and "baslinje" in text and "finns_ej" in text, text
    assert not (tmp_path / "ut").exists()


def test_a_sweep_from_a_shipped_scenario(tmp_path):
    spec_file = write(tmp_path, """baslinje: hogre_loner
axlar:
  x: {nycklar: [kpi], enhet: procent, varden: [0]}
""")
    spec, _, aset, params, exp, _ = sw.load_sweep(spec_file)
    ds = sw.sweep(params, exp, spec)
    ref = run(None, ["hogre_loner"]).result["resultatrakning"].sel(rr_post="arets_resultat", scenario="hogre_loner")
    np.testing.assert_allclose(ds["arets_resultat"].isel(x=0).values, ref.values, atol=1e-9)
