"""The workbook being built: its formats, the shared pieces of every sheet, and the address of
every figure another sheet refers to. One module per sheet writes the sheets (see ``__init__``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import xarray as xr

from flerarsprognos.model.statements import BALANSKRAVSUTREDNING, BALANSRAKNING, RESULTATRAKNING
from flerarsprognos.output import style
from flerarsprognos.output.presentation import region_name

# Lines shown with one decimal, as the source documents print them (RUR 843,3): from the catalogue.
ONE_DECIMAL = {post for statement in (RESULTATRAKNING, BALANSKRAVSUTREDNING, BALANSRAKNING)
               for post, decimals in statement.decimals.items() if decimals == 1}


def num(x) -> float | None:
    """A cached value: None for NaN/inf, and no negative zero (−3,6e−12 is stored as 0)."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    return 0.0 if abs(x) < 1e-9 else x


def cell(r: int, c: int, sheet: str | None = None, absolute: bool = False) -> str:
    from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
    ref = xl_rowcol_to_cell(r, c, row_abs=absolute, col_abs=absolute)
    return f"{quote_sheetname(sheet)}!{ref}" if sheet else ref


class Book:
    def __init__(self, filename: Path, run, command: str, extras, sheets: Sequence[str]):
        import xlsxwriter

        self.run = run
        self.result: xr.Dataset = run.result
        self.extras = extras
        self.command = command
        self.years = [int(y) for y in self.result["year"].values]
        self.scenarios = [str(s) for s in self.result["scenario"].values]
        self.titles = {s.name: s.title for s in run.sets}
        self.planslut = int(run.base.planslut)
        self.region = region_name(run.base)
        # strings_to_formulas off: a text beginning with "=" is always text, never a formula.
        self.wb = xlsxwriter.Workbook(str(filename), {"nan_inf_to_errors": False, "strings_to_formulas": False,
                                                      "strings_to_urls": False})
        self.wb.set_properties({"title": f"Flerårsprognos {self.region}".strip(),
                                "subject": "Resultatbudget, balanskrav och finansiella mål",
                                "author": "flerarsprognos", "comments": f"Antaganden {run.base.digest}"})
        self.ws = {name: self.wb.add_worksheet(name) for name in sheets}
        self.addr: dict[tuple[str, str, str, int], tuple[int, int]] = {}
        self.header_rows: dict[str, int] = {}  # the row each sheet repeats on every printed page
        self.f = self._formats()

    def _formats(self) -> dict:
        wb = self.wb
        base = {"font_name": "Calibri", "font_size": 11}
        mk = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        head = {"bold": True, "bottom": 1, "bg_color": style.HEAD_BG}
        ext = {"italic": True, "font_color": style.EXTENDED_FG, "bg_color": style.EXTENDED_BG}
        return {
            "title": mk(bold=True, font_size=16),
            "subtitle": mk(italic=True, font_color=style.MUTED),
            "note": mk(text_wrap=True, valign="top"),
            "block": mk(bold=True, font_size=12, font_color=style.ACCENT),
            "header": mk(**head, align="right", num_format=style.YEAR),
            "header_left": mk(**head),
            "label": mk(),
            "label_bold": mk(bold=True),
            "heading": mk(bold=True, italic=True),
            "amount": mk(num_format=style.AMOUNT),
            "amount_bold": mk(num_format=style.AMOUNT, bold=True, top=1),
            "amount_1": mk(num_format=style.AMOUNT_1),
            "percent": mk(num_format=style.PERCENT),
            "pp": mk(num_format=style.PP_DIFF),
            "text_right": mk(align="right"),
            "text": mk(text_wrap=False),
            "general": mk(num_format="General"),
            "year": mk(num_format=style.YEAR),
            "count": mk(num_format=style.COUNT),
            "extended": mk(**ext),
            "extended_count": mk(**ext, num_format=style.COUNT),
            "extended_year": mk(**ext, num_format=style.YEAR),
            "good": wb.add_format({"bg_color": style.GOOD_BG, "font_color": style.GOOD_FG}),
            "close": wb.add_format({"bg_color": style.CLOSE_BG, "font_color": style.CLOSE_FG}),
            "bad": wb.add_format({"bg_color": style.BAD_BG, "font_color": style.BAD_FG}),
        }

    # -- shared pieces ---------------------------------------------------------------------

    def text(self, ws, r: int, c: int, value, fmt_name: str = "label") -> None:
        """User text (titles, labels, sources) always as a string: never a formula."""
        ws.write_string(r, c, str(value), self.f[fmt_name])

    def number(self, ws, r: int, c: int, value, fm) -> None:
        x = num(value)
        if x is None:
            ws.write_blank(r, c, None, fm)
        else:
            ws.write_number(r, c, x, fm)

    def sheet_title(self, ws, title: str, subtitle: str) -> int:
        where = f" – {self.region}" if self.region else ""
        self.text(ws, 0, 0, f"{title}{where}", "title")
        self.text(ws, 1, 0, subtitle, "subtitle")
        return 3

    def year_header(self, ws, row: int, first: str, extra: Sequence[str] = ()) -> None:
        self.text(ws, row, 0, first, "header_left")
        for j, y in enumerate(self.years):
            ws.write_number(row, 1 + j, y, self.f["header"])
        for k, text in enumerate(extra):
            self.text(ws, row, 1 + len(self.years) + k, text, "header_left")
        self.header_rows.setdefault(ws.get_name(), row)

    def plan_note(self) -> str:
        first, last = self.years[0], self.years[-1]
        note = f"{first}–{self.planslut}: beslutad flerårsplan (regionplanen); "
        if self.planslut < last:
            note += f"{self.planslut + 1}–{last}: prognos (framskrivning med antagandena)."
        return note

    def scenario_name(self, scenario: str) -> str:
        """The scenario as a reader knows it: its title, the key after it."""
        title = self.titles.get(scenario, "")
        return f"{scenario} – {title}" if title else scenario

    def block_start(self, ws, row: int, scenario: str, first: str) -> int:
        """A scenario block's title, then its year header; returns the first line's row."""
        self.text(ws, row, 0, self.scenario_name(scenario), "block")
        self.year_header(ws, row + 1, first)
        return row + 2

    def widths(self, ws, first: int, years: int = 12, extra: Sequence[int] = ()) -> None:
        ws.set_column(0, 0, first)
        ws.set_column(1, len(self.years), years)
        for k, w in enumerate(extra):
            c = 1 + len(self.years) + k
            ws.set_column(c, c, w)

    def value(self, sheet: str, scen: str, key: str, year: int) -> float | None:
        res = self.result.sel(scenario=scen, year=year)
        if sheet == "Resultatbudget":
            return num(res["resultatrakning"].sel(rr_post=key))
        if sheet == "Balanskravsutredning":
            return num(res["balanskrav"].sel(bk_post=key))
        if sheet == "Finansiella mål":
            return num(res["mal_varde"].sel(mal=key))
        raise KeyError(sheet)
