"""Om körningen: program, version, files, command and time: what it takes to reproduce the run."""

from __future__ import annotations

from flerarsprognos.output.excel.book import Book
from flerarsprognos.output.presentation import shown_path

SHEET = "Om körningen"


def about_rows(book: Book) -> list[tuple[str, str]]:
    from flerarsprognos.output.files import provenance

    run = book.run
    prov = provenance(run.base.digest, run.scenario_files, book.command)
    rows = [
        ("Program", "flerarsprognos"),
        ("Version", prov["flerarsprognos_version"]),
        ("Region", book.region or "(anges inte i antagandena)"),
        ("Antagandenas hash", prov["antaganden_hash"]),
        ("Antagandefiler", "; ".join(shown_path(p) for p in run.base.files)),
        ("Scenarier", "; ".join(f"{s.name}: {s.title}" for s in run.sets)),
        ("Scenariofiler", "; ".join(shown_path(p) for p in run.scenario_files) or "inga (bara basalternativet)"),
        ("Kommando", prov["kommando"] or "(anropad från Python)"),
        ("Tidpunkt", prov["tidpunkt"]),
        ("År", f"{book.years[0]}–{book.years[-1]}; plan till och med {book.planslut}"),
        ("Enhet", "mnkr (miljoner kronor), löpande priser, om inget annat anges"),
        ("Formler", "Delsummor och summor är Excelformler med sparade värden; celler som visar en siffra från "
                    "ett annat blad är länkar dit."),
        ("Ändra", "Arbetsboken är resultatet av körningen, ingen modell. Ändra antagandena och kör igen."),
    ]
    rows += [("Varning", str(w)) for w in getattr(run, "warnings", []) or []]
    return rows


def om_korningen(book: Book) -> None:
    ws = book.ws[SHEET]
    book.text(ws, 0, 0, "Om körningen", "title")
    ws.set_portrait()  # two columns: upright A4 prints them at full size
    for i, (k, v) in enumerate(about_rows(book)):
        book.text(ws, 2 + i, 0, k, "label_bold")
        book.text(ws, 2 + i, 1, v, "note")
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 90)  # wrapped: one printed page wide at full size
