"""Generella statsbidrag och utjämning, component by component (docs/modell.md, "Utjämning").

Each component of the kommunalekonomiska utjämningen (lag (2004:773)) and the other general
statsbidrag is projected by the method its assumption names: a given path, following the
skatteunderlag, kr per invånare, or the law's inkomstutjämning formula.
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.io.schema import UTJAMNING_METHODS
from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.skatteintakter import Skatteintakter, lag_two
from flerarsprognos.model.statements import UTJAMNING_COMPONENTS
from flerarsprognos.model.years import cumprod


def inkomstutjamning(su_t2, medelskattekraft_t2, invanare_nov, uppraknad, garantiniva, skattesats) -> np.ndarray:
    """Lag (2004:773) 3–6 §§: the inkomstutjämningsbidrag (avgift if negative) for utjämningsår t.

    bidrag(t) = skattesats · U(t) · (garantinivå · MK(t−2) · invånare(1 nov t−1) − SU_r(t−2)), in
    mnkr: the tax bases of income year t−2 (Skatteverkets beslut om slutlig skatt året före
    utjämningsåret), MK the medelskattekraft of that income year, and U(t) = UF(t−1) · UF(t) the
    uppräkningsfaktorer fixed in the autumn of t−1. So the bidrag for year t is known before t:
    a shock to the region's own skatteunderlag in year t is equalised from t + 2, and a
    nationwide one moves the guarantee only then. (The law divides the uppräknade national
    base by the population of 1 November t−1; the model's medelskattekraft is per invånare of
    the income year — the difference, one year's population change, is absorbed by the
    calibration of ``medelskattekraft_ingaende``.)
    """
    garanti = np.asarray(garantiniva)[..., None] * medelskattekraft_t2 * invanare_nov / 1e6
    return np.asarray(skattesats)[..., None] * uppraknad * (garanti - su_t2)


def inkomstutjamning_by_law(p: Inputs, rev: Skatteintakter) -> np.ndarray:
    """:func:`inkomstutjamning` on the projection: the t−2 tax bases, the invånare of 1 November
    t−1 (the year before's count) and the uppräkning (:func:`~flerarsprognos.model.skatteintakter.upprakning`)."""
    inv = p.path("invanare")
    inv_nov = np.concatenate([np.broadcast_to(p.scalar("invanare_ingaende")[:, None], (p.n_scen, 1)), inv[:, :-1]], axis=-1)
    return inkomstutjamning(lag_two(rev.skatteunderlag_fore, rev.skatteunderlag),
                            lag_two(rev.medelskattekraft_fore, np.broadcast_to(rev.medelskattekraft, p.shape)),
                            inv_nov, rev.upprakning, p.scalar("inkomstutjamning_garantiniva"),
                            p.scalar("inkomstutjamning_skattesats"))


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
        return inkomstutjamning_by_law(p, rev)

    return np.stack([
        utjamning_component(p.scalar(f"metod_{c}"), p.path(c), rev.su_growth, rev.population,
                            p.path("invanare"), formula)
        for c in UTJAMNING_COMPONENTS], axis=0)
