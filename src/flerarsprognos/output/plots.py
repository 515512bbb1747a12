"""Diagrams for a slide: matplotlib (Agg), Swedish labels and numbers (``-1 277``, ``98,7 %``).

Each function takes results (or another analysis's table) and returns a
:class:`matplotlib.figure.Figure`; :func:`save_png` writes it atomically. No pyplot, so no
global figure state and no display is needed.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from flerarsprognos.output import fmt, labels, style

KINDS = {
    "resultat": "Årets resultat per scenario",
    "rur": "Resultatutjämningsreserv och resultatreserv",
    "solfjader": "Monte Carlo: årets balanskravsresultat med osäkerhetsintervall",
    "tornado": "Känslighetsanalys (tornado) för ett år",
    "varmekarta": "Nettokostnadsandel över inflation × löneökning, med 98 %-gränsen",
    "vattenfall": "Från ett års nettokostnad till nästa",
}

PALETTE = style.PALETTE
GOOD, BAD, NEUTRAL = style.CHART_GOOD, style.CHART_BAD, style.CHART_NEUTRAL
RC = {
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.labelsize": 14,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": style.CHART_GRID,
    "figure.dpi": 100,
    "savefig.dpi": 150,
}
SIZE = (11, 6.2)  # 16:9, readable when shown full width on a slide
# Drawn for a phone (about 360 px wide in the report): narrower, taller, smaller text.
PHONE_SIZE = (4.8, 4.6)
PHONE_RC = {"font.size": 11, "axes.titlesize": 12.5, "axes.labelsize": 11, "xtick.labelsize": 10,
            "ytick.labelsize": 10, "legend.fontsize": 10}
_PHONE = contextvars.ContextVar("phone", default=False)


@contextlib.contextmanager
def for_phone():
    """Inside the block every chart is drawn for a phone's width (the report's small version)."""
    token = _PHONE.set(True)
    try:
        yield
    finally:
        _PHONE.reset(token)


def _legend(fig) -> None:
    """The legend under the chart: two columns, one on a phone."""
    fig.legend(loc="outside lower center", frameon=False, ncols=1 if _PHONE.get() else 2)


def _title(ax, text: str) -> None:
    ax.set_title(_wrap(text, 34) if _PHONE.get() else text)


def _rc() -> dict:
    return {**RC, **PHONE_RC} if _PHONE.get() else RC


def _figure(size=SIZE) -> tuple[Figure, object]:
    if _PHONE.get():
        size = (PHONE_SIZE[0], max(PHONE_SIZE[1], size[1] * PHONE_SIZE[0] / size[0]))
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _mnkr_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, _: fmt.mnkr(x, decimals)))


def _percent_axis(axis, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, _: fmt.procent(x, decimals)))


def _rate_axis(axis, unit: str) -> None:
    """Sweep axes: shifts in procentenheter (``+1,0 pe``), percent values, or fractions as percent."""
    if unit == "procentenheter":
        axis.set_major_formatter(FuncFormatter(lambda x, _: ("+" if x > 1e-9 else "") + fmt.mnkr(x, 1) + " pe"))
    elif unit.startswith("procent"):
        axis.set_major_formatter(FuncFormatter(lambda x, _: fmt.mnkr(x, 1) + fmt.THIN + "%"))
    else:
        _percent_axis(axis, 1)


def _year_axis(ax, years: Sequence[int], planslut: int | None = None) -> None:
    ax.xaxis.set_major_locator(FixedLocator(list(years)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: str(int(round(x)))))
    if planslut is not None and planslut < max(years):
        ax.axvspan(planslut + 0.5, max(years) + 0.5, color=style.FORECAST_BG, zorder=0, lw=0)
        ax.text(planslut + 0.6, 1.0, "prognos", transform=ax.get_xaxis_transform(), va="top", ha="left",
                color=style.CHART_NOTE, fontsize="small")
        ax.text(planslut + 0.4, 1.0, "plan", transform=ax.get_xaxis_transform(), va="top", ha="right",
                color=style.CHART_NOTE, fontsize="small")
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)


def _zero_line(ax) -> None:
    ax.axhline(0, color=style.CHART_ZERO, lw=1.2, zorder=1)


def save_png(fig: Figure, path: Path) -> Path:
    """Write the figure as PNG, atomically (temporary file beside the target, then rename)."""
    from flerarsprognos.output.files import atomic_path

    path = Path(path)
    with rc_context(RC), atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", facecolor="white")
    return path


def _titles(result: xr.Dataset, titles: dict[str, str] | None) -> dict[str, str]:
    titles = titles or {}
    return {str(s): titles.get(str(s), str(s)) for s in result["scenario"].values}


# --------------------------------------------------------------------------------------
# The kinds


def arets_resultat(result: xr.Dataset, titles: dict[str, str] | None = None, planslut: int | None = None) -> Figure:
    """Årets resultat per year, one line per scenario, with the 0-line."""
    with rc_context(_rc()):
        fig, ax = _figure()
        years = [int(y) for y in result["year"].values]
        da = result["resultatrakning"].sel(rr_post="arets_resultat")
        names = _titles(result, titles)
        for k, scen in enumerate(names):
            y = da.sel(scenario=scen).values
            ax.plot(years, y, marker="o", lw=3 if scen == "bas" else 2.2, ms=7, color=PALETTE[k % len(PALETTE)],
                    label=names[scen], zorder=3)
        if "bas" in names:
            for x, v in zip(years, da.sel(scenario="bas").values, strict=True):
                ax.annotate(fmt.mnkr(v), (x, v), textcoords="offset points", xytext=(0, 10), ha="center",
                            fontsize="small", color=PALETTE[0])
        _zero_line(ax)
        _year_axis(ax, years, planslut)
        _mnkr_axis(ax.yaxis)
        ax.set_ylabel("mnkr")
        _title(ax, "Årets resultat per scenario")
        _legend(fig)
    return fig


def rur(result: xr.Dataset, titles: dict[str, str] | None = None, planslut: int | None = None) -> Figure:
    """The reserves at year end: bas as stacked bars (RUR, resultatreserv), other scenarios as lines."""
    with rc_context(_rc()):
        fig, ax = _figure()
        years = np.array([int(y) for y in result["year"].values])
        bk = result["balanskrav"]
        names = _titles(result, titles)
        base = "bas" if "bas" in names else next(iter(names))
        r = bk.sel(scenario=base, bk_post="rur_utgaende").values
        rr = bk.sel(scenario=base, bk_post="resultatreserv_utgaende").values
        ax.bar(years, r, width=0.6, color=style.CHART_LIGHT, label=f"Resultatutjämningsreserv ({base})", zorder=2)
        ax.bar(years, rr, width=0.6, bottom=r, color=style.ACCENT, label=f"Resultatreserv ({base})", zorder=2)
        for x, total in zip(years, r + rr, strict=True):
            ax.annotate(fmt.mnkr(total), (x, total), textcoords="offset points", xytext=(0, 6), ha="center",
                        fontsize="small")
        for k, scen in enumerate(s for s in names if s != base):
            total = (bk.sel(scenario=scen, bk_post="rur_utgaende") + bk.sel(scenario=scen, bk_post="resultatreserv_utgaende")).values
            ax.plot(years, total, marker="o", lw=2.2, color=PALETTE[(k + 1) % len(PALETTE)], zorder=3,
                    label=f"Summa reserver: {names[scen]}")
        _year_axis(ax, years, planslut)
        _mnkr_axis(ax.yaxis)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.15)  # room for the value labels under the title
        ax.set_ylabel("mnkr, 31 december")
        _title(ax, "Resultatutjämningsreserv och resultatreserv")
        _legend(fig)
    return fig


def quantiles_from_draws(draws: xr.DataArray, levels=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Percentiles per year from Monte Carlo draws (dims ``draw`` and ``year``)."""
    q = draws.quantile(list(levels), dim="draw").transpose("year", "quantile")
    return pd.DataFrame(q.values, index=[int(y) for y in draws["year"].values], columns=list(levels))


