"""The assumption set as an Excel workbook, both ways.

:func:`write_workbook` writes one sheet per assumption file (``makro``, ``region`` …), one row
per key, years as columns, with the unit, the source (``kalla``) and which years are filled
by ``forlangning``. Keys, units and headings are locked; value cells carry Excel data
validation where the key catalogue has bounds.

:func:`read_workbook` turns such a workbook back into the very structure the YAML reader
produces (``{"beskrivning": …, "parametrar": {nyckel: {"enhet": …, "varden": {år: tal}}}}``),
so that it goes through the same validation as the YAML files
(:func:`flerarsprognos.io.assumptions.validate_raw`); every problem is then reported with the
sheet, the cell (``makro!H7``) and the key. The format is documented in ``docs/filformat.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flerarsprognos.io.assumptions import (
    EXTENSIONS,
    RawPart,
    RawSet,
    from_canonical,
)
from flerarsprognos.io.schema import SPECS, UTJAMNING_METHODS
from flerarsprognos.io.yamlfile import as_year
from flerarsprognos.problems import Problem, Problems

INFO_SHEET = "Om antagandena"
HEADER_ROW = 3  # 1-based: the row with Nyckel, Beskrivning, … and the years
FIRST_ROW = HEADER_ROW + 1
# Columns before the years (heading → entry key), and after them.
LEAD = (("Nyckel", None), ("Beskrivning", "beskrivning"), ("Enhet", "enhet"), ("Metod", "metod"),
        ("Förlängning", "forlangning"), ("Värde", "varde"))
LAYER_COLUMN = "Lager"  # riket (the national prognosunderlag) or region (the region's own entries)
TAIL = (("Förlängda år", None), ("Källa", "kalla"), ("Anteckning", "anteckning"), (LAYER_COLUMN, None))
LOCKED_HEADINGS = {"Nyckel", "Enhet", "Förlängda år", LAYER_COLUMN}
NATIONAL, REGIONAL = "riket", "region"
NATIONAL_DESCRIPTION = "Beskrivning, riket"  # A2: the national file's beskrivning
CATEGORY_HEADING = "Investeringskategorier"  # on the information sheet: kategorier of investeringar.yaml
CATEGORY_COLUMNS = ("id", "etikett", "balanspost")


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(sheet: str, row: int, col: int) -> str:
    """1-based row, 0-based column → ``makro!H7`` (sheet names with spaces are quoted)."""
    quoted = f"'{sheet}'" if not sheet.replace("_", "").isalnum() else sheet
    return f"{quoted}!{column_letter(col)}{row}"


# --- writing -------------------------------------------------------------------------------

@dataclass
class _Topic:
    """One sheet: a topic's rows from both layers (the national prognosunderlag first)."""

    topic: str
    description: str = ""
    national_description: str | None = None
    rows: list[tuple[str, str, Any]] = field(default_factory=list)  # (layer, key, entry)


def _topics(raw: RawSet, derived: dict[str, tuple[str, Any]], specs) -> list[_Topic]:
    """The sheets to write: every part of both layers, and the entries derived from files a
    workbook does not hold (regioner.csv, demografi.csv) as the region's own rows."""
    topics: dict[str, _Topic] = {}
    for part in raw.parts + raw.national:
        topics.setdefault(part.topic, _Topic(part.topic))
    for layer, parts in ((NATIONAL, raw.national), (REGIONAL, raw.parts)):
        for part in parts:
            t, data = topics[part.topic], part.data if isinstance(part.data, dict) else {}
            description = str(data.get("beskrivning", "") or "").strip()
            if layer == NATIONAL:
                t.national_description = description
            else:
                t.description = description
            t.rows.extend((layer, str(key), entry) for key, entry in (data.get("parametrar") or {}).items())
    for key, (_, entry) in derived.items():
        topics.setdefault(specs[key].topic, _Topic(specs[key].topic)).rows.append((REGIONAL, key, entry))
    return list(topics.values())


