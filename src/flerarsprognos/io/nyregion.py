"""A new region's assumption directory from a short set of published figures (``flerarsprognos init``).

The answers file (``underlag.yaml``, format in docs/regioner.md) gives the region, its länskod,
the horizon and a few figures, each with its source: skattesats, invånare, the resultaträkning
lines of the plan years (at least skatteintäkter, generella statsbidrag och utjämning and
verksamhetens nettokostnader for one year), and optionally balansräkning totals, pension
liabilities and RUR. The national values come from the national set; everything else is
derived, and each derived value's ``kalla`` begins with ``härlett:`` and names its method:

- from the figures themselves (the plan lines' split, the skatteunderlag that gives the stated
  skatteintäkter, the regleringsbidrag as the rest of the stated generella statsbidrag, …),
  by running the model on the draft set and solving for the value;
- or the standard region's value (Region Värmland's plan 2023), amounts scaled by the ratio of
  invånare (or of the stated balansräkning/pension totals), years moved to the new base year.

Nothing is written unless the whole set loads; the result is checked as ``check`` would.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from flerarsprognos.io.assumptions import AssumptionSet, Value, from_canonical, load_assumptions
from flerarsprognos.io.layers import STANDARD, normalise_lanskod, read_region_table
from flerarsprognos.io.schema import SPECS, TOPICS
from flerarsprognos.io.yamlfile import read_yaml
from flerarsprognos.output import fmt
from flerarsprognos.problems import Problems

HARLETT = "härlett:"


def _std_name(std: AssumptionSet) -> str:
    """The standard region (the shipped default), as the estimates name it."""
    name = std.values["region_namn"].data if "region_namn" in std.values else "standardregionen"
    return f"standardregionen ({name}, basår {std.basar})"


# The figures of an answers file: name -> (per year?, required?, label)
FIGURES: dict[str, tuple[bool, bool, str]] = {
    "skattesats": (True, True, "regionens skattesats, procent"),
    "invanare": (True, True, "invånare 31 december (minst året före basåret)"),
    "verksamhetens_nettokostnader": (True, True, "verksamhetens nettokostnader, mnkr (negativt)"),
    "skatteintakter": (True, True, "skatteintäkter, mnkr"),
    "generella_statsbidrag_och_utjamning": (True, True, "generella statsbidrag och utjämning, mnkr"),
    "verksamhetens_intakter": (True, False, "verksamhetens intäkter, mnkr"),
    "avskrivningar": (True, False, "avskrivningar, mnkr (negativt)"),
    "finansiella_intakter": (True, False, "finansiella intäkter, mnkr"),
    "investeringar": (True, False, "investeringar, mnkr"),
    "arets_resultat": (True, False, "årets resultat, mnkr (bara kontroll: jämförs med modellens, ändrar inget)"),
    "eget_kapital": (False, False, "eget kapital 31 december året före basåret, mnkr"),
    "summa_tillgangar": (False, False, "summa tillgångar i basårets balansbudget, mnkr"),
    "pensionsavsattning": (False, False, "avsättning för pensioner inkl. löneskatt, året före basåret, mnkr"),
    "ansvarsforbindelse": (False, False, "ansvarsförbindelse för pensioner inkl. löneskatt, året före basåret, mnkr"),
    "rur": (False, False, "resultatutjämningsreserv året före basåret, mnkr"),
    "laneskuld": (False, False, "räntebärande lån året före basåret, mnkr"),
}
ANSWER_KEYS = {"beskrivning", "region_namn", "lanskod", "basar", "planslut", "slutar", "riket", "kalla", "siffror",
               "investeringskategorier"}
# Without ``investeringskategorier`` in the answers: two categories by balansräkning post.
DEFAULT_CATEGORIES = (
    {"id": "byggnader", "etikett": "Mark och byggnader", "balanspost": "mark_och_byggnader", "andel": 0.6,
     "avskrivningstid": 30},
    {"id": "inventarier", "etikett": "Maskiner och inventarier", "balanspost": "maskiner_och_inventarier",
     "andel": 0.4, "avskrivningstid": 7},
)


@dataclass
class Answers:
    path: Path
    region_namn: str
    lanskod: str
    basar: int
    planslut: int
    slutar: int
    riket: str
    beskrivning: str
    figures: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (value or {year: value}, kalla)
    categories: tuple[dict, ...] = DEFAULT_CATEGORIES
    categories_source: str | None = None  # None: the default split (an estimate)

    def years(self, name: str) -> dict[int, float]:
        return dict(self.figures[name][0]) if name in self.figures else {}

    def source(self, name: str) -> str:
        return self.figures[name][1]


def read_answers(path: Path, problems: Problems) -> Answers | None:
    """The answers file, every problem reported (file, key, year)."""
    data = read_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.error(path, None, "filen ska vara en tabell (se docs/regioner.md)")
        return None
    for k in data:
        if k not in ANSWER_KEYS:
            problems.error(path, str(k), f"okänd nyckel (tillåtna: {', '.join(sorted(ANSWER_KEYS))})")
    head: dict[str, Any] = {}
    for key in ("region_namn", "lanskod", "basar", "planslut", "slutar"):
        if key not in data:
            problems.error(path, key, "saknas")
    for key in ("basar", "planslut", "slutar"):
        if key in data and not (isinstance(data[key], int) and 2000 <= data[key] <= 2100):
            problems.error(path, key, f"'{data[key]}' är inget årtal")
    if all(isinstance(data.get(k), int) for k in ("basar", "planslut", "slutar")) and not (
            data["basar"] <= data["planslut"] <= data["slutar"]):
        problems.error(path, "basar/planslut/slutar", "ska gälla basar ≤ planslut ≤ slutar")
    lanskod = normalise_lanskod(data.get("lanskod", ""))
    table = read_region_table(None)
    if "lanskod" in data and lanskod not in table:
        problems.error(path, "lanskod", f"'{lanskod}' är ingen länskod (giltiga: {', '.join(table)})")
    figures = _read_figures(path, data.get("siffror"), data.get("kalla"), problems)
    categories, cat_source = _read_categories(path, data.get("investeringskategorier"), problems)
    if problems.errors:
        return None
    head = {k: data[k] for k in ("basar", "planslut", "slutar")}
    return Answers(path, str(data["region_namn"]), lanskod, riket=str(data.get("riket", STANDARD)),
                   beskrivning=str(data.get("beskrivning", data["region_namn"])).strip(),
                   figures=figures, categories=categories, categories_source=cat_source, **head)


def _read_categories(path: Path, raw: Any, problems: Problems) -> tuple[tuple[dict, ...], str | None]:
    """``investeringskategorier: {kalla: ..., lista: [{id, etikett, balanspost, andel, avskrivningstid}]}``."""
    from flerarsprognos.model.statements import BALANCE_INPUT_POSTS

    if raw is None:
        return DEFAULT_CATEGORIES, None
    items = raw.get("lista") if isinstance(raw, dict) else None
    source = raw.get("kalla") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items or not isinstance(source, str):
        problems.error(path, "investeringskategorier", "ska ha 'kalla' och 'lista' (id, etikett, balanspost, "
                                                       "andel, avskrivningstid)")
        return DEFAULT_CATEGORIES, None
    keys = {"id", "etikett", "balanspost", "andel", "avskrivningstid"}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != keys:
            problems.error(path, f"investeringskategorier.lista[{i + 1}]", f"ska ha exakt {', '.join(sorted(keys))}")
        elif item["balanspost"] not in BALANCE_INPUT_POSTS:
            problems.error(path, f"investeringskategorier.lista[{i + 1}].balanspost", f"'{item['balanspost']}' är ingen balanspost")
    if not problems.errors and abs(sum(float(i["andel"]) for i in items) - 1.0) > 1e-6:
        problems.error(path, "investeringskategorier.lista", "andelarna ska summera till 1")
    return tuple(items), " ".join(source.split())


def _read_figures(path: Path, raw: Any, default_source: Any, problems: Problems) -> dict[str, tuple[Any, str]]:
    out: dict[str, tuple[Any, str]] = {}
    if not isinstance(raw, dict):
        problems.error(path, "siffror", "saknas eller är ingen tabell (namn: {varden: {år: värde}, kalla: ...})")
        return out
    for name, entry in raw.items():
        name = str(name)
        if name not in FIGURES:
            problems.error(path, f"siffror.{name}", f"okänd siffra (kända: {', '.join(FIGURES)})")
            continue
        per_year = FIGURES[name][0]
        if not isinstance(entry, dict):
            problems.error(path, f"siffror.{name}", "ska vara en tabell med varden/varde och kalla")
            continue
        source = entry.get("kalla", default_source)
        if not isinstance(source, str) or not source.strip():
            problems.error(path, f"siffror.{name}", "källa saknas ('kalla')")
            continue
        value = entry.get("varden" if per_year else "varde")
        if per_year:
            if not isinstance(value, dict) or not value:
                problems.error(path, f"siffror.{name}", "ska ha värden per år ('varden': {år: värde})")
                continue
            bad = [y for y, x in value.items() if not isinstance(y, int) or not isinstance(x, (int, float))]
            for y in bad:
                problems.error(path, f"siffror.{name}", f"'{value[y]}' är inget tal", y if isinstance(y, int) else None)
            if bad:
                continue
            value = {int(y): float(x) for y, x in value.items()}
        elif not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.error(path, f"siffror.{name}", "ska ha ett tal ('varde')")
            continue
        out[name] = (value, " ".join(source.split()))
    for name, (per_year, required, label) in FIGURES.items():
        if required and name not in out and not any(p.key == f"siffror.{name}" for p in problems.errors):
            problems.error(path, f"siffror.{name}", f"saknas ({label})")
    return out


def check_answers(a: Answers, problems: Problems) -> None:
    """Rules between the figures and the horizon."""
    plan = range(a.basar, a.planslut + 1)
    if a.basar - 1 not in a.years("invanare"):
        problems.error(a.path, "siffror.invanare", f"invånare året före basåret ({a.basar - 1}) saknas")
    for name in ("skatteintakter", "generella_statsbidrag_och_utjamning", "verksamhetens_nettokostnader"):
        if name in a.figures and not any(y in plan for y in a.years(name)):
            problems.error(a.path, f"siffror.{name}", f"minst ett av planåren {a.basar}–{a.planslut} behövs")
    for name, (per_year, _, _) in FIGURES.items():
        if per_year and name != "invanare":
            for y in a.years(name):
                if not a.basar <= y <= a.slutar:
                    problems.error(a.path, f"siffror.{name}", f"året ligger utanför {a.basar}–{a.slutar}", y)


# --- the draft set: the standard region's values, moved and scaled -----------------------

def _clean(x: float) -> float | int:
    r = round(float(x), 3)
    return int(r) if r == int(r) and abs(r) < 1e15 else r


def _file_value(value: Value, x: float) -> float | int:
    return _clean(from_canonical(x, value.file_unit))


def _standard_entry(key: str, value: Value, a: Answers, std: AssumptionSet, scale: float) -> dict:
    """The standard region's entry for ``key``, on the new horizon."""
    spec, shift = value.spec, a.basar - std.basar
    entry: dict[str, Any] = {"enhet": value.file_unit}
    if value.method is not None:
        entry["metod"] = value.method
    origin = f"{HARLETT} {_std_name(std)}:s värde"
    if spec.coverage == "skalar":
        if spec.unit == "text":
            entry["varde"], entry["kalla"] = value.data, f"{origin}; ersätt med regionens eget beslut"
        elif spec.unit == "ar":
            entry["varde"] = int(value.data) + shift
            entry["kalla"] = f"{origin} ({int(value.data)}) flyttat {shift:+d} år till det nya basåret"
        elif spec.unit == "mnkr":
            entry["varde"] = _clean(float(value.data) * scale)
            entry["kalla"] = f"{origin} ({_clean(value.data)} mnkr) × invånarkvoten {scale:.4f}"
        else:
            entry["varde"] = _file_value(value, float(value.data))
            entry["kalla"] = f"{origin}; ersätt med regionens eget"
        return entry
    if spec.coverage in ("gles", "gles_noll", "historik"):
        entry["varden"], entry["kalla"] = {}, f"{HARLETT} inga belopp antagna (ersätt med regionens egna beslut)"
        return entry
    years = range(a.basar, (a.planslut if spec.coverage == "plan" else a.slutar) + 1)
    data = np.asarray(value.data, dtype=float)
    factor = scale if value.file_unit == "mnkr" else 1.0
    picked = {y: data[min(max(y - shift - std.basar, 0), len(data) - 1)] * factor for y in years}
    entry["varden"] = {y: _file_value(value, x) for y, x in picked.items() if not math.isnan(x)}
    how = f" × invånarkvoten {scale:.4f}" if factor != 1.0 else ""
    entry["kalla"] = f"{origin} för motsvarande år i planen (flyttat {shift:+d} år){how}"
    return entry


