"""Sweeps: a grid or a design of scenarios, one vectorised engine evaluation per chunk.

:func:`sweep` returns an xarray Dataset: for a grid, the outcomes over the sweep axes ×
``year``; for a design, over ``scenario`` × ``year`` with the experiment table beside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.problems import Problems
from flerarsprognos.analysis.evaluate import DEFAULT_CHUNK, DEFAULT_OUTCOMES, OUTCOMES, evaluate, evaluate_dask
from flerarsprognos.analysis.factors import Experiment, baseline_params, check_bounds
from flerarsprognos.analysis.spec import SweepSpec, read_sweep_spec


def load_sweep(spec_file: Path, assumptions: Path | None = None):
    """Read the spec and its baseline; raise InputError with every problem found."""
    from flerarsprognos.runner import load_sets

    problems = Problems()
    spec_file = Path(spec_file)
    # The baseline named in the spec is read first, so keys and units are checked against it.
    from flerarsprognos.analysis.spec import read_header

    header = read_header(spec_file, problems, "svep")
    problems.raise_if_errors()
    baseline = str(header.get("baslinje", "bas"))
    args = [] if baseline == "bas" else [_resolve_baseline(baseline, spec_file)]
    missing = [part for arg in args for part in arg.split("+") if not Path(part).is_file()]
    if missing:
        problems.error(spec_file, "baslinje", f"scenariot '{baseline}' finns varken bredvid svepfilen "
                                              f"eller bland de medföljande scenarierna")
        problems.raise_if_errors()
    base, sets = load_sets(assumptions, args, problems)
    aset = sets[-1]
    spec = read_sweep_spec(spec_file, aset, problems)
    problems.raise_if_errors()
    params = baseline_params(aset, base)
    experiment = build_experiment(spec)
    lo, hi = _extremes(spec)
    check_bounds(experiment.factors, lo, hi, params, str(spec_file),
                 {f.name: (f"axlar.{f.name}" if spec.is_grid else f"design.faktorer.{f.name}")
                  for f in experiment.factors}, problems)
    if spec.is_grid is False and spec.design_n <= 0:
        problems.error(spec_file, "design.n", "ska vara ett positivt heltal")
    problems.raise_if_errors()
    return spec, base, aset, params, experiment, problems.warnings


def _resolve_baseline(name: str, spec_file: Path) -> str:
    from flerarsprognos.paths import resolve_scenario

    beside = spec_file.with_name(name if name.endswith(".yaml") else f"{name}.yaml")
    return str(beside) if beside.is_file() else resolve_scenario(name)


def _extremes(spec: SweepSpec) -> tuple[dict, dict]:
    lo, hi = {}, {}
    if spec.is_grid:
        for a in spec.axes:
            f = a.factor
            if a.paths is not None:
                import warnings

                with warnings.catch_warnings():  # a year no path gives stays NaN (unchanged)
                    warnings.simplefilter("ignore", RuntimeWarning)
                    lo[f.name], hi[f.name] = np.nanmin(a.paths, axis=0), np.nanmax(a.paths, axis=0)
            else:
                lo[f.name], hi[f.name] = f.canonical(a.values.min()), f.canonical(a.values.max())
    else:
        for d in spec.design_factors:
            lo[d.factor.name], hi[d.factor.name] = d.factor.canonical(d.lo), d.factor.canonical(d.hi)
    return lo, hi


def build_experiment(spec: SweepSpec) -> Experiment:
    """The full grid (first axis slowest) or the design's sample, in canonical units."""
    if spec.is_grid:
        grids = np.meshgrid(*[a.values for a in spec.axes], indexing="ij")
        table, extra = {}, {}
        for a, g in zip(spec.axes, grids, strict=True):
            flat = g.ravel()
            extra[a.factor.name] = flat
            if a.paths is not None:
                table[a.factor.name] = a.paths[flat.astype(int)]
            else:
                table[a.factor.name] = a.factor.canonical(flat)
        return Experiment([a.factor for a in spec.axes], table, extra)
    sample = design_sample(spec.design_method, spec.design_n, len(spec.design_factors), spec.design_seed)
    table, extra = {}, {}
    for j, d in enumerate(spec.design_factors):
        x = d.lo + (d.hi - d.lo) * sample[:, j]
        extra[d.factor.name] = x
        table[d.factor.name] = d.factor.canonical(x)
    return Experiment([d.factor for d in spec.design_factors], table, extra)


