"""The report for politicians: one self-contained HTML file.

Everything is inside the file: CSS inline, diagrams as inline SVG data URIs (vector graphics,
each drawn twice: for a laptop and for a phone's width, chosen by the browser), no scripts, no
fonts or links to fetch, so it can be mailed, put on an intranet or opened offline. The
layout is one column that reflows from a phone to a laptop. A year table that would not fit a
phone is shown there as consecutive tables of fewer years (every year visible, no sideways
scroll); a table that still must scroll says so above it. All user text (titles, labels) is
HTML-escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.output import fmt, goals, labels, style
from flerarsprognos.output.presentation import region_name, reserves_holding_up, shown_path

PHONE_YEARS = 3  # years per table on a phone
CSS = """
:root { %(vars)s }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: var(--page); line-height: 1.45; font-size: 16px; }
main { max-width: 1040px; margin: 0 auto; padding: 16px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 1.7rem; margin: 0.2em 0; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 1.6em 0 0.5em; color: var(--accent); border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2em 0 0.4em; }
p.lead { font-size: 1.05rem; margin: 0.4em 0 1em; }
.muted { color: var(--muted); font-size: 0.9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(165px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--card); }
.card .label { font-size: 0.85rem; color: var(--muted); }
.card .value { font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card .value.neg { color: var(--bad); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0 16px;
              border: 1px solid var(--line); border-radius: 6px; }
.scroll-hint { display: none; font-size: 0.8rem; color: var(--muted); margin: 4px 0 0; }
table { border-collapse: collapse; width: 100%%; font-size: 0.92rem; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { background: var(--head); text-align: right; position: sticky; top: 0; }
thead th:first-child, td:first-child, th[scope=row] { text-align: left; white-space: normal; min-width: 12em; }
td { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { font-weight: 400; }
tr.total td, tr.total th { font-weight: 700; border-top: 1.5px solid var(--total); }
td.neg { color: var(--neg); }
td.ok { background: var(--good-bg); color: var(--good); }
td.close { background: var(--close-bg); color: var(--close); }
td.miss { background: var(--bad-bg); color: var(--bad); }
td.nomark { color: var(--muted); }
.why { font-size: 0.85em; color: var(--muted); }
.phone { display: none; }
figure { margin: 12px 0 20px; }
figure img { width: 100%%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 4px; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--line); }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 0.85rem; }
footer dt { color: var(--muted); } footer dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 10px; } h1 { font-size: 1.35rem; } .card .value { font-size: 1.25rem; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  table { font-size: 0.82rem; } th, td { padding: 4px 5px; }
  thead th:first-child, td:first-child, th[scope=row] { min-width: 7em; }
  td.goal { white-space: normal; }
  .wide { display: none; } .phone { display: block; }
  .scroll-hint { display: block; }
}
@media print { .table-wrap { overflow: visible; border: none; } figure { break-inside: avoid; }
               .phone { display: none; } .wide { display: block; } }
