"""The parameter Dataset seen as numpy arrays, scenario first and year last.

The model modules read their inputs through :class:`Inputs`: ``path`` for a value per year,
``scalar`` for one value per scenario, ``plan`` for a value per plan year, ``history`` for a
value per year before the base year. A value that is the
same for every scenario stays a broadcast view (no copy), which keeps sweeps fast.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


class Inputs:
    """Numpy views of the parameter Dataset, scenario first, year last."""

    def __init__(self, ds: xr.Dataset):
        self.ds = ds
        self.n_scen = ds.sizes.get("scenario", 1)
        self.years = ds["year"].values.astype(int)
        self.shape = (self.n_scen, len(self.years))
        self.n_plan = ds.sizes["plan_year"]
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, name: str) -> np.ndarray:
        # Read through the Variable (not a DataArray): this is called ~150 times per run and
        # its fixed cost dominates small chunks of a sweep.
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        var = self.ds.variables[name]
        dims = [d for d in ("scenario", "year", "plan_year", "hist_year") if d in var.dims]
        values = var.transpose(*dims).values if tuple(dims) != var.dims else var.values
        if "scenario" not in var.dims:
            values = values[None, ...] if values.ndim else np.full(1, values)
        values = values.astype(float) if values.dtype != bool else values
        self._cache[name] = values
        return values

    def scalar(self, name: str) -> np.ndarray:
        """One value per scenario, shape (scenario,)."""
        return np.broadcast_to(self(name), (self.n_scen,))

    def path(self, name: str) -> np.ndarray:
        """A value per year, shape (scenario, year)."""
        v = self(name)
        return np.broadcast_to(v if v.ndim == 2 else v.reshape(1, -1), self.shape)

    def history(self, name: str) -> np.ndarray:
        """A value per year before the base year (``hist_year``), shape (scenario, hist_year)."""
        return np.broadcast_to(self(name), (self.n_scen, self.ds.sizes["hist_year"]))

    def plan(self, name: str) -> np.ndarray:
        """A value per plan year, shape (scenario, plan_year)."""
        return np.broadcast_to(self(name), (self.n_scen, self.n_plan))
