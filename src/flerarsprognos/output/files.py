"""Writing results: atomically (temporary file, then rename) and with provenance."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import xarray as xr

from flerarsprognos import __version__


def _ordinary_mode(tmp: Path, target: Path) -> None:
    """mkstemp makes a private file (0600): give it the mode a plainly created file gets,
    or the mode of the file it replaces."""
    if target.exists():
        mode = target.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _ordinary_mode(tmp_path, target)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def check_output_file(path: Path, option: str, suffix: str | None = None) -> None:
    """Refuse, with Swedish messages (all at once), a file that cannot safely be replaced.

    ``option`` is the command-line flag that names the file, for the hint. Lock files of an
    open Excel or LibreOffice document count as "open".
    """
    from flerarsprognos.problems import Problems

    path = Path(path)
    problems = Problems()
    where = str(path)
    parent = path.parent if str(path.parent) else Path(".")
    if suffix is not None and path.suffix.lower() != suffix:
        problems.error(where, None, f"filen måste sluta på {suffix}")
    if not parent.exists():
        problems.error(where, None, f"katalogen {parent} finns inte; skapa den eller välj en annan fil med {option}")
    elif not parent.is_dir():
        problems.error(where, None, f"{parent} är ingen katalog")
    elif not os.access(parent, os.W_OK | os.X_OK):
        problems.error(where, None, f"det går inte att skriva i katalogen {parent}")
    if path.is_dir():
        problems.error(where, None, "det är en katalog, inte en fil")
    elif path.exists() and not os.access(path, os.W_OK):
        problems.error(where, None, "filen är skrivskyddad; välj en annan fil eller ändra behörigheten")
    for lock in (parent / f"~${path.name}", parent / f".~lock.{path.name}#"):
        if lock.exists():
            problems.error(where, None, f"filen verkar vara öppen i Excel eller LibreOffice (låsfilen {lock.name} "
                                        "finns); stäng den och försök igen")
    problems.raise_if_errors()


def check_not_an_input(out: Path, inputs, option: str) -> None:
    """Refuse (InputError) an output path that is, contains or lies inside an input: no
    writer here may replace what the command read. The rule is io/guard.py's."""
    from flerarsprognos.io.guard import check_output_path
    from flerarsprognos.problems import Problems

    problems = Problems()
    check_output_path(out, inputs, problems, option)
    problems.raise_if_errors()


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def run_inputs(run) -> list[Path]:
    """What a run read: the assumption directory (or workbook) and the scenario files.

    A file or folder inside the assumption directory (the national layer ``riket/`` by default)
    is covered by the directory and not listed again (an output there would otherwise be
    reported once per file or folder); a workbook's folder is not an input (only the workbook is).
    """
    files = [Path(f) for f in run.base.files]
    folders = list(dict.fromkeys(f.parent for f in files if f.suffix.lower() not in WORKBOOK_SUFFIXES))
    folders = [d for d in folders if not any(o.resolve() in d.resolve().parents for o in folders)]
    inside = [f for f in files if not any(d.resolve() in f.resolve().parents for d in folders)]
    return [*folders, *inside, *map(Path, run.scenario_files)]


def write_all(directory: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write every file to a temporary name first, then rename them all.

    If any writer fails nothing is renamed, so a failed run leaves no partial file and
    keeps the previous results intact.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    try:
        for name, write in writers.items():
            target = directory / name
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            os.close(fd)
            temps[target] = Path(tmp)
            write(Path(tmp))
        for target, tmp in temps.items():
            _ordinary_mode(tmp, target)
            os.replace(tmp, target)
        return list(temps)
    finally:
        for tmp in temps.values():
            if tmp.exists():
                tmp.unlink()


def provenance(digest: str, scenario_files: list[str], command: str) -> dict[str, str]:
    return {
        "flerarsprognos_version": __version__,
        "antaganden_hash": digest,
        "scenariofiler": ";".join(scenario_files),
        "kommando": command,
        "tidpunkt": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def table_csv(df: pd.DataFrame) -> Callable[[Path], None]:
    """The machine CSV: comma separator, decimal point, UTF-8 without BOM."""
    def write(path: Path) -> None:
        df.to_csv(path, index=False, float_format="%.4f", lineterminator="\n")
    return write


# A text cell beginning with one of these would be read as a formula by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_text(value):
    """A text that a spreadsheet would take for a formula gets a leading apostrophe (shown as
    text, never run); numbers and other text are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_csv_excel(df: pd.DataFrame) -> Callable[[Path], None]:
    """The CSV a Swedish Excel opens in columns: semicolon, decimal comma, UTF-8 with BOM.

    Text cells that begin with ``=``, ``+``, ``-`` or ``@`` are prefixed with ``'`` so that
    they are never taken for formulas (formula injection).
    """
    safe = df.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].map(defuse_text)

    def write(path: Path) -> None:
        safe.to_csv(path, index=False, sep=";", decimal=",", float_format="%.4f", lineterminator="\r\n",
                    encoding="utf-8-sig")
    return write


def result_tables(res: xr.Dataset) -> dict[str, pd.DataFrame]:
    """The four long tables of a run, by file name."""
    from flerarsprognos.output import results

    return {"resultatrakning.csv": results.resultatrakning(res), "balanskrav.csv": results.balanskrav(res),
            "finansiella_mal.csv": results.finansiella_mal(res), "balansrakning.csv": results.balansrakning(res)}


def csv_writers(res: xr.Dataset, *, excel: bool = False) -> dict[str, Callable[[Path], None]]:
    """Writers of the four tables for :func:`write_all`: machine CSV, or with ``excel`` the
    Excel-friendly variant (same file names)."""
    make = table_csv_excel if excel else table_csv
    return {name: make(df) for name, df in result_tables(res).items()}


def netcdf(ds: xr.Dataset, *, region: str = "", scenario_titles: dict[str, str] | None = None
           ) -> Callable[[Path], None]:
    """A writer of ``ds`` as self-describing NetCDF (CF attributes; see :mod:`output.netcdf`)."""
    from flerarsprognos.output.netcdf import describe, encoding

    described = describe(ds, region=region, scenario_titles=scenario_titles)

    def write(path: Path) -> None:
        described.to_netcdf(path, engine="h5netcdf", encoding=encoding(described))
    return write