def design_sample(method: str, n: int, d: int, seed: int) -> np.ndarray:
    """(n, d) points in the unit cube from scipy.stats.qmc (or plain random)."""
    from scipy.stats import qmc

    if method == "lhs":
        return qmc.LatinHypercube(d=d, seed=seed).random(n)
    if method == "sobol":
        import warnings

        with warnings.catch_warnings():  # n not a power of 2 loses balance properties; allowed
            warnings.simplefilter("ignore", UserWarning)
            return qmc.Sobol(d=d, scramble=True, seed=seed).random(n)
    return np.random.default_rng(seed).random((n, d))


def sweep(base: xr.Dataset, experiment: Experiment, spec: SweepSpec | None = None, *,
          outcomes: tuple[str, ...] = DEFAULT_OUTCOMES, chunk: int = DEFAULT_CHUNK, progress=None,
          client=None, threads: int = 1) -> xr.Dataset:
    """Evaluate every scenario of the experiment; labelled outcomes (grid axes or scenario) × year."""
    if client is not None:
        values = evaluate_dask(base, experiment, outcomes, chunk=chunk, progress=progress, client=client)
    else:
        values = evaluate(base, experiment, outcomes, chunk=chunk, progress=progress, threads=threads)
    years = base["year"].values
    if spec is not None and spec.is_grid:
        shape = tuple(len(a.values) for a in spec.axes)
        dims = tuple(a.factor.name for a in spec.axes)
        coords = {a.factor.name: a.values for a in spec.axes}
        values = values.reshape(shape + values.shape[1:])
    else:
        dims = ("scenario",)
        coords = {"scenario": np.arange(experiment.n)}
    coords["year"] = years
    ds = xr.Dataset({name: (dims + ("year",), values[..., j], {"beskrivning": OUTCOMES[name]})
                     for j, name in enumerate(outcomes)}, coords=coords)
    for f in experiment.factors:
        if f.name in ds.coords:
            ds[f.name].attrs.update(enhet=_unit_text(f), nycklar=",".join(f.keys), andring=f.mode,
                                    etikett=f.label)
        else:
            ds[f"faktor_{f.name}"] = ("scenario", experiment.extra.get(f.name, experiment.table[f.name]),
                                      {"enhet": _unit_text(f), "nycklar": ",".join(f.keys), "andring": f.mode})
    return ds


def _unit_text(f) -> str:
    if f.mode == "relativ":
        return "procent (relativ ändring)"
    if f.unit == "procent":
        return "procentenheter" if f.mode == "forskjutning" else "procent"
    return f.unit


def experiment_table(experiment: Experiment, spec: SweepSpec | None = None) -> pd.DataFrame:
    """One row per scenario: the factor values as written in the spec (file units)."""
    cols = {"scenario": np.arange(experiment.n)}
    for f in experiment.factors:
        if spec is not None and spec.is_grid:
            axis = next(a for a in spec.axes if a.factor.name == f.name)
            if axis.paths is not None:
                cols[f"{f.name} (bana nr)"] = experiment.extra[f.name].astype(int)
                continue
        cols[f"{f.name} ({_unit_text(f)})"] = experiment.extra.get(f.name, f.shown(experiment.table[f.name]))
    return pd.DataFrame(cols)


def long_table(ds: xr.Dataset, outcomes: tuple[str, ...] = ("arets_resultat", "balanskravsresultat",
                                                             "nettokostnadsandel")) -> pd.DataFrame:
    """Outcomes as a long table (one row per scenario/grid point and year)."""
    df = ds[list(outcomes)].to_dataframe().reset_index().rename(columns={"year": "ar"})
    return df


def goal_marks(ds: xr.Dataset, sel: dict) -> str:
    """B, N, R for the goals met at ``sel``: balanskrav, nettokostnadsandel, resultatmål."""
    marks = ""
    for letter, var in (("B", "uppfyllt_balanskrav"), ("N", "uppfyllt_nettokostnadsandel"),
                        ("R", "uppfyllt_resultatmal")):
        if var in ds and float(ds[var].sel(sel)) >= 0.5:
            marks += letter
    return marks


