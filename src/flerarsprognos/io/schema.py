"""The catalogue of assumptions: every key an assumption file may hold.

Each :class:`Spec` says which file (topic) the key belongs in, its unit, which years it
must cover, and two ranges: values outside ``error`` are impossible (or plainly in the
wrong unit) and rejected; values outside ``warn`` are possible but implausible and give a
warning. Ranges are in canonical units: rates as fractions (0.035), amounts in mnkr.

The keys themselves are a table, ``schema.csv`` beside this module (one row per key, or one
row per family of keys: a row with ``per`` set is repeated for every utjämning component, KPA
field, investment category or balance-sheet input post, with ``{id}`` and ``{etikett}`` filled
in). It is read once and validated (:class:`KeyRow`). The *values* (with their sources) live
in ``assumptions/*.yaml``; this module holds only what a value may be, the way ParamTools
keeps a schema beside the defaults. How to add a key: docs/modell.md, "Antagandenycklar".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from flerarsprognos.model.statements import (
    BALANCE_INPUT_POSTS,
    BALANSRAKNING,
    INVESTMENT_CATEGORIES,
    INVESTMENT_LABELS,
    UTJAMNING_COMPONENTS,
    UTJAMNING_LABELS,
    UTJAMNINGSSYSTEM,
)

# Units a file may state. "procent" and "andel" are two spellings of one kind (a rate);
# the loader converts procent to a fraction.
RATE_UNITS = ("procent", "andel")
UNIT_LABELS = {
    "rate": "procent",
    "mnkr": "mnkr",
    "kr_per_invanare": "kr per invånare",
    "antal": "antal",
    "ar": "årtal",
    "antal_ar": "antal år",
    "text": "text",
}

# Coverage: which years a year-indexed key must have.
#   horisont  every year basår..slutår; `forlangning: senaste` fills later years (marked extended)
#   plan      every plan year basår..planslut, nothing else
#   gles_noll any years; a missing year means 0
#   gles      any years; a missing year means "not given" (e.g. a KPA override)
#   historik  any years BEFORE the base year, at most HISTORY_YEARS back; a missing year
#             means "not given" (an outcome series or open deficits by year of origin).
#             Value.data holds them on history_years(basar), not on the horizon.
#   skalar    one value, no years
YEAR_COVERAGES = ("horisont", "plan", "gles_noll", "gles")
HISTORY_YEARS = 15


def history_years(basar: int):
    """The years a ``historik`` key's data is laid out on: basar − HISTORY_YEARS … basar − 1."""
    import numpy as np

    return np.arange(basar - HISTORY_YEARS, basar)


@dataclass(frozen=True)
class Spec:
    name: str
    topic: str
    unit: str  # "rate", "mnkr", "kr_per_invanare", "antal", "ar", "antal_ar", "text"
    coverage: str  # one of YEAR_COVERAGES, "historik" or "skalar"
    label: str
    error: tuple[float | None, float | None] = (None, None)
    warn: tuple[float | None, float | None] = (None, None)
    choices: tuple[str, ...] = ()
    component: bool = False  # an utjämning component: has a `metod`
    layer: str = "region"  # "riket" (national, a region may override), "riket_fast" (may not), "region"

    @property
    def national(self) -> bool:
        """Part of the national prognosunderlag (``assumptions/riket/``), not the region's own."""
        return self.layer != "region"

    @property
    def by_year(self) -> bool:
        """Values per year of the horizon (not for ``historik``: see :attr:`history`)."""
        return self.coverage in YEAR_COVERAGES

    @property
    def history(self) -> bool:
        """Values per year before the base year, on :func:`history_years`."""
        return self.coverage == "historik"


BIG = 1e7  # mnkr; larger than any Swedish region's balance sheet (the table writes 10000000.0)

# The methods an utjämning component may be projected with (the components themselves are in
# the statements catalogue, model/statements.yaml).
UTJAMNING_METHODS = ("fast", "folj_skatteunderlag", "per_invanare", "inkomstutjamning", "anslag", "folj_kostnadsniva")

