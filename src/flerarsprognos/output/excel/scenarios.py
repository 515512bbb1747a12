"""Scenarier: each scenario minus bas, as formulas against the statement sheets."""

from __future__ import annotations

from flerarsprognos.output import labels
from flerarsprognos.output.excel.book import ONE_DECIMAL, Book, cell
from flerarsprognos.output.excel.statements import RR_FORMULAS

SHEET = "Scenarier"


def _lines() -> list[tuple[str, str, str, bool]]:
    lines = [("Resultatbudget", p, labels.RR[p], p in RR_FORMULAS) for p in labels.RR]
    lines += [("Balanskravsutredning", key, labels.BK[key], False)
              for key in ("arets_balanskravsresultat", "rur_utgaende", "resultatreserv_utgaende")]
    lines.append(("Finansiella mål", "nettokostnadsandel", "Nettokostnadsandel (procentenheter)", False))
    return lines


def _difference(book: Book, ws, row: int, col: int, src: str, scen: str, key: str, year: int, fm) -> None:
    rs, cs = book.addr[(src, scen, key, year)]
    rb, cb = book.addr[(src, "bas", key, year)]
    a, b = book.value(src, scen, key, year), book.value(src, "bas", key, year)
    cached = None if a is None or b is None else a - b
    scale = "*100" if src == "Finansiella mål" else ""
    if cached is not None:
        cached = round(cached * (100.0 if scale else 1.0), 6) + 0.0
    # ROUND: equal figures give 0, not a red "-0" from rounding noise when Excel recalculates
    ws.write_formula(row, col, f"=ROUND(({cell(rs, cs, src)}-{cell(rb, cb, src)}){scale},6)", fm, cached)


def scenarier(book: Book) -> None:
    ws = book.ws[SHEET]
    row = book.sheet_title(ws, "Scenarier: skillnad mot bas",
                           "Varje cell är scenariots värde minus basalternativets (formel mot bladen "
                           "Resultatbudget, Balanskravsutredning och Finansiella mål). Positivt = bättre "
                           "resultat än bas.")
    ws.freeze_panes(row + 2, 1)
    others = [s for s in book.scenarios if s != "bas"]
    if not others:
        book.text(ws, row, 0, "Körningen har bara basalternativet. Ange scenariofiler för att jämföra, t.ex. "
                              "flerarsprognos export hogre_loner.")
    for scen in others:
        row = book.block_start(ws, row, scen, "Skillnad mot bas, mnkr")
        for src, key, label, bold in _lines():
            book.text(ws, row, 0, label, "label_bold" if bold else "label")
            if src == "Finansiella mål":
                fm = book.f["pp"]
            else:
                fm = book.f["amount_1" if key in ONE_DECIMAL else ("amount_bold" if bold else "amount")]
            for j, year in enumerate(book.years):
                _difference(book, ws, row, 1 + j, src, scen, key, year, fm)
            row += 1
        row += 2
    book.widths(ws, 44)
