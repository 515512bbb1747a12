"""Inkomstutjämning by the law (lag 2004:773 3–6 §§): the tax bases of income year t−2,
uppräknade, a guarantee of 110 % for regions; fixed before the year it is paid."""

import numpy as np
import pytest

from flerarsprognos.io.params import build_params
from flerarsprognos.model.engine import project
from flerarsprognos.model.utjamning import inkomstutjamning
from flerarsprognos.problems import Problems
from flerarsprognos.runner import load_sets


def test_regional_and_national_shocks():
    su, mk, inv, g, ts, uf = 59637.0, 250_660.0, 282_900.0, 1.10, 0.0911, 1.10561
    one = lambda x: np.array([[x]])  # noqa: E731
    base = float(inkomstutjamning(one(su), one(mk), one(inv), one(uf), g, ts)[0, 0])
    # the region's own skatteunderlag (income year t−2) 1 % higher: the bidrag falls by 9,11 % of it, uppräknat
    regional = float(inkomstutjamning(one(su * 1.01), one(mk), one(inv), one(uf), g, ts)[0, 0])
    assert regional - base == pytest.approx(-ts * uf * 0.01 * su)
    # the whole country 1 % higher (medelskattekraft too): the bidrag rises by 1 % of itself
    national = float(inkomstutjamning(one(su * 1.01), one(mk * 1.01), one(inv), one(uf), g, ts)[0, 0])
    assert national - base == pytest.approx(0.01 * base)


def _default_and(**changes):
    base, _ = load_sets(None, [], Problems())
    sets = [base]
    for name, change in changes.items():
        s = base.copy(name)
        key, year, delta = change
        data = np.array(s.values[key].data, dtype=float)
        data[list(s.years).index(year)] += delta  # growth in that year only: a level shift from then
        s.values[key].data = data
        sets.append(s)
    return project(build_params(sets, base))


def test_default_inkomstutjamning_is_the_law_on_income_year_t_minus_2(base_result):
    """Calibrated to 1 850 mnkr in 2023; later years from the t−2 skatteunderlag and medelskattekraft."""
    u = base_result["utjamning"].sel(komponent="inkomstutjamning").values
    assert u[0] == pytest.approx(1850, abs=0.5)
    su = base_result["skatteunderlag"].values
    mk = base_result["medelskattekraft"].values
    g = base_result["skatteunderlag_forandring_effektiv"].values  # = the baseline's in the default
    inv = np.array([283000, 283100, 283200, 283300, 283400, 283500], dtype=float)
    for t in range(2, 6):  # 2025–2028: every input inside the horizon
        expected = 0.0911 * (1 + g[t - 1]) * (1 + g[t]) * (1.10 * mk[t - 2] * inv[t - 1] / 1e6 - su[t - 2])
        assert u[t] == pytest.approx(expected, rel=1e-12)


def test_own_skatteunderlag_plus_one_percent_is_equalised_from_t_plus_2():
    """Hand computation: +1 % of the region's own SU in 2023 gives 0,01 × SU × skattesats in
    2023 (≈ 77 mnkr) and 2024, untouched by the utjämning; from 2025 the inkomstutjämning takes
    back 9,11 % × UF × the 1 % of the 2023 skatteunderlag."""
    res = _default_and(eget=("skatteunderlag_regionen_utover", 2023, 0.01))
    bas, eget = res.sel(scenario="bas"), res.sel(scenario="eget")
    d_res = (eget["resultatrakning"] - bas["resultatrakning"]).sel(rr_post="arets_resultat").values
    d_utj = (eget["utjamning"] - bas["utjamning"]).sel(komponent="inkomstutjamning").values
    su = bas["skatteunderlag"].values
    assert d_res[0] == pytest.approx(0.01 * su[0] * 0.1168, rel=1e-9)
    assert d_res[0] == pytest.approx(76.6, abs=0.5)
    assert d_utj[:2] == pytest.approx([0.0, 0.0], abs=1e-9)
    g = bas["skatteunderlag_forandring_effektiv"].values
    assert d_utj[2] == pytest.approx(-0.0911 * (1 + g[1]) * (1 + g[2]) * 0.01 * su[0], rel=1e-9)
    skattesats = (bas["resultatrakning"].sel(rr_post="skatteintakter") / bas["skatteunderlag"]).values
    assert d_res[2] == pytest.approx(0.01 * su[2] * skattesats[2] + d_utj[2], rel=1e-9)
    assert d_res[2] == pytest.approx(17.5, abs=0.5)  # what stays of the 1 % once it is equalised


def test_national_shock_in_the_forecast_year_does_not_move_that_years_utjamning():
    res = _default_and(riket=("skatteunderlag_forandring", 2024, -0.01))
    d = (res.sel(scenario="riket")["utjamning"] - res.sel(scenario="bas")["utjamning"]).sel(
        komponent="inkomstutjamning").values
    assert d[:3] == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)  # 2024 and 2025 were fixed before
    assert abs(d[3]) > 1.0  # 2026: income year 2024 enters


