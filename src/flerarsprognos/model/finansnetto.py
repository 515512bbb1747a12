"""Finansiella intäkter och kostnader (docs/modell.md, "Finansnetto").

Finansiella kostnader = the pension liability's ränte- och basbeloppsuppräkning (from the
pension module) + interest on the previous year's loans + other financial costs. Interest
falls on the loan at the start of the year, so borrowing within a year adds no circularity.
"""

from __future__ import annotations

import numpy as np


def finansiella_kostnader(pension_finansiell, ranta, laneskuld_ingaende, ovriga) -> np.ndarray:
    """One year's finansiella kostnader (a positive magnitude), every scenario."""
    return pension_finansiell + ranta * laneskuld_ingaende + ovriga