def _carry_uncertainty(entry: dict, value: Value, scale: float) -> dict:
    """The standard region's stated plausible error (``osakerhet``), scaled like the value."""
    if value.uncertainty and ("varde" in entry or entry.get("varden")):
        factor = scale if value.file_unit == "mnkr" else 1.0
        entry["osakerhet"] = _clean(from_canonical(value.uncertainty, value.file_unit) * factor)
    return entry


def draft_entries(a: Answers, std: AssumptionSet) -> dict[str, dict]:
    """Every region key: the standard region's value on the new horizon, then the stated figures."""
    inv = a.years("invanare")
    scale = inv[a.basar - 1] / float(std["invanare_ingaende"])
    out = {key: _carry_uncertainty(_standard_entry(key, v, a, std, scale), v, scale)
           for key, v in std.values.items() if not v.spec.national}
    out.pop("inkomstutjamning_skattesats", None)  # from lanskod
    for key in [k for k in out if SPECS[k].topic == "investeringar"]:
        del out[key]  # the region's own categories (investment_entries)
    for comp in ("kostnadsutjamning", "strukturbidrag", "tillfalliga_bidrag"):
        if comp in out:
            out[comp] = {"metod": "fast", "enhet": "mnkr", "forlangning": "senaste", "varden": {a.basar: 0},
                         "kalla": f"{HARLETT} inte känt, 0; regleringsbidraget (restposten) bär skillnaden mot "
                                  "de angivna generella statsbidragen och utjämningen. Ersätt med SKR:s prognosunderlag."}
    src = a.source
    out["region_namn"] = {"enhet": "text", "kalla": " ".join(a.beskrivning.split()), "varde": a.region_namn}
    out["lanskod"] = {"enhet": "text", "kalla": "SCB, länskoder (Sveriges regionala indelning).", "varde": a.lanskod}
    for key in ("basar", "planslut", "slutar"):
        out[key] = {"enhet": "ar", "kalla": f"Valt i underlaget till init ({a.path.name}).", "varde": getattr(a, key)}
    out["invanare_ingaende"] = {"enhet": "antal", "kalla": src("invanare"), "varde": _clean(inv[a.basar - 1])}
    out["invanare"] = _invanare_entry(a)
    rates = a.years("skattesats")
    first = min(rates)
    given = {y: x for y, x in rates.items() if y >= a.basar} or {first: rates[first]}
    start = {a.basar: given[min(given)]} if min(given) > a.basar else {}
    out["skattesats"] = {"enhet": "procent", "forlangning": "senaste", "varden": {**start, **given},
                         "kalla": src("skattesats") + (f" {HARLETT} åren före {min(given)} antagna oförändrade."
                                                      if start else " Oförändrad efter sista angivna året.")}
    out["pensionsmedel_insattning_andel"] = {"enhet": "procent", "varde": 0,
                                             "kalla": f"{HARLETT} ingen pensionsmedelsförvaltning antagen"}
    for name, key in (("eget_kapital", "eget_kapital_ingaende"), ("rur", "rur_ingaende"),
                      ("laneskuld", "laneskuld_ingaende")):
        if name in a.figures:
            out[key] = {"enhet": "mnkr", "kalla": src(name), "varde": _clean(a.figures[name][0])}
    if "finansiella_intakter" in a.figures:
        out["finansiella_intakter"] = {"enhet": "mnkr", "forlangning": "senaste", "kalla": src("finansiella_intakter"),
                                       "varden": _at_least_base(a, a.years("finansiella_intakter"))}
    _pension_entries(out, a, std)
    _balance_entries(out, a, std, scale)
    return out


