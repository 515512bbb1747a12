"""`sweep`, `sensitivity`, `montecarlo`, `sobol` and `goalseek`: the analyses (docs/analys.md)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    AssumptionsOption,
    QuietOption,
    prepare_output,
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

LONG_CSV_MAX_ROWS = 1_000_000
UncertaintiesOption = typer.Option(
    None, "--osakerheter", "-u", show_default=False, metavar="<fil>",
    help="Fil med osäkerheternas standardavvikelser och korrelationer (typ: osakerheter), eller namnet "
         "på en medföljande fil. Utan flaggan: den medföljande scenarios/osakerheter.yaml.")
ScenarioArg = typer.Argument(None, show_default=False, metavar="SCENARIO",
                             help="Scenariofil (eller namnet på ett medföljande scenario) att utgå från. "
                                  "Utan argument: basalternativet.")
SeedOption = typer.Option(20230101, "--fro", "-s", metavar="<heltal>", show_default=False,
                          help="Slumpfrö; samma frö ger samma siffror. Utan flaggan: 20230101.")
DaskOption = typer.Option(False, "--dask", help="Kör på dask (kräver tillägget skala: pip install "
                                                "'flerarsprognos\\[skala]'). Utan flaggan: i den här processen.")
SchedulerOption = typer.Option(None, "--schemalaggare", show_default=False, metavar="<adress>",
                               help="Adress till en befintlig dask-schemaläggare (t.ex. tcp://10.0.0.5:8786); "
                                    "innebär --dask. Utan flaggan: ett LocalCluster på 127.0.0.1 om --dask anges.")


@contextlib.contextmanager
def _progress(total: int, label: str, quiet: bool):
    """A rich progress bar over scenarios; a no-op callback with --quiet."""
    if quiet:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.advance(task, done)


def _bad(file, key: str, message: str):
    from flerarsprognos.problems import InputError, Problem

    raise InputError([Problem(str(file), key, message)])


@app.command("sweep", help="Kör ett svep (rutnät eller design) över antaganden enligt en svepfil "
                           "(typ: svep) och skriv resultatet som NetCDF med experimenttabellen bredvid.")
@handles_bad_input
def sweep_command(
    spec_file: str = typer.Argument(..., metavar="SVEPFIL",
                                    help="Svepfilen, t.ex. scenarios/svep_inflation_lon.yaml, "
                                         "eller namnet på ett medföljande svep (svep_inflation_lon).",
                                    show_default=False),
    assumptions: Path = AssumptionsOption,
    out: Path = out_option("svep_<svepfilens namn>"),
    use_dask: bool = DaskOption,
    scheduler: str = SchedulerOption,
    chunk: int = typer.Option(65_536, "--block", metavar="<heltal>", show_default=False,
                              help="Scenarier per beräkningsblock (anrop av modellen). Utan flaggan: 65 536."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis import sweep as sw
    from flerarsprognos.analysis.evaluate import check_memory, close_client, dask_client, enable_memory_reuse
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.paths import resolve_scenario

    xarray_without_dask()

    if chunk <= 0:
        _bad("--block", "block", f"ska vara ett positivt heltal (är {chunk})")
    spec_file = Path(resolve_scenario(str(spec_file)))  # a shipped sweep by name: svep_inflation_lon
    spec, base, aset, params, experiment, warnings = sw.load_sweep(spec_file, assumptions)
    check_memory(experiment.n, params.sizes["year"], len(sw.DEFAULT_OUTCOMES), str(spec_file),
                 "axlar" if spec.is_grid else "design.n", "svepet")
    enable_memory_reuse()
    print_problems(warnings)
    client = dask_client(scheduler) if (use_dask or scheduler) else None
    try:
        with _progress(experiment.n, f"Svep: {count(experiment.n, 'scenario', 'scenarier')}", quiet) as progress:
            ds = sw.sweep(params, experiment, spec, chunk=chunk, progress=progress, client=client, threads=2)
    finally:
        if client is not None:
            close_client(client)
    ds.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(spec_file)], command_line()))
    ds.attrs.update(titel=spec.title, baslinje=aset.name)
    target = out_dir_for(out, f"svep_{Path(spec_file).stem}")
    prepare_output(target, ds)
    files = {"svep.nc": netcdf(ds), "experiment.csv": table_csv(sw.experiment_table(experiment, spec))}
    if experiment.n * ds.sizes["year"] <= LONG_CSV_MAX_ROWS:  # beyond that the NetCDF is the table
        files["svep.csv"] = table_csv(sw.long_table(ds))
    written = write_all(target, files)
    if not quiet:
        if spec.is_grid:
            console.print(sw.grid_table(ds, spec))
        else:
            console.print(sw.design_summary(ds, spec.table_outcome))
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/ ({count(experiment.n, 'scenario', 'scenarier')}).")


@app.command("sensitivity", help="Känslighetsanalys: effekten på årets resultat och "
                                 "balanskravsresultatet per år av standardförändringarna, åt båda hållen.")
@handles_bad_input
def sensitivity_command(
    scenario: str = ScenarioArg,
    assumptions: Path = AssumptionsOption,
    out: Path = out_option("kanslighet_<scenario>"),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.factors import baseline_params
    from flerarsprognos.analysis.sensitivity import rich_table, sensitivity, sensitivity_table
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    xarray_without_dask()

    problems = Problems()
    base, sets = load_sets(assumptions, [scenario] if scenario else [], problems)
    print_problems(problems.warnings)
    aset = sets[-1]
    res = sensitivity(baseline_params(aset, base))
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files], command_line()))
    target = out_dir_for(out, f"kanslighet_{aset.name.replace('+', '_')}")
    prepare_output(target, res)
    written = write_all(target, {"kanslighet.csv": table_csv(sensitivity_table(res, aset.name)),
                                 "kanslighet.nc": netcdf(res)})
    if not quiet:
        console.print(rich_table(res, "arets_resultat", aset.name))
        console.print(rich_table(res, "balanskravsresultat", aset.name))
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/.")


def _load_uncertainties(assumptions, scenario, file):
    from flerarsprognos.analysis.factors import baseline_params
    from flerarsprognos.analysis.montecarlo import default_uncertainties_file, read_uncertainties
    from flerarsprognos.paths import resolve_shipped
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    problems = Problems()
    base, sets = load_sets(assumptions, [scenario] if scenario else [], problems)
    aset = sets[-1]
    path = resolve_shipped(str(file)) if file else default_uncertainties_file()  # a shipped file by name too
    unc = read_uncertainties(path, aset, problems)
    problems.raise_if_errors()
    print_problems(problems.warnings)
    return base, aset, baseline_params(aset, base), unc, path


@app.command("montecarlo", help="Monte Carlo med korrelerade skift i osäkerheterna: percentilband per år för "
                                "årets resultat, balanskravsresultat, RUR och nettokostnadsandel, och "
                                "sannolikheterna att balanskravet inte nås, att nettokostnadsandelen "
                                "överstiger målet och att RUR tar slut.")
@handles_bad_input
def montecarlo_command(
    scenario: str = ScenarioArg,
    n: int = typer.Option(10_000, "--n", "-n", metavar="<heltal>", show_default=False,
                          help="Antal dragningar. Utan flaggan: 10 000."),
    seed: int = SeedOption,
    uncertainties: Path = UncertaintiesOption,
    assumptions: Path = AssumptionsOption,
    out: Path = out_option("montecarlo_<scenario>"),
    use_dask: bool = DaskOption,
    scheduler: str = SchedulerOption,
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.evaluate import check_memory, close_client, dask_client, enable_memory_reuse
    from flerarsprognos.analysis.montecarlo import MC_OUTCOMES, mc_long_table, mc_tables, montecarlo
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all

    xarray_without_dask()

    if n <= 0:
        _bad("--n", "n", f"antalet dragningar ska vara ett positivt heltal (är {n})")
    if seed < 0:
        _bad("--fro", "fro", f"ska vara ett heltal ≥ 0 (är {seed})")
    base, aset, params, unc, path = _load_uncertainties(assumptions, scenario, uncertainties)
    check_memory(n, params.sizes["year"], len(MC_OUTCOMES), "--n", "n", "Monte Carlo")
    enable_memory_reuse()
    client = dask_client(scheduler) if (use_dask or scheduler) else None
    try:
        with _progress(n, f"Monte Carlo: {count(n, 'dragning', 'dragningar')}", quiet) as progress:
            res = montecarlo(params, unc, n, seed, progress=progress, client=client)
    finally:
        if client is not None:
            close_client(client)
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(path)], command_line()))
    res.attrs.update(seed=seed, scenario=aset.name)
    target = out_dir_for(out, f"montecarlo_{aset.name.replace('+', '_')}")
    prepare_output(target, res)
    written = write_all(target, {"montecarlo.nc": netcdf(res), "montecarlo.csv": table_csv(mc_long_table(res, aset.name))})
    if not quiet:
        for t in mc_tables(res, aset.name):
            console.print(t)
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/ ({count(n, 'dragning', 'dragningar')}, frö {seed}).")


@app.command("sobol", help="Globala känslighetsindex (Sobol, första ordningen och totala, med "
                           "konfidensintervall) per år för årets resultat över osäkerheterna.")
@handles_bad_input
def sobol_command(
    scenario: str = ScenarioArg,
    n: int = typer.Option(4096, "--n", "-n", metavar="<heltal>", show_default=False,
                          help="Basprov (avrundas uppåt till en tvåpotens); modellen körs n·(antal osäkerheter "
                               "+ 2) gånger. Utan flaggan: 4 096."),
    seed: int = SeedOption,
    uncertainties: Path = UncertaintiesOption,
    assumptions: Path = AssumptionsOption,
    out: Path = out_option("sobol_<scenario>"),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.evaluate import check_memory, enable_memory_reuse
    from flerarsprognos.analysis.montecarlo import sobol, sobol_long_table, sobol_table
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all

    xarray_without_dask()

    if n <= 0:
        _bad("--n", "n", f"ska vara ett positivt heltal (är {n})")
    if seed < 0:
        _bad("--fro", "fro", f"ska vara ett heltal ≥ 0 (är {seed})")
    base, aset, params, unc, path = _load_uncertainties(assumptions, scenario, uncertainties)
    base_n = 1 << max(1, (n - 1).bit_length())
    check_memory(base_n * (len(unc.factors) + 2), params.sizes["year"], 3, "--n", "n", "Sobolanalysen")
    enable_memory_reuse()
    res = sobol(params, unc, n, seed)
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(path)], command_line()))
    target = out_dir_for(out, f"sobol_{aset.name.replace('+', '_')}")
    prepare_output(target, res)
    written = write_all(target, {"sobol.nc": netcdf(res), "sobol.csv": table_csv(sobol_long_table(res, aset.name))})
    if not quiet:
        console.print(sobol_table(res, aset.name))
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/.")


@app.command("goalseek", help="Målsökning: effektiviseringen (mnkr) eller skattesatsen (öre) per år som gör "
                              "att målet nås med likhet, för basalternativet och varje scenario; "
                              "svaret verifieras med en ny körning.")
@handles_bad_input
def goalseek_command(
    scenarios: list[str] = typer.Argument(None, show_default=False, metavar="SCENARIO",
                                          help="Scenariofiler (eller namn på medföljande scenarier). Utan argument: "
                                               "bara basalternativet."),
    goal: str = typer.Option("balanskrav", "--mal", "-g", metavar="<mål>", show_default=False,
                             help="Målet: balanskrav, nettokostnadsandel eller resultatmal. Utan flaggan: balanskrav."),
    lever: str = typer.Option("effektivisering", "--styrmedel", "-l", metavar="<styrmedel>", show_default=False,
                              help="Styrmedlet: effektivisering (mnkr) eller skattesats (öre). Utan flaggan: "
                                   "effektivisering."),
    assumptions: Path = AssumptionsOption,
    out: Path = out_option("malsokning_<mål>_<styrmedel>"),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.goalseek import (
        GOALS,
        LEVERS,
        goalseek,
        goalseek_rich,
        goalseek_table,
    )
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.problems import InputError, Problem
    from flerarsprognos.runner import run

    xarray_without_dask()

    bad = []
    if goal not in GOALS:
        bad.append(Problem("--mal", "mal", f"'{goal}' är inget mål (välj {', '.join(GOALS)})"))
    if lever not in LEVERS:
        bad.append(Problem("--styrmedel", "styrmedel", f"'{lever}' är inget styrmedel (välj {', '.join(LEVERS)})"))
    if bad:
        raise InputError(bad)
    outcome = run(assumptions, scenarios or [])
    print_problems(outcome.warnings)
    res = goalseek(outcome.params, goal, lever)
    res.attrs.update(provenance(outcome.base.digest, outcome.scenario_files, command_line()))
    target = out_dir_for(out, f"malsokning_{goal}_{lever}")
    prepare_output(target, res)
    written = write_all(target, {"malsokning.csv": table_csv(goalseek_table(res)), "malsokning.nc": netcdf(res)})
    if not quiet:
        for s in res["scenario"].values:
            console.print(goalseek_rich(res, str(s)))
    if not bool(res["verifierad"].all()):
        console.print("[red]Varning: målet nås inte med likhet (inom 0,5 mnkr) i alla år; se gap_efter_mnkr.[/red]")
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/.")
