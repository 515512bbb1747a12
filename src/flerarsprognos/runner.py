"""Load, validate and run: the one path every command takes from files to a result.

Raises :class:`~flerarsprognos.problems.InputError` with every problem found before any
computation; returns warnings beside the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import xarray as xr

from flerarsprognos.io.assumptions import AssumptionSet
from flerarsprognos.io.params import build_params
from flerarsprognos.io.scenarios import Scenario, apply_scenarios
from flerarsprognos.io.scenarios import load_sets as _read_sets
from flerarsprognos.model.engine import project
from flerarsprognos.model.osakerhet import goal_margins
from flerarsprognos.problems import Problem, Problems


@dataclass
class Run:
    base: AssumptionSet
    sets: list[AssumptionSet]  # `bas` first, then one per scenario argument
    params: xr.Dataset
    result: xr.Dataset
    warnings: list[Problem] = field(default_factory=list)

    @property
    def scenario_files(self) -> list[str]:
        return [str(p) for s in self.sets for p in s.scenario_files]


def load_sets(assumptions: Path | None, scenario_args: list[str], problems: Problems,
              riket: Path | None = None) -> tuple[AssumptionSet, list[AssumptionSet]]:
    """``bas`` and one assumption set per scenario argument (see :func:`flerarsprognos.io.scenarios.load_sets`,
    which reads them without importing the model, for ``check``); ``riket`` is the national
    prognosunderlag to run on (default: the region's own, io/layers.py)."""
    return _read_sets(assumptions, scenario_args, problems, riket)


def run_sets(base: AssumptionSet, sets: list[AssumptionSet] | None = None,
             warnings: list[Problem] | None = None) -> Run:
    """Run assumption sets already in memory (``base`` alone if ``sets`` is omitted).

    ``base`` is the baseline the scenarios' shifts are measured against (the wage and price
    links of the skatteunderlag); ``sets`` are run side by side, one scenario each.
    """
    sets = list(sets) if sets else [base]
    params = build_params(sets, base)
    result = project(params)
    # goals met by less than a plausible error in the estimated inputs: "knappt uppfyllt"
    estimates = [(k, v.uncertainty) for k, v in base.values.items() if v.uncertainty and k in params]
    result = goal_margins(params, result, estimates, project)
    result.attrs["antaganden_hash"] = base.digest
    if "prognosunderlag_namn" in base.values:  # which national vintage the run stands on
        result.attrs["prognosunderlag"] = f"{base['prognosunderlag_namn']} ({base['prognosunderlag_datum']})"
    return Run(base=base, sets=sets, params=params, result=result, warnings=list(warnings or []))


def run_scenarios(base: AssumptionSet, scenarios: list[list[Scenario]], problems: Problems) -> Run:
    """Run ``base`` and, beside it, ``base`` with each list of scenarios applied (in memory).

    The way to run a change of assumptions that is not a file on disk (the outcome's macro
    figures in ``compare`` and ``rebase``): the changes go through the scenario machinery,
    with its checks; problems are raised together.
    """
    sets = [base] + [apply_scenarios(base, chain, problems) for chain in scenarios]
    problems.raise_if_errors()
    return run_sets(base, sets, problems.warnings)


def run(assumptions: Path | None = None, scenario_args: list[str] | None = None,
        riket: Path | None = None) -> Run:
    """Run ``bas`` and each scenario argument (a file, a shipped name, or ``a+b``); ``riket``
    is the national prognosunderlag to run on (default: the region's own, io/layers.py)."""
    problems = Problems()
    base, sets = load_sets(assumptions, list(scenario_args or []), problems, riket)
    return run_sets(base, sets, problems.warnings)