KPA_LABELS = {
    "avgiftsbestamd": "avgiftsbestämd pension",
    "nyintjanande": "nyintjänande",
    "utbetalningar_avsattning": "utbetalningar ur avsättningen",
    "utbetalningar_ansvarsforbindelse": "utbetalningar av ansvarsförbindelsen",
    "finansiell_kostnad": "finansiell kostnad",
    "avsattning_utgaende": "utgående avsättning",
    "ansvarsforbindelse_utgaende": "utgående ansvarsförbindelse",
}
KPA_FIELDS = tuple(KPA_LABELS)
TOPICS = ("makro", "region", "intakter", "kostnader", "pension", "investeringar", "finans", "regler")


# The families a templated row of the table is repeated over: (id, etikett) pairs.
FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    "utjamningskomponent": tuple((c, UTJAMNING_LABELS[c]) for c in UTJAMNING_COMPONENTS),
    "kpa": tuple(KPA_LABELS.items()),
    "investeringskategori": tuple((c, INVESTMENT_LABELS[c]) for c in INVESTMENT_CATEGORIES),
    "balanspost": tuple((p, BALANSRAKNING.labels[p]) for p in BALANCE_INPUT_POSTS),
}

Bound = int | float | None


class KeyRow(BaseModel):
    """One row of ``schema.csv``: a key, or a family of keys (``per``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fil: Literal[TOPICS]
    namn: str
    enhet: Literal["rate", "mnkr", "kr_per_invanare", "antal", "ar", "antal_ar", "text"]
    tackning: Literal["horisont", "plan", "gles_noll", "gles", "historik", "skalar"]
    fel_min: Bound = None
    fel_max: Bound = None
    varning_min: Bound = None
    varning_max: Bound = None
    val: tuple[str, ...] = ()
    komponent: bool = False
    per: Literal[tuple(FAMILIES)] | None = None
    etikett: str
    lager: Literal["riket", "riket_fast", "region"] = "region"

    @field_validator("lager", mode="before")
    @classmethod
    def _region_default(cls, v):
        return "region" if v in (None, "") else v

    @field_validator("fel_min", "fel_max", "varning_min", "varning_max", mode="before")
    @classmethod
    def _number(cls, v):
        # "2000" stays an integer (messages print it as a year), "0.0" and "1e7" are floats.
        if isinstance(v, str):
            v = v.strip()
            return None if v == "" else int(v) if v.lstrip("-").isdigit() else float(v)
        return v

    @field_validator("per", mode="before")
    @classmethod
    def _empty_is_none(cls, v):
        return None if v == "" else v

    @field_validator("val", mode="before")
    @classmethod
    def _choices(cls, v):
        return tuple(v.split("|")) if isinstance(v, str) and v else ()

    @field_validator("komponent", mode="before")
    @classmethod
    def _yes(cls, v):
        return v == "ja" if isinstance(v, str) else v

    def spec(self, item_id: str = "", item_label: str = "") -> Spec:
        fill = (lambda s: s.replace("{id}", item_id).replace("{etikett}", item_label)) if self.per else str
        return Spec(fill(self.namn), self.fil, self.enhet, self.tackning, fill(self.etikett),
                    (self.fel_min, self.fel_max), (self.varning_min, self.varning_max), self.val, self.komponent,
                    self.lager)


def _read_rows() -> list[KeyRow]:
    text = resources.files("flerarsprognos.io").joinpath("schema.csv").read_text(encoding="utf-8")
    return [KeyRow.model_validate(row) for row in csv.DictReader(text.splitlines())]


def _specs(rows: list[KeyRow]) -> list[Spec]:
    """Expand the table in order. Consecutive rows of one family form a block that is repeated
    per member, so a category's keys stay together (investeringar_x, avskrivningstid_x, …)."""
    out: list[Spec] = []
    i = 0
    while i < len(rows):
        if rows[i].per is None:
            out.append(rows[i].spec())
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].per == rows[i].per:
            j += 1
        out += [row.spec(item, label) for item, label in FAMILIES[rows[i].per] for row in rows[i:j]]
        i = j
    return out


SPECS: dict[str, Spec] = {spec.name: spec for spec in _specs(_read_rows())}
