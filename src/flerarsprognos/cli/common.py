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


def count(n: int, one: str, many: str) -> str:
    """``1 scenario``, ``2 scenarier``, ``10 000 dragningar``: the number grouped, the noun agreeing."""
    return f"{n:,}".replace(",", "\u00a0") + " " + (one if n == 1 else many)


def say(text: str, style: str | None = None, *, err: bool = False) -> None:
    """Print user-supplied text (paths, keys, titles) literally: rich markup in it is escaped."""
    from rich.markup import escape

    body = escape(text)
    (err_console if err else console).print(f"[{style}]{body}[/{style}]" if style else body, soft_wrap=True)


def print_problems(problems: list[Problem], writes: bool = True) -> None:
    """Warnings, then errors (each with file, key and year); with errors a count, and whether anything
    was written when the command would have written something."""
    def order(p: Problem):
        return (p.file, p.key or "", p.year or 0)

    errors = sorted((p for p in problems if p.severity == "fel"), key=order)
    warnings = sorted((p for p in problems if p.severity == "varning"), key=order)
    for p in warnings:
        say(str(p), "yellow", err=True)
    for p in errors:
        say(str(p), "red", err=True)
    if errors:
        tail = ". Inget har skrivits." if writes else "."
        err_console.print(count(len(errors), "fel", "fel")
                          + (f", {count(len(warnings), 'varning', 'varningar')}" if warnings else "") + tail)


def handles_bad_input(fn: Callable[..., Any] | None = None, *, writes: bool = True):
    """Turn InputError (and unwritable output) into a report and exit code 2.

    ``writes=False`` for commands that write nothing (``check``): their report does not say
    "Inget har skrivits".
    """
    if fn is None:
        return functools.partial(handles_bad_input, writes=writes)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            print_problems(exc.problems, writes=writes)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except MemoryError:
            say("fel: minnet räckte inte till beräkningen; minska antalet scenarier eller dragningar. "
                "Inget har skrivits.", "red", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as exc:
            where = exc.filename or "utdata"
            why = {28: "disken är full", 30: "filsystemet är skrivskyddat", 13: "behörighet saknas",
                   122: "diskkvoten är slut"}.get(exc.errno or 0, exc.strerror or str(exc))
            say(f"fel: kan inte skriva {where}: {why}. Inget har skrivits.", "red", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper


def xarray_without_dask() -> None:
    """Let xarray work without importing dask when nothing uses dask (the CLI's commands call this).

    With dask installed, xarray imports dask, dask.array and distributed (about a second of a
    one-second ``run``) merely to ask whether an array is a dask array and which dask scheduler
    is active before a NetCDF write. Until dask has been imported no dask array or scheduler can
    exist, so the answers are "no" and "none"; once it is imported (``--dask``) xarray asks dask as
    before. Results are unchanged: only questions whose answer is known are answered early.
    """
    from xarray.backends import locks, writers
    from xarray.namedarray import pycompat
    from xarray.namedarray import utils as named_utils

    if getattr(locks.get_dask_scheduler, "_without_dask", False):
        return
    original_scheduler = locks.get_dask_scheduler
    original_collection = named_utils.is_dask_collection

    def get_dask_scheduler(get=None, collection=None):
        return original_scheduler(get, collection) if "dask" in sys.modules else None

    def is_dask_collection(x) -> bool:
        return original_collection(x) if "dask" in sys.modules else False

    class DaskWhenImported(pycompat.DuckArrayModule):
        """xarray's record of the dask module, looked up only once dask has been imported."""

        def __init__(self) -> None:
            self._real = None

        def _get(self):
            if self._real is None and "dask" in sys.modules:
                self._real = pycompat.DuckArrayModule("dask")
            return self._real

        module = property(lambda self: self._get().module if self._get() else None)
        version = property(lambda self: self._get().version if self._get() else pycompat.Version("0.0.0"))
        type = property(lambda self: self._get().type if self._get() else ())
        available = property(lambda self: self._get().available if self._get() else False)

    get_dask_scheduler._without_dask = True
    locks.get_dask_scheduler = writers.get_dask_scheduler = get_dask_scheduler
    named_utils.is_dask_collection = is_dask_collection
    pycompat._cached_duck_array_modules.setdefault("dask", DaskWhenImported())


def command_line() -> str:
    return " ".join(["flerarsprognos"] + sys.argv[1:])


AssumptionsOption = typer.Option(
    None, "--antaganden", "-a", metavar="<katalog eller .xlsx>",
    help="Katalog med antagandefiler (*.yaml) eller en antagandearbetsbok (.xlsx, skriven av "
         "'flerarsprognos antaganden --excel'). Utan flaggan: de inbyggda (Region Värmland, "
         "flerårsplan 2023–2025).",
    show_default=False,
)

QuietOption = typer.Option(False, "--tyst", "-q", help="Skriv inga tabeller, bara var filerna hamnade. "
                                                      "Utan flaggan: tabellerna visas.")


def out_option(default: str) -> Any:
    """``--ut``: where the files go; without it ``outputs/<default>/`` under the working directory."""
    return typer.Option(None, "--ut", "-o", show_default=False, metavar="<katalog>",
                        help=f"Katalog för resultatfilerna. Utan flaggan: outputs/{default}/ i "
                             "arbetskatalogen.")


RiketOption = typer.Option(
    None, "--riket",
    help="Katalog med det nationella prognosunderlaget (SKR:s utgåva). Utan flaggan: regionens eget "
         "(region.yaml 'riket:' eller underkatalogen riket/).",
    show_default=False,
)


ScenarioArgs = typer.Argument(
    None, metavar="SCENARIO",
    help="Scenariofiler (scenarios/x.yaml) eller namn på medföljande scenarier (t.ex. hogre_loner). "
         "'a+b' lägger ihop två i ett scenario. Utan argument: bara basalternativet.", show_default=False)


STALE_TEMPORARY_SECONDS = 3600


def prepare_output(target: Path, *datasets) -> None:
    """Before writing into ``target``: refuse a write that will not fit on the disk, and remove the
    hidden temporary files (``.namn.xxxx.tmp``) that a killed run left there over an hour ago."""
    check_disk_space(target, *datasets)
    import time

    folder = Path(target)
    if not folder.is_dir():
        return
    for tmp in folder.glob(".*.tmp"):
        try:
            if tmp.is_file() and time.time() - tmp.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def check_disk_space(target: Path, *datasets) -> None:
    """Refuse up front a write that will not fit on the disk (the NetCDF writer may crash on a full
    disk instead of failing cleanly): the datasets' size twice over (NetCDF and the CSV tables)."""
    import shutil

    need = 2 * sum(int(ds.nbytes) for ds in datasets) + (1 << 20)
    folder = Path(target)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need > free:
        mb = lambda b: f"{b / 1e6:,.0f}".replace(",", " ")  # noqa: E731
        raise InputError([Problem(str(target), None, f"resultatet behöver ungefär {mb(need)} MB men disken har bara "
                                                     f"{mb(free)} MB ledigt; frigör utrymme eller välj en annan katalog "
                                                     "med --ut")])


def out_dir_for(out: Path | None, label: str) -> Path:
    """--out as given, or outputs/<what ran> under the working directory."""
    return out if out is not None else Path("outputs") / label
