"""Two layers of assumptions: the national prognosunderlag (``riket``) and the region's own set.

A region directory holds the region's files (``region.yaml``, ``kostnader.yaml`` …). Its
national set is, in this order:

1. ``--riket KATALOG`` on the command line,
2. the key ``riket:`` at the top of ``region.yaml`` (a path relative to the region directory,
   or ``standard`` for the shipped national set),
3. a subdirectory ``riket/`` of the region directory (the shipped default: ``assumptions/riket/``),
4. none: the directory then holds every key itself (a single-layer set, as ``ombasera`` writes).

Each key's layer is the column ``lager`` of ``io/schema.csv``: ``riket`` (national; a region
file may override it, with a warning), ``riket_fast`` (national and fixed by law or a common
guideline: a region file naming it is an error) or ``region``. The national set also holds
``regioner.csv``: the 21 regions' SCB länskoder and the länsvisa skattesatser of förordning
(2004:881) 2 §; the region's ``lanskod`` picks its rate for the inkomstutjämning unless the
region states ``inkomstutjamning_skattesats`` itself.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from flerarsprognos.io.schema import SPECS
from flerarsprognos.problems import Problems

RIKET_SUBDIR = "riket"
REGION_TABLE = "regioner.csv"
STANDARD = "standard"

Raw = dict[str, tuple[str, Any]]  # key -> (file, entry as written)


def default_riket_dir() -> Path:
    """The shipped national set (SKR:s prognosunderlag that Region Värmland's plan 2023 built on)."""
    from flerarsprognos.paths import default_assumptions_dir

    return default_assumptions_dir() / RIKET_SUBDIR


def _pointer(region_file: Path) -> str | None:
    """The ``riket:`` key at the top of region.yaml, if any (read quietly: the loader reports errors)."""
    try:
        data = yaml.safe_load(region_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    value = data.get("riket") if isinstance(data, dict) else None
    return None if value is None else str(value)


def find_riket(directory: Path, riket: Path | None, problems: Problems) -> Path | None:
    """The national set for the region directory, or None for a single-layer set."""
    if riket is not None:
        where, key = Path(riket), None
        origin = "--riket"
    else:
        pointer = _pointer(directory / "region.yaml")
        if pointer is not None:
            where = default_riket_dir() if pointer == STANDARD else (directory / pointer)
            origin, key = directory / "region.yaml", "riket"
        elif (directory / RIKET_SUBDIR).is_dir():
            return directory / RIKET_SUBDIR
        else:
            return None
    if not where.is_dir() or not any(where.glob("*.yaml")):
        problems.error(origin, key, f"{where}: ingen katalog med det nationella prognosunderlaget "
                                    "(*.yaml) finns där")
        problems.raise_if_errors()  # without it every national key would be reported missing
    return where


def merge_layers(national: Raw, regional: Raw, problems: Problems, specs: dict | None = None) -> Raw:
    """The region's entries over the national ones; each override is a warning, a fixed key an error."""
    out: Raw = {}
    for key, (file, entry) in national.items():
        if not SPECS[key].national:
            problems.error(file, key, "hör till regionens egna antaganden, inte till det nationella "
                                      "prognosunderlaget (lager region i io/schema.csv); flytta nyckeln "
                                      "till regionens katalog")
            continue
        out[key] = (file, entry)
    for key, (file, entry) in regional.items():
        spec = (specs or SPECS)[key]
        if spec.layer == "riket_fast":
            where = f" (finns i {national[key][0]})" if key in national else ""
            problems.error(file, key, f"är ett nationellt värde som en region inte får ändra (lag eller "
                                      f"gemensam riktlinje){where}; ta bort nyckeln ur regionens fil")
            continue
        if key in national:
            problems.warn(file, key, f"regionens värde ersätter det nationella prognosunderlagets "
                                     f"({national[key][0]})")
        out[key] = (file, entry)
    return out


@dataclass(frozen=True)
class Lan:
    lanskod: str
    namn: str
    region: str
    lansvis_skattesats: float  # procent
    kalla: str


def read_region_table(riket_dir: Path | None) -> dict[str, Lan]:
    """regioner.csv of the national set (or of the shipped one)."""
    path = riket_dir / REGION_TABLE if riket_dir is not None else None
    if path is None or not path.is_file():
        path = default_riket_dir() / REGION_TABLE
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["lanskod"]: Lan(r["lanskod"], r["namn"], r["region"], float(r["lansvis_skattesats"]),
                              f"{r['kalla']} ({path.name})") for r in rows}


def normalise_lanskod(raw: Any) -> str:
    """``17``, ``"17"`` and ``6`` (YAML reads an unquoted 06 as 6) as a two-digit code."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return f"{raw:02d}"
    return str(raw).strip()


def add_lansvis_skattesats(raw: Raw, riket_dir: Path | None, region_file: str | Path,
                           problems: Problems, reported: set[str]) -> None:
    """Pick inkomstutjamning_skattesats from regioner.csv by the region's lanskod (unless given);
    a missing lanskod is reported under ``region_file``."""
    table = read_region_table(riket_dir)
    codes = ", ".join(table)
    if "lanskod" not in raw:
        if "inkomstutjamning_skattesats" not in raw:
            problems.error(region_file, "lanskod",
                           f"saknas: ange regionens länskod (SCB), t.ex. lanskod: {{enhet: text, kalla: SCB, "
                           f"varde: \"17\"}}; den väljer den länsvisa skattesatsen i inkomstutjämningen "
                           f"(förordning (2004:881) 2 §). Giltiga länskoder: {codes}")
            reported.update({"lanskod", "inkomstutjamning_skattesats"})
        return
    file, entry = raw["lanskod"]
    if not isinstance(entry, dict) or "varde" not in entry:
        return  # the entry's own problems are reported when it is parsed
    code = normalise_lanskod(entry["varde"])
    raw["lanskod"] = (file, {**entry, "varde": code})
    lan = table.get(code)
    if lan is None:
        choices = SPECS["lanskod"].choices
        if not choices:
            problems.error(file, "lanskod", f"'{code}' är ingen länskod (giltiga: {codes})")
        elif code in choices:  # a code the schema knows but this national set's table lacks
            problems.error(file, "lanskod", f"länskod '{code}' saknas i {REGION_TABLE} (giltiga där: {codes})")
        # else: the entry's own check (the schema's list of länskoder) reports it, once
        reported.add("inkomstutjamning_skattesats")
        return
    if "inkomstutjamning_skattesats" in raw:
        own_file, own = raw["inkomstutjamning_skattesats"]
        given = own.get("varde") if isinstance(own, dict) else None
        if isinstance(given, (int, float)) and own.get("enhet") in ("procent", "andel"):
            pct = given if own.get("enhet") == "procent" else given * 100
            if abs(pct - lan.lansvis_skattesats) > 1e-9:
                problems.warn(own_file, "inkomstutjamning_skattesats",
                              f"{pct:g} procent avviker från den länsvisa skattesatsen för {lan.namn} "
                              f"({lan.lansvis_skattesats:g}, {lan.kalla})")
        return
    table_file = (riket_dir / REGION_TABLE) if riket_dir is not None and (riket_dir / REGION_TABLE).is_file() \
        else default_riket_dir() / REGION_TABLE
    raw["inkomstutjamning_skattesats"] = (str(table_file), {
        "beskrivning": f"Länsvis skattesats för inkomstutjämningen, {lan.namn}",
        "enhet": "procent",
        "kalla": f"Ur lanskod {code} ({lan.namn}): {lan.kalla}.",
        "varde": lan.lansvis_skattesats,
    })


def check_base_year(national: Raw, basar: int, region_file: str, problems: Problems) -> bool:
    """The national set must be made for the region's base year."""
    if "prognosunderlag_basar" not in national:
        return True  # reported as missing
    file, entry = national["prognosunderlag_basar"]
    made_for = entry.get("varde") if isinstance(entry, dict) else None
    if isinstance(made_for, int) and made_for != basar:
        problems.error(file, "prognosunderlag_basar",
                       f"prognosunderlaget är gjort för basåret {made_for}, men regionens basår är {basar} "
                       f"({region_file}: basar); använd ett prognosunderlag för {basar} (--riket KATALOG)")
        return False
    return True


# --- the region's investment categories ---------------------------------------------------

CATEGORY_FAMILY = "investeringskategori"


@dataclass(frozen=True)
class Category:
    id: str
    etikett: str
    balanspost: str


def _quiet_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def read_categories(directory: Path, problems: Problems) -> tuple[Category, ...] | None:
    """The ``kategorier:`` list at the top of the region's investeringar.yaml (None: not given)."""
    path = directory / "investeringar.yaml"
    data = _quiet_yaml(path) if path.is_file() else None
    raw = data.get("kategorier") if isinstance(data, dict) else None
    if raw is None:
        return None
    return parse_categories(raw, path, problems)


def parse_categories(raw: Any, path: str | Path, problems: Problems) -> tuple[Category, ...]:
    """A ``kategorier`` list as written (YAML, or the assumption workbook's table), checked."""
    import re

    from flerarsprognos.model.statements import BALANCE_INPUT_POSTS

    if not isinstance(raw, list) or not raw:
        problems.error(path, "kategorier", "ska vara en lista med id, etikett och balanspost")
        return ()
    out: list[Category] = []
    for i, item in enumerate(raw):
        where = f"kategorier[{i + 1}]"
        if not isinstance(item, dict) or set(item) != {"id", "etikett", "balanspost"}:
            problems.error(path, where, "ska ha exakt id, etikett och balanspost")
            continue
        cid, post = str(item["id"]), str(item["balanspost"])
        if not re.fullmatch(r"[a-z][a-z0-9_]*", cid):
            problems.error(path, f"{where}.id", f"'{cid}': bara små bokstäver a–z, siffror och _")
        elif cid in {c.id for c in out}:
            problems.error(path, f"{where}.id", f"'{cid}' finns redan")
        elif post not in BALANCE_INPUT_POSTS:
            problems.error(path, f"{where}.balanspost", f"'{post}' (välj en av {', '.join(BALANCE_INPUT_POSTS)})")
        else:
            out.append(Category(cid, str(item["etikett"]), post))
    return tuple(out)


def specs_for(categories: tuple[Category, ...] | None) -> dict:
    """The key catalogue with the region's investment categories in place of the catalogue's."""
    from flerarsprognos.io.schema import _read_rows

    if categories is None:
        return SPECS
    rows = [r for r in _read_rows() if r.per == CATEGORY_FAMILY]
    default = {r.spec(c.id, c.etikett).name for r in rows for c in default_categories()}
    out = {k: v for k, v in SPECS.items() if k not in default}
    for c in categories:
        for r in rows:
            spec = r.spec(c.id, c.etikett)
            out[spec.name] = spec
    return out


def default_categories() -> tuple[Category, ...]:
    """The statements catalogue's categories: used when investeringar.yaml names none."""
    from flerarsprognos.model.statements import INVESTMENT_CATEGORY_LIST

    return tuple(Category(c.id, c.etikett, c.balanspost) for c in INVESTMENT_CATEGORY_LIST)


# --- demographic cost pressure (demografi.csv) ----------------------------------------------

DEMOGRAPHY_FILE = "demografi.csv"


def add_demography(raw: Raw, directory: Path, planslut: int | None, basar: int | None,
                   problems: Problems) -> None:
    """``demografi.csv`` in the region directory: cost per invånare by age group × the population
    forecast by age group. It gives ``invanare`` (the sum of the groups, so the same population
    feeds the skatteunderlag and the per-invånare utjämning) and ``volymokning`` after the plan
    (the growth of Σ kostnad × invånare; in the plan years the volume is in the plan's amounts)."""
    path = directory / DEMOGRAPHY_FILE
    if not path.is_file() or planslut is None or basar is None:
        return
    for key, home in (("invanare", "region.yaml"), ("volymokning", "kostnader.yaml")):
        if key in raw:
            problems.error(raw[key][0], key, f"anges också av {DEMOGRAPHY_FILE}; ta bort nyckeln ur {home}")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fixed = {"aldersgrupp", "kostnad_kr_per_invanare", "kalla"}
    years = sorted(int(c) for c in (rows[0].keys() if rows else []) if c not in fixed and c.isdigit())
    if not rows or not fixed <= set(rows[0]) or not years:
        problems.error(path, None, "ska ha kolumnerna aldersgrupp, kostnad_kr_per_invanare, kalla och ett år per kolumn")
        return
    pop: dict[int, float] = {y: 0.0 for y in years}
    cost: dict[int, float] = {y: 0.0 for y in years}
    for row in rows:
        group = row["aldersgrupp"]
        try:
            c = float(row["kostnad_kr_per_invanare"])
            n = {y: float(row[str(y)]) for y in years}
        except (TypeError, ValueError):
            problems.error(path, group, "kostnad och invånare ska vara tal (decimalpunkt)")
            continue
        if c < 0 or any(x < 0 for x in n.values()):
            problems.error(path, group, "kostnad och invånare kan inte vara negativa")
            continue
        for y in years:
            pop[y] += n[y]
            cost[y] += c * n[y]
    sources = "; ".join(dict.fromkeys(r["kalla"].strip() for r in rows if r.get("kalla")))
    volume = {y: 100.0 * (cost[y] / cost[y - 1] - 1.0) if y > planslut else 0.0
              for y in years if y - 1 in cost and cost[y - 1] > 0}
    if basar not in volume:
        volume[basar] = 0.0
    raw["invanare"] = (str(path), {"enhet": "antal", "varden": {y: round(pop[y]) for y in years},
                                   "kalla": f"Summan av åldersgrupperna i {DEMOGRAPHY_FILE} ({sources})."})
    raw["volymokning"] = (str(path), {
        "enhet": "procent", "varden": dict(sorted(volume.items())),
        "kalla": f"härlett: demografiskt kostnadstryck ur {DEMOGRAPHY_FILE}, förändringen av Σ kostnad per "
                 f"invånare × invånare per åldersgrupp efter planen (planåren: i planens belopp) ({sources})."})
