"""`export`, `plot` and `report`: the Excel workbook, the diagrams and the HTML report."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    AssumptionsOption,
    ScenarioArgs,
    command_line,
    console,
    handles_bad_input,
    print_problems,
    xarray_without_dask,
)

SweepOption = typer.Option(
    None, "--svep", show_default=False,
    help="Svepfil (typ: svep) med axlarna inflation och löneökning, för tabellen och värmekartan; en fil "
         "eller namnet på ett medföljande svep (svep_inflation_lon). "
         "Utan flaggan: export och rapport tar inget svep; plot varmekarta tar den medföljande "
         "svep_inflation_lon.yaml.")
YearOption = typer.Option(None, "--ar", show_default=False,
                          help="År för vattenfall, tornado och värmekarta. Utan flaggan: första året efter "
                               "planen (vattenfall, tornado) och svepfilens tabellår (värmekarta).")
# As the `montecarlo` command's defaults, so the report's fan chart shows the same figures.
MC_DRAWS = 10_000
MC_SEED = 20230101


def _label(outcome) -> str:
    return "_".join(s.name.replace("+", "_") for s in outcome.sets)


def _run(assumptions, scenarios):
    from flerarsprognos.runner import run

    outcome = run(assumptions, scenarios or [])
    print_problems(outcome.warnings)
    return outcome


def _default_file(outcome, suffix: str) -> Path:
    target = Path("outputs") / f"{_label(outcome)}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)  # only the default directory is created
    return target


# --------------------------------------------------------------------------------------
# Results of the analyses (issue 3's modules); None where the analysis is not available.


def sensitivity_table(outcome):
    """The standard känslighetsanalys of ``bas``: scenario, ar, antagande, forandring, post, mnkr."""
    try:
        from flerarsprognos.analysis.factors import baseline_params
        from flerarsprognos.analysis.sensitivity import sensitivity
        from flerarsprognos.analysis.sensitivity import sensitivity_table as long_table
    except ImportError:
        return None
    ds = sensitivity(baseline_params(outcome.base, outcome.base))
    table = long_table(ds, "bas")
    if "etikett" in ds.coords:  # readable names instead of the keys
        names = {str(a): str(e) for a, e in zip(ds["antagande"].values, ds["etikett"].values, strict=True)}
        table["antagande"] = table["antagande"].map(lambda a: names.get(a, a))
    return table


def montecarlo_summary(outcome, n: int = MC_DRAWS, seed: int = MC_SEED):
    """Percentiles and probabilities per year from the shipped uncertainties file."""
    try:
        from flerarsprognos.analysis.factors import baseline_params
        from flerarsprognos.analysis.montecarlo import (
            default_uncertainties_file,
            montecarlo,
            read_uncertainties,
        )
    except ImportError:
        return None
    from flerarsprognos.problems import Problems

    problems = Problems()
    unc = read_uncertainties(default_uncertainties_file(), outcome.base, problems)
    problems.raise_if_errors()
    return montecarlo(baseline_params(outcome.base, outcome.base), unc, n, seed)


def sweep_grid(path: Path, assumptions, year: int | None = None, outcome: str = "nettokostnadsandel"):
    """A 2-D grid (rows × columns of the spec's table) of one outcome in one year, or an error."""
    from flerarsprognos.problems import Problems

    from flerarsprognos.paths import resolve_scenario

    problems = Problems()
    path = Path(resolve_scenario(str(path)))  # a shipped sweep by name: svep_inflation_lon
    if not Path(path).is_file():
        problems.error(path, None, "svepfilen finns inte (ange en fil eller namnet på ett medföljande svep, "
                                   "t.ex. svep_inflation_lon)")
        problems.raise_if_errors()
    try:
        from flerarsprognos.analysis.sweep import load_sweep, sweep
    except ImportError:
        problems.error(path, None, "svep finns inte i den här versionen av flerarsprognos")
        problems.raise_if_errors()
    spec, _base, _aset, params, experiment, warnings = load_sweep(Path(path), assumptions)
    print_problems(warnings)
    if not spec.is_grid or len(spec.axes) != 2:
        problems.error(path, "axlar", "värmekartan och svepets tabell behöver ett rutnät med exakt två axlar")
        problems.raise_if_errors()
    ds = sweep(params, experiment, spec)
    rows = getattr(spec, "table_rows", None) or spec.axes[0].factor.name
    cols = getattr(spec, "table_columns", None) or spec.axes[1].factor.name
    year = year or getattr(spec, "table_year", None) or int(ds["year"].values[-1])
    if year not in [int(y) for y in ds["year"].values]:
        problems.error(path, None, f"året {year} finns inte i svepet")
        problems.raise_if_errors()
    grid = ds[outcome].sel(year=year).transpose(rows, cols)
    grid.attrs["long_name"] = f"Nettokostnadsandel {year}: {spec.title}"
    grid.attrs["ratio"] = outcome == "nettokostnadsandel"
    for dim in (rows, cols):
        grid[dim].attrs["long_name"] = grid[dim].attrs.get("etikett") or dim
    return grid


def plan_mot_utfall(path: Path):
    """An outcome file compared with its own budget column (as ``compare`` without ``--plan``)."""
    from flerarsprognos.utfall.compare import compare
    from flerarsprognos.io.utfallsfil import read_outcome
    from flerarsprognos.problems import Problems

    problems = Problems()
    outcome_file = read_outcome(path, problems)
    problems.raise_if_errors()
    print_problems(problems.warnings)
    return compare(outcome_file)


# --------------------------------------------------------------------------------------
# Commands


@app.command("export", help="Skriv en Excelarbetsbok: sammanfattning, resultatbudget, balanskravsutredning, "
                            "balansbudget, finansiella mål, känslighetsanalys, scenarier, antaganden och om körningen.")
@handles_bad_input
def export_command(
    scenarios: list[str] = ScenarioArgs,
    assumptions: Path = AssumptionsOption,
    excel: Path = typer.Option(None, "--excel", "-x", show_default=False,
                               help="Excelfilen (.xlsx). Utan flaggan: outputs/<vad som kördes>.xlsx. "
                                    "Katalogen måste finnas; filen skrivs färdigt under ett tillfälligt namn "
                                    "och byts sedan ut."),
    svep: Path = SweepOption,
    kanslighet: bool = typer.Option(True, "--kanslighet/--utan-kanslighet",
                                    help="Ta med den vanliga känslighetsanalysen. Utan flaggan: den tas med; "
                                         "--utan-kanslighet utelämnar bladet."),
    utfall: Path = typer.Option(None, "--utfall", "-u", show_default=False,
                                help="Utfallsfil (se docs/utfall.md): lägger till bladet 'Plan mot utfall' "
                                     "(utfallet mot filens budgetkolumn, som i compare). Utan flaggan: inget sådant blad."),
    csv_excel: Path = typer.Option(None, "--csv-excel", show_default=False,
                                   help="Katalog där tabellerna också skrivs som CSV för svensk Excel (semikolon, "
                                        "decimalkomma, UTF-8 med BOM; se docs/excel_och_rapport.md). Utan flaggan: "
                                        "ingen CSV."),
):
    from flerarsprognos.output.excel import Extras, check_target, write_workbook

    xarray_without_dask()  # export, plot and report never use dask: as in `run`, it is not imported
    if excel is not None:
        check_target(excel)  # before the model runs: a bad path is reported at once
    comparison = plan_mot_utfall(utfall) if utfall is not None else None
    grid = sweep_grid(svep, assumptions) if svep is not None else None
    outcome = _run(assumptions, scenarios)
    target = excel if excel is not None else _default_file(outcome, ".xlsx")
    extras = Extras(kanslighet=sensitivity_table(outcome) if kanslighet else None, sweep=grid,
                    sweep_higher_is_better=False,
                    sweep_note="Nettokostnadsandel; grönt = lägre (bättre), rött = högre. Skift mot planens antaganden.")
    if comparison is not None:
        from flerarsprognos.utfall.compare import write_plan_mot_utfall_sheet

        extras.sheets.append(lambda wb: write_plan_mot_utfall_sheet(wb, "Plan mot utfall", comparison))
    write_workbook(target, outcome, command=command_line(), extras=extras, inputs=_other_inputs(utfall, svep))
    if csv_excel is not None:
        _write_excel_csv(csv_excel, outcome)
    n = len(outcome.sets)
    console.print(f"Skrev {target} ({n} {'scenario' if n == 1 else 'scenarier'}, antaganden {outcome.base.digest}).",
                  markup=False)


def _other_inputs(*given) -> list[Path]:
    """Input files named by options (an outcome file, a sweep by path or shipped name)."""
    from flerarsprognos.paths import resolve_scenario

    return [Path(resolve_scenario(str(p))) for p in given if p is not None]


def _write_excel_csv(directory: Path, outcome) -> None:
    from flerarsprognos.output.files import check_not_an_input, csv_writers, run_inputs, write_all

    check_not_an_input(directory, run_inputs(outcome), "--csv-excel")
    written = write_all(directory, csv_writers(outcome.result, excel=True))
    console.print(f"Skrev {len(written)} CSV-filer för Excel till {directory}/.", markup=False)


PLOT_KINDS = ("resultat", "rur", "vattenfall", "tornado", "solfjader", "varmekarta")


@app.command("plot", help="Rita diagram som PNG för en presentation. SLAG: resultat (årets resultat per "
                          "scenario), rur (reserverna), vattenfall (nettokostnad ett år till nästa), tornado "
                          "(känslighetsanalys), solfjader (Monte Carlo), varmekarta (inflation × löneökning) "
                          "eller alla.")
@handles_bad_input
def plot_command(
    kind: str = typer.Argument(..., metavar="SLAG", help="resultat, rur, vattenfall, tornado, solfjader, "
                                                          "varmekarta eller alla."),
    scenarios: list[str] = ScenarioArgs,
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--ut", "-o", show_default=False, metavar="<katalog>",
                             help="Katalog för PNG-filerna (skapas om den saknas). Utan flaggan: outputs/diagram/."),
    year: int = YearOption,
    svep: Path = SweepOption,
):
    from flerarsprognos.output import plots
    from flerarsprognos.problems import Problems

    xarray_without_dask()
    kinds = PLOT_KINDS if kind == "alla" else (kind,)
    if kind != "alla" and kind not in PLOT_KINDS:
        problems = Problems()
        problems.error("plot", None, f"okänt diagram '{kind}'; välj något av: {', '.join(PLOT_KINDS)} eller alla")
        problems.raise_if_errors()
    outcome = _run(assumptions, scenarios)
    result = outcome.result
    titles = {s.name: s.title for s in outcome.sets}
    planslut = int(outcome.base.planslut)
    years = [int(y) for y in result["year"].values]
    first_forecast = planslut + 1 if planslut + 1 in years else years[-1]
    if year is not None and year not in years:
        problems = Problems()
        problems.error("--ar", None, f"året {year} finns inte i prognosen ({years[0]}–{years[-1]})")
        problems.raise_if_errors()
    figures = {}
    for k in kinds:
        if k == "resultat":
            figures[k] = plots.arets_resultat(result, titles, planslut)
        elif k == "rur":
            figures[k] = plots.rur(result, titles, planslut)
        elif k == "vattenfall":
            y = year or first_forecast
            if y == years[0]:
                problems = Problems()
                problems.error("--ar", None, f"vattenfallet går från föregående år; välj ett år efter {years[0]}")
                problems.raise_if_errors()
            steps = plots.waterfall_steps(result, outcome.params, "bas", y)
            figures[k] = plots.waterfall(steps, title=f"Nettokostnad {y - 1} → {y} (bas)")
        elif k == "tornado":
            table = sensitivity_table(outcome)
            if table is None:
                _unavailable("tornado", "känslighetsanalysen")
            figures[k] = plots.tornado(table, year or first_forecast)
        elif k == "solfjader":
            mc = montecarlo_summary(outcome)
            if mc is None:
                _unavailable("solfjader", "Monte Carlo-analysen")
            q, p, n = plots.fan_inputs(mc, "balanskravsresultat")
            figures[k] = plots.fan(q, p, planslut=planslut, n_draws=n)
        elif k == "varmekarta":
            from flerarsprognos.paths import default_scenarios_dir

            grid = sweep_grid(svep or default_scenarios_dir() / "svep_inflation_lon.yaml", assumptions, year)
            figures[k] = plots.heatmap(grid, title=grid.attrs.get("long_name"))
    directory = out if out is not None else Path("outputs") / "diagram"
    from flerarsprognos.output.files import check_not_an_input, run_inputs

    check_not_an_input(directory, [*run_inputs(outcome), *_other_inputs(svep)], "--ut")
    directory.mkdir(parents=True, exist_ok=True)
    for k, fig in figures.items():
        path = plots.save_png(fig, directory / f"{k}.png")
        console.print(f"Skrev {path}", markup=False)


