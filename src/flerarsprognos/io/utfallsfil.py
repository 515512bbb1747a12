"""Outcome (utfall) and budget files: reading CSV and XLSX exports, Swedish number formats.

One row per (nivå, organisation, rad, år); the amounts sit in the columns ``utfall`` and
``budget`` and, where the source document states them, the source's own figures
``angiven_avvikelse``, ``angiven_forandring`` and ``angiven_forandring_procent`` (kept so
they can be recomputed and checked, never trusted). The unit (tkr or mnkr) is stated in
the file, in a header block above the table (``enhet: mnkr``) or in an ``enhet`` column.
The format is documented in ``docs/utfall.md``.

Every problem is collected and reported together with the file, row and cell it sits in
(:class:`~flerarsprognos.problems.InputError`). Internally every amount is in mnkr with the
resultaträkning's signs: intäkter positive, kostnader negative.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from flerarsprognos.problems import Problems
from flerarsprognos.io.schema import SPECS
from flerarsprognos.model.statements import (
    BALANCE_INPUT_POSTS,
    BALANSKRAVSUTREDNING,
    BALANSRAKNING,
    RESULTATRAKNING,
)

LEVELS = ("region", "namnd", "omrade")
SIGNS = ("resultatrakning", "kostnader_positiva")
AMOUNT_UNITS = {"tkr": 0.001, "mnkr": 1.0}
# Kinds of line: how a line is signed and how its commentary reads.
#   intakt    revenue: positive in the resultaträkning, higher is better
#   kostnad   cost (or net cost): negative in the resultaträkning, lower is better
#   resultat  a result or a net of both: signed, higher is better
KINDS = ("intakt", "kostnad", "resultat")

VALUE_COLUMNS = ("utfall", "budget", "angiven_avvikelse", "angiven_forandring", "angiven_forandring_procent")
TEXT_COLUMNS = ("niva", "organisation", "overordnad", "rad", "benamning", "summeras_i", "art", "enhet",
                "kalla", "anteckning")
KNOWN_COLUMNS = set(VALUE_COLUMNS) | set(TEXT_COLUMNS) | {"ar"}
HEADER_KEYS = ("titel", "kalla", "enhet", "tecken", "niva", "organisation", "overordnad", "basar")
COLUMN_ALIASES = {"plan": "budget", "post": "rad", "kostnadsslag": "rad", "enhetens_namn": "organisation",
                  "namnd": "organisation", "bokslut": "utfall"}

# Macro outcome figures an outcome file may carry (region level, unit procent), used to
# re-run the plan with the economy that actually happened.
MACRO_KEYS = tuple(k for k, s in SPECS.items() if s.topic == "makro" and s.unit == "rate")


@dataclass(frozen=True)
class Line:
    label: str          # as in a table: "Personalkostnader"
    subject: str        # as the subject of a commentary sentence: "Personalkostnaderna"
    kind: str
    parent: str | None  # the total this line is part of, unless the file says otherwise


def _cost(label: str, subject: str | None = None, parent: str = "verksamhetens_kostnader") -> Line:
    return Line(label, subject or f"Kostnaderna för {label[0].lower() + label[1:]}", "kostnad", parent)


def _income(label: str, subject: str | None = None, parent: str = "verksamhetens_intakter") -> Line:
    return Line(label, subject or f"Intäkterna från {label[0].lower() + label[1:]}", "intakt", parent)


# The resultaträkning's lines: labels and the total each is part of from the statements
# catalogue (model/statements.yaml); the kind and the commentary subject are this reader's.
_RR_KIND_SUBJECT = {
    "verksamhetens_intakter": ("intakt", "Intäkterna"),
    "verksamhetens_kostnader": ("kostnad", "Kostnaderna"),
    "avskrivningar": ("kostnad", "Avskrivningarna"),
    "verksamhetens_nettokostnader": ("kostnad", "Nettokostnaden"),
    "skatteintakter": ("intakt", "Skatteintäkterna"),
    "generella_statsbidrag_och_utjamning": ("intakt", "Generella statsbidrag och utjämning"),
    "verksamhetens_resultat": ("resultat", "Verksamhetens resultat"),
    "finansiella_intakter": ("intakt", "De finansiella intäkterna"),
    "finansiella_kostnader": ("kostnad", "De finansiella kostnaderna"),
    "arets_resultat": ("resultat", "Årets resultat"),
}
_RR_PARENT = {part: total for total, parts in RESULTATRAKNING.formulas.items() for part in parts}

LINES: dict[str, Line] = {
    # resultaträkningen
    **{rad: Line(RESULTATRAKNING.labels[rad], subject, kind, _RR_PARENT.get(rad))
       for rad, (kind, subject) in _RR_KIND_SUBJECT.items()},
    # kostnadsslag (Hälso- och sjukvårdsnämndens årsredovisning 2024, avsnitt 7)
    "personalkostnader": _cost("Personalkostnader", "Personalkostnaderna"),
    "kop_av_verksamhet": _cost("Köp av verksamhet"),
    "verksamhetsanknutna_tjanster_och_inhyrd_personal": _cost("Verksamhetsanknutna tjänster och inhyrd personal"),
    "lakemedel": _cost("Läkemedel", "Kostnaderna för läkemedel"),
    "material_och_varor": _cost("Material och varor"),
    "lamnade_bidrag": _cost("Lämnade bidrag", "Lämnade bidrag"),
    "ovriga_verksamhetskostnader": _cost("Övriga verksamhetskostnader", "Övriga verksamhetskostnader"),
    # Regionkontorets resultaträkning (Regionkontorets årsredovisning 2024)
    "forsaljning_av_utbildning": _income("Försäljning av utbildning", "Intäkterna från försäljning av utbildning",
                                         "summa_intakter"),
    "forsaljning_av_tjanster": _income("Försäljning av tjänster", "Intäkterna från försäljning av tjänster",
                                       "summa_intakter"),
    "regionersattning": _income("Regionersättning", "Regionersättningen", "summa_intakter"),
    "specialdestinerat_statsbidrag": _income("Specialdestinerat statsbidrag", "Det specialdestinerade statsbidraget",
                                             "summa_intakter"),
    "ovriga_intakter": _income("Övriga intäkter", "Övriga intäkter", "summa_intakter"),
    "summa_intakter": Line("Summa intäkter", "Intäkterna", "intakt", "resultat"),
    "utbildning_kultur_mm": _cost("Utbildning, kultur m.m.", parent="summa_kostnader"),
    "ovriga_kostnader_kkl5": _cost("Övriga kostnader i kkl 5", "Övriga kostnader i kontoklass 5", "summa_kostnader"),
    "lokalkostnader": _cost("Lokalkostnader", "Lokalkostnaderna", "summa_kostnader"),
    "it_kostnader": _cost("IT-kostnader", "IT-kostnaderna", "summa_kostnader"),
    "konsultarvoden_for_speciella_utredningar": _cost("Konsultarvoden för speciella utredningar",
                                                      parent="summa_kostnader"),
    "ovriga_kostnader_kkl6_7": _cost("Övriga kostnader i kkl 6+7", "Övriga kostnader i kontoklass 6 och 7",
                                     "summa_kostnader"),
    "finansiella_intakter_och_kostnader": Line("Finansiella intäkter och kostnader", "Finansnettot", "resultat",
                                               "summa_kostnader"),
    "summa_kostnader": Line("Summa kostnader", "Kostnaderna", "kostnad", "resultat"),
    "resultat": Line("Resultat", "Resultatet", "resultat", None),
}

# The årsredovisning's balansräkning and balanskravsutredning rows that ``rebase`` reads for the
# opening position (docs/utfall.md, "Ingående läge"). Stocks: signed as printed, never flipped
# by ``tecken: kostnader_positiva`` (kind ``resultat``); avsättning, ansvarsförbindelse and lån
# are positive amounts as in the balance sheet.
BALANCE_LINES: dict[str, str] = {
    "summa_eget_kapital": "Eget kapital",
    "resultatutjamningsreserv": "Resultatutjämningsreserv",
    "resultatreserv": "Resultatreserv",
    "avsattningar_for_pensioner": "Avsättningar för pensioner (inkl. löneskatt)",
    "ansvarsforbindelse": "Ansvarsförbindelse för pensioner (inkl. löneskatt)",
    "laneskuld": "Låneskuld (räntebärande lån)",
    "kassa_och_bank": "Likvida medel (kassa och bank)",
    **{post: BALANSRAKNING.labels[post] for post in BALANCE_INPUT_POSTS},
    **{post: BALANSKRAVSUTREDNING.labels[post]
       for post in ("arets_balanskravsresultat", "anvandning_av_resultatutjamningsreserv")},
    "balanskravsunderskott_att_aterstalla": "Balanskravsunderskott att återställa (per ursprungsår)",
}
BALANCE_ALIASES = {
    "eget_kapital": "summa_eget_kapital",
    "rur": "resultatutjamningsreserv",
    "rur_utgaende": "resultatutjamningsreserv",
    "eget_kapital_darav_resultatutjamningsreserv": "resultatutjamningsreserv",
    "resultatreserv_utgaende": "resultatreserv",
    "eget_kapital_darav_resultatreserv": "resultatreserv",
    "pensionsavsattning": "avsattningar_for_pensioner",
    "avsattning_for_pensioner": "avsattningar_for_pensioner",
    "ansvarsforbindelse_pensioner": "ansvarsforbindelse",
    "lan": "laneskuld",
    "likvida_medel": "kassa_och_bank",
    "oreglerat_underskott": "balanskravsunderskott_att_aterstalla",
    "balanskravsunderskott": "balanskravsunderskott_att_aterstalla",
}
for _rad, _label in BALANCE_LINES.items():
    LINES.setdefault(_rad, Line(_label, _label, "resultat", None))


def line_info(rad: str, label: str | None = None, kind: str | None = None) -> Line:
    """The catalogue entry, or one made from the file's own label and kind."""
    known = LINES.get(rad)
    if known is not None:
        if kind and kind != known.kind:
            return Line(label or known.label, known.subject, kind, known.parent)
        return Line(label or known.label, known.subject, known.kind, known.parent) if label else known
    text = label or rad.replace("_", " ").capitalize()
    k = kind or "kostnad"
    subject = text if k == "resultat" else (f"Kostnaderna för {text[0].lower()}{text[1:]}" if k == "kostnad"
                                            else f"Intäkterna från {text[0].lower()}{text[1:]}")
    return Line(text, subject, k, None)


