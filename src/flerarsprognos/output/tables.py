"""Rich tables for the terminal, laid out as in the budget documents.

Each table fits the terminal it is printed in: when all the years do not fit beside the
labels, the table is split into consecutive groups of years (each group a table of its own,
titled with its years) and a line says so — nothing is cut off without a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import xarray as xr
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flerarsprognos.output import fmt, goals, labels

LABEL_MIN = 16  # the label column wraps down to this width, never cuts


@dataclass
class YearTable:
    """Lines × years, with optional fixed columns between the label and the years."""

    title: str
    first: str
    years: list[int]
    rows: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # label, fixed cells, year cells
    fixed: Sequence[str] = ()
    caption: str = ""

    def table(self, idx: Sequence[int], title: str | None = None, caption: bool = True) -> Table:
        t = Table(title=title or self.title, title_justify="left", show_edge=False, header_style="bold",
                  caption=(self.caption or None) if caption else None, caption_justify="left")
        t.add_column(self.first, overflow="fold", min_width=LABEL_MIN)
        for name in self.fixed:
            t.add_column(name, justify="right", no_wrap=True)
        for i in idx:
            t.add_column(str(self.years[i]), justify="right", no_wrap=True, min_width=6)
        for label, fixed, cells in self.rows:
            t.add_row(label, *fixed, *[cells[i] for i in idx])
        return t

    def width(self, idx: Sequence[int]) -> int:
        """Characters the table needs with the label column at its narrowest (show_edge off:
        one space of padding each side of a cell and one rule between columns)."""
        def cell_len(markup: str) -> int:
            return Text.from_markup(markup).cell_len

        columns = [LABEL_MIN]
        for k, name in enumerate(self.fixed):
            columns.append(max([cell_len(name)] + [cell_len(r[1][k]) for r in self.rows]))
        for i in idx:
            columns.append(max([6, len(str(self.years[i]))] + [cell_len(r[2][i]) for r in self.rows]))
        return sum(columns) + 2 * len(columns) + len(columns) - 1

    def __rich_console__(self, console, options):
        n = len(self.years)
        width = options.max_width
        if self.width(range(n)) <= width:
            yield self.table(range(n))
            return
        for parts in range(2, n + 1):
            size = -(-n // parts)
            groups = [list(range(k, min(k + size, n))) for k in range(0, n, size)]
            if all(self.width(g) <= width for g in groups) or parts == n:
                spans = [_span(self.years[g[0]], self.years[g[-1]]) for g in groups]
                yield Text(f"Tabellen är delad efter år för att få plats i terminalen ({width} tecken): "
                           f"{', '.join(spans)}.", style="dim")
                for k, (g, span) in enumerate(zip(groups, spans, strict=True)):
                    yield self.table(g, f"{self.title} ({span})", caption=k == len(groups) - 1)
                return


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _titles(result: xr.Dataset) -> dict[str, str]:
    """Scenario titles recorded on the result ("bas: Basalternativ;hogre_loner: Högre löneökning")."""
    out = {}
    for part in str(result.attrs.get("scenarier", "")).split(";"):
        name, _, title = part.partition(": ")
        if name and title:
            out[name.strip()] = title.strip()
    return out


def _amounts(title: str, da: xr.DataArray, post_dim: str, names: dict, subtotals: set, decimals=0) -> YearTable:
    t = YearTable(title, "mnkr", [int(y) for y in da["year"].values])
    for post in (str(p) for p in da[post_dim].values):
        cells = [fmt.mnkr(v, decimals) for v in da.sel({post_dim: post}).values]
        label = names.get(post, post)
        if post in subtotals:
            t.rows.append((f"[bold]{label}[/bold]", [], [f"[bold]{c}[/bold]" for c in cells]))
        else:
            t.rows.append((label, [], cells))
    return t


def _scenario_title(result: xr.Dataset, scenario: str) -> str:
    return escape(_titles(result).get(scenario, scenario))


def resultatbudget(result: xr.Dataset, scenario: str) -> YearTable:
    da = result["resultatrakning"].sel(scenario=scenario)
    return _amounts(f"Resultatbudget – {escape(scenario)}", da, "rr_post", labels.RR,
                    labels.RR_SUBTOTALS)


def balanskravsutredning(result: xr.Dataset, scenario: str) -> YearTable:
    da = result["balanskrav"].sel(scenario=scenario)
    return _amounts(f"Balanskravsutredning – {escape(scenario)}", da, "bk_post", labels.BK,
                    labels.BK_SUBTOTALS)


def _goal_value(goal: str, v) -> str:
    return fmt.procent(v) if goal in labels.MAL_RATIO else fmt.mnkr(v)


def _target_text(goal: str, target, verdicts: list[goals.Status]) -> str:
    """The target column: the target, from which year it applies, or that it is only measured."""
    if all(v.kind == goals.NO_GOAL for v in verdicts):
        return "mäts, inget mål"
    if goal == "balanskrav":
        text = "≥ 0 mnkr"
    elif goal == "soliditet":
        text = "ökande"
    else:
        text = ("≤ " if goal == "nettokostnadsandel" else "≥ ") + fmt.procent(target[-1])
    starts = [v.from_year for v in verdicts if v.kind == goals.NOT_YET]
    return f"{text} från {starts[0]}" if starts else text


def _goal_cell(shown: str, verdict: goals.Status) -> str:
    if verdict.kind == goals.MET:
        return f"[green]{shown} ✓[/green]"
    if verdict.kind == goals.CLOSE:
        return f"[yellow]{shown} {verdict.short}[/yellow]"
    if verdict.kind == goals.MISSED:
        return f"[red]{shown} {verdict.short}[/red]"
    return f"[dim]{shown}[/dim]"


def finansiella_mal(result: xr.Dataset, scenario: str) -> YearTable:
    t = YearTable(f"Finansiella mål – {escape(scenario)}", "Mål",
                  [int(y) for y in result["year"].values], fixed=("Målvärde",))
    for goal in (str(g) for g in result["mal"].values):
        sel = {"scenario": scenario, "mal": goal}
        verdicts = goals.statuses(result, scenario, goal)
        target = result["mal_malvarde"].sel(sel).values
        cells = [_goal_cell(_goal_value(goal, v), s) for v, s in zip(result["mal_varde"].sel(sel).values, verdicts,
                                                                      strict=True)]
        t.rows.append((labels.MAL[goal], [_target_text(goal, target, verdicts)], cells))
    t.caption = ("✓ målet nås; ✓ knappt (x): marginalen x mnkr är mindre än osäkerheten; ✗ (x): målet nås inte, "
                 "x = mnkr i lägre kostnad eller högre intäkt som behövs; grått: målet bedöms inte det året.")
    return t


def difference(result: xr.Dataset, post: str = "arets_resultat") -> YearTable:
    """Each scenario's årets resultat against bas."""
    da = result["resultatrakning"].sel(rr_post=post)
    base = da.sel(scenario="bas")
    t = YearTable(f"{labels.RR[post]}: skillnad mot bas", "mnkr", [int(y) for y in da["year"].values])
    for scen in (str(s) for s in da["scenario"].values[1:]):
        t.rows.append((_scenario_title(result, scen), [], [fmt.mnkr(v) for v in (da.sel(scenario=scen) - base).values]))
    return t
