"""Rebasing the flerårsplan on the latest outcome: a new assumption directory, base year = YEAR.

What happens (documented in ``docs/utfall.md``):

1. The old plan is re-run with the outcome's macro figures (the economy as it turned out, as
   an in-memory scenario through the runner, :mod:`flerarsprognos.utfall.makro`), without the
   satsningar and effektiviseringar dated after YEAR (they stay in the new set as they were,
   so they are counted once).
2. The horizon moves forward: basår = YEAR, planslut and slutår move by the same number of years.
3. The plan lines (verksamhetens intäkter, kostnader, avskrivningar) for the new plan years are
   that re-run, shifted by the outcome's difference in YEAR where the outcome gives the line at
   region level; the plan's own wage, price and volume assumptions are set equal to the new
   set's, so the new plan embodies them.
4. The opening position is the outcome's balansräkning and balanskravsutredning at 31 December
   YEAR − 1 where the file gives it (eget kapital, RUR, resultatreserv, pensionsavsättning,
   ansvarsförbindelse, låneskuld, the open balanskrav deficits by year of origin;
   :mod:`flerarsprognos.utfall.opening`), otherwise the re-run's closing figures for YEAR − 1.
   The base year's balance sheet posts are the outcome's for YEAR where given, otherwise the
   re-run's; its pension flows are the re-run's.
5. Every other value is carried over for the years from YEAR on; years past the old horizon
   are filled with the last value (``forlangning: senaste``) and say so in their source.

The original files are never modified; the new directory is written to a temporary name and
renamed only when it is complete and loads without errors. It may not be, contain or lie
inside an input, and ``--skriv-over`` removes only files an earlier rebase wrote there
(its manifest, :mod:`flerarsprognos.io.guard`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from flerarsprognos.io.assumptions import AssumptionSet, from_canonical, load_assumptions
from flerarsprognos.io.guard import check_output_path, check_overwrite, remove_written, write_manifest
from flerarsprognos.io.schema import BALANCE_INPUT_POSTS, HISTORY_YEARS, SPECS, TOPICS
from flerarsprognos.io.utfallsfil import OutcomeFile
from flerarsprognos.problems import Problems
from flerarsprognos.utfall.opening import COMPUTED, LEDGER_KEY, Opening, read_opening, report_unused

PLAN_LINES = {  # plan key → (resultaträkning post, sign in the file relative to the result)
    "plan_verksamhetens_intakter": ("verksamhetens_intakter", 1.0),
    "plan_verksamhetens_kostnader": ("verksamhetens_kostnader", 1.0),
    "plan_avskrivningar": ("avskrivningar", 1.0),
}
PLAN_INDEXES = {"planens_loneokning": "loneokning", "planens_kpi": "kpi", "planens_volymokning": "volymokning",
                "planens_prisbasbelopp_forandring": "prisbasbelopp_forandring"}
POLICY_KEYS = ("satsningar", "effektivisering")
# historik keys: the result variable that continues each into the years now behind the base year,
# and the old set's opening key that gives its year before the old base year
HISTORY_BEHIND = {"skatteunderlag_historik": "skatteunderlag_forandring_effektiv",
                  "skatteunderlag_regionen_historik": "skatteunderlag",
                  "medelskattekraft_historik": "medelskattekraft"}
HISTORY_OPENING = {"skatteunderlag_regionen_historik": "skatteunderlag_ingaende",
                   "medelskattekraft_historik": "medelskattekraft_ingaende"}
RERUN = "omraknad"


def _clean(x: float, unit: str) -> float | int:
    v = float(from_canonical(x, unit))
    v = round(v, 6 if unit in ("procent", "andel") else 4)
    return int(v) if v == int(v) and abs(v) < 1e15 else v


@dataclass
class _Rebase:
    """Everything one rebase computes from, passed to the writers of the new files."""

    base: AssumptionSet
    rerun_set: AssumptionSet  # the old plan with the outcome's macro, policy after YEAR left out
    res: object  # the re-run's result (xarray Dataset, scenario selected)
    utfall: OutcomeFile
    year: int
    region: dict  # rad → Row: the outcome's region rows for YEAR
    opening: Opening
    note: str

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.base.years]

    @property
    def shift(self) -> int:
        return self.year - self.base.basar

    def at(self, name: str, i: int) -> float:
        return float(self.res[name].values[i])

    def post(self, table: str, post: str, i: int) -> float:
        dim = {"balansrakning": "br_post", "balanskrav": "bk_post", "resultatrakning": "rr_post"}[table]
        return float(self.res[table].sel({dim: post}).values[i])


def rebase(assumptions_dir: Path, utfall: OutcomeFile, year: int, target: Path, overwrite: bool = False,
           problems: Problems | None = None):
    """Write the rebased assumption directory to ``target``; return (AssumptionSet, check table, macro).

    Warnings (rows of the outcome the rebase cannot use) go to ``problems`` if given.
    """
    problems = problems if problems is not None else Problems()
    source, target = Path(assumptions_dir), Path(target)
    base = load_assumptions(source, problems)
    removable = _check_request(base, utfall, year, source, target, overwrite, problems)
    opening = read_opening(utfall, year, float(base["loneskatt"]), problems)
    if opening.ledger and LEDGER_KEY not in SPECS:
        problems.error(str(utfall.path), ", ".join(opening.ledger_cells),
                       f"öppna balanskravsunderskott kan inte föras över: modellen saknar nyckeln {LEDGER_KEY}")
    problems.raise_if_errors()
    run, macro_rows = _rerun(base, utfall, year)
    region = {r.rad: r for r in utfall.rows if r.niva == "region" and r.ar == year and r.utfall is not None}
    rr_posts = {str(p) for p in run.result["rr_post"].values}
    report_unused(utfall, year, opening.used, {id(r) for r in region.values() if r.rad in rr_posts}, problems)
    stamp = dt.date.today().isoformat()
    ctx = _Rebase(base=base, rerun_set=run.sets[1], res=run.result.sel(scenario=RERUN), utfall=utfall, year=year,
                  region=region, opening=opening,
                  note=f"Ombaserat till {year} ({stamp}) från {source} med utfallet {utfall.path.name}")
    _write_directory(target, _new_files(ctx), removable, ctx.note)
    new = load_assumptions(target)
    return new, _base_year_check(new, region, opening, year), macro_rows


def _check_request(base: AssumptionSet, utfall: OutcomeFile, year: int, source: Path, target: Path,
                   overwrite: bool, problems: Problems) -> list[Path]:
    """Errors for a year outside the horizon, an outcome with nothing for it, an unsafe target,
    a workbook as the source (the rebase writes a directory of YAML files beside the originals' text)."""
    if source.is_file():
        problems.error(str(source), "--antaganden", "ombaseringen skriver om antagandefilerna (*.yaml) och kan "
                                                    "inte utgå från en arbetsbok; för in ändringarna i en "
                                                    "antagandekatalog och ange den")
    if not (base.basar < year <= base.slutar):
        problems.error("--ar", None, f"året {year} ska ligga efter basåret {base.basar} och "
                                     f"inom horisonten (till {base.slutar})", year)
    has_region = any(r.niva == "region" and r.ar in (year, year - 1) and r.utfall is not None for r in utfall.rows)
    if not has_region and not any(y == year for _, y in utfall.macro):
        problems.error(str(utfall.path), None, f"utfallsfilen har inget utfall för regionen {year} eller "
                                               f"{year - 1} (rader på nivå region eller makrorader)", year)
    check_output_path(target, [source, utfall.path], problems)
    return check_overwrite(target, overwrite, problems)


def _rerun(base: AssumptionSet, utfall: OutcomeFile, year: int):
    """The old plan with the economy as it turned out, policy after YEAR left out (one run)."""
    from flerarsprognos.runner import run_scenarios
    from flerarsprognos.utfall.makro import check_macro_years, macro_scenario

    problems = Problems()
    check_macro_years(base, utfall, problems)
    problems.raise_if_errors()
    later = [int(y) for y in base.years if int(y) > year]
    policy = {key: {"enhet": base.values[key].file_unit, "varden": {y: 0 for y in later}}
              for key in POLICY_KEYS if later}
    scen, macro_rows = macro_scenario(base, utfall, name=RERUN, extra=policy)
    # measured against the old plan, as in the deviation split: outcome wages and prices move the SU
    return run_scenarios(base, [[scen]], Problems()), macro_rows


def _scalars(ctx: _Rebase) -> dict[str, tuple[float, str]]:
    """The new base year's scalar values: the outcome's opening position, else the re-run's."""
    year, note, base = ctx.year, ctx.note, ctx.base
    i_year, i_prev = ctx.years.index(year), ctx.years.index(year) - 1
    tau = float(base["loneskatt"])
    rerun = f"{note}: {{}} {year - 1} enligt omräkningen"
    scalars: dict[str, tuple[float, str]] = {
        "basar": (year, note),
        "planslut": (base.planslut + ctx.shift, note),
        "slutar": (base.slutar + ctx.shift, note),
        "invanare_ingaende": (float(base["invanare"][i_prev]), f"{note}: invånare {year - 1}."),
        "skatteunderlag_ingaende": (ctx.at("skatteunderlag", i_prev), f"{note}: modellens skatteunderlag {year - 1}."),
        "medelskattekraft_ingaende": (ctx.at("medelskattekraft", i_prev),
                                      f"{note}: modellens medelskattekraft {year - 1} (kr per invånare)."),
        "eget_kapital_ingaende": (ctx.post("balansrakning", "summa_eget_kapital", i_prev),
                                  rerun.format("eget kapital 31 december") + "."),
        "rur_ingaende": (ctx.post("balanskrav", "rur_utgaende", i_prev), rerun.format("utgående RUR") + "."),
        "resultatreserv_ingaende": (ctx.post("balanskrav", "resultatreserv_utgaende", i_prev),
                                    rerun.format("utgående resultatreserv") + "."),
        "laneskuld_ingaende": (ctx.at("laneskuld", i_prev), f"{note}: lån 31 december {year - 1}."),
        "nyupplaning_basar": (ctx.at("nyupplaning", i_year), f"{note}: ny upplåning {year} enligt omräkningen."),
        "inkomstutjamning_riket": (ctx.at("inkomstutjamning_riket", i_year),
                                   f"{note}: modellens inkomstutjämning i riket {year}."),
        "invanare_riket_ingaende": (float(base["invanare_riket_ingaende"])
                                    * float(np.prod(1 + np.asarray(base["befolkning_riket_forandring"])[:i_year])),
                                    f"{note}: invånare i riket {year - 1}."),
        "pensionsavsattning_ingaende": (ctx.at("pensionsavsattning", i_prev) / (1 + tau),
                                        f"{note}: avsättning {year - 1} exkl. löneskatt; ersätt med KPA:s belopp."),
        "ansvarsforbindelse_ingaende": (ctx.at("ansvarsforbindelse", i_prev) / (1 + tau),
                                        f"{note}: ansvarsförbindelse {year - 1} exkl. löneskatt; ersätt med KPA:s belopp."),
    }
    for key, var in (("nyintjanande_basar", "pension_nyintjanande"), ("avgiftsbestamd_basar", "pension_avgiftsbestamd"),
                     ("utbetalningar_avsattning_basar", "pension_utbetalningar_avsattning"),
                     ("utbetalningar_ansvarsforbindelse_basar", "pension_utbetalningar_ansvarsforbindelse")):
        scalars[key] = (ctx.at(var, i_year) / (1 + tau), f"{note}: modellens {year}.")
    for post in BALANCE_INPUT_POSTS:
        scalars[f"balans_{post}"] = (ctx.post("balansrakning", post, i_year),
                                     f"{note}: balansräkningen {year} enligt omräkningen; ersätt med bokslutet.")
    for key, (value, why) in ctx.opening.values.items():  # the real opening position where the file has it
        scalars[key] = (value, f"{note}: {why}.")
    return scalars


def open_deficits_from_run(ctx: _Rebase) -> dict[int, float]:
    """The re-run's open balanskrav deficits at the end of YEAR − 1, by year of origin.

    The model regains the oldest deficits first, so what is still open is the newest part:
    the open total is attributed to the years of origin from the newest back.
    """
    i_prev = ctx.years.index(ctx.year) - 1
    remaining = ctx.post("balanskrav", "oreglerat_underskott", i_prev)
    arisen: dict[int, float] = {}
    if LEDGER_KEY in ctx.base.values:
        arisen.update(_ledger_of(ctx.base))
    synnerliga = np.asarray(ctx.base["synnerliga_skal"], dtype=float)
    for i in range(i_prev + 1):
        new = max(max(-ctx.post("balanskrav", "arets_balanskravsresultat", i), 0.0) - float(synnerliga[i]), 0.0)
        if new:
            arisen[ctx.years[i]] = new
    out: dict[int, float] = {}
    for origin in sorted(arisen, reverse=True):
        if remaining <= 1e-9:
            break
        out[origin] = min(arisen[origin], remaining)
        remaining -= out[origin]
    return dict(sorted(out.items()))


def _ledger_of(aset: AssumptionSet) -> dict[int, float]:
    """An assumption set's incoming deficits {year of origin: mnkr} (however the key is stored)."""
    value = aset.values[LEDGER_KEY]
    years = getattr(value, "years", None)
    if years is None or value.data is None:
        return {}
    return {int(y): float(v) for y, v in zip(years, np.asarray(value.data, dtype=float), strict=True)
            if not math.isnan(v) and v}


def _ledger_entry(ctx: _Rebase, unit: str) -> tuple[str, dict[int, float | int]]:
    regain = int(float(ctx.base["underskott_aterstallningstid"]))
    if ctx.opening.ledger_given:
        ledger = ctx.opening.ledger
        where = f"enligt {ctx.utfall.path.name} ({', '.join(ctx.opening.ledger_cells)})"
    else:
        ledger = open_deficits_from_run(ctx)
        where = "enligt omräkningen"
    from flerarsprognos.output.fmt import mnkr

    deadlines = "; ".join(f"{y}: {mnkr(v, 1).replace(chr(160), ' ')} mnkr, återställs senast {y + regain}"
                          for y, v in ledger.items())
    text = (f"{ctx.note}: öppna balanskravsunderskott 31 december {ctx.year - 1} per ursprungsår {where}"
            f"{' (' + deadlines + ')' if deadlines else ': inga'}.")
    return text, {y: _clean(v, unit) for y, v in ledger.items()}


def _new_files(ctx: _Rebase) -> dict[str, dict]:
    """The content of each topic file of the new set."""
    originals = _original_entries(ctx.base.files)
    files: dict[str, dict] = {topic: {"beskrivning": f"{originals['_files'].get(topic, '').strip()} {ctx.note}.".strip(),
                                      "parametrar": {}} for topic in TOPICS}
    scalars = _scalars(ctx)
    for key, value in ctx.base.values.items():
        orig = originals.get(key, {})
        entry: dict = {k: orig[k] for k in ("beskrivning",) if k in orig}
        if key.endswith("_ingaende") and "beskrivning" in entry:  # "31 december 2022" → the new opening year
            entry["beskrivning"] = str(entry["beskrivning"]).replace(str(ctx.base.basar - 1), str(ctx.year - 1))
        if value.method is not None:
            entry["metod"] = value.method
        entry["enhet"] = value.file_unit
        entry.update(_entry_values(ctx, key, value, scalars))
        if "anteckning" in orig:
            entry["anteckning"] = orig["anteckning"]
        files[value.spec.topic]["parametrar"][key] = entry
    if LEDGER_KEY in SPECS and LEDGER_KEY not in ctx.base.values:  # a set written before the key existed
        text, varden = _ledger_entry(ctx, "mnkr")
        files[SPECS[LEDGER_KEY].topic]["parametrar"][LEDGER_KEY] = {"enhet": "mnkr", "kalla": text, "varden": varden}
    return files


def _entry_values(ctx: _Rebase, key: str, value, scalars: dict) -> dict:
    """``kalla`` and ``varde``/``varden`` of one key in the new set."""
    spec, unit = value.spec, value.file_unit
    if key == LEDGER_KEY:
        text, varden = _ledger_entry(ctx, unit)
        return {"kalla": text, "varden": varden}
    if key in scalars:
        v, why = scalars[key]
        return {"kalla": why, "varde": _clean(v, unit) if spec.unit != "ar" else int(v)}
    if spec.coverage == "skalar":
        return {"kalla": value.source,
                "varde": value.data if spec.unit == "text" else _clean(float(value.data), unit)}
    if getattr(spec, "history", False):
        return _history_values(ctx, key, value)
    if spec.coverage == "plan":
        kalla, varden = _plan_values(key, ctx, unit)
        return {"kalla": kalla, "varden": varden}
    return _path_values(ctx, key, value)


def _history_values(ctx: _Rebase, key: str, value) -> dict:
    """A key with years before the base year (``historik``): carried over, the re-run's SU growth
    added for the years now behind (the last HISTORY_YEARS years kept)."""
    hist = {int(y): float(x) for y, x in zip(value.years, value.data, strict=True) if not math.isnan(x)}
    if key in HISTORY_OPENING:  # the old set's opening value is its year before the base year
        hist[ctx.base.basar - 1] = float(ctx.base[HISTORY_OPENING[key]])
    if key in HISTORY_BEHIND:  # the re-run's figures for the years now behind the base year
        hist.update({y: float(ctx.res[HISTORY_BEHIND[key]].values[i]) for i, y in enumerate(ctx.years) if y < ctx.year})
    return {"kalla": value.source,
            "varden": {y: _clean(x, value.file_unit) for y, x in sorted(hist.items()) if y >= ctx.year - HISTORY_YEARS}}


def _path_values(ctx: _Rebase, key: str, value) -> dict:
    """A key with values per year: the years from YEAR on, extended past the old horizon."""
    spec, unit, years, year = value.spec, value.file_unit, ctx.years, ctx.year
    ext = value.extended if value.extended is not None else np.zeros(len(years), dtype=bool)
    source_text = value.source
    policy = key in POLICY_KEYS
    if policy:
        src = np.asarray(value.data, dtype=float)
    elif key == "prisbasbelopp_forandring":  # incl. the lagged KPI link (model helper H1)
        src = np.asarray(ctx.res["prisbasbelopp_forandring_effektiv"].values, dtype=float)
        ext = np.zeros(len(years), dtype=bool)
    elif key == "skatteunderlag_forandring":
        # the growth the re-run used, wage and price links included: the new set is its own baseline
        src = np.asarray(ctx.res["skatteunderlag_forandring_effektiv"].values, dtype=float)
        ext = np.zeros(len(years), dtype=bool)
        source_text = f"{ctx.note}: skatteunderlagets förändring som omräkningen gav (inkl. löne- och prislänkar)."
    else:
        src = np.asarray(ctx.rerun_set.values[key].data, dtype=float)  # outcome macro where given
    varden: dict[int, float | int] = {}
    for i, y in enumerate(years):
        # policy dated up to YEAR is already in the re-run plan figures: not again
        if y < year or (policy and y <= year) or math.isnan(src[i]):
            continue
        # an extended year is written only where extending the last written value would not give it
        if (spec.coverage == "horisont" and ext[i] and y != year and varden
                and varden[max(varden)] == _clean(src[i], unit)):
            continue
        if spec.coverage == "gles_noll" and src[i] == 0:
            continue
        varden[y] = _clean(src[i], unit)
    out: dict = {}
    if key == "upprakning_inkomstutjamning":  # the uppräkning the plan used (model helper H1)
        varden = {y: _clean(ctx.at("inkomstutjamning_upprakning", i) - 1.0, unit)
                  for i, y in enumerate(years) if y >= year}
        source_text = (f"{ctx.note}: uppräkningen som den omräknade planen använde (basalternativets "
                       "skatteunderlagsprognos); ersätt med förordningens uppräkningsfaktorer.")
    if value.method in ("anslag", "folj_kostnadsniva"):  # the re-run's amounts for the new plan years
        new_plan_years = range(year, ctx.base.planslut + ctx.shift + 1)
        varden = {y: _clean(float(ctx.res["utjamning"].sel(komponent=key).values[years.index(y)]), unit)
                  for y in new_plan_years if y in years}
        source_text = f"{ctx.note}: modellens {key} för de nya planåren."
    if value.method == "folj_skatteunderlag":
        comp = float(ctx.res["utjamning"].sel(komponent=key).values[years.index(year)])
        varden = {year: _clean(comp, unit)}
        source_text = f"{ctx.note}: modellens {key} {year}."
    elif spec.coverage == "horisont":
        out["forlangning"] = "senaste"
        if ctx.shift > 0:
            old_end = ctx.base.slutar
            span = f"{old_end + 1}" if ctx.shift == 1 else f"{old_end + 1}–{old_end + ctx.shift}"
            source_text = f"{source_text.rstrip('.')}. {span}: förlängt med senaste värdet vid ombaseringen; att uppdatera."
    outcome_years = sorted(y for k, y in ctx.utfall.macro if k == key and y >= year)
    if outcome_years:
        source_text = (f"{source_text.rstrip('.')}. {', '.join(map(str, outcome_years))}: utfall enligt "
                       f"{ctx.utfall.path.name}.")
    return {**out, "kalla": source_text, "varden": varden}


def _plan_values(key: str, ctx: _Rebase, unit: str):
    years, year, note = ctx.years, ctx.year, ctx.note
    new_plan_years = list(range(year, ctx.base.planslut + ctx.shift + 1))
    out: dict[int, float | int] = {}
    if key in PLAN_INDEXES:
        src = np.asarray(ctx.rerun_set.values[PLAN_INDEXES[key]].data, dtype=float)
        if key == "planens_prisbasbelopp_forandring":  # incl. the lagged KPI link (model helper H1)
            src = np.asarray(ctx.res["prisbasbelopp_forandring_effektiv"].values, dtype=float)
        for y in new_plan_years:
            out[y] = _clean(src[years.index(y) if y in years else len(years) - 1], unit)
        return f"{note}: lika med {PLAN_INDEXES[key]} för de nya planåren (planen bygger på dem).", out
    post, _ = PLAN_LINES[key]
    res = ctx.res
    series = (-(res["kostnader_fore_atgarder"].values + res["atgarder_netto"].values)
              if post == "verksamhetens_kostnader" else res["resultatrakning"].sel(rr_post=post).values)
    shift = 0.0
    how = "planen omräknad med utfallets makro"
    if post in ctx.region:
        shift = ctx.region[post].utfall - float(series[years.index(year)])
        how = f"{how}, nivåjusterad med utfallet {year} ({shift:+.1f} mnkr)"
    for y in new_plan_years:
        out[y] = _clean(float(series[years.index(y) if y in years else len(years) - 1]) + shift, unit)
    extra = [y for y in new_plan_years if y > years[-1]]
    tail = f" {extra[0]}–{extra[-1]}: förlängt med {years[-1]} års belopp; att uppdatera." if extra else ""
    return f"{note}: {how}.{tail}", out


def _write_directory(target: Path, files: dict[str, dict], removable: list[Path], note: str) -> None:
    """Write the set to a temporary directory, check it loads, then put it in place with its manifest."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        names = []
        for topic, content in files.items():
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
            (tmp / f"{topic}.yaml").write_text(f"# {note}.\n{text}", encoding="utf-8")
            names.append(f"{topic}.yaml")
        write_manifest(tmp, names)
        load_assumptions(tmp, Problems())  # raises InputError (nothing renamed) if the new set does not load
        if target.exists():
            remove_written(removable)  # only the files an earlier rebase listed in its manifest
            target.rmdir()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _original_entries(files: list[Path]) -> dict:
    """Descriptions and notes from the original files, to carry over."""
    out: dict = {"_files": {}}
    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        out["_files"][f.stem] = str(data.get("beskrivning", ""))
        for key, entry in (data.get("parametrar") or {}).items():
            if isinstance(entry, dict):
                out[str(key)] = {k: entry[k] for k in ("beskrivning", "anteckning") if k in entry}
    return out


def _base_year_check(new: AssumptionSet, region: dict, opening: Opening, year: int) -> pd.DataFrame:
    """The new base year as the model computes it, beside the outcome where the file has it."""
    from flerarsprognos.runner import run_sets

    res = run_sets(new).result.sel(scenario="bas")
    rows = []
    for post in (str(p) for p in res["rr_post"].values):
        model = float(res["resultatrakning"].sel(rr_post=post, year=year))
        actual = region[post].utfall if post in region else None
        rows.append({"rad": post, "ar": year, "modell": model, "utfall": actual,
                     "skillnad": None if actual is None else model - actual})
    for rad, actual in opening.checks.items():  # computed balance rows the outcome gives for YEAR
        var, post = COMPUTED[rad]
        da = res[var] if post is None else res[var].sel({"br_post" if var == "balansrakning" else "bk_post": post})
        model = float(da.sel(year=year))
        rows.append({"rad": rad, "ar": year, "modell": model, "utfall": actual, "skillnad": model - actual})
    df = pd.DataFrame(rows, columns=["rad", "ar", "modell", "utfall", "skillnad"])
    for c in ("modell", "utfall", "skillnad"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df