def _years_of(topics: list[_Topic], horizon_years) -> list[int]:
    years = {int(y) for y in horizon_years}
    for t in topics:
        for _, _, entry in t.rows:
            if isinstance(entry, dict) and isinstance(entry.get("varden"), dict):
                years.update(y for y in (as_year(k) for k in entry["varden"]) if y is not None)
    return sorted(years)


def _validation(spec, unit: str, method: str | None) -> dict | None:
    """Excel data validation for one key's value cells, from the key catalogue's bounds."""
    message = {"error_title": "Otillåtet värde", "error_type": "stop"}
    if spec.unit == "text":
        if not spec.choices:
            return None  # free text (a name, a date)
        return {"validate": "list", "source": list(spec.choices),
                "error_message": f"Välj en av {', '.join(spec.choices)}.", **message}
    if spec.component and method == "per_invanare":
        return {"validate": "decimal", "criteria": ">=", "value": 0,
                "error_message": "Kronor per invånare kan inte vara negativt.", **message}
    lo, hi = spec.error
    if lo is None and hi is None:
        return {"validate": "decimal", "criteria": "between", "value": -1e300, "maximum": 1e300,
                "error_message": "Skriv ett tal.", **message}
    kind = "integer" if spec.unit in ("ar", "antal_ar") else "decimal"
    lo_s = -1e300 if lo is None else from_canonical(lo, unit)
    hi_s = 1e300 if hi is None else from_canonical(hi, unit)
    shown = f"{'−∞' if lo is None else f'{lo_s:g}'} till {'∞' if hi is None else f'{hi_s:g}'} {unit}"
    return {"validate": kind, "criteria": "between", "value": lo_s, "maximum": hi_s,
            "error_message": f"Möjliga värden: {shown}."[:255], **message}


@dataclass
class _Formats:
    locked: Any
    text: Any
    number: Any
    heading: Any
    extended: Any
    wrap: Any


def _formats(wb) -> _Formats:
    return _Formats(
        locked=wb.add_format({"locked": True, "bg_color": "#F2F2F2"}),
        text=wb.add_format({"locked": False}),
        number=wb.add_format({"locked": False, "num_format": "General"}),
        heading=wb.add_format({"locked": True, "bold": True, "bg_color": "#D9E1F2", "bottom": 1,
                               "num_format": "0"}),
        extended=wb.add_format({"locked": False, "bg_color": "#E2EFDA", "italic": True}),
        wrap=wb.add_format({"locked": False, "text_wrap": True, "valign": "top"}),
    )


def _extended_years(aset, key: str) -> list[int]:
    v = aset.values.get(key)
    if v is None or v.extended is None:
        return []
    return [int(y) for y, e in zip(aset.years, v.extended) if e]


def _write_sheet(wb, f: _Formats, t: _Topic, years: list[int], aset, specs) -> None:
    ws = wb.add_worksheet(t.topic)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    ws.write(0, 0, "Beskrivning", f.heading)
    ws.write(0, 1, t.description, f.wrap)
    if t.national_description is not None:
        ws.write(1, 0, NATIONAL_DESCRIPTION, f.heading)
        ws.write(1, 1, t.national_description, f.wrap)
    else:
        ws.write(1, 0, "Ändra i de vita cellerna och kör sedan om (flerarsprognos run --antaganden denna fil). "
                       "Nycklar och enheter är låsta. Tom årscell = inget värde; grön = fylls av förlängningen.",
                 f.locked)
    heads = [h for h, _ in LEAD] + years + [h for h, _ in TAIL]
    for c, h in enumerate(heads):
        ws.write(HEADER_ROW - 1, c, h, f.heading)
    n_lead = len(LEAD)
    widths = [34, 40, 16, 18, 12, 10] + [9] * len(years) + [14, 60, 30, 8]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(HEADER_ROW, 1)
    regional = {key for layer, key, _ in t.rows if layer == REGIONAL}
    for r, (layer, key, entry) in enumerate(t.rows, start=HEADER_ROW):
        in_force = layer == REGIONAL or key not in regional  # the region's row overrides
        _write_row(ws, f, r, specs[key], entry, years, n_lead, _extended_years(aset, key) if in_force else [])
        ws.write_string(r, n_lead + len(years) + len(TAIL) - 1, layer, f.locked)


