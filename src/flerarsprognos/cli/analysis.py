"""`sweep`, `sensitivity`, `montecarlo`, `sobol` and `goalseek`: the analyses of DOMAIN.md §9."""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    AssumptionsOption,
    command_line,
    console,
    handles_bad_input,
    out_dir_for,
    print_problems,
)

LONG_CSV_MAX_ROWS = 1_000_000
QuietOption = typer.Option(False, "--quiet", "-q", help="Ingen förloppsindikator och inga tabeller, "
                                                       "bara var filerna hamnade.")
UncertaintiesOption = typer.Option(
    None, "--osakerheter", "-u", show_default=False,
    help="Fil med osäkerheternas standardavvikelser och korrelationer (typ: osakerheter). "
         "Utan flaggan: den medföljande scenarios/osakerheter.yaml.")


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
    spec_file: Path = typer.Argument(..., help="Svepfilen, t.ex. scenarios/svep_inflation_lon.yaml, "
                                               "eller namnet på ett medföljande svep (svep_inflation_lon).",
                                     show_default=False),
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för resultatet. Utan flaggan: outputs/svep_<svepfilens namn>/."),
    use_dask: bool = typer.Option(False, "--dask", help="Kör på dask, uppdelat längs scenarierna. "
                                                        "Utan flaggan: i den här processen."),
    scheduler: str = typer.Option(None, "--scheduler", show_default=False,
                                  help="Adress till en befintlig dask-schemaläggare (t.ex. tcp://10.0.0.5:8786); "
                                       "innebär --dask. Utan flaggan: ett LocalCluster på 127.0.0.1."),
    chunk: int = typer.Option(65_536, "--chunk", help="Scenarier per beräkningsblock (anrop av modellen)."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis import sweep as sw
    from flerarsprognos.analysis.evaluate import close_client, dask_client
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.paths import resolve_scenario

    if chunk <= 0:
        _bad("--chunk", "chunk", f"ska vara ett positivt heltal (är {chunk})")
    spec_file = Path(resolve_scenario(str(spec_file)))  # a shipped sweep by name: svep_inflation_lon
    spec, base, aset, params, experiment, warnings = sw.load_sweep(spec_file, assumptions)
    print_problems(warnings)
    client = dask_client(scheduler) if (use_dask or scheduler) else None
    try:
        with _progress(experiment.n, f"Svep: {experiment.n} scenarier", quiet) as progress:
            ds = sw.sweep(params, experiment, spec, chunk=chunk, progress=progress, client=client, threads=2)
    finally:
        if client is not None:
            close_client(client)
    ds.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(spec_file)], command_line()))
    ds.attrs.update(titel=spec.title, baslinje=aset.name)
    target = out_dir_for(out, f"svep_{Path(spec_file).stem}")
    files = {"svep.nc": netcdf(ds), "experiment.csv": table_csv(sw.experiment_table(experiment, spec))}
    if experiment.n * ds.sizes["year"] <= LONG_CSV_MAX_ROWS:  # beyond that the NetCDF is the table
        files["svep.csv"] = table_csv(sw.long_table(ds))
    written = write_all(target, files)
    if not quiet:
        if spec.is_grid:
            console.print(sw.grid_table(ds, spec))
        else:
            console.print(sw.design_summary(ds, spec.table_outcome))
    console.print(f"Skrev {len(written)} filer till {target}/ ({experiment.n} scenarier).")


@app.command("sensitivity", help="Känslighetsanalys (DOMAIN.md §9): effekten på årets resultat och "
                                 "balanskravsresultatet per år av standardförändringarna, åt båda hållen.")
@handles_bad_input
def sensitivity_command(
    scenario: str = typer.Argument(None, show_default=False,
                                   help="Scenariofil (eller medföljande namn) att utgå från. Utan argument: bas."),
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för kanslighet.csv. Utan flaggan: outputs/kanslighet_<scenario>/."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.factors import baseline_params
    from flerarsprognos.analysis.sensitivity import rich_table, sensitivity, sensitivity_table
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    problems = Problems()
    base, sets = load_sets(assumptions, [scenario] if scenario else [], problems)
    print_problems(problems.warnings)
    aset = sets[-1]
    res = sensitivity(baseline_params(aset, base))
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files], command_line()))
    target = out_dir_for(out, f"kanslighet_{aset.name.replace('+', '_')}")
    written = write_all(target, {"kanslighet.csv": table_csv(sensitivity_table(res, aset.name)),
                                 "kanslighet.nc": netcdf(res)})
    if not quiet:
        console.print(rich_table(res, "arets_resultat", aset.name))
        console.print(rich_table(res, "balanskravsresultat", aset.name))
    console.print(f"Skrev {len(written)} filer till {target}/.")