def _unavailable(kind: str, what: str):
    from flerarsprognos.problems import Problems

    problems = Problems()
    problems.error("plot", None, f"diagrammet {kind} behöver {what}, som inte finns i den här versionen")
    problems.raise_if_errors()


@app.command("report", help="Skriv en rapport för politiker: en fristående HTML-fil (bilder och stil inbakade) "
                            "med sammanfattning, finansiella mål, scenarier, diagram och resultatbudget.")
@handles_bad_input
def report_command(
    scenarios: list[str] = ScenarioArgs,
    assumptions: Path = AssumptionsOption,
    html: Path = typer.Option(None, "--html", show_default=False,
                              help="HTML-filen. Utan flaggan: outputs/<vad som kördes>.html. Katalogen måste finnas."),
    svep: Path = SweepOption,
    analyser: bool = typer.Option(True, "--analyser/--utan-analyser",
                                  help="Ta med känslighetsanalys (tornado) och Monte Carlo (solfjäder) "
                                       "när de finns. Utan flaggan: de tas med; --utan-analyser utelämnar dem."),
):
    from flerarsprognos.output import plots
    from flerarsprognos.output.report import Diagram, ReportExtras, build_report, check_report_target, write_report

    xarray_without_dask()
    if html is not None:
        check_report_target(html)
    grid = sweep_grid(svep, assumptions) if svep is not None else None
    outcome = _run(assumptions, scenarios)
    years = [int(y) for y in outcome.result["year"].values]
    planslut = int(outcome.base.planslut)
    first_forecast = planslut + 1 if planslut + 1 in years else years[-1]
    extras = ReportExtras()
    if analyser:
        table = sensitivity_table(outcome)
        if table is not None:
            extras.kanslighet = table
            extras.diagrams.append(Diagram(
                f"Känslighetsanalys {first_forecast}",
                "Effekten på årets resultat när ett antagande ändras, allt annat lika (basalternativet).",
                lambda: plots.tornado(table, first_forecast)))
        mc = montecarlo_summary(outcome)
        if mc is not None:
            q, p, n = plots.fan_inputs(mc, "balanskravsresultat")
            extras.diagrams.append(Diagram(
                "Osäkerhet: balanskravsresultatet",
                "Monte Carlo över makroantagandena: medianen, 50 % och 90 % av utfallen, och under varje år "
                "sannolikheten att balanskravet inte nås.", lambda: plots.fan(q, p, planslut=planslut, n_draws=n)))
    if grid is not None:
        extras.diagrams.append(Diagram("Inflation × löneökning", "Nettokostnadsandelen för varje kombination; "
                                       "svart linje = 98 %.", lambda: plots.heatmap(grid, title=grid.attrs.get("long_name"))))
    target = html if html is not None else _default_file(outcome, ".html")
    from flerarsprognos.output.files import run_inputs

    write_report(target, build_report(outcome, command=command_line(), extras=extras),
                 inputs=[*run_inputs(outcome), *_other_inputs(svep)])
    console.print(f"Skrev {target} (antaganden {outcome.base.digest}).", markup=False)