def _write_row(ws, f: _Formats, r: int, spec, entry: dict, years: list[int], n_lead: int,
               extended: list[int]) -> None:
    unit = str(entry.get("enhet", ""))
    method = entry.get("metod")
    ws.write_string(r, 0, spec.name, f.locked)
    ws.write_string(r, 2, unit, f.locked)
    for c, (_, name) in enumerate(LEAD[1:], start=1):
        if name in ("enhet", "varde"):
            continue
        value = entry.get(name)
        ws.write(r, c, "" if value is None else str(value).strip(), f.text)
    if spec.component:
        ws.data_validation(r, 3, r, 3, {"validate": "list", "source": list(UTJAMNING_METHODS)})
    if not spec.by_year:
        ws.write(r, n_lead - 1, entry.get("varde"), f.number)
    else:
        ws.write_blank(r, n_lead - 1, None, f.locked)
        ws.data_validation(r, 4, r, 4, {"validate": "list", "source": list(EXTENSIONS)})
    varden = entry.get("varden") if isinstance(entry.get("varden"), dict) else {}
    by_year = {as_year(k): v for k, v in varden.items()}
    for i, y in enumerate(years):
        c = n_lead + i
        if not spec.by_year:
            ws.write_blank(r, c, None, f.locked)
        else:
            fmt = f.extended if y in extended else f.number
            ws.write(r, c, by_year.get(y), fmt) if y in by_year else ws.write_blank(r, c, None, fmt)
    rule = _validation(spec, unit, method)
    if rule is not None:
        cols = (n_lead - 1, n_lead - 1) if not spec.by_year else (n_lead, n_lead + len(years) - 1)
        ws.data_validation(r, cols[0], r, cols[1], rule)
    tail = n_lead + len(years)
    ws.write_string(r, tail, _span(extended), f.locked)
    ws.write(r, tail + 1, str(entry.get("kalla", "")).strip(), f.wrap)
    ws.write(r, tail + 2, str(entry.get("anteckning", "") or "").strip(), f.text)


def _span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _write_info(wb, f: _Formats, source: Path, digest: str, categories) -> None:
    ws = wb.add_worksheet(INFO_SHEET)
    ws.set_column(0, 0, 110)
    ws.set_column(1, 2, 40)
    lines = [
        "Antagandena för flerårsprognosen, ett blad per antagandefil och en rad per nyckel.",
        f"Skriven från {source} (antaganden {digest}).",
        "Båda lagren står i arbetsboken: kolumnen Lager visar om raden hör till det nationella "
        "prognosunderlaget (riket) eller till regionens egna antaganden (region); arbetsboken behöver "
        "ingen katalog med prognosunderlaget. En nyckel på en region-rad ersätter samma nyckels riket-rad.",
        "Ändra värden, källor och beskrivningar i de vita cellerna. Nycklar, enheter, lager och rubriker är låsta "
        "(bladskyddet har inget lösenord; ta bort det under Granska om du behöver lägga till en årskolumn).",
        "Tom årscell = inget värde det året. Gröna celler fylls av förlängningen (Förlängning = senaste: "
        "det senast angivna värdet gäller också de följande åren); kolumnen Förlängda år visar vilka.",
        "Kör sedan: flerarsprognos run --antaganden <denna fil>. Arbetsboken kontrolleras precis som "
        "YAML-filerna; varje fel anges med blad, cell och nyckel.",
        "Arbetsboken räknar ingenting själv: resultaten kommer först när modellen körs om.",
    ]
    for r, text in enumerate(lines):
        ws.write(r, 0, text, f.heading if r == 0 else None)
    if categories is not None:  # the region's own investment categories (kategorier in investeringar.yaml)
        r = len(lines) + 1
        ws.write(r, 0, CATEGORY_HEADING, f.heading)
        for c, h in enumerate(CATEGORY_COLUMNS):
            ws.write(r + 1, c, h, f.heading)
        for i, cat in enumerate(categories, start=r + 2):
            for c, h in enumerate(CATEGORY_COLUMNS):
                ws.write_string(i, c, str(getattr(cat, h)))
    ws.protect("")