def _at_least_base(a: Answers, given: dict[int, float]) -> dict[int, float]:
    """Given years, with the first given value carried back to the base year."""
    first = min(given)
    return {**{y: _clean(given[first]) for y in range(a.basar, first)}, **{y: _clean(x) for y, x in given.items()}}


def _invanare_entry(a: Answers) -> dict:
    inv = a.years("invanare")
    known = sorted(inv)
    last = known[-1]
    growth = (inv[last] / inv[known[-2]]) ** (1 / (last - known[-2])) - 1 if len(known) > 1 else 0.0
    values = {y: _clean(inv[y]) if y in inv else _clean(inv[last] * (1 + growth) ** (y - last))
              for y in range(a.basar, a.slutar + 1)}
    note = (f" {HARLETT} åren efter {last} framskrivna med den senaste kända förändringen "
            f"({fmt.mnkr(100 * growth, 2)} % per år)" if last < a.slutar else "")
    return {"enhet": "antal", "kalla": a.source("invanare") + note, "varden": values}


def _pension_entries(out: dict, a: Answers, std: AssumptionSet) -> None:
    tau = float(std["loneskatt"]) if "loneskatt" in std.values else 0.2426
    for name, key, flows in (("pensionsavsattning", "pensionsavsattning_ingaende",
                              ("nyintjanande_basar", "utbetalningar_avsattning_basar")),
                             ("ansvarsforbindelse", "ansvarsforbindelse_ingaende",
                              ("utbetalningar_ansvarsforbindelse_basar",))):
        if name not in a.figures:
            continue
        total = a.figures[name][0] / (1 + tau)
        ratio = total / float(std[key])
        out[key] = {"enhet": "mnkr", "varde": _clean(total),
                    "kalla": f"{a.source(name)} {HARLETT} exkl. löneskatt (÷ {1 + tau:g})."}
        for flow in flows:
            out[flow] = {"enhet": "mnkr", "varde": _clean(float(std[flow]) * ratio),
                         "kalla": f"{HARLETT} {_std_name(std)}:s belopp × kvoten {ratio:.4f} av {key} "
                                  "(ersätt med KPA:s prognos)"}