"""


@dataclass
class Diagram:
    """A chart of the report: ``draw`` makes the matplotlib figure; it is called twice, for a
    laptop and (inside :func:`plots.for_phone`) for a phone."""

    title: str
    caption: str
    draw: Callable[[], object]


@dataclass
class ReportExtras:
    diagrams: list[Diagram] = field(default_factory=list)  # from other analyses (fan, tornado, heat map)
    kanslighet: pd.DataFrame | None = None


def svg_text(fig) -> str:
    """The figure as SVG with its text kept as text (small, sharp, searchable)."""
    import io

    from matplotlib import rc_context

    from flerarsprognos.output.plots import RC

    buf = io.StringIO()
    with rc_context({**RC, "svg.fonttype": "none", "svg.hashsalt": "flerarsprognos"}):
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    return buf.getvalue()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _img(d: Diagram) -> str:
    from flerarsprognos.output import plots

    wide = svg_text(d.draw())
    with plots.for_phone():
        phone = svg_text(d.draw())
    return (f'<figure><picture><source media="(max-width: 600px)" srcset="{_data_uri(phone)}">'
            f'<img alt="{_e(d.title)}" src="{_data_uri(wide)}"></picture>'
            f"<figcaption>{_e(d.caption)}</figcaption></figure>")


def _amount_cell(v, decimals: int = 0) -> str:
    cls = ' class="neg"' if v == v and round(float(v), decimals) < 0 else ""
    return f"<td{cls}>{_e(fmt.mnkr(v, decimals))}</td>"


def _one_table(years, rows, first: str, idx, extra_class: str = "") -> str:
    head = "".join(f'<th scope="col">{years[i]}</th>' for i in idx)
    body = []
    for label, cells, total in rows:
        cls = ' class="total"' if total else ""
        body.append(f'<tr{cls}><th scope="row">{label}</th>{"".join(cells[i] for i in idx)}</tr>')
    return (f'<div class="table-wrap{extra_class}"><table><thead><tr><th scope="col">{_e(first)}</th>{head}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _year_table(years, rows: list[tuple[str, list[str], bool]], first: str = "mnkr", *,
                escape_labels: bool = True) -> str:
    """The whole table for a laptop, and for a phone the same lines in tables of
    :data:`PHONE_YEARS` years each, so that every year is visible without scrolling sideways."""
    rows = [(_e(label) if escape_labels else label, cells, total) for label, cells, total in rows]
    n = len(years)
    if n <= PHONE_YEARS:
        return _one_table(years, rows, first, range(n))
    groups = [range(k, min(k + PHONE_YEARS, n)) for k in range(0, n, PHONE_YEARS)]
    phone = "".join(_one_table(years, rows, first, g) for g in groups)
    return (f'<div class="wide">{_one_table(years, rows, first, range(n))}</div>'
            f'<div class="phone">{phone}</div>')


def _resultatbudget(result: xr.Dataset, scenario: str) -> str:
    da = result["resultatrakning"].sel(scenario=scenario)
    years = [int(y) for y in result["year"].values]
    rows = [(labels.RR[p], [_amount_cell(v) for v in da.sel(rr_post=p).values], p in labels.RR_SUBTOTALS)
            for p in (str(x) for x in da["rr_post"].values)]
    return _year_table(years, rows)


def _goal_cell(shown: str, verdict: goals.Status) -> str:
    if not verdict.judged:
        return f'<td class="goal nomark" title="{_e(verdict.word)}">{_e(shown)}</td>'
    hint = verdict.word if verdict.kind != goals.MISSED else f"ej uppfyllt; behov {fmt.mnkr(verdict.gap)} mnkr"
    return f'<td class="goal {verdict.css}" title="{_e(hint)}">{_e(shown)} {_e(verdict.short)}</td>'


def _goal_label(goal: str, verdicts: list[goals.Status]) -> str:
    """The goal's name, and why some years have no verdict ("gäller från 2026", "mäts, inget mål")."""
    why = next((v.word for v in verdicts if not v.judged), "")
    label = _e(labels.MAL[goal])
    return f'{label} <span class="why">({_e(why)})</span>' if why else label


def _goal_table(result: xr.Dataset, scenario: str) -> str:
    years = [int(y) for y in result["year"].values]
    rows = []
    for goal in (str(g) for g in result["mal"].values):
        verdicts = goals.statuses(result, scenario, goal)
        values = result["mal_varde"].sel(scenario=scenario, mal=goal).values
        cells = [_goal_cell(fmt.procent(v) if goal in labels.MAL_RATIO else fmt.mnkr(v), s)
                 for v, s in zip(values, verdicts, strict=True)]
        rows.append((_goal_label(goal, verdicts), cells, False))
    return _year_table(years, rows, "Mål", escape_labels=False)


