"""Swedish number formats for everything a user reads: ``10 825``, ``-278``, ``98,7 %``."""

from __future__ import annotations

import math

THIN = "\u00a0"  # non-breaking space between thousands, as in the budget documents


def mnkr(x: float | None, decimals: int = 0) -> str:
    """An amount: thousands separated by a space, decimal comma, hyphen minus (``-1 277,5``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    value = round(float(x), decimals)
    if value == 0:
        value = 0.0  # no "-0"
    text = f"{value:,.{decimals}f}".replace(",", THIN).replace(".", ",")
    return text


def procent(x: float | None, decimals: int = 1) -> str:
    """A fraction shown as percent: 0.987 → ``98,7 %``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{mnkr(100.0 * x, decimals)}{THIN}%"


def procentenheter(x: float, decimals: int = 1) -> str:
    """A change of a rate: 0.01 → ``+1,0 procentenheter``."""
    sign = "+" if x > 0 else ""
    return f"{sign}{mnkr(100.0 * x, decimals)} procentenheter"


def ja_nej(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return "ja" if x >= 0.5 else "nej"
