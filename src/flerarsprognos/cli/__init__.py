"""The command line: English verbs, Swedish for everything a user reads.

Each command group lives in its own module and registers itself on ``app``; heavy imports
happen inside the commands so ``--help`` is instant. :mod:`flerarsprognos.cli.svenska` makes
typer's own words (usage, headings, errors) Swedish and keeps old option spellings working.
"""

from __future__ import annotations

import typer

from flerarsprognos.cli import svenska

svenska.install()

app = typer.Typer(
    name="flerarsprognos",
    help="Flerårsprognos för en region: resultatbudget, balanskrav, RUR och finansiella mål.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules (each registers its commands on `app` when imported).
from flerarsprognos.cli import run as _run  # noqa: E402,F401
from flerarsprognos.cli import analysis as _analysis  # noqa: E402,F401
from flerarsprognos.cli import export as _export  # noqa: E402,F401
from flerarsprognos.cli import compare as _compare  # noqa: E402,F401
from flerarsprognos.cli import init as _init  # noqa: E402,F401
from flerarsprognos.cli import regioner as _regioner  # noqa: E402,F401


def main() -> None:
    app()
