"""Antaganden: every assumption that applies, in the file's unit, extended values marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from flerarsprognos.output.excel.book import Book, num

SHEET = "Antaganden"
YEAR_COL = 4  # first year column


def _year_span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _value_cell(book: Book, ws, r: int, c: int, x, unit: str, extended: bool = False) -> None:
    from flerarsprognos.io.assumptions import from_canonical

    if isinstance(x, str):
        book.text(ws, r, c, x, "extended" if extended else "text")
        return
    v = num(from_canonical(x, unit))
    if v is None:
        return
    if unit == "ar":  # years are never grouped: 2023, not 2 023
        name = "year"
    elif float(v).is_integer():
        name = "count"  # counts and whole amounts always are: 283 000
    else:
        name = "general"
    if extended:
        name = {"year": "extended_year", "count": "extended_count"}.get(name, "extended")
    ws.write_number(r, c, v, book.f[name])


def _values(book: Book, ws, r: int, aset, v) -> list[int]:
    """Write one key's values; return the years that were extended."""
    unit = v.file_unit
    if v.spec.history:  # years before the base year, as text
        from flerarsprognos.output.presentation import history_text

        book.text(ws, r, 3, history_text(v))
        return []
    if not v.spec.by_year:
        _value_cell(book, ws, r, 3, v.data, unit)
        return []
    extended_years = []
    data = np.asarray(v.data, dtype=float)
    for i, year in enumerate(book.years):
        if i >= len(data) or np.isnan(data[i]) or (v.spec.coverage == "plan" and year > aset.planslut):
            continue
        ext = bool(v.extended is not None and v.extended[i])
        if ext:
            extended_years.append(year)
        _value_cell(book, ws, r, YEAR_COL + i, data[i], unit, ext)
    return extended_years


def _block(book: Book, ws, r: int, aset, keys) -> int:
    n = len(book.years)
    for key in keys:
        v = aset.values[key]
        book.text(ws, r, 0, key + (f" ({v.method})" if v.method else ""))
        book.text(ws, r, 1, v.description or v.spec.label, "note")
        book.text(ws, r, 2, v.file_unit)
        extended_years = _values(book, ws, r, aset, v)
        book.text(ws, r, YEAR_COL + n, _year_span(extended_years) or "nej")
        book.text(ws, r, YEAR_COL + n + 1, " ".join(v.source.split()), "note")
        book.text(ws, r, YEAR_COL + n + 2, Path(v.file).name)
        r += 1
    return r


def antaganden(book: Book) -> None:
    ws = book.ws[SHEET]
    run = book.run
    row = book.sheet_title(ws, "Antaganden som gäller",
                           "Värden i filens enhet. Grå kursiv cell = förlängt värde (fylls i från senast givna år, "
                           "inte angivet i filen). Tomt = inget värde för året. Ändringar här påverkar inte "
                           "resultatet: ändra antagandefilerna och kör igen.")
    head = ["Nyckel", "Beskrivning", "Enhet", "Värde (utan år)", *book.years, "Förlängt", "Källa", "Fil"]
    for c, text in enumerate(head):
        if isinstance(text, int):
            ws.write_number(row, c, text, book.f["header"])
        else:
            book.text(ws, row, c, text, "header_left")
    book.header_rows[SHEET] = row
    ws.freeze_panes(row + 1, 1)
    row += 1
    book.text(ws, row, 0, f"bas – {run.base.title} (antaganden {run.base.digest})", "block")
    row = _block(book, ws, row + 1, run.base, list(run.base.values))
    for aset in run.sets[1:]:
        changed = [k for k, v in aset.values.items() if v.changed_by]
        book.text(ws, row + 1, 0, f"{aset.name} – {aset.title}: ändrade antaganden", "block")
        row += 2
        if not changed:
            book.text(ws, row, 0, "inga ändringar")
            row += 1
        row = _block(book, ws, row, aset, changed)
    n = len(book.years)
    # Description and source wrap, so that the sheet prints one page wide at a readable size.
    for first, last, width in ((0, 0, 36), (1, 1, 34), (2, 2, 12), (3, 3 + n, 10), (YEAR_COL + n, YEAR_COL + n, 10),
                               (YEAR_COL + n + 1, YEAR_COL + n + 1, 48), (YEAR_COL + n + 2, YEAR_COL + n + 2, 14)):
        ws.set_column(first, last, width)
