"""One verdict per goal and year, the same words everywhere (output/goals.py)."""

from __future__ import annotations

import math

import numpy as np

from flerarsprognos.output import goals


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
    assert sol[3].kind == goals.MET  # 2026: met by 53 mnkr
    assert goals.statuses(res, "bas", "soliditet_inkl_ansvarsforbindelse", margin=100.0)[3].kind == goals.CLOSE
    assert {s.word for s in goals.statuses(res, "bas", "sjalvfinansieringsgrad")} == {"mäts, inget mål"}
    # a margin from the model, when the result carries one, is used without being asked
    with_margin = res.assign(**{goals.MARGIN_VARIABLE: res["mal_gap_mnkr"] * 0 + 100.0})
    assert goals.statuses(with_margin, "bas", "soliditet_inkl_ansvarsforbindelse")[3].kind == goals.CLOSE
    flags = res["mal_uppfyllt"] * 0 + np.nan
    assert goals.statuses(res.assign(**{goals.CLOSE_VARIABLE: flags}), "bas", "balanskrav")[0].kind == goals.MET
