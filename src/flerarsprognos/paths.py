"""Where the embedded default lives, whether installed from a wheel or run from a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    packaged = Path(str(resources.files("flerarsprognos"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name  # source checkout / editable install


def default_assumptions_dir() -> Path:
    """Region Värmland's flerårsplan 2023–2025, extended to 2028."""
    return _data_dir("assumptions")


def default_scenarios_dir() -> Path:
    return _data_dir("scenarios")


def resolve_scenario(arg: str) -> str:
    """A scenario argument as given, or a shipped scenario by name (``hogre_loner``)."""
    return "+".join(str(resolve_shipped(part)) for part in arg.split("+"))


def resolve_shipped(part: str) -> Path:
    """One file argument: as given if it exists, else the shipped file it names.

    ``hogre_loner``, ``hogre_loner.yaml`` and ``scenarios/hogre_loner.yaml`` (the form the
    README uses, typed outside the checkout) all name the shipped scenario.
    """
    p = Path(part)
    if p.exists() or str(p.parent) not in (".", "scenarios") or p.suffix not in ("", ".yaml"):
        return p
    shipped = default_scenarios_dir() / f"{p.stem}.yaml"
    return shipped if shipped.is_file() else p
