"""Load, validate and run: the one path every command takes from files to a result.

Raises :class:`~flerarsprognos.problems.InputError` with every problem found before any
computation; returns warnings beside the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import xarray as xr

from flerarsprognos.io.assumptions import AssumptionSet, load_assumptions
from flerarsprognos.io.scenarios import apply_scenarios, read_scenario_arg
from flerarsprognos.model.engine import project
from flerarsprognos.model.osakerhet import goal_margins
from flerarsprognos.io.params import build_params
from flerarsprognos.paths import default_assumptions_dir, resolve_scenario
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
    base = load_assumptions(assumptions or default_assumptions_dir(), problems, riket=riket)
    sets = [base]
    names = {"bas"}
    for arg in scenario_args:
        scenarios = read_scenario_arg(resolve_scenario(arg), problems)
        if not scenarios:
            continue
        aset = apply_scenarios(base, scenarios, problems)
        if aset.name in names:
            problems.error(arg, None, f"scenariot '{aset.name}' finns redan i körningen")
            continue
        names.add(aset.name)
        sets.append(aset)
    problems.raise_if_errors()
    return base, sets


def run(assumptions: Path | None = None, scenario_args: list[str] | None = None,
        riket: Path | None = None) -> Run:
    """Run ``bas`` and each scenario argument (a file, a shipped name, or ``a+b``); ``riket``
    is the national prognosunderlag to run on (default: the region's own, io/layers.py)."""
    problems = Problems()
    base, sets = load_sets(assumptions, list(scenario_args or []), problems, riket)
    params = build_params(sets, base)
    result = project(params)
    # goals met by less than a plausible error in the estimated inputs: "knappt uppfyllt"
    estimates = [(k, v.uncertainty) for k, v in base.values.items() if v.uncertainty and k in params]
    result = goal_margins(params, result, estimates, project)
    result.attrs["antaganden_hash"] = base.digest
    if "prognosunderlag_namn" in base.values:  # which national vintage the run stands on
        result.attrs["prognosunderlag"] = f"{base['prognosunderlag_namn']} ({base['prognosunderlag_datum']})"
    return Run(base=base, sets=sets, params=params, result=result, warnings=problems.warnings)
