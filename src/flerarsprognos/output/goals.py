"""One verdict per goal and year, worded the same in the terminal, Excel and the report.

A goal is *uppfyllt* (✓), *ej uppfyllt* (✗, with the mnkr needed), *knappt uppfyllt* when it
is met by less than the uncertainty margin of its estimated inputs, or has no verdict: it
*gäller från* a later year, or it is only measured (*mäts, inget mål*). A goal without a
verdict in every year of the horizon is a key figure with no adopted goal; one without a
verdict only in the first years applies from the first year it is judged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import xarray as xr

from flerarsprognos.output import fmt

MET, CLOSE, MISSED, NOT_YET, NO_GOAL = "uppfyllt", "knappt", "ej_uppfyllt", "galler_fran", "inget_mal"
# Result variables the model may add for "knappt uppfyllt": the margin (mnkr) a plausible error
# in the estimated inputs could move the goal by, and/or a flag.
MARGIN_VARIABLE, CLOSE_VARIABLE = "mal_marginal_osakerhet", "mal_knappt"


@dataclass(frozen=True)
class Status:
    kind: str
    gap: float | None = None  # mnkr needed (positive) or to spare (negative)
    from_year: int | None = None

    @property
    def mark(self) -> str:
        return {MET: "✓", CLOSE: "✓", MISSED: "✗"}.get(self.kind, "")

    @property
    def judged(self) -> bool:
        return self.kind in (MET, CLOSE, MISSED)

    @property
    def word(self) -> str:
        """The verdict in words, as a reader sees it beside the value."""
        if self.kind == MET:
            return "uppfyllt"
        if self.kind == CLOSE:
            return f"knappt uppfyllt (marginal {fmt.mnkr(-(self.gap or 0.0))} mnkr)"
        if self.kind == MISSED:
            return "ej uppfyllt"
        if self.kind == NOT_YET:
            return f"gäller från {self.from_year}"
        return "mäts, inget mål"

    @property
    def short(self) -> str:
        """What follows the value in a table cell: ✓, ✗ (behov) or the words."""
        if self.kind == MET:
            return "✓"
        if self.kind == CLOSE:
            return f"✓ knappt ({fmt.mnkr(-(self.gap or 0.0))})"
        if self.kind == MISSED:
            return f"✗ ({fmt.mnkr(self.gap)})"
        return self.word

    @property
    def css(self) -> str:
        return {MET: "ok", CLOSE: "close", MISSED: "miss"}.get(self.kind, "nomark")


def _number(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def status(met, gap, *, from_year: int | None = None, margin: float | None = None,
           close: bool | None = None) -> Status:
    """The verdict of one goal in one year.

    ``met`` is 1, 0 or NaN (no verdict); ``gap`` the mnkr needed (negative: to spare);
    ``from_year`` the first judged year when there is one; ``margin`` the uncertainty margin
    in mnkr, or ``close`` a ready flag for "knappt uppfyllt".
    """
    met, gap = _number(met), _number(gap)
    if met is None:
        return Status(NOT_YET, gap, from_year) if from_year is not None else Status(NO_GOAL, gap)
    if met < 0.5:
        return Status(MISSED, gap)
    if close is None:
        close = margin is not None and gap is not None and -gap < margin
    return Status(CLOSE if close else MET, gap)


def statuses(result: xr.Dataset, scenario: str, goal: str, margin: float | None = None) -> list[Status]:
    """The verdict of ``goal`` in each year of one scenario of a result.

    Uses the model's uncertainty margin and close flag when the result has them; ``margin``
    (mnkr) overrides both (the verdict is then judged against that margin alone).
    """
    sel = {"scenario": scenario, "mal": goal}
    met = result["mal_uppfyllt"].sel(sel).values
    gap = result["mal_gap_mnkr"].sel(sel).values
    years = [int(y) for y in result["year"].values]
    judged = [y for y, m in zip(years, met, strict=True) if m == m]
    from_year = judged[0] if judged and judged[0] != years[0] else None
    margins = [margin] * len(years)
    if margin is None and MARGIN_VARIABLE in result:
        margins = [_number(v) for v in result[MARGIN_VARIABLE].sel(sel).values]
    flags = [None] * len(years)
    if margin is None and CLOSE_VARIABLE in result:
        flags = [None if v != v else bool(v >= 0.5) for v in result[CLOSE_VARIABLE].sel(sel).values]
    return [status(m, g, from_year=from_year, margin=mg, close=f)
            for m, g, mg, f in zip(met, gap, margins, flags, strict=True)]


LEGEND = ("✓ = målet nås; ✓ knappt (x) = nås med mindre marginal (x mnkr) än osäkerheten i de uppskattade "
          "antagandena; ✗ (x) = målet nås inte, x = mnkr i lägre kostnad eller högre intäkt som behövs; "
          "\"gäller från år\" = målet bedöms först det året; \"mäts, inget mål\" = nyckeltal utan beslutat mål.")
