"""The standard känslighetsanalys (docs/analys.md), both sides, in one vectorised run.

Each assumption is moved up and down by its standard step, alone, against the scenario it
starts from; the effect is the change in årets resultat and balanskravsresultat per year.
Both sides are shown because the model is not symmetric (RUR use only covers deficits,
reserving only happens above 1 %, pensions are indexed a year later).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.analysis.evaluate import evaluate
from flerarsprognos.analysis.factors import Experiment, Factor


@dataclass(frozen=True)
class Step:
    """One row of the känslighetsanalys: what moves, by how much, and how to say it."""

    name: str
    label: str
    factor: Factor
    size: float  # file units
    text_up: str
    text_down: str
    first_year_only: bool = False  # a level shift from the base year (volume, SU level)


def standard_steps(base_year: int) -> list[Step]:
    """+1 pe löneökning (in the whole economy, and for the region's staff alone), +1 pe KPI
    (and PBB), +1 % skatteunderlag, +10 öre, +1 % volym, +100 mnkr statsbidrag, +1 pe ränta:
    every year of the horizon, from the base year."""
    return [
        Step("loneokning", "Löneökning i hela ekonomin",
             Factor("loneokning", ("loneokning",), "forskjutning", "procent"),
             1.0, "+1 procentenhet", "-1 procentenhet"),
        Step("loneokning_personal", "Löneökning, bara regionens personal",
             Factor("loneokning_personal", ("loneokning_regionen_utover",), "forskjutning", "procent"),
             1.0, "+1 procentenhet", "-1 procentenhet"),
        Step("kpi", "Prisökning (KPI; prisbasbeloppet följer året efter)",
             Factor("kpi", ("kpi",), "forskjutning", "procent"),
             1.0, "+1 procentenhet", "-1 procentenhet"),
        Step("skatteunderlag", "Skatteunderlag i regionen (nivå; utjämningen motverkar)",
             Factor("skatteunderlag", ("skatteunderlag_regionen_utover",), "forskjutning", "procent", (base_year,)),
             1.0, "+1 %", "-1 %"),
        Step("skattesats", "Skattesats", Factor("skattesats", ("skattesats",), "forskjutning", "procent"),
             0.1, "+10 öre", "-10 öre"),
        Step("verksamhetsvolym", "Verksamhetsvolym (nivå)",
             Factor("verksamhetsvolym", ("volymokning",), "forskjutning", "procent", (base_year,)),
             1.0, "+1 %", "-1 %"),
        Step("statsbidrag", "Generella statsbidrag",
             Factor("statsbidrag", ("tillfalliga_bidrag",), "forskjutning", "mnkr"),
             100.0, "+100 mnkr", "-100 mnkr"),
        Step("ranta", "Upplåningsränta (slår bara på lån)", Factor("ranta", ("ranta",), "forskjutning", "procent"),
             1.0, "+1 procentenhet", "-1 procentenhet"),
    ]


POSTS = ("arets_resultat", "balanskravsresultat")


def sensitivity(params: xr.Dataset, steps: list[Step] | None = None) -> xr.Dataset:
    """Effects (mnkr) with dims (antagande, sida, year, post); sida = +1 (up) or -1 (down).

    One engine call: row 0 is the unchanged scenario, then each step up and down.
    """
    years = params["year"].values
    steps = steps or standard_steps(int(years[0]))
    n = 1 + 2 * len(steps)
    table = {}
    for k, s in enumerate(steps):
        x = np.zeros(n)
        x[1 + 2 * k] = s.factor.canonical(s.size)
        x[2 + 2 * k] = -s.factor.canonical(s.size)
        table[s.factor.name] = x
    exp = Experiment([s.factor for s in steps], table)
    values = evaluate(params, exp, POSTS)  # (n, year, post)
    effect = values[1:] - values[:1]
    effect = effect.reshape(len(steps), 2, len(years), len(POSTS))
    return xr.Dataset(
        {"effekt_mnkr": (("antagande", "sida", "year", "post"), effect),
         "utgangslage_mnkr": (("year", "post"), values[0])},
        coords={"antagande": [s.name for s in steps], "sida": [1, -1], "year": years, "post": list(POSTS),
                "etikett": ("antagande", [s.label for s in steps]),
                "forandring_upp": ("antagande", [s.text_up for s in steps]),
                "forandring_ned": ("antagande", [s.text_down for s in steps])},
    )


def sensitivity_table(result: xr.Dataset, scenario: str = "bas") -> pd.DataFrame:
    """The long table ``scenario,ar,antagande,forandring,post,mnkr`` (kanslighet.csv)."""
    rows = []
    for a in result["antagande"].values:
        r = result.sel(antagande=a)
        for side, text in ((1, str(r["forandring_upp"].values)), (-1, str(r["forandring_ned"].values))):
            for y in result["year"].values:
                for post in result["post"].values:
                    rows.append((scenario, int(y), str(a), text, str(post),
                                 float(r["effekt_mnkr"].sel(sida=side, year=y, post=post)) + 0.0))
    return pd.DataFrame(rows, columns=["scenario", "ar", "antagande", "forandring", "post", "mnkr"])


def rich_table(result: xr.Dataset, post: str, scenario: str):
    from rich.table import Table

    from flerarsprognos.output import fmt

    title = {"arets_resultat": "årets resultat", "balanskravsresultat": "balanskravsresultatet"}[post]
    t = Table(title=f"Känslighetsanalys – {scenario}: effekt på {title}, mnkr", title_justify="left",
              header_style="bold", show_edge=False)
    t.add_column("Antagande", overflow="fold", min_width=24)
    t.add_column("Förändring", no_wrap=True)
    for y in result["year"].values:
        t.add_column(str(int(y)), justify="right", no_wrap=True)
    for a in result["antagande"].values:
        r = result.sel(antagande=a, post=post)
        for side, key in ((1, "forandring_upp"), (-1, "forandring_ned")):
            t.add_row(str(r["etikett"].values) if side == 1 else "", str(r[key].values),
                      *[fmt.mnkr(v) for v in r["effekt_mnkr"].sel(sida=side).values])
    t.caption = ("Varje antagande ändras ensamt, alla år från basåret (volym och skatteunderlag: "
                 "nivån från basåret). Prisökningen flyttar prisbasbeloppet året efter (fastställt hösten före).")
    t.caption_justify = "left"
    return t