def fan_inputs(mc, outcome: str = "balanskravsresultat") -> tuple[pd.DataFrame, pd.Series | None, int | None]:
    """Quantiles per year, P(balanskravet not met) per year and the number of draws.

    Takes either a Monte Carlo summary (``percentil`` over utfall × percentil × year and
    ``sannolikhet`` over handelse × year) or the draws themselves (a DataArray with ``draw``).
    """
    if isinstance(mc, xr.DataArray):
        draw_dim = next(d for d in mc.dims if d != "year")
        q = quantiles_from_draws(mc.rename({draw_dim: "draw"}))
        return q, pd.Series((mc < 0).mean(draw_dim).values, index=q.index), int(mc.sizes[draw_dim])
    # The percentile table: the variable over (utfall, <percentile level>, year).
    var = next(v for v in mc.data_vars if "utfall" in mc[v].dims and "year" in mc[v].dims and mc[v].ndim == 3)
    level_dim = next(d for d in mc[var].dims if d not in ("utfall", "year"))
    pct = mc[var].sel(utfall=outcome).transpose("year", level_dim)
    levels = np.asarray(mc[level_dim].values, dtype=float)
    levels = levels / 100.0 if levels.max() > 1 else levels
    q = pd.DataFrame(pct.values, index=[int(y) for y in mc["year"].values], columns=list(levels))
    p_miss = None
    if "sannolikhet" in mc and "balanskrav_ej_uppfyllt" in mc["handelse"].values:
        p_miss = pd.Series(mc["sannolikhet"].sel(handelse="balanskrav_ej_uppfyllt").values, index=q.index)
    n = mc.attrs.get("antal_dragningar")
    return q, p_miss, int(n) if n is not None else None


