"""Terminal tables: in an 80-column terminal nothing is dropped or cut without a word."""

from __future__ import annotations

import pytest
from rich.console import Console

from flerarsprognos.output import labels, tables


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("make", [tables.resultatbudget, tables.balanskravsutredning, tables.finansiella_mal])
def test_every_year_and_label_is_shown_at_any_width(default_run, make, width):
    console = Console(width=width, record=True, color_system=None)
    console.print(make(default_run.result, "bas"))
    text = console.export_text()
    assert "…" not in text
    for year in default_run.result["year"].values:
        assert str(int(year)) in text
    assert max(len(line) for line in text.splitlines()) <= width
    if make is tables.finansiella_mal:
        for word in labels.MAL["sjalvfinansieringsgrad"].split():
            assert word in text
        assert "mäts, inget mål" in text and "från 2026" in text
    if width == 80 and make is tables.finansiella_mal:
        assert "Tabellen är delad efter år" in text  # says so when it splits


def test_difference_rows_named_by_scenario_title(default_run):
    res = default_run.result.copy()
    res.attrs["scenarier"] = ";".join(f"{s.name}: {s.title}" for s in default_run.sets)
    console = Console(width=160, record=True, color_system=None)
    console.print(tables.difference(res))
    text = console.export_text()
    for s in default_run.sets[1:]:
        assert s.title.split()[0] in text
        assert s.name not in text


@pytest.mark.parametrize("width", [80, 160])
def test_scenario_names_and_titles_with_markup_print_literally(tmp_path, width):
    """A scenario called x[red] (its file's name) with a title holding rich markup: every table
    title and row shows the text as typed; a stray closing tag does not raise a MarkupError."""
    from flerarsprognos.runner import run

    path = tmp_path / "x[red].yaml"
    path.write_text("titel: 'Röd [red] titel [/bold]'\nbeskrivning: B\nkalla: K\nbaslinje: bas\nandringar:\n"
                    "  kpi: {enhet: procent, forskjutning: 1}\n", encoding="utf-8")
    r = run(None, [str(path)])
    res = r.result.copy()
    res.attrs["scenarier"] = ";".join(f"{s.name}: {s.title}" for s in r.sets)
    console = Console(width=width, record=True, color_system=None)
    for make in (tables.resultatbudget, tables.balanskravsutredning, tables.finansiella_mal):
        console.print(make(res, "x[red]"))
    console.print(tables.difference(res))
    text = console.export_text()
    for title in ("Resultatbudget – x[red]", "Balanskravsutredning – x[red]", "Finansiella mål – x[red]"):
        assert title in text, title
    assert "Röd [red] titel [/bold]" in text
