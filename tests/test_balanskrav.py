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
