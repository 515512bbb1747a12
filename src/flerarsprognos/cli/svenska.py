"""Every word the command line shows in Swedish, and the old option spellings as hidden aliases.

typer renders help and usage errors with English words of its own ("Usage", "Options",
"Show this message and exit", ``<path>``, "No such option"). This module replaces them, in
the typer classes the app is built from, once, when ``flerarsprognos.cli`` is imported:

- headings, usage line and the help option's text (typer's ``rich_utils`` texts, set just
  before help is drawn so ``rich`` is only imported when help is shown);
- the type shown beside an option (``<path>`` → ``<sökväg>``; flags show none);
- usage errors, translated by pattern (``No such option: --x`` → ``okänd flagga: --x``);
- ``ALIASES`` (and ``SHORT_ALIASES``): old English option names still accepted (rewritten to the
  Swedish name before parsing, shown nowhere).
"""

from __future__ import annotations

import re

from typer import core as _core
from typer._click import exceptions as _exceptions

USAGE = "Användning: "
HELP_TEXT = "Visa den här hjälpen och avsluta."

# The Swedish name of each concept, and the spellings it replaced (accepted, not shown).
ALIASES = {
    "--assumptions": "--antaganden",
    "--outcome": "--utfall",
    "--year": "--ar",
    "--quiet": "--tyst",
    "--key": "--nyckel",
    "--out": "--ut",
    "--sheet": "--blad",
    "--strict": "--strikt",
    "--overwrite": "--skriv-over",
    "--no-plot": "--utan-diagram",
    "--next-year": "--nasta-ar",
    "--seed": "--fro",
    "--goal": "--mal",
    "--lever": "--styrmedel",
    "--scheduler": "--schemalaggare",
    "--chunk": "--block",
}
# Old short spellings that the Swedish names did not keep (compare/rebase: -y for --year).
SHORT_ALIASES = {"-y": "--ar"}

RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argument",
    "OPTIONS_PANEL_TITLE": "Flaggor",
    "COMMANDS_PANEL_TITLE": "Kommandon",
    "ERRORS_PANEL_TITLE": "Fel",
    "ABORTED_TEXT": "Avbrutet.",
    "RICH_HELP": "Skriv [blue]'{command_path} {help_option}'[/] för hjälp.",
    "DEFAULT_STRING": "[standard: {}]",
    "REQUIRED_LONG_STRING": "[krävs]",
    "ENVVAR_STRING": "[miljövariabel: {}]",
    "DEPRECATED_STRING": "(föråldrad) ",
}

TYPES = {
    "<path>": "<sökväg>",
    "<str>": "<text>",
    "<int>": "<heltal>",
    "<float>": "<tal>",
    "<bool>": "",
    "<list[str]>": "<text>",
    "<list[path]>": "<sökväg>...",
}

_MESSAGES = [
    (r"^No such option: (\S+)", r"okänd flagga: \1"),
    (r"\(Possible options: (.*)\)", r"(möjliga: \1)"),
    (r"Did you mean (.*)\?", r"Menade du \1?"),
    (r"^Missing argument '?([^'.]*)'?\.", r"argumentet \1 saknas."),
    (r"^Missing option '?([^'.]*)'?\.", r"flaggan \1 saknas."),
    (r"^Missing parameter: (.*)", r"värde saknas: \1"),
    (r"^Missing command\.", "inget kommando angivet."),
    (r"^No such command '(.*)'\.", r"okänt kommando '\1'."),
    (r"^okänt kommando '(.*)'\. Did you mean (.*)\?", r"okänt kommando '\1'. Menade du \2?"),
    (r"^Invalid value for (.*?): ", r"ogiltigt värde för \1: "),
    (r"^Invalid value: ", "ogiltigt värde: "),
    (r"Option '(.*)' requires an argument\.", r"flaggan \1 behöver ett värde."),
    (r"Option '(.*)' requires (\d+) arguments\.", r"flaggan \1 behöver \2 värden."),
    (r"Option '(.*)' does not take a value\.", r"flaggan \1 tar inget värde."),
    (r"Got unexpected extra argument\(s\) \((.*)\)", r"oväntade argument (\1)"),
    (r"Input should be a valid integer, unable to parse string as an integer", "ska vara ett heltal"),
    (r"Input should be a valid integer, got a number with a fractional part", "ska vara ett heltal"),
    (r"Input should be a valid integer.*", "ska vara ett heltal"),
    (r"Input should be a valid number.*", "ska vara ett tal"),
    (r"Input should be a valid boolean.*", "ska vara sant eller falskt"),
    (r"Input should be (.*)", lambda m: "ska vara " + m.group(1).replace(" or ", " eller ")),
    (r"Value (.*) is not a valid (.*)\.", r"värdet \1 är inte giltigt (\2)."),
    (r"(.*) is not one of (.*)\.", r"\1 är inte en av \2."),
    (r"(\w+) '(.*)' does not exist\.", r"'\2' finns inte."),
    (r"(\w+) (.*) is a directory\.", r"\2 är en katalog."),
    (r"(\w+) (.*) is not readable\.", r"\2 kan inte läsas."),
    (r"^Could not open file (.*?): ", r"kan inte öppna filen \1: "),
]


