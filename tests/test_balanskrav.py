"""The balanskrav rules, year by year, on hand-made cases (KL 11 kap. 12 och 14 §§)."""

from __future__ import annotations

import numpy as np
import pytest

from flerarsprognos.model import balanskrav as bk

YEARS = list(range(2023, 2031))


def rules(**kw):
    base = dict(reservation_limit=0.01, reservation_limit_negative_equity=0.02, resultatreserv_from=2024,
                resultatreserv_cap=0.05, regain_years=3, reservation_share=1.0, use_always=True, su_average=0.04)
    base.update(kw)
    return bk.Rules(**{k: np.array([v]) for k, v in base.items()})


def run_years(results, rur=0.0, rr=0.0, synnerliga=None, su_growth=None, ek=1000.0, **rule_kw):
    r = rules(**rule_kw)
    state = bk.State(rur=np.array([rur]), resultatreserv=np.array([rr]), deficits=np.zeros((1, len(YEARS))))
    rows = []
    for i, res in enumerate(results):
        rows.append(bk.step(i, YEARS[i], state, r, arets_resultat=np.array([res]),
                            efter_justeringar=np.array([res]), skatter_och_bidrag=np.array([10000.0]),
                            ek_inkl_ansvarsforbindelse=np.array([ek]),
                            su_growth=np.array([0.03 if su_growth is None else su_growth[i]]),
                            synnerliga_skal=np.array([0.0 if synnerliga is None else synnerliga[i]])))
    return rows


def col(rows, key):
    return [float(r[key][0]) for r in rows]


def test_rur_covers_a_deficit_but_never_creates_a_surplus():
    rows = run_years([-278, -129, -50], rur=843.3)
    assert col(rows, "anvandning_av_resultatutjamningsreserv") == pytest.approx([278, 129, 50])
    assert col(rows, "arets_balanskravsresultat") == pytest.approx([0, 0, 0])
    assert col(rows, "rur_utgaende")[-1] == pytest.approx(843.3 - 457)


def test_deficits_are_regained_oldest_first_and_late_ones_flagged():
    # no reserves: deficits 2023 (−100) and 2024 (−50); 2025 +120 regains 2023's 100 and 20 of 2024's
    rows = run_years([-100, -50, 120, 0, 0, 0, 0])
    assert col(rows, "oreglerat_underskott") == pytest.approx([100, 150, 30, 30, 30, 30, 30])
    # 2024's remaining 30 must be regained within 2025–2027; still open at the end of 2027 it is late
    assert col(rows, "underskott_for_sent_aterstallt") == pytest.approx([0, 0, 0, 0, 30, 30, 30])
    assert col(rows, "balanskravsunderskott_fran_tidigare_ar")[2] == pytest.approx(-150)
    assert col(rows, "balanskravsresultat")[2] == pytest.approx(120 - 150)


def test_synnerliga_skal_exempt_a_deficit():
    rows = run_years([-100, 0, 0, 0, 0], synnerliga=[60, 0, 0, 0, 0])
    assert col(rows, "oreglerat_underskott")[0] == pytest.approx(40)


def test_reservation_limits_and_resultatreserv():
    # 2023: 1 % of 10 000 = 100 → 150 of 250 to RUR; 2024: to resultatreserv, capped at 5 % = 500
    rows = run_years([250, 900, 900])
    assert col(rows, "reservering_till_resultatutjamningsreserv") == pytest.approx([-150, -500, 0])
    assert col(rows, "rur_utgaende")[-1] == pytest.approx(150)
    assert col(rows, "resultatreserv_utgaende")[-1] == pytest.approx(500)
    # negative equity incl. ansvarsförbindelse: 2 % limit
    rows = run_years([250], ek=-1.0)
    assert col(rows, "reservering_till_resultatutjamningsreserv") == pytest.approx([-50])


