"""The investeringsbudget: investments by category and the avskrivningar they add
(docs/modell.md, "Investeringar och avskrivningar").

The categories, and the balansräkning post each lands on, are data: the region's own
(``kategorier:`` in investeringar.yaml, carried as the parameter attribute
``investeringskategorier``), else the statements catalogue's (model/statements.yaml). Any
number of categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flerarsprognos.model.inputs import Inputs
from flerarsprognos.model.statements import INVESTMENT_POST
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


def categories(p: Inputs) -> dict[str, str]:
    """Category id -> balansräkning post, from the parameters (or the catalogue's)."""
    given = p.ds.attrs.get("investeringskategorier")
    if not given:
        return dict(INVESTMENT_POST)
    return dict(item.split(":", 1) for item in given.split(";"))


@dataclass
class Investeringar:
    by_category: dict[str, np.ndarray]  # (scenario, year), mnkr
    total: np.ndarray
    new_depreciation: np.ndarray  # avskrivningar added since the base year
    posts: dict[str, str]  # category -> balansräkning post

    def on_post(self, post: str, i: int) -> np.ndarray:
        """Year i's investments that land on the balansräkning post ``post``."""
        return sum(self.by_category[c][:, i] for c, p in self.posts.items() if p == post)


def project_investeringar(p: Inputs) -> Investeringar:
    posts = categories(p)
    investments = {c: p.path(f"investeringar_{c}") for c in posts}
    new_dep = new_depreciation(
        investments, {c: p.scalar(f"avskrivningstid_{c}") for c in posts},
        {c: p.scalar(f"avskrivning_nettoandel_{c}") for c in posts},
        {c: p.scalar(f"avskrivning_fran_ar_{c}") for c in posts}, p.years)
    return Investeringar(investments, sum(investments.values()), new_dep, posts)