@dataclass
class Row:
    """One (nivå, organisation, rad, år) of an outcome file, in mnkr with the resultaträkning's signs."""

    niva: str
    organisation: str
    overordnad: str | None
    rad: str
    ar: int
    benamning: str | None = None
    summeras_i: str | None = None
    art: str | None = None
    utfall: float | None = None
    budget: float | None = None
    angiven_avvikelse: float | None = None      # positive = better than budget
    angiven_forandring: float | None = None     # signed like the amounts (rr signs)
    angiven_forandring_procent: float | None = None  # change of the magnitude, percent
    kalla: str | None = None
    line_no: int = 0
    cells: dict[str, str] = field(default_factory=dict)  # column → "cell C7" / "rad 7, kolumn utfall"

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.niva, self.organisation, self.rad, self.ar)

    @property
    def info(self) -> Line:
        return line_info(self.rad, self.benamning, self.art)

    def where(self, column: str) -> str:
        return self.cells.get(column, f"rad {self.line_no}")


@dataclass
class OutcomeFile:
    path: Path
    title: str
    source: str
    unit: str
    sign: str
    rows: list[Row]
    macro: dict[tuple[str, int], float]  # (assumption key, year) → fraction
    precision: float  # the rounding step of the figures, in mnkr (0.1 for "5 993,3")
    basar: int | None = None
    macro_cells: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({r.ar for r in self.rows} | {y for _, y in self.macro})

    display_decimals: int | None = None  # as the file writes its figures (at most 1)

    @property
    def decimals(self) -> int:
        if self.display_decimals is not None:
            return self.display_decimals
        return max(0, min(1, round(-math.log10(self.precision)))) if self.precision > 0 else 1

    def organisations(self) -> list[tuple[str, str]]:
        seen: dict[tuple[str, str], None] = {}
        for r in self.rows:
            seen.setdefault((r.niva, r.organisation), None)
        return list(seen)


