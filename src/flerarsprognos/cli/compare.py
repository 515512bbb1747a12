"""`compare`, `allocate` and `rebase`: plan against outcome, nämnd ramar, a new base year."""

from __future__ import annotations

from pathlib import Path

import typer

from flerarsprognos.cli import app
from flerarsprognos.cli.common import (
    QuietOption,
    command_line,
    console,
    handles_bad_input,
    out_dir_for,
    out_option,
    print_problems,
)


def load_plan(arg: str, problems):
    """A plan argument: an assumption directory, 'standard' (the built-in one), or a budget file."""
    from flerarsprognos.utfall.compare import plan_from_file, plan_from_result
    from flerarsprognos.io.utfallsfil import read_outcome
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.runner import run

    path = Path(arg)
    if arg == "standard" or path.is_dir():
        directory = default_assumptions_dir() if arg == "standard" else path
        r = run(directory, [])
        problems.items.extend(r.warnings)
        return plan_from_result(f"modellkörning av {arg}", r.result, r.base.basar), directory
    return plan_from_file(read_outcome(path, problems, require="budget")), None


def _table(comparison, organisation: str, year: int):
    from rich.table import Table

    from flerarsprognos.output import fmt
    from flerarsprognos.utfall.compare import plan_mot_utfall_frame

    df = plan_mot_utfall_frame(comparison)
    df = df[(df["organisation"] == organisation) & (df["ar"] == year)]
    d = max(0, min(comparison.outcome.decimals, 1))
    t = Table(title=f"{organisation} {year}: plan mot utfall (mnkr; avvikelse + = bättre än plan, "
                    "förändring + = större belopp än föregående år)",
              title_justify="left", show_edge=False, header_style="bold")
    t.add_column("Rad", overflow="fold", min_width=28)
    for h in ("Plan", "Utfall", "Avvikelse", "Avv. %", "Föreg. år", "Förändring", "Förändr. %"):
        t.add_column(h, justify="right", no_wrap=True)
    for rec in df.itertuples(index=False):
        dev = fmt.mnkr(rec.avvikelse, d)
        dev_pct = fmt.procent(rec.avvikelse_procent)
        if rec.avvikelse == rec.avvikelse and rec.avvikelse is not None and round(rec.avvikelse, d) != 0:
            colour = "green" if rec.avvikelse > 0 else "red"
            dev, dev_pct = f"[{colour}]{dev}[/{colour}]", f"[{colour}]{dev_pct}[/{colour}]"
        label = rec.benamning + (" *" if rec.anmarkning == "se kontroll" else "")
        if rec.anmarkning.startswith("saknas"):
            label += f" [dim]({rec.anmarkning})[/dim]"
        cells = [fmt.mnkr(rec.plan, d), fmt.mnkr(rec.utfall, d), dev, dev_pct, fmt.mnkr(rec.foregaende_ar, d),
                 fmt.mnkr(rec.forandring, d), fmt.procent(rec.forandring_procent)]
        if rec.delsumma:
            t.add_row(f"[bold]{label}[/bold]", *[f"[bold]{c}[/bold]" for c in cells])
        else:
            t.add_row(label, *cells)
    t.caption = "* = en angiven siffra på raden stämmer inte, se Kontroll. Fet stil = delsumma beräknad här."
    t.caption_justify = "left"
    return t


# The old spellings (--outcome, --year, -y, --out, --quiet …) are rewritten to these names by
# cli/svenska.py's ALIASES, as for every command.
UtfallOption = typer.Option(None, "--utfall", "-u", show_default=False,
                            help="Utfallsfil (.csv eller .xlsx), se docs/utfall.md. Krävs.")


def _assumptions_option(what: str):
    return typer.Option(None, "--antaganden", "-a", show_default=False, metavar="<katalog eller .xlsx>",
                        help=f"{what} Utan flaggan: de inbyggda.")


def _required(value, name: str):
    from flerarsprognos.problems import InputError, Problem

    if value is None:
        raise InputError([Problem(name, None, "saknas: ange flaggan")])
    return value


@app.command("compare", help="Jämför plan och utfall per rad och nämnd: avvikelser i mnkr och procent "
                             "(positivt = bättre än plan), förändring mot föregående år, delsummor, kontroll "
                             "av angivna siffror och kommentarer i årsredovisningens stil.")
