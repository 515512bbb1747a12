"""Pensions under the blandmodell with RIPS (docs/modell.md, "Pension").

Amounts are kept excluding särskild löneskatt and reported including it. A KPA prognosis
(values including löneskatt) overrides the computation year by year where it is given.
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.io.schema import KPA_FIELDS
from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.years import compact, cumprod, cumsum, lagged


def index_up(rips_ranta, prisbasbelopp_forandring) -> np.ndarray:
    """g(t) = (1 + r_RIPS)(1 + ΔPBB(t)) − 1."""
    return (1.0 + np.asarray(rips_ranta)[..., None]) * (1.0 + prisbasbelopp_forandring) - 1.0


def revaluation(rips_ranta, rips_ranta_forandring, duration, shape):
    """The RIPS rate per year and the one-off revaluation factor of a rate change.

    A change in the discount rate (``rips_ranta_forandring``, from the year it applies)
    revalues the whole liability at once: its value moves by ((1 + r_before)/(1 + r_after))^D − 1,
    D the liability's duration (years). A lower rate gives a higher liability: a finansiell
    kostnad in the year of the change (RKR R10; the RIPS decision in June applies to that
    year's closing liability). Later years' ränteuppräkning is at the new rate.
    Returns (rate (…, year), factor (…, year)); without a change the factor is None.
    """
    r0 = np.broadcast_to(np.asarray(rips_ranta, dtype=float)[..., None], shape)
    if rips_ranta_forandring is None or not np.any(rips_ranta_forandring):
        return r0[..., 0], None
    rate = r0 + cumsum(np.broadcast_to(rips_ranta_forandring, shape))
    before = np.concatenate([r0[..., :1], rate[..., :-1]], axis=-1)
    factor = ((1.0 + before) / (1.0 + rate)) ** np.asarray(duration, dtype=float)[..., None] - 1.0
    return rate, factor


def _none_given(kpa: np.ndarray) -> bool:
    """True if KPA gives no figure here; a row broadcast over scenarios is checked once."""
    x = np.asarray(kpa)
    while x.ndim and x.strides[0] == 0:
        x = x[0]
    return bool(np.isnan(x).all())


def _override(computed: np.ndarray, kpa: np.ndarray, tax: np.ndarray) -> np.ndarray:
    """Use KPA's figure (incl. löneskatt, converted to excl.) where it is given."""
    if _none_given(kpa):
        shape = np.broadcast_shapes(np.shape(computed), np.shape(kpa), np.shape(tax))
        if np.shape(computed) == shape:
            return np.asarray(computed, dtype=float)
    return np.where(np.isnan(kpa), computed, kpa / (1.0 + tax))


def _roll(g, reval, ny, utb_a, utb_af, kpa_of, tax, a_in, af_in, shape):
    """The avsättning, the ansvarsförbindelse and the finansiell kostnad year by year
    (excl. löneskatt), each overridden by KPA's figure where it is given."""
    kpa_fin, kpa_a, kpa_af = (kpa_of(k) for k in ("finansiell_kostnad", "avsattning_utgaende",
                                                   "ansvarsforbindelse_utgaende"))
    a, af, fin = np.empty(shape), np.empty(shape), np.empty(shape)
    a_prev = np.broadcast_to(np.asarray(a_in, dtype=float), shape[:-1])
    af_prev = np.broadcast_to(np.asarray(af_in, dtype=float), shape[:-1])
    for i in range(shape[-1]):
        up = g[..., i] if reval is None else g[..., i] + reval[..., i]
        fin[..., i] = _override(up * a_prev, kpa_fin[..., i], tax[..., 0])
        a[..., i] = _override(a_prev + fin[..., i] + ny[..., i] - utb_a[..., i], kpa_a[..., i], tax[..., 0])
        af[..., i] = _override(af_prev * (1 + up) - utb_af[..., i], kpa_af[..., i], tax[..., 0])
        a_prev, af_prev = a[..., i], af[..., i]
    return a, af, fin


def project_pension(*, loneskatt, rips_ranta, prisbasbelopp_forandring, loneokning,
                    pensionsavsattning_ingaende, ansvarsforbindelse_ingaende, nyintjanande_basar,
                    avgiftsbestamd_basar, utbetalningar_avsattning_basar,
                    utbetalningar_ansvarsforbindelse_basar, utbetalningar_avsattning_real_forandring,
                    utbetalningar_ansvarsforbindelse_real_forandring, kpa: dict[str, np.ndarray],
                    pensionsmedel_insattning, pensionsmedel_insattning_andel, shape,
                    planens_loneokning_basar=None, rips_ranta_forandring=None, duration=None,
                    lon_mot_ibb=None, ibb_elasticitet=None) -> dict[str, np.ndarray]:
    """Pension flows, avsättning, ansvarsförbindelse and the cost split, per year.

    The base-year flows (``*_basar``) are the amounts at the plan's pay level: the wage
    index is measured against ``planens_loneokning_basar`` (the plan's wage growth in the
    base year), so a wage shift in the base year already moves that year's pension.
    Without it the index starts at 1 in the base year. A change in the RIPS rate revalues the
    liability at once (:func:`revaluation`). The förmånsbestämd nyintjänande (on pay above
    7,5 inkomstbasbelopp) also grows with pay relative to the inkomstbasbelopp: × (``lon_mot_ibb``)
    ^ ``ibb_elasticitet``.
    """
    tax = np.asarray(loneskatt)[..., None]
    rate, reval = revaluation(rips_ranta, rips_ranta_forandring, duration, shape)
    rate = rate if reval is not None else np.asarray(rips_ranta)
    g = np.broadcast_to(index_up(rate, prisbasbelopp_forandring) if reval is None
                        else (1.0 + rate) * (1.0 + prisbasbelopp_forandring) - 1.0, shape)
    # Earned pension and premiums follow pay; payouts follow the prisbasbelopp plus a real trend.
    wage_index = cumprod(1 + np.broadcast_to(loneokning, shape))
    if planens_loneokning_basar is None:
        wage_index = wage_index / wage_index[..., :1]
    else:
        wage_index = wage_index / (1 + np.asarray(planens_loneokning_basar))[..., None]
    pbb = np.broadcast_to(prisbasbelopp_forandring, shape).copy()
    pbb[..., 0] = 0.0

    def payout_path(base, real):
        growth = (1 + pbb) * (1 + np.asarray(real)[..., None])
        growth[..., 0] = 1.0
        return np.asarray(base)[..., None] * cumprod(growth)

    def kpa_of(name):
        return np.broadcast_to(kpa[name], shape)

    ny_index = wage_index
    if lon_mot_ibb is not None and np.any(np.asarray(lon_mot_ibb) != 1.0):
        ny_index = wage_index * np.asarray(lon_mot_ibb) ** np.asarray(ibb_elasticitet)[..., None]
    ny = _override(np.asarray(nyintjanande_basar)[..., None] * ny_index, kpa_of("nyintjanande"), tax)
    avgift = _override(np.asarray(avgiftsbestamd_basar)[..., None] * wage_index, kpa_of("avgiftsbestamd"), tax)
    utb_a = _override(payout_path(utbetalningar_avsattning_basar, utbetalningar_avsattning_real_forandring),
                      kpa_of("utbetalningar_avsattning"), tax)
    utb_af = _override(payout_path(utbetalningar_ansvarsforbindelse_basar,
                                   utbetalningar_ansvarsforbindelse_real_forandring),
                       kpa_of("utbetalningar_ansvarsforbindelse"), tax)
    a, af, fin = _roll(g, reval, ny, utb_a, utb_af, kpa_of, tax, pensionsavsattning_ingaende,
                       ansvarsforbindelse_ingaende, shape)
    a_incl = a * (1 + tax)
    increase = a_incl - np.concatenate(
        [np.broadcast_to(np.asarray(pensionsavsattning_ingaende)[..., None] * (1 + tax), shape[:-1] + (1,)),
         a_incl[..., :-1]], axis=-1)
    by_rule = np.maximum(increase, 0.0) * np.asarray(pensionsmedel_insattning_andel)[..., None]
    insattning = np.where(np.isnan(np.broadcast_to(pensionsmedel_insattning, shape)), by_rule,
                          np.broadcast_to(pensionsmedel_insattning, shape))
    return {
        "pension_index_upp": g,
        "pension_nyintjanande": ny * (1 + tax),
        "pension_avgiftsbestamd": avgift * (1 + tax),
        "pension_utbetalningar_avsattning": utb_a * (1 + tax),
        "pension_utbetalningar_ansvarsforbindelse": utb_af * (1 + tax),
        "pensionskostnad_verksamhet": (avgift + ny + utb_af) * (1 + tax),
        "pensionskostnad_finansiell": fin * (1 + tax),
        "pensionsavsattning": a_incl,
        "ansvarsforbindelse": af * (1 + tax),
        "pensionsmedel_insattning": insattning,
    }


PENSION_SCALARS = (
    "loneskatt", "rips_ranta", "pensionsavsattning_ingaende", "ansvarsforbindelse_ingaende",
    "nyintjanande_basar", "avgiftsbestamd_basar", "utbetalningar_avsattning_basar",
    "utbetalningar_ansvarsforbindelse_basar", "utbetalningar_avsattning_real_forandring",
    "utbetalningar_ansvarsforbindelse_real_forandring", "pensionsmedel_insattning_andel")


def prisbasbelopp_change(p: Inputs) -> np.ndarray:
    """The prisbasbelopp's change per year: the path in the assumptions, moved by a scenario's
    price shift of the year before (socialförsäkringsbalken 2 kap. 6–7 §§: PBB for year t is
    set from KPI in June t−1 and fixed in the autumn of t−1). So a price shift in year t moves
    the pension index-up from t + 1; the base year's is fixed. The shift is measured against
    the baseline's KPI, times ``pbb_kanslighet_kpi_foregaende`` (1: June to June follows the
    year's KPI). A scenario that sets ``prisbasbelopp_forandring`` itself overrides the path."""
    path = p.path("prisbasbelopp_forandring")
    shift = p.path("kpi") - p.path("kpi_bas")
    if not shift.any():
        return path
    return path + p.scalar("pbb_kanslighet_kpi_foregaende")[:, None] * lagged(shift)


def pension_now_and_plan(p: Inputs, own_wages: np.ndarray, prisbasbelopp: np.ndarray) -> tuple[dict, dict]:
    """The pension projection under the scenario (with the prisbasbelopp path
    :func:`prisbasbelopp_change`), and under the decided plan's assumptions.

    The second is the pension cost the decided plan lines were built on: the same module
    under the plan's own wage and prisbasbelopp assumptions, without a KPA prognosis. In the
    plan years the lines carry the pension cost computed now instead (a new KPA prognosis or a
    higher prisbasbelopp moves verksamhetens kostnader too). Computed once when nothing it
    depends on varies between scenarios.
    """
    inputs = {k: p.scalar(k) for k in PENSION_SCALARS}
    planens_lon_basar = p.plan("planens_loneokning")[..., 0]
    # Pay relative to the inkomstbasbelopp: the IBB follows the inkomstindex, i.e. the
    # economy's wage growth; the region's own drift moves pay above the 7,5 IBB breakpoint.
    drift = p.path("loneokning_regionen_utover")
    lon_mot_ibb = cumprod((1.0 + own_wages) / (1.0 + p.path("loneokning"))) if drift.any() else None
    now = project_pension(
        **inputs, prisbasbelopp_forandring=prisbasbelopp, loneokning=own_wages,
        kpa={f: p.path(f"kpa_{f}") for f in KPA_FIELDS},
        pensionsmedel_insattning=p.path("pensionsmedel_insattning"), shape=p.shape,
        planens_loneokning_basar=planens_lon_basar, rips_ranta_forandring=p.path("rips_ranta_forandring"),
        duration=p.scalar("pensionsskuld_duration"), lon_mot_ibb=lon_mot_ibb,
        ibb_elasticitet=p.scalar("nyintjanande_ibb_elasticitet"))
    plan_inputs = {k: compact(v) for k, v in inputs.items()}
    plan_inputs["prisbasbelopp_forandring"] = compact(p.plan("planens_prisbasbelopp_forandring"))
    plan_inputs["loneokning"] = compact(p.plan("planens_loneokning"))
    s_plan = max(np.shape(v)[0] for v in plan_inputs.values())
    nothing = np.full((1, p.n_plan), np.nan)
    plan = project_pension(
        **plan_inputs, kpa={f: nothing for f in KPA_FIELDS}, pensionsmedel_insattning=nothing,
        shape=(s_plan, p.n_plan), planens_loneokning_basar=compact(planens_lon_basar))
    return now, plan
