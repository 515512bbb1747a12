"""The workbook finance staff hand on: XlsxWriter, one table per sheet, sums as formulas.

Layout follows the regionplan: lines as rows, years as columns, one block per scenario
(``bas`` first). Subtotals and totals are Excel formulas *with their cached values*, so a
reader that does not recalculate still shows the model's figures, and an auditor who clicks
a total sees what it adds up. Cells that repeat a figure from another sheet (the summary,
the scenario differences) are references to that sheet, also with cached values.

Number formats, not rounded values (see :mod:`flerarsprognos.output.style`). Every sheet is
protected (no password) because the workbook is a result, not a model; each prints on A4
landscape, one page wide, with its header row repeated. User text is always written as text,
so a label beginning with ``=`` never becomes a formula.

One module per sheet: :mod:`.summary` (the cover), :mod:`.statements`, :mod:`.goals_sheet`,
:mod:`.scenarios`, :mod:`.sensitivity`, :mod:`.assumptions_sheet`, :mod:`.about`.
The workbook is written to a temporary file beside the target and renamed only when complete
(:func:`write_workbook`), so a failure never leaves a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xarray as xr

from flerarsprognos.output.excel import about, assumptions_sheet, goals_sheet, scenarios, sensitivity, statements
from flerarsprognos.output.excel import summary
from flerarsprognos.output.excel.book import Book
from flerarsprognos.output.excel.statements import BK_FORMULAS, BR_FORMULAS, RR_FORMULAS
from flerarsprognos.output.style import AMOUNT, AMOUNT_1, PERCENT, PP_DIFF
from flerarsprognos.problems import InputError, Problems

# (sheet, writer) in the order the sheets appear; the writers run in BUILD_ORDER, detail
# sheets first, since the summary and the differences refer to their cells.
SHEET_WRITERS: dict[str, Callable[[Book], None]] = {
    "Sammanfattning": summary.sammanfattning,
    "Resultatbudget": statements.resultatbudget,
    "Balanskravsutredning": statements.balanskravsutredning,
    "Balansbudget": statements.balansbudget,
    "Finansiella mål": goals_sheet.finansiella_mal,
    "Känslighetsanalys": sensitivity.kanslighetsanalys,
    "Scenarier": scenarios.scenarier,
    "Antaganden": assumptions_sheet.antaganden,
    "Om körningen": about.om_korningen,
}
SHEETS = tuple(SHEET_WRITERS)
BUILD_ORDER = ("Resultatbudget", "Balanskravsutredning", "Balansbudget", "Finansiella mål", "Sammanfattning",
               "Scenarier", "Känslighetsanalys", "Antaganden", "Om körningen")
# Protection lets a reader select, widen columns and filter, but not change a figure.
PROTECTION = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
              "format_rows": True, "autofilter": True, "sort": False}

__all__ = ["AMOUNT", "AMOUNT_1", "BK_FORMULAS", "BR_FORMULAS", "PERCENT", "PP_DIFF", "RR_FORMULAS", "SHEETS",
           "Book", "Extras", "build_workbook", "check_target", "write_workbook"]


@dataclass
class Extras:
    """Results from other analyses that get their own tables when they exist."""

    kanslighet: pd.DataFrame | None = None  # scenario, ar, antagande, forandring, post, mnkr
    sweep: xr.DataArray | None = None  # 2-D grid (e.g. inflation × löneökning) of one outcome
    sweep_higher_is_better: bool = False
    sweep_note: str = ""
    # Sheets other modules write after the model's own: each is called with the XlsxWriter
    # workbook and adds its sheet(s) (e.g. compare.write_plan_mot_utfall_sheet).
    sheets: list[Callable] = field(default_factory=list)


def check_target(path: Path) -> None:
    """Refuse, with a Swedish message, a target the workbook cannot safely replace."""
    from flerarsprognos.output.files import check_output_file

    check_output_file(path, "--excel", ".xlsx")


def write_workbook(path: Path, run, *, command: str = "", extras: Extras | None = None, inputs=()) -> Path:
    """Write the whole workbook for a :class:`~flerarsprognos.runner.Run` to ``path``, atomically.

    Refused when ``path`` is or lies in one of the run's inputs or the other ``inputs`` (an
    outcome file, a sweep file)."""
    import xlsxwriter.exceptions

    from flerarsprognos.output.files import atomic_path, check_not_an_input, run_inputs

    path = Path(path)
    check_target(path)
    check_not_an_input(path, [*run_inputs(run), *inputs], "--excel")
    try:
        with atomic_path(path) as tmp:
            build_workbook(tmp, run, command=command, extras=extras or Extras())
    except (xlsxwriter.exceptions.FileCreateError, PermissionError, OSError) as exc:
        problems = Problems()
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.error(path, None, f"kunde inte skriva arbetsboken ({reason}); ingen fil har skrivits")
        raise InputError(problems.items) from None
    return path


def finish_sheet(book: Book, ws, protect: bool = True) -> None:
    """Print settings (and protection) for one sheet."""
    if ws.get_name() != "Om körningen":
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
    ws.set_footer("&L&A&RSida &P av &N")
    sheet = ws.get_name()
    last_row = max(ws.dim_rowmax or 0, getattr(book, "chart_rows", (0, 0))[1] if sheet == "Sammanfattning" else 0)
    ws.print_area(0, 0, last_row, ws.dim_colmax or 0)
    if sheet in book.header_rows:
        ws.repeat_rows(book.header_rows[sheet])
    if protect:
        ws.protect("", PROTECTION)


def build_workbook(filename: Path, run, *, command: str = "", extras: Extras | None = None) -> None:
    """Write the workbook to ``filename`` directly (no atomic rename; see :func:`write_workbook`)."""
    book = Book(Path(filename), run, command, extras or Extras(), SHEETS)
    for name in BUILD_ORDER:
        SHEET_WRITERS[name](book)
    for name in SHEETS:
        finish_sheet(book, book.ws[name])
    for add_sheet in book.extras.sheets:
        add_sheet(book.wb)
    for ws in book.wb.worksheets()[len(SHEETS):]:  # other modules' sheets: their own protection
        finish_sheet(book, ws, protect=False)
    book.ws["Sammanfattning"].activate()
    book.wb.close()
