"""Accounting identities hold for random scenarios (hypothesis).

Each example draws a whole economy and set of decisions for every year, runs the engine,
and checks the identities of the resultaträkning, the balanskrav rules and the balance sheet.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flerarsprognos.io.assumptions import load_assumptions
from flerarsprognos.model.engine import project
from flerarsprognos.io.params import build_params
from flerarsprognos.paths import default_assumptions_dir

BASE = load_assumptions(default_assumptions_dir())
PARAMS = build_params([BASE], BASE)
Y = PARAMS.sizes["year"]
EPS = 1e-6


def path(lo, hi):
    return st.lists(st.floats(lo, hi, allow_nan=False), min_size=Y, max_size=Y)


def sparse_path(lo, hi):
    """Mostly zero, sometimes large: the events the rules must handle."""
    return st.lists(st.one_of(st.just(0.0), st.floats(lo, hi, allow_nan=False)), min_size=Y, max_size=Y)


scenario = st.fixed_dictionaries({
    "skatteunderlag_forandring": path(-0.10, 0.12),
    "loneokning": path(-0.02, 0.10),
    "kpi": path(-0.02, 0.15),
    "prisbasbelopp_forandring": path(-0.02, 0.15),
    "skattesats": path(0.10, 0.14),
    "ranta": path(0.0, 0.10),
    "volymokning": path(-0.03, 0.05),
    "satsningar": sparse_path(0, 800),
    "effektivisering": sparse_path(0, 800),
    "realisationsvinster": sparse_path(-200, 200),
    "orealiserade_vinster_forluster": sparse_path(-500, 500),
    "synnerliga_skal": sparse_path(0, 300),
    "finansiella_intakter": path(-50, 300),
    "kassa_minimum": path(0, 2000),
    "tillfalliga_bidrag": sparse_path(-500, 500),
    "kpa_finansiell_kostnad": st.lists(st.one_of(st.just(np.nan), st.floats(0, 900)), min_size=Y, max_size=Y),
    "rur_ingaende": st.floats(0, 2000),
    "reservering_andel": st.floats(0, 1),
    "rur_anvandning_alltid": st.booleans(),
    "eget_kapital_ingaende": st.floats(-3000, 6000),
    "slutavrakning_december_andel": st.floats(0.5, 1.0),
    "skatteunderlag_regionen_utover": path(-0.02, 0.02),
    "balanskravsunderskott_ingaende": st.lists(st.one_of(st.just(np.nan), st.floats(0, 400)),
                                               min_size=PARAMS.sizes["hist_year"], max_size=PARAMS.sizes["hist_year"]),
})


def run_one(draw: dict):
    ds = PARAMS.copy(deep=True)
    for key, value in draw.items():
        arr = np.asarray(value, dtype=float if key != "rur_anvandning_alltid" else bool)
        ds[key] = (ds[key].dims, arr.reshape(ds[key].shape))
    return project(ds).isel(scenario=0)


@settings(max_examples=150, deadline=None)
@given(scenario)
def test_identities_hold(draw):
    r = run_one(draw)
    rr = r["resultatrakning"].to_pandas().T  # posts as rows
    np.testing.assert_allclose(
        rr.loc["verksamhetens_nettokostnader"],
        rr.loc["verksamhetens_intakter"] + rr.loc["verksamhetens_kostnader"] + rr.loc["avskrivningar"], atol=EPS)
    np.testing.assert_allclose(
        rr.loc["verksamhetens_resultat"],
        rr.loc["verksamhetens_nettokostnader"] + rr.loc["skatteintakter"] + rr.loc["generella_statsbidrag_och_utjamning"],
        atol=EPS)
    np.testing.assert_allclose(
        rr.loc["arets_resultat"],
        rr.loc["verksamhetens_resultat"] + rr.loc["finansiella_intakter"] + rr.loc["finansiella_kostnader"], atol=EPS)

    bk = r["balanskrav"].to_pandas().T
    # reserves are never negative
    assert (bk.loc["rur_utgaende"] >= -EPS).all()
    assert (bk.loc["resultatreserv_utgaende"] >= -EPS).all()
    # a reserve is used only to cover a negative result, never to create a surplus
    used = bk.loc["anvandning_av_resultatutjamningsreserv"]
    after = bk.loc["arets_resultat_efter_balanskravsjusteringar"]
    assert (used <= np.maximum(-after, 0) + EPS).all()
    assert (bk.loc["arets_balanskravsresultat"][used > EPS] <= EPS).all()
    # reserving and using never happen in the same year; reserving needs a positive result
    reserved = -bk.loc["reservering_till_resultatutjamningsreserv"]
    assert (reserved >= -EPS).all()
    assert ((reserved <= EPS) | (used <= EPS)).all()
    assert (reserved <= np.maximum(np.minimum(rr.loc["arets_resultat"], after), 0) + EPS).all()
    # reserves move only by reservation and use
    moved = (bk.loc["rur_utgaende"] - bk.loc["rur_ingaende"]) + (bk.loc["resultatreserv_utgaende"] - bk.loc["resultatreserv_ingaende"])
    np.testing.assert_allclose(moved, reserved - used, atol=EPS)
    # the resultatreserv stays within its cap of 5 % of skatter och bidrag (it only grows by reservations)
    cap = 0.05 * r["skatter_och_bidrag"].values
    assert (bk.loc["resultatreserv_utgaende"].values <= np.maximum(cap, bk.loc["resultatreserv_ingaende"].values) + EPS).all()
    assert (bk.loc["oreglerat_underskott"] >= -EPS).all()
    assert (bk.loc["underskott_for_sent_aterstallt"] <= bk.loc["oreglerat_underskott"] + EPS).all()

    # the skatteintäkter are their three parts (preliminär skatt, slutavräkning, korrigering)
    np.testing.assert_allclose(r["skatteintakter_delar"].sum("skattepost").values, rr.loc["skatteintakter"].values,
                               rtol=1e-12, atol=EPS)
    # every subtotal is the sum of its lines, as the statements catalogue says
    from flerarsprognos.model.statements import STATEMENTS

    for var, statement in STATEMENTS.items():
        table = r[var].to_pandas().T
        for total, lines in statement.formulas.items():
            np.testing.assert_allclose(table.loc[total], table.loc[list(lines)].sum(), atol=1e-5, err_msg=total)
    # an exempted deficit and an open one are never both counted as missed
    bkt = r["balanskrav"].to_pandas().T
    assert (bkt.loc["synnerliga_skal"] >= -EPS).all()

    br = r["balansrakning"].to_pandas().T
    np.testing.assert_allclose(br.loc["summa_tillgangar"], br.loc["summa_skulder_och_eget_kapital"], atol=1e-5)
    ek = br.loc["summa_eget_kapital"].values
    res = rr.loc["arets_resultat"].values
    np.testing.assert_allclose(np.diff(ek), res[1:], atol=EPS)
    assert ek[0] == pytest.approx(draw["eget_kapital_ingaende"] + res[0], abs=EPS)
    np.testing.assert_allclose(
        br.loc["summa_eget_kapital"],
        br.loc[["eget_kapital_darav_arets_resultat", "eget_kapital_darav_resultatutjamningsreserv",
                "eget_kapital_darav_resultatreserv", "eget_kapital_darav_ovrigt"]].sum(), atol=EPS)
    # borrowing never falls and cash never below the minimum after the base year
    assert (np.diff(r["laneskuld"].values) >= -EPS).all()
    assert (br.loc["kassa_och_bank"].values[1:] >= np.asarray(draw["kassa_minimum"])[1:] - 1e-6).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(scenario, min_size=2, max_size=4))
def test_vectorised_equals_one_at_a_time(draws):
    """Running scenarios together gives exactly what running each alone gives."""
    import xarray as xr

    singles = [run_one(d) for d in draws]
    ds = xr.concat([PARAMS.copy(deep=True) for _ in draws], dim="scenario", data_vars="all")
    ds = ds.assign_coords(scenario=[f"s{i}" for i in range(len(draws))])
    for key in draws[0]:
        stacked = np.stack([np.asarray(d[key], dtype=float if key != "rur_anvandning_alltid" else bool) for d in draws])
        ds[key] = (ds[key].dims, stacked.reshape(ds[key].shape))
    together = project(ds)
    for i, single in enumerate(singles):
        for var in ("resultatrakning", "balanskrav", "balansrakning"):
            np.testing.assert_allclose(together[var].isel(scenario=i).values, single[var].values, atol=1e-9)
