"""`regioner` (many regions on one national set) and `jamfor-riket` (one region, two national sets)."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.analysis import DaskOption, SchedulerOption, SeedOption
from flerarsprognos.cli.common import (
    AssumptionsOption,
    QuietOption,
    RiketOption,
    command_line,
    console,
    count,
    handles_bad_input,
    out_dir_for,
    out_option,
    print_problems,
    say,
)


def _cell(kind: str, x: float) -> str:
    from flerarsprognos.output import fmt

    return fmt.procent(x) if kind == "andel" else fmt.mnkr(x)


def headline_table(frame, title: str):
    """Region × figure rows, years as columns (Swedish formats)."""
    from rich.table import Table

    from flerarsprognos.regioner import HEADLINES

    years = sorted(frame["ar"].unique())
    t = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    t.add_column("Region", overflow="fold", min_width=20)
    t.add_column("Mått", overflow="fold", min_width=18)
    for y in years:
        t.add_column(str(y), justify="right", no_wrap=True)
    for region in dict.fromkeys(frame["region"]):
        rows = frame[frame["region"] == region].set_index("ar")
        for i, (col, label, kind) in enumerate(HEADLINES):
            t.add_row(region if i == 0 else "", label,
                      *[_cell(kind, rows[col].get(y, float("nan"))) for y in years],
                      end_section=i == len(HEADLINES) - 1)
    return t


def _montecarlo_table(sets, names, n: int, seed: int, client):
    """P(balanskravet nås inte) and the median årets resultat per region and year, on the same draws."""
    import pandas as pd
    from rich.table import Table

    from flerarsprognos.analysis.factors import baseline_params
    from flerarsprognos.analysis.montecarlo import default_uncertainties_file, montecarlo, read_uncertainties
    from flerarsprognos.output import fmt
    from flerarsprognos.problems import Problems

    problems = Problems()
    rows, tables = [], []
    path = default_uncertainties_file()
    for aset, name in zip(sets, names):
        unc = read_uncertainties(path, aset, problems)
        problems.raise_if_errors()
        res = montecarlo(baseline_params(aset, aset), unc, n, seed, client=client)
        years = [int(y) for y in res["year"].values]
        p = res["sannolikhet"].sel(handelse="balanskrav_ej_uppfyllt").values
        med = res["percentiler"].sel(utfall="arets_resultat", percentil=50).values
        for y, pi, mi in zip(years, p, med):
            rows.append({"region": name, "ar": y, "p_balanskrav_ej_uppfyllt": float(pi), "median_arets_resultat": float(mi)})
        tables.append((name, years, p, med))
    t = Table(title=f"Monte Carlo över de nationella osäkerheterna ({n} dragningar, frö {seed}, samma dragningar för alla regioner)",
              title_justify="left", show_edge=False, header_style="bold")
    t.add_column("Region", overflow="fold", min_width=20)
    t.add_column("Mått", overflow="fold", min_width=18)
    for y in tables[0][1]:
        t.add_column(str(y), justify="right", no_wrap=True)
    for name, years, p, med in tables:
        t.add_row(name, "Sannolikhet att balanskravet inte nås", *[fmt.procent(x, 0) for x in p])
        t.add_row("", "Årets resultat, median", *[fmt.mnkr(x) for x in med], end_section=True)
    return t, pd.DataFrame(rows)


@app.command("regioner", help="Kör flera regioner på samma nationella prognosunderlag och jämför årets "
                              "resultat, balanskravsresultat och nettokostnadsandel per region och år.")
@handles_bad_input
def regioner_command(
    # text, made paths below: typer would show a list of paths as '<list[Path]>'
    kataloger: list[str] = typer.Argument(None, show_default=False, metavar="KATALOG",
                                           help="Regionernas antagandekataloger (eller en katalog med regioner). Utan "
                                                "argument: alla medföljande (standardregionen och examples/regioner/*)."),
    riket: Path = RiketOption,
    out: Path = out_option("regioner"),
    quiet: bool = QuietOption,
    montecarlo_n: int = typer.Option(0, "--montecarlo", show_default=False, metavar="<heltal>",
                                     help="Kör också en Monte Carlo med så många dragningar över de nationella "
                                          "osäkerheterna (scenarios/osakerheter.yaml) för varje region, på samma "
                                          "dragningar. Utan flaggan: ingen Monte Carlo (med --dask eller "
                                          "--schemalaggare: 1 000 dragningar)."),
    seed: int = SeedOption,
    use_dask: bool = DaskOption,
    scheduler: str = SchedulerOption,
):
    import pandas as pd

    from flerarsprognos.output.files import check_not_an_input, table_csv, write_all
    from flerarsprognos.regioner import expand, headlines, run_regions, shipped_regions

    dirs = expand([Path(k) for k in kataloger]) if kataloger else shipped_regions()
    with_mc = montecarlo_n > 0 or use_dask or scheduler
    target = out_dir_for(out, "regioner")
    regions = run_regions(dirs, riket)
    check_not_an_input(target, _inputs(dirs, regions.sets, riket, with_mc), "--ut")  # before anything is written
    print_problems(regions.warnings)
    frame = pd.concat([headlines(r) for r in regions.results], ignore_index=True)
    riket_name = regions.sets[0]["prognosunderlag_namn"]
    if not quiet:
        console.print(headline_table(frame, f"Regioner på prognosunderlaget {riket_name}"))
    files = {"regioner.csv": table_csv(frame)}
    if with_mc:
        from flerarsprognos.analysis.evaluate import close_client, dask_client

        names = list(dict.fromkeys(frame["region"]))
        client = dask_client(scheduler) if (use_dask or scheduler) else None
        try:
            table, mc = _montecarlo_table(regions.sets, names, montecarlo_n or 1000, seed, client)
        finally:
            if client is not None:
                close_client(client)
        if not quiet:
            console.print(table)
        files["regioner_montecarlo.csv"] = table_csv(mc)
    written = write_all(target, files)
    say(f"Skrev {count(len(written), 'fil', 'filer')} till {target}/ ({count(len(dirs), 'region', 'regioner')}; {command_line()}).")


def _inputs(dirs: list[Path], sets, riket: Path | None, with_mc: bool) -> list[Path | None]:
    """What the comparison reads: the region directories (or workbooks), their national sets and,
    with Monte Carlo, the uncertainties file; the output may be, hold or lie inside none of them."""
    found: list[Path | None] = [*dirs, riket, *(s.riket for s in sets)]
    if with_mc:
        from flerarsprognos.analysis.montecarlo import default_uncertainties_file

        found.append(default_uncertainties_file())
    return found


@app.command("jamfor-riket", help="Kör regionen på två nationella prognosunderlag (t.ex. SKR:s förra och "
                                  "senaste utgåva) och visa vad det nya ändrar i årets resultat, "
                                  "balanskravsresultat och nettokostnadsandel.")
@handles_bad_input
def jamfor_riket_command(
    forra: Path = typer.Argument(..., metavar="FÖRRA", help="Det tidigare prognosunderlagets katalog."),
    nya: Path = typer.Argument(..., metavar="NYA", help="Det nya prognosunderlagets katalog."),
    assumptions: Path = AssumptionsOption,
):
    from rich.table import Table

    from flerarsprognos.output import fmt
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.regioner import HEADLINES, compare_vintages

    v = compare_vintages(assumptions or default_assumptions_dir(), forra, nya)
    print_problems(v.warnings)
    name_a, name_b = v.aset_a["prognosunderlag_namn"], v.aset_b["prognosunderlag_namn"]
    region = v.aset_a.values["region_namn"].data if "region_namn" in v.aset_a.values else ""
    t = Table(title=f"{region}: {name_b} ({nya}) mot {name_a} ({forra})", title_justify="left",
              show_edge=False, header_style="bold")
    t.add_column("Mått", no_wrap=True)
    years = [int(y) for y in v.table["ar"]]
    for y in years:
        t.add_column(str(y), justify="right", no_wrap=True)
    for col, label, kind in HEADLINES:
        a, b, d = (v.table[f"{col}_{s}"].to_numpy() for s in ("a", "b", "skillnad"))
        t.add_row(f"{label}, {name_a}", *[_cell(kind, x) for x in a])
        t.add_row(f"{label}, {name_b}", *[_cell(kind, x) for x in b])
        diff = [f"{'+' if round(x * 1000) > 0 else ''}{fmt.mnkr(100 * x, 1)} pe" if kind == "andel"
                else f"{'+' if round(x) > 0 else ''}{fmt.mnkr(x)}" for x in d]
        t.add_row(f"[bold]{label}, skillnad[/bold]", *diff, end_section=True)
    console.print(t)