@handles_bad_input
def compare_command(
    utfall: Path = UtfallOption,
    plan: list[str] = typer.Option(None, "--plan", "-p", show_default=False,
                                   help="Planen: en katalog med antaganden, 'standard' (den inbyggda) eller en "
                                        "budgetfil. Flera --plan (planversioner) ger också prognosprecision per "
                                        "horisont. Utan flaggan: budgetkolumnen i utfallsfilen."),
    ar: int = typer.Option(None, "--ar", show_default=False,
                           help="År att jämföra. Utan flaggan: det senaste året med utfall."),
    out: Path = out_option("jamforelse_<utfallsfil>"),
    excel: Path = typer.Option(None, "--excel", show_default=False,
                               help="Skriv också en Excelbok med bladet 'Plan mot utfall'. Utan flaggan: ingen Excel."),
    sheet: str = typer.Option(None, "--blad", show_default=False,
                              help="Blad i en .xlsx-utfallsfil. Utan flaggan: bladet 'Utfall' eller det första."),
    strict: bool = typer.Option(False, "--strikt", help="Behandla angivna siffror som inte stämmer som fel "
                                                        "(felkod 2, inget skrivs). Utan flaggan: de rapporteras."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.io.utfallsfil import read_outcome
    from flerarsprognos.problems import Problems

    utfall = _required(utfall, "--utfall")
    problems = Problems()
    outcome_file = read_outcome(utfall, problems, sheet=sheet)
    plans = [load_plan(p, problems) for p in (plan or [])]
    problems.raise_if_errors()
    target = out_dir_for(out, f"jamforelse_{utfall.stem}")
    _check_targets(target, excel, [utfall, *[_plan_path(p) for p in (plan or [])]])
    comparison = _comparison(outcome_file, plans, ar, strict, problems)
    print_problems(problems.items)
    if not quiet:
        _print(comparison)
    written = _write_comparison(comparison, target, excel)
    console.print(f"Skrev {len(written)} filer till {target}/ ({len(comparison.findings)} anmärkningar på angivna siffror).")


def _plan_path(arg: str) -> Path:
    from flerarsprognos.paths import default_assumptions_dir

    return default_assumptions_dir() if arg == "standard" else Path(arg)


def _check_targets(target: Path, excel: Path | None, inputs: list[Path]) -> None:
    """The output directory and the workbook may not be, contain or lie inside an input."""
    from flerarsprognos.io.guard import check_output_path
    from flerarsprognos.problems import Problems

    problems = Problems()
    check_output_path(target, inputs, problems, "--ut")
    if excel is not None:
        check_output_path(excel, inputs, problems, "--excel")
        if not excel.parent.is_dir():
            problems.error(str(excel), "--excel", f"katalogen {excel.parent} finns inte")
    problems.raise_if_errors()


def _comparison(outcome_file, plans: list, year: int | None, strict: bool, problems):
    """The comparison against the first plan, its deviation split and the forecast accuracy."""
    from flerarsprognos.problems import InputError, Problem
    from flerarsprognos.utfall import compare as cmp

    years = [year] if year is not None else None
    where = str(outcome_file.path)
    if year is not None and year not in outcome_file.years:
        raise InputError([Problem(where, "ar", f"året {year} finns inte i utfallsfilen "
                                               f"(finns: {', '.join(map(str, outcome_file.years))})")])
    main_plan = plans[0][0] if plans else None
    if main_plan is not None and main_plan.kind == "modell":
        target_years = years or sorted({r.ar for r in outcome_file.rows if r.utfall is not None})[-1:]
        missing = [y for y in target_years if not main_plan.lines("region", "*", y)]
        if missing:
            raise InputError([Problem(where, "ar", f"planen ({main_plan.name}) har inget år {y}", y) for y in missing])
    comparison = cmp.compare(outcome_file, main_plan, years)
    if strict and comparison.findings:
        raise InputError(problems.items + [Problem(f.file, f.where, f"{f.organisation}, {f.rad}: {f.message}", f.ar)
                                           for f in comparison.findings])
    if main_plan is not None and main_plan.kind == "modell" and comparison.years:
        comparison.split, comparison.split_macro = cmp.deviation_split(plans[0][1], outcome_file, comparison.years[-1])
    if plans:
        summary, detail = cmp.forecast_accuracy([p for p, _ in plans], outcome_file)
        if not detail.empty:
            comparison.accuracy, comparison.accuracy_detail = summary, detail
    return comparison


def _write_comparison(comparison, target: Path, excel: Path | None) -> list[Path]:
    from flerarsprognos.io.guard import record_written
    from flerarsprognos.output.files import atomic_path, table_csv
    from flerarsprognos.utfall import compare as cmp

    files = {
        "plan_mot_utfall.csv": table_csv(cmp.plan_mot_utfall_frame(comparison)),
        "kontroll.csv": table_csv(cmp.findings_frame(comparison)),
        "kommentarer.txt": _text("\n".join(cmp.commentary(comparison)) + "\n"),
    }
    if comparison.split is not None:
        files["avvikelseanalys.csv"] = table_csv(comparison.split)
        files["avvikelseanalys_makro.csv"] = table_csv(comparison.split_macro)
    if comparison.accuracy is not None:
        files["prognosprecision.csv"] = table_csv(comparison.accuracy)
        files["prognosprecision_detalj.csv"] = table_csv(comparison.accuracy_detail)
    files["kommando.txt"] = _text(command_line() + "\n")
    _check_replace(target, list(files), excel)
    if excel is None:
        return _write_recorded(target, files)
    with atomic_path(excel) as tmp:  # the workbook is renamed only if the CSV files were written too
        cmp.write_workbook(tmp, comparison)
        written = _write_recorded(target, files)
    record_written(excel.parent, [excel.name])
    console.print(f"Skrev {excel}.")
    return written


def _check_replace(target: Path, names: list[str], excel: Path | None = None) -> None:
    """Files of the same name that the tool did not write are never replaced (an error)."""
    from flerarsprognos.io.guard import check_replace
    from flerarsprognos.problems import Problems

    problems = Problems()
    check_replace(target, names, problems, "--ut")
    if excel is not None:
        check_replace(excel.parent, [excel.name], problems, "--excel")
    problems.raise_if_errors()


def _write_recorded(target: Path, files: dict) -> list[Path]:
    """Write the files atomically and list them in the directory's manifest."""
    from flerarsprognos.io.guard import record_written
    from flerarsprognos.output.files import write_all

    written = write_all(target, files)
    record_written(target, list(files))
    return written


def _text(content: str):
    def write(path: Path) -> None:
        path.write_text(content, encoding="utf-8")
    return write


def _print(comparison) -> None:
    from flerarsprognos.output import fmt
    from flerarsprognos.utfall.compare import commentary

    for org in dict.fromkeys(ln.organisation for ln in comparison.lines):
        for y in comparison.years:
            if any(ln.organisation == org and ln.ar == y for ln in comparison.lines):
                console.print(_table(comparison, org, y))
    console.print(f"Plan: {comparison.plan_name}.")
    only_plan = sum(1 for ln in comparison.lines if ln.note == "saknas i utfallet")
    only_outcome = len(comparison.notes) - only_plan
    if comparison.notes:
        console.print(f"[yellow]obs: {only_plan} rader finns bara i planen och {only_outcome} bara i utfallet "
                      "(markerade i tabellen).[/yellow]")
    if comparison.findings:
        console.rule("[bold]Kontroll: angivna siffror som inte stämmer[/bold]")
        for f in comparison.findings:
            console.print(f"[yellow]{f}[/yellow]", soft_wrap=True)
    sentences = commentary(comparison)
    if sentences:
        console.rule("[bold]Kommentarer[/bold]")
    for s in sentences:
        console.print(s, soft_wrap=True)
    if comparison.split is not None:
        _print_split(comparison)
    if comparison.accuracy is not None:
        _print_accuracy(comparison)


def _print_split(comparison) -> None:
    from rich.table import Table

    from flerarsprognos.output import fmt

    y = comparison.years[-1]
    t = Table(title=f"Avvikelseanalys {y}: vad ekonomin förklarar (planen omräknad med utfallets makro)",
              title_justify="left", show_edge=False, header_style="bold")
    for h in ("Rad", "Plan", "Plan m. utfallets makro", "Utfall", "Avvikelse", "varav ekonomin", "varav verksamheten"):
        t.add_column(h, justify="left" if h == "Rad" else "right")
    for rec in comparison.split.itertuples(index=False):
        t.add_row(rec.benamning, *[fmt.mnkr(v, 1) for v in (rec.plan, rec.plan_med_utfallets_makro, rec.utfall,
                                                              rec.avvikelse, rec.varav_ekonomin,
                                                              rec.varav_verksamheten)])
    console.print(t)
    for m in comparison.split_macro.itertuples(index=False):
        console.print(f"  {m.nyckel} {m.ar}: planen {fmt.mnkr(m.plan, 2)} %, utfallet {fmt.mnkr(m.utfall, 2)} %")


def _print_accuracy(comparison) -> None:
    from rich.table import Table

    from flerarsprognos.output import fmt

    t = Table(title="Prognosprecision per horisont (utfall − plan, mnkr; + = bättre än planerat)",
              title_justify="left", show_edge=False, header_style="bold")
    for h in ("Organisation", "Rad", "Horisont (år)", "Antal", "Medelfel", "Medelabsolutfel"):
        t.add_column(h, justify="left" if h in ("Organisation", "Rad") else "right")
    for rec in comparison.accuracy.itertuples(index=False):
        t.add_row(rec.organisation, rec.rad, str(rec.horisont), str(rec.antal), fmt.mnkr(rec.medelfel, 1),
                  fmt.mnkr(rec.medelabsolutfel, 1))
    console.print(t)


@app.command("allocate", help="Nämndernas nettokostnadsramar: bygg årets ram från föregående års (generell "
                              "uppräkning, tillskott, satsningar, effektivisering, budgetväxlingar), kontrollera "
                              "angivna summor och att ramarna för hela regionen summerar till planens nettokostnad; "
                              "rita vattenfallsdiagram.")
@handles_bad_input
def allocate_command(
    file: Path = typer.Argument(..., help="Ramfil (YAML), se docs/utfall.md och examples/ramar/."),
    assumptions: Path = _assumptions_option("Antaganden (katalog eller arbetsbok) för planens nettokostnad och "
                                            "för index: lpik."),
    out: Path = out_option("ramar_<ramfil>"),
    no_plot: bool = typer.Option(False, "--utan-diagram", help="Rita inga vattenfallsdiagram. Utan flaggan: ett per "
                                                          "nämnd med uppbyggnad."),
    next_year: bool = typer.Option(False, "--nasta-ar", help="Skriv ett utkast till nästa års ramfil: årets ramar "
                                                              "uppräknade med index (lpik) ur antagandena, och visa vad "
                                                              "som återstår att fördela mot planen. Utan flaggan: "
                                                              "bara årets ramar."),
    quiet: bool = QuietOption,
):
    from flerarsprognos.problems import Problems
    from flerarsprognos.utfall.ramar import read_ramfil

    problems = Problems()
    alloc = read_ramfil(file, assumptions, problems)
    _check_targets(out_dir_for(out, f"ramar_{file.stem}"), None, [file, assumptions])
    if next_year:
        _next_year(alloc, file, assumptions, out, problems)
        return
    print_problems(problems.items)
    if not quiet:
        _print_ramar(alloc)
    for f in alloc.findings:
        console.print(f"[yellow]anmärkning: {f}[/yellow]", soft_wrap=True)
    target = out_dir_for(out, f"ramar_{file.stem}")
    written = _write_ramar(alloc, target, no_plot)
    console.print(f"Skrev {len(written)} filer till {target}/ ({len(alloc.findings)} anmärkningar).")


def _print_ramar(alloc) -> None:
    from rich.table import Table

    from flerarsprognos.output import fmt
    from flerarsprognos.utfall.ramar import buildup_frame, ramar_frame

    d = 0 if alloc.precision >= 1 else 1
    t = Table(title=f"{alloc.title} (mnkr)", title_justify="left", show_edge=False, header_style="bold")
    for h in ("Nämnd", f"Ram {alloc.year - 1}", f"Ram {alloc.year}", "Förändring"):
        t.add_column(h, justify="left" if h == "Nämnd" else "right")
    for rec in ramar_frame(alloc).itertuples(index=False):
        t.add_row(rec.namnd, fmt.mnkr(rec.foregaende_ram, d), fmt.mnkr(rec.ram, d), fmt.mnkr(rec.forandring, d))
    console.print(t)
    for fr in alloc.ramar:
        b = buildup_frame(fr, alloc.year)
        if b.empty:
            continue
        t = Table(title=f"{fr.namnd}: ramens uppbyggnad och finansiering (mnkr)", title_justify="left",
                  show_edge=False, header_style="bold")
        for h in ("", "mnkr", "Beräkning"):
            t.add_column(h, justify="right" if h == "mnkr" else "left")
        for rec in b.itertuples(index=False):
            cells = (rec.benamning, fmt.mnkr(rec.belopp, d), rec.berakning)
            t.add_row(*([f"[bold]{c}[/bold]" for c in cells] if rec.typ == "summa" else cells))
        console.print(t)
    if alloc.plan_nettokostnad is not None:
        console.print(f"Ramarna summerar till {fmt.mnkr(alloc.total, 1)} mnkr = planens verksamhetens "
                      f"nettokostnader {alloc.year} ({fmt.mnkr(alloc.plan_nettokostnad, 1)} mnkr).")


def _write_ramar(alloc, target: Path, no_plot: bool) -> list[Path]:
    import re

    import pandas as pd

    from flerarsprognos.output.files import table_csv
    from flerarsprognos.utfall.ramar import buildup_frame, ramar_frame, waterfall

    buildups = [buildup_frame(fr, alloc.year) for fr in alloc.ramar if fr.previous is not None]
    omraden = [fr.omraden.assign(namnd=fr.namnd) for fr in alloc.ramar if fr.omraden is not None]
    files = {
        "ramar.csv": table_csv(ramar_frame(alloc)),
        "kontroll.csv": table_csv(pd.DataFrame({"anmarkning": alloc.findings}, columns=["anmarkning"])),
    }
    if buildups:
        files["uppbyggnad.csv"] = table_csv(pd.concat(buildups, ignore_index=True))
    if omraden:
        files["omraden.csv"] = table_csv(pd.concat(omraden, ignore_index=True))
    for fr in (alloc.ramar if not no_plot else []):
        if fr.previous is None:
            continue
        slug = re.sub(r"[^a-z0-9]+", "_", fr.namnd.lower().replace("å", "a").replace("ä", "a").replace("ö", "o"))

        def write_png(path: Path, fr=fr) -> None:
            import matplotlib.pyplot as plt

            fig = waterfall(fr, alloc.year)
            fig.savefig(path, format="png", dpi=120)
            plt.close(fig)

        files[f"vattenfall_{slug.strip('_')}.png"] = write_png
    _check_replace(target, list(files))
    return _write_recorded(target, files)


@app.command("rebase", help="Ombasera flerårsplanen på senaste utfallet: en ny antagandekatalog med utfallsåret "
                            "som basår, planåren framflyttade och det ingående läget (eget kapital, RUR, "
                            "pensionsskuld, lån, balanskravsunderskott) ur årsredovisningen där utfallsfilen har det. "
                            "Originalfilerna ändras inte.")
@handles_bad_input
def rebase_command(
    utfall: Path = typer.Option(None, "--utfall", "-u", show_default=False,
                                help="Utfallsfil med regionens utfall, balansräkning och balanskravsutredning "
                                     "och/eller makroutfall (se docs/utfall.md). Krävs."),
    ar: int = typer.Option(None, "--ar", show_default=False, help="Utfallsåret, det nya basåret. Krävs."),
    assumptions: Path = typer.Option(None, "--antaganden", "-a", show_default=False, metavar="<katalog>",
                                     help="Antagandekatalogen (*.yaml) som ombaseras. Utan flaggan: de inbyggda."),
    out: Path = typer.Option(None, "--ut", "-o", show_default=False, metavar="<katalog>",
                             help="Den nya antagandekatalogen. Utan flaggan: outputs/antaganden_<år>/. Får inte "
                                  "vara, innehålla eller ligga i indata."),
    overwrite: bool = typer.Option(False, "--skriv-over", help="Ersätt en katalog som en tidigare ombasering skrev "
                                                              "(bara filerna i dess förteckning). Utan flaggan: fel "
                                                              "om katalogen finns och inte är tom."),
):
    from flerarsprognos.io.utfallsfil import read_outcome
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.problems import Problems
    from flerarsprognos.utfall.rebase import rebase

    utfall = _required(utfall, "--utfall")
    year = _required(ar, "--ar")
    problems = Problems()
    outcome_file = read_outcome(utfall, problems, require=None)
    source = assumptions or default_assumptions_dir()
    target = out if out is not None else Path("outputs") / f"antaganden_{year}"
    new, check, macro = rebase(source, outcome_file, year, target, overwrite=overwrite, problems=problems)
    print_problems(problems.items)
    console.print(f"Ny antagandekatalog {target}/: basår {new.basar}, planen {new.basar}–{new.planslut}, "
                  f"prognosen till {new.slutar} (antaganden {new.digest}). Originalet {source} är orört.",
                  soft_wrap=True)
    _print_rebase(new, check, macro, utfall, year, target)


def _print_rebase(new, check, macro, utfall: Path, year: int, target: Path) -> None:
    import numpy as np
    from rich.table import Table

    from flerarsprognos.io.utfallsfil import BALANCE_LINES
    from flerarsprognos.output import fmt
    from flerarsprognos.output.labels import RR

    for m in macro.itertuples(index=False):
        console.print(f"  {m.nyckel} {m.ar}: planen {fmt.mnkr(m.plan, 2)} %, utfallet {fmt.mnkr(m.utfall, 2)} %")
    t = Table(title=f"Basåret {year} i den nya katalogen (mnkr)", title_justify="left", show_edge=False,
              header_style="bold")
    for h in ("Rad", "Modellen", "Utfall", "Skillnad"):
        t.add_column(h, justify="left" if h == "Rad" else "right")
    for rec in check.itertuples(index=False):
        label = RR.get(rec.rad, BALANCE_LINES.get(rec.rad, rec.rad))
        t.add_row(label, fmt.mnkr(rec.modell, 1), fmt.mnkr(rec.utfall, 1), fmt.mnkr(rec.skillnad, 1))
    console.print(t)
    rr_rows = check[check["rad"].isin(list(RR))]
    if rr_rows["utfall"].isna().all():
        console.print(f"[yellow]varning: {utfall}: utfallsfilen har inga resultaträkningsrader för {year}; "
                      f"basåret är planen omräknad med utfallets makro, inte ett bokslut. Lägg till "
                      f"årsredovisningens rader och kör om.[/yellow]", soft_wrap=True)
    short = [key for key, v in new.values.items()
             if v.spec.coverage == "gles_noll" and key in ("satsningar", "effektivisering")
             and np.any(np.asarray(v.data)[: -1] != 0) and np.asarray(v.data)[-1] == 0]
    for key in short:
        console.print(f"[yellow]varning: {key} har belopp till och med {new.slutar - 1} men inget för "
                      f"{new.slutar}, det nya sista året; ange det i kostnader.yaml om det ska gälla.[/yellow]",
                      soft_wrap=True)
    console.print("Granska källorna märkta 'Ombaserat' och 'att uppdatera' innan katalogen används "
                  f"(flerarsprognos check --antaganden {target}).", soft_wrap=True)


def _next_year(alloc, file: Path, assumptions, out, problems) -> None:
    import tempfile

    import yaml

    from flerarsprognos.output import fmt
    from flerarsprognos.utfall.ramar import _plan_nettokostnad, next_year, ramar_frame, read_ramfil
    from flerarsprognos.output.files import table_csv

    content = next_year(alloc)
    text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
    with tempfile.TemporaryDirectory() as d:
        draft_path = Path(d) / f"ramar_{alloc.year + 1}.yaml"
        draft_path.write_text(text, encoding="utf-8")
        draft = read_ramfil(draft_path, assumptions, problems, check_plan=False)
    target = out_dir_for(out, f"ramar_{file.stem}")
    for fr in draft.ramar:
        console.print(f"{fr.namnd}: {fmt.mnkr(fr.previous, 1)} + {fmt.mnkr(fr.forandringar[0].amount, 1)} "
                      f"({fr.forandringar[0].how}) = {fmt.mnkr(fr.ram, 1)} mnkr", soft_wrap=True)
    console.print(f"Summa {alloc.year + 1}: {fmt.mnkr(draft.total, 1)} mnkr.")
    if alloc.whole_region:
        plan = _plan_nettokostnad(assumptions, alloc.year + 1, str(file), problems)
        problems.raise_if_errors()
        console.print(f"Planens verksamhetens nettokostnader {alloc.year + 1}: {fmt.mnkr(plan, 1)} mnkr; "
                      f"att fördela som tillskott, satsningar eller effektivisering: {fmt.mnkr(plan - draft.total, 1)} "
                      "mnkr (ramfilen ger fel tills summan stämmer).")
    files = {f"ramar_{alloc.year + 1}.yaml": lambda p: p.write_text(text, encoding="utf-8"),
             f"ramar_{alloc.year + 1}.csv": table_csv(ramar_frame(draft))}
    _check_replace(target, list(files))
    written = _write_recorded(target, files)
    console.print(f"Skrev {len(written)} filer till {target}/: redigera ramar_{alloc.year + 1}.yaml och kör "
                  f"flerarsprognos allocate på den.", soft_wrap=True)