# ----------------------------------------------------------------------------------------
# Swedish numbers
# ----------------------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009"
_MINUS = "-\u2212\u2013"
_GROUPED = {
    ",": re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:,\d+)?$|^\d+(?:,\d+)?$"),
    ".": re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?$|^\d+(?:\.\d+)?$"),
}
_AMBIGUOUS = re.compile(r"^\d{1,3}[.,]\d{3}$")  # 1.234 / 1,234: decimals or thousands?
# Dot as thousands separator, as Swedish sources print it: "1.873,8" (with a decimal comma) or
# "12.345.678" (two or more groups: no decimal point can be read there).
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$|^\d{1,3}(?:\.\d{3}){2,}$")
# Largest amount accepted (mnkr): more than a thousand billion kronor is a unit or typing mistake.
MAX_AMOUNT_MNKR = 1e6


def normalise(text: str) -> str:
    """Header and key names: lower case, å/ä/ö → a/a/o, spaces → underscores."""
    t = unicodedata.normalize("NFKD", str(text).strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^a-z0-9]+", "_", t).strip("_")
    return t


def decimal_evidence(text: str) -> str | None:
    """',' or '.' if the cell can only be read with that decimal mark, else None."""
    t = _strip_sign(text.strip().rstrip("%").strip())
    if _AMBIGUOUS.match(t):
        return None
    if _DOT_THOUSANDS.match(t):
        return "," if "," in t else None
    has_c, has_d = "," in t, "." in t
    if has_c and not has_d and _GROUPED[","].match(t):
        return ","
    if has_d and not has_c and _GROUPED["."].match(t):
        return "."
    return None


def _strip_sign(t: str) -> str:
    return t[1:].lstrip(_SPACES) if t[:1] in _MINUS + "+" else t


