"""Assumption files: reading, validating and holding the assumptions in force.

An assumption directory holds one YAML file per topic (``makro.yaml``, ``region.yaml`` …).
Each file has a ``beskrivning`` and a ``parametrar`` mapping; each parameter states its
``enhet`` (unit) and ``kalla`` (source) and either ``varde`` (one value) or ``varden``
(values by year). The format is documented in ``docs/filformat.md``.

Everything wrong is collected and reported together (:class:`~flerarsprognos.problems.InputError`).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from flerarsprognos.problems import Problems
from flerarsprognos.io.schema import RATE_UNITS, SPECS, TOPICS, UNIT_LABELS, UTJAMNING_METHODS, Spec, history_years
from flerarsprognos.io.yamlfile import as_number, check_keys, read_yaml, read_year_table

ENTRY_KEYS = {"beskrivning", "enhet", "kalla", "varden", "varde", "forlangning", "metod", "anteckning", "osakerhet"}
FILE_KEYS = {"beskrivning", "parametrar"}
EXTENSIONS = ("senaste", "ingen")
WHOLE_UNITS = ("ar", "antal_ar")  # a year or a number of years is never fractional


@dataclass
class Value:
    """One assumption in force: its data in canonical units, and where it came from."""

    spec: Spec
    data: Any  # np.ndarray over years (NaN = not given, for `gles`), a float, or a str
    source: str
    file: str
    file_unit: str
    description: str = ""
    extended: np.ndarray | None = None  # bool per year: filled by `forlangning`
    method: str | None = None  # utjämning components
    changed_by: list[str] = field(default_factory=list)  # scenarios that changed it
    years: np.ndarray | None = None  # `historik` keys: the years (before basår) data is laid on
    # `osakerhet`: the value is an estimate; a plausible error (± this, canonical units, every
    # year), used to mark goals that hold only by less than its effect ("knappt uppfyllt")
    uncertainty: float | None = None


@dataclass
class AssumptionSet:
    """All assumptions of one scenario, validated, on the horizon ``years``."""

    name: str
    years: np.ndarray
    planslut: int
    values: dict[str, Value]
    files: list[Path]
    digest: str
    scenario_files: list[Path] = field(default_factory=list)
    title: str = "Basalternativ"
    riket: Path | None = None  # the national set under the region's files (None: one layer)
    kategorier: tuple = ()  # the investment categories (io/layers.py Category): id, etikett, balanspost

    @property
    def basar(self) -> int:
        return int(self.years[0])

    @property
    def slutar(self) -> int:
        return int(self.years[-1])

    def __getitem__(self, key: str) -> Any:
        return self.values[key].data

    def copy(self, name: str) -> AssumptionSet:
        new = copy.deepcopy(self)
        new.name = name
        return new


def file_unit_ok(spec: Spec, unit: str, method: str | None) -> bool:
    if spec.component:
        return unit == ("kr_per_invanare" if method == "per_invanare" else "mnkr")
    if spec.unit == "rate":
        return unit in RATE_UNITS
    return unit == spec.unit


def expected_units(spec: Spec, method: str | None) -> str:
    if spec.component:
        return "kr_per_invanare" if method == "per_invanare" else "mnkr"
    if spec.unit == "rate":
        return "procent eller andel"
    return spec.unit


def to_canonical(x: float, unit: str) -> float:
    return x / 100.0 if unit == "procent" else x


def from_canonical(x: float, unit: str) -> float:
    return x * 100.0 if unit == "procent" else x


def check_bounds(spec: Spec, x: float, unit: str, file: str, key: str, year: int | None,
                 problems: Problems) -> bool:
    """Errors for impossible values (often a wrong unit), warnings for implausible ones."""
    shown = f"{from_canonical(x, unit):g} {unit}"
    if spec.unit == "rate" and _plainly_other_rate_unit(spec, x, unit):
        other, factor = ("andel", 100.0) if unit == "procent" else ("procent", 0.01)
        written = from_canonical(x, unit)
        problems.error(file, key, f"värdet {written:g} ser ut att vara angivet som {other} "
                                  f"({written:g} {unit} är orimligt, {written:g} {other} är rimligt): "
                                  f"skriv {written * factor:g} eller ange 'enhet: {other}'. Är enheten rätt angiven?",
                       year)
        return False
    lo, hi = spec.error
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        lo_s = "−∞" if lo is None else f"{from_canonical(lo, unit):g}"
        hi_s = "∞" if hi is None else f"{from_canonical(hi, unit):g}"
        hint = " Är enheten rätt angiven?" if spec.unit == "rate" else ""
        problems.error(file, key, f"värdet {shown} är utanför det möjliga intervallet "
                                  f"[{lo_s}, {hi_s}] {unit}.{hint}", year)
        return False
    lo, hi = spec.warn
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        problems.warn(file, key, f"värdet {shown} är osannolikt (rimligt: "
                                 f"{from_canonical(lo, unit):g} till {from_canonical(hi, unit):g} {unit})",
                      year)
    return True


def _within(x: float, bounds: tuple[float | None, float | None]) -> bool:
    lo, hi = bounds
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def _plainly_other_rate_unit(spec: Spec, x: float, unit: str) -> bool:
    """A rate that is implausible as written but plausible in the other rate unit.

    0.2426 under `procent` (0,24 %) where 24,26 % is expected, or 3.3 under `andel` (330 %)
    where 3,3 % is expected, is a unit mistake, not an unusual assumption.
    """
    if x == 0 or spec.warn == (None, None) or _within(x, spec.warn):
        return False
    other = x * 100.0 if unit == "procent" else x / 100.0
    return _within(other, spec.warn)


def fractions_written_as_procent(spec: Spec, written: dict[int, float]) -> list[int]:
    """Years whose value under `procent` looks like a fraction: 0.033 where 3,3 % is meant.

    A value between 0 and 0,2 that would be plausible as a fraction is suspect when the
    series has ordinary percent values beside it, or when every value of the series is that
    small (a whole series typed as fractions).
    """
    if spec.unit != "rate" or spec.warn == (None, None):
        return []
    small = [y for y, x in written.items() if 0 < abs(x) < 0.2 and _within(x, spec.warn)]
    if not small:
        return []
    nonzero = [x for x in written.values() if x != 0 and not np.isnan(x)]
    if any(abs(x) >= 1 for x in nonzero) or len(small) == len(nonzero):
        return sorted(small)
    return []


def suggest(key: str) -> str:
    close = difflib.get_close_matches(key, SPECS.keys(), n=1, cutoff=0.6)
    return f" Menade du '{close[0]}'?" if close else ""


@dataclass
class Horizon:
    basar: int
    planslut: int
    slutar: int

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.basar, self.slutar + 1)


def _parse_year_values(spec: Spec, raw: Any, unit: str, file: str, key: str,
                       horizon: Horizon | None, problems: Problems,
                       method: str | None) -> dict[int, float] | None:
    if not isinstance(raw, dict):
        problems.error(file, key, "'varden' ska vara en tabell år: värde")
        return None
    out: dict[int, float] = {}
    written = read_year_table(raw, file, key, problems)
    if unit == "procent":
        for year in fractions_written_as_procent(spec, written):
            x = written[year]
            problems.error(file, key, f"värdet {x:g} ser ut att vara angivet som andel ({x:g} procent är "
                                      f"orimligt här, {x * 100:g} procent är rimligt): skriv {x * 100:g} eller "
                                      "ange 'enhet: andel'. Är enheten rätt angiven?", year)
            written[year] = np.nan
    for year, x in written.items():
        if horizon is not None and spec.history:
            first = int(history_years(horizon.basar)[0])
            if not (first <= year < horizon.basar):
                problems.error(file, key, f"gäller åren före basåret ({first}–{horizon.basar - 1})", year)
                continue
        elif horizon is not None and not (horizon.basar <= year <= horizon.slutar):
            problems.warn(file, key, f"året ligger utanför prognoshorisonten "
                                     f"{horizon.basar}–{horizon.slutar} och används inte", year)
            continue
        if np.isnan(x):
            out[year] = x  # reported; not "missing" as well
            continue
        if spec.unit in WHOLE_UNITS and not float(x).is_integer():
            problems.error(file, key, f"ska vara ett heltal ({UNIT_LABELS[spec.unit]}), inte {x:g}", year)
            out[year] = np.nan
            continue
        x = to_canonical(x, unit)
        if method == "per_invanare":
            if x < 0:
                problems.error(file, key, "kr per invånare kan inte vara negativt", year)
                x = np.nan
        elif check_bounds(spec, x, unit, file, key, year, problems) is False:
            x = np.nan
        out[year] = x
    return out


def _fill_years(spec: Spec, given: dict[int, float], extension: str, file: str, key: str,
                horizon: Horizon, problems: Problems, method: str | None):
    """Place given years on the horizon; extend, or report each missing year."""
    if spec.history:  # years before the base year, on their own axis; missing = not given
        hist = history_years(horizon.basar)
        data = np.full(len(hist), np.nan)
        for y, x in given.items():
            data[y - hist[0]] = x
        return data, np.zeros(len(hist), dtype=bool)
    years = horizon.years
    data = np.full(len(years), np.nan)
    extended = np.zeros(len(years), dtype=bool)
    for y, x in given.items():
        data[y - horizon.basar] = x
    coverage = spec.coverage
    if spec.component and method == "inkomstutjamning":
        for y in sorted(given):
            problems.warn(file, key, "metoden inkomstutjamning räknar fram beloppet ur skatteunderlaget; "
                                     "värdet används inte", y)
        return data, extended
    if spec.component and method == "folj_skatteunderlag":
        if horizon.basar not in given:
            problems.error(file, key, "metoden folj_skatteunderlag behöver ett värde för basåret",
                           horizon.basar)
        for y in sorted(given):
            if y != horizon.basar:
                problems.warn(file, key, "metoden folj_skatteunderlag räknar fram åren efter "
                                         "basåret; värdet används inte", y)
        return data, extended
    if coverage == "gles_noll":
        return np.nan_to_num(data, nan=0.0), extended
    if coverage == "gles":
        return data, extended
    last = horizon.planslut if coverage == "plan" else horizon.slutar
    if coverage == "plan":
        for y in sorted(given):
            if y > horizon.planslut:
                problems.warn(file, key, f"året ligger efter planperiodens slut ({horizon.planslut}) "
                                         "och används inte", y)
                data[y - horizon.basar] = np.nan
    present = [y for y in range(horizon.basar, last + 1) if y in given]
    last_given = max(present) if present else None
    for y in range(horizon.basar, last + 1):
        if y in given:
            continue
        if (coverage == "horisont" and extension == "senaste" and last_given is not None
                and y > last_given):
            data[y - horizon.basar] = data[last_given - horizon.basar]
            extended[y - horizon.basar] = True
        else:
            hint = "" if coverage == "plan" else " (eller ange 'forlangning: senaste')"
            problems.error(file, key, f"värde saknas för året{hint}", y)
    return data, extended


def _entry_frame(spec: Spec, entry: dict, file: str, problems: Problems) -> Value | None:
    """The entry's method, unit, source and extension checked: a Value without data, or None."""
    key = spec.name
    n_before = len(problems.errors)
    method = entry.get("metod")
    if spec.component:
        if method not in UTJAMNING_METHODS:
            problems.error(file, f"{key}.metod",
                           f"'{method}' är ingen metod (välj {', '.join(UTJAMNING_METHODS)})")
            method = None
    elif method is not None:
        problems.error(file, f"{key}.metod", "bara utjämningskomponenter har en metod")
    unit = entry.get("enhet")
    if unit is None:
        problems.error(file, key, f"enhet saknas (ska vara {expected_units(spec, method)})")
    elif not isinstance(unit, str) or not file_unit_ok(spec, unit, method):
        if not (spec.component and method is None):
            problems.error(file, key, f"fel enhet '{unit}' (ska vara {expected_units(spec, method)})")
    source = entry.get("kalla")
    if not isinstance(source, str) or not source.strip():
        problems.error(file, key, "källa saknas ('kalla')")
    extension = entry.get("forlangning", "ingen")
    if extension not in EXTENSIONS:
        problems.error(file, f"{key}.forlangning", f"'{extension}' (välj {', '.join(EXTENSIONS)})")
    if len(problems.errors) > n_before:
        return None
    value = Value(spec=spec, data=None, source=source.strip(), file=file, file_unit=unit,
                  description=str(entry.get("beskrivning", spec.label)), method=method)
    if "osakerhet" in entry:
        x, why = as_number(entry["osakerhet"])
        if why or x is None or not np.isfinite(x) or x <= 0 or spec.unit == "text":
            problems.error(file, f"{key}.osakerhet", why or "ska vara ett positivt tal i nyckelns enhet")
            return None
        value.uncertainty = float(to_canonical(x, unit))
    return value


