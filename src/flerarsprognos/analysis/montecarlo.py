"""Monte Carlo with correlated shocks to the uncertainties, and Sobol indices.

The uncertainties, their standard deviations, their persistence from year to year and their
correlations are data (``scenarios/osakerheter.yaml``, ``typ: osakerheter``). For each draw
and each year from ``fran_ar`` a shock vector z_t ~ N(0, R) is drawn (R the correlation
matrix), made persistent as e_t = ρ·e_{t−1} + √(1−ρ²)·z_t, scaled by each uncertainty's
standard deviation and added to its keys. Draws are generated in fixed blocks of
:data:`BLOCK` with the seed ``(seed, block)``, so the same seed gives the same numbers
whatever the chunking (in-process or dask).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from flerarsprognos.io.assumptions import AssumptionSet
from flerarsprognos.io.yamlfile import as_number, as_year
from flerarsprognos.problems import Problems
from flerarsprognos.analysis.evaluate import collect, evaluate
from flerarsprognos.analysis.factors import Experiment, Factor, check_factor
from flerarsprognos.analysis.spec import read_header
from flerarsprognos.io.yamlfile import check_keys

BLOCK = 65_536
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
# Smaller than the sweep's chunk: 10^7 draws keep their outcomes in memory, and the
# chunks' working sets on top must stay within 4 GB (benchmarks/bench_sweep.py --summary).
MC_CHUNK = 16_384
MC_OUTCOMES = ("arets_resultat", "balanskravsresultat", "rur", "nettokostnadsandel", "uppfyllt_balanskrav")
FILE_KEYS = {"typ", "titel", "beskrivning", "kalla", "fran_ar", "persistens", "osakerheter", "korrelationer"}
ENTRY_KEYS = {"nycklar", "enhet", "standardavvikelse", "kalla", "etikett", "anteckning"}
RUR_EMPTY_MNKR = 0.5


@dataclass
class Uncertainties:
    path: Path
    factors: list[Factor]
    sd: np.ndarray  # canonical units, one per factor
    correlation: np.ndarray  # (F, F)
    persistence: float
    first_year: int
    title: str

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]


def default_uncertainties_file() -> Path:
    from flerarsprognos.paths import default_scenarios_dir

    return default_scenarios_dir() / "osakerheter.yaml"


def _plausible_sd(f: Factor, sd: float, file: str, where: str, problems: Problems) -> bool:
    """An error for a standard deviation wider than half the key's possible range (a unit or typing
    mistake: 50 procentenheter on KPI), a warning for one wider than its plausible range."""
    from flerarsprognos.io.schema import SPECS

    sd_c = float(f.canonical(sd))
    for key in f.keys:
        spec = SPECS.get(key)
        if spec is None:
            continue
        lo, hi = spec.error
        if lo is not None and hi is not None and sd_c > (hi - lo) / 2:
            problems.error(file, where, f"standardavvikelsen {sd:g} {f.unit} är orimligt stor för {key} "
                                        f"(större än halva det möjliga intervallet); är enheten rätt angiven?")
            return False
        wlo, whi = spec.warn
        if wlo is not None and whi is not None and sd_c > (whi - wlo):
            problems.warn(file, where, f"standardavvikelsen {sd:g} {f.unit} är större än hela det rimliga "
                                       f"intervallet för {key}")
    return True


def read_uncertainties(path: Path, aset: AssumptionSet, problems: Problems) -> Uncertainties | None:
    """Read and validate the uncertainty file: keys, units, sd > 0, a valid correlation matrix."""
    path = Path(path)
    data = read_header(path, problems, "osakerheter", FILE_KEYS)
    if data is None:
        return None
    file = str(path)
    first = as_year(data.get("fran_ar", aset.basar))
    if first is None or not (aset.basar <= first <= aset.slutar):
        problems.error(file, "fran_ar", f"'{data.get('fran_ar')}' är inget år i horisonten {aset.basar}–{aset.slutar}")
        first = aset.basar
    rho, why = as_number(data.get("persistens", 0.0))
    if why or not (0.0 <= rho < 1.0):
        problems.error(file, "persistens", why or f"ska ligga i [0, 1) (är {rho:g})")
        rho = 0.0
    raw = data.get("osakerheter")
    if not isinstance(raw, dict) or not raw:
        problems.error(file, "osakerheter", "saknas eller är tom")
        return None
    factors, sds = [], []
    years = tuple(range(first, aset.slutar + 1))
    for name, entry in raw.items():
        where = f"osakerheter.{name}"
        if not isinstance(entry, dict):
            problems.error(file, where, "ska vara en tabell med nycklar, enhet, standardavvikelse och kalla")
            continue
        check_keys(entry, ENTRY_KEYS, file, where, problems)
        keys = entry.get("nycklar", [name])
        keys = [keys] if isinstance(keys, str) else keys
        unit = entry.get("enhet")
        if not isinstance(unit, str):
            problems.error(file, f"{where}.enhet", "saknas")
            continue
        if not isinstance(entry.get("kalla"), str) or not entry["kalla"].strip():
            problems.error(file, f"{where}.kalla", "källa saknas (underlaget för standardavvikelsen)")
        f = Factor(str(name), tuple(map(str, keys)), "forskjutning", unit, years, str(entry.get("etikett", name)))
        if not check_factor(f, aset, file, where, problems):
            continue
        sd, why = as_number(entry.get("standardavvikelse"))
        if why or sd <= 0:
            problems.error(file, f"{where}.standardavvikelse", why or f"ska vara > 0 (är {sd:g})")
            continue
        if not _plausible_sd(f, sd, file, f"{where}.standardavvikelse", problems):
            continue
        factors.append(f)
        sds.append(float(f.canonical(sd)))
    names = [f.name for f in factors]
    corr = _correlations(data.get("korrelationer", {}) or {}, names, file, problems)
    if len(factors) == len(raw) and not problems.errors:
        eig = np.linalg.eigvalsh(corr)
        if eig.min() <= 1e-10:
            problems.error(file, "korrelationer", f"korrelationerna bildar ingen giltig (positivt definit) matris; "
                                                  f"minsta egenvärde {eig.min():.3g}")
    return Uncertainties(path, factors, np.asarray(sds), corr, float(rho), int(first), str(data.get("titel", "")))


def _correlations(raw_corr: object, names: list[str], file: str, problems: Problems) -> np.ndarray:
    """The correlation matrix from ``korrelationer: {a: {b: r}}``; each bad entry reported."""
    corr = np.eye(len(names))
    if not isinstance(raw_corr, dict):
        problems.error(file, "korrelationer", "ska vara en tabell {a: {b: korrelation}}")
        raw_corr = {}
    seen: dict[tuple[int, int], float] = {}
    for a, row in raw_corr.items():
        if not isinstance(row, dict):
            problems.error(file, f"korrelationer.{a}", "ska vara en tabell {b: korrelation}")
            continue
        for b, v in row.items():
            where = f"korrelationer.{a}.{b}"
            if str(a) not in names or str(b) not in names:
                missing = a if str(a) not in names else b
                problems.error(file, where, f"'{missing}' är ingen av osäkerheterna ({', '.join(names)})")
                continue
            r, why = as_number(v)
            if why or not (-1.0 <= r <= 1.0):
                problems.error(file, where, why or f"en korrelation ligger i [-1, 1] (är {r:g})")
                continue
            i, j = names.index(str(a)), names.index(str(b))
            if i == j:
                if r != 1.0:
                    problems.error(file, where, "en variabels korrelation med sig själv är 1")
                continue
            pair = (min(i, j), max(i, j))
            if pair in seen and seen[pair] != r:
                problems.error(file, where, f"motsäger den tidigare angivna korrelationen {seen[pair]:g}")
                continue
            seen[pair] = r
            corr[i, j] = corr[j, i] = r
    return corr


def draws(unc: Uncertainties, n: int, seed: int, n_years: int, first_index: int,
          start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
    """Shock paths (draw, year) per uncertainty for draws start..stop of n, canonical units."""
    stop = n if stop is None else stop
    chol = np.linalg.cholesky(unc.correlation)
    F = len(unc.factors)
    out = np.zeros((stop - start, F, n_years))
    b0, b1 = start // BLOCK, (stop - 1) // BLOCK
    for b in range(b0, b1 + 1):
        lo, hi = b * BLOCK, min((b + 1) * BLOCK, n)
        rng = np.random.default_rng([seed, b])
        z = rng.standard_normal((hi - lo, n_years - first_index, F)) @ chol.T  # (draws, years, F)
        e = np.empty_like(z)
        e[:, 0] = z[:, 0]
        for t in range(1, z.shape[1]):
            e[:, t] = unc.persistence * e[:, t - 1] + np.sqrt(1 - unc.persistence ** 2) * z[:, t]
        s, t_ = max(lo, start), min(hi, stop)
        out[s - start:t_ - start, :, first_index:] = (e[s - lo:t_ - lo] * unc.sd).transpose(0, 2, 1)
    return {f.name: out[:, k, :] for k, f in enumerate(unc.factors)}


def montecarlo(params: xr.Dataset, unc: Uncertainties, n: int, seed: int, *, progress=None,
               client=None, keep_draws: bool = False) -> xr.Dataset:
    """Percentile bands and probabilities per year from n correlated draws.

    Returns ``percentiler`` (outcome, percentil, year), ``sannolikhet`` (handelse, year) and,
    with ``keep_draws``, the outcomes per draw.
    """
    years = params["year"].values
    Y = len(years)
    first_index = int(np.searchsorted(years, unc.first_year))
    outcomes = MC_OUTCOMES
    values = np.empty((n, Y, len(outcomes)))
    blocks = [(b0, min(b0 + BLOCK, n)) for b0 in range(0, n, BLOCK)]
    if client is not None:
        # One task per block; each worker draws its own block from (seed, block).
        params_f = client.scatter(params, broadcast=True)
        futures = {client.submit(mc_block, params_f, unc, n, seed, first_index, b0, b1, outcomes, pure=False): (b0, b1)
                   for b0, b1 in blocks}
        collect(futures, values, progress)
    else:
        for b0, b1 in blocks:
            values[b0:b1] = mc_block(params, unc, n, seed, first_index, b0, b1, outcomes, threads=2)
            if progress:
                progress(b1 - b0)
    return summarize(values, outcomes, years, params, keep_draws)


def mc_block(params: xr.Dataset, unc: Uncertainties, n: int, seed: int, first_index: int, b0: int, b1: int,
             outcomes: tuple[str, ...], threads: int = 1) -> np.ndarray:
    """Draws b0..b1 of n and their outcomes (draw, year, outcome)."""
    Y = params.sizes["year"]
    exp = Experiment(unc.factors, draws(unc, n, seed, Y, first_index, b0, b1))
    return evaluate(params, exp, outcomes, chunk=MC_CHUNK, threads=threads)


def summarize(values: np.ndarray, outcomes: tuple[str, ...], years, params: xr.Dataset,
              keep_draws: bool = False) -> xr.Dataset:
    idx = {name: j for j, name in enumerate(outcomes)}
    pct = np.stack([np.percentile(values[:, :, idx[o]], PERCENTILES, axis=0)
                    for o in ("arets_resultat", "balanskravsresultat", "rur", "nettokostnadsandel")])
    target = float(np.asarray(params["mal_nettokostnadsandel"].values).ravel()[0])
    # The balanskrav is judged after the use of RUR; how often the plan needs the reserve at
    # all is shown beside it, so a reader sees how much of the safety is the reserve's.
    prob = np.stack([
        (values[:, :, idx["arets_resultat"]] < 0).mean(axis=0),
        1.0 - values[:, :, idx["uppfyllt_balanskrav"]].mean(axis=0),
        (values[:, :, idx["nettokostnadsandel"]] > target).mean(axis=0),
        (values[:, :, idx["rur"]] < RUR_EMPTY_MNKR).mean(axis=0),
    ])
    ds = xr.Dataset(
        {"percentiler": (("utfall", "percentil", "year"), pct),
         "sannolikhet": (("handelse", "year"), prob),
         "medel": (("utfall", "year"), np.stack([values[:, :, idx[o]].mean(axis=0)
                                                 for o in ("arets_resultat", "balanskravsresultat", "rur",
                                                           "nettokostnadsandel")]))},
        coords={"utfall": ["arets_resultat", "balanskravsresultat", "rur", "nettokostnadsandel"],
                "percentil": list(PERCENTILES), "year": years,
                "handelse": ["underskott_fore_rur", "balanskrav_ej_uppfyllt", "nettokostnadsandel_over_mal",
                             "rur_uttomd"]},
        attrs={"antal_dragningar": values.shape[0],
               "mal_nettokostnadsandel": target,
               "rur_uttomd": f"RUR och resultatreserv tillsammans under {RUR_EMPTY_MNKR} mnkr"},
    )
    if keep_draws:
        for j, name in enumerate(outcomes):
            ds[f"dragning_{name}"] = (("draw", "year"), values[:, :, j])
    return ds


def sobol(params: xr.Dataset, unc: Uncertainties, n: int, seed: int, outcome: str = "arets_resultat",
          confidence: float = 0.95, n_resamples: int = 200) -> xr.Dataset:
    """First-order and total Sobol indices per year, with bootstrap confidence intervals.

    Each uncertainty is one independent normal level shift (sd from the file) over the years
    from ``fran_ar``: Sobol indices need independent inputs, so correlations and persistence
    are left out here (they belong to the Monte Carlo).
    """
    import warnings

    from scipy.stats import norm, sobol_indices

    all_years = params["year"].values
    first = int(np.searchsorted(all_years, unc.first_year))
    years = all_years[first:]  # earlier years do not vary: their indices are undefined
    level = [Factor(f.name, f.keys, f.mode, f.unit, f.years, f.label) for f in unc.factors]

    def func(x):  # x: (d, m) canonical shifts → (years, m)
        exp = Experiment(level, {f.name: x[k] for k, f in enumerate(level)})
        return evaluate(params, exp, (outcome,))[:, first:, 0].T

    m = 1 << int(np.ceil(np.log2(max(n, 2))))
    with warnings.catch_warnings():
        # An uncertainty without effect (e.g. the interest rate while the region has no loans)
        # has a degenerate bootstrap distribution; its interval is reported as NaN.
        warnings.simplefilter("ignore")
        res = sobol_indices(func=func, n=m, dists=[norm(0.0, sd) for sd in unc.sd],
                            rng=np.random.default_rng(seed))
        (first_lo, total_lo), (first_hi, total_hi) = _seeded_bootstrap(res, confidence, n_resamples,
                                                                       BOOTSTRAP_SEED_OFFSET + seed)
    dims = ("year", "osakerhet")
    return xr.Dataset(
        {"forsta_ordningen": (dims, res.first_order),
         "total": (dims, res.total_order),
         "forsta_ordningen_lag": (dims, first_lo),
         "forsta_ordningen_hog": (dims, first_hi),
         "total_lag": (dims, total_lo),
         "total_hog": (dims, total_hi)},
        coords={"year": years, "osakerhet": unc.names,
                "etikett": ("osakerhet", [f.label or f.name for f in unc.factors])},
        attrs={"utfall": outcome, "n_basprov": m, "konfidensniva": confidence, "seed": seed,
               "bootstrap_seed": BOOTSTRAP_SEED_OFFSET + seed, "bootstrap_omdragningar": n_resamples},
    )


BOOTSTRAP_SEED_OFFSET = 1  # the bootstrap draws from its own stream, seeded from the run's seed


def _seeded_bootstrap(res, confidence: float, n_resamples: int, seed: int):
    """The BCa bootstrap of the Sobol indices (as scipy's SobolResult.bootstrap) with a seeded generator.

    scipy's own ``bootstrap()`` method draws from fresh entropy, so the intervals would change
    between runs with the same seed. Returns ((first_low, total_low), (first_high, total_high)).
    """
    import inspect

    from scipy.stats import bootstrap

    def statistic(idx):
        return res._indices_method(res._f_A[:, idx], res._f_B[:, idx], res._f_AB[..., idx])

    rng_arg = "rng" if "rng" in inspect.signature(bootstrap).parameters else "random_state"
    out = bootstrap([np.arange(res._f_A.shape[1])], statistic=statistic, method="BCa", n_resamples=n_resamples,
                    confidence_level=confidence, **{rng_arg: np.random.default_rng(seed)})
    return out.confidence_interval.low, out.confidence_interval.high


OUTCOME_LABELS = {"arets_resultat": "Årets resultat", "balanskravsresultat": "Balanskravsresultat",
                  "rur": "RUR och resultatreserv, utgående", "nettokostnadsandel": "Nettokostnadsandel"}
EVENT_LABELS = {"underskott_fore_rur": "P(underskott före RUR: årets resultat < 0)",
                "balanskrav_ej_uppfyllt": "P(balanskravet nås inte, efter RUR)",
                "nettokostnadsandel_over_mal": "P(nettokostnadsandel över målet)",
                "rur_uttomd": "P(RUR och resultatreserv slut)"}


def mc_long_table(res: xr.Dataset, scenario: str):
    """montecarlo.csv: scenario, ar, matt, utfall, varde (percentiles, means, probabilities)."""
    import pandas as pd

    rows = []
    for o in res["utfall"].values:
        for y in res["year"].values:
            for p in res["percentil"].values:
                rows.append((scenario, int(y), f"p{int(p)}", str(o), float(res["percentiler"].sel(utfall=o, percentil=p, year=y))))
            rows.append((scenario, int(y), "medel", str(o), float(res["medel"].sel(utfall=o, year=y))))
    for h in res["handelse"].values:
        for y in res["year"].values:
            rows.append((scenario, int(y), "sannolikhet", str(h), float(res["sannolikhet"].sel(handelse=h, year=y))))
    return pd.DataFrame(rows, columns=["scenario", "ar", "matt", "utfall", "varde"])


def mc_tables(res: xr.Dataset, scenario: str):
    from rich.markup import escape
    from rich.table import Table

    from flerarsprognos.output import fmt

    years = res["year"].values
    out = []
    for o in res["utfall"].values:
        o = str(o)
        n = int(res.attrs["antal_dragningar"])
        t = Table(title=f"Monte Carlo – {escape(scenario)}: {OUTCOME_LABELS[o]} "
                        f"({fmt.mnkr(n)} {'dragning' if n == 1 else 'dragningar'})",
                  title_justify="left", header_style="bold", show_edge=False)
        t.add_column("Percentil", overflow="fold")
        for y in years:
            t.add_column(str(int(y)), justify="right", no_wrap=True)
        for p in res["percentil"].values:
            v = res["percentiler"].sel(utfall=o, percentil=p).values
            cells = [fmt.procent(x) if o == "nettokostnadsandel" else fmt.mnkr(x) for x in v]
            t.add_row(f"{int(p)} %", *cells)
        out.append(t)
    t = Table(title=f"Sannolikheter – {escape(scenario)}", title_justify="left", header_style="bold", show_edge=False)
    t.add_column("Händelse", overflow="fold")
    for y in years:
        t.add_column(str(int(y)), justify="right", no_wrap=True)
    for h in res["handelse"].values:
        t.add_row(EVENT_LABELS[str(h)], *[fmt.procent(x) for x in res["sannolikhet"].sel(handelse=h).values])
    out.append(t)
    return out


def sobol_long_table(res: xr.Dataset, scenario: str):
    df = res.to_dataframe().reset_index().rename(columns={"year": "ar"})
    df.insert(0, "scenario", scenario)
    return df


def sobol_table(res: xr.Dataset, scenario: str):
    from rich.markup import escape
    from rich.table import Table

    from flerarsprognos.output import fmt

    years = res["year"].values
    t = Table(title=f"Sobolindex – {escape(scenario)}: årets resultat, första ordningen / totalt "
                    f"({fmt.mnkr(res.attrs['n_basprov'])} basprov; konfidensintervall i sobol.csv; osäkerheterna "
                    "antas oberoende, utan korrelationer)",
              title_justify="left", header_style="bold", show_edge=False)
    t.add_column("Osäkerhet", no_wrap=True)
    for y in years:
        t.add_column(str(int(y)), justify="right", no_wrap=True)
    for u in res["osakerhet"].values:
        r = res.sel(osakerhet=u)
        cells = []
        for i in range(len(years)):
            s1, st = float(r["forsta_ordningen"][i]), float(r["total"][i])
            cells.append("–" if np.isnan(st) else f"{fmt.mnkr(s1, 2)} / {fmt.mnkr(st, 2)}")
        label = str(r["etikett"].values) if "etikett" in r.coords else str(u)
        t.add_row(escape(label), *cells)
    return t
