"""Nämnd ramar (nettokostnadsramar, docs/utfall.md, `allocate`): data, build-up and checks.

A ramar file (YAML, documented in ``docs/utfall.md``) holds each nämnd's ram for a year,
either as a figure or built from the previous year's ram:

    ram = föregående ram + generell uppräkning + tillskott + satsningar − effektivisering
          ± budgetväxlingar

with each change given in mnkr/tkr, as a percent of the previous ram, or (generell uppräkning)
from an LPIK-like index of the wage and price assumptions: ``w · löneökning + (1 − w) · KPI``.
A nämnd's ram may carry its financing (beräknade nettokostnader − effektivisering − riktade
statsbidrag) and its split per område; every stated total is recomputed and each one that
does not add up is a finding. If the file covers the whole region, the ramar must sum to the
plan's verksamhetens nettokostnader for the year; if they do not, that is an error stating
the difference in mnkr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flerarsprognos.io.yamlfile import as_number, read_yaml
from flerarsprognos.problems import Problems

UNITS = {"tkr": 0.001, "mnkr": 1.0}
STEP_KINDS = ("generell_upprakning", "tillskott", "satsning", "effektivisering", "budgetvaxling", "ovrigt")
FINANCING_KINDS = ("beraknade_nettokostnader", "effektivisering", "riktade_statsbidrag", "ovrigt")
FILE_KEYS = {"titel", "kalla", "enhet", "ar", "fran_ar", "hela_regionen", "angiven_summa", "generell_upprakning",
             "namnder", "anteckning"}
NAMND_KEYS = {"namnd", "ram", "foregaende_ram", "forandringar", "angivet", "finansiering", "angiven_budget",
              "omraden", "anteckning", "kalla"}
STEP_KEYS = {"typ", "benamning", "belopp", "procent", "index", "lonevikt", "angivet_belopp", "anteckning", "kalla"}
KIND_LABELS = {
    "generell_upprakning": "Generell uppräkning",
    "tillskott": "Tillskott",
    "satsning": "Satsning",
    "effektivisering": "Effektivisering",
    "budgetvaxling": "Budgetväxlingar",
    "ovrigt": "Övrigt",
    "beraknade_nettokostnader": "Beräknade nettokostnader",
    "riktade_statsbidrag": "Riktade statsbidrag",
}


@dataclass
class Forandring:
    kind: str
    label: str
    amount: float  # mnkr, signed: what it adds to the ram
    how: str  # "angivet", "1,0 % av 9 909", "index 2,77 % (löneökning 3,4 %, KPI 2,0 %, lönevikt 55 %)"


@dataclass
class Ram:
    namnd: str
    ram: float
    previous: float | None = None
    forandringar: list[Forandring] = field(default_factory=list)
    financing: list[Forandring] = field(default_factory=list)
    omraden: pd.DataFrame | None = None

    @property
    def before_transfers(self) -> float | None:
        if self.previous is None:
            return None
        return self.previous + sum(s.amount for s in self.forandringar if s.kind != "budgetvaxling")

    @property
    def financed(self) -> float | None:
        return sum(s.amount for s in self.financing) if self.financing else None


@dataclass
class Allocation:
    path: Path
    title: str
    year: int
    unit: str
    ramar: list[Ram]
    findings: list[str]
    whole_region: bool
    plan_nettokostnad: float | None = None
    precision: float = 1.0  # the rounding step of the file's figures, in mnkr

    @property
    def total(self) -> float:
        return sum(f.ram for f in self.ramar)


def _amount(raw: Any, scale: float, file: str, key: str, problems: Problems) -> float | None:
    from flerarsprognos.io.utfallsfil import MAX_AMOUNT_MNKR

    x, why = as_number(raw)
    if why:
        problems.error(file, key, why)
        return None
    if abs(x * scale) > MAX_AMOUNT_MNKR:
        problems.error(file, key, f"beloppet {x:g} är orimligt stort (över {MAX_AMOUNT_MNKR:,.0f} mnkr); fel enhet "
                                  "eller ett skrivfel?".replace(",", " "))
        return None
    return x * scale


def _rounding_step(values: list[float]) -> float:
    """The coarsest rounding step (at most 1 in the file's unit) every given figure is a multiple of."""
    for k in range(0, 7):
        precision = 10.0 ** (-k)
        if all(abs(v / precision - round(v / precision)) < 1e-6 for v in values):
            return precision
    return 1e-6


@dataclass
class _Ctx:
    """What every nämnd's ram of one file is read with."""

    file: str
    scale: float
    precision: float
    year: int
    assumptions_dir: Path | None
    problems: Problems
    findings: list[str]
    default_general: Any = None
    macro: Any = None  # the assumptions' wage and price paths, loaded once when an index needs them


def read_ramfil(path: Path | str, assumptions_dir: Path | None = None, problems: Problems | None = None,
                check_plan: bool = True) -> Allocation:
    """Read a ramar file, build every ram, check stated totals (findings) and the plan sum (error)."""
    path = Path(path)
    file = str(path)
    own = problems if problems is not None else Problems()
    data = _read_file(path, own)
    unit, year, whole, namnder = _file_settings(data, file, own)
    scale = UNITS[unit]
    ctx = _Ctx(file=file, scale=scale, precision=_file_precision(namnder, scale), year=year, assumptions_dir=assumptions_dir,
               problems=own, findings=[], default_general=data.get("generell_upprakning"))
    ramar: list[Ram] = []
    seen: dict[str, int] = {}
    for i, n in enumerate(namnder):
        frame = _read_namnd(ctx, i, n, seen)
        if frame is not None:
            ramar.append(frame)
    alloc = Allocation(path=path, title=str(data.get("titel", path.stem)), year=year, unit=unit, ramar=ramar,
                       findings=ctx.findings, whole_region=whole, precision=ctx.precision)
    if "angiven_summa" in data:
        stated = _amount(data["angiven_summa"], scale, file, "angiven_summa", own)
        if stated is not None and abs(alloc.total - stated) > _tol(ctx.precision, len(ramar)):
            ctx.findings.append(f"{file}: angiven_summa: ramarna summerar till {_mnkr(alloc.total)} mnkr men summan "
                                f"anges till {_mnkr(stated)} mnkr")
    own.raise_if_errors()
    if whole and check_plan:
        _check_plan_sum(alloc, assumptions_dir, own)
    return alloc


def _read_file(path: Path, problems: Problems) -> dict:
    """The file as a table (every problem raised at once)."""
    file = str(path)
    if not path.is_file():
        problems.error(file, None, "filen finns inte")
        problems.raise_if_errors()
    data = read_yaml(path, problems)
    if data is None:
        if not problems.errors:
            problems.error(file, None, "filen är tom")
        problems.raise_if_errors()
    if not isinstance(data, dict):
        problems.error(file, None, "filen ska vara en tabell med titel, enhet, ar och namnder")
        problems.raise_if_errors()
    for k in data:
        if k not in FILE_KEYS:
            problems.error(file, str(k), f"okänd nyckel (tillåtna: {', '.join(sorted(FILE_KEYS))})")
    return data


def _file_settings(data: dict, file: str, problems: Problems) -> tuple[str, int, bool, list]:
    """Unit, year, whether the file covers the whole region, and the list of nämnder."""
    unit = data.get("enhet")
    if unit not in UNITS:
        problems.error(file, "enhet", f"enheten '{unit}' ska vara tkr eller mnkr")
        unit = "mnkr"
    year = data.get("ar")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        problems.error(file, "ar", f"'{year}' är inget årtal (ett heltal som 2026)")
        year = 0
    whole = data.get("hela_regionen", False)
    if not isinstance(whole, bool):
        problems.error(file, "hela_regionen", "ska vara true eller false")
        whole = False
    namnder = data.get("namnder")
    if not isinstance(namnder, list) or not namnder:
        problems.error(file, "namnder", "saknas eller är ingen lista")
        problems.raise_if_errors()
    return unit, year, whole, namnder


def _file_precision(namnder: list, scale: float) -> float:
    """The figures' rounding step: how far a stated total may be from its parts."""
    given: list[float] = []
    for n in namnder:
        if isinstance(n, dict):
            for k in ("ram", "foregaende_ram"):
                x, why = as_number(n.get(k)) if k in n else (None, "x")
                if not why:
                    given.append(abs(x))
    return _rounding_step(given) * scale if given else scale


def _read_namnd(ctx: _Ctx, i: int, n: Any, seen: dict[str, int]) -> Ram | None:
    """One nämnd: a stated ram, or the previous ram built up change by change (with its checks)."""
    file, own = ctx.file, ctx.problems
    where = f"namnder[{i}]"
    if not isinstance(n, dict) or not isinstance(n.get("namnd"), str):
        own.error(file, where, "ska vara en tabell med namnd och ram eller foregaende_ram")
        return None
    name = n["namnd"]
    where = f"namnder[{i}] ({name})"
    for k in n:
        if k not in NAMND_KEYS:
            own.error(file, f"{where}.{k}", f"okänd nyckel (tillåtna: {', '.join(sorted(NAMND_KEYS))})")
    if name in seen:
        own.error(file, where, f"nämnden finns redan (namnder[{seen[name]}])")
        return None
    seen[name] = i
    if "ram" in n and "foregaende_ram" in n:
        own.error(file, where, "ange antingen ram eller foregaende_ram med forandringar, inte båda")
        return None
    if "ram" in n:
        ram = _amount(n["ram"], ctx.scale, file, f"{where}.ram", own)
        return Ram(namnd=name, ram=ram) if ram is not None else None
    if "foregaende_ram" not in n:
        own.error(file, where, "ram eller foregaende_ram saknas")
        return None
    previous = _amount(n["foregaende_ram"], ctx.scale, file, f"{where}.foregaende_ram", own)
    if previous is None:
        return None
    frame = _build_up(ctx, n, where, name, previous)
    _check_stated(n, frame, ctx.scale, ctx.precision, file, where, ctx.findings, own)
    if "omraden" in n:
        frame.omraden = _omraden(n["omraden"], frame, ctx.scale, ctx.precision, file, f"{where}.omraden", ctx.findings, own)
    return frame


def _build_up(ctx: _Ctx, n: dict, where: str, name: str, previous: float) -> Ram:
    raw_changes = n.get("forandringar") or []
    if not isinstance(raw_changes, list):
        ctx.problems.error(ctx.file, f"{where}.forandringar", "ska vara en lista av förändringar")
        raw_changes = []
    if ctx.default_general is not None and not any(isinstance(s, dict) and s.get("typ") == "generell_upprakning"
                                                   for s in raw_changes):
        raw_changes = [{"typ": "generell_upprakning", **ctx.default_general}] + list(raw_changes)
    forandringar = []
    for j, s in enumerate(raw_changes):
        st, ctx.macro = _forandring(s, STEP_KINDS, previous, ctx.scale, ctx.precision, ctx.year, ctx.assumptions_dir, ctx.macro,
                              ctx.file, f"{where}.forandringar[{j}]", ctx.problems)
        if st is not None:
            forandringar.append(st)
    frame = Ram(namnd=name, ram=previous + sum(s.amount for s in forandringar), previous=previous, forandringar=forandringar)
    base_fin = None
    financing = n.get("finansiering") or []
    if not isinstance(financing, list):
        ctx.problems.error(ctx.file, f"{where}.finansiering", "ska vara en lista")
        financing = []
    for j, s in enumerate(financing):
        st, ctx.macro = _forandring(s, FINANCING_KINDS, base_fin if base_fin is not None else previous, ctx.scale, ctx.precision,
                              ctx.year, ctx.assumptions_dir, ctx.macro, ctx.file, f"{where}.finansiering[{j}]",
                              ctx.problems)
        if st is not None:
            frame.financing.append(st)
            if st.kind == "beraknade_nettokostnader":
                base_fin = st.amount
    return frame


def _check_plan_sum(alloc: Allocation, assumptions_dir: Path | None, problems: Problems) -> None:
    """A file for the whole region must sum to the plan's verksamhetens nettokostnader (an error)."""
    file, year = str(alloc.path), alloc.year
    alloc.plan_nettokostnad = _plan_nettokostnad(assumptions_dir, year, file, problems)
    problems.raise_if_errors()
    diff = alloc.total - alloc.plan_nettokostnad
    if abs(diff) > _tol(alloc.precision, len(alloc.ramar)):
        problems.error(file, "namnder",
                       f"ramarna summerar till {_mnkr(alloc.total, 1)} mnkr men planens verksamhetens "
                       f"nettokostnader {year} är {_mnkr(alloc.plan_nettokostnad, 1)} mnkr: skillnad "
                       f"{_mnkr(diff, 1)} mnkr ({'mer' if diff > 0 else 'mindre'} än planen)", year)
        problems.raise_if_errors()


def _tol(precision: float, n: int) -> float:
    return (n + 1) * precision / 2 + 1e-9


def _mnkr(x: float, d: int = 0) -> str:
    from flerarsprognos.output.fmt import mnkr

    return mnkr(x, d).replace("\u00a0", " ")


def _forandring(s: Any, kinds: tuple[str, ...], base: float, scale: float, precision: float, year: int,
          assumptions_dir: Path | None, macro, file: str, where: str, problems: Problems):
    if not isinstance(s, dict):
        problems.error(file, where, "ska vara en tabell med typ och belopp, procent eller index")
        return None, macro
    for k in s:
        if k not in STEP_KEYS:
            problems.error(file, f"{where}.{k}", f"okänd nyckel (tillåtna: {', '.join(sorted(STEP_KEYS))})")
    kind = s.get("typ")
    if kind not in kinds:
        problems.error(file, f"{where}.typ", f"'{kind}' är ingen typ här (välj {', '.join(kinds)})")
        return None, macro
    label = str(s.get("benamning", KIND_LABELS[kind]))
    ways = [k for k in ("belopp", "procent", "index") if k in s]
    if len(ways) != 1:
        problems.error(file, where, "ange precis en av belopp, procent och index")
        return None, macro
    way = ways[0]
    sign = -1.0 if kind == "effektivisering" else 1.0
    if way == "belopp":
        amount = _amount(s["belopp"], scale, file, f"{where}.belopp", problems)
        if amount is None:
            return None, macro
        if kind == "effektivisering" and amount > 0:
            problems.error(file, f"{where}.belopp", "effektivisering minskar ramen: ange ett negativt belopp "
                                                    "(eller procent)")
            return None, macro
        how = "angivet"
    elif way == "procent":
        pct, why = as_number(s["procent"])
        if why:
            problems.error(file, f"{where}.procent", why)
            return None, macro
        amount = round(sign * pct / 100 * base / precision) * precision
        how = f"{_mnkr(pct, 1)} % av {_mnkr(base)}"
    else:
        if kind != "generell_upprakning" or s["index"] != "lpik":
            problems.error(file, f"{where}.index", "index: lpik gäller bara generell_upprakning")
            return None, macro
        if macro is None:
            macro = _macro(assumptions_dir, file, problems)
            if macro is None:
                return None, macro
        if year not in macro["years"]:
            problems.error(file, f"{where}.index", f"antagandena har inget år {year}", year)
            return None, macro
        w = s.get("lonevikt", macro["personalkostnadsandel"])
        w, why = as_number(w)
        if why or not 0 <= w <= 1:
            problems.error(file, f"{where}.lonevikt", "ska vara en andel mellan 0 och 1")
            return None, macro
        i = macro["years"].index(year)
        lon, kpi = macro["loneokning"][i], macro["kpi"][i]
        rate = lpik(lon, kpi, w)
        amount = round(rate * base / precision) * precision
        how = (f"index {_mnkr(100 * rate, 2)} % (löneökning {_mnkr(100 * lon, 1)} %, KPI {_mnkr(100 * kpi, 1)} %, "
               f"lönevikt {_mnkr(100 * w)} %) av {_mnkr(base)}")
    st = Forandring(kind, label, amount, how)
    if "angivet_belopp" in s:
        stated = _amount(s["angivet_belopp"], scale, file, f"{where}.angivet_belopp", problems)
        if stated is not None and abs(stated - amount) > precision / 2 + 1e-9:
            problems.warn(file, where, f"{label}: beräknat {_mnkr(amount, 1)} mnkr ({how}) men angivet "
                                       f"{_mnkr(stated, 1)} mnkr")
    return st, macro


def lpik(loneokning: float, kpi: float, lonevikt: float) -> float:
    """The LPIK-like index of one year, by the model's own cost index (model.nettokostnader)."""
    from flerarsprognos.model.nettokostnader import cost_index_growth

    return float(cost_index_growth(np.array([loneokning]), np.array([kpi]), lonevikt)[0])


def _macro(assumptions_dir: Path | None, file: str, problems: Problems):
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir

    aset = load_assumptions(assumptions_dir or default_assumptions_dir(), problems)
    return {"years": [int(y) for y in aset.years], "loneokning": list(aset["loneokning"]), "kpi": list(aset["kpi"]),
            "personalkostnadsandel": float(aset["personalkostnadsandel"])}


def _plan_nettokostnad(assumptions_dir: Path | None, year: int, file: str, problems: Problems) -> float | None:
    from flerarsprognos.runner import run

    r = run(assumptions_dir, [])
    years = [int(y) for y in r.result["year"].values]
    if year not in years:
        problems.error(file, "ar", f"planen har inget år {year} (horisont {years[0]}–{years[-1]})", year)
        return None
    return -float(r.result["resultatrakning"].sel(scenario="bas", rr_post="verksamhetens_nettokostnader", year=year))


def _check_stated(n: dict, frame: Ram, scale: float, precision: float, file: str, where: str,
                  findings: list[str], problems: Problems) -> None:
    stated = n.get("angivet") or {}
    if not isinstance(stated, dict):
        problems.error(file, f"{where}.angivet", "ska vara en tabell (ram_fore_budgetvaxlingar, ram)")
        return
    checks = {"ram_fore_budgetvaxlingar": frame.before_transfers, "ram": frame.ram}
    for key, raw in stated.items():
        if key not in checks:
            problems.error(file, f"{where}.angivet.{key}", "okänd nyckel (tillåtna: ram_fore_budgetvaxlingar, ram)")
            continue
        x = _amount(raw, scale, file, f"{where}.angivet.{key}", problems)
        if x is not None and checks[key] is not None and abs(x - checks[key]) > _tol(precision, len(frame.forandringar) + 1):
            findings.append(f"{file}: {where}.angivet.{key}: beräknat {_mnkr(checks[key], 1)} mnkr, "
                            f"angivet {_mnkr(x, 1)} mnkr")
    if "angiven_budget" in n:
        x = _amount(n["angiven_budget"], scale, file, f"{where}.angiven_budget", problems)
        fin = frame.financed
        if x is not None and fin is not None and abs(x - fin) > _tol(precision, len(frame.financing)):
            findings.append(f"{file}: {where}.angiven_budget: finansieringen summerar till {_mnkr(fin, 1)} mnkr, "
                            f"angivet {_mnkr(x, 1)} mnkr")
    if frame.financed is not None and abs(frame.financed - frame.ram) > _tol(precision, len(frame.financing)):
        findings.append(f"{file}: {where}.finansiering: finansieringen {_mnkr(frame.financed, 1)} mnkr täcker inte "
                        f"ramen {_mnkr(frame.ram, 1)} mnkr (skillnad {_mnkr(frame.financed - frame.ram, 1)} mnkr)")


def _omraden(raw: Any, frame: Ram, scale: float, precision: float, file: str, where: str,
             findings: list[str], problems: Problems) -> pd.DataFrame | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("lista"), list):
        problems.error(file, where, "ska vara en tabell med lista (och avdrag, angiven_summa, angiven_netto)")
        return None
    records = []
    for j, o in enumerate(raw["lista"]):
        w = f"{where}.lista[{j}]"
        if not isinstance(o, dict) or "omrade" not in o or "ram" not in o:
            problems.error(file, w, "ska ha omrade och ram (och foregaende_ram, angiven_forandring)")
            continue
        ram = _amount(o["ram"], scale, file, f"{w}.ram", problems)
        prev = _amount(o["foregaende_ram"], scale, file, f"{w}.foregaende_ram", problems) if "foregaende_ram" in o else None
        if ram is None:
            continue
        change = None if prev is None else ram - prev
        if "angiven_forandring" in o and change is not None:
            stated = _amount(o["angiven_forandring"], scale, file, f"{w}.angiven_forandring", problems)
            if stated is not None and abs(stated - change) > 1.5 * precision + 1e-9:
                findings.append(f"{file}: {w}: {o['omrade']}: förändringen anges till {_mnkr(stated, 1)} mnkr men "
                                f"ramarna ger {_mnkr(change, 1)} mnkr")
        records.append({"omrade": str(o["omrade"]), "foregaende_ram": prev, "ram": ram, "forandring": change})
    df = pd.DataFrame(records, columns=["omrade", "foregaende_ram", "ram", "forandring"])
    n = len(df)
    total = float(df["ram"].sum())
    if frame.previous is not None and df["foregaende_ram"].notna().all() and n:
        prev_total = float(df["foregaende_ram"].sum())
        if abs(prev_total - frame.previous) > _tol(precision, n):
            findings.append(f"{file}: {where}: områdenas föregående ramar summerar till {_mnkr(prev_total, 1)} mnkr "
                            f"men nämndens föregående ram är {_mnkr(frame.previous, 1)} mnkr")
    if "angiven_summa" in raw:
        stated = _amount(raw["angiven_summa"], scale, file, f"{where}.angiven_summa", problems)
        if stated is not None and abs(stated - total) > _tol(precision, n):
            findings.append(f"{file}: {where}.angiven_summa: områdena summerar till {_mnkr(total, 1)} mnkr, "
                            f"angivet {_mnkr(stated, 1)} mnkr")
    deduction = 0.0
    if "avdrag" in raw:
        d = raw["avdrag"]
        x = _amount(d.get("belopp") if isinstance(d, dict) else None, scale, file, f"{where}.avdrag.belopp", problems)
        if x is not None:
            deduction = x
            df = pd.concat([df, pd.DataFrame([{"omrade": str(d.get("benamning", "Avdrag")), "foregaende_ram": None,
                                               "ram": x, "forandring": None}])], ignore_index=True)
    netto = total + deduction
    if "angiven_netto" in raw:
        stated = _amount(raw["angiven_netto"], scale, file, f"{where}.angiven_netto", problems)
        if stated is not None and abs(stated - netto) > _tol(precision, n + 1):
            findings.append(f"{file}: {where}.angiven_netto: områdena netto {_mnkr(netto, 1)} mnkr, angivet "
                            f"{_mnkr(stated, 1)} mnkr")
    if abs(netto - frame.ram) > _tol(precision, n + 1):
        findings.append(f"{file}: {where}: områdena netto {_mnkr(netto, 1)} mnkr är inte nämndens ram "
                        f"{_mnkr(frame.ram, 1)} mnkr (skillnad {_mnkr(netto - frame.ram, 1)} mnkr)")
    return df


