"""Målsökning: every goal × lever, verified by re-running the model; hand checks; bad names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from flerarsprognos.analysis.goalseek import GOALS, LEVERS, goalseek
from flerarsprognos.cli import app
from flerarsprognos.runner import run

runner = CliRunner()


@pytest.fixture(scope="module")
def two():
    return run(None, ["hogre_loner"])


@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("lever", LEVERS)
def test_goal_holds_with_equality_after_rerunning(two, goal, lever):
    res = goalseek(two.params, goal, lever)
    assert bool(res["verifierad"].all())
    assert float(np.abs(res["gap_efter"]).max()) <= 0.5
    # Independent check: run the engine again with the answer put into the parameters.
    from flerarsprognos.model.engine import project

    p = two.params.copy()
    key = "effektivisering" if lever == "effektivisering" else "skattesats"
    extra = res["atgard_ar"].values * (1.0 if lever == "effektivisering" else 1e-4)
    p[key] = (("scenario", "year"), np.broadcast_to(p[key].values, extra.shape) + extra)
    gap = project(p)["mal_gap_mnkr"].sel(mal=goal).values
    assert np.abs(gap).max() <= 0.5


def test_linear_goals_by_hand(two, base_result):
    # Nettokostnadsandel 2023: the gap is nk − 0,98 · (skatter + bidrag) = 80 mnkr, and an
    # effektivisering in 2023 lowers nk one for one.
    res = goalseek(two.params, "nettokostnadsandel", "effektivisering")
    gap = float(base_result["mal_gap_mnkr"].sel(mal="nettokostnadsandel", year=2023))
    assert float(res["atgard_ar"].sel(scenario="bas", year=2023)) == pytest.approx(gap, abs=1e-6)
    assert gap == pytest.approx(10825 - 0.98 * (7658 + 3306), abs=1.5)
    # Resultatmål via skattesats: (gap / ((1 − 2 %) · SU)) in öre.
    res = goalseek(two.params, "resultatmal", "skattesats")
    gap = float(base_result["mal_gap_mnkr"].sel(mal="resultatmal", year=2023))
    su = float(base_result["skatteunderlag"].sel(year=2023))
    assert float(res["atgard_ar"].sel(scenario="bas", year=2023)) == pytest.approx(gap / (0.98 * su) * 1e4, abs=1e-6)


def test_balanskrav_is_met_by_the_rur_in_the_plan_years(two):
    res = goalseek(two.params, "balanskrav", "effektivisering")
    # 2023–2024 the RUR covers the deficits: no effektivisering needed; 2025 has room (147).
    np.testing.assert_allclose(res["atgard_ar"].sel(scenario="bas", year=[2023, 2024]).values, 0.0, atol=1e-9)
    assert float(res["atgard_ar"].sel(scenario="bas", year=2025)) == pytest.approx(-147.0, abs=1.0)


@pytest.mark.parametrize("args,key", [
    (["--mal", "soliditet"], "--mal"),
    (["--styrmedel", "satsningar"], "--styrmedel"),
    (["--goal", "x", "--lever", "y"], "--styrmedel"),  # the old spellings still work
])
def test_unknown_goal_or_lever_exit_2_nothing_written(tmp_path, args, key):
    out = tmp_path / "ut"
    result = runner.invoke(app, ["goalseek", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert key in result.output or key in (result.stderr if hasattr(result, "stderr") else "")
    assert not out.exists()


def test_cli_writes_and_prints(tmp_path):
    out = tmp_path / "gs"
    result = runner.invoke(app, ["goalseek", "hogre_loner", "--mal", "resultatmal", "--styrmedel", "effektivisering",
                                 "--ut", str(out)])
    assert result.exit_code == 0, result.output
    assert "Målsökning – bas" in result.output and "Målsökning – hogre_loner" in result.output
    df = pd.read_csv(out / "malsokning.csv")
    assert set(df.scenario) == {"bas", "hogre_loner"} and df.verifierad.all()
