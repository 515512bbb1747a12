"""Inkomstutjämning by the law's formula (lag 2004:773): regional shocks are mostly equalised."""

import numpy as np
import pytest

from flerarsprognos.model.utjamning import inkomstutjamning


def test_regional_and_national_shocks():
    su, mk, inv, g, ts = 65565.0, 263_857.0, 283_000.0, 1.15, 0.0911
    base = float(inkomstutjamning(np.array([[su]]), np.array([[mk]]), np.array([[inv]]), g, ts)[0, 0])
    assert base == pytest.approx(1850, abs=1)
    # the region's own skatteunderlag 1 % higher: the bidrag falls by 9,11 % of that 1 %
    regional = float(inkomstutjamning(np.array([[su * 1.01]]), np.array([[mk]]), np.array([[inv]]), g, ts)[0, 0])
    assert regional - base == pytest.approx(-ts * 0.01 * su)
    # the whole country 1 % higher (medelskattekraft too): the bidrag rises by 1 % of itself
    national = float(inkomstutjamning(np.array([[su * 1.01]]), np.array([[mk * 1.01]]), np.array([[inv]]), g, ts)[0, 0])
    assert national - base == pytest.approx(0.01 * base)


def test_default_uses_the_formula(base_result):
    """In the default the inkomstutjämning is the formula, calibrated to 1 850 mnkr in 2023."""
    u = base_result["utjamning"].sel(komponent="inkomstutjamning")
    assert float(u.sel(year=2023)) == pytest.approx(1850, abs=0.5)
    mk = base_result["medelskattekraft"].values
    su = base_result["skatteunderlag"].values
    inv = np.array([283000, 283100, 283200, 283300, 283400, 283500], dtype=float)
    np.testing.assert_allclose(u.values, 0.0911 * (1.15 * mk * inv / 1e6 - su), rtol=1e-12)