def fan(quantiles: pd.DataFrame, p_miss: pd.Series | None = None, *, title: str | None = None,
        ylabel: str = "mnkr", planslut: int | None = None, n_draws: int | None = None) -> Figure:
    """A fan chart: median, 50 % and 90 % bands per year, the 0-line, and P(balanskravet missas).

    ``quantiles`` has years as index and quantile levels (0.05 … 0.95) as columns;
    ``p_miss`` is the share of draws per year where balanskravet is not met.
    """
    with rc_context(_rc()):
        fig, ax = _figure()
        years = [int(y) for y in quantiles.index]
        cols = sorted(float(c) for c in quantiles.columns)
        q = quantiles.rename(columns=float)
        lo_out, hi_out = cols[0], cols[-1]
        inner = [c for c in cols if 0.2 <= c <= 0.3], [c for c in cols if 0.7 <= c <= 0.8]
        ax.fill_between(years, q[lo_out], q[hi_out], color=style.FAN_OUTER, alpha=0.6, lw=0,
                        label=f"{round(100 * (hi_out - lo_out))} % av utfallen", zorder=2)
        if inner[0] and inner[1]:
            lo_in, hi_in = inner[0][0], inner[1][-1]
            ax.fill_between(years, q[lo_in], q[hi_in], color=style.FAN_INNER, alpha=0.6, lw=0,
                            label=f"{round(100 * (hi_in - lo_in))} % av utfallen", zorder=2)
        median = min(cols, key=lambda c: abs(c - 0.5))
        ax.plot(years, q[median], color=style.ACCENT, lw=3, marker="o", label="Median", zorder=3)
        _zero_line(ax)
        _year_axis(ax, years, planslut)
        _mnkr_axis(ax.yaxis)
        ax.set_ylabel(ylabel)
        _title(ax, title or "Årets balanskravsresultat: osäkerhet (Monte Carlo)")
        xlabel = "År"
        if p_miss is not None:
            p = pd.Series(p_miss).reindex(years)
            ax.xaxis.set_major_formatter(FuncFormatter(
                lambda x, _: f"{int(round(x))}\n{fmt.procent(p.get(int(round(x)), np.nan), 0)}"))
            xlabel = "År och sannolikhet att balanskravet inte nås"
        if n_draws:
            xlabel += f" ({fmt.mnkr(n_draws)} dragningar)"
        ax.set_xlabel(xlabel)
        ax.legend(loc="upper left", frameon=False)
    return fig


