"""The real opening position for a rebase, read from the outcome's balance rows.

``rebase --ar YEAR`` makes YEAR the new base year. Its opening position is the
årsredovisning's balansräkning and balanskravsutredning at 31 December YEAR − 1, where the
utfall file gives them (region level, rows of :data:`~flerarsprognos.io.utfallsfil.BALANCE_LINES`):

================================  ====================================================
row (year YEAR − 1)               assumption key of the new set
================================  ====================================================
``summa_eget_kapital``            ``eget_kapital_ingaende``
``resultatutjamningsreserv``      ``rur_ingaende``
``resultatreserv``                ``resultatreserv_ingaende``
``avsattningar_for_pensioner``    ``pensionsavsattning_ingaende`` (÷ (1 + löneskatt))
``ansvarsforbindelse``            ``ansvarsforbindelse_ingaende`` (÷ (1 + löneskatt))
``laneskuld``                     ``laneskuld_ingaende``
================================  ====================================================

The open balanskrav deficits by year of origin (``balanskravsunderskott_ingaende``) come from
``balanskravsunderskott_att_aterstalla`` rows (``ar`` = the year the deficit arose, any year
before YEAR) or, failing those, from a negative ``arets_balanskravsresultat`` of YEAR − 1 (a
deficit that arose that year is wholly open at its end). The base year's own balance posts
(``balans_*``) come from the rows of YEAR; its computed posts (eget kapital, RUR, kassa …) are
shown beside the model's in the check table. Every row the rebase cannot use is named in a
warning (file, rows, year). Documented in ``docs/utfall.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flerarsprognos.io.schema import BALANCE_INPUT_POSTS, SPECS
from flerarsprognos.io.utfallsfil import BALANCE_LINES, OutcomeFile, Row
from flerarsprognos.problems import Problems

LEDGER_KEY = "balanskravsunderskott_ingaende"
LEDGER_ROW = "balanskravsunderskott_att_aterstalla"
# row → (assumption key, the row includes särskild löneskatt the key does not)
OPENING_KEYS = {
    "summa_eget_kapital": ("eget_kapital_ingaende", False),
    "resultatutjamningsreserv": ("rur_ingaende", False),
    "resultatreserv": ("resultatreserv_ingaende", False),
    "avsattningar_for_pensioner": ("pensionsavsattning_ingaende", True),
    "ansvarsforbindelse": ("ansvarsforbindelse_ingaende", True),
    "laneskuld": ("laneskuld_ingaende", False),
}
# rows of the base year the model computes itself: (result variable, post) for the check table
COMPUTED = {
    "summa_eget_kapital": ("balansrakning", "summa_eget_kapital"),
    "resultatutjamningsreserv": ("balanskrav", "rur_utgaende"),
    "resultatreserv": ("balanskrav", "resultatreserv_utgaende"),
    "avsattningar_for_pensioner": ("balansrakning", "avsattningar_for_pensioner"),
    "ansvarsforbindelse": ("ansvarsforbindelse", None),
    "laneskuld": ("laneskuld", None),
    "kassa_och_bank": ("balansrakning", "kassa_och_bank"),
    "arets_balanskravsresultat": ("balanskrav", "arets_balanskravsresultat"),
    "anvandning_av_resultatutjamningsreserv": ("balanskrav", "anvandning_av_resultatutjamningsreserv"),
}


@dataclass
class Opening:
    """What the outcome gives the new base year (amounts in mnkr)."""

    values: dict[str, tuple[float, str]] = field(default_factory=dict)  # key → (value, source text)
    ledger: dict[int, float] = field(default_factory=dict)  # year of origin → open deficit (positive)
    ledger_cells: list[str] = field(default_factory=list)
    checks: dict[str, float] = field(default_factory=dict)  # base-year row → outcome, beside the model
    used: set[int] = field(default_factory=set)  # id() of the rows used

    @property
    def ledger_given(self) -> bool:
        return bool(self.ledger_cells)


def read_opening(utfall: OutcomeFile, year: int, loneskatt: float, problems: Problems) -> Opening:
    """The opening position in ``utfall`` for base year ``year``; errors and warnings to ``problems``."""
    opening = Opening()
    region = [r for r in utfall.rows if r.niva == "region" and r.utfall is not None]
    for r in region:
        if r.ar == year - 1 and r.rad in OPENING_KEYS:
            _opening_value(utfall, r, loneskatt, opening, problems)
        elif r.ar == year and r.rad in BALANCE_INPUT_POSTS:
            _opening_value(utfall, r, 0.0, opening, problems, key=f"balans_{r.rad}")
        elif r.ar == year and r.rad in COMPUTED:
            opening.checks[r.rad] = float(r.utfall)
            opening.used.add(id(r))
        elif r.rad == LEDGER_ROW and r.ar < year:
            _ledger_row(utfall, r, opening, problems)
    fresh = next((r for r in region if r.ar == year - 1 and r.rad == "arets_balanskravsresultat"), None)
    if fresh is not None:
        opening.used.add(id(fresh))
        if not opening.ledger_given and fresh.utfall < 0:
            opening.ledger[year - 1] = -float(fresh.utfall)
            opening.ledger_cells.append(fresh.where("utfall"))
    return opening


def _opening_value(utfall: OutcomeFile, r: Row, loneskatt: float, opening: Opening, problems: Problems,
                   key: str | None = None) -> None:
    key = key or OPENING_KEYS[r.rad][0]
    value = float(r.utfall)
    with_tax = key in {k for k, tax in OPENING_KEYS.values() if tax}
    if with_tax:
        value /= 1.0 + loneskatt
    lo, hi = SPECS[key].error
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        problems.error(str(utfall.path), r.where("utfall"),
                       f"{BALANCE_LINES[r.rad]} {r.ar}: {r.utfall:g} mnkr är inte möjligt här "
                       f"(ska vara {'minst ' + format(lo, 'g') if lo is not None else ''}"
                       f"{' och högst ' + format(hi, 'g') if hi is not None else ''} mnkr)", r.ar)
        return
    tax = f", exkl. löneskatt {100 * loneskatt:.2f} %".replace(".", ",") if with_tax else ""
    opening.values[key] = (value, f"{BALANCE_LINES[r.rad]} 31 december {r.ar} enligt {utfall.path.name} "
                                  f"({r.where('utfall')}{tax})")
    opening.used.add(id(r))


def _ledger_row(utfall: OutcomeFile, r: Row, opening: Opening, problems: Problems) -> None:
    amount = abs(float(r.utfall))
    if r.ar in opening.ledger:
        problems.error(str(utfall.path), r.where("utfall"), f"underskottet från {r.ar} anges två gånger", r.ar)
        return
    opening.used.add(id(r))
    if amount:
        opening.ledger[r.ar] = amount
    opening.ledger_cells.append(r.where("utfall"))


def report_unused(utfall: OutcomeFile, year: int, used: set[int], plan_rows: set[int], problems: Problems) -> None:
    """One warning per organisation and year naming the rows the rebase does not use."""
    groups: dict[tuple[str, str, int], list[Row]] = {}
    for r in utfall.rows:
        if id(r) not in used and id(r) not in plan_rows:
            groups.setdefault((r.niva, r.organisation, r.ar), []).append(r)
    for (niva, org, ar), rows in groups.items():
        lines = ", ".join(str(r.line_no) for r in rows[:6]) + (" …" if len(rows) > 6 else "")
        names = ", ".join(dict.fromkeys(r.rad for r in rows[:4])) + (" …" if len(rows) > 4 else "")
        problems.warn(str(utfall.path), f"rad {lines}", f"{len(rows)} {'rad' if len(rows) == 1 else 'rader'} "
                      f"för {org} {ar} används inte av ombaseringen ({names}): {_why(niva, ar, year)}", ar)


def _why(niva: str, ar: int, year: int) -> str:
    if niva != "region":
        return "den läser bara regionens rader (nivå region)"
    if ar > year:
        return f"året ligger efter det nya basåret {year}"
    if ar == year:
        return (f"för {year} läses resultaträkningens huvudrader och balansräkningens poster; "
                "andra rader har ingen motsvarighet i modellen")
    if ar == year - 1:
        return (f"för {year - 1} läses det utgående läget (eget kapital, RUR, resultatreserv, pensionsavsättning, "
                "ansvarsförbindelse, låneskuld, balanskravsunderskott); likvida medel och övriga poster räknar "
                f"modellen fram i basåret {year}")
    return f"före {year - 1} läses bara balanskravsunderskott som ännu inte är återställda"