def _balance_entries(out: dict, a: Answers, std: AssumptionSet, scale: float) -> None:
    if "summa_tillgangar" not in a.figures:
        return
    posts = [k for k in std.values if k.startswith("balans_")]
    assets = [k for k in posts if k not in ("balans_ovriga_avsattningar", "balans_langfristiga_skulder",
                                            "balans_kortfristiga_skulder", "balans_kortfristig_upplaning")]
    std_assets = sum(float(std[k]) for k in assets)
    ratio = a.figures["summa_tillgangar"][0] / std_assets
    for k in posts:
        out[k] = {"enhet": "mnkr", "varde": _clean(float(std[k]) * ratio),
                  "kalla": f"{HARLETT} {_std_name(std)}:s post × kvoten {ratio:.4f} mellan summa tillgångar "
                           f"({a.source('summa_tillgangar')}) och standardregionens tillgångar utom kassa"}


# --- the plan lines and the calibrated values ---------------------------------------------

def _cost_index(aset: AssumptionSet, personal: float) -> np.ndarray:
    """Year-on-year cost growth of the national set: personal × löneökning + rest × KPI."""
    return personal * np.asarray(aset["loneokning"]) + (1 - personal) * np.asarray(aset["kpi"])


def _spread(given: dict[int, float], years: range, growth: np.ndarray, basar: int) -> dict[int, float]:
    """Given years as they are; other years from the nearest given year by ``growth``."""
    out: dict[int, float] = {}
    for y in years:
        if y in given:
            out[y] = given[y]
            continue
        near = min(given, key=lambda g: (abs(g - y), g))
        f = 1.0
        for t in range(min(near, y) + 1, max(near, y) + 1):
            f *= 1 + growth[t - basar]
        out[y] = given[near] * f if y > near else given[near] / f
    return out


