"""Scenario files: sparse diffs over a named baseline.

A scenario file has a header (``titel``, ``beskrivning``, ``baslinje``, ``kalla``) and
``andringar``: for each assumption key, what changes. ``baslinje`` is ``bas`` (the assumption
set) or the name of another scenario file in the same directory, which is applied first;
scenarios also compose on the command line as ``a.yaml+b.yaml``. Documented in
``docs/filformat.md``.

Changes per key:
- ``forskjutning``: added to the value, in ``enhet`` (procentenheter for ``procent``).
  A number shifts every year; a table ``{år: skift}`` shifts only those years.
- ``varden``: ``{år: värde}``; each value holds from its year until the next given year
  (``skattesats: {varden: {2025: 12.28}}`` means 12,28 from 2025 on).
- ``varde``: a new value for a key without years.
- ``metod``: a new projection method for an utjämning component.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from flerarsprognos.problems import Problems
from flerarsprognos.io.schema import SPECS, UTJAMNING_METHODS
from flerarsprognos.io.assumptions import (
    AssumptionSet,
    check_bounds,
    expected_units,
    file_unit_ok,
    suggest,
    to_canonical,
)
from flerarsprognos.io.yamlfile import as_number, check_keys, read_yaml, read_year_table

HEADER_KEYS = {"titel", "beskrivning", "baslinje", "kalla", "andringar"}
OTHER_KINDS = {"svep": "'flerarsprognos sweep FIL'",
               "osakerheter": "'flerarsprognos montecarlo --osakerheter FIL' och 'sobol --osakerheter FIL'"}
CHANGE_KEYS = {"enhet", "forskjutning", "varden", "varde", "metod", "anteckning"}


@dataclass
class Scenario:
    name: str
    path: Path
    title: str
    description: str
    baseline: str
    source: str
    changes: dict[str, dict[str, Any]]
    parents: list[Scenario] = field(default_factory=list)
    locate: Any = None  # Problem -> Problem at its workbook cell (a scenario workbook), else None

    def chain(self) -> list[Scenario]:
        """This scenario's baseline chain, oldest first, ending with itself."""
        out: list[Scenario] = []
        for p in self.parents:
            out.extend(p.chain())
        out.append(self)
        return out


def _missing_file_hint(path: Path) -> str:
    from flerarsprognos.paths import default_scenarios_dir

    shipped = sorted(p.stem for p in default_scenarios_dir().glob("*.yaml")
                     if not any(ln.startswith("typ:") for ln in p.read_text(encoding="utf-8").splitlines()))
    return ("scenariofilen finns inte; ange sökvägen till en fil, eller namnet på ett medföljande scenario "
            f"utan .yaml (finns: {', '.join(shipped)})")


def _baseline_name(value: str, path: Path, problems: Problems) -> str | None:
    """``baslinje``: 'bas' or another scenario in the same directory, by name (``x`` or ``x.yaml``)."""
    name = value.strip()
    if name.endswith(".yaml"):
        name = name[: -len(".yaml")]
    if not name or any(c in name for c in "/\\:") or name.startswith("."):
        problems.error(path, "baslinje", f"'{value}' är inget scenarionamn: ange 'bas' eller namnet på ett scenario "
                                         "i samma katalog som den här filen (utan sökväg)")
        return None
    return name


def read_scenario(path: Path, problems: Problems, _seen: tuple[str, ...] = ()) -> Scenario | None:
    path = Path(path)
    if not path.is_file():
        problems.error(path, None, _missing_file_hint(path) if not path.exists() else "är ingen fil")
        return None
    locate = None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from flerarsprognos.io.excel_antaganden import read_scenario_workbook

        data, locate = read_scenario_workbook(path, problems)
        found, problems = problems, Problems()  # the header's problems are re-addressed to their cells
    else:
        data = read_yaml(path, problems)
    scen = _scenario_from(path, data, problems, _seen)
    if locate is not None:
        found.items.extend(locate(p) for p in problems.items)
        if scen is not None:
            scen.locate = locate
    return scen


