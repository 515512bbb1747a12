"""What `run` writes: self-describing NetCDF (CF checker), Excel-friendly CSV, no internal words."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import xarray as xr

from flerarsprognos.output import netcdf
from flerarsprognos.output.files import netcdf as netcdf_writer

# The CF checker fetches its tables from the internet unless given local ones; the file uses
# no standard names, area types or regions, so one-entry tables are enough.
STANDARD_NAMES = """<?xml version="1.0"?><standard_name_table><version_number>84</version_number>
<last_modified>2024-01-19T15:55:10Z</last_modified><institution>x</institution><contact>x</contact>
<entry id="time"><canonical_units>s</canonical_units><description>t</description></entry></standard_name_table>"""
AREA_TYPES = """<?xml version="1.0"?><area_type_table><version_number>10</version_number><date>2024-01-01</date>
<entry id="land"><description>land</description></entry></area_type_table>"""
REGIONS = """<?xml version="1.0"?><standardized_region_list><version_number>4</version_number><date>2024-01-01</date>
<entry id="global"></entry></standardized_region_list>"""


@pytest.fixture(scope="module")
def nc_file(default_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("nc") / "resultat.nc"
    netcdf_writer(default_run.result, region="Region Värmland",
                  scenario_titles={s.name: s.title for s in default_run.sets})(path)
    return path


def test_every_variable_and_coordinate_has_a_unit_or_a_swedish_name(nc_file, default_run):
    with xr.open_dataset(nc_file, engine="h5netcdf") as ds:
        assert ds.attrs["Conventions"] == netcdf.CONVENTIONS
        assert "Region Värmland" in ds.attrs["title"]
        for name in ds.data_vars:
            assert name in netcdf.VARIABLES, f"{name} saknas i output/netcdf.py:VARIABLES"
            assert ds[name].attrs["long_name"] and ds[name].attrs["units"] in ("1", "1e6"), name
        for name in ds.coords:
            assert ds[name].attrs.get("long_name"), name
        assert ds["resultatrakning"].attrs["enhet"] == "mnkr"
        assert ds["rr_post_etikett"].sel(rr_post="arets_resultat") == "Årets resultat"
        # the labels still select: a reader of the file uses the same line ids as the CSV
        got = float(ds["resultatrakning"].sel(scenario="bas", year=2023, rr_post="arets_resultat"))
        assert got == pytest.approx(float(default_run.result["resultatrakning"].sel(
            scenario="bas", year=2023, rr_post="arets_resultat")))


def test_cf_checker_finds_no_errors(nc_file, tmp_path):
    pytest.importorskip("cfchecker.cfchecks", reason="cfchecker (test extra) behöver libudunits2")
    tables = {}
    for flag, name, text in (("-s", "std.xml", STANDARD_NAMES), ("-a", "area.xml", AREA_TYPES),
                             ("-r", "region.xml", REGIONS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        tables[flag] = str(tmp_path / name)
    args = [a for kv in tables.items() for a in kv]
    done = subprocess.run([sys.executable, "-c", "import sys; from cfchecker.cfchecks import main; sys.exit(main())",
                           *args, "-v", "1.8", str(nc_file)], capture_output=True, text=True, timeout=300)
    assert "ERRORS detected: 0" in done.stdout, done.stdout[-4000:] + done.stderr[-2000:]
    assert "ERROR:" not in done.stdout


def test_excel_csv_semicolon_decimal_comma_bom_and_no_formulas(default_run, tmp_path):
    import pandas as pd

    from flerarsprognos.output.files import csv_writers, table_csv_excel, write_all

    written = write_all(tmp_path, csv_writers(default_run.result, excel=True))
    assert sorted(p.name for p in written) == ["balanskrav.csv", "balansrakning.csv", "finansiella_mal.csv",
                                               "resultatrakning.csv"]
    raw = (tmp_path / "resultatrakning.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads å, ä, ö
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "scenario;ar;post;mnkr"
    first = float(default_run.result["resultatrakning"].sel(scenario="bas", year=2023, rr_post="arets_resultat"))
    assert f"bas;2023;arets_resultat;{first:.4f}".replace(".", ",") in text
    back = pd.read_csv(tmp_path / "resultatrakning.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["mnkr"].dtype == float
    evil = pd.DataFrame({"antagande": ["=HYPERLINK(\"http://x\")", "+1", "-A1", "@SUM(A1)", "Skattesats"],
                         "mnkr": [1.5, -2.0, 3.0, 4.0, 5.0]})
    table_csv_excel(evil)(tmp_path / "e.csv")
    lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[0].strip('"') for line in lines[1:]] == ["'=HYPERLINK(\"\"http://x\"\")", "'+1", "'-A1",
                                                                     "'@SUM(A1)", "Skattesats"]
    assert lines[2].endswith(";-2,0000")  # numbers keep their minus sign


def test_cli_export_writes_excel_csv(tmp_path):
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    result = CliRunner().invoke(app, ["export", "--utan-kanslighet", "--excel", str(tmp_path / "a.xlsx"),
                                      "--csv-excel", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "finansiella_mal.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def _texts_of(path):
    """Every text a reader can see in an output file."""
    import base64
    import re
    import zipfile

    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    if path.suffix == ".nc":
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            parts = [str(ds.attrs)] + [str(v.attrs) for v in ds.variables.values()]
            parts += [" ".join(map(str, ds[c].values)) for c in ds.coords]
            return parts
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".html":
        images = re.findall(r"data:image/svg\+xml;base64,([^\"']+)", text)
        text = re.sub(r"data:image/[^\"']+", "", text)
        return [text] + [base64.b64decode(i).decode("utf-8") for i in images]
    return [text]


def test_no_output_names_internal_sources(tmp_path):
    pytest.importorskip("flerarsprognos.analysis.montecarlo")
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    runner = CliRunner()
    scenarios = ["hogre_inflation", "hogre_loner", "skattehojning_2025"]
    for args in (["run", *scenarios, "--ut", str(tmp_path / "run")],
                 ["export", *scenarios, "--excel", str(tmp_path / "a.xlsx"), "--svep", "svep_inflation_lon",
                  "--csv-excel", str(tmp_path / "csv")],
                 ["report", *scenarios, "--html", str(tmp_path / "r.html")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert not re.search(r"\bseed\b", result.output, re.I) and "DOMAIN.md" not in result.output
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 11
    for path in files:
        for text in _texts_of(path):
            assert "DOMAIN.md" not in text, path
            assert not re.search(r"\bseed\b", text, re.I), (path, re.search(r".{60}\bseed\b.{60}", text, re.I | re.S))


def test_cli_run_writes_through_the_output_writers(tmp_path):
    """`run` writes H3's files: the region and scenario titles in resultat.nc, the Excel CSV on
    --csv-excel (same file names), the machine CSV without it."""
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["run", "hogre_loner", "--tyst", "--csv-excel", "--ut", str(tmp_path / "excel")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "excel" / "resultatrakning.csv").read_bytes().startswith(b"\xef\xbb\xbfscenario;ar;post;mnkr")
    with xr.open_dataset(tmp_path / "excel" / "resultat.nc", engine="h5netcdf") as ds:
        assert "Region Värmland" in ds.attrs["title"]
        titles = dict(zip(map(str, ds["scenario"].values), map(str, ds["scenario_etikett"].values)))
    assert titles["hogre_loner"] != "hogre_loner" and "lön" in titles["hogre_loner"].lower()
    res = runner.invoke(app, ["run", "--tyst", "--ut", str(tmp_path / "maskin")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "maskin" / "resultatrakning.csv").read_bytes().startswith(b"scenario,ar,post,mnkr")


def test_cli_run_beside_an_assumption_workbook_is_allowed(tmp_path):
    """The workbook is the input, not the folder it lies in; writing onto it is refused."""
    from typer.testing import CliRunner

    from flerarsprognos.cli import app

    runner = CliRunner()
    book = tmp_path / "antaganden.xlsx"
    assert runner.invoke(app, ["antaganden", "--excel", str(book)]).exit_code == 0
    res = runner.invoke(app, ["run", "--tyst", "--antaganden", str(book), "--ut", str(tmp_path / "ut")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["run", "--tyst", "--antaganden", str(book), "--ut", str(book)])
    assert res.exit_code == 2 and "utdatasökvägen är samma som indata" in res.output, res.output
