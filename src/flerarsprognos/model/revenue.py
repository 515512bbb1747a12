"""Skatteintäkter and generella statsbidrag och utjämning (DOMAIN.md §3)."""

from __future__ import annotations

import numpy as np

from flerarsprognos.io.schema import UTJAMNING_METHODS
from flerarsprognos.model.years import cumprod


def lagged(x: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """x shifted one year later along the last axis; the first year gets ``fill``."""
    out = np.empty_like(x)
    out[..., 0] = fill
    out[..., 1:] = x[..., :-1]
    return out


def skatteunderlag_growth(su_forandring, loneokning, loneokning_bas, kpi, kpi_bas,
                          k_lon, k_kpi_prev) -> np.ndarray:
    """National SU growth, moved by a scenario's wage and price shifts.

    A wage shift moves the lönesumma the same year; a price shift moves the pensions in the
    SU the year after (pensions are indexed on the previous year's prices). The coefficients
    are assumptions (regler.yaml), shifts are measured against the baseline assumption set.
    """
    k_lon = np.asarray(k_lon)[..., None]
    k_kpi_prev = np.asarray(k_kpi_prev)[..., None]
    return su_forandring + k_lon * (loneokning - loneokning_bas) + k_kpi_prev * lagged(kpi - kpi_bas)


def population_factor(invanare, invanare_ingaende, befolkning_riket_forandring) -> np.ndarray:
    """(1 + regional population growth) / (1 + national population growth), per year."""
    inv = np.asarray(invanare, dtype=float)
    prev = np.concatenate([np.broadcast_to(np.asarray(invanare_ingaende)[..., None],
                                           inv.shape[:-1] + (1,)), inv[..., :-1]], axis=-1)
    return (inv / prev) / (1.0 + befolkning_riket_forandring)


def skatteunderlag(su_ingaende, su_growth, pop_factor) -> np.ndarray:
    """SU_r(t) = SU_r(t−1) · (1 + g_SU(t)) · (1 + bef_r(t)) / (1 + bef_riket(t))."""
    return np.asarray(su_ingaende)[..., None] * cumprod((1.0 + su_growth) * pop_factor)


def skatteintakter(su, skattesats, slutavrakning_korrigering) -> np.ndarray:
    return su * skattesats + slutavrakning_korrigering


def medelskattekraft(ingaende, su_growth, befolkning_riket_forandring) -> np.ndarray:
    """The national SU per invånare (kr): grows with the national SU over the population."""
    return np.asarray(ingaende)[..., None] * cumprod((1.0 + su_growth) / (1.0 + befolkning_riket_forandring))


def inkomstutjamning(su, medelskattekraft, invanare, garantiniva, skattesats) -> np.ndarray:
    """Lag (2004:773) 3–5 §§: bidrag (or avgift, if negative) = skattesats ·
    (garantinivå · medelskattekraft · invånare − regionens skatteunderlag), in mnkr.

    A shock to the region's own skatteunderlag is mostly equalised; a nationwide one moves the
    medelskattekraft too and is equalised only in part.
    """
    garanti = np.asarray(garantiniva)[..., None] * medelskattekraft * invanare / 1e6
    return np.asarray(skattesats)[..., None] * (garanti - su)


def utjamning_component(method_code, values, su_growth, pop_factor, invanare, formula=None) -> np.ndarray:
    """One component by its method: `fast`, `folj_skatteunderlag`, `per_invanare` or
    `inkomstutjamning` (the law's formula, given as ``formula``).

    `folj_skatteunderlag` starts from the base-year amount and grows with the national SU
    growth times the population share, as the inkomstutjämning's guarantee follows the
    medelskattekraft.
    """
    values = np.asarray(values, dtype=float)
    shape = np.broadcast_shapes(values.shape, su_growth.shape, pop_factor.shape)
    code = np.asarray(method_code)[..., None]
    fast, folj, per_inv, formel = (UTJAMNING_METHODS.index(m) for m in
                                   ("fast", "folj_skatteunderlag", "per_invanare", "inkomstutjamning"))

    def by_formula():
        return np.array(np.broadcast_to(formula() if callable(formula) else np.zeros(shape), shape))

    def follow():
        growth = np.broadcast_to((1.0 + su_growth) * pop_factor, shape).copy()
        growth[..., 0] = 1.0
        return np.broadcast_to(values, shape)[..., :1] * cumprod(growth)

    def per_capita():
        return np.broadcast_to(values * invanare / 1e6, shape)

    first = code.flat[0] if code.size else fast
    if (code == first).all():
        # One method for every scenario (the usual case): compute only that one.
        if first == fast:
            return np.array(np.broadcast_to(values, shape))
        if first == folj:
            return follow()
        if first == per_inv:
            return np.array(per_capita())
        if first == formel:
            return by_formula()
        return np.zeros(shape)
    out = np.where(code == fast, np.broadcast_to(values, shape), 0.0)
    out = np.where(code == folj, follow(), out)
    out = np.where(code == per_inv, per_capita(), out)
    if (code == formel).any():
        out = np.where(code == formel, by_formula(), out)
    return out
