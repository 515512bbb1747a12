"""Sammanfattning, the cover sheet: what the workbook is, the key figures, the goals and a chart."""

from __future__ import annotations

from flerarsprognos.output import goals, labels, style
from flerarsprognos.output.excel.book import Book, cell
from flerarsprognos.output.excel.goals_sheet import status_colours
from flerarsprognos.output.presentation import reserves_holding_up

SHEET = "Sammanfattning"
KEY_ROWS = (
    ("Årets resultat", "Resultatbudget", "arets_resultat", "amount_bold"),
    ("Årets balanskravsresultat", "Balanskravsutredning", "arets_balanskravsresultat", "amount"),
    ("Resultatutjämningsreserv, utgående", "Balanskravsutredning", "rur_utgaende", "amount_1"),
    ("Resultatreserv, utgående", "Balanskravsutredning", "resultatreserv_utgaende", "amount_1"),
    ("Nettokostnadsandel", "Finansiella mål", "nettokostnadsandel", "percent"),
)


def cover_lines(book: Book) -> list[str]:
    """What the workbook is and how to change it, in the words of the cover."""
    run = book.run
    what = f"Resultatet av en körning av flerarsprognos för {book.region or 'regionen'}"
    command = book.command or "(anropad från Python)"
    held = reserves_holding_up(book.result, "bas")
    return [
        f"{what}: {command}; antaganden {run.base.digest}. {book.plan_note()}" + (f" {held}" if held else ""),
        "Arbetsboken är ingen modell: ändras en cell räknas bara summorna om, inte RUR, målen eller senare år. "
        "Ändra antagandena i antagandefilerna (eller antagandearbetsboken) och kör igen; bladen är skyddade "
        "mot ändringar av misstag (Granska → Ta bort skydd, utan lösenord).",
        "Alla belopp i mnkr. Siffrorna är länkar till bladen Resultatbudget, Balanskravsutredning och "
        "Finansiella mål; 'Om körningen' visar filerna och kommandot. Diagrammet står under tabellerna.",
    ]


def _block(book: Book, ws, row: int, scen: str) -> int:
    row = book.block_start(ws, row, scen, "Nyckeltal")
    for label, src, key, fm in KEY_ROWS:
        book.text(ws, row, 0, label, "label_bold" if key == "arets_resultat" else "label")
        for j, year in enumerate(book.years):
            r, c = book.addr[(src, scen, key, year)]
            ws.write_formula(row, 1 + j, f"={cell(r, c, src)}", book.f[fm], book.value(src, scen, key, year))
            book.addr[(SHEET, scen, key, year)] = (row, 1 + j)
        row += 1
    book.text(ws, row, 0, "Finansiella mål", "heading")
    row += 1
    first_goal = row
    for goal in (str(g) for g in book.result["mal"].values):
        book.text(ws, row, 0, labels.MAL[goal])
        for j, (year, verdict) in enumerate(zip(book.years, goals.statuses(book.result, scen, goal), strict=True)):
            r, c = book.addr[("Finansiella mål", scen, f"{goal}_uppfyllt", year)]
            ws.write_formula(row, 1 + j, f"={cell(r, c, 'Finansiella mål')}", book.f["text_right"], verdict.word)
        row += 1
    status_colours(book, ws, first_goal, row - 1)
    return row + 2


def sammanfattning(book: Book) -> None:
    ws = book.ws[SHEET]
    where = f" – {book.region}" if book.region else ""
    book.text(ws, 0, 0, f"Flerårsprognos {book.years[0]}–{book.years[-1]}{where}: sammanfattning", "title")
    for i, line in enumerate(cover_lines(book)):
        book.text(ws, 1 + i, 0, line, "subtitle")
    row = 5
    ws.freeze_panes(row + 2, 1)
    for scen in book.scenarios:
        row = _block(book, ws, row, scen)
    book.widths(ws, max(len(v) for v in labels.MAL.values()) + 2, years=16)
    chart(book, ws, row)


def chart(book: Book, ws, row: int) -> None:
    """A native line chart of årets resultat per scenario, from the Resultatbudget cells; the
    legend names each scenario by its title. A page break keeps it on one printed page."""
    ch = book.wb.add_chart({"type": "line"})
    header = book.header_rows["Resultatbudget"]
    for k, scen in enumerate(book.scenarios):
        r, c0 = book.addr[("Resultatbudget", scen, "arets_resultat", book.years[0])]
        _, c1 = book.addr[("Resultatbudget", scen, "arets_resultat", book.years[-1])]
        colour = style.PALETTE[k % len(style.PALETTE)]
        ch.add_series({
            "name": book.titles.get(scen) or scen,
            "categories": ["Resultatbudget", header, c0, header, c1],
            "values": ["Resultatbudget", r, c0, r, c1],
            "line": {"color": colour, "width": 2.5},
            "marker": {"type": "circle", "size": 6, "fill": {"color": colour}, "border": {"color": colour}},
        })
    ch.set_title({"name": "Årets resultat per scenario (mnkr)"})
    ch.set_y_axis({"num_format": style.AMOUNT, "major_gridlines": {"visible": True, "line": {"color": style.LINE}}})
    ch.set_x_axis({"label_position": "low", "num_format": style.YEAR})
    ch.set_legend({"position": "bottom"})
    ch.set_size({"width": 760, "height": 380})
    ws.set_h_pagebreaks([row])
    book.text(ws, row, 0, "Diagram: årets resultat per scenario", "block")
    ws.insert_chart(row + 1, 0, ch)
    book.chart_rows = (row, row + 21)
