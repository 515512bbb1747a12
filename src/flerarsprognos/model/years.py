"""Cumulative products and sums (and a one-year lag) along the year axis, fast for many scenarios.

``np.cumprod(x, axis=-1)`` on a (scenario, year) array runs a six-element loop once per
scenario; stepping over the few years with whole-column operations is several times
faster and gives the same numbers (the same multiplications in the same order). A path
that is the same for every scenario (a broadcast view) is computed once.
"""

from __future__ import annotations

import numpy as np


def compact(x) -> np.ndarray:
    """One row for a value that is the same for every scenario (a broadcast view), so the
    arithmetic on it is done once; varied values are returned as they are."""
    x = np.asarray(x)
    return x[:1] if x.ndim >= 1 and x.shape[0] > 1 and x.strides[0] == 0 else x


def _cumulative(x, op) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim >= 2 and x.shape[0] > 1 and x.strides[0] == 0:
        return np.broadcast_to(_cumulative(x[:1], op), x.shape)
    out = np.empty(x.shape, dtype=np.result_type(x, float))
    if x.shape[-1] == 0:
        return out
    out[..., 0] = x[..., 0]
    for i in range(1, x.shape[-1]):
        op(out[..., i - 1], x[..., i], out=out[..., i])
    return out


def lagged(x: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """x shifted one year later along the last axis; the first year gets ``fill``."""
    out = np.empty_like(x)
    out[..., 0] = fill
    out[..., 1:] = x[..., :-1]
    return out


def cumprod(x) -> np.ndarray:
    """Cumulative product over the last (year) axis."""
    return _cumulative(x, np.multiply)


def cumsum(x) -> np.ndarray:
    """Cumulative sum over the last (year) axis."""
    return _cumulative(x, np.add)
