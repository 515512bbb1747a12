"""Finansiella mål: value, target, verdict and the mnkr needed, per goal, scenario and year."""

from __future__ import annotations

from flerarsprognos.output import goals, labels
from flerarsprognos.output.excel.book import Book, cell

SHEET = "Finansiella mål"


def status_colours(book: Book, ws, r0: int, r1: int, c0: int = 1, c1: int | None = None,
                   status_row: int | None = None) -> None:
    """Colour cells by a verdict: green uppfyllt, yellow knappt, red ej uppfyllt.

    Without ``status_row`` the cells themselves hold the verdict; with it, value cells are
    coloured by the verdict in that row (same column)."""
    c1 = len(book.years) if c1 is None else c1
    rng = f"{cell(r0, c0)}:{cell(r1, c1)}"
    from xlsxwriter.utility import xl_rowcol_to_cell

    # relative to the range's top-left cell; with a status row, that row is fixed
    ref = xl_rowcol_to_cell(r0 if status_row is None else status_row, c0, row_abs=status_row is not None)
    for test, fm in ((f'={ref}="{goals.Status(goals.MET).word}"', "good"),
                     (f'=LEFT({ref},6)="knappt"', "close"),
                     (f'={ref}="{goals.Status(goals.MISSED).word}"', "bad")):
        ws.conditional_format(rng, {"type": "formula", "criteria": test, "format": book.f[fm]})


def _goal_block(book: Book, ws, row: int, scen: str, goal: str) -> int:
    res = book.result
    sel = {"scenario": scen, "mal": goal}
    vfmt = book.f["percent"] if goal in labels.MAL_RATIO else book.f["amount"]
    value, target = res["mal_varde"].sel(sel).values, res["mal_malvarde"].sel(sel).values
    verdicts = goals.statuses(res, scen, goal)
    book.text(ws, row, 0, labels.MAL[goal], "label_bold")
    book.text(ws, row + 1, 0, "    målvärde")
    book.text(ws, row + 2, 0, "    uppfyllt")
    book.text(ws, row + 3, 0, "    behov (+) / marginal (−), mnkr")
    for j, year in enumerate(book.years):
        col = 1 + j
        for r, v, fm in ((row, value[j], vfmt), (row + 1, target[j], vfmt), (row + 3, verdicts[j].gap, book.f["amount"])):
            if v is None or v != v:
                book.text(ws, r, col, "–", "text_right")
            else:
                book.number(ws, r, col, v, fm)
        book.text(ws, row + 2, col, verdicts[j].word, "text_right")
        book.addr[(SHEET, scen, goal, year)] = (row, col)
        book.addr[(SHEET, scen, f"{goal}_uppfyllt", year)] = (row + 2, col)
    status_colours(book, ws, row, row, status_row=row + 2)
    status_colours(book, ws, row + 2, row + 2)
    return row + 4


def finansiella_mal(book: Book) -> None:
    ws = book.ws[SHEET]
    row = book.sheet_title(ws, "Finansiella mål (god ekonomisk hushållning)",
                           "Grönt: målet uppfyllt, gult: knappt uppfyllt, rött: ej uppfyllt. 'Behov' är mnkr i "
                           "lägre kostnad eller högre intäkt som krävs för att nå målet (negativt: marginal).")
    ws.freeze_panes(row + 2, 1)
    for scen in book.scenarios:
        row = book.block_start(ws, row, scen, "Mål")
        for goal in (str(g) for g in book.result["mal"].values):
            row = _goal_block(book, ws, row, scen, goal)
        row += 2
    book.text(ws, row, 0, goals.LEGEND, "subtitle")
    book.widths(ws, max(len(v) for v in labels.MAL.values()) + 2, years=16)
