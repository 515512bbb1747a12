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
    inv_nov = _invanare_nov(p)
    return inkomstutjamning(lag_two(rev.skatteunderlag_fore, rev.skatteunderlag),
                            lag_two(rev.medelskattekraft_fore, np.broadcast_to(rev.medelskattekraft, p.shape)),
                            inv_nov, rev.upprakning, p.scalar("inkomstutjamning_garantiniva"),
                            p.scalar("inkomstutjamning_skattesats"))


def utjamning_component(method_code, values, su_growth, pop_factor, invanare, computed=None) -> np.ndarray:
    """One component by its method (``UTJAMNING_METHODS``): `fast` (the given path),
    `folj_skatteunderlag` (the base-year amount grown with the national SU growth times the
    population share), `per_invanare` (kr per invånare × invånare), or a method whose amounts
    the caller computes (``computed``: method name → a function giving the amounts; called
    only if a scenario uses it): `inkomstutjamning`, `anslag`, `folj_kostnadsniva`.
    """
    values = np.asarray(values, dtype=float)
    shape = np.broadcast_shapes(values.shape, su_growth.shape, pop_factor.shape)
    code = np.asarray(method_code)[..., None]

    def follow():
        growth = np.broadcast_to((1.0 + su_growth) * pop_factor, shape).copy()
        growth[..., 0] = 1.0
        return np.broadcast_to(values, shape)[..., :1] * cumprod(growth)

    makers = {"fast": lambda: np.array(np.broadcast_to(values, shape)), "folj_skatteunderlag": follow,
              "per_invanare": lambda: np.array(np.broadcast_to(values * invanare / 1e6, shape))}
    for name, fn in (computed or {}).items():
        makers[name] = lambda fn=fn: np.array(np.broadcast_to(fn(), shape))
    used = [UTJAMNING_METHODS[int(c)] for c in np.unique(code)]
    if len(used) == 1:  # one method for every scenario (the usual case): compute only that one
        return makers[used[0]]() if used[0] in makers else np.zeros(shape)
    out = np.zeros(shape)
    for name in used:
        if name in makers:
            out = np.where(code == UTJAMNING_METHODS.index(name), makers[name](), out)
    return out


def inkomstutjamning_riket(p: Inputs, rev: Skatteintakter) -> np.ndarray:
    """The national net inkomstutjämning (mnkr): ``inkomstutjamning_riket`` in the base year,
    then growing with the national uppräknade skatteunderlag of income year t−2
    (medelskattekraft × invånare × uppräkning), as the guarantee does."""
    mk_t2 = lag_two(rev.medelskattekraft_fore, np.broadcast_to(rev.medelskattekraft, p.shape))
    base = mk_t2 * rev.upprakning * _riket_nov(p)
    return p.scalar("inkomstutjamning_riket")[:, None] * base / base[:, :1]


def regleringsbidrag_by_anslag(p: Inputs, rev: Skatteintakter, given: np.ndarray) -> np.ndarray:
    """Lag (2004:773) 15–16 §§: the regleringsbidrag (avgift if negative) is the same amount per
    invånare for every region: the state's anslag for the regions' utjämning less the net of
    the inkomstutjämning (and the other state-financed parts; the kostnadsutjämning nets to
    zero), divided by the invånare in the country on 1 November t−1.

    The plan years keep the plan's amounts. The anslag is the one implied by the plan's last
    year (the same kr per invånare everywhere: post × invånare in riket + the national
    inkomstutjämning) plus the decided changes ``utjamning_anslag_forandring`` after it. With an
    unchanged nominal anslag the regleringsbidrag falls as the inkomstutjämning grows.
    """
    n_nov, inv_nov, k = _riket_nov(p), _invanare_nov(p), p.n_plan - 1
    ink = inkomstutjamning_riket(p, rev)
    post_k = np.broadcast_to(given, p.shape)[:, k:k + 1] * 1e6 / inv_nov[:, k:k + 1]  # kr per invånare
    changes = np.array(np.broadcast_to(p.path("utjamning_anslag_forandring"), p.shape))
    changes[:, :k + 1] = 0.0
    anslag = post_k * n_nov[:, k:k + 1] / 1e6 + ink[:, k:k + 1] + np.cumsum(changes, axis=-1)
    post = (anslag - ink) * 1e6 / n_nov
    out = np.array(np.broadcast_to(given, p.shape), dtype=float)
    out[:, k + 1:] = (post * inv_nov / 1e6)[:, k + 1:]
    return out


def follow_cost_level(p: Inputs, given: np.ndarray) -> np.ndarray:
    """The plan years keep the plan's amounts; after them the amount grows with the sector's cost level (w · löneökning + (1 − w) ·
    KPI, the economy's wages) and the region's invånare — as the kostnadsutjämning's standard
    costs are index-adjusted and the läkemedelsbidrag follows the cost of the förmån."""
    from flerarsprognos.model.nettokostnader import cost_index_growth

    growth = cost_index_growth(p.path("loneokning"), p.path("kpi"), p.scalar("personalkostnadsandel"))
    inv = p.path("invanare")
    inv_prev = np.concatenate([p.scalar("invanare_ingaende")[:, None] * np.ones((p.n_scen, 1)), inv[:, :-1]], axis=-1)
    out = np.array(np.broadcast_to(given, p.shape), dtype=float)
    k = p.n_plan - 1  # the plan's last year: its amount grows from there
    out[:, k + 1:] = out[:, k:k + 1] * cumprod(((1.0 + growth) * inv / inv_prev)[:, k + 1:])
    return out


def _invanare_nov(p: Inputs) -> np.ndarray:
    """The region's invånare on 1 November t−1: the year before's count."""
    inv = p.path("invanare")
    return np.concatenate([np.broadcast_to(p.scalar("invanare_ingaende")[:, None], (p.n_scen, 1)), inv[:, :-1]], axis=-1)


def _riket_nov(p: Inputs) -> np.ndarray:
    """The country's invånare on 1 November t−1, from ``invanare_riket_ingaende``."""
    n = p.scalar("invanare_riket_ingaende")[:, None] * cumprod(1.0 + p.path("befolkning_riket_forandring"))
    return np.concatenate([p.scalar("invanare_riket_ingaende")[:, None] * np.ones((p.n_scen, 1)), n[:, :-1]], axis=-1)


def project_utjamning(p: Inputs, rev: Skatteintakter) -> np.ndarray:
    """All components, stacked component first: (komponent, scenario, year), mnkr.

    Component first: each component is one contiguous block (cheap to stack and to sum).
    """
    def component(c):
        given = p.path(c)
        computed = {"inkomstutjamning": lambda: inkomstutjamning_by_law(p, rev),
                    "anslag": lambda: regleringsbidrag_by_anslag(p, rev, given),
                    "folj_kostnadsniva": lambda: follow_cost_level(p, given)}
        return utjamning_component(p.scalar(f"metod_{c}"), given, rev.su_growth, rev.population,
                                   p.path("invanare"), computed)

    return np.stack([component(c) for c in UTJAMNING_COMPONENTS], axis=0)
