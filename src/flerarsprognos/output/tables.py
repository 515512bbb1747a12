"""Rich tables for the terminal, laid out as in the budget documents."""

from __future__ import annotations

import xarray as xr
from rich.table import Table

from flerarsprognos.output import fmt, labels


def _year_table(title: str, years) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    t.add_column("mnkr", overflow="fold", min_width=24)
    for y in years:
        t.add_column(str(int(y)), justify="right", no_wrap=True, min_width=6)
    return t


def _amount_rows(t: Table, da: xr.DataArray, post_dim: str, names: dict, subtotals: set, decimals=0):
    for post in da[post_dim].values:
        post = str(post)
        row = da.sel({post_dim: post}).values
        cells = [fmt.mnkr(v, decimals) for v in row]
        if post in subtotals:
            t.add_row(f"[bold]{names[post]}[/bold]", *[f"[bold]{c}[/bold]" for c in cells])
        else:
            t.add_row(names[post], *cells)


def resultatbudget(result: xr.Dataset, scenario: str) -> Table:
    da = result["resultatrakning"].sel(scenario=scenario)
    t = _year_table(f"Resultatbudget – {scenario}", da["year"].values)
    _amount_rows(t, da, "rr_post", labels.RR, labels.RR_SUBTOTALS)
    return t


def balanskravsutredning(result: xr.Dataset, scenario: str) -> Table:
    da = result["balanskrav"].sel(scenario=scenario)
    t = _year_table(f"Balanskravsutredning – {scenario}", da["year"].values)
    _amount_rows(t, da, "bk_post", labels.BK, labels.BK_SUBTOTALS, decimals=0)
    return t


def finansiella_mal(result: xr.Dataset, scenario: str) -> Table:
    sel = {"scenario": scenario}
    years = result["year"].values
    t = Table(title=f"Finansiella mål – {scenario}", title_justify="left", show_edge=False, header_style="bold")
    t.add_column("Mål", overflow="fold", min_width=24)
    t.add_column("Målvärde", justify="right", no_wrap=True)
    for y in years:
        t.add_column(str(int(y)), justify="right", no_wrap=True)
    for goal in result["mal"].values:
        goal = str(goal)
        sel["mal"] = goal
        value = result["mal_varde"].sel(sel).values
        target = result["mal_malvarde"].sel(sel).values
        met = result["mal_uppfyllt"].sel(sel).values
        gap = result["mal_gap_mnkr"].sel(sel).values
        if goal == "balanskrav":
            shown = [fmt.mnkr(v) for v in value]
            target_text = "0 mnkr"
        elif goal == "soliditet":
            shown = [fmt.procent(v) for v in value]
            target_text = "ökande"
        else:
            shown = [fmt.procent(v) for v in value]
            target_text = fmt.procent(target[-1])
        cells = []
        for s, m, g in zip(shown, met, gap, strict=True):
            if m != m:  # NaN: not evaluated
                cells.append(s)
            elif m >= 0.5:
                cells.append(f"[green]{s} ✓[/green]")
            else:
                cells.append(f"[red]{s} ✗ ({fmt.mnkr(g)})[/red]")
        t.add_row(labels.MAL[goal], target_text, *cells)
    t.caption = "✗ (x): målet nås inte; x = mnkr i lägre kostnad eller högre intäkt som behövs."
    t.caption_justify = "left"
    return t


def difference(result: xr.Dataset, post: str = "arets_resultat") -> Table:
    """Each scenario's årets resultat against bas."""
    da = result["resultatrakning"].sel(rr_post=post)
    base = da.sel(scenario="bas")
    t = _year_table(f"{labels.RR[post]}: skillnad mot bas", da["year"].values)
    for scen in da["scenario"].values[1:]:
        t.add_row(str(scen), *[fmt.mnkr(v) for v in (da.sel(scenario=scen) - base).values])
    return t
