"""Assumptions in Excel both ways: the workbook, the round trip, and bad values named by cell."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from flerarsprognos.cli import app
from flerarsprognos.io.assumptions import load_assumptions
from flerarsprognos.io.excel_antaganden import HEADER_ROW, write_workbook
from flerarsprognos.paths import default_assumptions_dir

runner = CliRunner()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bok") / "antaganden.xlsx"
    res = runner.invoke(app, ["antaganden", "--excel", str(path)])
    assert res.exit_code == 0, res.output
    return path


def find(ws, key: str, heading) -> str:
    """The coordinate of ``key``'s cell under ``heading`` (a column title or a year)."""
    header = [c.value for c in ws[HEADER_ROW]]
    col = header.index(heading) + 1
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value == key:
            return ws.cell(row=row[0].row, column=col).coordinate
    raise KeyError(key)


def test_one_sheet_per_file_one_row_per_key_years_as_columns(workbook):
    wb = openpyxl.load_workbook(workbook)
    aset = load_assumptions(default_assumptions_dir())
    topics = sorted({Path(f).stem for f in aset.files})
    assert sorted(ws.title for ws in wb.worksheets if ws.title != "Om antagandena") == topics
    ws = wb["makro"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:6] == ["Nyckel", "Beskrivning", "Enhet", "Metod", "Förlängning", "Värde"]
    assert all(int(y) in header for y in aset.years)
    assert {"Källa", "Förlängda år"} <= set(header)
    assert ws[find(ws, "kpi", 2024)].value == pytest.approx(2.4)
    assert ws[find(ws, "kpi", "Enhet")].value == "procent"
    assert ws[find(ws, "kpi", "Förlängda år")].value == "2026–2028"  # given to 2025, extended after
    keys = [r[0].value for wsx in wb.worksheets if wsx.title != "Om antagandena"
            for r in wsx.iter_rows(min_row=HEADER_ROW + 1)]
    assert sorted(keys) == sorted(aset.values)


