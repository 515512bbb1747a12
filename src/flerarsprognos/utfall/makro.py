"""The outcome's macro figures as a scenario: the plan re-run with the economy as it turned out.

An utfall file may carry macro rows (``skatteunderlag_forandring``, ``loneokning``, ``kpi``,
``prisbasbelopp_forandring`` … for a year, in procent). They become one in-memory
:class:`~flerarsprognos.io.scenarios.Scenario` whose changes are ``forskjutning`` per year
(so only the years the file gives move), applied by the same machinery and checks as a
scenario file, and run through :mod:`flerarsprognos.runner`.

An outcome skatteunderlag growth already contains the outcome wages and prices, and an outcome
prisbasbelopp the previous year's prices. The model moves the SU with a scenario's wage and
price shifts (:func:`flerarsprognos.model.skatteintakter.skatteunderlag_growth`) and the
prisbasbelopp with the previous year's price shift
(:func:`flerarsprognos.model.pension.prisbasbelopp_change`); for a year where the file gives
the SU growth or the prisbasbelopp, the scenario's change is reduced by exactly that link,
computed by the model's own function, so the figure lands on the outcome. Documented in
``docs/utfall.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flerarsprognos.io.assumptions import AssumptionSet
from flerarsprognos.io.scenarios import Scenario, apply_scenarios
from flerarsprognos.io.utfallsfil import OutcomeFile
from flerarsprognos.model.skatteintakter import skatteunderlag_growth
from flerarsprognos.problems import Problems

MACRO_NAME = "utfallets_makro"
SU_KEY = "skatteunderlag_forandring"
PBB_KEY = "prisbasbelopp_forandring"
MACRO_COLUMNS = ["nyckel", "ar", "plan", "utfall"]


def _outcome_paths(base: AssumptionSet, utfall: OutcomeFile) -> dict[str, np.ndarray]:
    """Each macro key's path with the file's years replaced by the outcome (canonical units)."""
    years = [int(y) for y in base.years]
    paths: dict[str, np.ndarray] = {}
    for (key, year), value in sorted(utfall.macro.items()):
        data = paths.setdefault(key, np.array(base.values[key].data, dtype=float))
        data[years.index(year)] = value
    return paths


def _su_link(base: AssumptionSet, paths: dict[str, np.ndarray]) -> np.ndarray:
    """What the model adds to the SU growth for the outcome's wage and price shifts."""
    lon_bas = np.asarray(base["loneokning"], dtype=float)
    kpi_bas = np.asarray(base["kpi"], dtype=float)
    return skatteunderlag_growth(0.0, paths.get("loneokning", lon_bas), lon_bas, paths.get("kpi", kpi_bas),
                                 kpi_bas, float(base["su_kanslighet_lon"]),
                                 float(base["su_kanslighet_kpi_foregaende"])).reshape(-1)


class _OneScenario:
    """The model's input interface (:class:`flerarsprognos.model.inputs.Inputs`) over plain
    paths of one scenario, so the model's own link functions can be called on them."""

    def __init__(self, paths: dict[str, np.ndarray], scalars: dict[str, float]):
        self._paths, self._scalars = paths, scalars

    def path(self, name: str) -> np.ndarray:
        return np.asarray(self._paths[name], dtype=float)[None, :]

    def scalar(self, name: str) -> np.ndarray:
        return np.atleast_1d(float(self._scalars[name]))


def _pbb_link(base: AssumptionSet, paths: dict[str, np.ndarray]) -> np.ndarray:
    """What the model adds to the prisbasbelopp's change for the outcome's price shifts
    (the year after, :func:`flerarsprognos.model.pension.prisbasbelopp_change`)."""
    from flerarsprognos.model.pension import prisbasbelopp_change

    kpi_bas = np.asarray(base["kpi"], dtype=float)
    shim = _OneScenario({"prisbasbelopp_forandring": np.zeros_like(kpi_bas), "kpi": paths.get("kpi", kpi_bas),
                         "kpi_bas": kpi_bas},
                        {"pbb_kanslighet_kpi_foregaende": float(base["pbb_kanslighet_kpi_foregaende"])})
    return np.asarray(prisbasbelopp_change(shim), dtype=float).reshape(-1)


def check_macro_years(base: AssumptionSet, utfall: OutcomeFile, problems: Problems) -> None:
    """An error (with its cell) for each macro figure outside the plan's horizon."""
    years = [int(y) for y in base.years]
    for (key, year) in sorted(utfall.macro):
        if year not in years:
            problems.error(str(utfall.path), utfall.macro_cells.get((key, year)),
                           f"{key}: året ligger utanför planens horisont {years[0]}–{years[-1]}", year)


def macro_scenario(base: AssumptionSet, utfall: OutcomeFile, name: str = MACRO_NAME,
                   extra: dict[str, dict] | None = None) -> tuple[Scenario, pd.DataFrame]:
    """The scenario that sets the outcome's macro figures; and the figures replaced (percent).

    ``extra`` adds further changes in scenario-file form (``rebase`` leaves out policy dated
    after the outcome year this way). Call :func:`check_macro_years` first.
    """
    years = [int(y) for y in base.years]
    paths = _outcome_paths(base, utfall)
    links = {SU_KEY: _su_link(base, paths) if SU_KEY in paths else None,
             PBB_KEY: _pbb_link(base, paths) if PBB_KEY in paths and "pbb_kanslighet_kpi_foregaende" in base.values
             else None}
    changes: dict[str, dict] = {}
    rows = []
    for (key, year), value in sorted(utfall.macro.items()):
        i = years.index(year)
        planned = float(base.values[key].data[i])
        rows.append({"nyckel": key, "ar": year, "plan": 100 * planned, "utfall": 100 * value})
        link = links.get(key)
        target = value - (float(link[i]) if link is not None else 0.0)
        shifts = changes.setdefault(key, {"enhet": "procent", "forskjutning": {}})["forskjutning"]
        shifts[year] = 100 * (target - planned)
    changes.update(extra or {})
    scen = Scenario(name=name, path=utfall.path, title=f"Planen med makroutfallet i {utfall.path.name}",
                    description="Utfallsfilens makrorader som scenario", baseline="bas",
                    source=utfall.source or utfall.path.name, changes=changes)
    return scen, pd.DataFrame(rows, columns=MACRO_COLUMNS)


def with_outcome_macro(base: AssumptionSet, utfall: OutcomeFile) -> tuple[AssumptionSet, pd.DataFrame]:
    """``base`` with the outcome's macro scenario applied; and the figures replaced."""
    problems = Problems()
    check_macro_years(base, utfall, problems)
    problems.raise_if_errors()
    scen, rows = macro_scenario(base, utfall)
    aset = apply_scenarios(base, [scen], problems)
    problems.raise_if_errors()
    return aset, rows

