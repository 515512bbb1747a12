"""Sweep spec files (``typ: svep``): grids and designs over assumption keys.

Format (documented in docs/analys.md)::

    typ: svep
    titel: ...
    beskrivning: ...
    kalla: ...
    baslinje: bas            # or a scenario file / shipped scenario the sweep starts from
    axlar:                   # a full grid ... (or `design:`, not both)
      inflation:
        etikett: KPI och prisbasbelopp
        nycklar: [kpi, prisbasbelopp_forandring]
        andring: forskjutning   # forskjutning | relativ | niva
        enhet: procent
        fran_ar: 2024           # or ar: [2024, 2025]; neither: every year
        fran: 0                 # fran/till/steg, or varden: [...], or banor: [{2024: 3.0, ...}, ...]
        till: 5
        steg: 0.5
    design:
      metod: lhs                # lhs | sobol | montecarlo
      n: 1024
      seed: 1
      faktorer:
        kpi: {nycklar: [kpi], enhet: procent, fran: -1, till: 3}
    tabell: {ar: 2025, utfall: arets_resultat, rader: inflation, kolumner: loneokning}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from flerarsprognos.io.assumptions import AssumptionSet
from flerarsprognos.io.yamlfile import as_number, as_year, check_keys, read_yaml
from flerarsprognos.problems import Problems
from flerarsprognos.analysis.evaluate import OUTCOMES
from flerarsprognos.analysis.factors import MODES, Factor, check_factor

SPEC_KEYS = {"typ", "titel", "beskrivning", "kalla", "baslinje", "axlar", "design", "tabell"}
FACTOR_KEYS = {"etikett", "nycklar", "andring", "enhet", "ar", "fran_ar", "fran", "till", "steg", "varden",
               "banor", "anteckning"}
DESIGN_KEYS = {"metod", "n", "seed", "faktorer"}
TABLE_KEYS = {"ar", "utfall", "rader", "kolumner"}
DESIGN_METHODS = ("lhs", "sobol", "montecarlo")
MAX_GRID = 10_000_000


@dataclass
class Axis:
    factor: Factor
    values: np.ndarray  # file units; for paths: 0..n-1
    paths: np.ndarray | None = None  # (n, Y) canonical, NaN = year not given


@dataclass
class DesignFactor:
    factor: Factor
    lo: float  # file units
    hi: float


@dataclass
class SweepSpec:
    path: Path
    title: str
    description: str
    source: str
    baseline: str
    axes: list[Axis] = field(default_factory=list)
    design_method: str | None = None
    design_n: int = 0
    design_seed: int = 0
    design_factors: list[DesignFactor] = field(default_factory=list)
    table_year: int | None = None
    table_outcome: str = "arets_resultat"
    table_rows: str | None = None
    table_columns: str | None = None

    @property
    def is_grid(self) -> bool:
        return bool(self.axes)


def read_header(path: Path, problems: Problems, kind: str, allowed: set[str] | None = None,
                what: str = "filens") -> dict | None:
    """Read a spec-like file and check its ``typ``; None if unreadable.

    With ``allowed``, also report unknown top-level keys and a missing titel, beskrivning or
    kalla (``what`` names the file in that message: "svepets", "filens").
    """
    path = Path(path)
    if not path.is_file():
        problems.error(path, None, "filen finns inte")
        return None
    data = read_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.error(path, None, "filen ska vara en tabell (med typ, titel, beskrivning, kalla …)")
        return None
    if data.get("typ") != kind:
        problems.error(path, "typ", f"ska vara '{kind}' (är '{data.get('typ')}')")
        return None
    if allowed is not None:
        check_keys(data, allowed, path, None, problems)
        for k in ("titel", "beskrivning", "kalla"):
            if not isinstance(data.get(k), str) or not data[k].strip():
                problems.error(str(path), k, f"saknas i {what} huvud")
    return data


def _years(raw: dict, aset: AssumptionSet, file: str, where: str, problems: Problems) -> tuple[int, ...] | None:
    if "ar" in raw and "fran_ar" in raw:
        problems.error(file, where, "ange 'ar' eller 'fran_ar', inte båda")
        return None
    if "fran_ar" in raw:
        y = as_year(raw["fran_ar"])
        if y is None or not (aset.basar <= y <= aset.slutar):
            problems.error(file, f"{where}.fran_ar", f"'{raw['fran_ar']}' är inget år i horisonten "
                                                    f"{aset.basar}–{aset.slutar}")
            return None
        return tuple(range(y, aset.slutar + 1))
    if "ar" in raw:
        items = raw["ar"] if isinstance(raw["ar"], list) else [raw["ar"]]
        years = [as_year(v) for v in items]
        if any(y is None for y in years):
            problems.error(file, f"{where}.ar", "ska vara ett årtal eller en lista med årtal")
            return None
        return tuple(years)  # checked against the horizon in check_factor (empty list too)
    return None


def _factor(name: str, raw: Any, aset: AssumptionSet, file: str, where: str, problems: Problems) -> Factor | None:
    if not isinstance(raw, dict):
        problems.error(file, where, "ska vara en tabell med nycklar, enhet och värden")
        return None
    check_keys(raw, FACTOR_KEYS, file, where, problems)
    keys = raw.get("nycklar", [name])
    keys = [keys] if isinstance(keys, str) else keys
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        problems.error(file, f"{where}.nycklar", "ska vara en lista med antagandenycklar")
        return None
    mode = raw.get("andring", "forskjutning")
    unit = raw.get("enhet")
    if not isinstance(unit, str):
        problems.error(file, f"{where}.enhet", "saknas (t.ex. procent eller mnkr)")
        return None
    n_before = len(problems.errors)
    years = _years(raw, aset, file, where, problems)
    factor = Factor(name=name, keys=tuple(keys), mode=str(mode), unit=unit, years=years,
                    label=str(raw.get("etikett", name)))
    if len(problems.errors) > n_before or not check_factor(factor, aset, file, where, problems):
        return None
    if mode not in MODES:
        return None
    return factor


def _number(raw: dict, key: str, file: str, where: str, problems: Problems) -> float | None:
    if key not in raw:
        problems.error(file, f"{where}.{key}", "saknas")
        return None
    x, why = as_number(raw[key])
    if why:
        problems.error(file, f"{where}.{key}", why)
        return None
    return x


def _axis(name: str, raw: dict, aset: AssumptionSet, file: str, problems: Problems) -> Axis | None:
    where = f"axlar.{name}"
    factor = _factor(name, raw, aset, file, where, problems)
    if factor is None:
        return None
    given = [k for k in ("varden", "banor") if k in raw] + (["fran"] if any(k in raw for k in ("fran", "till", "steg")) else [])
    if len(given) != 1:
        problems.error(file, where, "ange värdena med en av fran/till/steg, varden eller banor")
        return None
    if given[0] == "varden":
        vals = raw["varden"]
        if not isinstance(vals, list) or not vals:
            problems.error(file, f"{where}.varden", "tom axel: ange minst ett värde")
            return None
        out = []
        for v in vals:
            x, why = as_number(v)
            if why:
                problems.error(file, f"{where}.varden", why)
                return None
            out.append(x)
        return Axis(factor, np.asarray(out))
    if given[0] == "banor":
        return _paths(factor, raw["banor"], aset, file, where, problems)
    lo, hi, step = (_number(raw, k, file, where, problems) for k in ("fran", "till", "steg"))
    if lo is None or hi is None or step is None:
        return None
    if step == 0:
        problems.error(file, f"{where}.steg", "steget är 0")
        return None
    ratio = (hi - lo) / step
    if ratio < -1e-9:
        problems.error(file, f"{where}.steg", f"tom axel: från {lo:g} når aldrig till {hi:g} med steg {step:g}")
        return None
    if not math.isfinite(ratio) or ratio + 1 > MAX_GRID:
        shown = "oändligt många" if not math.isfinite(ratio) else f"{math.floor(ratio + 1e-9) + 1:,}".replace(",", " ")
        problems.error(file, f"{where}.steg", f"axeln får {shown} värden (från {lo:g} till {hi:g} med steg "
                                              f"{step:g}); högst {MAX_GRID:,} punkter".replace(",", " "))
        return None
    count = int(math.floor(ratio + 1e-9)) + 1
    return Axis(factor, np.round(lo + step * np.arange(count), 12))


def _paths(factor: Factor, raw: Any, aset: AssumptionSet, file: str, where: str, problems: Problems) -> Axis | None:
    if not isinstance(raw, list) or not raw:
        problems.error(file, f"{where}.banor", "tom axel: ange en lista med banor {år: värde}")
        return None
    years = [int(y) for y in aset.years]
    paths = np.full((len(raw), len(years)), np.nan)
    for i, path in enumerate(raw):
        if not isinstance(path, dict) or not path:
            problems.error(file, f"{where}.banor[{i}]", "ska vara en tabell år: värde")
            return None
        for ykey, v in path.items():
            y = as_year(ykey)
            if y is None or y not in years:
                problems.error(file, f"{where}.banor[{i}]", f"'{ykey}' är inget år i horisonten {years[0]}–{years[-1]}")
                return None
            x, why = as_number(v)
            if why:
                problems.error(file, f"{where}.banor[{i}]", why, y)
                return None
            paths[i, years.index(y)] = factor.canonical(x)
    return Axis(factor, np.arange(len(raw), dtype=float), paths)


def read_sweep_spec(path: Path, aset: AssumptionSet, problems: Problems) -> SweepSpec | None:
    """Read and validate a sweep spec against the assumption set it will vary."""
    path = Path(path)
    data = read_header(path, problems, "svep", SPEC_KEYS, "svepets")
    if data is None:
        return None
    file = str(path)
    spec = SweepSpec(path=path, title=str(data.get("titel", path.stem)), description=str(data.get("beskrivning", "")),
                     source=str(data.get("kalla", "")), baseline=str(data.get("baslinje", "bas")))
    if ("axlar" in data) == ("design" in data):
        problems.error(file, "axlar/design", "ange antingen 'axlar' (rutnät) eller 'design', inte båda eller ingen")
        return spec
    if "axlar" in data:
        axes = data["axlar"]
        if not isinstance(axes, dict) or not axes:
            problems.error(file, "axlar", "ska vara en tabell med minst en axel")
            return spec
        for name, raw in axes.items():
            axis = _axis(str(name), raw, aset, file, problems)
            if axis is not None:
                spec.axes.append(axis)
        size = math.prod(len(a.values) for a in spec.axes) if spec.axes else 0  # Python ints: no overflow
        if size > MAX_GRID:
            problems.error(file, "axlar", f"rutnätet har {size:,} punkter (högst {MAX_GRID:,})".replace(",", " "))
    else:
        _design(spec, data["design"], aset, file, problems)
    _table(spec, data.get("tabell", {}), aset, file, problems)
    return spec


def _design(spec: SweepSpec, raw: Any, aset: AssumptionSet, file: str, problems: Problems) -> None:
    if not isinstance(raw, dict):
        problems.error(file, "design", "ska vara en tabell med metod, n, seed och faktorer")
        return
    check_keys(raw, DESIGN_KEYS, file, "design", problems)
    method = raw.get("metod")
    if method not in DESIGN_METHODS:
        problems.error(file, "design.metod", f"'{method}' (välj {', '.join(DESIGN_METHODS)})")
    n, why = as_number(raw.get("n"))
    if why or n is None or n != int(n) or n <= 0:
        problems.error(file, "design.n", f"ska vara ett positivt heltal (är {raw.get('n')!r})")
        n = None
    elif n > MAX_GRID:
        problems.error(file, "design.n", f"designen har {int(n):,} punkter (högst {MAX_GRID:,})".replace(",", " "))
        n = None
    seed, why = as_number(raw.get("seed", 0))
    if why or seed is None or seed != int(seed) or seed < 0:
        problems.error(file, "design.seed", f"ska vara ett heltal ≥ 0 (är {raw.get('seed')!r})")
        seed = 0
    factors = raw.get("faktorer")
    if not isinstance(factors, dict) or not factors:
        problems.error(file, "design.faktorer", "saknas eller är tom")
        return
    for name, fraw in factors.items():
        where = f"design.faktorer.{name}"
        factor = _factor(str(name), fraw, aset, file, where, problems)
        if factor is None:
            continue
        lo, hi = (_number(fraw, k, file, where, problems) for k in ("fran", "till"))
        if lo is None or hi is None:
            continue
        if not hi > lo:
            problems.error(file, f"{where}.till", f"tomt intervall: till ({hi:g}) ska vara större än fran ({lo:g})")
            continue
        spec.design_factors.append(DesignFactor(factor, lo, hi))
    spec.design_method = method
    spec.design_n = int(n or 0)
    spec.design_seed = int(seed)


def _table(spec: SweepSpec, raw: Any, aset: AssumptionSet, file: str, problems: Problems) -> None:
    if not isinstance(raw, dict):
        problems.error(file, "tabell", "ska vara en tabell med ar, utfall, rader och kolumner")
        return
    check_keys(raw, TABLE_KEYS, file, "tabell", problems)
    year = as_year(raw.get("ar", aset.planslut))
    if year is None or not (aset.basar <= year <= aset.slutar):
        problems.error(file, "tabell.ar", f"'{raw.get('ar')}' är inget år i horisonten {aset.basar}–{aset.slutar}")
    spec.table_year = year
    outcome = raw.get("utfall", "arets_resultat")
    if outcome not in OUTCOMES:
        problems.error(file, "tabell.utfall", f"'{outcome}' (välj {', '.join(OUTCOMES)})")
    spec.table_outcome = str(outcome)
    names = [a.factor.name for a in spec.axes]
    for k, attr in (("rader", "table_rows"), ("kolumner", "table_columns")):
        if k in raw:
            if str(raw[k]) not in names:
                problems.error(file, f"tabell.{k}", f"'{raw[k]}' är ingen axel (axlar: {', '.join(names) or 'inga'})")
            else:
                setattr(spec, attr, str(raw[k]))
    if spec.table_rows is None and names:
        spec.table_rows = names[0]
    if spec.table_columns is None and len(names) > 1:
        spec.table_columns = next(n for n in names if n != spec.table_rows)
