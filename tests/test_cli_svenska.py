"""Every word of the command line in Swedish: help, usage errors, and the old option names as aliases."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.cli.svenska import ALIASES, translate

runner = CliRunner()

COMMANDS = sorted(get_command(app).commands)
VISIBLE = sorted(name for name, cmd in get_command(app).commands.items() if not cmd.hidden)

# Words typer and click would show in English (their chrome), and pointers to documents the
# repository does not have.
ENGLISH = re.compile(r"\bUsage\b|\bOptions\b|\bArguments\b|\bCommands\b|Show this message|\[default|"
                     r"\[required\]|<path>|<bool>|<str>|<int>|<float>|<list\[|\bTEXT\b|\bPATH\b|"
                     r"\bINTEGER\b|\bCOMMAND\b|\[OPTIONS\]|\bARGS\b|DOMAIN\.md|for help")


def help_text(*args: str) -> str:
    res = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert res.exit_code == 0, res.output
    return res.output


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_no_english_chrome(command):
    text = help_text(*([command] if command else []))
    found = ENGLISH.findall(text)
    assert not found, (command, found, text)
    assert "Användning:" in text and "Flaggor" in text
    assert "Visa den här hjälpen och avsluta." in text


@pytest.mark.parametrize("command", VISIBLE)
def test_every_option_says_what_happens_without_it(command):
    """Every command's options: what happens without it, or that it is required (checked by the
    command itself, with a Swedish message)."""
    cmd = get_command(app).commands[command]
    for param in cmd.params:
        if param.param_type_name == "option" and not param.required and param.name != "help":
            assert "Utan" in (param.help or "") or (param.help or "").endswith("Krävs."), (command, param.name,
                                                                                      param.help)


def test_hidden_english_command_still_works():
    assert "assumptions" not in help_text()
    res = runner.invoke(app, ["assumptions", "--key", "kpi"])
    assert res.exit_code == 0 and "kpi" in res.output


def test_old_option_spellings_are_hidden_aliases(tmp_path):
    text = help_text("run")
    assert "--antaganden" in text and "--assumptions" not in text
    res = runner.invoke(app, ["run", "--quiet", "--out", str(tmp_path / "ut"), "--assumptions",
                              str(tmp_path / "saknas")])
    assert res.exit_code == 2 and "katalogen med antaganden finns inte" in res.output
    res = runner.invoke(app, ["run", "--quiet", f"--out={tmp_path / 'ut'}"])
    assert res.exit_code == 0 and (tmp_path / "ut" / "resultatrakning.csv").is_file()
    assert all(new.startswith("--") and old.startswith("--") for old, new in ALIASES.items())


def test_one_option_name_per_concept_in_every_command():
    """No command shows an old spelling, and in every command that knows the Swedish name the old
    one is rewritten to it (so `compare --out`, `rebase --overwrite`, `allocate --no-plot` still work)."""
    from flerarsprognos.cli.svenska import SHORT_ALIASES, rewrite_aliases

    commands = get_command(app).commands
    for name, cmd in commands.items():
        known = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}
        assert not known & set(ALIASES), (name, known & set(ALIASES))
        for old, new in {**ALIASES, **SHORT_ALIASES}.items():
            if new in known:
                assert rewrite_aliases(cmd, [old, "x"]) == [new, "x"], (name, old)
    for name in ("compare", "allocate", "rebase", "plot"):
        assert "--ut" in {o for p in commands[name].params for o in p.opts}, name


@pytest.mark.parametrize("args, swedish", [
    (["montecarlo", "--nn"], "okänd flagga: --nn"),
    (["montecarlo", "--n", "x"], "ska vara ett heltal"),
    (["sweep"], "argumentet SVEPFIL saknas"),
    (["runn"], "okänt kommando 'runn'"),
    (["run", "--ut"], "flaggan --ut behöver ett värde"),
    (["montecarlo", "a", "b"], "oväntade argument"),
])
def test_usage_errors_in_swedish(args, swedish):
    res = runner.invoke(app, args, env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert res.exit_code == 2
    assert swedish in res.output, res.output
    assert not re.search(r"\bError\b|No such|Missing|Invalid value|Try '|Usage", res.output), res.output


def test_translate_keeps_what_it_does_not_know():
    assert translate("något helt annat") == "något helt annat"
