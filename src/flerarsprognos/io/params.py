"""From validated assumption sets to the model's parameter Dataset (scenario × year)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from flerarsprognos.io.assumptions import AssumptionSet
from flerarsprognos.io.schema import SPECS, UTJAMNING_METHODS, history_years
from flerarsprognos.model.statements import UTJAMNING_COMPONENTS


def _variables(aset: AssumptionSet) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
    n_plan = aset.planslut - aset.basar + 1
    out: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for key, value in aset.values.items():
        spec = value.spec
        if spec.unit == "text":
            continue
        if spec.coverage == "skalar":
            out[key] = ((), np.asarray(float(value.data)))
        elif spec.coverage == "plan":
            out[key] = (("plan_year",), np.asarray(value.data[:n_plan], dtype=float))
        elif spec.history:
            out[key] = (("hist_year",), np.asarray(value.data, dtype=float))
        else:
            out[key] = (("year",), np.asarray(value.data, dtype=float))
    for comp in UTJAMNING_COMPONENTS:
        out[f"metod_{comp}"] = ((), np.asarray(UTJAMNING_METHODS.index(aset.values[comp].method)))
    out["rur_anvandning_alltid"] = ((), np.asarray(aset["rur_anvandning_villkor"] == "alltid"))
    return out


def build_params(sets: list[AssumptionSet], base: AssumptionSet) -> xr.Dataset:
    """Stack assumption sets along ``scenario``; add the baseline's wage and price paths.

    The baseline (``*_bas``) paths are what a scenario's shift is measured against where
    the model links a wage or price shift to the skatteunderlag.
    """
    first = sets[0]
    per_set = [_variables(s) for s in sets]
    data_vars = {}
    for key, (dims, _) in per_set[0].items():
        data_vars[key] = (("scenario",) + dims, np.stack([v[key][1] for v in per_set]))
    ds = xr.Dataset(
        data_vars,
        coords={
            "scenario": [s.name for s in sets],
            "year": first.years,
            "plan_year": first.years[: first.planslut - first.basar + 1],
            "hist_year": history_years(first.basar),
        },
    )
    ds["loneokning_bas"] = ("year", np.asarray(base["loneokning"], dtype=float))
    ds["kpi_bas"] = ("year", np.asarray(base["kpi"], dtype=float))
    ds["skatteunderlag_forandring_bas"] = ("year", np.asarray(base["skatteunderlag_forandring"], dtype=float))
    ds.attrs["assumption_digest"] = base.digest
    if first.kategorier:  # the region's investment categories and their balansräkning posts
        ds.attrs["investeringskategorier"] = ";".join(f"{c.id}:{c.balanspost}" for c in first.kategorier)
    return ds


__all__ = ["build_params", "SPECS"]
