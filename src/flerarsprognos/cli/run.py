"""`run`, `check` and `assumptions`: the main job and its inputs."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    AssumptionsOption,
    RiketOption,
    ScenarioArgs,
    command_line,
    console,
    handles_bad_input,
    out_dir_for,
    print_problems,
)


@app.command("run", help="Kör flerårsprognosen för basalternativet (bas) och varje scenario; "
                         "skriver resultaträkning, balanskrav, finansiella mål och balansräkning.")
@handles_bad_input
def run_command(
    scenarios: list[str] = ScenarioArgs,
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för resultatfilerna. Utan flaggan: outputs/<vad som kördes>/."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Skriv inga tabeller, bara var filerna hamnade."),
):
    from flerarsprognos.output import fmt, results, tables
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.runner import run

    outcome = run(assumptions, scenarios or [], riket)
    print_problems(outcome.warnings)
    res = outcome.result
    res.attrs.update(provenance(outcome.base.digest, outcome.scenario_files, command_line()))
    res.attrs["scenarier"] = ";".join(f"{s.name}: {s.title}" for s in outcome.sets)
    label = "_".join(s.name.replace("+", "_") for s in outcome.sets)
    target = out_dir_for(out, label)
    written = write_all(target, {
        "resultatrakning.csv": table_csv(results.resultatrakning(res)),
        "balanskrav.csv": table_csv(results.balanskrav(res)),
        "finansiella_mal.csv": table_csv(results.finansiella_mal(res)),
        "balansrakning.csv": table_csv(results.balansrakning(res)),
        "resultat.nc": netcdf(res),
    })
    if not quiet:
        for s in outcome.sets:
            console.rule(f"[bold]{s.name}[/bold] – {s.title}")
            console.print(tables.resultatbudget(res, s.name))
            console.print(tables.balanskravsutredning(res, s.name))
            console.print(tables.finansiella_mal(res, s.name))
        if len(outcome.sets) > 1:
            console.print(tables.difference(res))
    over = (res["laneskuld"] - res["laneram"]).where(lambda d: d > 0.5, drop=False)
    for scen in res["scenario"].values:
        for year in res["year"].values:
            excess = float(over.sel(scenario=scen, year=year))
            if excess == excess:  # not NaN
                console.print(f"[yellow]varning: {scen} {int(year)}: lånen överstiger låneramen med "
                              f"{fmt.mnkr(excess)} mnkr[/yellow]")
    console.print(f"Skrev {len(written)} filer till {target}/ (antaganden {outcome.base.digest}).")


@app.command("check", help="Kontrollera antagande- och scenariofiler; skriver alla fel och varningar.")
@handles_bad_input
def check_command(
    files: list[Path] = typer.Argument(None, help="Scenariofiler att kontrollera mot antagandena. "
                                                  "Utan argument kontrolleras bara antagandena.", show_default=False),
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
):
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    problems = Problems()
    base, sets = load_sets(assumptions, [str(f) for f in files or []], problems, riket)
    print_problems(problems.items)
    console.print(f"Inga fel: {len(base.files)} antagandefiler och {len(sets) - 1} scenarier "
                  f"({len(problems.warnings)} varningar).")


@app.command("assumptions", help="Visa antagandena som gäller: värde per år, enhet, källa och vad som är förlängt.")
@handles_bad_input
def assumptions_command(
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
    key: str = typer.Option(None, "--key", "-k", help="Visa bara nycklar som innehåller texten. Utan flaggan: alla."),
):
    from rich.table import Table

    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.output.presentation import describe_values

    aset = load_assumptions(assumptions or default_assumptions_dir(), riket=riket)
    years = [int(y) for y in aset.years]
    rows = describe_values(aset, key)
    console.print(f"Antaganden {aset.digest}: värden i filens enhet, * = förlängt värde (forlangning).")
    for file in dict.fromkeys(r["fil"] for r in rows):
        national = aset.riket is not None and Path(file).parent == aset.riket
        title = f"{Path(file).name} – nationellt prognosunderlag ({aset.riket})" if national else Path(file).name
        t = Table(title=title, title_justify="left", header_style="bold", show_edge=False, expand=True)
        t.add_column("Nyckel", no_wrap=True)
        t.add_column("Enhet", no_wrap=True)
        t.add_column("Värde", justify="right", no_wrap=True)
        for y in years:
            t.add_column(str(y), justify="right", no_wrap=True)
        t.add_column("Källa", overflow="fold", ratio=1, min_width=24)
        for row in (r for r in rows if r["fil"] == file):
            t.add_row(row["nyckel"], row["enhet"], row["varde"], *row["varden"], row["kalla"])
        console.print(t)
