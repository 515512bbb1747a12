"""The finansiella mål for god ekonomisk hushållning (docs/modell.md, "Finansiella mål").

For each goal and year: the value, the target, whether it is met (1/0, NaN where undefined or
not yet in force) and the gap in mnkr — what it would take to meet the goal (a cost reduction
or added revenue); a negative gap is the margin by which it is met. The goals, their labels
and their assumption keys are data (model/statements.yaml).
"""

from __future__ import annotations

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.statements import GOAL_FROM_YEAR, GOALS
from flerarsprognos.model.years import compact

KINDS = ("varde", "malvarde", "uppfyllt", "gap_mnkr")


def values_and_gaps(p: Inputs, rr, skatter_och_bidrag, bk_rows, br, ansvarsforbindelse, investeringar):
    """{goal: (value, target)} and {goal: gap in mnkr}, each (scenario, year)."""
    S, Y = p.shape
    col = lambda n: p.scalar(n)[:, None]  # noqa: E731
    nk = -rr["verksamhetens_nettokostnader"]
    res = rr["arets_resultat"]
    ek = br["summa_eget_kapital"]
    total = br["summa_tillgangar"]
    soliditet = ek / total
    soliditet_prev = np.concatenate([np.full((S, 1), np.nan), soliditet[:, :-1]], axis=1)
    soliditet_target = soliditet_prev + col("mal_soliditet_okning")
    inkl = (ek - ansvarsforbindelse) / total
    abs_depr = -rr["avskrivningar"]
    sjalv = np.divide(res + abs_depr, investeringar, out=np.full((S, Y), np.nan), where=investeringar != 0)

    bkr = bk_rows["arets_balanskravsresultat"]
    late = bk_rows["underskott_for_sent_aterstallt"]
    exempt = bk_rows["synnerliga_skal"]
    # A deficit fullmäktige exempts with synnerliga skäl is not a missed balanskrav.
    shortfall = -bkr - np.minimum(exempt, np.maximum(-bkr, 0.0)) if exempt.any() else -bkr
    values = {
        "nettokostnadsandel": (nk / skatter_och_bidrag, np.broadcast_to(col("mal_nettokostnadsandel"), (S, Y))),
        "resultatmal": (res / skatter_och_bidrag, np.broadcast_to(col("mal_resultat"), (S, Y))),
        "balanskrav": (bkr, np.zeros((S, Y))),
        "soliditet": (soliditet, soliditet_target),
        "soliditet_inkl_ansvarsforbindelse": (inkl, np.broadcast_to(col("mal_soliditet_inkl_ansvarsforbindelse"), (S, Y))),
        "sjalvfinansieringsgrad": (sjalv, np.broadcast_to(col("mal_sjalvfinansieringsgrad"), (S, Y))),
    }
    inkl_target = values["soliditet_inkl_ansvarsforbindelse"][1]
    gaps = {
        "nettokostnadsandel": nk - values["nettokostnadsandel"][1] * skatter_och_bidrag,
        "resultatmal": values["resultatmal"][1] * skatter_och_bidrag - res,
        "balanskrav": np.where(late > 0, np.maximum(late, shortfall), shortfall),
        # Meeting a soliditet goal with x mnkr of better result raises both eget kapital and
        # the assets (the money stays in the balance sheet): (E + x)/(T + x) = m.
        "soliditet": (soliditet_target * total - ek) / (1 - soliditet_target),
        "soliditet_inkl_ansvarsforbindelse": (inkl_target * total - (ek - ansvarsforbindelse)) / (1 - inkl_target),
        "sjalvfinansieringsgrad": values["sjalvfinansieringsgrad"][1] * investeringar - (res + abs_depr),
    }
    return values, gaps


def finansiella_mal(p: Inputs, *, rr, skatter_och_bidrag, bk_rows, br, ansvarsforbindelse,
                    investeringar) -> dict[str, np.ndarray]:
    """Each kind (``KINDS``) as one (goal, scenario, year) block, written in place: the result
    shows it as (scenario, year, mal) without another copy."""
    S, Y = p.shape
    values, gaps = values_and_gaps(p, rr, skatter_och_bidrag, bk_rows, br, ansvarsforbindelse, investeringar)
    blocks = {kind: np.empty((len(GOALS), S, Y)) for kind in KINDS}
    for goal, (value, target) in values.items():
        j = GOALS.index(goal)
        gap = gaps[goal]
        blocks["varde"][j] = value
        blocks["malvarde"][j] = target
        met = blocks["uppfyllt"][j]
        np.less_equal(gap, 1e-9, out=met, casting="unsafe")
        np.copyto(met, np.nan, where=np.isnan(gap))
        if goal in GOAL_FROM_YEAR:  # a goal not (yet) in force is shown but not judged
            not_yet = p.years[None, :] < compact(p.scalar(GOAL_FROM_YEAR[goal]))[:, None]
            if not_yet.shape[0] == 1:  # the same years for every scenario: whole columns
                met[:, not_yet[0]] = np.nan
            else:
                np.copyto(met, np.nan, where=not_yet)
        blocks["gap_mnkr"][j] = gap
    return blocks
