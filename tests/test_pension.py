"""Pension module: index-up, split, and KPA's prognosis overriding year by year."""

from __future__ import annotations

import pytest

from flerarsprognos.runner import run


def scenario_file(tmp_path, body: str):
    path = tmp_path / "kpa.yaml"
    path.write_text("titel: KPA-prognos\nbeskrivning: test\nbaslinje: bas\nkalla: KPA\nandringar:\n" + body,
                    encoding="utf-8")
    return str(path)


def test_kpa_prognosis_overrides_the_computation_year_by_year(tmp_path):
    path = scenario_file(tmp_path,
                         "  kpa_finansiell_kostnad: {enhet: mnkr, varden: {2024: 300}}\n"
                         "  kpa_avsattning_utgaende: {enhet: mnkr, varden: {2025: 5500}}\n")
    r = run(None, [path]).result
    fin = r["pensionskostnad_finansiell"]
    assert float(fin.sel(scenario="kpa", year=2024)) == pytest.approx(300)
    assert float(fin.sel(scenario="kpa", year=2023)) == pytest.approx(float(fin.sel(scenario="bas", year=2023)))
    assert float(r["resultatrakning"].sel(scenario="kpa", year=2024, rr_post="finansiella_kostnader")) == pytest.approx(-300)
    avs = r["pensionsavsattning"]
    assert float(avs.sel(scenario="kpa", year=2025)) == pytest.approx(5500)
    # 2026 computes on from KPA's closing figure
    g26 = float(r["pension_index_upp"].sel(scenario="kpa", year=2026))
    assert float(fin.sel(scenario="kpa", year=2026)) == pytest.approx(g26 * 5500, rel=1e-9)


def test_split_between_verksamhet_and_finansiell(base_result):
    v = base_result["pensionskostnad_verksamhet"].sel(year=2023)
    # avgiftsbestämd + nyintjänande + utbetalningar av ansvarsförbindelsen, incl. löneskatt = budget 1 111,5
    assert float(v) == pytest.approx(1111.5, abs=0.5)
    expected = (float(base_result["pension_avgiftsbestamd"].sel(year=2023)) + float(base_result["pension_nyintjanande"].sel(year=2023))
                + float(base_result["pension_utbetalningar_ansvarsforbindelse"].sel(year=2023)))
    assert float(v) == pytest.approx(expected)


def test_ansvarsforbindelse_rolls_forward(base_result):
    af = base_result["ansvarsforbindelse"].values
    g = base_result["pension_index_upp"].values
    utb = base_result["pension_utbetalningar_ansvarsforbindelse"].values
    for i in range(1, len(af)):
        assert af[i] == pytest.approx(af[i - 1] * (1 + g[i]) - utb[i])


def test_kpa_payouts_move_verksamhetens_kostnader_in_the_plan_years(tmp_path, base_result):
    """A KPA prognosis with 50 mnkr higher payouts of the ansvarsförbindelse in 2024 makes
    verksamhetens kostnader 2024 exactly 50 mnkr higher: the plan line carries the pension
    cost computed now instead of the one it was built on."""
    utb = float(base_result["pension_utbetalningar_ansvarsforbindelse"].sel(year=2024))
    path = scenario_file(tmp_path, f"  kpa_utbetalningar_ansvarsforbindelse: {{enhet: mnkr, varden: {{2024: {utb + 50}}}}}\n")
    r = run(None, [path]).result
    kost = r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2024)
    assert float(kost.sel(scenario="kpa") - kost.sel(scenario="bas")) == pytest.approx(-50, abs=1e-6)
    # other years and the finance cost are untouched by a payout of the ansvarsförbindelse
    assert float(r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2023, scenario="kpa")) == pytest.approx(
        float(r["resultatrakning"].sel(rr_post="verksamhetens_kostnader", year=2023, scenario="bas")))