def _scalar_data(spec: Spec, entry: dict, unit: str, file: str, problems: Problems) -> tuple[bool, Any]:
    """A one-value key's ``varde``: (True, data) or (False, None) with the problem reported."""
    key = spec.name
    if "varden" in entry:
        problems.error(file, key, "ska ha ett enda värde ('varde'), inte värden per år")
        return False, None
    if "varde" not in entry:
        problems.error(file, key, "värde saknas ('varde')")
        return False, None
    raw = entry["varde"]
    if spec.unit == "text":
        if not spec.choices:  # free text (a name, a date): any non-empty string
            if isinstance(raw, (str, int, float)) or hasattr(raw, "isoformat"):
                raw = str(raw).strip()
            if not isinstance(raw, str) or not raw:
                problems.error(file, key, f"ska vara en text inom citattecken (är {entry['varde']!r})")
                return False, None
        elif raw not in spec.choices:
            problems.error(file, key, f"'{raw}' är inget tillåtet värde (välj {', '.join(spec.choices)})")
            return False, None
        return True, raw
    x, why = as_number(raw)
    if why:
        problems.error(file, key, why)
        return False, None
    if spec.unit in WHOLE_UNITS and not float(x).is_integer():
        problems.error(file, key, f"ska vara ett heltal ({UNIT_LABELS[spec.unit]}), inte {x:g}")
        return False, None
    x = to_canonical(x, unit)
    if not check_bounds(spec, x, unit, file, key, None, problems):
        return False, None
    return True, x


