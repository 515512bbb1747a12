"""Outcome files: Swedish numbers, CSV and XLSX, units, and bad input named by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.io.utfallsfil import parse_number, read_outcome
from flerarsprognos.problems import InputError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "utfall"


@pytest.mark.parametrize("text, mark, expected", [
    ("5 993,3", ",", 5993.3),
    ("5\u00a0993,3", None, 5993.3),
    ("−506,6", ",", -506.6),
    ("-0,8", ",", -0.8),
    ("8 022 169", None, 8022169.0),
    ("9149.7", ".", 9149.7),
    ("1,234", ",", 1.234),
    ("3,6 %", ",", None),  # a percent sign in an amount column
])
def test_parse_number_reads_swedish_formats(text, mark, expected):
    value, _, why = parse_number(text, mark, percent_ok=False)
    if expected is None:
        assert value is None and "procent" in why
    else:
        assert why is None
        assert value == pytest.approx(expected)


@pytest.mark.parametrize("text, mark, fragment", [
    ("1.873,8", ",", "både punkt och komma"),
    ("1,234", None, "tvetydigt"),
    ("1.234", ",", "tvetydigt"),
    ("59 93,3", ",", "tusental"),
    ("(12,5)", ",", "parenteser"),
    ("12,5", ".", "decimaltecknet"),
    ("tolv", ",", "inget tal"),
])
def test_parse_number_rejects_what_could_be_read_two_ways(text, mark, fragment):
    value, _, why = parse_number(text, mark)
    assert value is None
    assert fragment in why


def test_hsn_example_is_read_in_mnkr_with_resultatrakning_signs():
    o = read_outcome(EXAMPLES / "hsn_2024.csv")
    assert o.unit == "mnkr" and o.sign == "kostnader_positiva" and o.precision == pytest.approx(0.1)
    rows = {r.rad: r for r in o.rows}
    assert len(rows) == 10
    assert rows["personalkostnader"].utfall == pytest.approx(-5993.3)  # a cost, stated positive
    assert rows["personalkostnader"].angiven_avvikelse == pytest.approx(-506.6)  # positive = better
    assert rows["verksamhetens_intakter"].utfall == pytest.approx(1468.0)
    assert rows["lakemedel"].budget == pytest.approx(-8428.1)  # the misprint, read as written
    assert rows["verksamhetens_nettokostnader"].organisation == "Hälso- och sjukvårdsnämnden"


def test_xlsx_ledger_export_in_tkr_reads_as_the_csv():
    csv_rows = {r.rad: r for r in read_outcome(EXAMPLES / "hsn_2024.csv").rows}
    x = read_outcome(EXAMPLES / "hsn_2024.xlsx")
    assert x.unit == "tkr" and x.title.startswith("Hälso- och sjukvårdsnämnden")
    assert x.precision == pytest.approx(0.1)  # tkr figures ending in 00: rounded to 0,1 mnkr
    for r in x.rows:
        c = csv_rows[r.rad]
        for col in ("utfall", "budget", "angiven_avvikelse", "angiven_forandring", "angiven_forandring_procent"):
            a, b = getattr(r, col), getattr(c, col)
            assert (a is None and b is None) or a == pytest.approx(b), (r.rad, col)
    assert {r.rad: r for r in x.rows}["personalkostnader"].cells["utfall"] == "cell C11 (utfall)"


def test_macro_rows_are_rates():
    o = read_outcome(EXAMPLES / "region_2024_makro.csv")
    assert o.macro[("prisbasbelopp_forandring", 2024)] == pytest.approx(0.091)
    assert o.rows == []


def _write(tmp_path: Path, text: str, name: str = "utfall.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_every_problem_is_reported_at_once_with_its_cell(tmp_path):
    p = _write(tmp_path, (
        "# enhet: mnkr\n# tecken: kostnader_positiva\n# niva: namnd\n# organisation: HSN\n"
        "rad;ar;utfall;budget;enhet\n"
        "personalkostnader;2024;5 993,3;5 486,7;mnkr\n"
        "personalkostnader;2024;5 993,3;5 486,7;mnkr\n"       # duplicate
        "lakemedel;2024;1 419 000;1 354 900;tkr\n"            # tkr mixed with mnkr
        "material_och_varor;2024;1.873,8;;mnkr\n"             # both separators
        "avskrivningar;20x4;141,4;140,5;mnkr\n"               # not a year
    ))
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    text = "\n".join(str(x) for x in exc.value.problems)
    assert "rad 7, kolumn rad: raden finns redan (rad 6)" in text
    assert "rad 8, kolumn enhet: filen blandar tkr och mnkr" in text
    assert "rad 9, kolumn utfall: '1.873,8' har både punkt och komma" in text
    assert "rad 10, kolumn ar: året '20x4' är inget årtal" in text


def test_unit_must_be_stated(tmp_path):
    p = _write(tmp_path, "rad;ar;utfall\narets_resultat;2024;-129\n")
    with pytest.raises(InputError, match="enheten saknas"):
        read_outcome(p)


def test_positive_costs_need_the_sign_stated(tmp_path):
    p = _write(tmp_path, "# enhet: mnkr\nrad;ar;utfall\npersonalkostnader;2024;5 993,3\n")
    with pytest.raises(InputError, match="tecken: kostnader_positiva"):
        read_outcome(p)


def test_mixed_decimal_marks_are_rejected_naming_both_cells(tmp_path):
    p = _write(tmp_path, "# enhet: mnkr\nrad;ar;utfall;budget\narets_resultat;2024;12,5;3.25\n")
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    assert "decimalkomma (rad 3, kolumn utfall) och decimalpunkt (rad 3, kolumn budget)" in str(exc.value)


def test_cli_bad_outcome_exits_2_and_writes_nothing(tmp_path):
    p = _write(tmp_path, "# enhet: mnkr\nrad;ar;utfall\narets_resultat;2024;1,234\n")
    out = tmp_path / "ut"
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--out", str(out)])
    assert r.exit_code == 2
    assert "tvetydigt" in r.output
    assert "Traceback" not in r.output
    assert not out.exists()


def test_ledger_labels_are_read_as_line_ids(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Enhet: Belopp i tkr"])
    ws.append(["Tecken:", "kostnader_positiva"])
    ws.append(["Kostnadsslag", "År", "Bokslut", "Budget"])
    ws.append(["Personalkostnader", 2024, 5993300, "5 486 700"])
    ws.append(["Köp av verksamhet", 2024, "1 502 000", 1310100])
    ws.append(["Hyror för lokaler", "2024", 1000, 900])
    p = tmp_path / "export.xlsx"
    wb.save(p)
    problems = __import__("flerarsprognos.problems", fromlist=["Problems"]).Problems()
    o = read_outcome(p, problems)
    rows = {r.rad: r for r in o.rows}
    assert rows["personalkostnader"].utfall == pytest.approx(-5993.3)
    assert rows["kop_av_verksamhet"].budget == pytest.approx(-1310.1)
    assert rows["hyror_for_lokaler"].info.label == "Hyror för lokaler"
    assert [str(w) for w in problems.warnings] == [
        f"varning: {p}: cell A6 (rad): raden 'Hyror för lokaler' finns inte i radkatalogen; läses som 'hyror_for_lokaler'"]


def test_comma_separated_file_with_quoted_decimal_commas(tmp_path):
    p = _write(tmp_path, 'Titel: HSN, utfall 2024\nEnhet: mnkr\nrad,ar,utfall\narets_resultat,2024,"-12,5"\n')
    o = read_outcome(p)
    assert o.title == "HSN, utfall 2024"
    assert o.rows[0].utfall == pytest.approx(-12.5)
