"""Guarding inputs against outputs: no command may replace or delete a file it did not write.

Two rules, one function each (used by ``rebase``; meant for every command that writes):

- :func:`check_output_path` refuses an output path that *is*, *contains* or *lies inside*
  one of the command's inputs (a file or a directory). ``rebase --ut .`` run in the
  directory holding the assumptions, or ``compare --utfall X --excel X``, is an error
  before anything is written.
- A directory the tool writes carries a manifest (:data:`MANIFEST`, one file name a line)
  naming what it wrote. :func:`check_overwrite` allows ``--skriv-over`` to replace the
  directory only if everything in it is named in that manifest: an unrelated file (or a
  directory without a manifest) is never deleted; the command refuses and says which files
  are in the way.

All problems go to a :class:`~flerarsprognos.problems.Problems` collector, so a command can
report them together with its other input problems (exit 2, nothing written).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from flerarsprognos.problems import Problems

MANIFEST = ".flerarsprognos-manifest"
_MANIFEST_HEAD = "# Filer som flerarsprognos har skrivit i den här katalogen (tas bort av --skriv-over):"


def _resolved(p: Path | str) -> Path:
    return Path(os.path.abspath(os.path.expanduser(str(p)))).resolve()


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_path(out: Path | str, inputs: Iterable[Path | str | None], problems: Problems,
                      option: str = "--ut") -> bool:
    """Add an error for each input that ``out`` is, contains or lies inside; True if none.

    ``inputs`` are the command's input files and directories (None entries are skipped).
    Paths are compared after resolving symbolic links, ``~`` and ``..``.
    """
    target = _resolved(out)
    ok = True
    for raw in inputs:
        if raw is None:
            continue
        source = _resolved(raw)
        if target == source:
            why = "är samma som indata"
        elif _inside(source, target):
            why = "innehåller indata"
        elif _inside(target, source):
            why = "ligger inuti indata"
        else:
            continue
        problems.error(str(out), option, f"utdatasökvägen {why} ({raw}); välj en plats utanför indata "
                                         "(indata ändras eller tas aldrig bort)")
        ok = False
    return ok


def read_manifest(directory: Path | str) -> set[str] | None:
    """The file names the tool wrote in ``directory``, or None without a (readable) manifest."""
    path = Path(directory) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}


def write_manifest(directory: Path | str, names: Iterable[str]) -> Path:
    """Write the manifest naming ``names`` (plain file names in ``directory``)."""
    path = Path(directory) / MANIFEST
    lines = [_MANIFEST_HEAD, *sorted({str(n) for n in names if str(n) != MANIFEST})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_overwrite(directory: Path | str, overwrite: bool, problems: Problems, option: str = "--ut") -> list[Path]:
    """May ``directory`` receive the tool's output? Returns the files to remove first.

    A missing or empty directory: yes, nothing to remove. A directory with content: only with
    ``overwrite``, and only if every entry is named in its manifest (the manifest itself
    included); otherwise an error naming up to five entries the tool did not write.
    """
    d = Path(directory)
    if d.exists() and not d.is_dir():
        problems.error(str(d), option, "finns redan och är ingen katalog")
        return []
    entries = sorted(d.iterdir()) if d.is_dir() else []
    if not entries:
        return []
    if not overwrite:
        problems.error(str(d), option, "katalogen finns redan och är inte tom (välj en annan eller ange --skriv-over)")
        return []
    listed = read_manifest(d)
    if listed is None:
        problems.error(str(d), option, f"katalogen har ingen förteckning ({MANIFEST}) över filer som verktyget "
                                       "skrivit; --skriv-over tar bara bort sådana filer. Välj en annan katalog "
                                       "eller töm den själv.")
        return []
    foreign = [e for e in entries if e.name != MANIFEST and (e.name not in listed or not e.is_file())]
    if foreign:
        names = ", ".join(e.name for e in foreign[:5]) + (f" och {len(foreign) - 5} till" if len(foreign) > 5 else "")
        problems.error(str(d), option, f"katalogen innehåller filer som verktyget inte har skrivit ({names}); "
                                       "--skriv-over tar inte bort dem. Välj en annan katalog.")
        return []
    return entries


def remove_written(files: Iterable[Path]) -> None:
    """Remove files returned by :func:`check_overwrite` (only those; never a directory tree)."""
    for f in files:
        f.unlink(missing_ok=True)


def check_replace(directory: Path | str, names: Iterable[str], problems: Problems, option: str = "--ut") -> bool:
    """For a command that writes named files into ``directory``: an error for each of ``names``
    that already exists there but is not in the manifest (a file the tool did not write).
    True if every file may be written."""
    d = Path(directory)
    listed = read_manifest(d) or set()
    foreign = [n for n in names if (d / n).exists() and n not in listed]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" och {len(foreign) - 5} till" if len(foreign) > 5 else "")
        problems.error(str(d), option, f"filerna finns redan och är inte skrivna av verktyget ({shown}); de ersätts "
                                       "inte. Välj en annan katalog eller flytta filerna.")
    return not foreign


def record_written(directory: Path | str, names: Iterable[str]) -> None:
    """Add ``names`` to the manifest of ``directory`` (after they were written)."""
    d = Path(directory)
    write_manifest(d, (read_manifest(d) or set()) | {str(n) for n in names})
