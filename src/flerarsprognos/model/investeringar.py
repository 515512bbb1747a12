"""The investeringsbudget: investments by category and the avskrivningar they add
(docs/modell.md, "Investeringar och avskrivningar").

The categories, and the balansräkning post each lands on, are data (model/statements.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.statements import INVESTMENT_CATEGORIES, INVESTMENT_POST
from flerarsprognos.model.years import compact, cumsum


def new_depreciation(investments: dict[str, np.ndarray], life: dict, share: dict, from_year: dict,
                     years: np.ndarray) -> np.ndarray:
    """Depreciation added by investments since the base year, by category.

    A category adds share/life of its accumulated investments (made in earlier years) from
    its first depreciation year; återinvesteringar have share 0: they replace what is retired.
    """
    total = None
    for cat, inv in investments.items():
        # Investment plans are rarely varied: then this is one row, broadcast by the caller.
        inv = compact(np.asarray(inv, dtype=float))
        earlier = cumsum(inv) - inv
        active = years >= compact(from_year[cat])[..., None]
        add = compact(share[cat])[..., None] / compact(life[cat])[..., None] * earlier * active
        total = add if total is None else total + add
    return total


@dataclass
class Investeringar:
    by_category: dict[str, np.ndarray]  # (scenario, year), mnkr
    total: np.ndarray
    new_depreciation: np.ndarray  # avskrivningar added since the base year

    def on_post(self, post: str, i: int) -> np.ndarray:
        """Year i's investments that land on the balansräkning post ``post``."""
        return sum(self.by_category[c][:, i] for c in INVESTMENT_CATEGORIES if INVESTMENT_POST[c] == post)


def project_investeringar(p: Inputs) -> Investeringar:
    investments = {c: p.path(f"investeringar_{c}") for c in INVESTMENT_CATEGORIES}
    new_dep = new_depreciation(
        investments, {c: p.scalar(f"avskrivningstid_{c}") for c in INVESTMENT_CATEGORIES},
        {c: p.scalar(f"avskrivning_nettoandel_{c}") for c in INVESTMENT_CATEGORIES},
        {c: p.scalar(f"avskrivning_fran_ar_{c}") for c in INVESTMENT_CATEGORIES}, p.years)
    return Investeringar(investments, sum(investments.values()), new_dep)