def parse_number(text: str, decimal_mark: str | None, percent_ok: bool = False) -> tuple[float | None, int, str | None]:
    """(value, decimals, None) or (None, 0, why it cannot be read safely).

    Accepts ``5 993,3``, ``5\u00a0993,3``, ``1.873,8`` and ``12.345.678`` (a point between
    thousands, as Swedish sources print them), ``−506,6``, ``9149.7`` (in a file whose decimal
    mark is the point), ``8 022 169``. Rejects what could be read two ways: ``1,873.8``,
    ``1.234`` where the point could separate thousands, a misplaced space.
    """
    raw = text
    t = text.strip()
    if t.endswith("%"):
        if not percent_ok:
            return None, 0, f"'{raw}' har ett procenttecken där ett belopp ska stå"
        t = t[:-1].strip()
    negative = t[:1] in _MINUS
    if t[:1] in _MINUS + "+":
        t = t[1:].lstrip(_SPACES)
    if t.startswith("(") and t.endswith(")"):
        return None, 0, f"'{raw}': parenteser för negativa tal är tvetydiga; skriv ett minustecken"
    if _DOT_THOUSANDS.match(t):
        if decimal_mark == ".":
            return None, 0, (f"'{raw}' har punkt mellan tusental men filens övriga tal har decimalpunkt; "
                             "skriv talet som '1 873,8' eller '1873.8'")
        t = t.replace(".", " ")
        decimal_mark = ","
    if "," in t and "." in t:
        return None, 0, (f"'{raw}' har både punkt och komma men inte som '1.873,8' (punkt mellan tusental, "
                         "decimalkomma); skriv talet som '1 873,8'")
    if _AMBIGUOUS.match(t):
        sep = "," if "," in t else "."
        if decimal_mark != sep:
            meaning = "tusental eller decimaler"
            return None, 0, (f"'{raw}' är tvetydigt ({meaning}?): skriv "
                             f"'{t.replace(sep, ' ')}' för tusental eller ange decimalerna med filens decimaltecken")
    mark = decimal_mark or ("," if "," in t else ".")
    other = "." if mark == "," else ","
    if other in t:
        return None, 0, (f"'{raw}' använder '{other}' men filens övriga tal har decimaltecknet '{mark}'")
    if not _GROUPED[mark].match(t):
        if re.search(rf"\d[{_SPACES}]\d", t):
            return None, 0, f"'{raw}': mellanslagen delar inte talet i tusental"
        return None, 0, f"'{raw}' är inget tal"
    digits = re.sub(rf"[{_SPACES}]", "", t).replace(",", ".")
    value = float(digits)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return (-value if negative else value), decimals, None


def _cell_value(v) -> str | float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    return s if s and s not in ("-", "–", "−") else None


def _float_decimals(x: float) -> int:
    text = f"{x:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


# ----------------------------------------------------------------------------------------
# Reading the grid (CSV or XLSX) into header block + table
# ----------------------------------------------------------------------------------------

@dataclass
class _Grid:
    rows: list[list[object]]  # cell values (str, float or None)
    ref: object  # function (row_index, col_index, column_name) → "cell C7"


def _read_csv(path: Path, problems: Problems) -> _Grid | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"kan inte läsa filen ({exc.strerror})")
        return None
    text = _decode(path, raw, problems)
    if text is None:
        return None
    lines = text.splitlines()
    table_line = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")
                       and ("rad" in normalise(ln).split("_") or ";" in ln or "\t" in ln)), "")
    counts = {d: table_line.count(d) for d in (";", ",", "\t")}
    delimiter = "\t" if counts["\t"] > max(counts[";"], counts[","]) else (
        ";" if counts[";"] > counts[","] else ",")
    rows: list[list[object]] = []
    for ln in lines:
        if ln.lstrip().startswith("#"):
            rows.append([ln.lstrip()[1:].strip()])
        else:
            rows.append([c if c.strip() else None for c in next(csv.reader([ln], delimiter=delimiter))] if ln.strip() else [])
    return _Grid(rows, lambda r, c, name: f"rad {r + 1}, kolumn {name}")


def _decode(path: Path, raw: bytes, problems: Problems) -> str | None:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
    else Windows-1252; a binary file (NUL bytes, control characters) is an error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            problems.error(path, None, "filen börjar som UTF-16 men går inte att läsa som text")
            return None
    if raw.startswith(b"PK\x03\x04"):
        problems.error(path, None, "filen är en Excel- eller zipfil, inte CSV: spara den som .xlsx eller "
                                   "exportera som CSV")
        return None
    control = sum(1 for b in raw[:4096] if b < 32 and b not in (9, 10, 13))
    if b"\x00" in raw[:4096] or control > 0.01 * max(len(raw[:4096]), 1):
        problems.error(path, None, "filen är ingen textfil (binärt innehåll); ange en CSV- eller .xlsx-fil")
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.error(path, None, "filen är varken UTF-8 eller Windows-1252")
    return None