def write_workbook(source: Path | str, target: Path, problems: Problems | None = None,
                   riket: Path | str | None = None) -> None:
    """Write the (validated) assumption set at ``source`` (both layers) to the workbook ``target``."""
    import xlsxwriter

    from flerarsprognos.io import layers
    from flerarsprognos.io.assumptions import layered_entries, read_raw, validate_raw

    own = problems if problems is not None else Problems()
    raw = read_raw(source, own, riket)
    aset = validate_raw(raw, own)  # only a valid set is written
    specs = layers.specs_for(raw.categories)
    entries = layered_entries(raw, specs, Problems())[0]
    written = {part.file for part in raw.parts + raw.national}
    topics = _topics(raw, {k: v for k, v in entries.items() if v[0] not in written}, specs)
    years = _years_of(topics, aset.years)
    wb = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    f = _formats(wb)
    _write_info(wb, f, Path(source), aset.digest, raw.categories)
    for t in topics:
        _write_sheet(wb, f, t, years, aset, specs)
    wb.close()


# --- reading -------------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    cells: str = ""  # the workbook and sheet, as cells are named (``antaganden.xlsx, makro``)
    rows: dict[str, int] = field(default_factory=dict)  # key → 1-based row
    columns: dict[str, int] = field(default_factory=dict)  # entry key → 0-based column
    years: dict[int, int] = field(default_factory=dict)  # year → 0-based column
    specs: dict = field(default_factory=lambda: SPECS)


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def _read_header(ws_rows: list[tuple], sheet: _Sheet, token: str, problems: Problems) -> bool:
    header = ws_rows[HEADER_ROW - 1] if len(ws_rows) >= HEADER_ROW else ()
    known = {h: name for h, name in LEAD + TAIL}
    for c, h in enumerate(header):
        if h is None or (isinstance(h, str) and not h.strip()):
            continue
        label = h.strip() if isinstance(h, str) else h
        year = as_year(label) if not isinstance(label, float) else (int(label) if label.is_integer() else None)
        if isinstance(label, str) and label in known:
            sheet.columns[known[label] or label] = c
        elif year is not None and 1900 <= year <= 2200:
            if year in sheet.years:
                problems.error(f"{token}!{column_letter(c)}{HEADER_ROW}", None, f"året {year} finns i två kolumner")
            sheet.years[year] = c
        else:
            problems.error(f"{token}!{column_letter(c)}{HEADER_ROW}", None,
                           f"okänd kolumnrubrik '{h}' (väntade {', '.join(known)} och årtal)")
    if "Nyckel" not in sheet.columns:
        problems.error(token, None, f"rad {HEADER_ROW} ska vara rubrikraden (Nyckel, Beskrivning, Enhet, …, "
                                    "årtalen, Källa); skriv arbetsboken med 'flerarsprognos antaganden --excel'")
        return False
    return True


def _entry(row: tuple, sheet: _Sheet) -> dict:
    def cell(c: int | None):
        return _text(row[c]) if c is not None and c < len(row) else None

    entry: dict[str, Any] = {}
    for name in ("beskrivning", "enhet", "metod", "forlangning", "varde", "kalla", "anteckning"):
        value = cell(sheet.columns.get(name))
        if value is not None:
            entry[name] = value
    varden = {y: cell(c) for y, c in sheet.years.items() if cell(c) is not None}
    spec = sheet.specs.get(str(cell(sheet.columns["Nyckel"])).strip())
    if varden or (spec is not None and spec.by_year and spec.coverage not in ("gles", "gles_noll")):
        entry["varden"] = varden
    return entry