def _goal_by_scenario(result: xr.Dataset, titles: dict[str, str], goal: str) -> str:
    """One goal across the scenarios: value per year, green when met and red when not."""
    years = [int(y) for y in result["year"].values]
    rows = []
    for scen in (str(s) for s in result["scenario"].values):
        verdicts = goals.statuses(result, scen, goal)
        values = result["mal_varde"].sel(scenario=scen, mal=goal).values
        cells = []
        for v, verdict in zip(values, verdicts, strict=True):
            shown = fmt.procent(v) if goal in labels.MAL_RATIO else fmt.mnkr(v)
            cells.append(_goal_cell(shown, verdict) if not verdict.judged else
                         f'<td class="goal {verdict.css}" title="{_e(verdict.word)}">{_e(shown)} {verdict.mark}</td>')
        rows.append((titles.get(scen, scen), cells, False))
    return _year_table(years, rows, labels.MAL[goal])


def _differences(result: xr.Dataset, titles: dict[str, str]) -> str:
    years = [int(y) for y in result["year"].values]
    da = result["resultatrakning"].sel(rr_post="arets_resultat")
    bkr = result["balanskrav"].sel(bk_post="arets_balanskravsresultat")
    rows = [(f"{titles.get('bas', 'bas')}: årets resultat", [_amount_cell(v) for v in da.sel(scenario="bas").values],
             True)]
    for scen in (str(s) for s in result["scenario"].values):
        if scen == "bas":
            continue
        diff = (da.sel(scenario=scen) - da.sel(scenario="bas")).values
        rows.append((f"{titles.get(scen, scen)}: årets resultat mot bas", [_amount_cell(v) for v in diff], False))
        diff_b = (bkr.sel(scenario=scen) - bkr.sel(scenario="bas")).values
        rows.append((f"{titles.get(scen, scen)}: balanskravsresultat mot bas", [_amount_cell(v) for v in diff_b], False))
    return _year_table(years, rows)


def key_figures(result: xr.Dataset, scenario: str, year: int) -> list[tuple[str, str, bool]]:
    """(label, value text, negative?) for the summary cards."""
    r = result.sel(scenario=scenario, year=year)
    res = float(r["resultatrakning"].sel(rr_post="arets_resultat"))
    bkr = float(r["balanskrav"].sel(bk_post="arets_balanskravsresultat"))
    nka = float(r["mal_varde"].sel(mal="nettokostnadsandel"))
    target = float(r["mal_malvarde"].sel(mal="nettokostnadsandel"))
    reserves = float(r["balanskrav"].sel(bk_post="rur_utgaende") + r["balanskrav"].sel(bk_post="resultatreserv_utgaende"))
    return [
        (f"Årets resultat {year}", f"{fmt.mnkr(res)} mnkr", res < 0),
        (f"Balanskravsresultat {year}", f"{fmt.mnkr(bkr)} mnkr", bkr < 0),
        (f"Nettokostnadsandel {year} (mål ≤ {fmt.procent(target, 0)})", fmt.procent(nka), nka > target),
        (f"RUR och resultatreserv, 31/12 {year}", f"{fmt.mnkr(reserves)} mnkr", False),
    ]


def _summary_sentence(result: xr.Dataset, scenario: str, planslut: int) -> str:
    years = [int(y) for y in result["year"].values]
    res = result["resultatrakning"].sel(scenario=scenario, rr_post="arets_resultat")
    met = result["mal_uppfyllt"].sel(scenario=scenario)
    neg = [y for y, v in zip(years, res.values, strict=True) if v < 0]
    nka_miss = [y for y in years if float(met.sel(year=y, mal="nettokostnadsandel")) < 0.5]
    bk_miss = [y for y in years if float(met.sel(year=y, mal="balanskrav")) < 0.5]
    parts = [f"Årets resultat är {fmt.mnkr(res.sel(year=planslut))} mnkr planens sista år {planslut} och "
             f"{fmt.mnkr(res.values[-1])} mnkr {years[-1]}."]
    parts.append(f"Resultatet är negativt {_years_text(neg)}." if neg else "Resultatet är positivt alla år.")
    parts.append("Balanskravet nås alla år." if not bk_miss else f"Balanskravet nås inte {_years_text(bk_miss)}.")
    held = reserves_holding_up(result, scenario)
    if held:
        parts.append(held)
    parts.append("Nettokostnadsandelen når målet alla år." if not nka_miss
                 else f"Nettokostnadsandelen når inte målet {_years_text(nka_miss)}.")
    return " ".join(parts)