def _read_xlsx(path: Path, problems: Problems, sheet: str | None) -> _Grid | None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        problems.error(path, None, f"kan inte läsa Excelfilen ({type(exc).__name__}: {exc})")
        return None
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                problems.error(path, None, f"bladet '{sheet}' finns inte (finns: {', '.join(names)})")
                return None
            ws = wb[sheet]
        else:
            ws = wb[next((n for n in names if normalise(n) in ("utfall", "plan_mot_utfall", "budget")), names[0])]
        rows = [[_cell_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _Grid(rows, lambda r, c, name: f"cell {get_column_letter(c + 1)}{r + 1} ({name})")


def _header_pair(cells: list[object]) -> tuple[str, str] | None:
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not texts:
        return None
    first = texts[0]
    if ":" in first:
        key, _, value = first.partition(":")
        # "Titel: Hälso- och sjukvård, 2024" split by a comma delimiter, or "Enhet:" | "tkr" in two cells
        value = ", ".join(t for t in [value.strip(), *texts[1:]] if t)
        return normalise(key), value
    if len(texts) >= 2 and normalise(first) in HEADER_KEYS:
        return normalise(first), texts[1]
    return "titel", first


def _unit_from_text(text: str) -> str | None:
    t = text.lower()
    found = set()
    if re.search(r"\bmnkr\b|miljoner kronor|\bmkr\b", t):
        found.add("mnkr")
    if re.search(r"\btkr\b|tusental kronor|tusen kronor", t):
        found.add("tkr")
    if re.search(r"\bprocent\b|%", t):
        found.add("procent")
    return found.pop() if len(found) == 1 else None


def read_outcome(path: Path | str, problems: Problems | None = None, sheet: str | None = None,
                 require: str | None = "utfall") -> OutcomeFile:
    """Read and validate an outcome (or budget) file; raise InputError listing every problem.

    ``require`` names the column that must be present (``utfall`` for an outcome file,
    ``budget`` for a plan file, None for either).
    """
    path = Path(path)
    own = problems if problems is not None else Problems()
    if not path.is_file():
        own.error(path, None, "filen finns inte")
        own.raise_if_errors()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _read_xlsx(path, own, sheet)
    elif suffix in (".csv", ".txt"):
        grid = _read_csv(path, own)
    else:
        own.error(path, None, f"okänd filtyp '{path.suffix}' (läser .csv och .xlsx)")
        grid = None
    if grid is None:
        own.raise_if_errors()
    assert grid is not None
    result = _parse_grid(path, grid, own, require)
    own.raise_if_errors()
    assert result is not None
    return result


@dataclass
class _Table:
    """The parsed frame of a grid: where the table starts, its header block and its columns."""

    file: str
    grid: _Grid
    header_at: int
    header: dict[str, str]
    header_line: dict[str, int]
    columns: list[str | None]
    seen_cols: dict[str, int]
    unit: str | None = None  # from the header block
    sign: str = "resultatrakning"
    basar: int | None = None
    decimal_mark: str | None = None

    @property
    def present(self) -> set[str]:
        return {c for c in self.columns if c}

    def cell(self, cells: list[object], name: str):
        j = self.seen_cols.get(name)
        if j is None or self.columns[j] != name or j >= len(cells):
            return None
        return cells[j]

    def ref(self, i: int, name: str) -> str:
        j = self.seen_cols.get(name)
        return self.grid.ref(i, j if j is not None else 0, name)

    def text(self, cells: list[object], name: str, default: str | None = None) -> str | None:
        v = self.cell(cells, name)
        if v is None:
            return default
        if isinstance(v, float):
            return str(int(v)) if v == int(v) else str(v)
        return str(v).strip() or default


@dataclass
class _Collected:
    """What the rows of the table give, as they are read."""

    rows: list[Row] = field(default_factory=list)
    macro: dict[tuple[str, int], float] = field(default_factory=dict)
    macro_cells: dict[tuple[str, int], str] = field(default_factory=dict)
    seen_keys: dict[tuple, int] = field(default_factory=dict)
    amount_units: dict[str, str] = field(default_factory=dict)  # the first amount unit and where
    max_decimals: int = 0


def _parse_grid(path: Path, grid: _Grid, problems: Problems, require: str | None) -> OutcomeFile | None:
    """Header block, columns, then one row at a time; every problem with its cell."""
    table = _table(str(path), grid, problems, require)
    if table is None:
        return None
    body = [(i, cells) for i, cells in enumerate(grid.rows[table.header_at + 1:], start=table.header_at + 1)
            if any(c is not None for c in cells)]
    table.decimal_mark = _decimal_mark(table, body, problems)
    got = _Collected()
    for i, cells in body:
        _read_row(table, i, cells, got, problems)
    if not got.rows and not got.macro and not problems.errors:
        problems.error(table.file, None, "filen har inga rader")
    unit_final = next(iter(got.amount_units), table.unit or "mnkr")
    precision = rounding_step([getattr(r, c) for r in got.rows for c in ("utfall", "budget", "angiven_avvikelse",
                                                                          "angiven_forandring")],
                              10.0 ** (-got.max_decimals) * AMOUNT_UNITS.get(unit_final, 1.0))
    return OutcomeFile(path=path, title=table.header.get("titel", path.stem), source=table.header.get("kalla", ""),
                       unit=unit_final, sign=table.sign, rows=got.rows, macro=got.macro, precision=precision,
                       basar=table.basar, macro_cells=got.macro_cells,
                       display_decimals=1 if unit_final == "tkr" else min(got.max_decimals, 1))


def _table(file: str, grid: _Grid, problems: Problems, require: str | None) -> _Table | None:
    header_at = _find_table(file, grid, problems)
    if header_at is None:
        return None
    header, header_line = _header_block(file, grid.rows[:header_at], problems)
    columns, seen_cols = _columns(file, grid, header_at, problems)
    table = _Table(file, grid, header_at, header, header_line, columns, seen_cols)
    present = table.present
    if require and require not in present:
        problems.error(file, f"rad {header_at + 1}", f"kolumnen '{require}' saknas")
    if not ({"utfall", "budget"} & present):
        problems.error(file, f"rad {header_at + 1}", "kolumnerna 'utfall' och 'budget' saknas båda")
    _header_settings(table, problems)
    return table


def _find_table(file: str, grid: _Grid, problems: Problems) -> int | None:
    """The first row with the columns 'rad' and 'ar'; else an error saying what is missing where."""
    partial = None
    for i, cells in enumerate(grid.rows):
        names = {COLUMN_ALIASES.get(n, n) for n in (normalise(c) for c in cells if isinstance(c, str))}
        if "rad" in names and "ar" in names:
            return i
        if partial is None and len(cells) > 1 and ({"rad", "ar"} & names) and ({"utfall", "budget"} & names):
            partial = (i, "ar" if "rad" in names else "rad")
    if partial is not None:
        problems.error(file, f"rad {partial[0] + 1}", f"tabellrubriken saknar kolumnen '{partial[1]}' "
                                                      "(kolumnerna 'rad' och 'ar' krävs)")
    elif not any(any(c is not None for c in cells) for cells in grid.rows):
        problems.error(file, None, "filen är tom")
    else:
        problems.error(file, None, "hittar ingen tabellrubrik med kolumnerna 'rad' och 'ar' "
                                   "(och 'utfall' och/eller 'budget')")
    return None


def _header_block(file: str, rows: list[list[object]], problems: Problems) -> tuple[dict[str, str], dict[str, int]]:
    """``nyckel: värde`` lines above the table (the first explicit ``titel`` wins over a plain line)."""
    header: dict[str, str] = {}
    header_line: dict[str, int] = {}
    explicit_title = False
    for i, cells in enumerate(rows):
        pair = _header_pair(cells)
        if pair is None:
            continue
        key, value = pair
        first = str(next((c for c in cells if c is not None), ""))
        explicit = ":" in first or normalise(first) in HEADER_KEYS
        if key == "titel":
            if "titel" not in header or (explicit and not explicit_title):
                header["titel"] = value
            explicit_title = explicit_title or explicit
            continue
        if key not in HEADER_KEYS:
            problems.warn(file, f"rad {i + 1}", f"okänd uppgift '{key}' i filhuvudet används inte "
                                               f"(kända: {', '.join(HEADER_KEYS)})")
            continue
        if key in header:
            problems.error(file, f"rad {i + 1}", f"'{key}' anges två gånger i filhuvudet (även rad {header_line[key] + 1})")
            continue
        header[key] = value
        header_line[key] = i
    return header, header_line


def _columns(file: str, grid: _Grid, header_at: int, problems: Problems) -> tuple[list[str | None], dict[str, int]]:
    columns: list[str | None] = []
    seen_cols: dict[str, int] = {}
    for j, c in enumerate(grid.rows[header_at]):
        if c is None or (isinstance(c, str) and not c.strip()):
            columns.append(None)
            continue
        name = normalise(str(c))
        name = COLUMN_ALIASES.get(name, name)
        if name in seen_cols:
            problems.error(file, grid.ref(header_at, j, name), f"kolumnen '{name}' finns två gånger")
            columns.append(None)
            continue
        seen_cols[name] = j
        if name not in KNOWN_COLUMNS:
            problems.warn(file, grid.ref(header_at, j, name), f"okänd kolumn '{c}' används inte")
            columns.append(None)
            continue
        columns.append(name)
    return columns, seen_cols


def _header_settings(table: _Table, problems: Problems) -> None:
    """Unit (stated once, in the header or in a column; never guessed), sign convention, basår."""
    header, line, file = table.header, table.header_line, table.file
    if "enhet" in header:
        table.unit = _unit_from_text(header["enhet"])
        if table.unit not in AMOUNT_UNITS:
            problems.error(file, f"rad {line['enhet'] + 1}", f"enheten '{header['enhet']}' är varken tkr eller mnkr")
            table.unit = None
    sign = header.get("tecken", "resultatrakning").strip()
    if sign not in SIGNS:
        problems.error(file, f"rad {line.get('tecken', 0) + 1}",
                       f"tecken '{sign}' är okänt (välj {' eller '.join(SIGNS)})")
        sign = "resultatrakning"
    table.sign = sign
    if "basar" in header:
        try:
            table.basar = int(header["basar"])
        except ValueError:
            problems.error(file, f"rad {line['basar'] + 1}", f"basar '{header['basar']}' är inget årtal")


def _decimal_mark(table: _Table, body: list, problems: Problems) -> str | None:
    """The file's decimal mark, from the cells that can only be read one way."""
    evidence: dict[str, str] = {}
    for i, cells in body:
        for name in VALUE_COLUMNS:
            v = table.cell(cells, name)
            if isinstance(v, str):
                mark = decimal_evidence(v)
                if mark and mark not in evidence:
                    evidence[mark] = table.ref(i, name)
    if len(evidence) == 2:
        problems.error(table.file, None, f"filen blandar decimalkomma ({evidence[',']}) och decimalpunkt "
                                         f"({evidence['.']}); använd ett decimaltecken")
        return None
    return next(iter(evidence), None)


def _read_row(table: _Table, i: int, cells: list[object], got: _Collected, problems: Problems) -> None:
    ident = _row_identity(table, i, cells, problems)
    if ident is None:
        return
    rad, ar, label_from_rad = ident
    row_unit = table.text(cells, "enhet")
    unit = table.unit
    if row_unit is not None:
        unit = _unit_from_text(row_unit)
        if unit is None:
            problems.error(table.file, table.ref(i, "enhet"), f"enheten '{row_unit}' är varken tkr, mnkr eller procent")
            return
    if rad in MACRO_KEYS:
        _macro_row(table, i, cells, rad, ar, unit, got, problems)
        return
    if not _amount_unit_ok(table, i, rad, unit, row_unit, got, problems):
        return
    row = _new_row(table, i, cells, rad, ar, label_from_rad, problems)
    if row is not None and _amounts(table, i, cells, row, unit, got, problems):
        _accept_row(table, i, row, got, problems)


def _row_identity(table: _Table, i: int, cells: list[object], problems: Problems) -> tuple[str, int, str | None] | None:
    """(rad, år, the line's name as the file writes it) or None after an error."""
    rad_text = table.text(cells, "rad")
    if rad_text is None:
        problems.error(table.file, table.ref(i, "rad"), "radens id ('rad') saknas")
        return None
    rad = BALANCE_ALIASES.get(normalise(rad_text), normalise(rad_text))
    label_from_rad = None
    if rad != rad_text:
        label_from_rad = rad_text  # a ledger export names the line ("Köp av verksamhet")
        if rad not in LINES:
            problems.warn(table.file, table.ref(i, "rad"), f"raden '{rad_text}' finns inte i radkatalogen; "
                                                           f"läses som '{rad}'")
    ar_raw = table.cell(cells, "ar")
    ar = None
    if isinstance(ar_raw, float) and ar_raw == int(ar_raw):
        ar = int(ar_raw)
    elif isinstance(ar_raw, str) and re.fullmatch(r"\d{4}", ar_raw.strip()):
        ar = int(ar_raw)
    if ar is None or not (1990 <= ar <= 2100):
        problems.error(table.file, table.ref(i, "ar"),
                       f"året '{ar_raw}' är inget årtal" if ar_raw is not None else "året saknas")
        return None
    return rad, ar, label_from_rad


def _macro_row(table: _Table, i: int, cells: list[object], rad: str, ar: int, unit: str | None,
               got: _Collected, problems: Problems) -> None:
    file, ref = table.file, table.ref
    if unit != "procent":
        problems.error(file, ref(i, "enhet"), f"{rad} är en procentsats: ange enhet procent på raden")
        return
    v = table.cell(cells, "utfall")
    x = _number(v, table.decimal_mark, True, file, ref(i, "utfall"), problems)
    if x is None:
        if v is None:
            problems.error(file, ref(i, "utfall"), f"utfall för {rad} saknas")
        return
    value = x[0] / 100.0
    lo, hi = SPECS[rad].error
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        problems.error(file, ref(i, "utfall"), f"{x[0]:g} procent är utanför det möjliga för {rad}")
        return
    if (rad, ar) in got.macro:
        problems.error(file, ref(i, "rad"), f"{rad} {ar} finns redan ({got.macro_cells[(rad, ar)]})")
        return
    got.macro[(rad, ar)] = value
    got.macro_cells[(rad, ar)] = ref(i, "utfall")


def _amount_unit_ok(table: _Table, i: int, rad: str, unit: str | None, row_unit: str | None,
                    got: _Collected, problems: Problems) -> bool:
    """An amount row needs tkr or mnkr, the same for every row of the file."""
    file, ref = table.file, table.ref
    if unit is None:
        problems.error(file, ref(i, "enhet") if "enhet" in table.present else f"rad {i + 1}",
                       "enheten saknas: ange 'enhet: tkr' eller 'enhet: mnkr' i filhuvudet eller en kolumn 'enhet'")
        return False
    if unit == "procent":
        problems.error(file, ref(i, "enhet"), f"'{rad}' är ett belopp: enheten ska vara tkr eller mnkr, inte procent")
        return False
    where_unit = ref(i, "enhet") if row_unit else f"filhuvudet rad {table.header_line.get('enhet', 0) + 1}"
    if got.amount_units and unit not in got.amount_units:
        (first_unit, first_where), = got.amount_units.items()
        problems.error(file, where_unit, f"filen blandar tkr och mnkr ({unit} här, {first_unit} i "
                                         f"{first_where}); ange alla belopp i samma enhet")
        return False
    got.amount_units.setdefault(unit, where_unit)
    return True


def _new_row(table: _Table, i: int, cells: list[object], rad: str, ar: int, label_from_rad: str | None,
             problems: Problems) -> Row | None:
    """The row's nivå, organisation and kind (no amounts yet)."""
    file, ref, text, header = table.file, table.ref, table.text, table.header
    niva = normalise(text(cells, "niva", header.get("niva", "region")) or "region")
    if niva not in LEVELS:
        problems.error(file, ref(i, "niva"), f"nivån '{text(cells, 'niva')}' är okänd (välj {', '.join(LEVELS)})")
        return None
    organisation = text(cells, "organisation", header.get("organisation"))
    if organisation is None:
        if niva != "region":
            problems.error(file, ref(i, "organisation"), "organisationen saknas (nämnd eller område)")
            return None
        organisation = "Regionen"
    art = text(cells, "art")
    if art is not None:
        art = normalise(art)
        if art not in KINDS:
            problems.error(file, ref(i, "art"), f"arten '{art}' är okänd (välj {', '.join(KINDS)})")
            return None
    return Row(niva=niva, organisation=organisation, overordnad=text(cells, "overordnad", header.get("overordnad")),
               rad=rad, ar=ar, benamning=text(cells, "benamning", None if rad in LINES else label_from_rad),
               summeras_i=normalise(text(cells, "summeras_i") or "") or None, art=art, kalla=text(cells, "kalla"),
               line_no=i + 1)


def _amounts(table: _Table, i: int, cells: list[object], row: Row, unit: str, got: _Collected,
             problems: Problems) -> bool:
    """Read the row's value columns into mnkr with resultaträkning signs; False after an error."""
    scale = AMOUNT_UNITS[unit]
    flip = -1.0 if (table.sign == "kostnader_positiva" and row.info.kind == "kostnad") else 1.0
    ok = True
    for name in VALUE_COLUMNS:
        if name not in table.present:
            continue
        v = table.cell(cells, name)
        is_pct = name.endswith("_procent")
        where = table.ref(i, name)
        parsed = _number(v, table.decimal_mark, is_pct, table.file, where, problems)
        if parsed is None:
            ok &= v is None
            continue
        x, dec = parsed
        row.cells[name] = where
        if is_pct:
            if abs(x) > 10_000:
                problems.error(table.file, where, f"{x:g} procent är en orimlig förändring; fel kolumn eller ett skrivfel?")
                ok = False
                continue
            setattr(row, name, x)
            continue
        if abs(x * scale) > MAX_AMOUNT_MNKR:
            problems.error(table.file, where, f"beloppet {x:,.0f} {unit} är orimligt stort (över "
                                              f"{MAX_AMOUNT_MNKR:,.0f} mnkr); fel enhet eller ett skrivfel?"
                           .replace(",", " "))
            ok = False
            continue
        setattr(row, name, x * scale * (flip if name != "angiven_avvikelse" else 1.0))
        got.max_decimals = max(got.max_decimals, dec)
    return ok


def _accept_row(table: _Table, i: int, row: Row, got: _Collected, problems: Problems) -> None:
    """A row with amounts: checked for a cost of the wrong sign and for a duplicate, then kept."""
    file, ref = table.file, table.ref
    if row.utfall is None and row.budget is None and row.angiven_avvikelse is None:
        problems.error(file, ref(i, "utfall" if "utfall" in table.present else "budget"),
                       "raden har varken utfall eller budget")
        return
    if table.sign == "resultatrakning" and row.info.kind == "kostnad" and row.utfall is not None \
            and row.utfall > 0 and row.rad in LINES:
        problems.error(file, ref(i, "utfall"),
                       f"kostnaden '{row.rad}' är positiv men filen har resultaträkningens tecken "
                       "(kostnader negativa); ange 'tecken: kostnader_positiva' i filhuvudet om "
                       "kostnaderna står som positiva tal")
        return
    if row.key in got.seen_keys:
        problems.error(file, ref(i, "rad"), f"raden finns redan (rad {got.seen_keys[row.key]}): "
                                            f"{row.organisation}, {row.rad}, {row.ar}")
        return
    got.seen_keys[row.key] = i + 1
    got.rows.append(row)


def rounding_step(values: list[float | None], finest: float) -> float:
    """The coarsest step (at most 1 mnkr) that every amount is a multiple of.

    A ledger export in tkr whose figures all end in 00 is rounded to 0,1 mnkr, and its
    sums may be off by that much; checks of stated figures allow for it.
    """
    xs = [abs(v) for v in values if v is not None]
    for k in range(0, 7):
        step = 10.0 ** (-k)
        if step < finest * 0.999:
            break
        if all(abs(x / step - round(x / step)) < 1e-6 for x in xs):
            return step
    return finest


def _number(v, decimal_mark, percent_ok, file, where, problems) -> tuple[float, int] | None:
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            problems.error(file, where, "cellen har inget ändligt tal (NaN eller oändligt)")
            return None
        return v, _float_decimals(v)
    x, dec, why = parse_number(str(v), decimal_mark, percent_ok)
    if why:
        problems.error(file, where, why)
        return None
    return x, dec