def plan_entries(a: Answers, draft: AssumptionSet, std: AssumptionSet) -> dict[str, dict]:
    """plan_* and planens_* for the plan years, from the stated lines and the national set."""
    years = range(a.basar, a.planslut + 1)
    personal = float(draft["personalkostnadsandel"])
    growth = _cost_index(draft, personal)
    netto = _spread(a.years("verksamhetens_nettokostnader"), years, growth, a.basar)
    i0 = {k: float(std[f"plan_{k}"][0]) for k in ("verksamhetens_intakter", "avskrivningar")}
    n0 = float(np.asarray(std["plan_verksamhetens_intakter"])[0] + np.asarray(std["plan_verksamhetens_kostnader"])[0]
               + np.asarray(std["plan_avskrivningar"])[0])
    lines: dict[str, dict[int, float]] = {}
    notes: dict[str, str] = {}
    for k in ("verksamhetens_intakter", "avskrivningar"):
        if k in a.figures:
            lines[k] = _spread(a.years(k), years, growth, a.basar)
            notes[k] = a.source(k) + f" {HARLETT} år utan belopp framskrivna med prognosunderlagets kostnadsutveckling."
        else:
            share = i0[k] / n0
            lines[k] = {y: netto[y] * share for y in years}
            notes[k] = (f"{HARLETT} {100 * abs(share):.1f} % av verksamhetens nettokostnader, som i "
                        f"{_std_name(std)}:s resultatbudget {std.basar}")
    lines["verksamhetens_kostnader"] = {y: netto[y] - lines["verksamhetens_intakter"][y] - lines["avskrivningar"][y]
                                        for y in years}
    stated = sorted(a.years("verksamhetens_nettokostnader"))
    notes["verksamhetens_kostnader"] = (
        f"{HARLETT} verksamhetens nettokostnader ({a.source('verksamhetens_nettokostnader')}; angivna år "
        f"{', '.join(map(str, stated))}, övriga planår framskrivna med prognosunderlagets löneökning och KPI, "
        f"personalkostnadsandel {100 * personal:g} %) minus intäkter och avskrivningar")
    out = {f"plan_{k}": {"enhet": "mnkr", "kalla": notes[k], "varden": {y: _clean(v[y]) for y in years}}
           for k, v in lines.items()}
    for key, national in (("planens_loneokning", "loneokning"), ("planens_kpi", "kpi"),
                          ("planens_prisbasbelopp_forandring", "prisbasbelopp_forandring")):
        data = np.asarray(draft[national])
        out[key] = {"enhet": "procent", "varden": {y: _clean(100 * data[y - a.basar]) for y in years},
                    "kalla": f"{HARLETT} prognosunderlagets {national} ({draft['prognosunderlag_namn']})"}
    out["planens_volymokning"] = {"enhet": "procent", "varden": {y: 0 for y in years},
                                  "kalla": "Volymen ligger i planens belopp (noll per definition)."}
    return out