def _yearly_data(spec: Spec, entry: dict, value: Value, file: str, horizon: Horizon | None,
                 problems: Problems) -> Value | None:
    """A by-year key's ``varden`` placed on the horizon (into ``value``), or None."""
    key = spec.name
    if "varde" in entry:
        problems.error(file, key, "ska ha värden per år ('varden'), inte ett enda 'varde'")
        return None
    if "varden" not in entry:
        if spec.coverage in ("gles", "gles_noll", "historik"):
            entry = {**entry, "varden": {}}
        else:
            problems.error(file, key, "värden per år saknas ('varden')")
            return None
    unit, method = value.file_unit, value.method
    given = _parse_year_values(spec, entry["varden"] or {}, unit, file, key, horizon, problems, method)
    if given is None or horizon is None:
        return None
    extension = entry.get("forlangning", "ingen")
    value.data, value.extended = _fill_years(spec, given, extension, file, key, horizon, problems, method)
    if spec.history:
        value.years = history_years(horizon.basar)
    return value


def parse_entry(spec: Spec, entry: Any, file: str, horizon: Horizon | None,
                problems: Problems) -> Value | None:
    """One key's entry as written, checked, on the horizon (None: reported)."""
    if not isinstance(entry, dict):
        problems.error(file, spec.name, "ska vara en tabell med enhet, kalla och varde/varden")
        return None
    check_keys(entry, ENTRY_KEYS, file, spec.name, problems)
    value = _entry_frame(spec, entry, file, problems)
    if value is None:
        return None
    if spec.coverage != "skalar":
        return _yearly_data(spec, entry, value, file, horizon, problems)
    ok, value.data = _scalar_data(spec, entry, value.file_unit, file, problems)
    return value if ok else None


