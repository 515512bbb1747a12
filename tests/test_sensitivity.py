"""The standard känslighetsanalys: signs and sizes against hand calculations, both sides, the CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from flerarsprognos.analysis.factors import baseline_params
from flerarsprognos.analysis.sensitivity import sensitivity, sensitivity_table
from flerarsprognos.cli import app
from flerarsprognos.problems import Problems
from flerarsprognos.runner import load_sets

runner = CliRunner()
N = 4  # 2023–2026: the years before any interest on new loans


@pytest.fixture(scope="module")
def params():
    base, _ = load_sets(None, [], Problems())
    return baseline_params(base, base)


@pytest.fixture(scope="module")
def res(params):
    return sensitivity(params)


def effect(res, name, side=1, post="arets_resultat"):
    return res["effekt_mnkr"].sel(antagande=name, sida=side, post=post).values


def test_ten_ore_is_a_thousandth_of_the_skatteunderlag(res, base_result):
    # SU_r(2023) = 7 658 / 0,1168 ≈ 65 565 mnkr; +10 öre = 0,001 · SU ≈ 66 mnkr.
    assert effect(res, "skattesats")[0] == pytest.approx(0.001 * 7658 / 0.1168, abs=0.5)
    su = base_result["skatteunderlag"].values
    # to 2026 (no loans before, interest a year after): exactly; later the interest on the
    # borrowing from 2026 (finanspolicy) moves with the result too
    np.testing.assert_allclose(effect(res, "skattesats")[:N], 0.001 * su[:N], atol=1e-6)
    np.testing.assert_allclose(effect(res, "skattesats", -1)[:N], -0.001 * su[:N], atol=1e-6)
    assert (effect(res, "skattesats")[N:] >= 0.001 * su[N:] - 1e-6).all()


def test_one_percent_regional_skatteunderlag_is_equalised_from_t_plus_2(res, base_result, params):
    """+1 % of the region's own skatteunderlag from the base year: 1 % of skatteintäkterna
    (77 mnkr 2023) in full for two years; from 2025 the inkomstutjämning (on income year t−2)
    takes back its skattesats 9,11 % × the uppräkning on 1 % of the t−2 skatteunderlag."""
    su = base_result["skatteunderlag"].values
    skattesats = params["skattesats"].values
    ts = float(params["inkomstutjamning_skattesats"])
    u = base_result["inkomstutjamning_upprakning"].values
    e = effect(res, "skatteunderlag")
    assert e[0] == pytest.approx(0.01 * 65565 * 0.1168, abs=0.5)
    np.testing.assert_allclose(e[:2], 0.01 * su[:2] * skattesats[:2], rtol=1e-9)
    np.testing.assert_allclose(e[2:N], 0.01 * (su[2:N] * skattesats[2:N] - ts * u[2:N] * su[:N - 2]), rtol=1e-9, atol=1e-6)


def test_hundred_mnkr_statsbidrag_is_hundred_mnkr_every_year(res):
    np.testing.assert_allclose(effect(res, "statsbidrag")[:N], 100.0, atol=1e-9)
    np.testing.assert_allclose(effect(res, "statsbidrag", -1)[:N], -100.0, atol=1e-9)
    # later: less to borrow saves the interest (3 %) on it the year after
    assert 100.0 < effect(res, "statsbidrag")[N] < 100.0 + 0.03 * 400.0


PLAN_PENSION_2023 = 1111.5  # the pension cost inside the plan's costs (the central budget, seed 002)


def test_one_percent_volume_costs_one_percent_of_the_gross_costs(res, params, base_result):
    # Volume multiplies the plan's gross costs without their pension part (the pension
    # module follows pay, not volume): 2023 −(12 341 − 1 111,5) · 1 % ≈ −112 mnkr.
    kost = -float(params["plan_verksamhetens_kostnader"].sel(plan_year=2023))
    pension = float(base_result["pensionskostnad_verksamhet"].sel(year=2023))
    assert pension == pytest.approx(PLAN_PENSION_2023, abs=0.5)
    assert effect(res, "verksamhetsvolym")[0] == pytest.approx(-0.01 * (kost - pension), abs=1e-6)


def test_one_pe_inflation_in_the_base_year_by_hand(res, params):
    # 2023: (1 − w) of the plan costs and the price-indexed part of the revenue move by
    # 1 pe / (1 + planens KPI). The prisbasbelopp for 2023 was fixed in the autumn of 2022
    # (socialförsäkringsbalken 2 kap. 6–7 §§): the pension index-up does not move in 2023,
    # and the SU reacts to KPI only the year after.
    p = {k: float(params[k].sel(plan_year=2023)) if "plan_year" in params[k].dims else float(params[k])
         for k in ("personalkostnadsandel", "intakter_prisindexering", "plan_verksamhetens_kostnader",
                   "plan_verksamhetens_intakter", "planens_kpi", "rips_ranta", "pensionsavsattning_ingaende",
                   "loneskatt")}
    price = 0.01 / (1 + p["planens_kpi"])
    costs = (-p["plan_verksamhetens_kostnader"] - PLAN_PENSION_2023) * (1 - p["personalkostnadsandel"]) * price
    revenue = p["plan_verksamhetens_intakter"] * p["intakter_prisindexering"] * price
    assert effect(res, "kpi")[0] == pytest.approx(-(costs - revenue), abs=0.5)


def test_kpi_in_the_base_year_leaves_that_years_index_up_and_moves_the_next(params):
    """Hand computation: KPI +1 pe in 2023 only: the index-up g(2023) = (1 + r)(1 + ΔPBB) − 1 is
    unchanged; g(2024) rises by (1 + r_RIPS) · 1 pe (PBB 2024 from KPI June 2023)."""
    from flerarsprognos.analysis.factors import Experiment, Factor, vary
    from flerarsprognos.model.engine import project

    f = Factor("kpi", ("kpi",), "forskjutning", "procent", (2023,))
    res = project(vary(params, Experiment([f], {"kpi": np.array([0.0, 0.01])})))
    g = res["pension_index_upp"].values
    assert g[1, 0] == pytest.approx(g[0, 0], abs=1e-15)
    assert g[1, 1] - g[0, 1] == pytest.approx((1 + float(params["rips_ranta"])) * 0.01, rel=1e-9)
    assert (res["prisbasbelopp_forandring_effektiv"].values[1] - res["prisbasbelopp_forandring_effektiv"].values[0]
            == pytest.approx([0.0, 0.01, 0.0, 0.0, 0.0, 0.0], abs=1e-12))


def test_signs(res, base_result):
    for name in ("loneokning", "loneokning_personal", "kpi", "verksamhetsvolym"):
        assert (effect(res, name)[1:] < 0).all() and (effect(res, name, -1)[1:] > 0).all(), name
    for name in ("skatteunderlag", "skattesats", "statsbidrag"):
        assert (effect(res, name) > 0).all() and (effect(res, name, -1) < 0).all(), name
    # No loans in the default: the interest rate moves nothing.
    # The plan has no loans; from 2026 the finanspolicy keeps the pension fund apart and the
    # region borrows: +1 pe ränta costs 1 % of the previous year's loans from 2027.
    np.testing.assert_allclose(effect(res, "ranta")[:N], 0.0, atol=1e-9)
    loans = base_result["laneskuld"].values
    assert effect(res, "ranta")[N] == pytest.approx(-0.01 * loans[N - 1], rel=1e-6)
    assert (effect(res, "ranta")[N:] <= -0.01 * loans[N - 1:-1] + 1e-9).all()


def test_both_sides_show_the_asymmetry_of_the_rur(res):
    # 2023–2024 are covered by the RUR: the balanskravsresultat does not move either way.
    # 2023–2024 are covered by the RUR: where the result stays negative (base −278 and −129),
    # the balanskravsresultat does not move either way.
    bk = res["effekt_mnkr"].sel(post="balanskravsresultat", year=[2023, 2024]).values
    ar = res["effekt_mnkr"].sel(post="arets_resultat", year=[2023, 2024]).values
    still_negative = (np.array([-278.0, -129.0]) + ar) < 0
    np.testing.assert_allclose(bk[still_negative], 0.0, atol=1e-9)
    assert still_negative.sum() >= still_negative.size - 2
    # The KPI effect is not symmetric (compounding, the pension index-up a year later).
    up, down = effect(res, "kpi"), effect(res, "kpi", -1)
    assert not np.allclose(up, -down, atol=1.0)


def test_cli_writes_kanslighet_csv(tmp_path):
    out = tmp_path / "k"
    result = runner.invoke(app, ["sensitivity", "--ut", str(out)])
    assert result.exit_code == 0, result.output
    assert "+10 öre" in result.output and "Känslighetsanalys" in result.output
    df = pd.read_csv(out / "kanslighet.csv")
    assert list(df.columns) == ["scenario", "ar", "antagande", "forandring", "post", "mnkr"]
    assert len(df) == 8 * 2 * 6 * 2
    row = df[(df.antagande == "skattesats") & (df.forandring == "+10 öre") & (df.ar == 2023)
             & (df.post == "arets_resultat")]
    assert float(row.mnkr.iloc[0]) == pytest.approx(65.6, abs=0.5)
    assert set(df.forandring[df.antagande == "loneokning"]) == {"+1 procentenhet", "-1 procentenhet"}


def test_cli_from_a_scenario_and_bad_scenario(tmp_path):
    result = runner.invoke(app, ["sensitivity", "hogre_loner", "--ut", str(tmp_path / "k"), "--tyst"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(tmp_path / "k" / "kanslighet.csv")
    assert set(df.scenario) == {"hogre_loner"}
    bad = runner.invoke(app, ["sensitivity", str(tmp_path / "finns_inte.yaml"), "--ut", str(tmp_path / "b")])
    assert bad.exit_code == 2 and not (tmp_path / "b").exists()


def test_table_function_for_other_modules(res):
    df = sensitivity_table(res, "bas")
    assert set(df.post) == {"arets_resultat", "balanskravsresultat"}
    assert len(df) == 8 * 2 * 6 * 2


def test_wage_agreement_for_the_regions_staff_alone(res, params):
    """+1 pe for the region's own staff: 1 % of the personnel share of the decided costs,
    with no help from the skatteunderlag; the economy-wide shift costs far less."""
    w = float(params["personalkostnadsandel"])
    costs = -float(params["plan_verksamhetens_kostnader"].sel(plan_year=2023))
    plan_lon = float(params["planens_loneokning"].sel(plan_year=2023))
    # the premiums follow pay too (incl. löneskatt); the förmånsbestämd nyintjänande follows
    # pay and, with elasticitet e, pay relative to the inkomstbasbelopp (which does not move)
    tax = 1 + float(params["loneskatt"])
    r = 1 + 0.01 / (1 + plan_lon)
    e = float(params["nyintjanande_ibb_elasticitet"])
    pension_pay = float(params["avgiftsbestamd_basar"]) * tax * (r - 1) + float(params["nyintjanande_basar"]) * tax * (r ** (1 + e) - 1)
    expected = -(w * (costs - PLAN_PENSION_2023) * (r - 1) + pension_pay)
    assert effect(res, "loneokning_personal")[0] == pytest.approx(expected, abs=0.5)
    assert (effect(res, "loneokning_personal") < effect(res, "loneokning") - 40).all()