def _years_text(years: list[int]) -> str:
    if len(years) == 1:
        return f"år {years[0]}"
    return "åren " + ", ".join(map(str, years[:-1])) + f" och {years[-1]}"


def standard_diagrams(run) -> list[Diagram]:
    """The diagrams every report has: årets resultat, reserves, and a waterfall of the nettokostnad."""
    from flerarsprognos.output import plots

    result = run.result
    titles = {s.name: s.title for s in run.sets}
    planslut = int(run.base.planslut)
    years = [int(y) for y in result["year"].values]
    year = planslut + 1 if planslut + 1 in years else years[-1]
    steps = plots.waterfall_steps(result, run.params, "bas", year)
    return [
        Diagram("Årets resultat per scenario", "Årets resultat (mnkr) per år och scenario; grått fält = prognosår "
                "efter den beslutade planen.", lambda: plots.arets_resultat(result, titles, planslut)),
        Diagram("Resultatutjämningsreserv och resultatreserv", "Reserverna vid årets slut: staplar för bas, linjer "
                "för summan i varje scenario.", lambda: plots.rur(result, titles, planslut)),
        Diagram(f"Nettokostnad {year - 1} → {year}",
                "Vad som förändrar nettokostnaden mellan två år i basalternativet: uppräkning, satsningar, "
                "effektivisering, intäkter och avskrivningar.",
                lambda: plots.waterfall(steps, title=f"Nettokostnad {year - 1} → {year} (bas)")),
    ]


def _header(run, years: list[int], planslut: int, when: str) -> list[str]:
    region = region_name(run.base)
    where = f"{region}: " if region else ""
    return [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(where)}Flerårsprognos {years[0]}–{years[-1]} – rapport</title>",
        f"<style>{CSS % {'vars': style.css_variables()}}</style></head><body><main>",
        f"<header><h1>{_e(where)}Flerårsprognos {years[0]}–{years[-1]}: resultat, balanskrav och finansiella mål</h1>",
        f'<p class="muted">{years[0]}–{planslut}: beslutad flerårsplan; {planslut + 1}–{years[-1]}: prognos. '
        f"Belopp i miljoner kronor (mnkr). Antaganden {_e(run.base.digest)}, {_e(when)}.</p></header>",
    ]


def _summary(run, result, years, planslut) -> list[str]:
    titles = {s.name: s.title for s in run.sets}
    cards = "".join(
        f'<div class="card"><div class="label">{_e(label)}</div>'
        f'<div class="value{" neg" if neg else ""}">{_e(value)}</div></div>'
        for y in sorted({planslut, years[-1]}) for label, value, neg in key_figures(result, "bas", y))
    return [
        '<section id="sammanfattning"><h2>Sammanfattning</h2>',
        f'<p class="lead">{_e(_summary_sentence(result, "bas", planslut))}</p>',
        f'<div class="cards">{cards}</div>',
        f"<h3>Finansiella mål, {_e(titles.get('bas', 'basalternativet').lower())}</h3>",
        f'<p class="muted">{_e(goals.LEGEND)}</p>',
        _goal_table(result, "bas"),
        "</section>",
    ]


def _scenarios(run, result) -> list[str]:
    if len(result["scenario"]) < 2:
        return []
    titles = {s.name: s.title for s in run.sets}
    scen_list = "".join(f"<li><b>{_e(s.title)}</b> <span class=\"muted\">({_e(s.name)})</span></li>"
                        for s in run.sets[1:])
    return ['<section id="scenarier"><h2>Scenarier</h2>', f"<ul>{scen_list}</ul>",
            "<h3>Skillnad mot bas (mnkr)</h3>", _differences(result, titles),
            "<h3>Nettokostnadsandelen i varje scenario</h3>", _goal_by_scenario(result, titles, "nettokostnadsandel"),
            "<h3>Balanskravsresultatet i varje scenario</h3>", _goal_by_scenario(result, titles, "balanskrav"),
            "</section>"]