def assumption_digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda p: p.name):
        h.update(f.name.encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _horizon(raw_params: dict[str, tuple[str, Any]], problems: Problems) -> Horizon | None:
    scratch = Problems()
    vals = {}
    for key in ("basar", "planslut", "slutar"):
        if key not in raw_params:
            continue
        file, entry = raw_params[key]
        v = parse_entry(SPECS[key], entry, file, None, scratch)
        if v is not None:
            vals[key] = int(v.data)
    if len(vals) < 3:
        return None  # the problems are reported when the entries are parsed again
    h = Horizon(vals["basar"], vals["planslut"], vals["slutar"])
    if not (h.basar <= h.planslut <= h.slutar):
        problems.error(raw_params["basar"][0], "basar/planslut/slutar",
                       f"ska gälla basar ≤ planslut ≤ slutar (nu {h.basar}, {h.planslut}, {h.slutar})")
        return None
    return h


@dataclass
class RawPart:
    """One file (or workbook sheet) as parsed: the same structure whichever the source."""

    file: str  # the name problems are reported under (a path, or the workbook's sheet)
    topic: str  # makro, region … (the file's stem or the sheet's name)
    data: Any  # None when the file could not be read (already reported)


@dataclass
class RawSet:
    """An assumption source before validation: its parts and how to name places in it.

    A region directory may stand on a national set (``riket``, io/layers.py): its parts are
    ``national``. A workbook holds both layers itself (its rows marked riket or region) and
    needs no directory (``riket`` None)."""

    source: Path
    files: list[Path]  # what the digest is taken over
    parts: list[RawPart]
    missing_file: Any = None  # topic -> where a missing key is reported
    locate: Any = None  # Problem -> Problem naming the exact place (a workbook cell)
    riket: Path | None = None
    national: list[RawPart] = field(default_factory=list)
    national_files: list[Path] = field(default_factory=list)
    categories: Any = None  # the region's investment categories (io/layers.py), None: the catalogue's
    missing_national: Any = None  # topic -> where a missing national key is reported

    @property
    def layered(self) -> bool:
        """Whether the set has a national layer under the region's entries."""
        return self.riket is not None or bool(self.national)


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Top-level keys a file may hold besides beskrivning and parametrar.
EXTRA_FILE_KEYS = {"region": {"riket"}, "investeringar": {"kategorier"}}


def read_raw(source: Path | str, problems: Problems, riket: Path | str | None = None) -> RawSet:
    """Read an assumption directory (``*.yaml``, over its national set) or workbook (``.xlsx``)
    without validating it."""
    from flerarsprognos.io import layers

    source = Path(source)
    if source.suffix.lower() in WORKBOOK_SUFFIXES:
        from flerarsprognos.io.excel_antaganden import read_workbook

        return read_workbook(source, problems)
    if source.is_file():
        problems.error(source, None, "ska vara en katalog med antagandefiler (*.yaml) eller en arbetsbok "
                                     "(.xlsx) skriven av 'flerarsprognos antaganden --excel'")
        problems.raise_if_errors()
    if not source.is_dir():
        problems.error(source, None, "katalogen med antaganden finns inte")
        problems.raise_if_errors()
    files = sorted(source.glob("*.yaml"))
    if not files:
        problems.error(source, None, "inga antagandefiler (*.yaml) i katalogen")
        problems.raise_if_errors()
    parts = [RawPart(str(path), path.stem, read_yaml(path, problems)) for path in files]
    raw = RawSet(source, files, parts, missing_file=lambda topic: str(source / f"{topic}.yaml"))
    raw.riket = layers.find_riket(source, Path(riket) if riket is not None else None, problems)
    if raw.riket is not None:
        riket_dir = raw.riket
        raw.missing_national = lambda topic: str(riket_dir / f"{topic}.yaml")
        raw.national_files = sorted(raw.riket.glob("*.yaml"))
        raw.national = [RawPart(str(path), path.stem, read_yaml(path, problems)) for path in raw.national_files]
    raw.categories = layers.read_categories(source, problems)
    return raw


def _collect(parts: list[RawPart], problems: Problems, specs: dict[str, Spec] = SPECS
             ) -> tuple[dict[str, tuple[str, Any]], set[str]]:
    """Every key of every part, with the part it came from; files-level problems reported."""
    raw_params: dict[str, tuple[str, Any]] = {}
    unreadable: set[str] = set()  # topics whose file could not be read: no "saknas" flood
    for part in parts:
        data, path = part.data, part.file
        if data is None:
            unreadable.add(part.topic)
            continue
        if not isinstance(data, dict):
            problems.error(path, None, "filen ska vara en tabell med 'beskrivning' och 'parametrar'")
            unreadable.add(part.topic)
            continue
        check_keys(data, FILE_KEYS | EXTRA_FILE_KEYS.get(part.topic, set()), path, None, problems,
                   where="på filens översta nivå")
        params = data.get("parametrar")
        if not isinstance(params, dict):
            problems.error(path, "parametrar", "saknas eller är ingen tabell")
            unreadable.add(part.topic)
            continue
        if part.topic not in TOPICS:
            problems.warn(path, None, f"okänt filnamn; väntade en av {', '.join(t + '.yaml' for t in TOPICS)}")
        for key, entry in params.items():
            key = str(key)
            if key not in specs:
                problems.error(path, key, f"okänd nyckel.{suggest(key)}")
                continue
            if key in raw_params:
                problems.error(path, key, f"finns redan i {raw_params[key][0]}")
                continue
            if specs[key].topic != part.topic:
                problems.warn(path, key, f"hör hemma i {specs[key].topic}.yaml")
            raw_params[key] = (path, entry)
    return raw_params, unreadable


def _layered(raw: RawSet, specs: dict[str, Spec], found: Problems):
    """The region's entries over the national set's, with the länsvis skattesats picked by
    länskod: key -> (file, entry); the national entries alone; the topics that could not be
    read; keys already reported."""
    from flerarsprognos.io import layers

    raw_params, unreadable = _collect(raw.parts, found, specs)
    reported: set[str] = set()  # keys whose absence is already reported
    national: dict[str, tuple[str, Any]] = {}
    if raw.layered:
        national, unreadable_national = _collect(raw.national, found)
        unreadable |= unreadable_national
        raw_params = layers.merge_layers(national, raw_params, found, specs)
    layers.add_lansvis_skattesats(raw_params, raw.riket, raw.missing_file("region"), found, reported)
    return raw_params, national, unreadable, reported


def layered_entries(raw: RawSet, specs: dict[str, Spec], found: Problems):
    """Every key's entry as written or derived (länsvis skattesats, demografi.csv), the layers
    merged: (key -> (file, entry), the national entries, unreadable topics, keys reported, horizon)."""
    from flerarsprognos.io import layers

    raw_params, national, unreadable, reported = _layered(raw, specs, found)
    horizon = _horizon(raw_params, found)
    if raw.locate is None:  # a region directory may hold demografi.csv
        layers.add_demography(raw_params, raw.source, horizon and horizon.planslut, horizon and horizon.basar, found)
    return raw_params, national, unreadable, reported, horizon


def validate_raw(raw: RawSet, problems: Problems) -> AssumptionSet:
    """The one validation of an assumption set, whatever it was read from; raise InputError on errors."""
    from flerarsprognos.io import layers

    found = Problems()
    specs = layers.specs_for(raw.categories)
    raw_params, national, unreadable, reported, horizon = layered_entries(raw, specs, found)
    if raw.layered and horizon is not None and not layers.check_base_year(
            national, horizon.basar, raw_params["basar"][0], found):
        problems.items.extend(found.items)
        problems.raise_if_errors()  # every other national value is for the wrong years: say only this
    values: dict[str, Value] = {}
    for key, (file, entry) in raw_params.items():
        v = parse_entry(specs[key], entry, file, horizon, found)
        if v is not None:
            values[key] = v
    for key, spec in specs.items():
        if key not in raw_params and key not in reported and spec.topic not in unreadable:
            home = raw.missing_national(spec.topic) if spec.national and raw.layered \
                else raw.missing_file(spec.topic)
            found.error(home, key, f"saknas ({spec.label}, {UNIT_LABELS[spec.unit]})")
    if horizon is not None:
        _cross_checks(values, horizon, found, raw.source)
    problems.items.extend(raw.locate(p) if raw.locate else p for p in found.items)
    problems.raise_if_errors()
    assert horizon is not None
    digest = assumption_digest(raw.files)
    if raw.riket is not None:
        digest = hashlib.sha256(f"{digest}/{assumption_digest(raw.national_files)}".encode()).hexdigest()[:16]
    return AssumptionSet(name="bas", years=horizon.years, planslut=horizon.planslut, values=values,
                         files=raw.files + raw.national_files, digest=digest, riket=raw.riket,
                         kategorier=raw.categories if raw.categories is not None else layers.default_categories())


def load_assumptions(source: Path | str, problems: Problems | None = None,
                     riket: Path | str | None = None) -> AssumptionSet:
    """Read and validate an assumption directory (``*.yaml``, over its national set ``riket``,
    see :mod:`flerarsprognos.io.layers`) or workbook; raise InputError on any error."""
    own = problems if problems is not None else Problems()
    return validate_raw(read_raw(source, own, riket), own)


def _cross_checks(values: dict[str, Value], horizon: Horizon, problems: Problems, directory: Path):
    """Rules that involve more than one key."""
    if horizon.planslut - horizon.basar > 20 or horizon.slutar - horizon.basar > 40:
        problems.error(values["slutar"].file, "slutar", "horisonten är orimligt lång")