def test_keys_and_units_locked_values_open_and_validated(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["makro"]
    assert ws.protection.sheet
    assert ws[find(ws, "kpi", "Nyckel")].protection.locked
    assert ws[find(ws, "kpi", "Enhet")].protection.locked
    assert not ws[find(ws, "kpi", 2024)].protection.locked
    assert not ws[find(ws, "kpi", "Källa")].protection.locked
    cell = find(ws, "kpi", 2024)
    rules = [dv for dv in ws.data_validations.dataValidation if any(cell in r for r in dv.sqref.ranges)]
    assert rules and rules[0].type == "decimal"
    # kpi may lie in [-10, 40] procent (the key catalogue's bounds, in the file's unit)
    assert float(rules[0].formula1) == pytest.approx(-10) and float(rules[0].formula2) == pytest.approx(40)


def test_round_trip_gives_byte_identical_results(workbook, tmp_path):
    args = ["run", "hogre_loner", "hogre_inflation+hogre_loner", "--tyst"]
    yaml_run = runner.invoke(app, [*args, "--ut", str(tmp_path / "yaml")])
    excel_run = runner.invoke(app, [*args, "--antaganden", str(workbook), "--ut", str(tmp_path / "excel")])
    assert yaml_run.exit_code == 0 and excel_run.exit_code == 0, excel_run.output
    csvs = sorted(p.name for p in (tmp_path / "yaml").glob("*.csv"))
    assert len(csvs) == 4
    for name in csvs:
        assert (tmp_path / "yaml" / name).read_bytes() == (tmp_path / "excel" / name).read_bytes(), name


def test_workbook_written_from_a_workbook_is_the_same_set(workbook, tmp_path):
    again = tmp_path / "igen.xlsx"
    write_workbook(workbook, again)
    a, b = load_assumptions(workbook), load_assumptions(again)
    assert a.values.keys() == b.values.keys()
    for key in a.values:
        assert repr(a[key]) == repr(b[key]), key


def test_bad_values_named_by_sheet_cell_and_key(workbook, tmp_path):
    bad = tmp_path / "fel.xlsx"
    wb = openpyxl.load_workbook(workbook)
    cells = {}
    ws = wb["makro"]
    cells["kpi"] = find(ws, "kpi", 2024)
    ws[cells["kpi"]] = "hög"
    cells["ranta"] = find(ws, "ranta", "Enhet")
    ws[cells["ranta"]] = "kr"
    cells["loneokning"] = find(ws, "loneokning", 2023)
    ws[cells["loneokning"]] = 0.033  # a fraction under 'procent'
    ws = wb["region"]
    cells["basar"] = find(ws, "basar", "Värde")
    ws[cells["basar"]] = 2023.5
    cells["invanare"] = find(ws, "invanare", 2024)
    ws[cells["invanare"]] = -5
    cells["skattesats"] = find(ws, "skattesats", "Källa")
    ws[cells["skattesats"]] = None
    wb.save(bad)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", "--antaganden", str(bad), "--ut", str(out)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and not out.exists()
    lines = [ln for ln in res.output.splitlines() if ln.startswith("fel:")]
    expected = {
        "kpi": ("makro", "text ('hög')"),
        "ranta": ("makro", "fel enhet 'kr'"),
        "loneokning": ("makro", "ser ut att vara angivet som andel"),
        "basar": ("region", "heltal"),
        "invanare": ("region", "utanför det möjliga intervallet"),
        "skattesats": ("region", "källa saknas"),
    }
    for key, (sheet, message) in expected.items():
        where = f"{sheet}!{cells[key]}"
        assert any(where in ln and key in ln and message in ln for ln in lines), (key, where, res.output)
    assert "Inget har skrivits" in res.output
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_unknown_column_and_duplicate_row_named_by_cell(workbook, tmp_path):
    bad = tmp_path / "fel.xlsx"
    wb = openpyxl.load_workbook(workbook)
    ws = wb["regler"]
    ws.cell(row=HEADER_ROW, column=ws.max_column + 1, value="Kommentar")
    ws.append([c.value for c in ws[HEADER_ROW + 1]])  # the first key once more
    wb.save(bad)
    res = runner.invoke(app, ["check", "--antaganden", str(bad)])
    assert res.exit_code == 2, res.output
    assert "okänd kolumnrubrik 'Kommentar'" in res.output
    assert "förekommer två gånger" in res.output and "regler!A" in res.output


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip", b"\x00\x01\x02"])
def test_a_file_that_is_no_workbook(tmp_path, content):
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(content)
    res = runner.invoke(app, ["check", "--antaganden", str(bad)])
    assert res.exit_code == 2, res.output
    assert "kan inte läsa arbetsboken" in res.output and "Traceback" not in res.output


def test_every_command_with_antaganden_reads_the_workbook(workbook, tmp_path):
    for args in (["check", "hogre_loner"], ["antaganden", "--nyckel", "kpi"],
                 ["sensitivity", "--tyst", "--ut", str(tmp_path / "k")]):
        res = runner.invoke(app, [*args, "--antaganden", str(workbook)])
        assert res.exit_code == 0, (args, res.output)


def test_excel_refuses_to_replace_its_source(tmp_path, workbook):
    res = runner.invoke(app, ["antaganden", "--antaganden", str(workbook), "--excel", str(workbook)])
    assert res.exit_code == 2 and "ersätta antagandena" in res.output


def test_scenario_workbook_round_trip_and_cells(tmp_path):
    book = tmp_path / "hogre_inflation.xlsx"  # the scenario's name is the file's name
    res = runner.invoke(app, ["antaganden", "--scenario", "hogre_inflation", "--excel", str(book)])
    assert res.exit_code == 0, res.output
    yaml_run = runner.invoke(app, ["run", "hogre_inflation", "--tyst", "--ut", str(tmp_path / "yaml")])
    excel_run = runner.invoke(app, ["run", str(book), "--tyst", "--ut", str(tmp_path / "excel")])
    assert yaml_run.exit_code == 0 and excel_run.exit_code == 0, excel_run.output
    for f in sorted((tmp_path / "yaml").glob("*.csv")):
        assert f.read_bytes() == (tmp_path / "excel" / f.name).read_bytes(), f.name

    wb = openpyxl.load_workbook(book)
    ws = wb["scenario"]
    header = [c.value for c in ws[6]]
    kpi_2024 = ws.cell(row=7, column=header.index(2024) + 1).coordinate
    ws[kpi_2024] = "två"
    # hogre_inflation now shifts KPI only (prisbasbeloppet follows KPI a year later in the model),
    # so the unit mistake goes on a second key's row, added here: row 8.
    ws.append(["loneokning", "kr", "forskjutning", 1])
    ws.append(["okand", "procent", "forskjutning", 1])
    bad = tmp_path / "fel.xlsx"
    wb.save(bad)
    out = tmp_path / "ut"
    res = runner.invoke(app, ["run", str(bad), "--ut", str(out)])
    assert res.exit_code == 2 and not out.exists(), res.output
    text = res.output
    assert f"scenario!{kpi_2024}: kpi [år 2024]: text ('två')" in text
    assert "scenario!B8: loneokning: enhet" in text
    assert "scenario!A9: okand: okänd nyckel" in text
