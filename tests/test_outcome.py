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
    ("1.873,8", None, 1873.8),          # as Swedish sources print it: point between thousands
    ("1.873,8", ",", 1873.8),
    ("-12.345.678", None, -12345678.0),  # two groups: the points can only be thousands
    ("1\u202f873,8", None, 1873.8),      # narrow no-break space
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
    ("1,873.8", ",", "både punkt och komma"),
    ("1.873,8", ".", "punkt mellan tusental men filens övriga tal har decimalpunkt"),
    ("1.87,3", None, "både punkt och komma"),
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
        "material_och_varor;2024;1,873.8;;mnkr\n"             # English separators
        "avskrivningar;20x4;141,4;140,5;mnkr\n"               # not a year
    ))
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    text = "\n".join(str(x) for x in exc.value.problems)
    assert "rad 7, kolumn rad: raden finns redan (rad 6)" in text
    assert "rad 8, kolumn enhet: filen blandar tkr och mnkr" in text
    assert "rad 9, kolumn utfall: '1,873.8' har både punkt och komma" in text
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
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--ut", str(out)])
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


def test_dot_thousands_in_a_file_with_decimal_points_names_the_cell(tmp_path):
    p = _write(tmp_path, "# enhet: mnkr\n# niva: region\nrad;ar;utfall;budget\n"
                         "verksamhetens_intakter;2024;1.873,8;1800.5\n")
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    assert "rad 4, kolumn" in str(exc.value)


def test_the_regionstyrelse_figure_as_printed_reads_as_the_spaced_one(tmp_path):
    head = "# enhet: mnkr\n# tecken: kostnader_positiva\n# niva: namnd\n# organisation: RS\nrad;ar;utfall\n"
    a = read_outcome(_write(tmp_path, head + "verksamhetens_kostnader;2024;1.873,8\n", "a.csv"))
    b = read_outcome(_write(tmp_path, head + "verksamhetens_kostnader;2024;1 873,8\n", "b.csv"))
    assert a.rows[0].utfall == b.rows[0].utfall == pytest.approx(-1873.8)
    assert a.precision == b.precision


# ----------------------------------------------------------------------------------------
# Bad outcome files: each a clear message naming file, row/cell and column; exit 2; nothing written
# ----------------------------------------------------------------------------------------

