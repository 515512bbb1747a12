"""Generella statsbidrag och utjämning, component by component (docs/modell.md, "Utjämning").

Each component of the kommunalekonomiska utjämningen (lag (2004:773)) and the other general
statsbidrag is projected by the method its assumption names: a given path, following the
skatteunderlag, kr per invånare, or the law's inkomstutjämning formula.
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.io.schema import UTJAMNING_METHODS
from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.skatteintakter import Skatteintakter
from flerarsprognos.model.statements import UTJAMNING_COMPONENTS
from flerarsprognos.model.years import cumprod


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


def project_utjamning(p: Inputs, rev: Skatteintakter) -> np.ndarray:
    """All components, stacked component first: (komponent, scenario, year), mnkr.

    Component first: each component is one contiguous block (cheap to stack and to sum).
    """
    def formula():  # the law's inkomstutjämning, computed only if a scenario uses it
        return inkomstutjamning(rev.skatteunderlag, rev.medelskattekraft, p.path("invanare"),
                                p.scalar("inkomstutjamning_garantiniva"), p.scalar("inkomstutjamning_skattesats"))

    return np.stack([
        utjamning_component(p.scalar(f"metod_{c}"), p.path(c), rev.su_growth, rev.population,
                            p.path("invanare"), formula)
        for c in UTJAMNING_COMPONENTS], axis=0)
