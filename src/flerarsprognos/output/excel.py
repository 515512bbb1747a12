"""The workbook finance staff hand on: XlsxWriter, one table per sheet, sums as formulas.

Layout follows the regionplan: lines as rows, years as columns, one block per scenario
(``bas`` first). Subtotals and totals are Excel formulas *with their cached values*, so a
reader that does not recalculate still shows the model's figures, and an auditor who clicks
a total sees what it adds up. Cells that repeat a figure from another sheet (the summary,
the scenario differences) are references to that sheet, also with cached values.

Number formats, not rounded values: ``#,##0`` is stored in the file and shown as ``# ##0`` by a
Swedish Excel (space between thousands, decimal comma); negatives are red with a minus sign.

The workbook is written to a temporary file beside the target and renamed only when complete
(:func:`write_workbook`), so a failure never leaves a half-written file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from flerarsprognos.output import labels
from flerarsprognos.problems import InputError, Problems

SHEETS = (
    "Sammanfattning",
    "Resultatbudget",
    "Balanskravsutredning",
    "Balansbudget",
    "Finansiella mål",
    "Känslighetsanalys",
    "Scenarier",
    "Antaganden",
    "Om körningen",
)

# Subtotals: which lines each total adds (the lines carry their sign, as in the regionplan).
RR_FORMULAS = {
    "verksamhetens_nettokostnader": ("verksamhetens_intakter", "verksamhetens_kostnader", "avskrivningar"),
    "verksamhetens_resultat": ("verksamhetens_nettokostnader", "skatteintakter", "generella_statsbidrag_och_utjamning"),
    "arets_resultat": ("verksamhetens_resultat", "finansiella_intakter", "finansiella_kostnader"),
}
BK_FORMULAS = {
    "arets_resultat_efter_balanskravsjusteringar": (
        "arets_resultat_enligt_resultatrakningen", "reducering_av_samtliga_realisationsvinster",
        "justering_realisationsvinst_enligt_undantagsmojlighet",
        "justering_realisationsforlust_enligt_undantagsmojlighet",
        "orealiserade_vinster_och_forluster_i_vardepapper",
        "aterforing_av_orealiserade_vinster_och_forluster_i_vardepapper"),
    "arets_balanskravsresultat": ("arets_resultat_efter_balanskravsjusteringar",
                                  "reservering_till_resultatutjamningsreserv",
                                  "anvandning_av_resultatutjamningsreserv"),
    "balanskravsresultat": ("arets_balanskravsresultat", "balanskravsunderskott_fran_tidigare_ar"),
}
BR_FORMULAS = {
    "summa_anlaggningstillgangar": ("immateriella_anlaggningstillgangar", "mark_och_byggnader",
                                    "maskiner_och_inventarier", "aktier_andelar_och_bostadsratter",
                                    "langfristiga_fordringar"),
    "summa_omsattningstillgangar": ("forrad", "kortfristiga_fordringar", "kortfristiga_placeringar", "kassa_och_bank"),
    "summa_tillgangar": ("summa_anlaggningstillgangar", "summa_omsattningstillgangar"),
    "summa_eget_kapital": ("eget_kapital_darav_arets_resultat", "eget_kapital_darav_resultatutjamningsreserv",
                           "eget_kapital_darav_resultatreserv", "eget_kapital_darav_ovrigt"),
    "summa_avsattningar": ("avsattningar_for_pensioner", "ovriga_avsattningar"),
    "summa_skulder": ("langfristiga_skulder", "kortfristiga_skulder", "kortfristig_upplaning"),
    "summa_skulder_och_eget_kapital": ("summa_eget_kapital", "summa_avsattningar", "summa_skulder"),
}
# Lines shown with one decimal, as the source documents print them (RUR 843,3).
ONE_DECIMAL = {"rur_ingaende", "rur_utgaende", "resultatreserv_ingaende", "resultatreserv_utgaende"}
BR_HEADINGS = {"immateriella_anlaggningstillgangar": "TILLGÅNGAR",
               "eget_kapital_darav_arets_resultat": "EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER",
               "avsattningar_for_pensioner": "Avsättningar", "langfristiga_skulder": "Skulder"}
BK_HEADINGS = {"rur_ingaende": "Reserver och underskott"}

AMOUNT = "#,##0;[Red]-#,##0;0"
AMOUNT_1 = "#,##0.0;[Red]-#,##0.0;0.0"
PERCENT = "0.0%;[Red]-0.0%;0.0%"
PP_DIFF = '+0.0" pe";[Red]-0.0" pe";0.0" pe"'  # percentage points: 0,5 pe
GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
MET, NOT_MET, NOT_JUDGED = "uppfyllt", "ej uppfyllt", "–"


@dataclass
class Extras:
    """Results from other analyses that get their own tables when they exist."""

    kanslighet: pd.DataFrame | None = None  # scenario, ar, antagande, forandring, post, mnkr
    sweep: xr.DataArray | None = None  # 2-D grid (e.g. inflation × löneökning) of one outcome
    sweep_higher_is_better: bool = False
    sweep_note: str = ""
    # Sheets other modules write after the model's own: each is called with the XlsxWriter
    # workbook and adds its sheet(s) (e.g. compare.write_plan_mot_utfall_sheet).
    sheets: list[Callable] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Writing safely


def check_target(path: Path) -> None:
    """Refuse, with a Swedish message, a target the workbook cannot safely replace."""
    from flerarsprognos.output.files import check_output_file

    check_output_file(path, "--excel", ".xlsx")


def write_workbook(path: Path, run, *, command: str = "", extras: Extras | None = None) -> Path:
    """Write the whole workbook for a :class:`~flerarsprognos.runner.Run` to ``path``, atomically."""
    import xlsxwriter.exceptions

    from flerarsprognos.output.files import atomic_path

    path = Path(path)
    check_target(path)
    try:
        with atomic_path(path) as tmp:
            build_workbook(tmp, run, command=command, extras=extras or Extras())
    except (xlsxwriter.exceptions.FileCreateError, PermissionError, OSError) as exc:
        problems = Problems()
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.error(path, None, f"kunde inte skriva arbetsboken ({reason}); ingen fil har skrivits")
        raise InputError(problems.items) from None
    return path


# --------------------------------------------------------------------------------------
# Building


def _num(x) -> float | None:
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    return x + 0.0  # no negative zero


def _col(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name
    return xl_col_to_name(c)


def _cell(r: int, c: int, sheet: str | None = None, absolute: bool = False) -> str:
    from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
    ref = xl_rowcol_to_cell(r, c, row_abs=absolute, col_abs=absolute)
    return f"{quote_sheetname(sheet)}!{ref}" if sheet else ref


class _Book:
    """The workbook being built, with the address of every figure another sheet refers to."""

    def __init__(self, filename: Path, run, command: str, extras: Extras):
        import xlsxwriter

        self.run = run
        self.result: xr.Dataset = run.result
        self.extras = extras
        self.command = command
        self.years = [int(y) for y in self.result["year"].values]
        self.scenarios = [str(s) for s in self.result["scenario"].values]
        self.titles = {s.name: s.title for s in run.sets}
        self.planslut = int(run.base.planslut)
        self.wb = xlsxwriter.Workbook(str(filename), {"nan_inf_to_errors": False})
        self.wb.set_properties({"title": "Flerårsprognos", "subject": "Resultatbudget, balanskrav och finansiella mål",
                                "author": "flerarsprognos", "comments": f"Antaganden {run.base.digest}"})
        self.ws = {name: self.wb.add_worksheet(name) for name in SHEETS}
        self.addr: dict[tuple[str, str, str, int], tuple[int, int]] = {}
        self.f = self._formats()

    def _formats(self) -> dict:
        wb = self.wb
        base = {"font_name": "Calibri", "font_size": 11}
        mk = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        return {
            "title": mk(bold=True, font_size=16),
            "subtitle": mk(italic=True, font_color="#555555"),
            "block": mk(bold=True, font_size=12, font_color="#1F3864"),
            "header": mk(bold=True, bottom=1, bg_color="#DDEBF7", align="right"),
            "header_left": mk(bold=True, bottom=1, bg_color="#DDEBF7"),
            "label": mk(),
            "label_bold": mk(bold=True),
            "heading": mk(bold=True, italic=True),
            "amount": mk(num_format=AMOUNT),
            "amount_bold": mk(num_format=AMOUNT, bold=True, top=1),
            "amount_1": mk(num_format=AMOUNT_1),
            "percent": mk(num_format=PERCENT),
            "percent_bold": mk(num_format=PERCENT, bold=True),
            "pp": mk(num_format=PP_DIFF),
            "text_right": mk(align="right"),
            "text": mk(text_wrap=False),
            "wrap": mk(text_wrap=True, valign="top"),
            "general": mk(num_format="General"),
            "int_amount": mk(num_format="#,##0"),
            "extended": mk(italic=True, font_color="#7F7F7F", bg_color="#F2F2F2"),
            "extended_int": mk(italic=True, font_color="#7F7F7F", bg_color="#F2F2F2", num_format="#,##0"),
            "good": wb.add_format(GOOD),
            "bad": wb.add_format(BAD),
        }

    # -- shared pieces ---------------------------------------------------------------------

    def sheet_title(self, ws, title: str, subtitle: str) -> int:
        ws.write(0, 0, title, self.f["title"])
        ws.write(1, 0, subtitle, self.f["subtitle"])
        return 3

    def year_header(self, ws, row: int, first: str, extra: Sequence[str] = ()) -> None:
        ws.write(row, 0, first, self.f["header_left"])
        for j, y in enumerate(self.years):
            ws.write_number(row, 1 + j, y, self.f["header"])
        for k, text in enumerate(extra):
            ws.write(row, 1 + len(self.years) + k, text, self.f["header_left"])

    def plan_note(self) -> str:
        first, last = self.years[0], self.years[-1]
        note = f"{first}–{self.planslut}: beslutad flerårsplan (regionplanen); "
        if self.planslut < last:
            note += f"{self.planslut + 1}–{last}: prognos (framskrivning med antagandena)."
        return note

    def block_start(self, ws, row: int, scenario: str, first: str) -> int:
        """A scenario block's title, then its year header; returns the first line's row."""
        self.block_title(ws, row, scenario)
        self.year_header(ws, row + 1, first)
        return row + 2

    def block_title(self, ws, row: int, scenario: str, what: str = "") -> None:
        title = self.titles.get(scenario, "")
        text = f"{scenario} – {title}" if title else scenario
        ws.write(row, 0, f"{what}{text}", self.f["block"])

    def write_lines(self, sheet: str, row: int, scenario: str, da: xr.DataArray, post_dim: str,
                    names: dict, formulas: dict, headings: dict | None = None,
                    refs: dict | None = None) -> int:
        """One scenario's table: lines as rows, years as columns; totals as formulas."""
        ws = self.ws[sheet]
        headings = headings or {}
        refs = refs or {}
        rows: dict[str, int] = {}
        for post in (str(p) for p in da[post_dim].values):
            if post in headings:
                ws.write(row, 0, headings[post], self.f["heading"])
                row += 1
            rows[post] = row
            is_total = post in formulas
            ws.write(row, 0, names[post], self.f["label_bold" if is_total else "label"])
            fmt = self.f["amount_1"] if post in ONE_DECIMAL else self.f["amount_bold" if is_total else "amount"]
            values = da.sel({post_dim: post}).values
            for j, (year, value) in enumerate(zip(self.years, values, strict=True)):
                col = 1 + j
                cached = _num(value)
                if is_total:
                    expr = "+".join(_cell(rows[p], col) for p in formulas[post])
                    ws.write_formula(row, col, f"={expr}", fmt, cached)
                elif post in refs:
                    target = refs[post]
                    r, c = self.addr[(target[0], scenario, target[1], year)]
                    ws.write_formula(row, col, f"={_cell(r, c, target[0])}", fmt, cached)
                elif cached is None:
                    ws.write_blank(row, col, None, fmt)
                else:
                    ws.write_number(row, col, cached, fmt)
                self.addr[(sheet, scenario, post, year)] = (row, col)
            row += 1
        return row

    def widths(self, ws, first: int, years: int = 12, extra: Sequence[int] = ()) -> None:
        ws.set_column(0, 0, first)
        ws.set_column(1, len(self.years), years)
        for k, w in enumerate(extra):
            c = 1 + len(self.years) + k
            ws.set_column(c, c, w)

    # -- the sheets ------------------------------------------------------------------------

    def resultatbudget(self) -> None:
        sheet = "Resultatbudget"
        ws = self.ws[sheet]
        row = self.sheet_title(ws, "Resultatbudget (mnkr)", self.plan_note())
        ws.freeze_panes(row + 2, 1)
        for scen in self.scenarios:
            row = self.block_start(ws, row, scen, "mnkr")
            row = self.write_lines(sheet, row, scen, self.result["resultatrakning"].sel(scenario=scen),
                                   "rr_post", labels.RR, RR_FORMULAS)
            row += 2
        self.widths(ws, max(len(v) for v in labels.RR.values()) + 4)

    def balanskravsutredning(self) -> None:
        sheet = "Balanskravsutredning"
        ws = self.ws[sheet]
        row = self.sheet_title(ws, "Balanskravsutredning (mnkr)",
                               "Enligt LKBR 11 kap. 10 §. Årets resultat hämtas från Resultatbudget; "
                               "reserver och underskott anges med en decimal.")
        ws.freeze_panes(row + 2, 1)
        for scen in self.scenarios:
            row = self.block_start(ws, row, scen, "mnkr")
            row = self.write_lines(sheet, row, scen, self.result["balanskrav"].sel(scenario=scen), "bk_post",
                                   labels.BK, BK_FORMULAS, BK_HEADINGS,
                                   refs={"arets_resultat_enligt_resultatrakningen": ("Resultatbudget", "arets_resultat")})
            row += 2
        self.widths(ws, max(len(v) for v in labels.BK.values()) + 2)

    def balansbudget(self) -> None:
        sheet = "Balansbudget"
        ws = self.ws[sheet]
        row = self.sheet_title(ws, "Balansbudget (mnkr, 31 december)",
                               "Basåret är regionplanens balansbudget; senare år räknas fram med resultat, "
                               "investeringar, avskrivningar, pensioner och upplåning.")
        ws.freeze_panes(row + 2, 1)
        for scen in self.scenarios:
            row = self.block_start(ws, row, scen, "mnkr")
            da = self.result["balansrakning"].sel(scenario=scen)
            row = self.write_lines(sheet, row, scen, da, "br_post", labels.BR, BR_FORMULAS, BR_HEADINGS,
                                   refs={"eget_kapital_darav_arets_resultat": ("Resultatbudget", "arets_resultat")})
            ws.write(row, 0, "Kontroll: tillgångar − skulder och eget kapital (ska vara 0)", self.f["subtitle"])
            for j, year in enumerate(self.years):
                a = self.addr[(sheet, scen, "summa_tillgangar", year)]
                b = self.addr[(sheet, scen, "summa_skulder_och_eget_kapital", year)]
                diff = float(da.sel(br_post="summa_tillgangar", year=year) - da.sel(br_post="summa_skulder_och_eget_kapital", year=year))
                ws.write_formula(row, 1 + j, f"={_cell(*a)}-{_cell(*b)}", self.f["amount_1"], _num(diff))
            row += 3
        self.widths(ws, max(len(v) for v in labels.BR.values()) + 12)

    def finansiella_mal(self) -> None:
        sheet = "Finansiella mål"
        ws = self.ws[sheet]
        row = self.sheet_title(ws, "Finansiella mål (god ekonomisk hushållning)",
                               "Grönt: målet uppfyllt, rött: ej uppfyllt. 'Behov' är mnkr i lägre kostnad eller "
                               "högre intäkt som krävs för att nå målet (negativt: marginal).")
        ws.freeze_panes(row + 2, 1)
        res = self.result
        for scen in self.scenarios:
            row = self.block_start(ws, row, scen, "Mål")
            for goal in (str(g) for g in res["mal"].values):
                sel = {"scenario": scen, "mal": goal}
                ratio = goal in labels.MAL_RATIO
                vfmt = self.f["percent"] if ratio else self.f["amount"]
                value = res["mal_varde"].sel(sel).values
                target = res["mal_malvarde"].sel(sel).values
                met = res["mal_uppfyllt"].sel(sel).values
                gap = res["mal_gap_mnkr"].sel(sel).values
                ws.write(row, 0, labels.MAL[goal], self.f["label_bold"])
                ws.write(row + 1, 0, "    målvärde", self.f["label"])
                ws.write(row + 2, 0, "    uppfyllt", self.f["label"])
                ws.write(row + 3, 0, "    behov (+) / marginal (−), mnkr", self.f["label"])
                for j, year in enumerate(self.years):
                    col = 1 + j
                    for r, v, fm in ((row, value[j], vfmt), (row + 1, target[j], vfmt), (row + 3, gap[j], self.f["amount"])):
                        x = _num(v)
                        ws.write_number(r, col, x, fm) if x is not None else ws.write(r, col, NOT_JUDGED, self.f["text_right"])
                    m = met[j]
                    ws.write(row + 2, col, NOT_JUDGED if m != m else (MET if m >= 0.5 else NOT_MET), self.f["text_right"])
                    self.addr[(sheet, scen, goal, year)] = (row, col)
                    self.addr[(sheet, scen, f"{goal}_uppfyllt", year)] = (row + 2, col)
                first, last = _cell(row, 1), _cell(row, len(self.years))
                status = f"{_col(1)}{row + 3}"  # the "uppfyllt" row, relative column
                ws.conditional_format(f"{first}:{last}", {"type": "formula", "criteria": f'={status}="{MET}"',
                                                          "format": self.f["good"]})
                ws.conditional_format(f"{first}:{last}", {"type": "formula", "criteria": f'={status}="{NOT_MET}"',
                                                          "format": self.f["bad"]})
                self._status_colours(ws, row + 2, row + 2)
                row += 4
            row += 2
        self.widths(ws, max(len(v) for v in labels.MAL.values()) + 2)

    def _status_colours(self, ws, r0: int, r1: int) -> None:
        rng = f"{_cell(r0, 1)}:{_cell(r1, len(self.years))}"
        ws.conditional_format(rng, {"type": "cell", "criteria": "==", "value": f'"{MET}"', "format": self.f["good"]})
        ws.conditional_format(rng, {"type": "cell", "criteria": "==", "value": f'"{NOT_MET}"', "format": self.f["bad"]})

    def sammanfattning(self) -> None:
        sheet = "Sammanfattning"
        ws = self.ws[sheet]
        names = " · ".join(f"{s}: {self.titles.get(s, '')}" for s in self.scenarios)
        ws.write(0, 0, "Flerårsprognos – sammanfattning", self.f["title"])
        ws.write(1, 0, f"{self.plan_note()} Scenarier: {names}.", self.f["subtitle"])
        ws.write(2, 0, "Alla belopp i mnkr. Siffrorna är länkar till bladen Resultatbudget, Balanskravsutredning "
                       "och Finansiella mål; se 'Om körningen' för antagandenas hash och kommandot. Diagrammet över "
                       "årets resultat per scenario står under tabellerna.", self.f["subtitle"])
        row = 4
        ws.freeze_panes(row + 2, 1)
        res = self.result
        key_rows = [
            ("Årets resultat", "Resultatbudget", "arets_resultat", self.f["amount_bold"]),
            ("Årets balanskravsresultat", "Balanskravsutredning", "arets_balanskravsresultat", self.f["amount"]),
            ("Resultatutjämningsreserv, utgående", "Balanskravsutredning", "rur_utgaende", self.f["amount_1"]),
            ("Resultatreserv, utgående", "Balanskravsutredning", "resultatreserv_utgaende", self.f["amount_1"]),
            ("Nettokostnadsandel", "Finansiella mål", "nettokostnadsandel", self.f["percent"]),
        ]
        for scen in self.scenarios:
            row = self.block_start(ws, row, scen, "Nyckeltal")
            for label, src, key, fm in key_rows:
                ws.write(row, 0, label, self.f["label_bold" if key == "arets_resultat" else "label"])
                for j, year in enumerate(self.years):
                    r, c = self.addr[(src, scen, key, year)]
                    ws.write_formula(row, 1 + j, f"={_cell(r, c, src)}", fm, self._value(src, scen, key, year))
                    self.addr[(sheet, scen, key, year)] = (row, 1 + j)
                row += 1
            ws.write(row, 0, "Finansiella mål", self.f["heading"])
            row += 1
            first_goal = row
            for goal in (str(g) for g in res["mal"].values):
                ws.write(row, 0, labels.MAL[goal], self.f["label"])
                for j, year in enumerate(self.years):
                    m = float(res["mal_uppfyllt"].sel(scenario=scen, mal=goal, year=year))
                    text = NOT_JUDGED if m != m else (MET if m >= 0.5 else NOT_MET)
                    r, c = self.addr[("Finansiella mål", scen, f"{goal}_uppfyllt", year)]
                    ws.write_formula(row, 1 + j, f"={_cell(r, c, 'Finansiella mål')}", self.f["text_right"], text)
                row += 1
            self._status_colours(ws, first_goal, row - 1)
            row += 2
        self.widths(ws, max(len(v) for v in labels.MAL.values()) + 2)
        self._chart(ws, row)

    def _value(self, sheet: str, scen: str, key: str, year: int) -> float | None:
        res = self.result.sel(scenario=scen, year=year)
        if sheet == "Resultatbudget":
            return _num(res["resultatrakning"].sel(rr_post=key))
        if sheet == "Balanskravsutredning":
            return _num(res["balanskrav"].sel(bk_post=key))
        if sheet == "Finansiella mål":
            return _num(res["mal_varde"].sel(mal=key))
        raise KeyError(sheet)

    def _chart(self, ws, row: int) -> None:
        """A native line chart of årets resultat per scenario, from the Resultatbudget cells."""
        chart = self.wb.add_chart({"type": "line"})
        palette = ["#1F3864", "#C00000", "#ED7D31", "#548235", "#7030A0", "#00B0F0", "#7F6000"]
        for k, scen in enumerate(self.scenarios):
            r, c0 = self.addr[("Resultatbudget", scen, "arets_resultat", self.years[0])]
            _, c1 = self.addr[("Resultatbudget", scen, "arets_resultat", self.years[-1])]
            header = 4  # the first block's year header row on Resultatbudget
            chart.add_series({
                "name": scen,
                "categories": ["Resultatbudget", header, c0, header, c1],
                "values": ["Resultatbudget", r, c0, r, c1],
                "line": {"color": palette[k % len(palette)], "width": 2.5},
                "marker": {"type": "circle", "size": 6,
                           "fill": {"color": palette[k % len(palette)]}, "border": {"color": palette[k % len(palette)]}},
            })
        chart.set_title({"name": "Årets resultat per scenario (mnkr)"})
        chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_x_axis({"label_position": "low"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 380})
        ws.write(row, 0, "Diagram: årets resultat per scenario", self.f["block"])
        ws.insert_chart(row + 1, 0, chart)

    def scenarier(self) -> None:
        sheet = "Scenarier"
        ws = self.ws[sheet]
        row = self.sheet_title(ws, "Scenarier: skillnad mot bas",
                               "Varje cell är scenariots värde minus basalternativets (formel mot bladen "
                               "Resultatbudget, Balanskravsutredning och Finansiella mål). Positivt = bättre "
                               "resultat än bas.")
        ws.freeze_panes(row + 2, 1)
        others = [s for s in self.scenarios if s != "bas"]
        if not others:
            ws.write(row, 0, "Körningen har bara basalternativet. Ange scenariofiler för att jämföra, t.ex. "
                             "flerarsprognos export hogre_loner.", self.f["label"])
        lines = [("Resultatbudget", p, labels.RR[p], p in RR_FORMULAS) for p in labels.RR]
        lines += [("Balanskravsutredning", "arets_balanskravsresultat", labels.BK["arets_balanskravsresultat"], False),
                  ("Balanskravsutredning", "rur_utgaende", labels.BK["rur_utgaende"], False),
                  ("Balanskravsutredning", "resultatreserv_utgaende", labels.BK["resultatreserv_utgaende"], False),
                  ("Finansiella mål", "nettokostnadsandel", "Nettokostnadsandel (procentenheter)", False)]
        for scen in others:
            row = self.block_start(ws, row, scen, "Skillnad mot bas, mnkr")
            for src, key, label, bold in lines:
                ws.write(row, 0, label, self.f["label_bold" if bold else "label"])
                if src == "Finansiella mål":
                    fm = self.f["pp"]
                elif key in ONE_DECIMAL:
                    fm = self.f["amount_1"]
                else:
                    fm = self.f["amount_bold" if bold else "amount"]
                for j, year in enumerate(self.years):
                    rs, cs = self.addr[(src, scen, key, year)]
                    rb, cb = self.addr[(src, "bas", key, year)]
                    a, b = self._value(src, scen, key, year), self._value(src, "bas", key, year)
                    cached = None if a is None or b is None else a - b
                    if src == "Finansiella mål" and cached is not None:
                        cached *= 100.0
                        formula = f"=({_cell(rs, cs, src)}-{_cell(rb, cb, src)})*100"
                    else:
                        formula = f"={_cell(rs, cs, src)}-{_cell(rb, cb, src)}"
                    ws.write_formula(row, 1 + j, formula, fm, cached)
                row += 1
            row += 2
        self.widths(ws, 44)

    def kanslighetsanalys(self) -> None:
        ws = self.ws["Känslighetsanalys"]
        row = self.sheet_title(ws, "Känslighetsanalys",
                               "Effekt i mnkr av en förändring i ett antagande, allt annat lika.")
        kt = self.extras.kanslighet
        if kt is None or len(kt) == 0:
            ws.write(row, 0, "Ingen känslighetsanalys i den här körningen.", self.f["label"])
            row += 2
        else:
            ws.freeze_panes(row + 1, 2)
            years = sorted(int(y) for y in kt["ar"].unique())
            for (scen, post), part in kt.groupby(["scenario", "post"], sort=False):
                ws.write(row, 0, "Antagande", self.f["header_left"])
                ws.write(row, 1, "Förändring", self.f["header_left"])
                for j, y in enumerate(years):
                    ws.write_number(row, 2 + j, y, self.f["header"])
                row += 1
                what = labels.RR.get(post, labels.BK.get(post, str(post)))
                ws.write(row, 0, f"{scen} – effekt på {what.lower()} (mnkr)", self.f["block"])
                row += 1
                table = part.pivot_table(index=["antagande", "forandring"], columns="ar", values="mnkr", sort=False)
                r0 = row
                for (antagande, forandring), values in table.iterrows():
                    ws.write(row, 0, str(antagande), self.f["label"])
                    ws.write(row, 1, str(forandring), self.f["label"])
                    for j, y in enumerate(years):
                        x = _num(values.get(y, np.nan))
                        ws.write_number(row, 2 + j, x, self.f["amount"]) if x is not None else ws.write_blank(row, 2 + j, None)
                    row += 1
                ws.conditional_format(r0, 2, row - 1, 1 + len(years), {
                    "type": "3_color_scale", "min_color": "#F8696B", "mid_type": "num", "mid_value": 0,
                    "mid_color": "#FFFFFF", "max_color": "#63BE7B"})
                row += 2
            ws.set_column(0, 0, max(12, int(kt["antagande"].astype(str).str.len().max()) + 2))
            ws.set_column(1, 1, max(12, int(kt["forandring"].astype(str).str.len().max()) + 2))
            ws.set_column(2, 1 + len(years), 10)
        grid = self.extras.sweep
        if grid is not None:
            self._sweep_grid(ws, row, grid)

    def _sweep_grid(self, ws, row: int, grid: xr.DataArray) -> None:
        ydim, xdim = grid.dims
        name = grid.attrs.get("long_name", grid.name or "utfall")
        ylab, xlab = grid[ydim].attrs.get("long_name", ydim), grid[xdim].attrs.get("long_name", xdim)
        ws.write(row, 0, f"{name} – rader: {ylab}; kolumner: {xlab}", self.f["block"])
        if self.extras.sweep_note:
            ws.write(row + 1, 0, self.extras.sweep_note, self.f["subtitle"])
        row += 2
        ratio = bool(grid.attrs.get("ratio", False))
        ws.write(row, 0, f"{grid[ydim].attrs.get('long_name', ydim)} ↓ / {grid[xdim].attrs.get('long_name', xdim)} →",
                 self.f["header_left"])
        for j, xv in enumerate(grid[xdim].values):
            ws.write_number(row, 1 + j, float(xv), self._axis_format(grid[xdim].attrs.get("enhet", "")))
        values = grid.values
        for i, yv in enumerate(grid[ydim].values):
            ws.write_number(row + 1 + i, 0, float(yv), self._axis_format(grid[ydim].attrs.get("enhet", "")))
            for j in range(values.shape[1]):
                x = _num(values[i, j])
                fm = self.f["percent"] if ratio else self.f["amount"]
                ws.write_number(row + 1 + i, 1 + j, x, fm) if x is not None else ws.write_blank(row + 1 + i, 1 + j, None)
        good, bad = "#63BE7B", "#F8696B"
        low, high = (bad, good) if self.extras.sweep_higher_is_better else (good, bad)
        ws.conditional_format(row + 1, 1, row + values.shape[0], values.shape[1], {
            "type": "3_color_scale", "min_color": low, "mid_color": "#FFEB84", "max_color": high})

    def _axis_format(self, unit: str):
        """Sweep axis values in their own unit: shifts in procentenheter, percent, or fractions."""
        if unit == "procentenheter":
            code = '+0.0" pe";-0.0" pe";0.0" pe"'
        elif unit.startswith("procent"):
            code = '0.0" %"'
        else:
            code = "0.0%"
        key = f"axis_{code}"
        if key not in self.f:
            self.f[key] = self.wb.add_format({"bold": True, "num_format": code, "bg_color": "#DDEBF7"})
        return self.f[key]

    def antaganden(self) -> None:
        from flerarsprognos.io.assumptions import from_canonical

        ws = self.ws["Antaganden"]
        row = self.sheet_title(ws, "Antaganden som gäller",
                               "Värden i filens enhet. Grå kursiv cell = förlängt värde (fylls i från senast "
                               "givna år, inte angivet i filen). Tomt = inget värde för året.")
        head = ["Nyckel", "Beskrivning", "Enhet", "Värde (utan år)", *map(str, self.years), "Förlängt", "Källa", "Fil"]
        yc = 4  # first year column

        def header(r):
            for c, text in enumerate(head):
                ws.write(r, c, int(text) if text.isdigit() else text, self.f["header" if text.isdigit() else "header_left"])

        def value_cell(r, c, x, unit, extended=False):
            if isinstance(x, str):
                ws.write_string(r, c, x, self.f["extended" if extended else "text"])
                return
            v = _num(from_canonical(x, unit))
            if v is None:
                return
            integer = float(v).is_integer()
            if extended:
                ws.write_number(r, c, v, self.f["extended_int" if integer else "extended"])
            else:
                ws.write_number(r, c, v, self.f["int_amount" if integer else "general"])

        def block(r, aset, keys):
            for key in keys:
                v = aset.values[key]
                unit = v.file_unit
                label = key + (f" ({v.method})" if v.method else "")
                ws.write(r, 0, label, self.f["label"])
                ws.write(r, 1, v.description or v.spec.label, self.f["label"])
                ws.write(r, 2, unit, self.f["label"])
                extended_years = []
                if v.spec.history:  # years before the base year, as text
                    from flerarsprognos.output.presentation import history_text

                    ws.write(r, 3, history_text(v), self.f["label"])
                elif not v.spec.by_year:
                    value_cell(r, 3, v.data, unit)
                else:
                    data = np.asarray(v.data, dtype=float)
                    for i, year in enumerate(self.years):
                        if i >= len(data) or np.isnan(data[i]):
                            continue
                        if v.spec.coverage == "plan" and year > aset.planslut:
                            continue
                        ext = bool(v.extended is not None and v.extended[i])
                        if ext:
                            extended_years.append(year)
                        value_cell(r, yc + i, data[i], unit, ext)
                ws.write(r, yc + len(self.years), _year_span(extended_years) or "nej", self.f["label"])
                ws.write(r, yc + len(self.years) + 1, " ".join(v.source.split()), self.f["label"])
                ws.write(r, yc + len(self.years) + 2, Path(v.file).name, self.f["label"])
                r += 1
            return r

        header(row)
        ws.freeze_panes(row + 1, 1)
        row += 1
        ws.write(row, 0, f"bas – {self.run.base.title} (antaganden {self.run.base.digest})", self.f["block"])
        row = block(row + 1, self.run.base, list(self.run.base.values))
        for aset in self.run.sets[1:]:
            changed = [k for k, v in aset.values.items() if v.changed_by]
            row += 1
            ws.write(row, 0, f"{aset.name} – {aset.title}: ändrade antaganden", self.f["block"])
            row += 1
            if not changed:
                ws.write(row, 0, "inga ändringar", self.f["label"])
                row += 1
            row = block(row, aset, changed)
        ws.set_column(0, 0, 44)
        ws.set_column(1, 1, 48)
        ws.set_column(2, 2, 16)
        ws.set_column(3, 3 + len(self.years), 11)
        ws.set_column(yc + len(self.years), yc + len(self.years), 12)
        ws.set_column(yc + len(self.years) + 1, yc + len(self.years) + 1, 70)
        ws.set_column(yc + len(self.years) + 2, yc + len(self.years) + 2, 18)

    def om_korningen(self) -> None:
        from flerarsprognos.output.files import provenance

        ws = self.ws["Om körningen"]
        ws.write(0, 0, "Om körningen", self.f["title"])
        prov = provenance(self.run.base.digest, self.run.scenario_files, self.command)
        rows = [
            ("Program", "flerarsprognos"),
            ("Version", prov["flerarsprognos_version"]),
            ("Antagandenas hash", prov["antaganden_hash"]),
            ("Antagandefiler", "; ".join(str(p) for p in self.run.base.files)),
            ("Scenarier", "; ".join(f"{s.name}: {s.title}" for s in self.run.sets)),
            ("Scenariofiler", "; ".join(self.run.scenario_files) or "inga (bara basalternativet)"),
            ("Kommando", prov["kommando"] or "(anropad från Python)"),
            ("Tidpunkt", prov["tidpunkt"]),
            ("År", f"{self.years[0]}–{self.years[-1]}; plan till och med {self.planslut}"),
            ("Enhet", "mnkr (miljoner kronor), löpande priser, om inget annat anges"),
            ("Formler", "Delsummor och summor är Excelformler med sparade värden; celler som visar en siffra från "
                        "ett annat blad är länkar dit."),
        ]
        for w in getattr(self.run, "warnings", []) or []:
            rows.append(("Varning", str(w)))
        for i, (k, v) in enumerate(rows):
            ws.write(2 + i, 0, k, self.f["label_bold"])
            ws.write_string(2 + i, 1, str(v), self.f["label"])
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 110)

    def build(self) -> None:
        # Detail sheets first: the summary and the differences refer to their cells.
        self.resultatbudget()
        self.balanskravsutredning()
        self.balansbudget()
        self.finansiella_mal()
        self.sammanfattning()
        self.scenarier()
        self.kanslighetsanalys()
        self.antaganden()
        self.om_korningen()
        for add_sheet in self.extras.sheets:
            add_sheet(self.wb)
        for ws in self.wb.worksheets():
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)  # all columns on one page width
            ws.set_footer("&L&A&RSida &P av &N")
        self.ws["Sammanfattning"].activate()
        self.wb.close()


def _year_span(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def build_workbook(filename: Path, run, *, command: str = "", extras: Extras | None = None) -> None:
    """Write the workbook to ``filename`` directly (no atomic rename; see :func:`write_workbook`)."""
    _Book(Path(filename), run, command, extras or Extras()).build()
