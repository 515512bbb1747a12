"""Målsökning: the effektivisering or skattesats that makes a goal hold, year by year.

Solved forward in time, for every scenario at once: for year t, given the answers for the
earlier years, find the lever in year t at which the goal's gap (``mal_gap_mnkr``, the mnkr
needed to meet it) is zero: the goal holds with equality. A negative answer is room: the
goal is met with that margin. Effektivisering is the model's own lever (a permanent cost
reduction from the year, growing with the cost index); the skattesats is a level per year.

The gap is piecewise linear in the lever (RUR use, the 1 % reservation, the 2 % rule), so
the solver takes secant steps, falling back to the lever's natural slope where the gap is
flat, and the answer is verified by running the model once more with every year's lever.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

GOALS = ("balanskrav", "nettokostnadsandel", "resultatmal")
LEVERS = ("effektivisering", "skattesats")
LEVER_KEY = {"effektivisering": "effektivisering", "skattesats": "skattesats"}
TOLERANCE_MNKR = 0.01
VERIFY_MNKR = 0.5
OERE = 1e-4  # 10 öre = 0.001 (kr per 100 kr as a fraction)


def _with_lever(params: xr.Dataset, lever: str, add: np.ndarray) -> xr.Dataset:
    key = LEVER_KEY[lever]
    da = params[key].transpose(*[d for d in ("scenario", "year") if d in params[key].dims])
    values = np.broadcast_to(da.values, add.shape) + add
    ds = params.copy()
    ds[key] = (("scenario", "year"), values)
    return ds


def _gap(result: xr.Dataset, goal: str) -> np.ndarray:
    return result["mal_gap_mnkr"].sel(mal=goal).transpose("scenario", "year").values


def _natural_slope(result: xr.Dataset, goal: str, lever: str, params: xr.Dataset, t: int) -> np.ndarray:
    """d gap / d lever in year t where nothing is capped (mnkr per mnkr, or per unit skattesats)."""
    S = result.sizes["scenario"]
    if lever == "effektivisering":
        return np.full(S, -1.0)
    su = result["skatteunderlag"].transpose("scenario", "year").values[:, t]
    if goal == "nettokostnadsandel":
        return -np.broadcast_to(params["mal_nettokostnadsandel"].values, (S,)) * su
    if goal == "resultatmal":
        return -(1.0 - np.broadcast_to(params["mal_resultat"].values, (S,))) * su
    return -su


def goalseek(params: xr.Dataset, goal: str, lever: str, max_iter: int = 40) -> xr.Dataset:
    """Per scenario and year: the lever that makes ``goal`` hold with equality, verified.

    ``params`` has a ``scenario`` dimension (as from :func:`flerarsprognos.runner.run`).
    """
    from flerarsprognos.model.engine import project

    if goal not in GOALS:
        raise ValueError(goal)
    if lever not in LEVERS:
        raise ValueError(lever)
    before = project(params)
    S, Y = before.sizes["scenario"], before.sizes["year"]
    add = np.zeros((S, Y))
    result = before
    unresolved = np.zeros((S, Y), dtype=bool)
    for t in range(Y):
        g = _gap(result, goal)[:, t]
        x = np.zeros(S)
        x_prev, g_prev = None, None
        natural = _natural_slope(result, goal, lever, params, t)
        for _ in range(max_iter):
            done = np.abs(g) <= TOLERANCE_MNKR
            if done.all():
                break
            slope = natural
            if x_prev is not None:
                dx = x - x_prev
                with np.errstate(divide="ignore", invalid="ignore"):
                    secant = (g - g_prev) / dx
                # The gap falls as the lever rises; a flat or wrong-signed secant is not used.
                usable = (dx != 0) & (secant < 0) & np.isfinite(secant)
                slope = np.where(usable, secant, natural)
            step = np.where(done, 0.0, -g / slope)
            x_prev, g_prev = x.copy(), g.copy()
            x = x + step
            add[:, t] = x
            result = project(_with_lever(params, lever, add))
            g = _gap(result, goal)[:, t]
        unresolved[:, t] = np.abs(g) > TOLERANCE_MNKR

    after = project(_with_lever(params, lever, add))  # verification: one run with every year's lever
    gap_after = _gap(after, goal)
    years = before["year"].values
    dims = ("scenario", "year")
    out = xr.Dataset(coords={"scenario": before["scenario"].values, "year": years})
    nk = -before["resultatrakning"].sel(rr_post="verksamhetens_nettokostnader").transpose(*dims).values
    if lever == "effektivisering":
        total = -(after["atgarder_netto"] - before["atgarder_netto"]).transpose(*dims).values
        out["atgard_ar"] = (dims, add, {"enhet": "mnkr", "beskrivning": "ny varaktig effektivisering beslutad året"})
        out["atgard_total"] = (dims, total, {"enhet": "mnkr", "beskrivning": "lägre kostnad året, alla års åtgärder"})
        out["atgard_andel_av_nettokostnad"] = (dims, total / nk, {"enhet": "andel"})
    else:
        new_rate = np.broadcast_to(params["skattesats"].transpose(*[d for d in dims if d in params["skattesats"].dims]).values,
                                   (S, Y)) + add
        out["atgard_ar"] = (dims, add / OERE, {"enhet": "öre", "beskrivning": "skattesatsen mot scenariots"})
        out["atgard_total"] = (dims, add / OERE, {"enhet": "öre"})
        out["skattesats_ny"] = (dims, new_rate * 100.0, {"enhet": "kr per 100 kr"})
    out["gap_fore"] = (dims, _gap(before, goal), {"enhet": "mnkr"})
    out["gap_efter"] = (dims, gap_after, {"enhet": "mnkr", "beskrivning": "verifierat med en ny körning"})
    out["verifierad"] = (dims, np.abs(gap_after) <= VERIFY_MNKR)
    out["arets_resultat_efter"] = (dims, after["resultatrakning"].sel(rr_post="arets_resultat").transpose(*dims).values)
    out.attrs.update(mal=goal, styrmedel=lever, tolerans_mnkr=VERIFY_MNKR)
    return out


def goalseek_table(res: xr.Dataset):
    """Rows per scenario: the lever per year, its total, and the verified gap."""
    import pandas as pd

    rows = []
    for s in res["scenario"].values:
        for y in res["year"].values:
            r = res.sel(scenario=s, year=y)
            rows.append({"scenario": str(s), "ar": int(y), "mal": res.attrs["mal"], "styrmedel": res.attrs["styrmedel"],
                         "atgard_ar": float(r["atgard_ar"]), "atgard_total": float(r["atgard_total"]),
                         "gap_fore_mnkr": float(r["gap_fore"]), "gap_efter_mnkr": float(r["gap_efter"]),
                         "verifierad": bool(r["verifierad"])})
    return pd.DataFrame(rows)


def goalseek_rich(res: xr.Dataset, scenario: str):
    from rich.markup import escape
    from rich.table import Table

    from flerarsprognos.output import fmt

    goal, lever = res.attrs["mal"], res.attrs["styrmedel"]
    r = res.sel(scenario=scenario)
    unit = "mnkr" if lever == "effektivisering" else "öre"
    goal_text = {"balanskrav": "balanskravet", "nettokostnadsandel": "nettokostnadsandelen",
                 "resultatmal": "resultatmålet"}[goal]
    t = Table(title=f"Målsökning – {escape(scenario)}: {lever} ({unit}) så att {goal_text} nås med likhet",
              title_justify="left", header_style="bold", show_edge=False)
    t.add_column("", overflow="fold", min_width=28)
    for y in res["year"].values:
        t.add_column(str(int(y)), justify="right", no_wrap=True)
    if lever == "effektivisering":
        t.add_row("Ny effektivisering året", *[fmt.mnkr(v) for v in r["atgard_ar"].values])
        t.add_row("Lägre kostnad totalt", *[fmt.mnkr(v) for v in r["atgard_total"].values])
        t.add_row("  i % av nettokostnaden", *[fmt.procent(v) for v in r["atgard_andel_av_nettokostnad"].values])
    else:
        t.add_row("Skattesats mot scenariot, öre", *[fmt.mnkr(v, 1) for v in r["atgard_ar"].values])
        t.add_row("Skattesats, kr per 100 kr", *[fmt.mnkr(v, 2) for v in r["skattesats_ny"].values])
    t.add_row("Gap före (mnkr)", *[fmt.mnkr(v) for v in r["gap_fore"].values])
    t.add_row("Gap efter, omräknat (mnkr)", *[fmt.mnkr(v, 1) for v in r["gap_efter"].values])
    t.caption = ("Positivt: åtgärd som behövs. Negativt: marginal (målet nås ändå). Löses år för år; "
                 "verifierat med en ny körning med alla års åtgärder.")
    t.caption_justify = "left"
    return t