def _row_layer(row: tuple, r: int, sheet: _Sheet, problems: Problems) -> str:
    """The row's layer (riket or region; an empty cell: region; a wrong one is reported and the
    row read as the region's, so that its key is not reported missing as well)."""
    c = sheet.columns.get(LAYER_COLUMN)
    value = _text(row[c]) if c is not None and c < len(row) else None
    layer = REGIONAL if value is None else str(value).strip()
    if layer not in (NATIONAL, REGIONAL):
        problems.error(f"{sheet.cells}!{column_letter(c)}{r}", None,
                       f"{LAYER_COLUMN} ska vara {NATIONAL} eller {REGIONAL}, inte '{value}'")
        return REGIONAL
    return layer


def _read_sheet(ws, token: str, specs, problems: Problems) -> dict[str, tuple[dict, _Sheet]] | None:
    """A topic's sheet as the raw structure of each layer on it: layer -> (data, sheet)."""
    region = _Sheet(ws.title, token, specs=specs)
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    if not _read_header(rows, region, token, problems):
        return None
    national = _Sheet(ws.title, token, columns=region.columns, years=region.years, specs=specs)
    sheets = {REGIONAL: region, NATIONAL: national}
    params: dict[str, dict[str, dict]] = {REGIONAL: {}, NATIONAL: {}}
    key_col = region.columns["Nyckel"]
    for r, row in enumerate(rows[HEADER_ROW:], start=FIRST_ROW):
        key = _text(row[key_col]) if key_col < len(row) else None
        if key is None:
            if any(_text(v) is not None for v in row):
                problems.error(f"{token}!{column_letter(key_col)}{r}", None, "rad med värden men utan nyckel")
            continue
        key, layer = str(key).strip(), _row_layer(row, r, region, problems)
        sheet = sheets[layer]
        if key in params[layer]:
            problems.error(f"{token}!{column_letter(key_col)}{r}", key,
                           f"nyckeln förekommer två gånger (rad {sheet.rows[key]} och rad {r})")
            continue
        sheet.rows[key] = r
        params[layer][key] = _entry(row, sheet)
    out = {REGIONAL: ({"parametrar": params[REGIONAL]}, region)}
    first = rows[0] if rows else ()
    if len(first) > 1 and _text(first[1]) is not None:
        out[REGIONAL][0]["beskrivning"] = first[1]
    second = rows[1] if len(rows) > 1 else ()
    if params[NATIONAL] or (second and second[0] == NATIONAL_DESCRIPTION):
        out[NATIONAL] = ({"parametrar": params[NATIONAL]}, national)
        if len(second) > 1 and second[0] == NATIONAL_DESCRIPTION and _text(second[1]) is not None:
            out[NATIONAL][0]["beskrivning"] = second[1]
    return out


def _read_categories(wb, path: Path, problems: Problems):
    """The investment categories on the information sheet (None: the workbook names none)."""
    from flerarsprognos.io.layers import parse_categories

    if INFO_SHEET not in wb.sheetnames:
        return None
    rows = [tuple(r) for r in wb[INFO_SHEET].iter_rows(values_only=True)]
    start = next((i for i, row in enumerate(rows) if row and row[0] == CATEGORY_HEADING), None)
    if start is None:
        return None
    items = []
    for row in rows[start + 2:]:
        cells = [_text(v) for v in (tuple(row) + (None,) * 3)[:3]]
        if all(v is None for v in cells):
            break
        items.append({h: v for h, v in zip(CATEGORY_COLUMNS, cells) if v is not None})
    return parse_categories(items, f"{path}, {INFO_SHEET}", problems)