def _footer(run, command: str, when: str) -> list[str]:
    from flerarsprognos import __version__

    scen_files = "; ".join(shown_path(p) for p in run.scenario_files) or "inga (bara basalternativet)"
    assumption_files = sorted({shown_path(Path(p).parent) for p in run.base.files})
    return [
        "<footer><dl>",
        f"<dt>Program</dt><dd>flerarsprognos {_e(__version__)}</dd>",
        f"<dt>Region</dt><dd>{_e(region_name(run.base) or '(anges inte i antagandena)')}</dd>",
        f"<dt>Antaganden</dt><dd>{_e(run.base.digest)} ({_e('; '.join(assumption_files))})</dd>",
        f"<dt>Scenariofiler</dt><dd>{_e(scen_files)}</dd>",
        f"<dt>Kommando</dt><dd>{_e(command or '(anropad från Python)')}</dd>",
        f"<dt>Skapad</dt><dd>{_e(when)}</dd>",
        "</dl></footer></main></body></html>",
    ]


def build_report(run, *, command: str = "", extras: ReportExtras | None = None,
                 diagrams: list[Diagram] | None = None) -> str:
    """The whole report as one HTML string."""
    extras = extras or ReportExtras()
    result = run.result
    titles = {s.name: s.title for s in run.sets}
    years = [int(y) for y in result["year"].values]
    planslut = int(run.base.planslut)
    diagrams = (standard_diagrams(run) if diagrams is None else diagrams) + extras.diagrams
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    parts = _header(run, years, planslut, when) + _summary(run, result, years, planslut) + _scenarios(run, result)
    parts.append('<section id="diagram"><h2>Diagram</h2>')
    parts += [f"<h3>{_e(d.title)}</h3>{_img(d)}" for d in diagrams]
    parts.append("</section>")
    if extras.kanslighet is not None and len(extras.kanslighet):
        parts += ['<section id="kanslighet"><h2>Känslighetsanalys</h2>', _kanslighet_table(extras.kanslighet),
                  "</section>"]
    parts.append('<section id="tabeller"><h2>Resultatbudget</h2>')
    for scen in (str(s) for s in result["scenario"].values):
        parts += [f"<h3>{_e(titles.get(scen) or scen)}</h3>", _resultatbudget(result, scen)]
    parts.append("</section>")
    return "\n".join(parts + _footer(run, command, when))


def _kanslighet_table(kt: pd.DataFrame) -> str:
    df = kt[kt["scenario"] == "bas"] if "bas" in set(kt["scenario"]) else kt
    if "post" in df.columns and "arets_resultat" in set(df["post"]):
        df = df[df["post"] == "arets_resultat"]
    years = sorted(int(y) for y in df["ar"].unique())
    table = df.pivot_table(index=["antagande", "forandring"], columns="ar", values="mnkr", sort=False)
    rows = [(f"{a}, {f}", [_amount_cell(values.get(y, np.nan)) for y in years], False)
            for (a, f), values in table.iterrows()]
    return ('<p class="muted">Effekt på årets resultat (mnkr) av en förändring i ett antagande, allt annat lika.</p>'
            + _year_table(years, rows, "Antagande"))


def check_report_target(path: Path) -> None:
    """Refuse, with a Swedish message, a target the report cannot be written to."""
    from flerarsprognos.output.files import check_output_file

    check_output_file(path, "--html")


def write_report(path: Path, text: str, inputs=()) -> Path:
    """Write the HTML atomically (temporary file, then rename); never onto or into an input."""
    from flerarsprognos.output.files import atomic_path, check_not_an_input

    path = Path(path)
    check_report_target(path)
    check_not_an_input(path, inputs, "--html")
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
