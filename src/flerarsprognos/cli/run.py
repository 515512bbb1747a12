"""`run`, `check` and `assumptions`: the main job and its inputs."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    AssumptionsOption,
    QuietOption,
    RiketOption,
    prepare_output,
    ScenarioArgs,
    command_line,
    console,
    count,
    handles_bad_input,
    xarray_without_dask,
    out_dir_for,
    out_option,
    print_problems,
    say,
)


@app.command("run", help="Kör flerårsprognosen för basalternativet (bas) och varje scenario; "
                         "skriver resultaträkning, balanskrav, finansiella mål och balansräkning.")
@handles_bad_input
def run_command(
    scenarios: list[str] = ScenarioArgs,
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
    out: Path = out_option("<bas och scenarierna>"),
    quiet: bool = QuietOption,
    csv_excel: bool = typer.Option(False, "--csv-excel",
                                   help="Skriv CSV-filerna för svensk Excel: semikolon, decimalkomma, UTF-8 med BOM "
                                        "(se docs/excel_och_rapport.md). Utan flaggan: maskinformat med komma som "
                                        "avgränsare och decimalpunkt."),
):
    from rich.markup import escape

    from flerarsprognos.io.guard import check_output_path
    from flerarsprognos.output import fmt, tables
    from flerarsprognos.output.files import csv_writers, netcdf, provenance, run_inputs, write_all
    from flerarsprognos.output.presentation import region_name
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import run

    xarray_without_dask()

    outcome = run(assumptions, scenarios or [], riket)
    print_problems(outcome.warnings)
    res = outcome.result
    res.attrs.update(provenance(outcome.base.digest, outcome.scenario_files, command_line()))
    res.attrs["scenarier"] = ";".join(f"{s.name}: {s.title}" for s in outcome.sets)
    # 'a+b' (one combined scenario) keeps its '+', so `run a+b` and `run a b` never share a folder.
    target = out_dir_for(out, "_".join(s.name for s in outcome.sets))
    problems = Problems()
    check_output_path(target, run_inputs(outcome), problems, option="--ut")  # one rule for every command
    problems.raise_if_errors()
    prepare_output(target, res)
    written = write_all(target, {
        **csv_writers(res, excel=csv_excel),
        "resultat.nc": netcdf(res, region=region_name(outcome.base),
                              scenario_titles={s.name: s.title for s in outcome.sets}),
    })
    if not quiet:
        for s in outcome.sets:
            console.rule(f"[bold]{escape(s.name)}[/bold] – {escape(s.title)}")
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
                say(f"varning: {scen} {int(year)}: lånen överstiger låneramen med {fmt.mnkr(excess)} mnkr", "yellow")
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/ (antaganden {outcome.base.digest}).")


@app.command("check", help="Kontrollera antagandena och scenariofilerna och skriv alla fel och varningar. "
                           "Skriver inga filer.")
@handles_bad_input(writes=False)
def check_command(
    files: list[str] = typer.Argument(None, metavar="SCENARIO",
                                      help="Scenariofiler (scenarios/x.yaml) eller namn på medföljande scenarier "
                                           "att kontrollera mot antagandena. Utan argument: bara antagandena.",
                                      show_default=False),
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
):
    from flerarsprognos.io.scenarios import load_sets  # not the runner: check needs no model
    from flerarsprognos.problems import Problems

    problems = Problems()
    base, sets = load_sets(assumptions, list(files or []), problems, riket)
    print_problems(problems.items, writes=False)
    workbook = base.files[0].suffix.lower() in (".xlsx", ".xlsm")
    what = "antagandearbetsboken" if workbook else count(len(base.files), "antagandefil", "antagandefiler")
    say(f"Inga fel: {what} och {count(len(sets) - 1, 'scenario', 'scenarier')} "
        f"({count(len(problems.warnings), 'varning', 'varningar')}).")


def _write_assumption_workbook(source: Path | None, target: Path) -> None:
    from flerarsprognos.io.excel_antaganden import write_workbook
    from flerarsprognos.output.files import atomic_path, check_output_file
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.problems import InputError, Problem

    source = Path(source or default_assumptions_dir())
    if target.resolve() == source.resolve():
        raise InputError([Problem(str(target), None, "arbetsboken skulle ersätta antagandena den skrivs från; "
                                                     "välj ett annat filnamn")])
    check_output_file(target, "--excel", ".xlsx")
    with atomic_path(target) as tmp:
        write_workbook(source, tmp)
    say(f"Skrev {target} (ett blad per antagandefil). Kör med: flerarsprognos run --antaganden {target}")


def _write_scenario_workbook(scenario: str, source: Path | None, target: Path) -> None:
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.io.excel_antaganden import write_scenario_workbook
    from flerarsprognos.io.scenarios import read_scenario
    from flerarsprognos.output.files import atomic_path, check_output_file
    from flerarsprognos.paths import default_assumptions_dir, resolve_shipped
    from flerarsprognos.problems import Problems

    path = resolve_shipped(scenario)
    problems = Problems()
    aset = load_assumptions(source or default_assumptions_dir(), problems)
    read_scenario(path, problems)
    problems.raise_if_errors()
    check_output_file(target, "--excel", ".xlsx")
    with atomic_path(target) as tmp:
        write_scenario_workbook(path, tmp, aset.years)
    say(f"Skrev {target} (scenariot {path.stem}). Kör med: flerarsprognos run {target}")


@app.command("antaganden", help="Visa antagandena som gäller: värde per år, enhet, källa och vad som är "
                                "förlängt; eller skriv dem till en Excelarbetsbok (--excel) att ändra i och "
                                "köra med --antaganden.")
@handles_bad_input
def assumptions_command(
    assumptions: Path = AssumptionsOption,
    riket: Path = RiketOption,
    key: str = typer.Option(None, "--nyckel", "-k", show_default=False,
                            help="Visa bara nycklar som innehåller texten. Utan flaggan: alla."),
    excel: Path = typer.Option(None, "--excel", "-x", show_default=False, metavar="<fil.xlsx>",
                               help="Skriv hela antagandeuppsättningen till den här arbetsboken (ett blad per fil, "
                                    "en rad per nyckel, åren som kolumner; nycklar och enheter låsta). "
                                    "Utan flaggan: antagandena visas som tabeller."),
    scenario: str = typer.Option(None, "--scenario", "-s", show_default=False, metavar="<scenario>",
                                 help="Med --excel: skriv i stället det här scenariot (fil eller medföljande namn) "
                                      "som en arbetsbok med ett blad av ändringar, att köra som 'run FIL.xlsx'. "
                                      "Utan flaggan: hela antagandeuppsättningen."),
):
    from rich.markup import escape
    from rich.table import Table

    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.output.presentation import describe_values
    from flerarsprognos.paths import default_assumptions_dir

    if excel is not None and scenario is not None:
        _write_scenario_workbook(scenario, assumptions, excel)
        return
    if excel is not None:
        _write_assumption_workbook(assumptions, excel)
        return
    aset = load_assumptions(assumptions or default_assumptions_dir(), riket=riket)
    years = [int(y) for y in aset.years]
    rows = describe_values(aset, key)
    console.print(f"Antaganden {aset.digest}: värden i filens enhet, * = förlängt värde (forlangning).")
    for file in dict.fromkeys(r["fil"] for r in rows):
        national = aset.riket is not None and Path(file).parent == aset.riket
        title = f"{Path(file).name} – nationellt prognosunderlag ({aset.riket})" if national else Path(file).name
        t = Table(title=escape(title), title_justify="left", header_style="bold", show_edge=False,
                  expand=True)
        t.add_column("Nyckel", no_wrap=True)
        t.add_column("Enhet", no_wrap=True)
        t.add_column("Värde", justify="right", no_wrap=True)
        for y in years:
            t.add_column(str(y), justify="right", no_wrap=True)
        t.add_column("Källa", overflow="fold", ratio=1, min_width=24)
        for row in (r for r in rows if r["fil"] == file):
            t.add_row(*(escape(str(c)) for c in (row["nyckel"], row["enhet"], row["varde"], *row["varden"],
                                                 row["kalla"])))
        console.print(t)


# The English spelling of the command, kept working but not shown.
app.command("assumptions", hidden=True)(assumptions_command)
