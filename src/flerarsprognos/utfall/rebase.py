"""Rebasing the flerårsplan on the latest outcome: a new assumption directory, base year = YEAR.

What happens (documented in ``docs/utfall.md``):

1. The old plan is re-run with the outcome's macro figures (the economy as it turned out),
   without the satsningar and effektiviseringar dated after YEAR (they stay in the new set as
   they were, so they are counted once).
2. The horizon moves forward: basår = YEAR, planslut and slutår move by the same number of years.
3. The plan lines (verksamhetens intäkter, kostnader, avskrivningar) for the new plan years are
   that re-run, shifted by the outcome's difference in YEAR where the outcome gives the line at
   region level; the plan's own wage, price and volume assumptions are set equal to the new
   set's, so the new plan embodies them.
4. The opening balances (eget kapital, RUR, resultatreserv, pension liability, lån,
   skatteunderlag, invånare) are the re-run's closing figures for YEAR − 1; the base year's
   balance sheet posts and pension flows are the re-run's figures for YEAR.
5. Every other value is carried over for the years from YEAR on; years past the old horizon
   are filled with the last value (``forlangning: senaste``) and say so in their source.

The original files are never modified; the new directory is written to a temporary name and
renamed only when it is complete and loads without errors.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from flerarsprognos.io.assumptions import AssumptionSet, from_canonical, load_assumptions
from flerarsprognos.io.utfallsfil import OutcomeFile
from flerarsprognos.problems import InputError, Problem, Problems
from flerarsprognos.io.schema import BALANCE_INPUT_POSTS, HISTORY_YEARS, TOPICS

PLAN_LINES = {  # plan key → (resultaträkning post, sign in the file relative to the result)
    "plan_verksamhetens_intakter": ("verksamhetens_intakter", 1.0),
    "plan_verksamhetens_kostnader": ("verksamhetens_kostnader", 1.0),
    "plan_avskrivningar": ("avskrivningar", 1.0),
}
PLAN_INDEXES = {"planens_loneokning": "loneokning", "planens_kpi": "kpi", "planens_volymokning": "volymokning",
                "planens_prisbasbelopp_forandring": "prisbasbelopp_forandring"}


def _clean(x: float, unit: str) -> float | int:
    v = float(from_canonical(x, unit))
    v = round(v, 6 if unit in ("procent", "andel") else 4)
    return int(v) if v == int(v) and abs(v) < 1e15 else v


def rebase(assumptions_dir: Path, outcome: OutcomeFile, year: int, target: Path, overwrite: bool = False):
    """Write the rebased assumption directory to ``target``; return (AssumptionSet, check table)."""
    from flerarsprognos.utfall.compare import with_outcome_macro
    from flerarsprognos.model.engine import project
    from flerarsprognos.io.params import build_params

    problems = Problems()
    source = Path(assumptions_dir)
    base = load_assumptions(source, problems)
    years = [int(y) for y in base.years]
    if not (base.basar < year <= base.slutar):
        raise InputError([Problem("--year", None, f"året {year} ska ligga efter basåret {base.basar} och "
                                                  f"inom horisonten (till {base.slutar})", year)])
    region = {r.rad: r for r in outcome.rows if r.niva == "region" and r.ar == year and r.utfall is not None}
    has_macro = any(y == year for _, y in outcome.macro)
    if not region and not has_macro:
        raise InputError([Problem(str(outcome.path), None, f"utfallsfilen har inget utfall för regionen {year} "
                                                           "(rader på nivå region eller makrorader)", year)])
    target = Path(target)
    if target.resolve() == source.resolve():
        raise InputError([Problem(str(target), None, "den nya katalogen får inte vara antagandekatalogen själv")])
    if target.exists() and any(target.iterdir()) and not overwrite:
        raise InputError([Problem(str(target), None, "katalogen finns redan och är inte tom "
                                                     "(välj en annan eller ange --overwrite)")])

    # 1. The old plan with the economy as it turned out, policy after YEAR left out.
    macro_set, macro_rows = with_outcome_macro(base, outcome)
    rerun = macro_set.copy("omraknad")
    for key in ("satsningar", "effektivisering"):
        data = np.array(rerun.values[key].data, dtype=float)
        data[[i for i, y in enumerate(years) if y > year]] = 0.0
        rerun.values[key].data = data
    # measured against the old plan, as in the deviation split: outcome wages and prices move the SU
    res = project(build_params([base, rerun], base)).sel(scenario="omraknad")
    i_year, i_prev = years.index(year), years.index(year) - 1

    shift = year - base.basar
    new_planslut = base.planslut + shift
    new_plan_years = list(range(year, new_planslut + 1))
    stamp = dt.date.today().isoformat()
    note = f"Ombaserat till {year} ({stamp}) från {source} med utfallet {outcome.path.name}"

    def at(name: str, i: int) -> float:
        return float(res[name].values[i])

    def rr(post: str, i: int) -> float:
        return float(res["resultatrakning"].sel(rr_post=post).values[i])

    tau = float(base["loneskatt"])
    scalars: dict[str, tuple[float, str]] = {
        "basar": (year, note),
        "planslut": (new_planslut, note),
        "slutar": (base.slutar + shift, note),
        "invanare_ingaende": (float(base["invanare"][i_prev]), f"{note}: invånare {year - 1}."),
        "skatteunderlag_ingaende": (at("skatteunderlag", i_prev), f"{note}: modellens skatteunderlag {year - 1}."),
        "medelskattekraft_ingaende": (at("medelskattekraft", i_prev),
                                      f"{note}: modellens medelskattekraft {year - 1} (kr per invånare)."),
        "eget_kapital_ingaende": (float(res["balansrakning"].sel(br_post="summa_eget_kapital").values[i_prev]),
                                  f"{note}: eget kapital 31 december {year - 1} enligt omräkningen."),
        "rur_ingaende": (float(res["balanskrav"].sel(bk_post="rur_utgaende").values[i_prev]),
                         f"{note}: utgående RUR {year - 1} enligt omräkningen."),
        "resultatreserv_ingaende": (float(res["balanskrav"].sel(bk_post="resultatreserv_utgaende").values[i_prev]),
                                    f"{note}: utgående resultatreserv {year - 1} enligt omräkningen."),
        "laneskuld_ingaende": (at("laneskuld", i_prev), f"{note}: lån 31 december {year - 1}."),
        "nyupplaning_basar": (at("nyupplaning", i_year), f"{note}: ny upplåning {year} enligt omräkningen."),
        "inkomstutjamning_riket": (at("inkomstutjamning_riket", i_year),
                                   f"{note}: modellens inkomstutjämning i riket {year}."),
        "invanare_riket_ingaende": (float(base["invanare_riket_ingaende"])
                                    * float(np.prod(1 + np.asarray(base["befolkning_riket_forandring"])[:i_year])),
                                    f"{note}: invånare i riket {year - 1}."),
        "pensionsavsattning_ingaende": (at("pensionsavsattning", i_prev) / (1 + tau),
                                        f"{note}: avsättning {year - 1} exkl. löneskatt; ersätt med KPA:s belopp."),
        "ansvarsforbindelse_ingaende": (at("ansvarsforbindelse", i_prev) / (1 + tau),
                                        f"{note}: ansvarsförbindelse {year - 1} exkl. löneskatt; ersätt med KPA:s belopp."),
        "nyintjanande_basar": (at("pension_nyintjanande", i_year) / (1 + tau), f"{note}: modellens {year}."),
        "avgiftsbestamd_basar": (at("pension_avgiftsbestamd", i_year) / (1 + tau), f"{note}: modellens {year}."),
        "utbetalningar_avsattning_basar": (at("pension_utbetalningar_avsattning", i_year) / (1 + tau),
                                           f"{note}: modellens {year}."),
        "utbetalningar_ansvarsforbindelse_basar": (at("pension_utbetalningar_ansvarsforbindelse", i_year) / (1 + tau),
                                                   f"{note}: modellens {year}."),
    }
    for post in BALANCE_INPUT_POSTS:
        scalars[f"balans_{post}"] = (float(res["balansrakning"].sel(br_post=post).values[i_year]),
                                     f"{note}: balansräkningen {year} enligt omräkningen; ersätt med bokslutet.")

    originals = _original_entries(base.files)
    files: dict[str, dict] = {}
    for topic in TOPICS:
        files[topic] = {"beskrivning": f"{originals['_files'].get(topic, '').strip()} {note}.".strip(),
                        "parametrar": {}}
    for key, value in base.values.items():
        spec = value.spec
        orig = originals.get(key, {})
        entry: dict = {}
        if "beskrivning" in orig:
            entry["beskrivning"] = orig["beskrivning"]
        if value.method is not None:
            entry["metod"] = value.method
        unit = value.file_unit
        entry["enhet"] = unit
        source_text = value.source
        if key in scalars:
            v, why = scalars[key]
            entry["kalla"] = why
            entry["varde"] = _clean(v, unit) if spec.unit != "ar" else int(v)
        elif spec.coverage == "skalar":
            entry["kalla"] = source_text
            entry["varde"] = value.data if spec.unit == "text" else _clean(float(value.data), unit)
        elif spec.history:  # years before the new base year (model helper H1: minimal carry-over)
            hist = {int(y): float(x) for y, x in zip(value.years, value.data) if not math.isnan(x)}
            behind = {"skatteunderlag_historik": "skatteunderlag_forandring_effektiv",
                      "skatteunderlag_regionen_historik": "skatteunderlag",
                      "medelskattekraft_historik": "medelskattekraft"}
            opening = {"skatteunderlag_regionen_historik": "skatteunderlag_ingaende",
                       "medelskattekraft_historik": "medelskattekraft_ingaende"}
            if key in opening:  # the old set's opening value is its year before the base year
                hist[base.basar - 1] = float(base[opening[key]])
            if key in behind:  # the re-run's figures for the years now behind the base year
                hist.update({y: float(res[behind[key]].values[i]) for i, y in enumerate(years) if y < year})
            entry["kalla"] = source_text
            entry["varden"] = {y: _clean(x, unit) for y, x in sorted(hist.items()) if y >= year - HISTORY_YEARS}
        elif spec.coverage == "plan":
            entry["kalla"], entry["varden"] = _plan_values(key, base, macro_set, res, region, year, years,
                                                           new_plan_years, note, unit)
        else:
            data = np.asarray(value.data, dtype=float)
            ext = value.extended if value.extended is not None else np.zeros(len(years), dtype=bool)
            varden: dict[int, float | int] = {}
            if key in ("satsningar", "effektivisering"):
                src = np.asarray(value.data, dtype=float)
            elif key == "prisbasbelopp_forandring":  # incl. the lagged KPI link (model helper H1)
                src = np.asarray(res["prisbasbelopp_forandring_effektiv"].values, dtype=float)
                ext = np.zeros(len(years), dtype=bool)
            elif key == "skatteunderlag_forandring":
                # the growth the re-run used, wage and price links included: the new set is its own baseline
                src = np.asarray(res["skatteunderlag_forandring_effektiv"].values, dtype=float)
                ext = np.zeros(len(years), dtype=bool)
                source_text = f"{note}: skatteunderlagets förändring som omräkningen gav (inkl. löne- och prislänkar)."
            else:
                src = np.asarray(macro_set.values[key].data, dtype=float)  # outcome macro where given
            policy = key in ("satsningar", "effektivisering")
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
            if key == "upprakning_inkomstutjamning":  # the uppräkning the plan used (model helper H1)
                varden = {y: _clean(at("inkomstutjamning_upprakning", i) - 1.0, unit)
                          for i, y in enumerate(years) if y >= year}
                source_text = (f"{note}: uppräkningen som den omräknade planen använde (basalternativets "
                               "skatteunderlagsprognos); ersätt med förordningens uppräkningsfaktorer.")
            if value.method in ("anslag", "folj_kostnadsniva"):  # the re-run's amounts for the new plan years (H1)
                varden = {y: _clean(float(res["utjamning"].sel(komponent=key).values[years.index(y)]), unit)
                          for y in new_plan_years if y in years}
                source_text = f"{note}: modellens {key} för de nya planåren."
            if value.method == "folj_skatteunderlag":
                comp = float(res["utjamning"].sel(komponent=key).values[i_year])
                varden = {year: _clean(comp, unit)}
                source_text = f"{note}: modellens {key} {year}."
            extended_past = spec.coverage == "horisont" and value.method != "folj_skatteunderlag"
            if extended_past:
                entry["forlangning"] = "senaste"
                if base.slutar + shift > base.slutar:
                    span = (f"{base.slutar + 1}" if shift == 1 else f"{base.slutar + 1}–{base.slutar + shift}")
                    source_text = (f"{source_text.rstrip('.')}. {span}: förlängt med senaste värdet vid "
                                   "ombaseringen; att uppdatera.")
            outcome_years = sorted(y for k, y in outcome.macro if k == key and y >= year)
            if outcome_years:
                source_text = (f"{source_text.rstrip('.')}. {', '.join(map(str, outcome_years))}: utfall enligt "
                               f"{outcome.path.name}.")
            entry["kalla"] = source_text
            entry["varden"] = varden
        if "anteckning" in orig:
            entry["anteckning"] = orig["anteckning"]
        files[spec.topic]["parametrar"][key] = entry

    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        for topic, content in files.items():
            text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
            (tmp / f"{topic}.yaml").write_text(f"# {note}.\n{text}", encoding="utf-8")
        load_assumptions(tmp, Problems())  # raises InputError (nothing renamed) if the new set does not load
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    new = load_assumptions(target)
    return new, _base_year_check(new, region, year), pd.DataFrame(macro_rows, columns=["nyckel", "ar", "plan", "utfall"])


def _plan_values(key: str, base: AssumptionSet, macro_set: AssumptionSet, res, region: dict, year: int,
                 years: list[int], new_plan_years: list[int], note: str, unit: str):
    out: dict[int, float | int] = {}
    if key in PLAN_INDEXES:
        src = np.asarray(macro_set.values[PLAN_INDEXES[key]].data, dtype=float)
        if key == "planens_prisbasbelopp_forandring":  # incl. the lagged KPI link (model helper H1)
            src = np.asarray(res["prisbasbelopp_forandring_effektiv"].values, dtype=float)
        for y in new_plan_years:
            i = min(years.index(y), len(years) - 1) if y in years else len(years) - 1
            out[y] = _clean(src[i], unit)
        return f"{note}: lika med {PLAN_INDEXES[key]} för de nya planåren (planen bygger på dem).", out
    post, _ = PLAN_LINES[key]
    values = res["kostnader_fore_atgarder"].values + res["atgarder_netto"].values if post == "verksamhetens_kostnader" \
        else None
    series = -values if values is not None else res["resultatrakning"].sel(rr_post=post).values
    i0 = years.index(year)
    shift = 0.0
    how = "planen omräknad med utfallets makro"
    if post in region:
        shift = region[post].utfall - float(series[i0])
        how = f"{how}, nivåjusterad med utfallet {year} ({shift:+.1f} mnkr)"
    for y in new_plan_years:
        i = years.index(y) if y in years else len(years) - 1
        out[y] = _clean(float(series[i]) + shift, unit)
    last_old = years[-1]
    extra = [y for y in new_plan_years if y > last_old]
    tail = f" {extra[0]}–{extra[-1]}: förlängt med {last_old} års belopp; att uppdatera." if extra else ""
    return f"{note}: {how}.{tail}", out


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


def _base_year_check(new: AssumptionSet, region: dict, year: int) -> pd.DataFrame:
    """The new base year as the model computes it, beside the outcome where the file has it."""
    from flerarsprognos.model.engine import project
    from flerarsprognos.io.params import build_params

    res = project(build_params([new], new)).sel(scenario="bas")
    rows = []
    for post in res["rr_post"].values:
        post = str(post)
        model = float(res["resultatrakning"].sel(rr_post=post, year=year))
        utfall = region[post].utfall if post in region else None
        rows.append({"rad": post, "ar": year, "modell": model, "utfall": utfall,
                     "skillnad": None if utfall is None else model - utfall})
    df = pd.DataFrame(rows, columns=["rad", "ar", "modell", "utfall", "skillnad"])
    for c in ("modell", "utfall", "skillnad"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df
