"""Reading YAML strictly: duplicate keys are problems, not silent overwrites."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from flerarsprognos.problems import Problems


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that records duplicate mapping keys instead of keeping the last one."""

    def __init__(self, stream, problems: Problems, file: str):
        super().__init__(stream)
        self._problems = problems
        self._file = file


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader._problems.error(loader._file, str(key), f"ogiltig nyckel (rad {line})")
            continue
        if key in seen:
            loader._problems.error(
                loader._file, str(key),
                f"nyckeln förekommer två gånger (rad {seen[key]} och rad {line})",
            )
            continue
        seen[key] = line
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, problems: Problems) -> Any:
    """Parse one YAML file; syntax errors and duplicate keys go to ``problems``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, None, f"kan inte läsa filen ({exc})")
        return None
    loader = _StrictLoader(text, problems, str(path))
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (rad {mark.line + 1})" if mark is not None else ""
        problems.error(path, None, f"ogiltig YAML{where}: {getattr(exc, 'problem', exc)}")
        return None
    finally:
        loader.dispose()


_DECIMAL_COMMA = re.compile(r"^\s*[-+−]?\d[\d\s]*,\d+\s*(%)?\s*$")


def as_number(value: Any) -> tuple[float | None, str | None]:
    """Return (number, None) or (None, the reason it is not a usable number)."""
    if isinstance(value, bool):
        return None, f"sanningsvärde ({value}) där ett tal ska stå"
    if isinstance(value, (int, float)):
        x = float(value)
        if math.isnan(x):
            return None, "NaN är inte ett giltigt värde"
        if math.isinf(x):
            return None, "oändligt värde är inte giltigt"
        return x, None
    if value is None:
        return None, "värde saknas"
    if isinstance(value, str):
        if _DECIMAL_COMMA.match(value):
            fixed = value.strip().replace(",", ".").replace(" ", "").replace("−", "-").rstrip("%")
            return None, (f"decimalkomma i '{value}': skriv talet med decimalpunkt ({fixed}); "
                          "enheten anges med 'enhet'")
        return None, f"text ('{value}') där ett tal ska stå"
    return None, f"{type(value).__name__} där ett tal ska stå"


def as_year(key: Any) -> int | None:
    """Year keys may be written as 2024 or '2024'."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str) and key.strip().isdigit():
        return int(key.strip())
    return None


def read_year_table(raw: dict, file: str, key: str, problems: Problems) -> dict[int, float]:
    """``{år: tal}`` as written; each bad year or value is reported and kept as NaN.

    Keeping a bad value as NaN (rather than dropping it) lets callers tell a year that was
    given badly from a year that is missing, so each problem is reported once.
    """
    out: dict[int, float] = {}
    for ykey, v in raw.items():
        year = as_year(ykey)
        if year is None:
            problems.error(file, key, f"'{ykey}' är inget årtal")
            continue
        x, why = as_number(v)
        if why:
            problems.error(file, key, why, year)
            x = math.nan
        out[year] = x
    return out