def read_workbook(path: Path, problems: Problems) -> RawSet:
    """A workbook written by :func:`write_workbook` (and edited) as the YAML reader's raw structure:
    the region's rows as its parts, the riket rows as the national parts (no directory needed)."""
    from flerarsprognos.io import layers

    path = Path(path)
    if not path.is_file():
        problems.error(path, None, "arbetsboken finns inte")
        problems.raise_if_errors()
    wb = open_workbook(path, problems)
    problems.raise_if_errors()
    parts: dict[str, list[RawPart]] = {REGIONAL: [], NATIONAL: []}
    sheets: dict[str, _Sheet] = {}
    try:
        categories = _read_categories(wb, path, problems)
        specs = layers.specs_for(categories)
        for ws in wb.worksheets:
            if ws.title == INFO_SHEET:
                continue
            token = f"{path}, {cell_name(ws.title, 1, 0).split('!')[0]}"
            layered = _read_sheet(ws, token, specs, problems)
            if layered is None:
                parts[REGIONAL].append(RawPart(token, ws.title, None))
                continue
            for layer, (data, sheet) in layered.items():
                file = token if layer == REGIONAL else f"{token}, lager riket"
                sheets[file] = sheet
                parts[layer].append(RawPart(file, ws.title, data))
    finally:
        wb.close()
    if not parts[REGIONAL]:
        problems.error(path, None, "arbetsboken har inga blad med antaganden")
        problems.raise_if_errors()
    topics = {p.topic: p.file for p in parts[REGIONAL]}
    national = {p.topic: p.file for p in parts[NATIONAL]}
    return RawSet(path, [path], parts[REGIONAL], national=parts[NATIONAL], categories=categories,
                  missing_file=lambda topic: topics.get(topic, f"{path}, blad {topic} (saknas)"),
                  missing_national=lambda topic: national.get(topic, f"{path}, blad {topic}, lager riket (saknas)"),
                  locate=lambda p: locate(p, sheets))


def locate(p: Problem, sheets: dict[str, _Sheet]) -> Problem:
    """A problem found by the common validation, re-addressed to the cell it is about."""
    sheet = sheets.get(p.file)
    if sheet is None or not p.key:
        return p
    key, _, part = p.key.partition(".")
    key = key.split("/")[0]
    row = sheet.rows.get(key)
    if row is None:
        return p
    col = _column_for(p, part, sheet, key)
    return Problem(f"{sheet.cells}!{column_letter(col)}{row}", p.key, in_workbook_terms(p.message), p.year,
                   p.severity)


def in_workbook_terms(message: str) -> str:
    """The YAML reader's hints said as the workbook does it (units are locked there)."""
    import re

    message = message.replace("(eller ange 'forlangning: senaste')", "(eller skriv senaste i kolumnen Förlängning)")
    return re.sub(r" eller ange 'enhet: \w+'", "", message)


def _column_for(p: Problem, part: str, sheet: _Sheet, key: str) -> int:
    c = sheet.columns
    if part in c:
        return c[part]
    if p.year is not None and p.year in sheet.years:
        return sheet.years[p.year]
    message = p.message
    if "enhet" in message and "enhet" in c and not message.startswith("värdet"):
        return c["enhet"]
    if "källa" in message and "kalla" in c:
        return c["kalla"]
    spec = sheet.specs.get(key)
    if spec is not None and not spec.by_year and "varde" in c:
        return c["varde"]
    if spec is not None and spec.by_year and p.year is None and sheet.years and "värden per år" in message:
        return min(sheet.years.values())
    return c["Nyckel"]


# --- a scenario as a workbook: one sheet of changes over the baseline -----------------------