def investment_entries(a: Answers, plan: dict[str, dict]) -> dict[str, dict]:
    """The region's categories: the stated (or derived) investments split by the categories' shares."""
    if "investeringar" in a.figures:
        total = _at_least_base(a, a.years("investeringar"))
        how = a.source("investeringar")
    else:
        total = {a.basar: -plan["plan_avskrivningar"]["varden"][a.basar]}
        how = f"{HARLETT} investeringar lika med basårets avskrivningar (en oförändrad anläggningsmassa)"
    shares = ", ".join(f"{c['etikett']} {100 * float(c['andel']):g} %" for c in a.categories)
    split = a.categories_source or f"{HARLETT} standardfördelning {shares}"
    out: dict[str, dict] = {}
    for c in a.categories:
        cid = c["id"]
        out[f"investeringar_{cid}"] = {"enhet": "mnkr", "forlangning": "senaste",
                                       "varden": {y: _clean(x * float(c["andel"])) for y, x in total.items()},
                                       "kalla": f"{how} Fördelning: {split.rstrip('.')}. Oförändrat efter sista året."}
        out[f"avskrivningstid_{cid}"] = {"enhet": "antal_ar", "varde": int(c["avskrivningstid"]),
                                         "kalla": f"{HARLETT} antagen genomsnittlig nyttjandeperiod (RKR R4, komponentavskrivning)"}
        out[f"avskrivning_nettoandel_{cid}"] = {"enhet": "procent", "varde": 50,
                                                "kalla": f"{HARLETT} halva investeringen antas ersätta uttjänta tillgångar"}
        out[f"avskrivning_fran_ar_{cid}"] = {"enhet": "ar", "varde": a.basar + 1,
                                             "kalla": f"{HARLETT} avskrivning från året efter basåret"}
    return out