_H = "# enhet: mnkr\n# niva: region\nrad;ar;utfall\n"
BAD_FILES = [
    # (case, file name, content (str or bytes), fragment of the message)
    ("tom", "u.csv", b"", "filen är tom"),
    ("bara blanktecken", "u.csv", "  \n\t\n", "filen är tom"),
    ("binär", "u.csv", bytes(range(256)) * 4, "ingen textfil"),
    ("zip som csv", "u.csv", b"PK\x03\x04" + b"\x00" * 40, "Excel- eller zipfil"),
    ("trasig xlsx", "u.xlsx", b"inte en excelfil", "kan inte läsa Excelfilen"),
    ("fel filtyp", "u.json", "{}", "okänd filtyp"),
    ("kolumn ar saknas", "u.csv", "# enhet: mnkr\nrad;utfall\nverksamhetens_intakter;100\n",
     "rad 2: tabellrubriken saknar kolumnen 'ar'"),
    ("kolumn rad saknas", "u.csv", "# enhet: mnkr\nar;utfall\n2024;100\n", "rad 2: tabellrubriken saknar kolumnen 'rad'"),
    ("utfall saknas", "u.csv", "# enhet: mnkr\nrad;ar;budget\nverksamhetens_intakter;2024;100\n",
     "rad 2: kolumnen 'utfall' saknas"),
    ("ingen rubrik", "u.csv", "bara text\nutan tabell\n", "hittar ingen tabellrubrik"),
    ("text i talcell", "u.csv", _H + "verksamhetens_intakter;2024;hundra\n", "rad 4, kolumn utfall: 'hundra' är inget tal"),
    ("NaN", "u.csv", _H + "verksamhetens_intakter;2024;NaN\n", "rad 4, kolumn utfall: 'NaN' är inget tal"),
    ("inf", "u.csv", _H + "verksamhetens_intakter;2024;inf\n", "rad 4, kolumn utfall: 'inf' är inget tal"),
    ("1e400", "u.csv", _H + "verksamhetens_intakter;2024;1e400\n", "rad 4, kolumn utfall"),
    ("orimligt stort", "u.csv", _H + "verksamhetens_intakter;2024;999 999 999 999\n",
     "rad 4, kolumn utfall: beloppet 999 999 999 999 mnkr är orimligt stort"),
    ("orimligt stort i tkr", "u.csv", "# enhet: tkr\n# niva: region\nrad;ar;utfall\n"
     "verksamhetens_intakter;2024;2 000 000 000 000\n", "orimligt stort"),
    ("orimlig procent", "u.csv", "# enhet: mnkr\n# niva: region\nrad;ar;utfall;angiven_forandring_procent\n"
     "verksamhetens_intakter;2024;100;50 000\n", "rad 4, kolumn angiven_forandring_procent: 50000 procent"),
    ("blandade enheter", "u.csv", "# niva: region\nrad;ar;utfall;enhet\nverksamhetens_intakter;2024;100;mnkr\n"
     "skatteintakter;2024;100000;tkr\n", "rad 4, kolumn enhet: filen blandar tkr och mnkr"),
    ("okänd enhet", "u.csv", "# enhet: kronor\nrad;ar;utfall\narets_resultat;2024;1\n", "rad 1: enheten 'kronor'"),
    ("dubblerad rad", "u.csv", _H + "verksamhetens_intakter;2024;100\nverksamhetens_intakter;2024;100\n",
     "rad 5, kolumn rad: raden finns redan (rad 4)"),
    ("dubblerad kolumn", "u.csv", "# enhet: mnkr\nrad;ar;utfall;utfall\narets_resultat;2024;1;2\n",
     "kolumnen 'utfall' finns två gånger"),
    ("inget årtal", "u.csv", _H + "verksamhetens_intakter;20x4;100\n", "rad 4, kolumn ar: året '20x4' är inget årtal"),
    ("år utanför", "u.csv", _H + "verksamhetens_intakter;20266;100\n", "rad 4, kolumn ar: året '20266'"),
    ("blandade decimaltecken", "u.csv", "# enhet: mnkr\nrad;ar;utfall;budget\narets_resultat;2024;12,5;3.25\n",
     "decimalkomma (rad 3, kolumn utfall) och decimalpunkt (rad 3, kolumn budget)"),
    ("tvetydigt tal", "u.csv", _H + "verksamhetens_intakter;2024;1.234\n", "rad 4, kolumn utfall: '1.234' är tvetydigt"),
    ("makro utan procent", "u.csv", "# niva: region\nrad;ar;utfall\nkpi;2024;2,0\n",
     "rad 3, kolumn enhet: kpi är en procentsats"),
    ("makro orimlig", "u.csv", "# niva: region\nrad;ar;utfall;enhet\nkpi;2024;900;procent\n",
     "rad 3, kolumn utfall: 900 procent är utanför"),
    ("bara rubrik", "u.csv", "# enhet: mnkr\nrad;ar;utfall\n", "filen har inga rader"),
]


@pytest.mark.parametrize("case, name, content, fragment", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_outcome_file_is_one_clear_message_exit_2_nothing_written(tmp_path, case, name, content, fragment):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    text = "\n".join(str(x) for x in exc.value.problems)
    assert fragment in text and str(p) in text, text
    out = tmp_path / "ut"
    r = CliRunner().invoke(app, ["compare", "--utfall", str(p), "--ut", str(out)])
    assert r.exit_code == 2, r.output
    assert fragment.split(":")[0] in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_bom_and_utf16_files_read_like_plain_utf8(tmp_path):
    text = _H + "verksamhetens_intakter;2024;1 468,0\n"
    plain = read_outcome(_write(tmp_path, text, "a.csv"))
    (tmp_path / "b.csv").write_bytes("\ufeff".encode("utf-8") + text.encode("utf-8"))
    (tmp_path / "c.csv").write_bytes(text.replace(";", "\t").encode("utf-16"))  # Excel's "Unicode text"
    for name in ("b.csv", "c.csv"):
        other = read_outcome(tmp_path / name)
        assert [(r.rad, r.ar, r.utfall) for r in other.rows] == [(r.rad, r.ar, r.utfall) for r in plain.rows]


def test_bad_xlsx_cells_are_named_by_cell(tmp_path):
    import math

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Utfall"
    ws.append(["Enhet:", "mnkr"])
    ws.append(["rad", "ar", "utfall"])
    ws.append(["verksamhetens_intakter", 2024, "hundra"])
    ws.append(["skatteintakter", 2024, math.inf])
    ws.append(["avskrivningar", 2024, 1e12])
    p = tmp_path / "u.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as exc:
        read_outcome(p)
    text = "\n".join(str(x) for x in exc.value.problems)
    assert "cell C3 (utfall): 'hundra' är inget tal" in text
    assert "cell C4 (utfall)" in text
    assert "cell C5 (utfall): beloppet" in text