SCENARIO_SHEET = "scenario"
SCENARIO_HEAD = (("Titel", "titel"), ("Beskrivning", "beskrivning"), ("Baslinje", "baslinje"), ("Källa", "kalla"))
SCENARIO_HEADER_ROW = 6
SCENARIO_LEAD = (("Nyckel", None), ("Enhet", "enhet"), ("Ändring", None), ("Värde", None))
SCENARIO_TAIL = (("Metod", "metod"), ("Anteckning", "anteckning"))
OPERATIONS = ("forskjutning", "varden", "varde")


def write_scenario_workbook(scenario: Path, target: Path, horizon_years, problems: Problems | None = None) -> None:
    """Write a scenario file (YAML) as a workbook: its header, and one row per changed key."""
    import xlsxwriter

    from flerarsprognos.io.yamlfile import read_yaml

    own = problems if problems is not None else Problems()
    data = read_yaml(Path(scenario), own)
    own.raise_if_errors()
    changes = data.get("andringar") or {}
    years = sorted({int(y) for y in horizon_years} | {
        y for c in changes.values() if isinstance(c, dict) for op in OPERATIONS
        if isinstance(c.get(op), dict) for y in (as_year(k) for k in c[op]) if y is not None})
    wb = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    f = _formats(wb)
    ws = wb.add_worksheet(SCENARIO_SHEET)
    for r, (label, key) in enumerate(SCENARIO_HEAD):
        ws.write(r, 0, label, f.heading)
        ws.write(r, 1, str(data.get(key, "")), f.wrap)
    heads = [h for h, _ in SCENARIO_LEAD] + years + [h for h, _ in SCENARIO_TAIL]
    for c, h in enumerate(heads):
        ws.write(SCENARIO_HEADER_ROW - 1, c, h, f.heading)
    ws.set_column(0, 0, 34)
    ws.set_column(1, len(heads), 14)
    for r, (key, change) in enumerate(changes.items(), start=SCENARIO_HEADER_ROW):
        change = change if isinstance(change, dict) else {}
        op = next((o for o in OPERATIONS if o in change), "")
        ws.write(r, 0, str(key))
        ws.write(r, 1, str(change.get("enhet", "")))
        ws.write(r, 2, op)
        ws.data_validation(r, 2, r, 2, {"validate": "list", "source": list(OPERATIONS)})
        per_year = change.get(op) if isinstance(change.get(op), dict) else {}
        if op and not per_year:
            ws.write(r, 3, change[op])
        for i, y in enumerate(years):
            value = next((v for k, v in per_year.items() if as_year(k) == y), None)
            if value is not None:
                ws.write(r, 4 + i, value)
        ws.write(r, 4 + len(years), str(change.get("metod", "") or ""))
        ws.write(r, 5 + len(years), str(change.get("anteckning", "") or ""))
    wb.close()


def read_scenario_workbook(path: Path, problems: Problems):
    """A scenario workbook as the YAML reader's raw structure, and the function that names each
    problem's cell. Returns (None, None) when the workbook cannot be read (reported)."""
    rows = _sheet_rows(path, SCENARIO_SHEET, problems)
    if rows is None:
        return None, None
    token = f"{path}, {SCENARIO_SHEET}"
    data: dict[str, Any] = {}
    for r, (label, key) in enumerate(SCENARIO_HEAD):
        row = rows[r] if r < len(rows) else ()
        if not row or row[0] != label:
            problems.error(f"{token}!A{r + 1}", None, f"ska vara '{label}' (scenariots huvud står i A1:B4)")
        elif len(row) > 1 and _text(row[1]) is not None:
            data[key] = row[1]
    sheet = _Sheet(SCENARIO_SHEET)
    header = rows[SCENARIO_HEADER_ROW - 1] if len(rows) >= SCENARIO_HEADER_ROW else ()
    known = {h: (name or h) for h, name in SCENARIO_LEAD + SCENARIO_TAIL}
    for c, h in enumerate(header):
        year = as_year(h) if not isinstance(h, float) else (int(h) if h.is_integer() else None)
        if isinstance(h, str) and h.strip() in known:
            sheet.columns[known[h.strip()]] = c
        elif year is not None and 1900 <= year <= 2200:
            sheet.years[year] = c
        elif _text(h) is not None:
            problems.error(f"{token}!{column_letter(c)}{SCENARIO_HEADER_ROW}", None, f"okänd kolumnrubrik '{h}'")
    if "Nyckel" not in sheet.columns:
        problems.error(f"{token}!A{SCENARIO_HEADER_ROW}", None, "rubrikraden (Nyckel, Enhet, Ändring, Värde, årtalen) "
                                                               "saknas")
        return None, None
    data["andringar"] = _scenario_changes(rows, sheet, token, problems)
    return data, lambda p: _locate_scenario(p, str(path), token, sheet)