def test_su_outcome_below_forecast_slutavrakning_in_t_and_korrigering_in_t_plus_1():
    """Hand computation (RKR R2): national SU −1 pe in 2024 with SKR's December forecast
    catching 80 % of the slutavräkning. The preliminary tax 2024 (on income year 2022) does
    not move; the slutavräkning 2024 falls by 0,8 × 1 % × SU × skattesats; the remaining 20 %
    comes as a negative korrigering in 2025; the three parts add up to the line."""
    base, _ = load_sets(None, [], Problems())
    base = base.copy("bas")
    base.values["slutavrakning_december_andel"].data = 0.8
    low = base.copy("lagre")
    data = np.array(low.values["skatteunderlag_forandring"].data, dtype=float)
    data[1] -= 0.01
    low.values["skatteunderlag_forandring"].data = data
    res = project(build_params([base, low], base))
    d = res.sel(scenario="lagre") - res.sel(scenario="bas")
    parts = d["skatteintakter_delar"]
    d_su = float(d["skatteunderlag"].sel(year=2024))
    assert d_su == pytest.approx(-0.01 / 1.04125 * float(res.sel(scenario="bas", year=2024)["skatteunderlag"]))
    full = d_su * 0.1168  # the final tax for 2024 falls by the skattesats on the lower SU
    assert float(parts.sel(year=2024, skattepost="preliminar_skatt")) == pytest.approx(0.0, abs=1e-9)
    assert float(parts.sel(year=2024, skattepost="slutavrakning")) == pytest.approx(0.8 * full, rel=1e-6)
    assert float(parts.sel(year=2025, skattepost="korrigering_slutavrakning")) == pytest.approx(0.2 * full, rel=1e-6)
    assert float(parts.sel(year=2024, skattepost="korrigering_slutavrakning")) == pytest.approx(0.0, abs=1e-9)
    lines = res["resultatrakning"].sel(rr_post="skatteintakter")
    np.testing.assert_allclose(res["skatteintakter_delar"].sum("skattepost").values, lines.values, rtol=1e-12)


def test_regleringsbidrag_falls_when_the_inkomstutjamning_rises_with_an_unchanged_anslag():
    """Lag (2004:773) 15–16 §§, by hand: national SU +1 pe in 2024 raises the national
    inkomstutjämning from 2026 (income year 2024); with the anslag unchanged the
    regleringsbidrag falls by the same kr per invånare for every region: ΔI / N × invånare."""
    res = _default_and(riket=("skatteunderlag_forandring", 2024, 0.01))
    bas, hog = res.sel(scenario="bas"), res.sel(scenario="riket")
    d_ink_riket = (hog["inkomstutjamning_riket"] - bas["inkomstutjamning_riket"]).values
    d_reg = (hog["utjamning"] - bas["utjamning"]).sel(komponent="regleringsbidrag").values
    assert d_ink_riket[3] > 0 and d_reg[:3] == pytest.approx([0, 0, 0], abs=1e-9)  # plan years stand
    n_riket_nov_2026 = 10521556 * 1.006 * 1.005 * 1.005  # 1 Nov 2025
    inv_nov_2026 = 283200  # the region's invånare 2025
    assert d_reg[3] == pytest.approx(-d_ink_riket[3] / n_riket_nov_2026 * inv_nov_2026, rel=1e-9)
    # the region's own inkomstutjämning rises, the regleringsbidrag falls by much less
    d_ink = (hog["utjamning"] - bas["utjamning"]).sel(komponent="inkomstutjamning").values
    assert d_ink[3] > 0 and d_reg[3] < 0 and abs(d_reg[3]) < d_ink[3]


def test_unchanged_anslag_lowers_the_regleringsbidrag_each_year_after_the_plan(base_result):
    reg = base_result["utjamning"].sel(komponent="regleringsbidrag").values
    assert reg[:3] == pytest.approx([307.2, 315.93, 258.61])  # the plan's restpost
    steps = np.diff(reg[2:])
    assert (steps < -40).all() and (steps > -80).all()  # about the plan's own step (−57) a year


def test_a_higher_anslag_is_paid_per_invanare():
    res = _default_and(anslag=("utjamning_anslag_forandring", 2026, 1000.0))
    d = (res.sel(scenario="anslag")["utjamning"] - res.sel(scenario="bas")["utjamning"]).sel(komponent="regleringsbidrag")
    n_riket_nov_2026 = 10521556 * 1.006 * 1.005 * 1.005
    np.testing.assert_allclose(d.values[3:], 1000.0 / (n_riket_nov_2026 * np.array([1, 1.005, 1.005 ** 2]))
                               * np.array([283200, 283300, 283400]), rtol=1e-9)