# ----------------------------------------------------------------------------------------
# Tables and the waterfall
# ----------------------------------------------------------------------------------------

def ramar_frame(alloc: Allocation) -> pd.DataFrame:
    rows = [{"namnd": f.namnd, "ar": alloc.year, "foregaende_ram": f.previous, "ram": f.ram,
             "forandring": None if f.previous is None else f.ram - f.previous} for f in alloc.ramar]
    rows.append({"namnd": "Summa", "ar": alloc.year, "foregaende_ram": None, "ram": alloc.total, "forandring": None})
    if alloc.plan_nettokostnad is not None:
        rows.append({"namnd": "Planens verksamhetens nettokostnader", "ar": alloc.year, "foregaende_ram": None,
                     "ram": alloc.plan_nettokostnad, "forandring": None})
    return pd.DataFrame(rows, columns=["namnd", "ar", "foregaende_ram", "ram", "forandring"])


def buildup_frame(frame: Ram, year: int) -> pd.DataFrame:
    """The build-up as the årsplan shows it: previous ram, forandringar, ram, budgetväxlingar, new ram."""
    if frame.previous is None:
        return pd.DataFrame(columns=["namnd", "steg", "typ", "benamning", "belopp", "kumulativt", "berakning"])
    rows = [("summa", f"Ram {year - 1}", frame.previous, frame.previous, "")]
    level = frame.previous
    for s in (s for s in frame.forandringar if s.kind != "budgetvaxling"):
        level += s.amount
        rows.append((s.kind, s.label, s.amount, level, s.how))
    rows.append(("summa", f"Ram {year}", level, level, ""))
    transfers = [s for s in frame.forandringar if s.kind == "budgetvaxling"]
    for s in transfers:
        level += s.amount
        rows.append((s.kind, s.label, s.amount, level, s.how))
    if transfers:
        rows.append(("summa", f"Ny ram {year}", level, level, ""))
    if frame.financing:
        fin = 0.0
        for s in frame.financing:
            fin += s.amount
            rows.append((f"finansiering_{s.kind}", s.label, s.amount, fin, s.how))
        rows.append(("summa", f"Budget {year}", fin, fin, ""))
    return pd.DataFrame([{"namnd": frame.namnd, "steg": i + 1, "typ": t, "benamning": b, "belopp": a,
                          "kumulativt": c, "berakning": h} for i, (t, b, a, c, h) in enumerate(rows)],
                        columns=["namnd", "steg", "typ", "benamning", "belopp", "kumulativt", "berakning"])


