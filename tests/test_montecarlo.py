"""Monte Carlo: reproducible by seed, correlated as the file says, bands and probabilities; Sobol."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from flerarsprognos.analysis.factors import baseline_params
from flerarsprognos.analysis.montecarlo import (BLOCK, PERCENTILES, default_uncertainties_file, draws, montecarlo,
                                                read_uncertainties, sobol)
from flerarsprognos.cli import app
from flerarsprognos.problems import InputError, Problems
from flerarsprognos.runner import load_sets

runner = CliRunner()


def output(result) -> str:
    try:
        return result.output + (result.stderr or "")
    except ValueError:
        return result.output


@pytest.fixture(scope="module")
def setup():
    base, _ = load_sets(None, [], Problems())
    problems = Problems()
    unc = read_uncertainties(default_uncertainties_file(), base, problems)
    problems.raise_if_errors()
    return base, baseline_params(base, base), unc


def test_same_seed_same_numbers_other_seed_other_numbers(setup):
    _, params, unc = setup
    a = montecarlo(params, unc, 3000, seed=7)
    b = montecarlo(params, unc, 3000, seed=7)
    c = montecarlo(params, unc, 3000, seed=8)
    assert a.identical(b)
    assert not np.array_equal(a["percentiler"].values, c["percentiler"].values)


def test_draws_do_not_depend_on_how_they_are_cut(setup):
    _, params, unc = setup
    n = BLOCK + 100
    full = draws(unc, n, 5, 6, 1)
    part = draws(unc, n, 5, 6, 1, BLOCK - 50, BLOCK + 30)
    for k in full:
        assert np.array_equal(full[k][BLOCK - 50:BLOCK + 30], part[k])


def test_shocks_have_the_files_sd_correlation_and_persistence(setup):
    _, params, unc = setup
    d = draws(unc, 40_000, 1, 6, 1)
    names = unc.names
    # Year 2024 (index 1): marginal sd and the correlation matrix.
    x = np.stack([d[n][:, 1] for n in names])
    np.testing.assert_allclose(x.std(axis=1), unc.sd, rtol=0.03)
    np.testing.assert_allclose(np.corrcoef(x), unc.correlation, atol=0.03)
    # 2023 is before fran_ar: no shock.
    assert all((d[n][:, 0] == 0).all() for n in names)
    # Persistence: corr(e_2024, e_2025) = ρ.
    k = names[0]
    assert np.corrcoef(d[k][:, 1], d[k][:, 2])[0, 1] == pytest.approx(unc.persistence, abs=0.03)


def test_bands_are_ordered_and_probabilities_are_probabilities(setup, base_result):
    _, params, unc = setup
    res = montecarlo(params, unc, 4000, seed=1)
    p = res["percentiler"]
    assert list(p["percentil"].values) == list(PERCENTILES)
    assert (p.diff("percentil") >= -1e-9).all()
    prob = res["sannolikhet"].values
    assert ((prob >= 0) & (prob <= 1)).all()
    # 2023 is not shocked: the band collapses onto the plan's result.
    r2023 = p.sel(utfall="arets_resultat", year=2023).values
    expected = float(base_result["resultatrakning"].sel(rr_post="arets_resultat", year=2023))
    np.testing.assert_allclose(r2023, expected, atol=1e-9)
    # 98,7 % in 2023 in every draw: certainly above the 98 % goal; later years uncertain.
    assert float(res["sannolikhet"].sel(handelse="nettokostnadsandel_over_mal", year=2023)) == 1.0
    assert 0.0 < float(res["sannolikhet"].sel(handelse="balanskrav_ej_uppfyllt", year=2028)) < 1.0
    # The median of a symmetric shock lies near the plan (2025: 147 mnkr).
    assert float(p.sel(utfall="arets_resultat", percentil=50, year=2025)) == pytest.approx(147, abs=25)


def write_unc(tmp_path: Path, old: str, new: str) -> Path:
    text = default_uncertainties_file().read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "osakerheter.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("old,new,key", [
    ("kpi: {prisbasbelopp: 0.8, ranta: 0.5}", "kpi: {prisbasbelopp: 0.99, ranta: -0.99}", "korrelationer"),
    ("kpi: {prisbasbelopp: 0.8, ranta: 0.5}", "kpi: {prisbasbelopp: 1.5, ranta: 0.5}", "korrelationer.kpi.prisbasbelopp"),
    ("kpi: {prisbasbelopp: 0.8, ranta: 0.5}", "kpi: {prisbasbelopp: 0.8, rantan: 0.5}", "korrelationer.kpi.rantan"),
    ("nycklar: [ranta]", "nycklar: [rantesats]", "osakerheter.ranta.nycklar"),
    ("standardavvikelse: 0.5\n    kalla: Treåriga", "standardavvikelse: 0\n    kalla: Treåriga",
     "osakerheter.loneokning.standardavvikelse"),
])
def test_bad_uncertainty_file_exit_2_names_file_and_key(tmp_path, old, new, key):
    path = write_unc(tmp_path, old, new)
    out = tmp_path / "ut"
    result = runner.invoke(app, ["montecarlo", "--n", "10", "--osakerheter", str(path), "--ut", str(out)])
    text = output(result)
    assert result.exit_code == 2, text
    assert "osakerheter.yaml" in text and key in text, text
    assert not out.exists()


@pytest.mark.parametrize("n", ["0", "-5"])
def test_n_must_be_positive(tmp_path, n):
    result = runner.invoke(app, ["montecarlo", "--n", n, "--ut", str(tmp_path / "ut")])
    assert result.exit_code == 2 and "n" in output(result)
    assert not (tmp_path / "ut").exists()


def test_cli_prints_bands_and_probabilities(tmp_path):
    result = runner.invoke(app, ["montecarlo", "--n", "2000", "--fro", "3", "--ut", str(tmp_path / "mc")])
    assert result.exit_code == 0, output(result)
    assert "P(balanskravet nås inte" in result.output and "P(underskott före RUR" in result.output and "95 %" in result.output
    assert {p.name for p in (tmp_path / "mc").iterdir()} == {"montecarlo.nc", "montecarlo.csv"}


def test_sobol_indices_rank_the_skatteunderlag_first(setup):
    _, params, unc = setup
    res = sobol(params, unc, 256, seed=1, n_resamples=50)
    s1 = res["forsta_ordningen"].sel(year=2026)
    assert s1.idxmax().item() == "skatteunderlag"
    total = res["total"].values
    assert np.nanmin(total) > -0.1 and np.nanmax(total) < 1.1
    assert (res["total_lag"] <= res["total_hog"] + 1e-12).where(~np.isnan(res["total_lag"]), True).all()
    # The interest rate does nothing while the region has no loans.
    assert abs(float(res["total"].sel(osakerhet="ranta", year=2026))) < 0.01


def test_unknown_file_type_is_bad_input(tmp_path):
    problems = Problems()
    base, _ = load_sets(None, [], Problems())
    p = tmp_path / "x.yaml"
    p.write_text("typ: svep\n", encoding="utf-8")
    read_uncertainties(p, base, problems)
    with pytest.raises(InputError, match="typ"):
        problems.raise_if_errors()


def test_sobol_confidence_intervals_reproducible_and_seed_recorded(setup):
    _, params, unc = setup
    a = sobol(params, unc, 64, seed=7, n_resamples=30)
    b = sobol(params, unc, 64, seed=7, n_resamples=30)
    c = sobol(params, unc, 64, seed=8, n_resamples=30)
    for var in ("forsta_ordningen_lag", "forsta_ordningen_hog", "total_lag", "total_hog"):
        np.testing.assert_array_equal(a[var].values, b[var].values)
    assert not np.array_equal(np.nan_to_num(a["total_hog"].values), np.nan_to_num(c["total_hog"].values))
    assert a.attrs["seed"] == 7 and a.attrs["bootstrap_seed"] == 8
