"""Factors: what an experiment varies, and how a table of factor values becomes parameters.

A :class:`Factor` is one dimension of an experiment (a sweep axis, a design variable, an
uncertainty or a lever). It moves one or more assumption keys, by the same amount, in one
of three ways:

- ``forskjutning``: added to the value (rates in procentenheter when the unit is procent),
- ``relativ``: the value times (1 + x) (``+1 %`` of the skatteunderlag),
- ``niva``: the value replaced by x.

A factor's value per scenario is either one number (a level change over the chosen years)
or a whole path (one number per year), so a table of factor values is a mapping
``factor name -> array (scenario,)`` or ``(scenario, year)``. :func:`vary` gives only the
moved keys a ``scenario`` dimension; every other parameter stays broadcast, which keeps a
sweep of a million scenarios small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from flerarsprognos.io.assumptions import (
    AssumptionSet,
    expected_units,
    file_unit_ok,
    suggest,
    to_canonical,
)
from flerarsprognos.problems import Problems
from flerarsprognos.io.schema import SPECS

MODES = ("forskjutning", "relativ", "niva")


@dataclass(frozen=True)
class Factor:
    """One varied quantity; ``unit`` is the unit its values are written in (file unit)."""

    name: str
    keys: tuple[str, ...]
    mode: str = "forskjutning"
    unit: str = "procent"
    years: tuple[int, ...] | None = None  # None: every year of the horizon
    label: str = ""

    def canonical(self, x):
        """File-unit values → the model's units (procent → fraction; relativ always a fraction)."""
        x = np.asarray(x, dtype=float)
        return x / 100.0 if self.unit == "procent" else x

    def shown(self, x):
        x = np.asarray(x, dtype=float)
        return x * 100.0 if self.unit == "procent" else x


@dataclass
class Experiment:
    """Factors and their values, one row per scenario (canonical units)."""

    factors: list[Factor]
    table: dict[str, np.ndarray]  # factor name -> (S,) or (S, Y)
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # shown in the experiment table only

    @property
    def n(self) -> int:
        return len(next(iter(self.table.values()))) if self.table else 1

    def rows(self, start: int, stop: int) -> Experiment:
        return Experiment(self.factors, {k: v[start:stop] for k, v in self.table.items()})


def baseline_params(aset: AssumptionSet, base: AssumptionSet) -> xr.Dataset:
    """The parameter Dataset of one assumption set, without a scenario dimension."""
    from flerarsprognos.io.params import build_params

    return build_params([aset], base).isel(scenario=0, drop=True)


def check_factor(factor: Factor, aset: AssumptionSet, file: str, where: str, problems: Problems) -> bool:
    """Keys exist, are numeric, and the factor's unit suits each key; years lie on the horizon."""
    ok = True
    if factor.mode not in MODES:
        problems.error(file, f"{where}.andring", f"'{factor.mode}' (välj {', '.join(MODES)})")
        ok = False
    if not factor.keys:
        problems.error(file, f"{where}.nycklar", "inga nycklar angivna")
        return False
    for key in factor.keys:
        if key not in SPECS:
            problems.error(file, f"{where}.nycklar", f"'{key}' finns inte bland antagandena.{suggest(key)}")
            ok = False
            continue
        spec = SPECS[key]
        if spec.unit in ("text", "ar"):
            problems.error(file, f"{where}.nycklar", f"'{key}' ({spec.label}) kan inte varieras i ett svep")
            ok = False
            continue
        method = aset.values[key].method
        if factor.mode == "relativ":
            if factor.unit != "procent":
                problems.error(file, f"{where}.enhet", f"en relativ ändring anges i procent, inte '{factor.unit}'")
                ok = False
        elif not file_unit_ok(spec, factor.unit, method):
            problems.error(file, f"{where}.enhet", f"enheten '{factor.unit}' passar inte '{key}' "
                                                   f"(ska vara {expected_units(spec, method)})")
            ok = False
    if factor.years is not None:
        years = [int(y) for y in aset.years]
        bad = [y for y in factor.years if y not in years]
        if bad:
            problems.error(file, f"{where}.ar", f"år utanför prognoshorisonten {years[0]}–{years[-1]}: "
                                                f"{', '.join(map(str, bad))}")
            ok = False
        if not factor.years:
            problems.error(file, f"{where}.ar", "listan med år är tom")
            ok = False
    return ok