def tornado(kanslighet: pd.DataFrame, year: int | None = None, *, post: str = "arets_resultat",
            scenario: str = "bas") -> Figure:
    """The sensitivity table for one year as a tornado: one row per assumption, largest on top.

    When the table has both directions of a change (``+1 procentenhet`` and ``-1 procentenhet``)
    they share the assumption's row, one bar on each side of zero.
    """
    df = kanslighet
    if "scenario" in df.columns and scenario in set(df["scenario"]):
        df = df[df["scenario"] == scenario]
    if "post" in df.columns and post in set(df["post"]):
        df = df[df["post"] == post]
    if year is None:
        year = int(df["ar"].max())
    df = df[df["ar"] == year].copy()
    if df.empty:
        raise ValueError(f"känslighetstabellen har inga värden för {year}")
    order = (df.assign(abs=df["mnkr"].abs()).groupby("antagande", sort=False)["abs"].max().sort_values().index)
    with rc_context(_rc()):
        fig, ax = _figure((11, max(4.5, 0.8 * len(order) + 2)))
        span = float(df["mnkr"].abs().max()) or 1.0
        for i, name in enumerate(order):
            rows = df[df["antagande"] == name]
            if (rows["mnkr"].abs() < 0.5).all():  # no effect either way: one label, no overlap
                ax.text(0.02 * span, i, "0", va="center", ha="left", fontsize="small")
                continue
            for _, r in rows.iterrows():
                v = float(r["mnkr"])
                ax.barh(i, v, color=GOOD if v >= 0 else BAD, height=0.6, zorder=2)
                change = str(r["forandring"]).replace(" procentenheter", " pe").replace(" procentenhet", " pe")
                ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), i, f"{fmt.mnkr(v)} ({change})",
                        va="center", ha="left" if v >= 0 else "right", fontsize="small")
        ax.set_yticks(range(len(order)))
        ax.set_yticklabels([_wrap(str(n), 22) for n in order])
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.set_xlim(-1.9 * span, 1.9 * span)
        ax.axvline(0, color=style.CHART_ZERO, lw=1.2)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        _mnkr_axis(ax.xaxis)
        what = labels.RR.get(post, post).lower()
        ax.set_xlabel(f"Effekt på {what} {year}, mnkr (grönt = bättre, rött = sämre)")
        fig.suptitle(f"Känslighetsanalys: {what} {year}", fontsize=RC["axes.titlesize"], fontweight="bold")
    return fig


def heatmap(grid: xr.DataArray, *, level: float = 0.98, title: str | None = None,
            xlabel: str | None = None, ylabel: str | None = None) -> Figure:
    """A 2-D sweep (e.g. nettokostnadsandel over inflation × löneökning) with the ``level`` contour.

    Axis coordinates are rates as fractions (0.02 = 2 %); values are ratios (0.98 = 98 %).
    """
    ydim, xdim = grid.dims
    xs = np.asarray(grid[xdim].values, dtype=float)
    ys = np.asarray(grid[ydim].values, dtype=float)
    z = np.asarray(grid.values, dtype=float)
    with rc_context(_rc()):
        fig, ax = _figure((10, 7.5))
        # Centred on the goal: every cell above it is on the red side, every cell below green.
        from matplotlib.colors import TwoSlopeNorm

        norm = TwoSlopeNorm(vcenter=level, vmin=min(np.nanmin(z), level - 0.02), vmax=max(np.nanmax(z), level + 0.02))
        mesh = ax.pcolormesh(xs, ys, z, shading="nearest", cmap="RdYlGn_r", norm=norm)
        cbar = fig.colorbar(mesh, ax=ax)
        _percent_axis(cbar.ax.yaxis, 1)
        if np.nanmin(z) < level < np.nanmax(z):
            cs = ax.contour(xs, ys, z, levels=[level], colors="black", linewidths=2.5)
            ax.clabel(cs, fmt=lambda v: fmt.procent(v, 0), fontsize="medium")
        if z.size <= 100:
            for i, yv in enumerate(ys):
                for j, xv in enumerate(xs):
                    if np.isfinite(z[i, j]):
                        ax.text(xv, yv, fmt.procent(z[i, j], 1).replace(fmt.THIN + "%", ""), ha="center",
                                va="center", fontsize="x-small", color=style.CHART_TEXT)
        _rate_axis(ax.xaxis, grid[xdim].attrs.get("enhet", ""))
        _rate_axis(ax.yaxis, grid[ydim].attrs.get("enhet", ""))
        for axis, values in ((ax.xaxis, xs), (ax.yaxis, ys)):
            axis.set_major_locator(FixedLocator(values) if len(values) <= 12 else MaxNLocator(8))
        ax.grid(False)
        ax.set_xlabel(xlabel or grid[xdim].attrs.get("long_name", xdim))
        ax.set_ylabel(ylabel or grid[ydim].attrs.get("long_name", ydim))
        _title(ax, title or grid.attrs.get("long_name", f"Nettokostnadsandel; svart linje = {fmt.procent(level, 0)}"))
    return fig


