"""Skatteintäkter: the region's skatteunderlag and the tax it yields (docs/modell.md, "Skatteintäkter").

The national skatteunderlag growth, moved by a scenario's wage and price shifts, drives the
region's skatteunderlag (with its population share) and the medelskattekraft that the
inkomstutjämning (:mod:`flerarsprognos.model.utjamning`) is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.years import cumprod, lagged


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


def lag_two(before: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x(t−2) for every year of the horizon: the two years ``before`` (scenario, 2), then x."""
    before = np.broadcast_to(before, x.shape[:-1] + (2,))
    return np.concatenate([before, x[..., :-2]], axis=-1)


def upprakning(p: Inputs, growth_before_base: np.ndarray) -> np.ndarray:
    """U(t) = UF(t−1) · UF(t), the uppräkningsfaktorer of lag (1965:269) 4 § for year t (used for
    the preliminär skatt and the inkomstutjämning): the given ``upprakning_inkomstutjamning``
    (the förordning's factors) where there is one, else the baseline's national SU growth of t−1 and t — what
    was known when they were fixed, so a scenario's surprise in year t does not move them."""
    g_bas = np.broadcast_to(p.path("skatteunderlag_forandring_bas"), p.shape)
    g_prev = np.concatenate([growth_before_base[:, None], g_bas[:, :-1]], axis=-1)
    u = (1.0 + g_prev) * (1.0 + g_bas)
    given = p.path("upprakning_inkomstutjamning")
    return u if np.isnan(given).all() else np.where(np.isnan(given), u, 1.0 + given)


def skatteintakter_delar(su, su_fore, skattesats, upprakning_t, december_andel, korrigering_given):
    """The skatteintäkter of year t in their three parts (RKR R2 Intäkter; RKR 4.2):

    - preliminär skatteinbetalning: SU_r(t−2) · UF(t−1)·UF(t) · skattesats(t), paid during t;
    - slutavräkning for t, booked in t from SKR's December forecast: the forecast catches the
      share ``december_andel`` of the difference between the final tax, SU_r(t) · skattesats(t),
      and the preliminary one;
    - korrigering of t−1's slutavräkning, booked in t: the rest of t−1's difference, plus any
      given amount (``slutavrakning_korrigering``).

    Returns (preliminar, slutavrakning, korrigering, total); total = su · skattesats +
    korrigering_given when the December forecast is right (andel 1, the default).
    """
    preliminar = lag_two(su_fore, su) * upprakning_t * skattesats
    full = su * skattesats - preliminar  # the whole slutavräkning for income year t
    missed = (1.0 - np.asarray(december_andel)[..., None]) * full
    slutavrakning = full - missed
    korrigering = lagged(missed) + korrigering_given
    total = su * skattesats + korrigering_given
    if missed.any():
        total = total - missed + lagged(missed)
    return preliminar, slutavrakning, korrigering, total




def medelskattekraft(ingaende, su_growth, befolkning_riket_forandring) -> np.ndarray:
    """The national SU per invånare (kr): grows with the national SU over the population."""
    return np.asarray(ingaende)[..., None] * cumprod((1.0 + su_growth) / (1.0 + befolkning_riket_forandring))




def before_base(history: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """The last year of a history series (the year before the base year), or ``fallback``
    where it is not given; shape (scenario,)."""
    last = np.asarray(history)[..., -1]
    return np.where(np.isnan(last), fallback, last)


@dataclass
class Skatteintakter:
    su_growth: np.ndarray  # national SU growth incl. the scenario's wage and price links
    population: np.ndarray  # (1 + regional population growth) / (1 + national)
    skatteunderlag: np.ndarray  # the region's SU, mnkr
    medelskattekraft: np.ndarray  # national SU per invånare, kr
    skatteintakter: np.ndarray  # the resultaträkning line, mnkr
    # The two income years before the base year (t−2 for the first two utjämningsår), derived
    # back from the opening values with the national growth of the year before the base year.
    skatteunderlag_fore: np.ndarray  # (scenario, 2): SU_r of basår−2 and basår−1
    medelskattekraft_fore: np.ndarray  # (scenario, 2)
    growth_before_base: np.ndarray  # (scenario,): national SU growth basår−1
    upprakning: np.ndarray  # U(t) = UF(t−1)·UF(t), fixed before t
    delar: np.ndarray  # (3, scenario, year): preliminär skatt, slutavräkning, korrigering


def project_skatteintakter(p: Inputs) -> Skatteintakter:
    """The skatteunderlag, medelskattekraft and skatteintäkter of every scenario and year."""
    su_growth = skatteunderlag_growth(
        p.path("skatteunderlag_forandring"), p.path("loneokning"), p.path("loneokning_bas"),
        p.path("kpi"), p.path("kpi_bas"), p.scalar("su_kanslighet_lon"), p.scalar("su_kanslighet_kpi_foregaende"))
    pop = population_factor(p.path("invanare"), p.scalar("invanare_ingaende"), p.path("befolkning_riket_forandring"))
    # The region's own growth beyond the national (default 0): moves its SU, not the country's.
    own = p.path("skatteunderlag_regionen_utover")
    su = skatteunderlag(p.scalar("skatteunderlag_ingaende"), su_growth, pop * (1.0 + own) if own.any() else pop)

    mk = medelskattekraft(p.scalar("medelskattekraft_ingaende"), su_growth, p.path("befolkning_riket_forandring"))
    g_prev = before_base(p.history("skatteunderlag_historik"), p.path("skatteunderlag_forandring_bas")[:, 0])
    su_in, mk_in = p.scalar("skatteunderlag_ingaende"), p.scalar("medelskattekraft_ingaende")
    # Income year basår−2: the given figure, else the opening value one year back at the
    # national growth (the population change of that year left out).
    su_m2 = before_base(p.history("skatteunderlag_regionen_historik")[:, :-1], su_in / (1.0 + g_prev))
    mk_m2 = before_base(p.history("medelskattekraft_historik")[:, :-1], mk_in / (1.0 + g_prev))
    su_fore = np.stack([su_m2, su_in], axis=-1)
    mk_fore = np.stack([mk_m2, mk_in], axis=-1)
    u = upprakning(p, g_prev)
    prelim, slutavr, korr, skatt = skatteintakter_delar(
        su, su_fore, p.path("skattesats"), u, p.scalar("slutavrakning_december_andel"),
        p.path("slutavrakning_korrigering"))
    return Skatteintakter(su_growth, pop, su, mk, skatt, su_fore, mk_fore, g_prev, u,
                          np.stack([prelim, slutavr, korr], axis=0))
