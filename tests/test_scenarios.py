"""The shipped scenarios move the plan by what a hand calculation says."""

from __future__ import annotations

import pytest


def delta(run, scenario, post, year):
    rr = run.result["resultatrakning"]
    return float(rr.sel(scenario=scenario, rr_post=post, year=year) - rr.sel(scenario="bas", rr_post=post, year=year))


def test_skattehojning_is_60_ore_times_the_skatteunderlag(default_run):
    su_2025 = float(default_run.result["skatteunderlag"].sel(scenario="bas", year=2025))
    assert delta(default_run, "skattehojning_2025", "arets_resultat", 2025) == pytest.approx(0.006 * su_2025, abs=0.01)
    assert delta(default_run, "skattehojning_2025", "arets_resultat", 2024) == pytest.approx(0.0, abs=1e-9)
    assert delta(default_run, "skattehojning_2025", "arets_resultat", 2028) > 0  # holds from 2025 on


def test_higher_wages_2023_by_hand(default_run):
    # costs: personalkostnadsandel 55 % × 1 pp × the decided costs 12 341;
    # revenue: 0,7 × 1 pp more skatteunderlag × skatteintäkter 7 658 (inkomstutjämning follows from 2024)
    expected = -0.55 * 0.01 * 12341 + 0.7 * 0.01 * 7658
    assert delta(default_run, "hogre_loner", "arets_resultat", 2023) == pytest.approx(expected, abs=0.5)


def test_higher_inflation_raises_the_pension_finance_cost(default_run):
    # +2 pp prisbasbelopp 2024 raises the index-up on the avsättning: 2 pp × 1,01 × A(2023) excl. löneskatt × 1,2426
    a_2023 = float(default_run.result["pensionsavsattning"].sel(scenario="bas", year=2023))  # incl. löneskatt
    expected = -0.02 * 1.01 * a_2023
    assert delta(default_run, "hogre_inflation", "finansiella_kostnader", 2024) == pytest.approx(expected, abs=0.5)
    assert delta(default_run, "hogre_inflation", "arets_resultat", 2023) == pytest.approx(0.0, abs=1e-9)