def translate(message: str) -> str:
    for pattern, swedish in _MESSAGES:
        message = re.sub(pattern, swedish, message)
    return message


def _set_rich_texts() -> None:
    from typer import rich_utils

    for name, text in RICH_TEXTS.items():
        setattr(rich_utils, name, text)
    rich_utils.highlighter.highlights = [h.replace("Usage: ", USAGE) for h in rich_utils.highlighter.highlights]


def _translated(method):
    def format_message(self) -> str:
        _set_rich_texts()  # the error panel is drawn next, with typer's headings
        return translate(method(self))
    return format_message


def _format_usage(self, ctx, formatter) -> None:
    _set_rich_texts()  # usage is drawn first, in help and in an error report
    pieces = [{"[OPTIONS]": "[FLAGGOR]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]..."}.get(p, p)
              for p in self.collect_usage_pieces(ctx)]
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)


def _swedish_help_option(original):
    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option
    return get_help_option


def _with_rich_texts(original):
    def format_help(self, ctx, formatter):
        _set_rich_texts()
        return original(self, ctx, formatter)
    return format_help


def _swedish_type(original):
    def display_type_rich(self, ctx):
        shown = original(self, ctx)
        if shown is None:
            return None
        return TYPES.get(shown, shown)
    return display_type_rich


# Arguments declared without a metavar are shown by their Python name; these are the Swedish ones.
ARGUMENT_NAMES = {"scenarios": "SCENARIO", "scenario": "SCENARIO", "file": "FIL", "files": "FIL",
                  "spec_file": "SVEPFIL", "kind": "SLAG", "outcome": "UTFALL", "directory": "KATALOG"}


def _argument_name(self) -> str:
    if self.metavar is not None:
        return self.metavar
    return ARGUMENT_NAMES.get(self.name, self.name)


def rewrite_aliases(command, args: list[str]) -> list[str]:
    """Old option spellings → the Swedish name the command knows (only where it does)."""
    names = {o for p in getattr(command, "params", []) for o in (*p.opts, *p.secondary_opts)}
    out = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        name, eq, value = arg.partition("=")
        new = ALIASES.get(name) or SHORT_ALIASES.get(name)
        if new and new in names and name not in names:
            arg = new + eq + value
        out.append(arg)
    return out


def _resolve_with_aliases(original):
    def resolve_command(self, ctx, args):
        name, cmd, rest = original(self, ctx, args)
        return name, cmd, rewrite_aliases(cmd, rest) if cmd is not None else rest
    return resolve_command


def _fail_translated(original):
    def fail(self, message):
        return original(self, translate(message))
    return fail


def install() -> None:
    """Patch typer's classes once (idempotent)."""
    if getattr(_core, "_flerarsprognos_svenska", False):
        return
    _core._flerarsprognos_svenska = True
    _core._ = translate
    for cls in (_core.TyperCommand, _core.TyperGroup):
        cls.format_usage = _format_usage
        cls.format_help = _with_rich_texts(cls.format_help)
    _core._click.core.Command.get_help_option = _swedish_help_option(_core._click.core.Command.get_help_option)
    _core.TyperGroup.resolve_command = _resolve_with_aliases(_core.TyperGroup.resolve_command)
    for cls in (_core._TyperParameter, _core.TyperOption):
        cls.display_type_rich = _swedish_type(cls.__dict__["display_type_rich"])
    _core.TyperArgument.display_name_raw = property(_argument_name)
    classes = [c for c in vars(_exceptions).values() if isinstance(c, type) and issubclass(c, _exceptions.ClickException)]
    for cls in {base for c in classes for base in c.__mro__ if "format_message" in base.__dict__}:
        cls.format_message = _translated(cls.__dict__["format_message"])