def open_workbook(path: Path, problems: Problems):
    """The workbook (read-only, cached values), or None with the problem reported."""
    import zipfile

    try:
        import openpyxl

        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        problems.error(path, None, f"kan inte läsa arbetsboken (ingen giltig .xlsx-fil: {type(exc).__name__})")
        return None


def _sheet_rows(path: Path, name: str, problems: Problems) -> list[tuple] | None:
    wb = open_workbook(path, problems)
    if wb is None:
        return None
    try:
        if name not in wb.sheetnames:
            problems.error(path, None, f"arbetsboken har inget blad '{name}' (finns: {', '.join(wb.sheetnames)})")
            return None
        return [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def _scenario_changes(rows: list[tuple], sheet: _Sheet, token: str, problems: Problems) -> dict:
    def cell(row, c):
        return _text(row[c]) if c is not None and c < len(row) else None

    changes: dict[str, dict] = {}
    for r, row in enumerate(rows[SCENARIO_HEADER_ROW:], start=SCENARIO_HEADER_ROW + 1):
        key = cell(row, sheet.columns["Nyckel"])
        if key is None:
            continue
        key = str(key).strip()
        if key in changes:
            problems.error(f"{token}!A{r}", key, f"nyckeln förekommer två gånger (rad {sheet.rows[key]} och rad {r})")
            continue
        sheet.rows[key] = r
        change: dict[str, Any] = {}
        for name in ("enhet", "metod", "anteckning"):
            if cell(row, sheet.columns.get(name)) is not None:
                change[name] = cell(row, sheet.columns[name])
        op, single = cell(row, sheet.columns.get("Ändring")), cell(row, sheet.columns.get("Värde"))
        per_year = {y: cell(row, c) for y, c in sheet.years.items() if cell(row, c) is not None}
        if op is not None:
            if per_year and single is not None:
                problems.error(f"{token}!{column_letter(sheet.columns['Värde'])}{r}", key,
                               "ange antingen Värde (alla år) eller värden i årskolumnerna, inte båda")
            change[str(op).strip()] = per_year if per_year else single
        changes[key] = change
    return changes


def _locate_scenario(p: Problem, file: str, token: str, sheet: _Sheet) -> Problem:
    if p.file != file:
        return p
    heads = {key: r for r, (_, key) in enumerate(SCENARIO_HEAD, start=1)}
    key, _, part = (p.key or "").partition(".")
    if key in heads and key not in sheet.rows:
        return Problem(f"{token}!B{heads[key]}", p.key, p.message, p.year, p.severity)
    row = sheet.rows.get(key)
    if row is None:
        return Problem(token, p.key, p.message, p.year, p.severity)
    c = sheet.columns
    if part in c:
        col = c[part]
    elif p.year is not None and p.year in sheet.years:
        col = sheet.years[p.year]
    elif "enhet" in p.message and not p.message.startswith("värdet"):
        col = c["enhet"]
    elif p.year is None and not p.message.startswith(("okänd nyckel", "nyckeln förekommer")):
        col = c.get("Värde", c["Nyckel"])
    else:
        col = c["Nyckel"]
    return Problem(f"{token}!{column_letter(col)}{row}", p.key, p.message, p.year, p.severity)
