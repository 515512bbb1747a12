"""Many regions on one national set, and one region on two national sets (prognosunderlag).

``run_regions`` loads each region directory over the same national set and projects them in
one vectorised call: the regions are stacked along ``scenario`` (named by ``region_namn``),
as scenarios are. Regions with another horizon are run in their own call. ``compare_vintages``
runs one region on two national sets and gives the difference in the headline figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.io.assumptions import AssumptionSet, load_assumptions
from flerarsprognos.io.params import build_params
from flerarsprognos.model.engine import project
from flerarsprognos.problems import Problem, Problems

# The comparison's figures: (column, label, kind)
HEADLINES = (("arets_resultat", "Årets resultat", "mnkr"),
             ("balanskravsresultat", "Balanskravsresultat", "mnkr"),
             ("nettokostnadsandel", "Nettokostnadsandel", "andel"))


def shipped_regions() -> list[Path]:
    """The standard region and the example regions that ship with the package."""
    from flerarsprognos.paths import _data_dir, default_assumptions_dir

    examples = _data_dir("regioner")
    if not examples.is_dir():
        examples = Path(__file__).resolve().parents[2] / "examples" / "regioner"
    found = sorted(d for d in examples.iterdir() if (d / "region.yaml").is_file()) if examples.is_dir() else []
    return [default_assumptions_dir(), *found]


def expand(paths: list[Path]) -> list[Path]:
    """Region directories as given; a directory without region.yaml stands for its regions."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        inner = sorted(d for d in p.iterdir() if (d / "region.yaml").is_file()) if p.is_dir() else []
        out += [p] if (p / "region.yaml").is_file() or not inner else inner
    return out


def region_name(aset: AssumptionSet, directory: Path) -> str:
    name = aset.values.get("region_namn")
    return str(name.data) if name is not None else directory.name


@dataclass
class Regions:
    sets: list[AssumptionSet]
    directories: list[Path]
    result: xr.Dataset | None  # all regions of the first horizon, stacked along scenario
    results: list[xr.Dataset] = field(default_factory=list)  # one per horizon group
    warnings: list[Problem] = field(default_factory=list)


def load_regions(directories: list[Path], riket: Path | None, problems: Problems) -> list[AssumptionSet]:
    """Every region over the national set, all problems of all regions reported together."""
    sets = []
    for d in directories:
        own = Problems()
        try:
            sets.append(load_assumptions(d, own, riket=riket))
        except Exception as exc:  # InputError: keep collecting the other regions' problems
            if not hasattr(exc, "problems"):
                raise
        problems.extend(own)
    problems.raise_if_errors()
    return sets


def _category_union(sets: list[AssumptionSet]) -> dict[str, str] | None:
    """Every region's investment categories (id -> balanspost); None if two disagree on a post."""
    union: dict[str, str] = {}
    for s in sets:
        for c in s.kategorier:
            if union.setdefault(c.id, c.balanspost) != c.balanspost:
                return None
    return union


def stacked_params(sets: list[AssumptionSet], names: list[str]) -> xr.Dataset:
    """The regions as scenarios of one parameter Dataset; each region is its own baseline.

    A region without one of the others' investment categories gets it with no investments.
    """
    union = _category_union(sets)
    parts = []
    for s, name in zip(sets, names):
        ds = build_params([s.copy(name)], s)
        for cid in union or {}:
            if f"investeringar_{cid}" not in ds:
                ds[f"investeringar_{cid}"] = (("scenario", "year"), np.zeros((1, ds.sizes["year"])))
                ds[f"avskrivningstid_{cid}"] = (("scenario",), np.ones(1))
                ds[f"avskrivning_nettoandel_{cid}"] = (("scenario",), np.zeros(1))
                ds[f"avskrivning_fran_ar_{cid}"] = (("scenario",), np.full(1, float(s.basar)))
        ds["loneokning_bas"] = ds["loneokning_bas"].expand_dims(scenario=[name])
        ds["kpi_bas"] = ds["kpi_bas"].expand_dims(scenario=[name])
        parts.append(ds)
    out = xr.concat(parts, dim="scenario", data_vars="all", coords="minimal", compat="override",
                    combine_attrs="override")
    out.attrs["investeringskategorier"] = ";".join(f"{c}:{p}" for c, p in (union or {}).items())
    return out


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def run_regions(directories: list[Path], riket: Path | None = None) -> Regions:
    problems = Problems()
    sets = load_regions(directories, riket, problems)
    names = _unique([region_name(s, d) for s, d in zip(sets, directories)])
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(sets):
        groups.setdefault((tuple(s.years), s.planslut, s.basar), []).append(i)
    if any(_category_union([sets[i] for i in m]) is None for m in groups.values()):
        groups = {(i,): [i] for i in range(len(sets))}  # categories that disagree: one region per call
    results = []
    for members in groups.values():
        res = project(stacked_params([sets[i] for i in members], [names[i] for i in members]))
        results.append(res)
    return Regions(sets, directories, results[0] if len(results) == 1 else None, results, problems.warnings)


def headlines(result: xr.Dataset) -> pd.DataFrame:
    """One row per scenario (region) and year: årets resultat, balanskravsresultat, nettokostnadsandel."""
    rows = []
    for scen in result["scenario"].values:
        r = result.sel(scenario=scen)
        for i, year in enumerate(r["year"].values):
            rows.append({
                "region": str(scen), "ar": int(year),
                "arets_resultat": float(r["resultatrakning"].sel(rr_post="arets_resultat").values[i]),
                "balanskravsresultat": float(r["balanskrav"].sel(bk_post="balanskravsresultat").values[i]),
                "nettokostnadsandel": float(r["mal_varde"].sel(mal="nettokostnadsandel").values[i]),
            })
    return pd.DataFrame(rows)


@dataclass
class Vintages:
    aset_a: AssumptionSet
    aset_b: AssumptionSet
    table: pd.DataFrame  # ar, figure columns for a, b and b − a
    warnings: list[Problem]


def compare_vintages(region: Path, riket_a: Path, riket_b: Path) -> Vintages:
    """One region on two national sets: what the new prognosunderlag changes."""
    problems = Problems()
    sets = []
    for riket in (riket_a, riket_b):
        own = Problems()
        try:
            sets.append(load_assumptions(region, own, riket=riket))
        except Exception as exc:
            if not hasattr(exc, "problems"):
                raise
        problems.extend(own)
    problems.raise_if_errors()
    a, b = sets
    if list(a.years) != list(b.years):
        problems.error(riket_b, None, "prognosunderlagen ger olika horisont för regionen")
        problems.raise_if_errors()
    ha = headlines(project(build_params([a], a)))
    hb = headlines(project(build_params([b], b)))
    table = pd.DataFrame({"ar": ha["ar"]})
    for col, _, _ in HEADLINES:
        table[f"{col}_a"] = ha[col]
        table[f"{col}_b"] = hb[col]
        table[f"{col}_skillnad"] = hb[col] - ha[col]
    return Vintages(a, b, table, problems.warnings)