def test_open_deficits_are_regained_before_reserving():
    rows = run_years([-80, 300])
    # 300 − 1 % (100) − the open 80 = 120 may be reserved; the rest regains the deficit
    assert col(rows, "reservering_till_resultatutjamningsreserv")[1] == pytest.approx(-120)
    assert col(rows, "oreglerat_underskott")[1] == pytest.approx(0)


def test_use_condition_is_data():
    rows = run_years([-100, -100], rur=500, use_always=False, su_growth=[0.05, 0.02])
    assert col(rows, "anvandning_av_resultatutjamningsreserv") == pytest.approx([0, 100])


# --- the opening ledger, synnerliga skäl and the RUR trigger (issue 10, items 5 and 6) -----------

from flerarsprognos.io.params import build_params  # noqa: E402
from flerarsprognos.model.engine import project  # noqa: E402
from flerarsprognos.problems import Problems  # noqa: E402
from flerarsprognos.runner import load_sets  # noqa: E402


def _run_with(**changes):
    """The default with assumption values replaced: {key: {year: value}} or {key: scalar}."""
    base, _ = load_sets(None, [], Problems())
    aset = base.copy("test")
    for key, new in changes.items():
        v = aset.values[key]
        if isinstance(new, dict):
            data = np.array(v.data, dtype=float)
            years = list(v.years) if v.spec.history else list(aset.years)
            for y, x in new.items():
                data[years.index(y)] = x
            v.data = data
        else:
            v.data = new
    return project(build_params([aset], base)).sel(scenario="test")


def test_opening_deficit_is_in_the_ledger_with_its_deadline():
    # 157 mnkr open from 2022 (RUR used up that year): to be regulated by the end of 2025.
    res = _run_with(balanskravsunderskott_ingaende={2022: 157.0})
    bk = res["balanskrav"]
    row = lambda post: bk.sel(bk_post=post).values  # noqa: E731
    assert row("balanskravsunderskott_fran_tidigare_ar")[0] == pytest.approx(-157.0)
    # 2023–2024: RUR covers the plan's deficits, the year's balanskravsresultat is 0, nothing regained
    assert row("oreglerat_underskott")[:2] == pytest.approx([157.0, 157.0])
    # 2025: the year's balanskravsresultat (the result 147) regains 147 of it; 10 is late (2022 + 3)
    bkr_2025 = row("arets_balanskravsresultat")[2]
    assert bkr_2025 > 0
    left = 157.0 - bkr_2025
    assert row("oreglerat_underskott")[2] == pytest.approx(left)
    assert row("underskott_for_sent_aterstallt")[:3] == pytest.approx([0.0, 0.0, left])
    assert res["mal_uppfyllt"].sel(mal="balanskrav").values[2] == 0.0


def test_opening_deficit_older_than_three_years_is_late_at_once():
    res = _run_with(balanskravsunderskott_ingaende={2019: 50.0})
    late = res["balanskrav"].sel(bk_post="underskott_for_sent_aterstallt").values
    assert late[0] == pytest.approx(50.0)


def test_synnerliga_skal_row_and_goal():
    # 2023 without RUR: a deficit of 278; fullmäktige exempts 200 with synnerliga skäl
    res = _run_with(rur_ingaende=0.0, synnerliga_skal={2023: 200.0})
    bk = res["balanskrav"].sel(year=2023)
    assert float(bk.sel(bk_post="synnerliga_skal")) == pytest.approx(200.0)
    assert float(bk.sel(bk_post="oreglerat_underskott")) == pytest.approx(
        -float(bk.sel(bk_post="arets_balanskravsresultat")) - 200.0)
    # the whole deficit exempted: not a missed balanskrav
    deficit = -float(_run_with(rur_ingaende=0.0)["balanskrav"].sel(year=2023, bk_post="arets_balanskravsresultat"))
    res = _run_with(rur_ingaende=0.0, synnerliga_skal={2023: deficit})
    assert float(res["mal_uppfyllt"].sel(mal="balanskrav", year=2023)) == 1.0
    assert float(res["balanskrav"].sel(year=2023, bk_post="oreglerat_underskott")) == pytest.approx(0.0, abs=1e-9)


