"""What every command shares: Swedish error reports, exit code 2, no tracebacks."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from flerarsprognos.problems import InputError, Problem

# Wide enough for a label and six years even when the output is piped (rich defaults to 80).
console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, highlight=False)

EXIT_BAD_INPUT = 2


def print_problems(problems: list[Problem]) -> None:
    def order(p: Problem):
        return (p.file, p.key or "", p.year or 0)

    errors = sorted((p for p in problems if p.severity == "fel"), key=order)
    warnings = sorted((p for p in problems if p.severity == "varning"), key=order)
    for p in warnings:
        err_console.print(f"[yellow]{p}[/yellow]", markup=True, soft_wrap=True)
    for p in errors:
        err_console.print(f"[red]{p}[/red]", markup=True, soft_wrap=True)
    if errors:
        err_console.print(f"{len(errors)} fel" + (f", {len(warnings)} varningar" if warnings else "")
                          + ". Inget har skrivits.")


def handles_bad_input(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError (and unwritable output) into a report and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            print_problems(exc.problems)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (PermissionError, IsADirectoryError, NotADirectoryError, FileNotFoundError) as exc:
            err_console.print(f"[red]fel: kan inte skriva {exc.filename}: {exc.strerror}. Inget har skrivits.[/red]")
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def command_line() -> str:
    return " ".join(["flerarsprognos"] + sys.argv[1:])


AssumptionsOption = typer.Option(
    None, "--assumptions", "-a",
    help="Katalog med antagandefiler. Utan flaggan: den inbyggda (Region Värmland, flerårsplan 2023–2025).",
    show_default=False,
)


RiketOption = typer.Option(
    None, "--riket",
    help="Katalog med det nationella prognosunderlaget (SKR:s utgåva). Utan flaggan: regionens eget "
         "(region.yaml 'riket:' eller underkatalogen riket/).",
    show_default=False,
)


ScenarioArgs = typer.Argument(
    None, help="Scenariofiler (eller namn på medföljande scenarier, t.ex. hogre_loner). 'a.yaml+b.yaml' "
               "lägger ihop två. Utan argument: bara basalternativet.", show_default=False)


def out_dir_for(out: Path | None, label: str) -> Path:
    """--out as given, or outputs/<what ran> under the working directory."""
    return out if out is not None else Path("outputs") / label