def check_bounds(factors: list[Factor], lo: dict[str, np.ndarray], hi: dict[str, np.ndarray],
                 base: xr.Dataset, file: str, where: dict[str, str], problems: Problems) -> None:
    """Report keys whose varied values leave the schema's possible range (at the extremes)."""
    from flerarsprognos.io.assumptions import from_canonical

    for name in ("lo", "hi"):
        table = lo if name == "lo" else hi
        exp = Experiment(factors, {k: np.asarray(v, dtype=float)[None, ...] for k, v in table.items()})
        params = vary(base, exp)
        for f in factors:
            for key in f.keys:
                spec = SPECS.get(key)
                if spec is None:
                    continue
                values = np.asarray(params[key].values, dtype=float)
                values = values[~np.isnan(values)]
                elo, ehi = spec.error
                bad = [x for x in values if (elo is not None and x < elo) or (ehi is not None and x > ehi)]
                if bad:
                    x = bad[0]
                    unit = "procent" if spec.unit == "rate" else spec.unit
                    problems.error(file, where.get(f.name, f.name),
                                   f"'{key}' blir {from_canonical(x, unit):g} {unit}, utanför det möjliga "
                                   f"intervallet [{'−∞' if elo is None else f'{from_canonical(elo, unit):g}'}, "
                                   f"{'∞' if ehi is None else f'{from_canonical(ehi, unit):g}'}]")
                    return


def _year_mask(coord: np.ndarray, years: tuple[int, ...] | None) -> np.ndarray:
    if years is None:
        return np.ones(len(coord), dtype=bool)
    return np.isin(coord.astype(int), np.asarray(years, dtype=int))


def vary(base: xr.Dataset, experiment: Experiment) -> xr.Dataset:
    """``base`` with the experiment's keys given a ``scenario`` dimension of length n.

    Keys moved by several factors take them in the order the factors are listed.
    """
    n = experiment.n
    moved: dict[str, np.ndarray] = {}
    dims: dict[str, tuple[str, ...]] = {}
    year_coord = base["year"].values
    for f in experiment.factors:
        x = np.asarray(experiment.table[f.name], dtype=float)
        for key in f.keys:
            da = base[key]
            if key not in moved:
                moved[key] = np.array(np.broadcast_to(da.values.astype(float), (n,) + da.shape))
                dims[key] = ("scenario",) + da.dims
            arr = moved[key]
            if da.ndim == 0:
                # A key without years: a path factor gives its first varied year's value.
                xs = x if x.ndim == 1 else x[:, _year_mask(year_coord, f.years).argmax()]
                arr[:] = _combine(arr, xs, f.mode)
                continue
            coord = da[da.dims[0]].values
            mask = _year_mask(coord, f.years)
            if x.ndim == 1:
                xs = x[:, None]
            else:
                # A path over the horizon; plan-year keys take the plan years' part.
                xs = x[:, : len(coord)][:, mask]
            arr[:, mask] = _combine(arr[:, mask], xs, f.mode)
    # One assign for all moved keys: its fixed cost counts once per chunk of a sweep.
    return base.assign({key: (dims[key], arr) for key, arr in moved.items()}).assign_coords(scenario=np.arange(n))


def _combine(current: np.ndarray, x: np.ndarray, mode: str) -> np.ndarray:
    if mode == "forskjutning":
        new = np.where(np.isnan(current), 0.0, current) + x
    elif mode == "relativ":
        new = current * (1.0 + x)
    else:
        new = np.broadcast_to(x, current.shape)
    # A path that does not give a year (NaN) leaves that year as it was.
    return np.where(np.isnan(x), current, new) if np.isnan(x).any() else new


__all__ = ["Factor", "Experiment", "MODES", "baseline_params", "check_factor", "vary", "to_canonical"]
