from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from flerarsprognos.paths import default_assumptions_dir
from flerarsprognos.runner import run

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session")
def default_run():
    """The embedded default (Region Värmland) with the three shipped scenarios."""
    return run(None, ["hogre_inflation", "hogre_loner", "skattehojning_2025"])


@pytest.fixture(scope="session")
def base_result(default_run):
    return default_run.result.sel(scenario="bas")


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name)


@pytest.fixture
def assumptions_copy(tmp_path) -> Path:
    """A writable copy of the default assumptions, for tests that break them."""
    target = tmp_path / "antaganden"
    shutil.copytree(default_assumptions_dir(), target)
    return target
