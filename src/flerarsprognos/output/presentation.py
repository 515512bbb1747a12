"""Assumptions as a reader sees them: in the file's unit, Swedish numbers, extended marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from flerarsprognos.output import fmt
from flerarsprognos.io.assumptions import AssumptionSet, from_canonical


def value_text(x: float, unit: str) -> str:
    shown = from_canonical(x, unit)
    decimals = 0 if float(shown).is_integer() and abs(shown) >= 10 else (2 if unit != "procent" else 3)
    text = fmt.mnkr(shown, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def history_text(v) -> str:
    """A ``historik`` value (years before the base year) as text: "2022: 157; 2021: 40"."""
    data = np.asarray(v.data, dtype=float)
    given = [(int(y), x) for y, x in zip(v.years, data) if not np.isnan(x)]
    return "; ".join(f"{y}: {value_text(x, v.file_unit)}" for y, x in given) or "–"


def describe_values(aset: AssumptionSet, contains: str | None = None) -> list[dict]:
    """One row per assumption: key, unit, one value or a cell per year, and the source."""
    rows = []
    n_years = len(aset.years)
    for key, v in aset.values.items():
        if contains and contains not in key:
            continue
        unit = v.file_unit
        single = ""
        if v.spec.history:
            single = history_text(v)
            cells = [""] * n_years
        elif v.spec.coverage == "skalar":
            single = v.data if isinstance(v.data, str) else value_text(v.data, unit)
            cells = [""] * n_years
        else:
            data = np.asarray(v.data, dtype=float)
            cells = []
            for i in range(n_years):
                if i >= len(data) or np.isnan(data[i]) or (v.spec.coverage == "plan" and aset.years[i] > aset.planslut):
                    cells.append("")
                else:
                    star = "*" if v.extended is not None and v.extended[i] else ""
                    cells.append(value_text(data[i], unit) + star)
        label = key + (f" ({v.method})" if v.method else "")
        if v.changed_by:
            label += f" [ändrad av {', '.join(v.changed_by)}]"
        rows.append({"nyckel": label, "enhet": unit, "varde": single, "varden": cells, "kalla": " ".join(v.source.split()),
                     "fil": v.file})
    return rows


def region_name(aset: AssumptionSet) -> str:
    """The region's name from the assumption set ("Region Värmland"), or "" when not given."""
    value = aset.values.get("region_namn")
    return str(value.data).strip() if value is not None and isinstance(value.data, str) else ""


def shown_path(path) -> str:
    """A file as a reader can find it: a shipped file (inside the installed package or the
    checkout) by its name in the repository, another relative to the working directory when
    inside it, else as given. Never a site-packages path."""
    from flerarsprognos.paths import default_assumptions_dir, default_scenarios_dir

    p = Path(path).resolve()
    for folder, name in ((default_assumptions_dir(), "assumptions"), (default_scenarios_dir(), "scenarios")):
        folder = Path(folder).resolve()
        if p == folder or folder in p.parents:
            return f"{name}/{p.relative_to(folder).as_posix()} (medföljer)".replace("/. ", " ")
    try:
        return str(p.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def reserves_holding_up(result: xr.Dataset, scenario: str) -> str:
    """What holds the balanskrav up: the years where it is met only by using RUR/resultatreserv."""
    bk = result["balanskrav"].sel(scenario=scenario)
    years = [int(y) for y in result["year"].values]
    before = bk.sel(bk_post="arets_resultat_efter_balanskravsjusteringar").values
    used = bk.sel(bk_post="anvandning_av_resultatutjamningsreserv").values
    held = [(y, u) for y, b, u in zip(years, before, used, strict=True) if b < -0.5 and u > 0.5]
    if not held:
        return ""
    total = sum(u for _, u in held)
    each = ", ".join(f"{fmt.mnkr(u)} mnkr {y}" for y, u in held)
    span = year_span([y for y, _ in held])
    return (f"Balanskravet nås {span} bara därför att {fmt.mnkr(total)} mnkr av resultatutjämningsreserven (RUR) "
            f"används ({each}); utan den vore balanskravsresultatet negativt.")


def year_span(years: list[int]) -> str:
    """2023, 2023–2024, or 2023, 2025 och 2027 when the years are not consecutive."""
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years[:-1])) + f" och {years[-1]}"