def waterfall_steps(result: xr.Dataset, params: xr.Dataset, scenario: str, year: int) -> pd.DataFrame:
    """Nettokostnad (positive, mnkr) from ``year − 1`` to ``year``, in steps that add up exactly.

    - uppräkning: costs before measures (löner, priser, volym, pension) plus the index-up of
      earlier years' satsningar and effektiviseringar;
    - satsningar and effektivisering started in ``year``;
    - intäkter och avskrivningar: lower intäkter and higher avskrivningar raise the nettokostnad.
    """
    years = [int(y) for y in result["year"].values]
    if year not in years or years.index(year) == 0:
        raise ValueError(f"året {year} saknar ett föregående år i prognosen ({years[0]}–{years[-1]})")
    r = result.sel(scenario=scenario)
    t, p = year, year - 1
    rr = r["resultatrakning"]
    nk = lambda y: -float(rr.sel(year=y, rr_post="verksamhetens_nettokostnader"))  # noqa: E731
    core = lambda y: float(r["kostnader_fore_atgarder"].sel(year=y))  # noqa: E731
    atg = lambda y: float(r["atgarder_netto"].sel(year=y))  # noqa: E731
    pp = params.sel(scenario=scenario) if "scenario" in params.dims else params
    sats = float(pp["satsningar"].sel(year=t))
    eff = float(pp["effektivisering"].sel(year=t))
    growth = float(r["kostnadsindex"].sel(year=t))
    intakter = lambda y: float(rr.sel(year=y, rr_post="verksamhetens_intakter"))  # noqa: E731
    avskr = lambda y: -float(rr.sel(year=y, rr_post="avskrivningar"))  # noqa: E731
    steps = [
        (f"Nettokostnad {p}", nk(p), "start"),
        ("Uppräkning (löner, priser, volym, pension)", core(t) - core(p) + atg(p) * growth, "steg"),
        ("Satsningar", sats, "steg"),
        ("Effektivisering", -eff, "steg"),
        ("Intäkter och avskrivningar", -(intakter(t) - intakter(p)) + (avskr(t) - avskr(p)), "steg"),
        (f"Nettokostnad {t}", nk(t), "slut"),
    ]
    return pd.DataFrame(steps, columns=["steg", "mnkr", "typ"])


def waterfall(steps: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Bars from the start total through each step to the end total."""
    with rc_context(_rc()):
        fig, ax = _figure()
        level = 0.0
        bottoms, heights, colors, after = [], [], [], []
        for _, s in steps.iterrows():
            if s["typ"] in ("start", "slut"):
                bottoms.append(0.0)
                heights.append(s["mnkr"])
                colors.append(style.ACCENT)
                level = s["mnkr"]
            else:
                bottoms.append(level if s["mnkr"] >= 0 else level + s["mnkr"])
                heights.append(abs(s["mnkr"]))
                colors.append(BAD if s["mnkr"] > 0 else GOOD)  # higher nettokostnad is worse
                level += s["mnkr"]
            after.append(level)
        x = np.arange(len(steps))
        ax.bar(x, heights, bottom=bottoms, color=colors, width=0.6, zorder=2)
        # The totals dwarf the steps: start the axis near the lowest level the steps reach.
        hi = max(b + h for b, h in zip(bottoms, heights, strict=True))
        lo = min(min(after), min(b for b, t in zip(bottoms, steps["typ"], strict=True) if t == "steg"))
        span = max(hi - lo, 1.0)
        bottom = max(0.0, lo - 0.8 * span)
        ax.set_ylim(bottom, hi + 0.12 * span)
        if bottom > 0:  # said inside the axes, clear of the title
            ax.text(0.01, 0.01, "axeln börjar inte på noll", transform=ax.transAxes, ha="left", va="bottom",
                    fontsize="small", color=style.CHART_NOTE)
        for i, (_, s) in enumerate(steps.iterrows()):
            text = fmt.mnkr(s["mnkr"]) if s["typ"] != "steg" else ("+" if s["mnkr"] > 0 else "") + fmt.mnkr(s["mnkr"])
            ax.text(i, bottoms[i] + heights[i], text, ha="center", va="bottom", fontsize="medium",
                    fontweight="bold" if s["typ"] != "steg" else "normal")
        for i in range(len(steps) - 1):
            ax.plot([i + 0.3, i + 0.7], [after[i], after[i]], color=style.CHART_NOTE, lw=1, zorder=3)
        ax.set_xticks(x)
        if _PHONE.get():  # narrow slots: short lines, turned
            ax.set_xticklabels([_wrap(s, 12) for s in steps["steg"]], rotation=35, ha="right", fontsize="small")
        else:
            ax.set_xticklabels([_wrap(s, 16) for s in steps["steg"]])
        _mnkr_axis(ax.yaxis)
        ax.set_ylabel("mnkr")
        _title(ax, title or "Från ett års nettokostnad till nästa")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width, break_long_words=False))
