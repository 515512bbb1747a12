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


LINES: dict[str, Line] = {
    # resultaträkningen (DOMAIN.md §2)
    "verksamhetens_intakter": Line("Verksamhetens intäkter", "Intäkterna", "intakt", "verksamhetens_nettokostnader"),
    "verksamhetens_kostnader": Line("Verksamhetens kostnader", "Kostnaderna", "kostnad", "verksamhetens_nettokostnader"),
    "avskrivningar": Line("Avskrivningar", "Avskrivningarna", "kostnad", "verksamhetens_nettokostnader"),
    "verksamhetens_nettokostnader": Line("Verksamhetens nettokostnader", "Nettokostnaden", "kostnad",
                                         "verksamhetens_resultat"),
    "skatteintakter": Line("Skatteintäkter", "Skatteintäkterna", "intakt", "verksamhetens_resultat"),
    "generella_statsbidrag_och_utjamning": Line("Generella statsbidrag och utjämning",
                                                "Generella statsbidrag och utjämning", "intakt",
                                                "verksamhetens_resultat"),
    "verksamhetens_resultat": Line("Verksamhetens resultat", "Verksamhetens resultat", "resultat", "arets_resultat"),
    "finansiella_intakter": Line("Finansiella intäkter", "De finansiella intäkterna", "intakt", "arets_resultat"),
    "finansiella_kostnader": Line("Finansiella kostnader", "De finansiella kostnaderna", "kostnad", "arets_resultat"),
    "arets_resultat": Line("Årets resultat", "Årets resultat", "resultat", None),
    # kostnadsslag (HSN årsredovisning 2024, seed 001 §7)
    "personalkostnader": _cost("Personalkostnader", "Personalkostnaderna"),
    "kop_av_verksamhet": _cost("Köp av verksamhet"),
    "verksamhetsanknutna_tjanster_och_inhyrd_personal": _cost("Verksamhetsanknutna tjänster och inhyrd personal"),
    "lakemedel": _cost("Läkemedel", "Kostnaderna för läkemedel"),
    "material_och_varor": _cost("Material och varor"),
    "lamnade_bidrag": _cost("Lämnade bidrag", "Lämnade bidrag"),
    "ovriga_verksamhetskostnader": _cost("Övriga verksamhetskostnader", "Övriga verksamhetskostnader"),
    # Regionkontorets resultaträkning (seed 003)
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
    "immateriella_anlaggningstillgangar": "Immateriella anläggningstillgångar",
    "mark_och_byggnader": "Mark, byggnader och tekniska anläggningar",
    "maskiner_och_inventarier": "Maskiner och inventarier",
    "aktier_andelar_och_bostadsratter": "Aktier, andelar och bostadsrätter",
    "langfristiga_fordringar": "Långfristiga fordringar",
    "forrad": "Förråd",
    "kortfristiga_fordringar": "Kortfristiga fordringar",
    "kortfristiga_placeringar": "Kortfristiga placeringar",
    "ovriga_avsattningar": "Övriga avsättningar",
    "langfristiga_skulder": "Långfristiga skulder",
    "kortfristiga_skulder": "Kortfristiga skulder",
    "kortfristig_upplaning": "Kortfristig upplåning",
    "arets_balanskravsresultat": "Årets balanskravsresultat",
    "anvandning_av_resultatutjamningsreserv": "Användning av resultatutjämningsreserv",
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

    Accepts ``5 993,3``, ``5\u00a0993,3``, ``−506,6``, ``9149.7`` (in a file whose decimal
    mark is the point), ``8 022 169``. Rejects what could be read two ways: both ``.`` and
    ``,`` in one number, ``1.234`` where the point could separate thousands, a misplaced space.
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
    if "," in t and "." in t:
        return None, 0, (f"'{raw}' har både punkt och komma; skriv talet som "
                         "'1 873,8' (mellanslag mellan tusental, decimalkomma)")
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
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        problems.error(path, None, "filen är varken UTF-8 eller Windows-1252")
        return None
    lines = text.splitlines()
    table_line = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")
                       and ("rad" in normalise(ln).split("_") or ";" in ln)), "")
    delimiter = ";" if table_line.count(";") > table_line.count(",") else ","
    rows: list[list[object]] = []
    for ln in lines:
        if ln.lstrip().startswith("#"):
            rows.append([ln.lstrip()[1:].strip()])
        else:
            rows.append([c if c.strip() else None for c in next(csv.reader([ln], delimiter=delimiter))] if ln.strip() else [])
    return _Grid(rows, lambda r, c, name: f"rad {r + 1}, kolumn {name}")


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


