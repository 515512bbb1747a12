"""Goals that hold only on estimates: the margin a plausible error in the estimated inputs
could take away, and "knappt uppfyllt" (docs/modell.md, "Uppskattade antaganden").

An assumption marked as an estimate carries a plausible error (``osakerhet`` in its file).
For each such input the projection is run with the input moved up and down by that error (all
scenarios and both moves in one vectorised call); the effect on each goal's gap (mnkr) is the
larger of the two moves, and the margin is the root of the sum of the squared effects (the
errors taken as independent). A goal that is met, but by less than this margin, is
*knappt uppfyllt*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr


def perturbed(params: xr.Dataset, estimates: Sequence[tuple[str, float]]) -> xr.Dataset:
    """The parameter Dataset repeated: for each estimate (key, error) a copy with the key
    raised by the error and one with it lowered, stacked along ``scenario`` (estimate-major).
    A value per year is moved only after the decided plan (the plan years are decided)."""
    after_plan = params["year"] > params["plan_year"].values[-1]
    copies = []
    for key, error in estimates:
        for sign in (1.0, -1.0):
            ds = params.copy()
            shift = sign * error * (after_plan if "year" in params[key].dims else 1.0)
            ds[key] = params[key] + shift
            copies.append(ds)
    return xr.concat(copies, dim="scenario", data_vars="all", coords="minimal", compat="override",
                     join="override")


def goal_margins(params: xr.Dataset, result: xr.Dataset, estimates: Sequence[tuple[str, float]],
                 project: Callable[[xr.Dataset], xr.Dataset]) -> xr.Dataset:
    """``result`` with ``mal_marginal_osakerhet`` (mnkr: the combined effect of the plausible
    errors on each goal's gap) and ``mal_knappt`` (1 where the goal is met by less than that
    margin, 0 where it is met with room or not met, NaN where it is not judged)."""
    gap = result["mal_gap_mnkr"]
    if not estimates:
        margin = xr.zeros_like(gap)
    else:
        n = result.sizes["scenario"]
        moved = project(perturbed(params, estimates))["mal_gap_mnkr"].values
        moved = moved.reshape((len(estimates), 2, n) + moved.shape[1:])
        diff = np.abs(moved - gap.values[None, None])
        effect = np.fmax(diff[:, 0], diff[:, 1])  # (estimate, scenario, year, mal); NaN where undefined
        margin = xr.DataArray(np.sqrt(np.nansum(effect ** 2, axis=0)), dims=gap.dims, coords=gap.coords)
    met = result["mal_uppfyllt"]
    knappt = xr.where(met == 1, (-gap < margin).astype(float), 0.0).where(~np.isnan(met))
    out = result.copy()
    out["mal_marginal_osakerhet"] = margin
    out["mal_knappt"] = knappt
    return out