def test_synnerliga_skal_beyond_the_year_exempt_earlier_deficits_oldest_first():
    rows = run_years([-100, -50, 0, 0], synnerliga=[0, 50, 120, 0])
    # 2024: 50 exempts that year's own deficit; 2025: 120 exempts 2023's 100 … but only 100 is open
    assert col(rows, "synnerliga_skal") == pytest.approx([0, 50, 100, 0])
    assert col(rows, "oreglerat_underskott") == pytest.approx([100, 100, 0, 0])


def test_rur_trigger_uses_the_ten_year_average_of_the_history():
    from flerarsprognos.model.balanskrav import rur_trigger_average
    from flerarsprognos.model.inputs import Inputs

    base, _ = load_sets(None, [], Problems())
    p = Inputs(build_params([base], base))
    hist = np.asarray(base.values["skatteunderlag_historik"].data)
    years = list(base.values["skatteunderlag_historik"].years)
    su = np.full(p.shape, 0.03)
    avg = rur_trigger_average(p, su)
    # 2023: the mean of 2013–2022 as given in makro.yaml
    expected_2023 = np.nanmean(hist[years.index(2013):years.index(2022) + 1])
    assert avg[0, 0] == pytest.approx(expected_2023)
    # 2024: 2014–2022 and the forecast's 2023 (3 %)
    expected_2024 = (np.nansum(hist[years.index(2014):years.index(2022) + 1]) + 0.03) / 10
    assert avg[0, 1] == pytest.approx(expected_2024)


def test_fund_return_unrealised_part_is_adjusted_out():
    """Placeringar return 5 % from 2024, 40 % realised, by hand: finansiella intäkter rise by
    5 % of last year's placeringar; the unrealised 60 % is taken out again in the
    balanskravsutredning; the return stays in the fund, not in the cash."""
    base = _run_with()
    res = _run_with(placeringar_avkastning={y: 0.05 for y in range(2024, 2029)})
    plac_2023 = float(base["balansrakning"].sel(year=2023, br_post="kortfristiga_placeringar"))
    d_fin = float((res["resultatrakning"] - base["resultatrakning"]).sel(year=2024, rr_post="finansiella_intakter"))
    assert d_fin == pytest.approx(0.05 * plac_2023, rel=1e-9)
    d_orealiserat = float((res["balanskrav"] - base["balanskrav"]).sel(
        year=2024, bk_post="orealiserade_vinster_och_forluster_i_vardepapper"))
    assert d_orealiserat == pytest.approx(-0.6 * d_fin, rel=1e-9)
    d_after = float((res["balanskrav"] - base["balanskrav"]).sel(year=2024, bk_post="arets_resultat_efter_balanskravsjusteringar"))
    assert d_after == pytest.approx(0.4 * d_fin, rel=1e-9)
    br = (res["balansrakning"] - base["balansrakning"]).sel(year=2024)
    assert float(br.sel(br_post="kassa_och_bank")) == pytest.approx(0.0, abs=1e-6)
    assert float(br.sel(br_post="kortfristiga_placeringar")) == pytest.approx(d_fin, rel=1e-9)


def test_financing_policy_keeps_the_fund_apart_after_the_plan():
    res = _run_with()
    assert float(res["placeringar_uttag"].sel(year=slice(2026, 2028)).sum()) == 0.0
    assert float(res["nyupplaning"].sel(year=2026)) > 0  # the region borrows instead
    drawn = _run_with(placeringar_uttag_andel={y: 1.0 for y in range(2026, 2029)})
    assert float(drawn["nyupplaning"].sel(year=slice(2026, 2028)).sum()) < float(res["nyupplaning"].sum())
