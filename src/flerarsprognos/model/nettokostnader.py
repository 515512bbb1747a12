"""Verksamhetens intäkter, kostnader och avskrivningar: the decided plan moved by a scenario,
drivers after it (docs/modell.md, "Verksamhetens nettokostnader").

Internally costs are positive magnitudes; the resultaträkning shows them negative.
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.years import cumprod


def cost_index_growth(loneokning, kpi, personalkostnadsandel) -> np.ndarray:
    """LPIK-like cost growth: w · löneökning + (1 − w) · prisökning."""
    w = np.asarray(personalkostnadsandel)[..., None]
    return w * loneokning + (1.0 - w) * kpi


def plan_sensitivity(loneokning, kpi, volymokning, planens_loneokning, planens_kpi,
                     planens_volymokning, personalkostnadsandel, n_plan: int):
    """Factors that move the decided plan lines in the plan years.

    cost factor = (1 + w·(I_lön/I_lön,plan − 1) + (1 − w)·(I_pris/I_pris,plan − 1)) · I_vol/I_vol,plan,
    price factor = I_pris/I_pris,plan, with cumulative indexes from the base year.
    """
    w = np.asarray(personalkostnadsandel)[..., None]
    sl = slice(0, n_plan)
    r_lon = cumprod(1 + loneokning[..., sl]) / cumprod(1 + planens_loneokning)
    r_pris = cumprod(1 + kpi[..., sl]) / cumprod(1 + planens_kpi)
    r_vol = cumprod(1 + volymokning[..., sl]) / cumprod(1 + planens_volymokning)
    cost_factor = (1.0 + w * (r_lon - 1.0) + (1.0 - w) * (r_pris - 1.0)) * r_vol
    return cost_factor, r_pris


def project_costs(*, plan_intakter, plan_kostnader, plan_avskrivningar, loneokning, kpi,
                  volymokning, planens_loneokning, planens_kpi, planens_volymokning,
                  personalkostnadsandel, intakter_prisindexering, satsningar, effektivisering,
                  pension_verksamhet, pension_verksamhet_plan, new_depreciation,
                  shape) -> dict[str, np.ndarray]:
    """Intäkter, kostnader and avskrivningar for every year (positive magnitudes).

    Plan years: decided lines without the pension cost they were built on
    (``pension_verksamhet_plan``) × sensitivity factors, plus the pension cost computed now.
    Later years: the previous year's
    costs excluding pension grow by the cost index and volume; the pension module supplies
    the pension part. Satsningar and effektivisering are explicit, permanent lines that
    grow with the cost index after the year they start.
    """
    n_plan = plan_kostnader.shape[-1]
    n_years = shape[-1]
    growth = np.broadcast_to(cost_index_growth(loneokning, kpi, personalkostnadsandel), shape)
    cost_factor, price_factor = plan_sensitivity(
        loneokning, kpi, volymokning, planens_loneokning, planens_kpi, planens_volymokning,
        personalkostnadsandel, n_plan)
    a = np.asarray(intakter_prisindexering)[..., None]

    core = np.empty(shape)
    intakter = np.empty(shape)
    pens = np.broadcast_to(pension_verksamhet, shape)
    core[..., :n_plan] = (-plan_kostnader - pension_verksamhet_plan) * cost_factor + pens[..., :n_plan]
    intakter[..., :n_plan] = plan_intakter * (1.0 + a * (price_factor - 1.0))
    vol = np.broadcast_to(volymokning, shape)
    kpi_b = np.broadcast_to(kpi, shape)
    for i in range(n_plan, n_years):
        core[..., i] = (core[..., i - 1] - pens[..., i - 1]) * (1 + growth[..., i]) * (1 + vol[..., i]) + pens[..., i]
        intakter[..., i] = intakter[..., i - 1] * (1.0 + a[..., 0] * kpi_b[..., i])

    sats = np.broadcast_to(satsningar, shape)
    eff = np.broadcast_to(effektivisering, shape)
    policy = np.empty(shape)
    prev = np.zeros(shape[:-1])
    for i in range(n_years):
        prev = prev * (1 + growth[..., i]) + sats[..., i] - eff[..., i]
        policy[..., i] = prev

    avskr = np.empty(shape)
    avskr[..., :n_plan] = -plan_avskrivningar
    avskr[..., n_plan:] = avskr[..., n_plan - 1:n_plan] + new_depreciation[..., n_plan:] - new_depreciation[..., n_plan - 1:n_plan]
    return {
        "verksamhetens_intakter": intakter,
        "kostnader_fore_atgarder": core,
        "atgarder_netto": policy,
        "verksamhetens_kostnader": core + policy,
        "avskrivningar": avskr,
        "kostnadsindex": growth,
    }


def project_verksamhet(p: Inputs, own_wages, pension: dict, pension_plan: dict,
                       new_depreciation: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`project_costs` on the scenario's inputs."""
    return project_costs(
        plan_intakter=p.plan("plan_verksamhetens_intakter"), plan_kostnader=p.plan("plan_verksamhetens_kostnader"),
        plan_avskrivningar=p.plan("plan_avskrivningar"), loneokning=own_wages, kpi=p.path("kpi"),
        volymokning=p.path("volymokning"), planens_loneokning=p.plan("planens_loneokning"),
        planens_kpi=p.plan("planens_kpi"), planens_volymokning=p.plan("planens_volymokning"),
        personalkostnadsandel=p.scalar("personalkostnadsandel"),
        intakter_prisindexering=p.scalar("intakter_prisindexering"), satsningar=p.path("satsningar"),
        effektivisering=p.path("effektivisering"), pension_verksamhet=pension["pensionskostnad_verksamhet"],
        pension_verksamhet_plan=pension_plan["pensionskostnad_verksamhet"],
        new_depreciation=new_depreciation, shape=p.shape)
