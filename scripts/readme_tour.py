"""Regenerate the README's tour output from the code: every ```text block after a marker

    <!-- tour: flerarsprognos run hogre_loner | avsnitt: Resultatbudget – bas; Finansiella mål – bas -->

is replaced by what the commands print now. A marker holds one or more commands separated by
`` ;; ``; after a command, ``| avsnitt: TITEL; TITEL`` keeps only those tables (joined by
``...``, with the closing "Skrev …" line), and ``| tyst`` shows the command without its output.
A ``# comment`` after a command is shown but not run. The commands run in a scratch directory
with copies of ``scenarios/`` and ``examples/`` (so relative paths work and nothing is written
into the checkout), through the CLI in-process, in a 140-column terminal.

    python scripts/readme_tour.py            # rewrite README.md
    python scripts/readme_tour.py --kontroll # exit 1 and list the blocks that are out of date
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- tour: (?P<spec>.*?) -->\n```text\n)(?P<body>.*?)(```)", re.S)
TABLE_CHARS = ("│", "┃", "━", "╇")


def parse(spec: str) -> list[dict]:
    """The commands of one marker, each with its shown text and options."""
    out = []
    for part in spec.split(" ;; "):
        command, *options = [p.strip() for p in part.split(" | ")]
        shown = command
        command = command.split(" #", 1)[0].strip()
        item = {"shown": shown, "command": command, "sections": None, "quiet": False}
        for option in options:
            if option == "tyst":
                item["quiet"] = True
            elif option.startswith("avsnitt:"):
                item["sections"] = [s.strip() for s in option.removeprefix("avsnitt:").split(";") if s.strip()]
            else:
                raise SystemExit(f"okänt val i tour-markören: {option!r}")
        out.append(item)
    return out


def sections(text: str, titles: list[str]) -> str:
    """Only the named tables (title line and table lines), then the lines saying what was written."""
    lines = text.splitlines()
    kept = []
    for title in titles:
        start = next((i for i, line in enumerate(lines) if line.rstrip() == title), None)
        if start is None:
            raise SystemExit(f"tabellen {title!r} finns inte i utskriften")
        end = start + 1
        while end < len(lines) and any(c in lines[end] for c in TABLE_CHARS):
            end += 1
        kept.append("\n".join(line.rstrip() for line in lines[start:end]))
    written = [line for line in lines if line.startswith("Skrev ")]
    return "\n...\n".join(kept) + ("\n" + "\n".join(written) if written else "")


def run_command(command: str) -> str:
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    args = shlex.split(command)
    if not args or args[0] != "flerarsprognos":
        raise SystemExit(f"tour-kommandot måste börja med flerarsprognos: {command!r}")
    saved = sys.argv
    sys.argv = args  # the command line the outputs record (provenance) is the tour's command
    try:
        result = CliRunner().invoke(app, args[1:])
    finally:
        sys.argv = saved
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.output


def render(spec: str) -> str:
    parts = []
    for item in parse(spec):
        parts.append(f"$ {item['shown']}")
        if item["quiet"]:
            run_command(item["command"])
            continue
        text = run_command(item["command"])
        text = sections(text, item["sections"]) if item["sections"] else text
        parts += [line.rstrip() for line in text.rstrip("\n").splitlines()]
    return "\n".join(parts) + "\n"


@contextlib.contextmanager
def scratch():
    """A working directory with copies of the shipped scenarios and examples."""
    old = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="tur-") as tmp:
        for name in ("scenarios", "examples"):
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, Path(tmp) / name)
        os.chdir(tmp)
        try:
            yield Path(tmp)
        finally:
            os.chdir(old)


def regenerate(text: str) -> tuple[str, list[str]]:
    """The README with every marked block re-run, and the markers whose output changed."""
    stale = []

    def replace(m: re.Match) -> str:
        body = render(m.group("spec"))
        if body != m.group("body"):
            stale.append(m.group("spec"))
        return m.group(1) + body + m.group(4)

    with scratch():
        new = BLOCK.sub(replace, text)
    return new, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kontroll", action="store_true", help="skriv inget; lista block som inte stämmer")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    text = README.read_text(encoding="utf-8")
    new, stale = regenerate(text)
    if args.kontroll:
        for spec in stale:
            print(f"inaktuell: <!-- tour: {spec} -->")
        return 1 if stale else 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    print(f"{len(BLOCK.findall(text))} block, {len(stale)} uppdaterade.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
