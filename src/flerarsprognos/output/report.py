"""The report for politicians: one self-contained HTML file.

Everything is inside the file: CSS inline, diagrams as base64 PNG data URIs, no scripts, no
fonts or links to fetch, so it can be mailed, put on an intranet or opened offline. The
layout is one column that reflows from a phone to a laptop; wide tables scroll sideways
inside their own box instead of widening the page.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.output import fmt, labels

CSS = """
:root { --ink:#1b1b1b; --muted:#5f6368; --accent:#1F3864; --good:#006100; --good-bg:#C6EFCE;
        --bad:#9C0006; --bad-bg:#FFC7CE; --line:#d9d9d9; --head:#DDEBF7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; line-height: 1.45; font-size: 16px; }
main { max-width: 1040px; margin: 0 auto; padding: 16px; }
header { border-bottom: 4px solid var(--accent); margin-bottom: 16px; }
h1 { font-size: 1.7rem; margin: 0.2em 0; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 1.6em 0 0.5em; color: var(--accent); border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2em 0 0.4em; }
p.lead { font-size: 1.05rem; margin: 0.4em 0 1em; }
.muted { color: var(--muted); font-size: 0.9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fafbfd; }
.card .label { font-size: 0.85rem; color: var(--muted); }
.card .value { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .value.neg { color: var(--bad); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0 16px;
              border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { background: var(--head); text-align: right; position: sticky; top: 0; }
thead th:first-child, td:first-child, th[scope=row] { text-align: left; white-space: normal; min-width: 12em; }
td { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { font-weight: 400; }
tr.total td, tr.total th { font-weight: 700; border-top: 1.5px solid #888; }
td.neg { color: #c00000; }
td.ok { background: var(--good-bg); color: var(--good); }
td.miss { background: var(--bad-bg); color: var(--bad); }
figure { margin: 12px 0 20px; }
figure img { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 4px; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--line); }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 0.85rem; }
footer dt { color: var(--muted); } footer dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 10px; } h1 { font-size: 1.35rem; } .card .value { font-size: 1.35rem; }
  table { font-size: 0.85rem; } th, td { padding: 5px 6px; }
  thead th:first-child, td:first-child, th[scope=row] { min-width: 8.5em; }
}
@media print { .table-wrap { overflow: visible; border: none; } figure { break-inside: avoid; } }
"""


@dataclass
class Diagram:
    title: str
    caption: str
    png: bytes


@dataclass
class ReportExtras:
    diagrams: list[Diagram] = field(default_factory=list)  # from other analyses (fan, tornado, heat map)
    kanslighet: pd.DataFrame | None = None


def png_bytes(fig, dpi: int = 110) -> bytes:
    from matplotlib import rc_context

    from flerarsprognos.output.plots import RC

    buf = io.BytesIO()
    with rc_context(RC):
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _img(d: Diagram) -> str:
    data = base64.b64encode(d.png).decode("ascii")
    return (f'<figure><img alt="{_e(d.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_e(d.caption)}</figcaption></figure>")


def _amount_cell(v, decimals: int = 0) -> str:
    cls = ' class="neg"' if v == v and round(float(v), decimals) < 0 else ""
    return f"<td{cls}>{_e(fmt.mnkr(v, decimals))}</td>"


def _year_table(years, rows: list[tuple[str, list[str], bool]], first: str = "mnkr") -> str:
    head = "".join(f'<th scope="col">{y}</th>' for y in years)
    body = []
    for label, cells, total in rows:
        cls = ' class="total"' if total else ""
        body.append(f'<tr{cls}><th scope="row">{_e(label)}</th>{"".join(cells)}</tr>')
    return (f'<div class="table-wrap"><table><thead><tr><th scope="col">{_e(first)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _resultatbudget(result: xr.Dataset, scenario: str) -> str:
    da = result["resultatrakning"].sel(scenario=scenario)
    years = [int(y) for y in result["year"].values]
    rows = [(labels.RR[p], [_amount_cell(v) for v in da.sel(rr_post=p).values], p in labels.RR_SUBTOTALS)
            for p in (str(x) for x in da["rr_post"].values)]
    return _year_table(years, rows)


def _goal_table(result: xr.Dataset, scenario: str) -> str:
    years = [int(y) for y in result["year"].values]
    rows = []
    for goal in (str(g) for g in result["mal"].values):
        sel = {"scenario": scenario, "mal": goal}
        cells = []
        for v, m, gap in zip(result["mal_varde"].sel(sel).values, result["mal_uppfyllt"].sel(sel).values,
                             result["mal_gap_mnkr"].sel(sel).values, strict=True):
            shown = fmt.procent(v) if goal in labels.MAL_RATIO else fmt.mnkr(v)
            if m != m:
                cells.append(f"<td>{_e(shown)}</td>")
            elif m >= 0.5:
                cells.append(f'<td class="ok" title="uppfyllt">{_e(shown)} ✓</td>')
            else:
                cells.append(f'<td class="miss" title="ej uppfyllt; behov {_e(fmt.mnkr(gap))} mnkr">'
                             f"{_e(shown)} ✗ ({_e(fmt.mnkr(gap))})</td>")
        rows.append((labels.MAL[goal], cells, False))
    return _year_table(years, rows, "Mål")


def _goal_by_scenario(result: xr.Dataset, titles: dict[str, str], goal: str) -> str:
    """One goal across the scenarios: value per year, green when met and red when not."""
    years = [int(y) for y in result["year"].values]
    rows = []
    for scen in (str(s) for s in result["scenario"].values):
        sel = {"scenario": scen, "mal": goal}
        cells = []
        for v, m in zip(result["mal_varde"].sel(sel).values, result["mal_uppfyllt"].sel(sel).values, strict=True):
            shown = fmt.procent(v) if goal in labels.MAL_RATIO else fmt.mnkr(v)
            cls = "" if m != m else (' class="ok"' if m >= 0.5 else ' class="miss"')
            mark = "" if m != m else (" ✓" if m >= 0.5 else " ✗")
            cells.append(f"<td{cls}>{_e(shown)}{mark}</td>")
        rows.append((titles.get(scen, scen), cells, False))
    return _year_table(years, rows, labels.MAL[goal])


def _differences(result: xr.Dataset, titles: dict[str, str]) -> str:
    years = [int(y) for y in result["year"].values]
    da = result["resultatrakning"].sel(rr_post="arets_resultat")
    bkr = result["balanskrav"].sel(bk_post="arets_balanskravsresultat")
    rows = [("bas – årets resultat", [_amount_cell(v) for v in da.sel(scenario="bas").values], True)]
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
    out = [
        Diagram("Årets resultat per scenario", "Årets resultat (mnkr) per år och scenario; grått fält = prognosår "
                "efter den beslutade planen.", png_bytes(plots.arets_resultat(result, titles, planslut))),
        Diagram("Resultatutjämningsreserv och resultatreserv", "Reserverna vid årets slut: staplar för bas, linjer "
                "för summan i varje scenario.", png_bytes(plots.rur(result, titles, planslut))),
    ]
    year = planslut + 1 if planslut + 1 in years else years[-1]
    steps = plots.waterfall_steps(result, run.params, "bas", year)
    out.append(Diagram(f"Nettokostnad {year - 1} → {year}",
                       "Vad som förändrar nettokostnaden mellan två år i basalternativet: uppräkning, satsningar, "
                       "effektivisering, intäkter och avskrivningar.",
                       png_bytes(plots.waterfall(steps, title=f"Nettokostnad {year - 1} → {year} (bas)"))))
    return out


def build_report(run, *, command: str = "", extras: ReportExtras | None = None,
                 diagrams: list[Diagram] | None = None) -> str:
    """The whole report as one HTML string."""
    from flerarsprognos import __version__

    extras = extras or ReportExtras()
    result = run.result
    titles = {s.name: s.title for s in run.sets}
    years = [int(y) for y in result["year"].values]
    planslut = int(run.base.planslut)
    diagrams = standard_diagrams(run) if diagrams is None else diagrams
    diagrams = diagrams + extras.diagrams
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()

    cards = "".join(
        f'<div class="card"><div class="label">{_e(label)}</div>'
        f'<div class="value{" neg" if neg else ""}">{_e(value)}</div></div>'
        for y in sorted({planslut, years[-1]}) for label, value, neg in key_figures(result, "bas", y))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Flerårsprognos – rapport</title>",
        f"<style>{CSS}</style></head><body><main>",
        "<header><h1>Flerårsprognos: resultat, balanskrav och finansiella mål</h1>",
        f'<p class="muted">{years[0]}–{planslut}: beslutad flerårsplan; {planslut + 1}–{years[-1]}: prognos. '
        f"Belopp i miljoner kronor (mnkr). Antaganden {_e(run.base.digest)}, {when}.</p></header>",
        '<section id="sammanfattning"><h2>Sammanfattning</h2>',
        f'<p class="lead">{_e(_summary_sentence(result, "bas", planslut))}</p>',
        f'<div class="cards">{cards}</div>',
        "<h3>Finansiella mål, basalternativet</h3>",
        '<p class="muted">Grönt ✓ = målet nås, rött ✗ (x) = målet nås inte; x = mnkr i lägre kostnad eller '
        "högre intäkt som behövs. Utan markering: målet gäller inte det året.</p>",
        _goal_table(result, "bas"),
        "</section>",
    ]
    if len(result["scenario"]) > 1:
        scen_list = "".join(f"<li><b>{_e(s.name)}</b>: {_e(s.title)}</li>" for s in run.sets[1:])
        parts += ['<section id="scenarier"><h2>Scenarier</h2>', f"<ul>{scen_list}</ul>",
                  "<h3>Skillnad mot bas (mnkr)</h3>", _differences(result, titles),
                  "<h3>Nettokostnadsandelen i varje scenario</h3>",
                  _goal_by_scenario(result, titles, "nettokostnadsandel"),
                  "<h3>Balanskravsresultatet i varje scenario</h3>",
                  _goal_by_scenario(result, titles, "balanskrav"), "</section>"]
    parts.append('<section id="diagram"><h2>Diagram</h2>')
    parts += [f"<h3>{_e(d.title)}</h3>{_img(d)}" for d in diagrams]
    parts.append("</section>")
    if extras.kanslighet is not None and len(extras.kanslighet):
        parts += ['<section id="kanslighet"><h2>Känslighetsanalys</h2>', _kanslighet_table(extras.kanslighet),
                  "</section>"]
    parts.append('<section id="tabeller"><h2>Resultatbudget</h2>')
    for scen in (str(s) for s in result["scenario"].values):
        parts += [f"<h3>{_e(scen)} – {_e(titles.get(scen, ''))}</h3>", _resultatbudget(result, scen)]
    parts.append("</section>")
    scen_files = "; ".join(run.scenario_files) or "inga (bara basalternativet)"
    parts += [
        "<footer><dl>",
        f"<dt>Program</dt><dd>flerarsprognos {_e(__version__)}</dd>",
        f"<dt>Antaganden</dt><dd>{_e(run.base.digest)}</dd>",
        f"<dt>Scenariofiler</dt><dd>{_e(scen_files)}</dd>",
        f"<dt>Kommando</dt><dd>{_e(command or '(anropad från Python)')}</dd>",
        f"<dt>Skapad</dt><dd>{_e(when)}</dd>",
        "</dl></footer></main></body></html>",
    ]
    return "\n".join(parts)


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


def write_report(path: Path, text: str) -> Path:
    """Write the HTML atomically (temporary file, then rename)."""
    from flerarsprognos.output.files import atomic_path

    path = Path(path)
    check_report_target(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