def calibrated_su(a: Answers, draft_su: float, result) -> tuple[float, str]:
    """The skatteunderlag året före basåret that gives the stated skatteintäkter (first stated plan year)."""
    year = min(y for y in a.years("skatteintakter") if y <= a.planslut)
    modelled = float(result["resultatrakning"].sel(scenario="bas", year=year, rr_post="skatteintakter"))
    target = a.years("skatteintakter")[year]
    return draft_su * target / modelled, (
        f"{HARLETT} så att skatteintäkterna {year} blir {fmt.mnkr(target)} mnkr ({a.source('skatteintakter')}), "
        "med prognosunderlagets skatteunderlagstillväxt, regionens skattesats och befolkningen")


def calibrated_regleringsbidrag(a: Answers, result) -> dict:
    """The regleringsbidrag as the rest of the stated generella statsbidrag och utjämning, per stated year."""
    given = a.years("generella_statsbidrag_och_utjamning")
    res = result.sel(scenario="bas")
    rest: dict[int, float] = {}
    for y, target in given.items():
        total = float(res["resultatrakning"].sel(year=y, rr_post="generella_statsbidrag_och_utjamning"))
        current = float(res["utjamning"].sel(year=y, komponent="regleringsbidrag"))
        rest[y] = current + target - total
    values = _at_least_base(a, rest)
    return {"metod": "fast", "enhet": "mnkr", "forlangning": "senaste", "varden": values,
            "kalla": (f"{HARLETT} restpost: generella statsbidrag och utjämning ({a.source('generella_statsbidrag_och_utjamning')}) "
                      "minus övriga komponenter som modellen räknar (inkomstutjämningen med lagens formel); "
                      "nominellt oförändrad efter sista angivna året")}


# --- writing ------------------------------------------------------------------------------

FILE_DESCRIPTIONS = {
    "region": "Regionens grunddata, horisont och skattesats.",
    "makro": "Regionens egna makroantaganden (upplåningsränta); det nationella prognosunderlaget ligger i riket.",
    "intakter": "Skatteintäkter utöver skattesatsen samt generella statsbidrag och utjämning per komponent.",
    "kostnader": "Verksamhetens nettokostnader: planens belopp och drivarna efter planen.",
    "pension": "Pensioner enligt blandmodellen med RIPS (belopp exkl. löneskatt om inget annat anges).",
    "investeringar": "Investeringsplan och hur investeringarna skrivs av.",
    "finans": "Balansräkning, likviditet och finansnetto.",
    "regler": "Regionens beslut och riktlinjer: reservering, villkor för RUR och finansiella mål.",
}


def write_set(directory: Path, a: Answers, entries: dict[str, dict], riket: str) -> None:
    """One YAML file per topic, in the schema's order."""
    from flerarsprognos.io.layers import Category, specs_for

    cats = tuple(Category(c["id"], c["etikett"], c["balanspost"]) for c in a.categories)
    files: dict[str, dict] = {t: {} for t in TOPICS}
    for key, spec in specs_for(cats).items():
        if key in entries:
            files[spec.topic][key] = entries[key]
    for topic, params in files.items():
        if not params:
            continue
        content: dict[str, Any] = {"beskrivning": f"{a.region_namn}: {FILE_DESCRIPTIONS[topic]} "
                                                  f"Skapad med flerarsprognos init ur {a.path.name}; "
                                                  f"värden vars källa börjar med '{HARLETT}' är uppskattade."}
        if topic == "region":
            content["riket"] = riket
        if topic == "investeringar":
            content["kategorier"] = [{k: c[k] for k in ("id", "etikett", "balanspost")} for c in a.categories]
        content["parametrar"] = params
        text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
        (directory / f"{topic}.yaml").write_text(text, encoding="utf-8")


def _national_dir(a: Answers, riket: Path | None) -> Path | None:
    """The national set the new region stands on: ``--riket``, the answers' ``riket:`` (relative
    to the answers file), or None for the shipped one (``standard``)."""
    if riket is None and a.riket == STANDARD:
        return None
    return Path(riket) if riket is not None else (a.path.parent / a.riket)


