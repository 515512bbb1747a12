"""Känslighetsanalys: the standard changes, and the inflation × löneökning grid of a sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.output import labels, style
from flerarsprognos.output.excel.book import Book

SHEET = "Känslighetsanalys"


def _table(book: Book, ws, row: int, scen: str, post: str, part: pd.DataFrame, years: list[int]) -> int:
    book.text(ws, row, 0, "Antagande", "header_left")
    book.text(ws, row, 1, "Förändring", "header_left")
    for j, y in enumerate(years):
        ws.write_number(row, 2 + j, y, book.f["header"])
    book.header_rows.setdefault(SHEET, row)
    what = labels.RR.get(post, labels.BK.get(post, str(post)))
    book.text(ws, row + 1, 0, f"{book.scenario_name(scen)}: effekt på {what.lower()} (mnkr)", "block")
    row += 2
    table = part.pivot_table(index=["antagande", "forandring"], columns="ar", values="mnkr", sort=False)
    r0 = row
    for (antagande, forandring), values in table.iterrows():
        book.text(ws, row, 0, antagande)
        book.text(ws, row, 1, forandring)
        for j, y in enumerate(years):
            book.number(ws, row, 2 + j, values.get(y, np.nan), book.f["amount"])
        row += 1
    ws.conditional_format(r0, 2, row - 1, 1 + len(years), {
        "type": "3_color_scale", "min_color": style.SCALE_BAD, "mid_type": "num", "mid_value": 0,
        "mid_color": style.SCALE_ZERO, "max_color": style.SCALE_GOOD})
    return row + 2


def kanslighetsanalys(book: Book) -> None:
    ws = book.ws[SHEET]
    row = book.sheet_title(ws, "Känslighetsanalys", "Effekt i mnkr av en förändring i ett antagande, allt annat lika.")
    kt = book.extras.kanslighet
    if kt is None or len(kt) == 0:
        book.text(ws, row, 0, "Ingen känslighetsanalys i den här körningen.")
        row += 2
    else:
        ws.freeze_panes(row + 1, 2)
        years = sorted(int(y) for y in kt["ar"].unique())
        for (scen, post), part in kt.groupby(["scenario", "post"], sort=False):
            row = _table(book, ws, row, str(scen), str(post), part, years)
        ws.set_column(0, 0, max(12, int(kt["antagande"].astype(str).str.len().max()) + 2))
        ws.set_column(1, 1, max(12, int(kt["forandring"].astype(str).str.len().max()) + 2))
        ws.set_column(2, 1 + len(years), 10)
    if book.extras.sweep is not None:
        sweep_grid(book, ws, row, book.extras.sweep)


def sweep_grid(book: Book, ws, row: int, grid: xr.DataArray) -> None:
    ydim, xdim = grid.dims
    name = grid.attrs.get("long_name", grid.name or "utfall")
    ylab, xlab = grid[ydim].attrs.get("long_name", ydim), grid[xdim].attrs.get("long_name", xdim)
    book.text(ws, row, 0, f"{name} – rader: {ylab}; kolumner: {xlab}", "block")
    if book.extras.sweep_note:
        book.text(ws, row + 1, 0, book.extras.sweep_note, "subtitle")
    row += 2
    fm = book.f["percent"] if grid.attrs.get("ratio", False) else book.f["amount"]
    book.text(ws, row, 0, f"{ylab} ↓ / {xlab} →", "header_left")
    for j, xv in enumerate(grid[xdim].values):
        ws.write_number(row, 1 + j, float(xv), _axis_format(book, grid[xdim].attrs.get("enhet", "")))
    values = grid.values
    for i, yv in enumerate(grid[ydim].values):
        ws.write_number(row + 1 + i, 0, float(yv), _axis_format(book, grid[ydim].attrs.get("enhet", "")))
        for j in range(values.shape[1]):
            book.number(ws, row + 1 + i, 1 + j, values[i, j], fm)
    low, high = ((style.SCALE_BAD, style.SCALE_GOOD) if book.extras.sweep_higher_is_better
                 else (style.SCALE_GOOD, style.SCALE_BAD))
    ws.conditional_format(row + 1, 1, row + values.shape[0], values.shape[1], {
        "type": "3_color_scale", "min_color": low, "mid_color": style.SCALE_MID, "max_color": high})


def _axis_format(book: Book, unit: str):
    """Sweep axis values in their own unit: shifts in procentenheter, percent, or fractions."""
    if unit == "procentenheter":
        code = '+0.0" pe";-0.0" pe";0.0" pe"'
    elif unit.startswith("procent"):
        code = '0.0" %"'
    else:
        code = "0.0%"
    key = f"axis_{code}"
    if key not in book.f:
        book.f[key] = book.wb.add_format({"bold": True, "num_format": code, "bg_color": style.HEAD_BG})
    return book.f[key]
