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

from .. import __version__


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
    def write(path: Path) -> None:
        df.to_csv(path, index=False, float_format="%.4f", lineterminator="\n")
    return write


def netcdf(ds: xr.Dataset) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        ds.to_netcdf(path, engine="h5netcdf")
    return write