def waterfall(frame: Ram, year: int):
    """The build-up from last year's ram to this year's as a waterfall (a matplotlib Figure)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from flerarsprognos.output.fmt import mnkr

    df = buildup_frame(frame, year)
    df = df[~df["typ"].str.startswith("finansiering")]
    # the closing "Budget" of the financing is not part of the ram's waterfall
    df = df[~df["benamning"].str.startswith("Budget ")]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(df)), 4.5))
    for i, rec in enumerate(df.itertuples(index=False)):
        if rec.typ == "summa":
            bottom, height, colour = 0.0, rec.kumulativt, "#1f4e79"
        else:
            bottom = rec.kumulativt - rec.belopp if rec.belopp >= 0 else rec.kumulativt
            height, colour = abs(rec.belopp), ("#2e7d32" if rec.belopp >= 0 else "#c62828")
        ax.bar(i, height, bottom=bottom, color=colour, width=0.7)
        label = mnkr(rec.belopp) if rec.typ == "summa" else f"{'+' if rec.belopp >= 0 else ''}{mnkr(rec.belopp)}"
        ax.text(i, bottom + height, label, ha="center", va="bottom", fontsize=8)
    totals = df[df["typ"] == "summa"]["kumulativt"]
    low = min(totals.min(), df["kumulativt"].min())
    high = df["kumulativt"].max()
    pad = max((high - low) * 0.6, 1.0)
    ax.set_ylim(low - pad, high + pad * 0.5)
    ax.set_xticks(range(len(df)))
    ax.set_xticklabels([str(b) for b in df["benamning"]], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("mnkr (axeln börjar inte vid noll)")
    ax.set_title(f"{frame.namnd}: ram {year - 1} → {year}")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: mnkr(v)))
    fig.tight_layout()
    return fig


def next_year(alloc: Allocation, lonevikt: float | None = None) -> dict:
    """Next year's ramar file, ready to edit: each ram of this file as the previous ram, raised by
    the generell uppräkning from the LPIK-like index of the assumptions; tillskott, satsningar,
    effektivisering and budgetväxlingar are left for the user to add."""
    scale = UNITS[alloc.unit]
    general: dict[str, Any] = {"index": "lpik"}
    if lonevikt is not None:
        general["lonevikt"] = lonevikt
    namnder = []
    for f in alloc.ramar:
        v = f.ram / scale
        namnder.append({"namnd": f.namnd, "foregaende_ram": int(round(v)) if abs(v - round(v)) < 1e-9 else round(v, 3),
                        "forandringar": []})
    return {
        "titel": f"Nettokostnadsramar {alloc.year + 1} (utkast)",
        "kalla": f"Uppräknat från {alloc.path.name} ({alloc.title}) med generell uppräkning enligt index; "
                 "lägg till tillskott, satsningar, effektivisering och budgetväxlingar.",
        "enhet": alloc.unit,
        "ar": alloc.year + 1,
        "hela_regionen": alloc.whole_region,
        "generell_upprakning": general,
        "namnder": namnder,
    }
