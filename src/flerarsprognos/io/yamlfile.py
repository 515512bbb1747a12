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


YEARS = (1950, 2100)  # a year key outside this is a typo (2204, 20266), not a forecast year
MAX_NODES = 200_000  # far above any real input file; an alias bomb expands past it at once

# PyYAML's most common complaints, in Swedish (the rest are shown as PyYAML words them).
_YAML_PROBLEMS = {
    "mapping values are not allowed here": "kolon på fel ställe (saknas ett mellanslag efter ':' "
                                           "eller är indraget fel?)",
    "could not find expected ':'": "väntade ett ':' (nyckel: värde)",
    "found character '\\t' that cannot start any token": "tabbtecken: dra in med mellanslag",
    "expected <block end>, but found '<block mapping start>'": "indraget stämmer inte med raden ovanför",
    "expected <block end>, but found '-'": "indraget stämmer inte med raden ovanför",
    "found undefined alias": "alias (*namn) utan motsvarande ankare (&namn)",
    "found unexpected end of stream": "filen slutar mitt i ett värde (citattecken eller hakparentes som inte stängs?)",
    "found unknown escape character": "okänt escape-tecken efter \\ i en citerad text",
}


def _expanded_size(node: yaml.Node, memo: dict[int, int], limit: int) -> int:
    """The number of nodes the document has once aliases are expanded (stops counting at limit)."""
    known = memo.get(id(node))
    if known is not None:
        if known < 0:
            return limit + 1  # an anchor that contains itself
        return known
    memo[id(node)] = -1
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, limit)
            if size > limit:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
            if size > limit:
                break
    memo[id(node)] = size = min(size, limit + 1)
    return size


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark is not None else ""
    problem = str(getattr(exc, "problem", None) or exc)
    for english, swedish in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            problem = swedish
            break
    else:
        if "special characters are not allowed" in problem or "unacceptable character" in problem:
            problem = "otillåtet tecken (styrtecken eller binärt innehåll)"
    return f"ogiltig YAML{where}: {problem}"


def read_text(path: Path, problems: Problems, what: str = "filen") -> str | None:
    """A text file's content (UTF-8, a byte order mark allowed); problems reported in Swedish."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        problems.error(path, None, f"{what} är en katalog, inte en fil")
        return None
    except FileNotFoundError:
        problems.error(path, None, f"{what} finns inte")
        return None
    except OSError as exc:
        problems.error(path, None, f"kan inte läsa {what} ({exc.strerror or exc})")
        return None
    if b"\0" in raw:
        problems.error(path, None, f"{what} är ingen textfil (innehåller binära data)")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(path, None, f"{what} är inte text i UTF-8 (ogiltig byte på position {exc.start}); "
                                   "spara den som UTF-8")
        return None


def read_yaml(path: Path, problems: Problems) -> Any:
    """Parse one YAML file safely; syntax errors, duplicate keys, empty files and alias bombs go to ``problems``.

    Returns None exactly when a problem was reported.
    """
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problems.error(path, None, "filen är tom")
        return None
    loader = _StrictLoader(text, problems, str(path))
    try:
        node = loader.get_single_node()
        if node is None:
            problems.error(path, None, "filen är tom")
            return None
        if _expanded_size(node, {}, MAX_NODES) > MAX_NODES:
            problems.error(path, None, f"filen blir orimligt stor när YAML-aliasen (&ankare/*alias) expanderas "
                                       f"(över {MAX_NODES:_} element; en så kallad aliasbomb?)".replace("_", " "))
            return None
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        problems.error(path, None, _yaml_problem(exc))
        return None
    except RecursionError:
        problems.error(path, None, "ogiltig YAML: för djupt nästlad")
        return None
    finally:
        loader.dispose()
    if data is None:
        problems.error(path, None, "filen är tom")
    return data


def check_keys(data: dict, allowed: set[str] | tuple[str, ...], file: str | Path, prefix: str | None,
               problems: Problems, where: str = "") -> None:
    """The one check of a table's keys: each unknown key is a problem naming the allowed ones."""
    import difflib

    names = sorted(allowed)
    for k in data:
        if k in allowed:
            continue
        close = difflib.get_close_matches(str(k), names, n=1, cutoff=0.6)
        hint = f" Menade du '{close[0]}'?" if close else ""
        key = f"{prefix}.{k}" if prefix else str(k)
        problems.error(file, key, f"okänd nyckel{' ' + where if where else ''} (tillåtna: {', '.join(names)}).{hint}")


_EXPONENT = re.compile(r"^\s*[-+]?\d+(\.\d*)?[eE][-+]?\d+\s*$")
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
        if _EXPONENT.match(value):  # YAML 1.1 reads 1e6 (no dot, no sign) as text; it is meant as a number
            return as_number(float(value))
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
        if not (YEARS[0] <= year <= YEARS[1]):
            problems.error(file, key, f"årtalet {year} är orimligt (felskrivet?); årtal ska ligga mellan "
                                      f"{YEARS[0]} och {YEARS[1]}")
            continue
        x, why = as_number(v)
        if why:
            problems.error(file, key, why, year)
            x = math.nan
        out[year] = x
    return out
