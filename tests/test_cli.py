"""The command line as a user meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.paths import default_assumptions_dir

runner = CliRunner()


def test_default_assumptions_found_from_any_directory(tmp_path):
    """After installation the embedded default is found wherever the user stands."""
    assert (default_assumptions_dir() / "makro.yaml").is_file()
    # The code under test, whatever else is installed (an editable install of another checkout
    # would otherwise be run), started outside the checkout.
    import flerarsprognos

    env = {**os.environ, "PYTHONPATH": str(Path(flerarsprognos.__file__).resolve().parents[1])}
    res = subprocess.run([sys.executable, "-m", "flerarsprognos", "run", "hogre_loner", "--tyst"],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "outputs" / "bas_hogre_loner"
    rr = pd.read_csv(out / "resultatrakning.csv")
    assert set(rr["scenario"]) == {"bas", "hogre_loner"}


def test_run_prints_swedish_tables(tmp_path):
    res = runner.invoke(app, ["run", "skattehojning_2025", "--ut", str(tmp_path)])
    assert res.exit_code == 0, res.output
    for text in ("Resultatbudget – bas", "Balanskravsutredning – bas", "Finansiella mål – bas",
                 "Årets resultat", "-10\u00a0825", "98,7\u00a0%", "Skillnad mot bas".lower()):
        assert text in res.output or text in res.output.lower(), text


def test_scenarios_compose(tmp_path):
    res = runner.invoke(app, ["run", "hogre_inflation", "hogre_loner", "hogre_inflation+hogre_loner",
                              "--ut", str(tmp_path), "--tyst"])
    assert res.exit_code == 0, res.output
    rr = pd.read_csv(tmp_path / "resultatrakning.csv").set_index(["scenario", "ar", "post"])["mnkr"]
    post = "arets_resultat"
    for year in (2024, 2025):
        both = rr[("hogre_inflation+hogre_loner", year, post)] - rr[("bas", year, post)]
        separate = (rr[("hogre_inflation", year, post)] - rr[("bas", year, post)]
                    + rr[("hogre_loner", year, post)] - rr[("bas", year, post)])
        # the effects nearly add up (they interact only through compounding)
        assert abs(both - separate) < 0.05 * abs(separate)


def test_check_and_assumptions_commands():
    res = runner.invoke(app, ["check", "hogre_inflation"])
    assert res.exit_code == 0, res.output
    assert "Inga fel" in res.output
    res = runner.invoke(app, ["assumptions", "--nyckel", "loneokning"])
    assert res.exit_code == 0, res.output
    assert "SKR" in res.output and "3,4*" in res.output  # extended values are marked


def test_help_is_swedish():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    assert "Kör flerårsprognosen" in res.output
