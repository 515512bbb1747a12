"""The three statements, one block per scenario: Resultatbudget, Balanskravsutredning, Balansbudget.

Lines as rows, years as columns; subtotals are Excel formulas with their cached values, and a
line that repeats a figure from another sheet is a reference to it.
"""

from __future__ import annotations

import xarray as xr

from flerarsprognos.model.statements import BALANSKRAVSUTREDNING, BALANSRAKNING, RESULTATRAKNING
from flerarsprognos.output import labels
from flerarsprognos.output.excel.book import ONE_DECIMAL, Book, cell, num

# Subtotals, headings and decimals come from the statements catalogue (model/statements.yaml):
# which lines each total adds (the lines carry their sign, as in the regionplan).
RR_FORMULAS = RESULTATRAKNING.formulas
BK_FORMULAS = BALANSKRAVSUTREDNING.formulas
BR_FORMULAS = BALANSRAKNING.formulas
BK_HEADINGS = BALANSKRAVSUTREDNING.headings
BR_HEADINGS = BALANSRAKNING.headings


def _line_cell(book: Book, ws, row: int, col: int, post: str, scenario: str, year: int, value, fm,
               rows: dict, formulas: dict, refs: dict) -> None:
    cached = num(value)
    if post in formulas:
        expr = "+".join(cell(rows[p], col) for p in formulas[post])
        ws.write_formula(row, col, f"={expr}", fm, cached)
    elif post in refs:
        sheet, key = refs[post]
        r, c = book.addr[(sheet, scenario, key, year)]
        ws.write_formula(row, col, f"={cell(r, c, sheet)}", fm, cached)
    else:
        book.number(ws, row, col, value, fm)


def write_lines(book: Book, sheet: str, row: int, scenario: str, da: xr.DataArray, post_dim: str,
                names: dict, formulas: dict, headings: dict | None = None, refs: dict | None = None) -> int:
    """One scenario's table: lines as rows, years as columns; totals as formulas."""
    ws = book.ws[sheet]
    headings, refs = headings or {}, refs or {}
    rows: dict[str, int] = {}
    for post in (str(p) for p in da[post_dim].values):
        if post in headings:
            book.text(ws, row, 0, headings[post], "heading")
            row += 1
        rows[post] = row
        is_total = post in formulas
        book.text(ws, row, 0, names.get(post, post), "label_bold" if is_total else "label")
        fm = book.f["amount_1"] if post in ONE_DECIMAL else book.f["amount_bold" if is_total else "amount"]
        for j, (year, value) in enumerate(zip(book.years, da.sel({post_dim: post}).values, strict=True)):
            _line_cell(book, ws, row, 1 + j, post, scenario, year, value, fm, rows, formulas, refs)
            book.addr[(sheet, scenario, post, year)] = (row, 1 + j)
        row += 1
    return row


def _statement_sheet(book: Book, sheet: str, title: str, subtitle: str, var: str, post_dim: str, names: dict,
                     formulas: dict, headings: dict | None = None, refs: dict | None = None,
                     after_block=None, label_width: int = 4) -> None:
    """A sheet of one block per scenario of one statement; ``after_block`` may add rows below each."""
    ws = book.ws[sheet]
    row = book.sheet_title(ws, title, subtitle)
    ws.freeze_panes(row + 2, 1)
    for scen in book.scenarios:
        row = book.block_start(ws, row, scen, "mnkr")
        row = write_lines(book, sheet, row, scen, book.result[var].sel(scenario=scen), post_dim, names, formulas,
                          headings, refs)
        if after_block is not None:
            row = after_block(book, ws, row, scen)
        row += 2
    book.widths(ws, max(len(v) for v in names.values()) + label_width)


def resultatbudget(book: Book) -> None:
    _statement_sheet(book, "Resultatbudget", "Resultatbudget (mnkr)", book.plan_note(), "resultatrakning",
                     "rr_post", labels.RR, RR_FORMULAS)


def balanskravsutredning(book: Book) -> None:
    _statement_sheet(book, "Balanskravsutredning", "Balanskravsutredning (mnkr)",
                     "Enligt lagen (2018:597) om kommunal bokföring och redovisning (LKBR) 11 kap. 10 §. Årets "
                     "resultat hämtas från Resultatbudget; reserver och underskott anges med en decimal.",
                     "balanskrav", "bk_post", labels.BK, BK_FORMULAS, BK_HEADINGS,
                     refs={"arets_resultat_enligt_resultatrakningen": ("Resultatbudget", "arets_resultat")},
                     label_width=2)


def _balance_check(book: Book, ws, row: int, scen: str) -> int:
    """Under each balance sheet: assets − (liabilities and equity), which must be 0."""
    sheet = "Balansbudget"
    da = book.result["balansrakning"].sel(scenario=scen)
    book.text(ws, row, 0, "Kontroll: tillgångar − skulder och eget kapital (ska vara 0)", "subtitle")
    for j, year in enumerate(book.years):
        a = book.addr[(sheet, scen, "summa_tillgangar", year)]
        b = book.addr[(sheet, scen, "summa_skulder_och_eget_kapital", year)]
        diff = float(da.sel(br_post="summa_tillgangar", year=year)
                     - da.sel(br_post="summa_skulder_och_eget_kapital", year=year))
        # ROUND: a recalculating Excel would otherwise show rounding noise as a red "-0,0"
        ws.write_formula(row, 1 + j, f"=ROUND({cell(*a)}-{cell(*b)},6)", book.f["amount_1"], num(diff))
    return row + 1


def balansbudget(book: Book) -> None:
    _statement_sheet(book, "Balansbudget", "Balansbudget (mnkr, 31 december)",
                     "Basåret är regionplanens balansbudget; senare år räknas fram med resultat, investeringar, "
                     "avskrivningar, pensioner och upplåning.", "balansrakning", "br_post", labels.BR, BR_FORMULAS,
                     BR_HEADINGS, refs={"eget_kapital_darav_arets_resultat": ("Resultatbudget", "arets_resultat")},
                     after_block=_balance_check, label_width=12)
