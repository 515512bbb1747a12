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
    parts = []
    for part in arg.split("+"):
        p = Path(part)
        if not p.exists() and p.suffix == "" and (default_scenarios_dir() / f"{part}.yaml").is_file():
            p = default_scenarios_dir() / f"{part}.yaml"
        parts.append(str(p))
    return "+".join(parts)