def _riket_pointer(a: Answers, target: Path, riket: Path | None) -> str:
    """What region.yaml's ``riket:`` says: ``standard``, or a path relative to the new directory."""
    where = _national_dir(a, riket)
    return STANDARD if where is None else os.path.relpath(where.resolve(), target.resolve())


def check_target(target: Path, inputs: list[Path | None], problems: Problems) -> None:
    """The new directory must be new (or empty), and may not be, hold or lie inside anything
    ``init`` reads (the answers file, the national set, the standard region): io/guard.py's rule."""
    from flerarsprognos.io.guard import check_output_path

    if target.exists() and not target.is_dir():
        problems.error(target, None, "finns redan och är ingen katalog; välj en ny katalog")
    elif target.is_dir() and any(target.iterdir()):
        problems.error(target, None, "katalogen finns redan och är inte tom; välj en ny katalog")
    check_output_path(target, inputs, problems, option="KATALOG")


def _check_national_set(a: Answers, riket_dir: Path | None, problems: Problems) -> None:
    """The national set exists and is made for the answers' base year (before anything is built)."""
    from flerarsprognos.io.assumptions import RawPart, _collect
    from flerarsprognos.io.layers import check_base_year, default_riket_dir

    where = riket_dir or default_riket_dir()
    files = sorted(where.glob("*.yaml")) if where.is_dir() else []
    if not files:
        problems.error(a.path, "riket", f"{where}: ingen katalog med det nationella prognosunderlaget (*.yaml)")
    else:
        national, _ = _collect([RawPart(str(f), f.stem, read_yaml(f, problems)) for f in files], problems)
        check_base_year(national, a.basar, str(a.path), problems)
    problems.raise_if_errors()


@dataclass
class Created:
    directory: Path
    aset: AssumptionSet
    derived: list[str]  # keys whose value is derived (kalla begins with 'härlett:')
    warnings: list
    checks: list[tuple[str, int, float, float, str]] = field(default_factory=list)  # figure, year, stated, model, kalla


def create_region(answers_path: Path, target: Path, riket: Path | None = None) -> Created:
    """Build, calibrate and check a new region's assumption directory; nothing written on error."""
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.runner import run

    problems = Problems()
    a = read_answers(answers_path, problems)
    if a is not None:
        check_answers(a, problems)
    national = _national_dir(a, riket) if a is not None else riket
    check_target(target, [answers_path, national, default_assumptions_dir()], problems)
    problems.raise_if_errors()
    assert a is not None
    std = load_assumptions(default_assumptions_dir())
    pointer = _riket_pointer(a, target, riket)
    _check_national_set(a, national, problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a sibling of the target, so the relative ``riket:`` pointer holds in both
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        entries = draft_entries(a, std)
        entries.update(investment_entries(a, entries))
        write_set(tmp, a, entries, pointer)
        draft = load_assumptions(tmp, Problems())
        entries.update(plan_entries(a, draft, std))
        entries.update(investment_entries(a, entries))
        write_set(tmp, a, entries, pointer)
        first = run(tmp)
        su, why = calibrated_su(a, float(first.base["skatteunderlag_ingaende"]), first.result)
        entries["skatteunderlag_ingaende"] = {"enhet": "mnkr", "kalla": why, "varde": _clean(su)}
        write_set(tmp, a, entries, pointer)
        second = run(tmp)
        entries["regleringsbidrag"] = calibrated_regleringsbidrag(a, second.result)
        write_set(tmp, a, entries, pointer)
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    checked = Problems()
    aset = load_assumptions(target, checked)
    derived = [k for k, v in aset.values.items() if HARLETT in v.source and not v.spec.national]
    return Created(target, aset, derived, checked.warnings, stated_checks(a, run(target).result))


def stated_checks(a: Answers, result) -> list[tuple[str, int, float, float, str]]:
    """Each stated figure beside the model's value for the year (the check-only ones included)."""
    res = result.sel(scenario="bas")
    out = []
    for name in ("verksamhetens_nettokostnader", "skatteintakter", "generella_statsbidrag_och_utjamning",
                 "arets_resultat"):
        for y, x in sorted(a.years(name).items()):
            out.append((name, y, x, float(res["resultatrakning"].sel(rr_post=name, year=y)), a.source(name)))
    return out
