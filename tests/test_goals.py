"""One verdict per goal and year, the same words everywhere (output/goals.py)."""

from __future__ import annotations

import math

import numpy as np

from flerarsprognos.output import fmt, goals


def test_verdicts_and_their_words():
    assert goals.status(1.0, -120.0).word == "uppfyllt"
    assert goals.status(0.0, 80.0).short == "✗ (80)"
    assert goals.status(math.nan, 5.0, from_year=2026).word == "gäller från 2026"
    assert goals.status(math.nan, math.nan).word == "mäts, inget mål"
    close = goals.status(1.0, -53.0, margin=100.0)
    assert close.kind == goals.CLOSE and close.word == "knappt uppfyllt (marginal 53 mnkr)"
    assert goals.status(1.0, -153.0, margin=100.0).kind == goals.MET
    assert goals.status(1.0, -153.0, close=True).kind == goals.CLOSE  # the model's own flag wins
    assert goals.status(0.0, 10.0, margin=100.0).kind == goals.MISSED  # a miss is a miss


def test_statuses_from_a_result(default_run):
    res = default_run.result
    sol = goals.statuses(res, "bas", "soliditet_inkl_ansvarsforbindelse")
    assert [s.word for s in sol[:3]] == ["gäller från 2026"] * 3
    # 2026: met by 29 mnkr, less than the model's margin for the estimated inputs (~760 mnkr)
    assert sol[3].kind == goals.CLOSE and sol[3].word == "knappt uppfyllt (marginal 29 mnkr)"
    assert sol[-1].kind == goals.MET  # 2028: met by 1 200 mnkr, more than the margin
    # an explicit margin overrides the model's margin and its flag
    assert goals.statuses(res, "bas", "soliditet_inkl_ansvarsforbindelse", margin=10.0)[3].kind == goals.MET
    assert goals.statuses(res, "bas", "soliditet_inkl_ansvarsforbindelse", margin=100.0)[3].kind == goals.CLOSE
    assert {s.word for s in goals.statuses(res, "bas", "sjalvfinansieringsgrad")} == {"mäts, inget mål"}
    # without the model's margin and flag the goal is simply met
    bare = res.drop_vars([goals.MARGIN_VARIABLE, goals.CLOSE_VARIABLE])
    assert goals.statuses(bare, "bas", "soliditet_inkl_ansvarsforbindelse")[3].kind == goals.MET
    # a margin from the model, when the result carries one, is used without being asked
    with_margin = bare.assign(**{goals.MARGIN_VARIABLE: res["mal_gap_mnkr"] * 0 + 100.0})
    assert goals.statuses(with_margin, "bas", "soliditet_inkl_ansvarsforbindelse")[3].kind == goals.CLOSE
    with_margin = bare.assign(**{goals.MARGIN_VARIABLE: res["mal_gap_mnkr"] * 0 + 10.0})
    assert goals.statuses(with_margin, "bas", "soliditet_inkl_ansvarsforbindelse")[3].kind == goals.MET
    # the model's flag wins over its margin; a NaN flag leaves the verdict to the margin
    flags = res["mal_uppfyllt"] * 0 + 1.0
    assert goals.statuses(with_margin.assign(**{goals.CLOSE_VARIABLE: flags}), "bas",
                          "soliditet_inkl_ansvarsforbindelse")[3].kind == goals.CLOSE
    flags = res["mal_uppfyllt"] * 0 + np.nan
    assert goals.statuses(res.assign(**{goals.CLOSE_VARIABLE: flags}), "bas", "balanskrav")[0].kind == goals.MET


def test_knappt_uppfyllt_in_the_terminal_the_workbook_and_the_report(default_run, tmp_path):
    """The model's "knappt uppfyllt" reaches every output of the default run: soliditet inkl.
    ansvarsförbindelse 2026 (0,2 %, met by 29 mnkr, less than the margin)."""
    import html

    import openpyxl
    from typer.testing import CliRunner

    from flerarsprognos.cli import app
    from flerarsprognos.output import labels
    from flerarsprognos.output.excel import write_workbook
    from flerarsprognos.output.excel.goals_sheet import SHEET
    from flerarsprognos.output.report import build_report

    r = default_run.result.sel(scenario="bas", mal="soliditet_inkl_ansvarsforbindelse", year=2026)
    assert float(r["mal_knappt"]) == 1.0  # the model says knappt
    close = goals.Status(goals.CLOSE, float(r["mal_gap_mnkr"]))
    cell = f"{fmt.procent(float(r['mal_varde']))} {close.short}".replace("\xa0", " ")  # "0,2 % ✓ knappt (29)"
    label = labels.MAL["soliditet_inkl_ansvarsforbindelse"]
    # terminal: the run's Finansiella mål table and its legend
    res = CliRunner().invoke(app, ["run", "--ut", str(tmp_path / "ut")])
    assert res.exit_code == 0, res.output
    rows = [ln.replace("\xa0", " ") for ln in res.output.splitlines() if label in ln]
    assert any(cell in ln for ln in rows), rows
    assert "✓ knappt (x): marginalen x mnkr är mindre än osäkerheten" in " ".join(res.output.split())
    # workbook: the goal's "uppfyllt" row on the Finansiella mål sheet, column 2026
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "bok.xlsx", default_run))[SHEET]
    row = next(c.row for r_ in ws.iter_rows() for c in r_ if c.value == label)
    col = next(c.column for r_ in ws.iter_rows(max_row=row) for c in r_ if str(c.value) == "2026")
    assert ws.cell(row + 2, 1).value.strip() == "uppfyllt"
    assert ws.cell(row + 2, col).value == close.word == "knappt uppfyllt (marginal 29 mnkr)"
    # report: the goal table's cell shows the short verdict, its title the words
    text = html.unescape(build_report(default_run, diagrams=[])).replace("\xa0", " ")
    assert f'<td class="goal close" title="{close.word}">{cell}</td>' in text