def _scenario_from(path: Path, data, problems: Problems, _seen: tuple[str, ...]) -> Scenario | None:
    """A scenario from its file's raw structure (YAML or workbook alike), every problem reported."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.error(path, None, "filen ska vara en tabell med titel, beskrivning, baslinje, kalla, andringar")
        return None
    if "typ" in data:
        reader = OTHER_KINDS.get(str(data["typ"]), "inget kommando")
        problems.error(path, "typ", f"filen är av typen '{data['typ']}', inte ett scenario; den läses av {reader}")
        return None
    check_keys(data, HEADER_KEYS, path, None, problems)
    for k in ("titel", "beskrivning", "baslinje", "kalla"):
        if not isinstance(data.get(k), str) or not data.get(k, "").strip():
            problems.error(path, k, "saknas i scenariots huvud")
    changes = data.get("andringar")
    if not isinstance(changes, dict) or not changes:
        problems.error(path, "andringar", "saknas eller är tom")
        changes = {}
    scen = Scenario(name=path.stem, path=path, title=str(data.get("titel", path.stem)),
                    description=str(data.get("beskrivning", "")),
                    baseline=str(data.get("baslinje", "bas")), source=str(data.get("kalla", "")),
                    changes={str(k): v for k, v in changes.items()})
    if scen.baseline != "bas" and isinstance(data.get("baslinje"), str):
        name = _baseline_name(scen.baseline, path, problems)
        if name is None:
            return scen
        if name in _seen + (scen.name,):
            problems.error(path, "baslinje", f"cirkulär baslinje ({' → '.join(_seen + (scen.name, name))})")
        else:
            parent = read_scenario(path.with_name(name + ".yaml"), problems, _seen + (scen.name,))
            if parent is not None:
                scen.parents.append(parent)
    return scen


def read_scenario_arg(arg: str, problems: Problems) -> list[Scenario]:
    """A command-line scenario: one file, or files joined by '+' (applied left to right)."""
    return [s for s in (read_scenario(Path(p), problems) for p in arg.split("+")) if s is not None]


def _shift_or_set(aset: AssumptionSet, scen: Scenario, key: str, change: dict, problems: Problems):
    file = str(scen.path)
    value = aset.values[key]
    spec = value.spec
    check_keys(change, CHANGE_KEYS, file, key, problems)
    method = change.get("metod", value.method)
    if "metod" in change:
        if not spec.component:
            problems.error(file, f"{key}.metod", "bara utjämningskomponenter har en metod")
            return
        if method not in UTJAMNING_METHODS:
            problems.error(file, f"{key}.metod", f"'{method}' är ingen metod (välj {', '.join(UTJAMNING_METHODS)})")
            return
    ops = [k for k in ("forskjutning", "varden", "varde") if k in change]
    if len(ops) > 1:
        problems.error(file, key, "ange en av forskjutning, varden och varde, inte flera")
        return
    if not ops:
        if "metod" in change:
            value.method = method
            value.changed_by.append(scen.name)
        else:
            problems.error(file, key, "ingen ändring angiven (forskjutning, varden, varde eller metod)")
        return
    op = ops[0]
    if spec.unit == "text":
        if op != "varde" or change["varde"] not in spec.choices:
            problems.error(file, key, f"ange 'varde' som en av {', '.join(spec.choices)}")
            return
        value.data = change["varde"]
        value.changed_by.append(scen.name)
        return
    unit = change.get("enhet")
    if not isinstance(unit, str) or not file_unit_ok(spec, unit, method):
        problems.error(file, key, f"enhet saknas eller är fel ('{unit}'; ska vara {expected_units(spec, method)})")
        return
    if spec.coverage == "skalar":
        if op == "varden":
            problems.error(file, key, "har inga år: använd 'varde' eller 'forskjutning' med ett tal")
            return
        x, why = as_number(change[op])
        if why:
            problems.error(file, key, why)
            return
        new = to_canonical(x, unit) + (value.data if op == "forskjutning" else 0.0)
        if check_bounds(spec, new, unit, file, key, None, problems):
            value.data = new
            value.changed_by.append(scen.name)
        return
    if op == "varde":
        problems.error(file, key, "har värden per år: använd 'varden' eller 'forskjutning'")
        return
    _change_years(aset, scen, key, op, change[op], unit, method, problems)


def _change_years(aset: AssumptionSet, scen: Scenario, key: str, op: str, raw, unit: str, method,
                  problems: Problems) -> None:
    """A by-year key's ``forskjutning`` or ``varden``, checked against the bounds and then applied."""
    file = str(scen.path)
    value = aset.values[key]
    spec = value.spec
    years = aset.years
    data = np.array(value.data, dtype=float)
    if op == "forskjutning" and not isinstance(raw, dict):
        x, why = as_number(raw)
        if why:
            problems.error(file, key, why)
            return
        raw = {int(y): x for y in years}
    if not isinstance(raw, dict) or not raw:
        problems.error(file, key, f"'{op}' ska vara en tabell år: värde")
        return
    parsed: dict[int, float] = {}
    for year, x in read_year_table(raw, file, key, problems).items():
        if not (years[0] <= year <= years[-1]):
            problems.error(file, key, f"året ligger utanför prognoshorisonten {years[0]}–{years[-1]}", year)
        elif not np.isnan(x):
            parsed[year] = to_canonical(x, unit)
    if len(parsed) != len(raw):
        return
    if op == "forskjutning" and unit == "procent" and spec.unit == "rate":
        tiny = [y for y, x in parsed.items() if 0 < abs(x * 100) < 0.2]
        for year in tiny:
            problems.warn(file, key, f"förskjutningen {parsed[year] * 100:g} procentenheter är mycket liten; "
                                     f"menade du {parsed[year] * 10000:g}? (enheten är procent)", year)
    if op == "forskjutning":
        for year, x in parsed.items():
            i = year - years[0]
            data[i] = (0.0 if np.isnan(data[i]) else data[i]) + x
    else:
        ordered = sorted(parsed)
        for n, year in enumerate(ordered):
            stop = ordered[n + 1] if n + 1 < len(ordered) else (
                year + 1 if spec.coverage in ("gles", "gles_noll") else years[-1] + 1)
            if spec.coverage == "plan":
                stop = min(stop, aset.planslut + 1)
            data[year - years[0]:stop - years[0]] = parsed[year]
    ok = True
    for i, year in enumerate(years):
        if not np.isnan(data[i]) and data[i] != value.data[i]:
            ok &= check_bounds(spec, data[i], unit, file, key, int(year), problems)
    if ok:
        value.data = data
        value.method = method
        value.changed_by.append(scen.name)


