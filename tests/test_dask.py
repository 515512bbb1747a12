"""The dask path gives the same numbers as the in-process path (cluster on 127.0.0.1)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from flerarsprognos.analysis import sweep as sw
from flerarsprognos.analysis.factors import baseline_params
from flerarsprognos.analysis.montecarlo import default_uncertainties_file, montecarlo, read_uncertainties
from flerarsprognos.cli import app
from flerarsprognos.paths import default_scenarios_dir
from flerarsprognos.problems import Problems
from flerarsprognos.runner import load_sets

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    from flerarsprognos.analysis.evaluate import close_client, dask_client

    c = dask_client()
    assert c.scheduler.address.startswith("tcp://127.0.0.1")
    yield c
    close_client(c)


SPEC = default_scenarios_dir() / "svep_inflation_lon.yaml"


def test_sweep_on_dask_equals_in_process(client):
    spec, _, _, params, exp, _ = sw.load_sweep(SPEC)
    local = sw.sweep(params, exp, spec, chunk=10)
    remote = sw.sweep(params, exp, spec, chunk=10, client=client)
    assert len(client.scheduler_info()["workers"]) == 2
    xr.testing.assert_identical(local, remote)


def test_montecarlo_on_dask_equals_in_process(client):
    base, _ = load_sets(None, [], Problems())
    problems = Problems()
    unc = read_uncertainties(default_uncertainties_file(), base, problems)
    params = baseline_params(base, base)
    a = montecarlo(params, unc, 500, seed=2)
    b = montecarlo(params, unc, 500, seed=2, client=client)
    assert np.array_equal(a["percentiler"].values, b["percentiler"].values)
    assert np.array_equal(a["sannolikhet"].values, b["sannolikhet"].values)


def test_cli_with_an_existing_scheduler(client, tmp_path):
    out = tmp_path / "d"
    result = CliRunner().invoke(app, ["sweep", str(SPEC), "--dask", "--schemalaggare", client.scheduler.address,
                                      "--block", "16", "--ut", str(out), "--tyst"])
    assert result.exit_code == 0, result.output
    remote = xr.open_dataset(out / "svep.nc", engine="h5netcdf").load()
    spec, _, _, params, exp, _ = sw.load_sweep(SPEC)
    local = sw.sweep(params, exp, spec)
    np.testing.assert_array_equal(remote["arets_resultat"].values, local["arets_resultat"].values)