def _parse_grid(path: Path, grid: _Grid, problems: Problems, require: str | None) -> OutcomeFile | None:
    file = str(path)
    header_at = None
    for i, cells in enumerate(grid.rows):
        names = {normalise(c) for c in cells if isinstance(c, str)}
        names = {COLUMN_ALIASES.get(n, n) for n in names}
        if "rad" in names and "ar" in names:
            header_at = i
            break
    if header_at is None:
        problems.error(file, None, "hittar ingen tabellrubrik med kolumnerna 'rad' och 'ar' "
                                   "(och 'utfall' och/eller 'budget')")
        return None

    header: dict[str, str] = {}
    header_line: dict[str, int] = {}
    explicit_title: set[str] = set()
    for i, cells in enumerate(grid.rows[:header_at]):
        pair = _header_pair(cells)
        if pair is None:
            continue
        key, value = pair
        explicit = ":" in str(next((c for c in cells if c is not None), "")) or normalise(
            str(next((c for c in cells if c is not None), ""))) in HEADER_KEYS
        if key == "titel" and "titel" in header:
            if explicit and "titel" not in explicit_title:
                header["titel"] = value
                explicit_title.add("titel")
            continue
        if key == "titel" and explicit:
            explicit_title.add("titel")
        if key not in HEADER_KEYS:
            problems.warn(file, f"rad {i + 1}", f"okänd uppgift '{key}' i filhuvudet används inte "
                                               f"(kända: {', '.join(HEADER_KEYS)})")
            continue
        if key in header and key != "titel":
            problems.error(file, f"rad {i + 1}", f"'{key}' anges två gånger i filhuvudet (även rad {header_line[key] + 1})")
            continue
        header[key] = value
        header_line[key] = i

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
    present = set(c for c in columns if c)
    if require and require not in present:
        problems.error(file, f"rad {header_at + 1}", f"kolumnen '{require}' saknas")
    if not ({"utfall", "budget"} & present):
        problems.error(file, f"rad {header_at + 1}", "kolumnerna 'utfall' och 'budget' saknas båda")

    # Unit of the amounts: stated once, in the header or in a column; never guessed.
    header_unit = None
    if "enhet" in header:
        header_unit = _unit_from_text(header["enhet"])
        if header_unit not in AMOUNT_UNITS:
            problems.error(file, f"rad {header_line['enhet'] + 1}",
                           f"enheten '{header['enhet']}' är varken tkr eller mnkr")
            header_unit = None
    sign = header.get("tecken", "resultatrakning").strip()
    if sign not in SIGNS:
        problems.error(file, f"rad {header_line.get('tecken', 0) + 1}",
                       f"tecken '{sign}' är okänt (välj {' eller '.join(SIGNS)})")
        sign = "resultatrakning"
    basar = None
    if "basar" in header:
        try:
            basar = int(header["basar"])
        except ValueError:
            problems.error(file, f"rad {header_line['basar'] + 1}", f"basar '{header['basar']}' är inget årtal")

    body = [(i, cells) for i, cells in enumerate(grid.rows[header_at + 1:], start=header_at + 1)
            if any(c is not None for c in cells)]

    def cell(cells: list[object], name: str):
        j = seen_cols.get(name)
        if j is None or columns[j] != name or j >= len(cells):
            return None
        return cells[j]

    # Decimal mark of the file, from the cells that can only be read one way.
    evidence: dict[str, str] = {}
    for i, cells in body:
        for name in VALUE_COLUMNS:
            v = cell(cells, name)
            if isinstance(v, str):
                mark = decimal_evidence(v)
                if mark and mark not in evidence:
                    evidence[mark] = grid.ref(i, seen_cols[name], name)
    decimal_mark = None
    if len(evidence) == 2:
        problems.error(file, None, f"filen blandar decimalkomma ({evidence[',']}) och decimalpunkt "
                                   f"({evidence['.']}); använd ett decimaltecken")
    elif evidence:
        decimal_mark = next(iter(evidence))

    rows: list[Row] = []
    macro: dict[tuple[str, int], float] = {}
    macro_cells: dict[tuple[str, int], str] = {}
    seen_keys: dict[tuple, int] = {}
    amount_units: dict[str, str] = {}
    max_decimals = 0
    file_unit = header_unit
    for i, cells in body:
        def ref(name: str) -> str:
            j = seen_cols.get(name)
            return grid.ref(i, j if j is not None else 0, name)

        def text(name: str, default: str | None = None) -> str | None:
            v = cell(cells, name)
            if v is None:
                return default
            if isinstance(v, float):
                return str(int(v)) if v == int(v) else str(v)
            return str(v).strip() or default

        rad_text = text("rad")
        if rad_text is None:
            problems.error(file, ref("rad"), "radens id ('rad') saknas")
            continue
        rad = normalise(rad_text)
        rad = BALANCE_ALIASES.get(rad, rad)
        label_from_rad = None
        if rad != rad_text:
            label_from_rad = rad_text  # a ledger export names the line ("Köp av verksamhet")
            if rad not in LINES:
                problems.warn(file, ref("rad"), f"raden '{rad_text}' finns inte i radkatalogen; läses som '{rad}'")
        ar_raw = cell(cells, "ar")
        ar = None
        if isinstance(ar_raw, float) and ar_raw == int(ar_raw):
            ar = int(ar_raw)
        elif isinstance(ar_raw, str) and re.fullmatch(r"\d{4}", ar_raw.strip()):
            ar = int(ar_raw)
        if ar is None or not (1990 <= ar <= 2100):
            problems.error(file, ref("ar"), f"året '{ar_raw}' är inget årtal" if ar_raw is not None else "året saknas")
            continue

        row_unit = text("enhet")
        unit = file_unit
        if row_unit is not None:
            u = _unit_from_text(row_unit)
            if u is None:
                problems.error(file, ref("enhet"), f"enheten '{row_unit}' är varken tkr, mnkr eller procent")
                continue
            unit = u

        if rad in MACRO_KEYS:
            if unit != "procent":
                problems.error(file, ref("enhet"), f"{rad} är en procentsats: ange enhet procent på raden")
                continue
            v = cell(cells, "utfall")
            x = _number(v, decimal_mark, True, file, ref("utfall"), problems)
            if x is None:
                if v is None:
                    problems.error(file, ref("utfall"), f"utfall för {rad} saknas")
                continue
            value = x[0] / 100.0
            lo, hi = SPECS[rad].error
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                problems.error(file, ref("utfall"), f"{x[0]:g} procent är utanför det möjliga för {rad}")
                continue
            if (rad, ar) in macro:
                problems.error(file, ref("rad"), f"{rad} {ar} finns redan ({macro_cells[(rad, ar)]})")
                continue
            macro[(rad, ar)] = value
            macro_cells[(rad, ar)] = ref("utfall")
            continue

        if unit is None:
            problems.error(file, ref("enhet") if "enhet" in present else f"rad {i + 1}",
                           "enheten saknas: ange 'enhet: tkr' eller 'enhet: mnkr' i filhuvudet eller en kolumn 'enhet'")
            continue
        if unit == "procent":
            problems.error(file, ref("enhet"), f"'{rad}' är ett belopp: enheten ska vara tkr eller mnkr, inte procent")
            continue
        where_unit = ref("enhet") if row_unit else f"filhuvudet rad {header_line.get('enhet', 0) + 1}"
        if amount_units and unit not in amount_units:
            (first_unit, first_where), = amount_units.items()
            problems.error(file, where_unit, f"filen blandar tkr och mnkr ({unit} här, {first_unit} i "
                                             f"{first_where}); ange alla belopp i samma enhet")
            continue
        amount_units.setdefault(unit, where_unit)

        niva = normalise(text("niva", header.get("niva", "region")) or "region")
        if niva not in LEVELS:
            problems.error(file, ref("niva"), f"nivån '{text('niva')}' är okänd (välj {', '.join(LEVELS)})")
            continue
        organisation = text("organisation", header.get("organisation"))
        if organisation is None:
            if niva != "region":
                problems.error(file, ref("organisation"), "organisationen saknas (nämnd eller område)")
                continue
            organisation = "Regionen"
        art = text("art")
        if art is not None:
            art = normalise(art)
            if art not in KINDS:
                problems.error(file, ref("art"), f"arten '{art}' är okänd (välj {', '.join(KINDS)})")
                continue
        row = Row(niva=niva, organisation=organisation,
                  overordnad=text("overordnad", header.get("overordnad")), rad=rad, ar=ar,
                  benamning=text("benamning", None if rad in LINES else label_from_rad), summeras_i=normalise(text("summeras_i") or "") or None,
                  art=art, kalla=text("kalla"), line_no=i + 1)
        scale = AMOUNT_UNITS[unit]
        flip = -1.0 if (sign == "kostnader_positiva" and row.info.kind == "kostnad") else 1.0
        ok = True
        for name in VALUE_COLUMNS:
            if name not in present:
                continue
            v = cell(cells, name)
            is_pct = name.endswith("_procent")
            parsed = _number(v, decimal_mark, is_pct, file, ref(name), problems)
            if parsed is None:
                ok &= v is None
                continue
            x, dec = parsed
            row.cells[name] = ref(name)
            if is_pct:
                setattr(row, name, x)
                continue
            if name != "angiven_avvikelse":
                x = x * flip
            setattr(row, name, x * scale)
            max_decimals = max(max_decimals, dec)
        if not ok:
            continue
        if row.utfall is None and row.budget is None and row.angiven_avvikelse is None:
            problems.error(file, ref("utfall" if "utfall" in present else "budget"),
                           "raden har varken utfall eller budget")
            continue
        if sign == "resultatrakning" and row.info.kind == "kostnad" and row.utfall is not None and row.utfall > 0 \
                and row.rad in LINES:
            problems.error(file, ref("utfall"),
                           f"kostnaden '{row.rad}' är positiv men filen har resultaträkningens tecken "
                           "(kostnader negativa); ange 'tecken: kostnader_positiva' i filhuvudet om "
                           "kostnaderna står som positiva tal")
            continue
        if row.key in seen_keys:
            problems.error(file, ref("rad"), f"raden finns redan (rad {seen_keys[row.key]}): "
                                             f"{row.organisation}, {row.rad}, {row.ar}")
            continue
        seen_keys[row.key] = i + 1
        rows.append(row)

    if not rows and not macro and not problems.errors:
        problems.error(file, None, "filen har inga rader")
    unit_final = next(iter(amount_units), file_unit or "mnkr")
    precision = rounding_step([getattr(r, c) for r in rows for c in ("utfall", "budget", "angiven_avvikelse",
                                                                      "angiven_forandring")],
                              10.0 ** (-max_decimals) * AMOUNT_UNITS.get(unit_final, 1.0))
    return OutcomeFile(path=path, title=header.get("titel", path.stem), source=header.get("kalla", ""),
                       unit=unit_final, sign=sign, rows=rows, macro=macro, precision=precision,
                       basar=basar, macro_cells=macro_cells,
                       display_decimals=1 if unit_final == "tkr" else min(max_decimals, 1))


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
            problems.error(file, where, "ogiltigt tal")
            return None
        return v, _float_decimals(v)
    x, dec, why = parse_number(str(v), decimal_mark, percent_ok)
    if why:
        problems.error(file, where, why)
        return None
    return x, dec
