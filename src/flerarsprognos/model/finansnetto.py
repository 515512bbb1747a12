"""Finansiella intäkter och kostnader (docs/modell.md, "Finansnetto").

Finansiella intäkter = the given ones + the return on the placeringar (realised and
unrealised). Finansiella kostnader = the pension liability's ränte- och basbeloppsuppräkning (from the
pension module) + interest on the previous year's loans + other financial costs. Interest
falls on the loan at the start of the year, so borrowing within a year adds no circularity.
"""

from __future__ import annotations

import numpy as np


def finansiella_kostnader(pension_finansiell, ranta, laneskuld_ingaende, ovriga) -> np.ndarray:
    """One year's finansiella kostnader (a positive magnitude), every scenario."""
    return pension_finansiell + ranta * laneskuld_ingaende + ovriga


def avkastning_placeringar(placeringar_ingaende, avkastning, realiserad_andel) -> tuple[np.ndarray, np.ndarray]:
    """The year's return on the placeringar (the pension fund), (realised, unrealised), mnkr.
    Both are finansiella intäkter (the fund at verkligt värde); the unrealised part is adjusted
    out in the balanskravsutredning (LKBR 11 kap. 10 §)."""
    total = placeringar_ingaende * avkastning
    realised = total * realiserad_andel
    return realised, total - realised
