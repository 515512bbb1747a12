"""Plan against outcome: the seed's HSN 2024 figures, its inconsistencies, commentary, split."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.utfall.compare import (
    PlanSource,
    commentary,
    compare,
    deviation_split,
    forecast_accuracy,
    plan_from_result,
    plan_mot_utfall_frame,
    sentence,
)
from flerarsprognos.io.utfallsfil import read_outcome

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "utfall"


def plain(s: str) -> str:
    return s.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def hsn():
    return compare(read_outcome(EXAMPLES / "hsn_2024.csv"))


def _line(comparison, rad, org=None):
    return next(x for x in comparison.lines if x.rad == rad and (org is None or x.organisation == org))


def test_hsn_2024_deviations_are_computed_from_the_amounts(hsn):
    df = plan_mot_utfall_frame(hsn).set_index("rad")
    assert df.loc["personalkostnader", "avvikelse"] == pytest.approx(-506.6)
    assert df.loc["personalkostnader", "avvikelse_procent"] == pytest.approx(-506.6 / 5486.7)
    assert df.loc["verksamhetsanknutna_tjanster_och_inhyrd_personal", "avvikelse"] == pytest.approx(-269.4)
    assert df.loc["verksamhetens_intakter", "plan"] == pytest.approx(1279.2)  # 1 468,0 − 188,8
    assert df.loc["verksamhetens_nettokostnader", "avvikelse"] == pytest.approx(-721.6)
    assert df.loc["verksamhetens_nettokostnader", "forandring"] == pytest.approx(196.5)
    # the subtotal the text never states, computed from its parts
    assert bool(df.loc["verksamhetens_kostnader", "delsumma"])
    assert df.loc["verksamhetens_kostnader", "utfall"] == pytest.approx(10476.2)
    assert df.loc["verksamhetens_kostnader", "plan"] == pytest.approx(9566.8)


def test_lakemedel_budget_misprint_is_corrected_and_reported(hsn):
    lak = _line(hsn, "lakemedel")
    assert lak.plan == pytest.approx(-1354.9)
    assert lak.plan_source == "rättad"
    f = next(f for f in hsn.findings if f.rad == "lakemedel")
    assert f.where == "rad 12, kolumn budget"
    assert "8 428,1" in plain(f.message) and "1 354,9" in plain(f.message)
    # with the corrected line the budget lines add up to the nettokostnad budget: no finding on it
    assert not any("budgeten: delarna" in f.message for f in hsn.findings)


def test_hsn_242_2_is_flagged_where_the_amounts_give_269_4(hsn):
    f = next(f for f in hsn.findings if f.rad == "verksamhetsanknutna_tjanster_och_inhyrd_personal")
    assert f.where == "rad 11, kolumn angiven_avvikelse"
    assert "-242,2" in plain(f.message) and "-269,4" in plain(f.message)


def test_hsn_other_inconsistencies_are_findings(hsn):
    messages = [plain(f.message) for f in hsn.findings]
    assert any("8 964,0" in m and "8 953,2" in m for m in messages)   # implied 2023 lines vs stated total
    assert any("-694,4" in m and "-721,6" in m for m in messages)     # stated deviations vs stated total
    assert any("-3,9 procent" in m and "-3,7 procent" in m for m in messages)  # avskrivningar 5,4/146,8
    # rounding (köp av verksamhet 191,9 vs 192,0; avskrivningar 0,9 vs 0,8) is not a finding
    assert not any(f.rad == "kop_av_verksamhet" for f in hsn.findings)
    assert len(hsn.findings) == 5


def test_commentary_in_the_arsredovisning_style(hsn):
    text = [plain(s) for s in commentary(hsn)]
    assert ("Personalkostnaderna uppgick till 5 993,3 miljoner kronor, vilket var 194,1 miljoner kronor "
            "(3,3 procent) högre än föregående år och 506,6 miljoner kronor sämre än budget.") in text
    assert ("Nettokostnaden uppgick till 9 149,7 miljoner kronor, vilket var 196,5 miljoner kronor "
            "(2,2 procent) högre än föregående år och 721,6 miljoner kronor sämre än budget.") in text
    assert ("Intäkterna uppgick till 1 468,0 miljoner kronor, vilket var 50,4 miljoner kronor (3,6 procent) "
            "högre än föregående år och 188,8 miljoner kronor bättre än budget.") in text
    assert any(s.startswith("Kostnaderna för verksamhetsanknutna tjänster och inhyrd personal uppgick till 494,4")
               and "269,4 miljoner kronor sämre än budget" in s for s in text)


def test_sentence_without_previous_year_or_budget():
    line = _line(compare(read_outcome(EXAMPLES / "rs_2024.csv")), "verksamhetens_nettokostnader", "52 Region Värmland Gemensamt")
    assert plain(sentence(line)) == ("Nettokostnaden uppgick till 296,1 miljoner kronor, vilket var "
                                     "37,2 miljoner kronor bättre än budget.")


def test_regionstyrelsen_text_and_table_disagree():
    c = compare(read_outcome(EXAMPLES / "rs_2024.csv"))
    messages = [plain(str(f)) for f in c.findings]
    assert any("1 714,3" in m and "1 701,7" in m for m in messages)
    assert any("90 Politik och Revision" in m and "16,8" in m and "14,9" in m for m in messages)
    assert any("områdenas angivna avvikelser summerar till 79,2" in m for m in messages)


def test_regionkontoret_adds_up_within_rounding():
    c = compare(read_outcome(EXAMPLES / "rk_2023_2024.csv"))
    assert c.findings == []
    res = _line(c, "resultat")
    assert res.avvikelse == pytest.approx(28) and res.forandring == pytest.approx(6)
    assert res.previous_source == "utfall"  # 2023 is in the file
    pers = _line(c, "personalkostnader")
    assert pers.avvikelse == pytest.approx(14)  # 290 against 304: better


def test_lines_only_in_plan_or_only_in_outcome_are_reported(tmp_path, default_run):
    p = tmp_path / "region.csv"
    p.write_text("# enhet: mnkr\nrad;ar;utfall\narets_resultat;2024;-200\nextra_rad;2024;-5\n", encoding="utf-8")
    plan = plan_from_result("bas", default_run.result, 2023)
    c = compare(read_outcome(p), plan)
    assert any("'extra_rad' finns i utfallet 2024 men inte i planen" in n for n in c.notes)
    assert any("'skatteintakter' finns i planen" in n for n in c.notes)
    assert _line(c, "arets_resultat").avvikelse == pytest.approx(-200 - (-128.98), abs=0.01)
    df = plan_mot_utfall_frame(c).set_index("rad")
    assert df.loc["skatteintakter", "anmarkning"] == "saknas i utfallet"  # reported, not dropped
    assert df.loc["skatteintakter", "plan"] == pytest.approx(7937.0, abs=0.1)
    assert df.loc["extra_rad", "anmarkning"] == "saknas i planen"


def test_deviation_split_prisbasbelopp_2024(tmp_path):
    p = tmp_path / "region.csv"
    p.write_text("# enhet: mnkr\n# niva: region\nrad;ar;utfall;enhet\n"
                 "prisbasbelopp_forandring;2024;9,1;procent\n"
                 "arets_resultat;2024;-500;mnkr\n", encoding="utf-8")
    split, macro = deviation_split(None, read_outcome(p), 2024)
    s = split.set_index("rad")
    # PBB +9,1 % where the plan assumed 2,856 %: the pension index-up raises the finance cost
    fin = s.loc["finansiella_kostnader", "varav_ekonomin"]
    assert -320 < fin < -280
    # ... and the payouts of the ansvarsförbindelse, indexed by the PBB, raise the pension
    # cost in verksamheten: (9,1 − 2,856) % × 320 mnkr × 0,99 × 1,2426 ≈ 24,6 mnkr
    verks = s.loc["verksamhetens_nettokostnader", "varav_ekonomin"]
    assert verks == pytest.approx(-(0.091 - 0.02856) * 320 * 0.99 * 1.2426, abs=0.5)
    econ = s.loc["arets_resultat", "varav_ekonomin"]
    assert econ == pytest.approx(fin + verks)
    total = -500 - s.loc["arets_resultat", "plan"]
    assert s.loc["arets_resultat", "avvikelse"] == pytest.approx(total)
    assert s.loc["arets_resultat", "varav_verksamheten"] == pytest.approx(total - econ)
    assert macro.iloc[0]["utfall"] == pytest.approx(9.1)


def test_forecast_accuracy_by_horizon(tmp_path):
    p = tmp_path / "utfall.csv"
    p.write_text("# enhet: mnkr\nrad;ar;utfall\narets_resultat;2024;-100\narets_resultat;2025;50\n", encoding="utf-8")
    outcome = read_outcome(p)
    v2023 = PlanSource("plan 2023", {("region", "*", "arets_resultat", 2024): -129.0,
                                     ("region", "*", "arets_resultat", 2025): 147.0}, basar=2023, kind="modell")
    v2024 = PlanSource("plan 2024", {("region", "*", "arets_resultat", 2024): -80.0,
                                     ("region", "*", "arets_resultat", 2025): 20.0}, basar=2024, kind="modell")
    summary, detail = forecast_accuracy([v2023, v2024], outcome)
    s = summary.set_index("horisont")
    assert s.loc[1, "medelfel"] == pytest.approx(-20.0)            # plan 2024 for 2024
    assert s.loc[2, "antal"] == 2                                   # 2023→2024 and 2024→2025
    assert s.loc[2, "medelfel"] == pytest.approx((29.0 + 30.0) / 2)
    assert s.loc[3, "medelabsolutfel"] == pytest.approx(97.0)      # plan 2023 for 2025
    assert len(detail) == 4


def test_cli_compare_hsn_prints_deviations_findings_and_commentary(tmp_path):
    out = tmp_path / "ut"
    xlsx = tmp_path / "pmu.xlsx"
    r = CliRunner().invoke(app, ["compare", "--utfall", str(EXAMPLES / "hsn_2024.csv"), "--ut", str(out),
                                 "--excel", str(xlsx)])
    assert r.exit_code == 0, r.output
    text = plain(r.output)
    assert "-506,6" in text and "242,2" in text and "269,4" in text
    assert "Personalkostnaderna uppgick till 5 993,3 miljoner kronor" in text
    df = pd.read_csv(out / "plan_mot_utfall.csv")
    assert len(df) == 11
    assert len(pd.read_csv(out / "kontroll.csv")) == 5
    assert "194,1 miljoner kronor (3,3 procent)" in plain((out / "kommentarer.txt").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[0] == "Plan mot utfall"
    ws = wb["Plan mot utfall"]
    assert ws["A4"].value == "Organisation"
    assert any(c.value == "Personalkostnader" for c in ws["C"])
    # a cost shown positive: deviation = plan − utfall, as a formula with its result cached
    assert ws["C6"].value == "Personalkostnader" and ws["F6"].value == "=D6-E6"
    cached = openpyxl.load_workbook(xlsx, data_only=True)["Plan mot utfall"]
    assert cached["F6"].value == pytest.approx(-506.6)


def test_cli_strict_turns_findings_into_errors(tmp_path):
    out = tmp_path / "ut"
    r = CliRunner().invoke(app, ["compare", "--utfall", str(EXAMPLES / "hsn_2024.csv"), "--ut", str(out), "--strikt"])
    assert r.exit_code == 2
    assert "rad 11, kolumn angiven_avvikelse" in r.output
    assert not out.exists()


def test_cli_plan_without_the_outcome_year_is_an_error(tmp_path):
    p = tmp_path / "u.csv"
    p.write_text("# enhet: mnkr\nrad;ar;utfall\narets_resultat;2031;10\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--plan", "standard", "--ut", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "har inget år 2031" in r.output


def test_cli_budget_files_as_plan_vintages(tmp_path):
    outcome = tmp_path / "utfall.csv"
    outcome.write_text("# enhet: mnkr\n# niva: namnd\n# organisation: HSN\n# tecken: kostnader_positiva\n"
                       "rad;ar;utfall\nverksamhetens_nettokostnader;2024;9 149,7\n"
                       "verksamhetens_nettokostnader;2025;9 300,0\n", encoding="utf-8")
    v1 = tmp_path / "plan_2024.csv"
    v1.write_text("# enhet: tkr\n# niva: namnd\n# organisation: HSN\n# tecken: kostnader_positiva\n# basar: 2024\n"
                  "rad;ar;budget\nverksamhetens_nettokostnader;2024;8 428 100\n"
                  "verksamhetens_nettokostnader;2025;8 700 000\n", encoding="utf-8")
    v2 = tmp_path / "plan_2025.csv"
    v2.write_text("# enhet: mnkr\n# niva: namnd\n# organisation: HSN\n# tecken: kostnader_positiva\n# basar: 2025\n"
                  "rad;ar;budget\nverksamhetens_nettokostnader;2025;9 045\n", encoding="utf-8")
    out = tmp_path / "ut"
    r = CliRunner().invoke(app, ["compare", "--utfall", str(outcome), "--plan", str(v2), "--plan", str(v1),
                                 "--ut", str(out)])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "plan_mot_utfall.csv")
    assert df.loc[0, "avvikelse"] == pytest.approx(-255.0)  # 9 300 against the 2025 plan's 9 045
    acc = pd.read_csv(out / "prognosprecision.csv").set_index("horisont")
    assert acc.loc[1, "antal"] == 2                                     # 2024 by plan 2024, 2025 by plan 2025
    assert acc.loc[1, "medelfel"] == pytest.approx((-721.6 - 255.0) / 2)
    assert acc.loc[2, "medelfel"] == pytest.approx(-600.0)              # 2025 by plan 2024
    assert "Prognosprecision per horisont" in r.output


def test_outcome_su_growth_is_not_moved_again_by_outcome_wages(tmp_path):
    from flerarsprognos.utfall.makro import with_outcome_macro
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.runner import run_sets

    p = tmp_path / "makro.csv"
    p.write_text("# niva: region\nrad;ar;utfall;enhet\nskatteunderlag_forandring;2024;5,0;procent\n"
                 "loneokning;2024;4,3;procent\nkpi;2023;8,5;procent\n", encoding="utf-8")
    base = load_assumptions(default_assumptions_dir())
    macro_set, rows = with_outcome_macro(base, read_outcome(p))
    res = run_sets(base, [base, macro_set]).result
    g = res["skatteunderlag_forandring_effektiv"].sel(scenario="utfallets_makro", year=2024)
    assert float(g) == pytest.approx(0.05)  # the outcome, not 5,0 % plus the wage and price links
    assert set(rows["nyckel"]) == {"skatteunderlag_forandring", "loneokning", "kpi"}


def test_change_reads_the_same_whatever_the_files_sign_convention():
    """Regionkontoret's file has costs negative, HSN's positive: in both a cost that fell
    has a negative change, as the commentary says."""
    rk = plan_mot_utfall_frame(compare(read_outcome(EXAMPLES / "rk_2023_2024.csv"))).set_index("rad")
    assert rk.loc["lamnade_bidrag", "forandring"] == pytest.approx(-7)  # −17 against −24: fell by 7
    assert rk.loc["lamnade_bidrag", "forandring_procent"] == pytest.approx(-7 / 24)
    hsn = plan_mot_utfall_frame(compare(read_outcome(EXAMPLES / "hsn_2024.csv"))).set_index("rad")
    assert hsn.loc["personalkostnader", "forandring"] == pytest.approx(194.1)


def test_compare_refuses_to_write_over_its_input(tmp_path):
    import shutil

    p = tmp_path / "hsn.csv"
    shutil.copy(EXAMPLES / "hsn_2024.csv", p)
    before = p.read_bytes()
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--excel", str(p), "--ut", str(tmp_path / "o")])
    assert r.exit_code == 2 and "indata" in r.output
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--ut", str(tmp_path)])
    assert r.exit_code == 2 and "innehåller indata" in r.output
    assert p.read_bytes() == before and not (tmp_path / "o").exists()


def test_compare_old_option_spellings(tmp_path):
    r = CliRunner().invoke(app, ["compare", "--outcome", str(EXAMPLES / "hsn_2024.csv"), "--year", "2024",
                                 "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 0, r.output
    # --strict (now --strikt) takes effect: the example's stated figures that do not add up are errors
    r = CliRunner().invoke(app, ["compare", "--outcome", str(EXAMPLES / "hsn_2024.csv"), "-y", "2024",
                                 "--out", str(tmp_path / "p"), "--quiet", "--strict"])
    assert r.exit_code == 2 and "5 fel. Inget har skrivits." in r.output, r.output
    assert not (tmp_path / "p").exists()


def test_compare_replaces_only_its_own_files(tmp_path):
    out = tmp_path / "o"
    args = ["compare", "--utfall", str(EXAMPLES / "hsn_2024.csv"), "--ut", str(out), "-q",
            "--excel", str(tmp_path / "jamforelse.xlsx")]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert CliRunner().invoke(app, args).exit_code == 0  # its own files: replaced
    (tmp_path / "egen.xlsx").write_bytes(b"en annans bok")
    r = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "egen.xlsx")])
    assert r.exit_code == 2 and "egen.xlsx" in r.output
    assert (tmp_path / "egen.xlsx").read_bytes() == b"en annans bok"


def test_outcome_prisbasbelopp_is_not_moved_again_by_the_outcome_kpi(tmp_path):
    from flerarsprognos.io.assumptions import load_assumptions
    from flerarsprognos.paths import default_assumptions_dir
    from flerarsprognos.runner import run_sets
    from flerarsprognos.utfall.makro import with_outcome_macro

    p = tmp_path / "makro.csv"
    p.write_text("# niva: region\nrad;ar;utfall;enhet\nkpi;2023;8,5;procent\nprisbasbelopp_forandring;2024;9,1;procent\n"
                 "kpi;2024;5,0;procent\n", encoding="utf-8")
    base = load_assumptions(default_assumptions_dir())
    macro_set, _ = with_outcome_macro(base, read_outcome(p))
    res = run_sets(base, [base, macro_set]).result
    pbb = res["prisbasbelopp_forandring_effektiv"].sel(scenario="utfallets_makro")
    assert float(pbb.sel(year=2024)) == pytest.approx(0.091)  # the outcome, not 9,1 % plus the KPI link
    # a year the file does not give follows the outcome KPI of the year before, as in any scenario
    k = float(base["pbb_kanslighet_kpi_foregaende"])
    expected = float(base["prisbasbelopp_forandring"][2]) + k * (0.05 - float(base["kpi"][1]))
    assert float(pbb.sel(year=2025)) == pytest.approx(expected)