def apply_scenarios(base: AssumptionSet, scenarios: list[Scenario], problems: Problems) -> AssumptionSet:
    """The baseline with each scenario of the list (and its baseline chain) applied in order."""
    chain: list[Scenario] = []
    for s in scenarios:
        chain.extend(s.chain())
    name = "+".join(s.name for s in scenarios)
    out = base.copy(name)
    out.title = " + ".join(s.title for s in scenarios)
    for scen in chain:
        out.scenario_files.append(scen.path)
        found = Problems() if scen.locate else problems
        for key, change in scen.changes.items():
            if key not in SPECS:
                found.error(scen.path, key, f"okänd nyckel: finns inte bland antagandena.{suggest(key)}")
                continue
            if not isinstance(change, dict):
                found.error(scen.path, key, "ska vara en tabell med enhet och forskjutning/varden/varde")
                continue
            _shift_or_set(out, scen, key, change, found)
        if scen.locate:
            problems.items.extend(scen.locate(p) for p in found.items)
    return out


def load_sets(assumptions: Path | None, scenario_args: list[str], problems: Problems,
              riket: Path | None = None) -> tuple[AssumptionSet, list[AssumptionSet]]:
    """The assumption set (``bas``) and one set per scenario argument (a file, a shipped name, or
    ``a+b``), validated; InputError with every problem found. Imports nothing of the model."""
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir, resolve_scenario

    base = load_assumptions(assumptions or default_assumptions_dir(), problems, riket=riket)
    sets = [base]
    names = {"bas"}
    for arg in scenario_args:
        scenarios = read_scenario_arg(resolve_scenario(arg), problems)
        if not scenarios:
            continue
        aset = apply_scenarios(base, scenarios, problems)
        if aset.name in names:
            problems.error(arg, None, f"scenariot '{aset.name}' finns redan i körningen")
            continue
        names.add(aset.name)
        sets.append(aset)
    problems.raise_if_errors()
    return base, sets
