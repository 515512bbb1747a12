"""Pension module: index-up, split, and KPA's prognosis overriding year by year."""

from __future__ import annotations

import numpy as np
import pytest

from flerarsprognos.runner import run


def scenario_file(tmp_path, body: str):
    path = tmp_path / "kpa.yaml"
    path.write_text("titel: KPA-prognos\nbeskrivning: test\nbaslinje: bas\nkalla: KPA\nandringar:\n" + body,
                    encoding="utf-8")
    return str(path)


def test_kpa_prognosis_overrides_the_computation_year_by_year(tmp_path):
    path = scenario_file(tmp_path,
                         "  kpa_finansiell_kostnad: {enhet: mnkr, varden: {2024: 300}}\n"
                         "  kpa_avsattning_utgaende: {enhet: mnkr, varden: {2025: 5500}}\n")
    r = run(None, [path]).result
    fin = r["pensionskostnad_finansiell"]
    assert float(fin.sel(scenario="kpa", year=2024)) == pytest.approx(300)
    assert float(fin.sel(scenario="kpa", year=2023)) == pytest.approx(float(fin.sel(scenario="bas", year=2023)))
    assert float(r["resultatrakning"].sel(scenario="kpa", year=2024, rr_post="finansiella_kostnader")) == pytest.approx(-300)
    avs = r["pensionsavsattning"]
    assert float(avs.sel(scenario="kpa", year=2025)) == pytest.approx(5500)
    # 2026 computes on from KPA's closing figure
    g26 = float(r["pension_index_upp"].sel(scenario="kpa", year=2026))
    assert float(fin.sel(scenario="kpa", year=2026)) == pytest.approx(g26 * 5500, rel=1e-9)


def test_split_between_verksamhet_and_finansiell(base_result):
    v = base_result["pensionskostnad_verksamhet"].sel(year=2023)
    # avgiftsbestämd + nyintjänande + utbetalningar av ansvarsförbindelsen, incl. löneskatt = budget 1 111,5
    assert float(v) == pytest.approx(1111.5, abs=0.5)
    expected = (float(base_result["pension_avgiftsbestamd"].sel(year=2023)) + float(base_result["pension_nyintjanande"].sel(year=2023))
                + float(base_result["pension_utbetalningar_ansvarsforbindelse"].sel(year=2023)))
    assert float(v) == pytest.approx(expected)


def test_ansvarsforbindelse_rolls_forward(base_result):
    af = base_result["ansvarsforbindelse"].values
    g = base_result["pension_index_upp"].values
    utb = base_result["pension_utbetalningar_ansvarsforbindelse"].values
    for i in range(1, len(af)):
        assert af[i] == pytest.approx(af[i - 1] * (1 + g[i]) - utb[i])


def test_kpa_payouts_move_verksamhetens_kostnader_in_the_plan_years(tmp_path, base_result):
    """A KPA prognosis with 50 mnkr higher payouts of the ansvarsförbindelse in 2024 makes
    verksamhetens kostnader 2024 exactly 50 mnkr higher: the plan line carries the pension
    cost computed now instead of the one it was built on."""
    utb = float(base_result["pension_utbetalningar_ansvarsforbindelse"].sel(year=2024))
    path = scenario_file(tmp_path, f"  kpa_utbetalningar_ansvarsforbindelse: {{enhet: mnkr, varden: {{2024: {utb + 50}}}}}\n")
    r = run(None, [path]).result
    kost = r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2024)
    assert float(kost.sel(scenario="kpa") - kost.sel(scenario="bas")) == pytest.approx(-50, abs=1e-6)
    # other years and the finance cost are untouched by a payout of the ansvarsförbindelse
    assert float(r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2023, scenario="kpa")) == pytest.approx(
        float(r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2023, scenario="bas")))


def _with(**changes):
    from flerarsprognos.io.params import build_params
    from flerarsprognos.model.engine import project
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    base, _ = load_sets(None, [], Problems())
    s = base.copy("andrad")
    for key, (year, x) in changes.items():
        data = np.array(s.values[key].data, dtype=float)
        data[list(s.years).index(year)] = x
        s.values[key].data = data
    return project(build_params([base, s], base))


def test_a_lower_rips_rate_revalues_the_liability_at_once():
    """RIPS −0,5 pe from 2025, by hand: the avsättning at the end of 2024, A (incl. löneskatt),
    is revalued by ((1 + 1 %)/(1 + 0,5 %))^15 − 1 in 2025 (a finansiell kostnad), and that
    year's ränte- och basbeloppsuppräkning is at the new rate."""
    res = _with(rips_ranta_forandring=(2025, -0.005))
    bas, ny = res.sel(scenario="bas"), res.sel(scenario="andrad")
    a_2024 = float(bas["pensionsavsattning"].sel(year=2024))
    pbb = float(bas["prisbasbelopp_forandring_effektiv"].sel(year=2025))
    factor = (1.01 / 1.005) ** 15 - 1
    expected = a_2024 * (factor + (1.005 * (1 + pbb) - 1) - (1.01 * (1 + pbb) - 1))
    d_fin = float((ny["pensionskostnad_finansiell"] - bas["pensionskostnad_finansiell"]).sel(year=2025))
    assert d_fin == pytest.approx(expected, rel=1e-9)
    assert d_fin > 0  # a lower rate is a cost in the year of the change
    assert float((ny["pensionskostnad_finansiell"] - bas["pensionskostnad_finansiell"]).sel(year=2024)) == 0.0
    d_res = (ny["resultatrakning"] - bas["resultatrakning"]).sel(rr_post="arets_resultat").values
    assert d_res[2] == pytest.approx(-d_fin, rel=1e-9)


def test_nyintjanande_follows_pay_relative_to_the_inkomstbasbelopp():
    """The region's own pay +1 pe above the economy's (and the IBB's) in 2024, by hand: pay is
    1,043/1,033 higher; the nyintjänande rises by that times (1,043/1,033)^2 (elasticitet 200 %),
    since more of the pay lies above 7,5 inkomstbasbelopp; the premiums follow pay only."""
    res = _with(loneokning_regionen_utover=(2024, 0.01))
    bas, ny = res.sel(scenario="bas"), res.sel(scenario="andrad")
    ratio = (ny["pension_nyintjanande"] / bas["pension_nyintjanande"]).values
    assert ratio[1] == pytest.approx((1.043 / 1.033) ** 3, rel=1e-9)
    premiums = (ny["pension_avgiftsbestamd"] / bas["pension_avgiftsbestamd"]).values
    assert premiums[1] == pytest.approx(1.043 / 1.033, rel=1e-9)  # the avgiftsbestämd part follows pay only