def grid_table(ds: xr.Dataset, spec: SweepSpec):
    """Rows = first axis, columns = second, cells = the outcome in the chosen year and goals met."""
    from rich.markup import escape
    from rich.table import Table

    from flerarsprognos.output import fmt

    year = spec.table_year
    rows, cols = spec.table_rows, spec.table_columns
    outcome = spec.table_outcome
    row_axis = next(a for a in spec.axes if a.factor.name == rows)
    fixed = {a.factor.name: a.values[0] for a in spec.axes if a.factor.name not in (rows, cols)}
    title = f"{OUTCOMES[outcome]} {year}: {escape(spec.title)}"
    if fixed:
        title += " (" + ", ".join(f"{escape(k)} = {fmt.mnkr(v, 2)}" for k, v in fixed.items()) + ")"
    t = Table(title=title, title_justify="left", header_style="bold", show_edge=False)
    t.add_column(escape(f"{row_axis.factor.label} ↓ / " + (next(a for a in spec.axes if a.factor.name == cols)
                                                          .factor.label + " →" if cols else "")), overflow="fold")
    col_values = ds[cols].values if cols else [None]
    for c in col_values:
        t.add_column(escape(_axis_value_text(spec, cols, c)) if cols else "", justify="right", no_wrap=True)
    for r in ds[rows].values:
        cells = []
        for c in col_values:
            sel = {rows: r, "year": year, **fixed}
            if cols:
                sel[cols] = c
            v = float(ds[outcome].sel(sel))
            text = fmt.procent(v) if outcome == "nettokostnadsandel" else fmt.mnkr(v)
            marks = goal_marks(ds, sel)
            style = "green" if marks == "BNR" else ("yellow" if "B" in marks else "red")
            cells.append(f"[{style}]{text} {marks or '–'}[/{style}]")
        t.add_row(escape(_axis_value_text(spec, rows, r)), *cells)
    t.caption = ("Mål som nås: B = balanskravet (efter användning av RUR), N = nettokostnadsandel högst målet, "
                 "R = resultatmålet; "
                 "– = inget av dem. Skift mot planens antaganden.")
    t.caption_justify = "left"
    return t


def _axis_value_text(spec: SweepSpec, name: str, value) -> str:
    from flerarsprognos.output import fmt

    axis = next(a for a in spec.axes if a.factor.name == name)
    if axis.paths is not None:
        return f"bana {int(value) + 1}"
    f = axis.factor
    sign = "+" if value > 0 and f.mode != "niva" else ""
    unit = {"procent": " pe" if f.mode == "forskjutning" else " %"}.get(f.unit, f" {f.unit}")
    if f.mode == "relativ":
        unit = " %"
    return f"{sign}{fmt.mnkr(value, 1)}{unit}"


def design_summary(ds: xr.Dataset, outcome: str = "arets_resultat"):
    """Percentiles per year and the share of scenarios meeting each goal."""
    from rich.table import Table

    from flerarsprognos.output import fmt

    years = ds["year"].values
    t = Table(title=f"{OUTCOMES[outcome]}: fördelning över {fmt.mnkr(ds.sizes['scenario'])} scenarier",
              title_justify="left", header_style="bold", show_edge=False)
    t.add_column("", overflow="fold")
    for y in years:
        t.add_column(str(int(y)), justify="right")
    values = ds[outcome].values
    for q in (5, 50, 95):
        t.add_row(f"{q}:e percentilen", *[fmt.mnkr(v) for v in np.percentile(values, q, axis=0)])
    for var, label in (("uppfyllt_balanskrav", "Andel: balanskravet nås"),
                       ("uppfyllt_nettokostnadsandel", "Andel: nettokostnadsandelen nås"),
                       ("uppfyllt_resultatmal", "Andel: resultatmålet nås")):
        if var in ds:
            t.add_row(label, *[fmt.procent(v) for v in ds[var].mean("scenario").values])
    return t
