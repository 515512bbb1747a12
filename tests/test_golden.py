"""The default reproduces Region Värmland's published regionplan 2023 (seed 002).

The expected figures are the seed's own tables (copied to tests/golden from
shared/reference); tolerance ±0,5 mnkr, i.e. to the krona of the printed table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import GOLDEN, golden

TOL = 0.5


def test_golden_copies_are_the_published_tables():
    """The copies in tests/golden are byte for byte the reference tables they were taken from
    (checksums recorded when they were copied; a fresh clone checks them too, never skips)."""
    import hashlib

    sums = dict(line.split()[::-1] for line in (GOLDEN / "SHA256SUMS").read_text().splitlines() if line.strip())
    files = sorted(f.name for f in GOLDEN.glob("varmland_*.csv"))
    assert files and sorted(sums) == files
    for name in files:
        assert hashlib.sha256((GOLDEN / name).read_bytes()).hexdigest() == sums[name], name
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference"
    for name in files if shared.is_dir() else ():  # beside the project's workspace: the originals too
        assert (GOLDEN / name).read_bytes() == (shared / name).read_bytes(), name


def test_resultatbudget_2023_2025(base_result):
    ref = golden("varmland_resultatbudget_2023_2025.csv").set_index("rad")
    rr = base_result["resultatrakning"]
    for post, row in ref.iterrows():
        for year in (2023, 2024, 2025):
            got = float(rr.sel(rr_post=post, year=year))
            assert abs(got - row[str(year)]) <= TOL, (post, year, got, row[str(year)])


def test_balanskravsutredning_2023(base_result):
    ref = golden("varmland_balanskravsutredning_2023.csv").set_index("rad")["2023"]
    bk = base_result["balanskrav"].sel(year=2023)
    for post, expected in ref.items():
        assert abs(float(bk.sel(bk_post=post)) - expected) <= TOL, post
    assert float(bk.sel(bk_post="rur_ingaende")) == pytest.approx(843.3)
    assert float(bk.sel(bk_post="anvandning_av_resultatutjamningsreserv")) == pytest.approx(278, abs=TOL)
    assert abs(float(bk.sel(bk_post="rur_utgaende")) - 565) <= TOL


def test_nettokostnadsandel_2023_and_goals(base_result):
    share = base_result["mal_varde"].sel(mal="nettokostnadsandel")
    assert round(float(share.sel(year=2023)) * 100, 1) == 98.7
    assert round(float(share.sel(year=2024)) * 100, 1) == 99.5
    assert round(float(share.sel(year=2025)) * 100, 1) == 97.0
    met = base_result["mal_uppfyllt"].sel(mal="nettokostnadsandel")
    assert list(met.sel(year=[2023, 2024, 2025]).values) == [0.0, 0.0, 1.0]
    # årets resultat 2023 = −2,5 % of skatter och bidrag (seed text)
    assert round(float(base_result["mal_varde"].sel(mal="resultatmal", year=2023)) * 100, 1) == -2.5


def test_revenue_split_2023(default_run, base_result):
    ref = golden("varmland_skatter_och_statsbidrag_2023.csv").set_index("rad")["2023"]
    assert abs(float(base_result["resultatrakning"].sel(rr_post="skatteintakter", year=2023)) - ref["skatteintakter"]) <= TOL
    su = float(base_result["skatteunderlag"].sel(year=2023))
    assert su * 0.1168 == pytest.approx(7658, abs=TOL)
    assert abs(float(base_result["utjamningssystem"].sel(year=2023)) - ref["utjamningssystem"]) <= TOL
    assert abs(float(base_result["utjamning"].sel(komponent="lakemedelsbidrag", year=2023)) - ref["lakemedelsbidrag"]) <= TOL


def test_balansbudget_2023(base_result):
    ref = golden("varmland_balansbudget_2023.csv").set_index("rad")["2023"]
    br = base_result["balansrakning"].sel(year=2023)
    for post, expected in ref.items():
        assert abs(float(br.sel(br_post=post)) - expected) <= TOL, post


def test_pension_finance_cost_comes_from_the_pension_module(base_result):
    """421 = g·A(2022)·(1+τ) with g = 1,01·1,087 − 1; not typed in anywhere."""
    g = 1.01 * 1.087 - 1
    fin = float(base_result["pensionskostnad_finansiell"].sel(year=2023))
    assert fin == pytest.approx(g * 3461.8 * 1.2426, abs=0.01)
    assert float(base_result["pension_index_upp"].sel(year=2023)) == pytest.approx(g)
    # and the resultaträkning's finansiella kostnader are that cost (no borrowing in the plan years)
    rr = base_result["resultatrakning"].sel(rr_post="finansiella_kostnader")
    np.testing.assert_allclose(-rr.sel(year=[2023, 2024, 2025]).values,
                               base_result["pensionskostnad_finansiell"].sel(year=[2023, 2024, 2025]).values)


def test_output_files_follow_the_contract(tmp_path):
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    res = CliRunner().invoke(app, ["run", "--out", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    rr = pd.read_csv(tmp_path / "resultatrakning.csv")
    assert list(rr.columns) == ["scenario", "ar", "post", "mnkr"]
    ref = golden("varmland_resultatbudget_2023_2025.csv")
    assert set(ref["rad"]) == set(rr["post"])
    got = rr.set_index(["scenario", "ar", "post"])["mnkr"]
    for _, row in ref.iterrows():
        for year in (2023, 2024, 2025):
            assert abs(got[("bas", year, row["rad"])] - row[str(year)]) <= TOL
    bk = pd.read_csv(tmp_path / "balanskrav.csv")
    expected = set(golden("varmland_balanskravsutredning_2023.csv")["rad"]) | {
        "rur_ingaende", "rur_utgaende", "resultatreserv_utgaende", "oreglerat_underskott"}
    assert expected <= set(bk["post"])
    mal = pd.read_csv(tmp_path / "finansiella_mal.csv", keep_default_na=False)
    assert list(mal.columns) == ["scenario", "ar", "mal", "varde", "malvarde", "uppfyllt", "gap_mnkr"]
    assert set(mal["mal"]) == {"nettokostnadsandel", "resultatmal", "balanskrav", "soliditet",
                               "soliditet_inkl_ansvarsforbindelse", "sjalvfinansieringsgrad"}
    assert set(mal["uppfyllt"]) <= {"true", "false", ""}
    br = pd.read_csv(tmp_path / "balansrakning.csv")
    assert set(golden("varmland_balansbudget_2023.csv")["rad"]) <= set(br["post"])

    import xarray as xr
    with xr.open_dataset(tmp_path / "resultat.nc", engine="h5netcdf") as ds:
        for attr in ("flerarsprognos_version", "antaganden_hash", "scenariofiler", "tidpunkt"):
            assert attr in ds.attrs
        assert float(ds["resultatrakning"].sel(scenario="bas", year=2023, rr_post="arets_resultat")) == pytest.approx(-278, abs=TOL)
    assert not list(tmp_path.glob(".*.tmp"))


def test_goals_are_judged_only_from_the_year_they_apply(base_result):
    met = base_result["mal_uppfyllt"]
    # the 2 % resultatmål was set aside for 2023–2024; positive soliditet inkl. ansvarsförbindelse from 2026
    assert np.isnan(met.sel(mal="resultatmal", year=[2023, 2024]).values).all()
    assert not np.isnan(met.sel(mal="resultatmal", year=2025).values)
    assert np.isnan(met.sel(mal="soliditet_inkl_ansvarsforbindelse", year=2025).values)
    assert not np.isnan(met.sel(mal="soliditet_inkl_ansvarsforbindelse", year=2026).values)
    # självfinansieringsgrad is no adopted goal: shown, never judged
    assert np.isnan(met.sel(mal="sjalvfinansieringsgrad").values).all()
    # the values and gaps are there all the same
    assert not np.isnan(base_result["mal_gap_mnkr"].sel(mal="resultatmal", year=2023).values)


def test_soliditet_gap_accounts_for_the_money_staying_in_the_balance_sheet(base_result):
    ek = base_result["balansrakning"].sel(br_post="summa_eget_kapital")
    total = base_result["balansrakning"].sel(br_post="summa_tillgangar")
    for goal, equity in (("soliditet", ek), ("soliditet_inkl_ansvarsforbindelse", ek - base_result["ansvarsforbindelse"])):
        gap = base_result["mal_gap_mnkr"].sel(mal=goal)
        target = base_result["mal_malvarde"].sel(mal=goal)
        ok = ~np.isnan(gap.values)
        np.testing.assert_allclose(((equity + gap) / (total + gap)).values[ok], target.values[ok], atol=1e-12)
