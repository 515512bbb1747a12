"""The catalogue of the statements: resultaträkning, balanskravsutredning, balansräkning, the
finansiella mål and the investment categories, read once from ``statements.yaml``.

Every part of the program that lists the lines of a statement takes them from here: the
engine (the order of the post dimensions), the terminal tables and the Excel workbook (labels,
subtotals, headings, decimals) and the utfall reader (which ids exist). See docs/modell.md,
"Rapporterna".

Use::

    from flerarsprognos.model.statements import RESULTATRAKNING, GOALS
    RESULTATRAKNING.ids            # ('verksamhetens_intakter', ...)
    RESULTATRAKNING.labels         # {'verksamhetens_intakter': 'Verksamhetens intäkter', ...}
    RESULTATRAKNING.formulas       # {'verksamhetens_nettokostnader': ('verksamhetens_intakter', ...)}
    RESULTATRAKNING.headings       # {line id: heading printed above it}
    RESULTATRAKNING.decimals       # {line id: decimals}; 0 where not listed
"""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Post(_Strict):
    """One line of a statement."""

    id: str
    etikett: str
    tecken: Literal["+", "-", "±"]
    summa: tuple[str, ...] = ()
    rubrik: str | None = None
    decimaler: int = 0
    indata: bool = False
    oforandrad: bool = False

    @property
    def label(self) -> str:
        return self.etikett

    @property
    def is_subtotal(self) -> bool:
        return bool(self.summa)


class Statement(_Strict):
    """A statement: its posts in print order and the result dimension that holds them."""

    titel: str
    dimension: str
    poster: tuple[Post, ...]

    @model_validator(mode="after")
    def _check(self):
        seen: set[str] = set()
        for post in self.poster:
            if post.id in seen:
                raise ValueError(f"{post.id} förekommer två gånger")
            missing = [p for p in post.summa if p not in seen]
            if missing:  # a subtotal adds lines printed above it
                raise ValueError(f"{post.id} summerar {missing}, som inte står före den")
            seen.add(post.id)
        return self

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.poster)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {p.id: p.etikett for p in self.poster}

    @cached_property
    def formulas(self) -> dict[str, tuple[str, ...]]:
        return {p.id: p.summa for p in self.poster if p.summa}

    @cached_property
    def subtotals(self) -> frozenset[str]:
        return frozenset(self.formulas)

    @cached_property
    def headings(self) -> dict[str, str]:
        return {p.id: p.rubrik for p in self.poster if p.rubrik}

    @cached_property
    def decimals(self) -> dict[str, int]:
        return {p.id: p.decimaler for p in self.poster if p.decimaler}

    @cached_property
    def signs(self) -> dict[str, str]:
        return {p.id: p.tecken for p in self.poster}

    def post(self, post_id: str) -> Post:
        return self.poster[self.ids.index(post_id)]


class Goal(_Strict):
    """One finansiellt mål: its label, whether the value is a ratio, and its assumption keys."""

    id: str
    etikett: str
    kvot: bool
    malvarde: str | None = None
    fran_ar: str | None = None


class _Goals(_Strict):
    titel: str
    dimension: str
    mal: tuple[Goal, ...]


class UtjamningComponent(_Strict):
    id: str
    etikett: str
    utjamningssystem: bool


class _Utjamning(_Strict):
    titel: str
    dimension: str
    komponenter: tuple[UtjamningComponent, ...]


class InvestmentCategory(_Strict):
    id: str
    etikett: str
    balanspost: str


class _Investments(_Strict):
    titel: str
    kategorier: tuple[InvestmentCategory, ...]


class Catalogue(_Strict):
    resultatrakning: Statement
    balanskravsutredning: Statement
    balansrakning: Statement
    finansiella_mal: _Goals
    generella_statsbidrag_och_utjamning: _Utjamning
    investeringar: _Investments

    @model_validator(mode="after")
    def _check(self):
        bad = [c.id for c in self.investeringar.kategorier if c.balanspost not in self.balansrakning.ids]
        if bad:
            raise ValueError(f"investeringskategorier utan känd balanspost: {bad}")
        return self


def _load() -> Catalogue:
    text = resources.files("flerarsprognos.model").joinpath("statements.yaml").read_text(encoding="utf-8")
    return Catalogue.model_validate(yaml.safe_load(text))


CATALOGUE = _load()
RESULTATRAKNING: Statement = CATALOGUE.resultatrakning
BALANSKRAVSUTREDNING: Statement = CATALOGUE.balanskravsutredning
BALANSRAKNING: Statement = CATALOGUE.balansrakning
STATEMENTS: dict[str, Statement] = {
    "resultatrakning": RESULTATRAKNING,
    "balanskrav": BALANSKRAVSUTREDNING,
    "balansrakning": BALANSRAKNING,
}  # keyed by the result variable that holds the statement

GOAL_LIST: tuple[Goal, ...] = CATALOGUE.finansiella_mal.mal
GOALS: tuple[str, ...] = tuple(g.id for g in GOAL_LIST)
GOAL_LABELS: dict[str, str] = {g.id: g.etikett for g in GOAL_LIST}
GOAL_RATIO: frozenset[str] = frozenset(g.id for g in GOAL_LIST if g.kvot)
GOAL_FROM_YEAR: dict[str, str] = {g.id: g.fran_ar for g in GOAL_LIST if g.fran_ar}

_COMPONENTS = CATALOGUE.generella_statsbidrag_och_utjamning.komponenter
UTJAMNING_COMPONENTS: tuple[str, ...] = tuple(c.id for c in _COMPONENTS)
UTJAMNING_LABELS: dict[str, str] = {c.id: c.etikett for c in _COMPONENTS}
UTJAMNINGSSYSTEM: tuple[str, ...] = tuple(c.id for c in _COMPONENTS if c.utjamningssystem)

INVESTMENT_CATEGORY_LIST = CATALOGUE.investeringar.kategorier
INVESTMENT_CATEGORIES: tuple[str, ...] = tuple(c.id for c in INVESTMENT_CATEGORY_LIST)
INVESTMENT_LABELS: dict[str, str] = {c.id: c.etikett for c in INVESTMENT_CATEGORY_LIST}
INVESTMENT_POST: dict[str, str] = {c.id: c.balanspost for c in INVESTMENT_CATEGORY_LIST}

RR_POSTS = RESULTATRAKNING.ids
BK_POSTS = BALANSKRAVSUTREDNING.ids
BR_POSTS = BALANSRAKNING.ids
# Balance-sheet posts whose base-year value is an assumption, and those held flat afterwards.
BALANCE_INPUT_POSTS: tuple[str, ...] = tuple(p.id for p in BALANSRAKNING.poster if p.indata)
BALANCE_HELD_POSTS: tuple[str, ...] = tuple(p.id for p in BALANSRAKNING.poster if p.oforandrad)