def _load_uncertainties(assumptions, scenario, file):
    from flerarsprognos.analysis.factors import baseline_params
    from flerarsprognos.analysis.montecarlo import default_uncertainties_file, read_uncertainties
    from flerarsprognos.problems import Problems
    from flerarsprognos.runner import load_sets

    problems = Problems()
    base, sets = load_sets(assumptions, [scenario] if scenario else [], problems)
    aset = sets[-1]
    path = Path(file) if file else default_uncertainties_file()
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
    scenario: str = typer.Argument(None, show_default=False,
                                   help="Scenariofil (eller medföljande namn) att utgå från. Utan argument: bas."),
    n: int = typer.Option(10_000, "--n", "-n", help="Antal dragningar."),
    seed: int = typer.Option(20230101, "--seed", "-s", help="Slumpfrö; samma frö ger samma siffror."),
    uncertainties: Path = UncertaintiesOption,
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för resultatet. Utan flaggan: outputs/montecarlo_<scenario>/."),
    use_dask: bool = typer.Option(False, "--dask", help="Kör på dask. Utan flaggan: i den här processen."),
    scheduler: str = typer.Option(None, "--scheduler", show_default=False,
                                  help="Adress till en befintlig dask-schemaläggare; innebär --dask."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.evaluate import close_client, dask_client
    from flerarsprognos.analysis.montecarlo import mc_long_table, mc_tables, montecarlo
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all

    if n <= 0:
        _bad("--n", "n", f"antalet dragningar ska vara ett positivt heltal (är {n})")
    if seed < 0:
        _bad("--seed", "seed", f"ska vara ett heltal ≥ 0 (är {seed})")
    base, aset, params, unc, path = _load_uncertainties(assumptions, scenario, uncertainties)
    client = dask_client(scheduler) if (use_dask or scheduler) else None
    try:
        with _progress(n, f"Monte Carlo: {n} dragningar", quiet) as progress:
            res = montecarlo(params, unc, n, seed, progress=progress, client=client)
    finally:
        if client is not None:
            close_client(client)
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(path)], command_line()))
    res.attrs.update(seed=seed, scenario=aset.name)
    target = out_dir_for(out, f"montecarlo_{aset.name.replace('+', '_')}")
    written = write_all(target, {"montecarlo.nc": netcdf(res), "montecarlo.csv": table_csv(mc_long_table(res, aset.name))})
    if not quiet:
        for t in mc_tables(res, aset.name):
            console.print(t)
    console.print(f"Skrev {len(written)} filer till {target}/ ({n} dragningar, frö {seed}).")


@app.command("sobol", help="Globala känslighetsindex (Sobol, första ordningen och totala, med "
                           "konfidensintervall) per år för årets resultat över osäkerheterna.")
@handles_bad_input
def sobol_command(
    scenario: str = typer.Argument(None, show_default=False,
                                   help="Scenariofil (eller medföljande namn) att utgå från. Utan argument: bas."),
    n: int = typer.Option(4096, "--n", "-n", help="Basprov (avrundas uppåt till en tvåpotens); "
                                                  "modellen körs n·(antal osäkerheter + 2) gånger."),
    seed: int = typer.Option(20230101, "--seed", "-s", help="Slumpfrö; samma frö ger samma siffror."),
    uncertainties: Path = UncertaintiesOption,
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för resultatet. Utan flaggan: outputs/sobol_<scenario>/."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.analysis.montecarlo import sobol, sobol_long_table, sobol_table
    from flerarsprognos.output.files import netcdf, provenance, table_csv, write_all

    if n <= 0:
        _bad("--n", "n", f"ska vara ett positivt heltal (är {n})")
    if seed < 0:
        _bad("--seed", "seed", f"ska vara ett heltal ≥ 0 (är {seed})")
    base, aset, params, unc, path = _load_uncertainties(assumptions, scenario, uncertainties)
    res = sobol(params, unc, n, seed)
    res.attrs.update(provenance(base.digest, [str(p) for p in aset.scenario_files] + [str(path)], command_line()))
    target = out_dir_for(out, f"sobol_{aset.name.replace('+', '_')}")
    written = write_all(target, {"sobol.nc": netcdf(res), "sobol.csv": table_csv(sobol_long_table(res, aset.name))})
    if not quiet:
        console.print(sobol_table(res, aset.name))
    console.print(f"Skrev {len(written)} filer till {target}/.")


@app.command("goalseek", help="Målsökning: effektiviseringen (mnkr) eller skattesatsen (öre) per år som gör "
                              "att målet nås med likhet, för basalternativet och varje scenario; "
                              "svaret verifieras med en ny körning.")
@handles_bad_input
def goalseek_command(
    scenarios: list[str] = typer.Argument(None, show_default=False,
                                          help="Scenariofiler (eller medföljande namn). Utan argument: bara bas."),
    goal: str = typer.Option("balanskrav", "--goal", "-g",
                             help="Målet: balanskrav, nettokostnadsandel eller resultatmal."),
    lever: str = typer.Option("effektivisering", "--lever", "-l",
                              help="Styrmedlet: effektivisering (mnkr) eller skattesats (öre)."),
    assumptions: Path = AssumptionsOption,
    out: Path = typer.Option(None, "--out", "-o", show_default=False,
                             help="Katalog för malsokning.csv. Utan flaggan: outputs/malsokning_<mål>_<styrmedel>/."),
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

    bad = []
    if goal not in GOALS:
        bad.append(Problem("--goal", "goal", f"'{goal}' är inget mål (välj {', '.join(GOALS)})"))
    if lever not in LEVERS:
        bad.append(Problem("--lever", "lever", f"'{lever}' är inget styrmedel (välj {', '.join(LEVERS)})"))
    if bad:
        raise InputError(bad)
    outcome = run(assumptions, scenarios or [])
    print_problems(outcome.warnings)
    res = goalseek(outcome.params, goal, lever)
    res.attrs.update(provenance(outcome.base.digest, outcome.scenario_files, command_line()))
    target = out_dir_for(out, f"malsokning_{goal}_{lever}")
    written = write_all(target, {"malsokning.csv": table_csv(goalseek_table(res)), "malsokning.nc": netcdf(res)})
    if not quiet:
        for s in res["scenario"].values:
            console.print(goalseek_rich(res, str(s)))
    if not bool(res["verifierad"].all()):
        console.print("[red]Varning: målet nås inte med likhet (inom 0,5 mnkr) i alla år; se gap_efter_mnkr.[/red]")
    console.print(f"Skrev {len(written)} filer till {target}/.")
