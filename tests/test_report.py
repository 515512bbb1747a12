"""The HTML report: self-contained, with the key figures, and readable in a real browser
(Debian's chromium, headless) on a laptop and on a phone."""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from matplotlib.image import imread
from typer.testing import CliRunner

from flerarsprognos.output import fmt, labels
from flerarsprognos.cli import app
from flerarsprognos.output.report import build_report, write_report
from flerarsprognos.problems import InputError

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE, LAPTOP = (390, 844), (1280, 900)


@pytest.fixture(scope="module")
def report(default_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("rapport") / "rapport.html"
    write_report(path, build_report(default_run, command="flerarsprognos report test"))
    return path


def key_figures(run) -> list[str]:
    """Figures a politician looks for, as the report must print them."""
    res = run.result
    arets = res["resultatrakning"].sel(scenario="bas", rr_post="arets_resultat")
    nka = res["mal_varde"].sel(scenario="bas", mal="nettokostnadsandel")
    return [
        f"{fmt.mnkr(arets.sel(year=2025))} mnkr",  # planens sista år: 147 mnkr
        f"{fmt.mnkr(arets.values[-1])} mnkr",
        fmt.procent(nka.sel(year=2025)),
        fmt.procent(nka.sel(year=2023)),  # 98,7 %
        fmt.mnkr(res["resultatrakning"].sel(scenario="bas", rr_post="verksamhetens_nettokostnader", year=2023)),
    ]


def visible_text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="sv">' in text
    assert '<meta name="viewport"' in text
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:|#)""", text), "only inline resources"
    assert "<script" not in text and "<link" not in text and "@import" not in text and "url(" not in text
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', text)
    phones = re.findall(r'<source media="\(max-width: 600px\)" srcset="data:image/svg\+xml;base64,([^"]+)"', text)
    assert len(images) >= 3 and len(phones) == len(images)
    for data in images + phones:
        svg = base64.b64decode(data).decode("utf-8")
        assert "<svg" in svg and "<text" in svg  # vector graphics, text kept as text
    # the phone version is drawn for its width, not the laptop's shrunk
    wide = re.search(r'width="([\d.]+)pt"', base64.b64decode(images[0]).decode()).group(1)
    phone = re.search(r'width="([\d.]+)pt"', base64.b64decode(phones[0]).decode()).group(1)
    assert float(phone) < 0.5 * float(wide)


def test_report_has_summary_goals_scenarios_and_tables(report, default_run):
    text = visible_text(report.read_text(encoding="utf-8"))
    for figure in key_figures(default_run):
        assert figure in text, figure
    for goal in labels.MAL.values():
        assert goal in text
    for s in default_run.sets:
        assert s.title in text
    assert "Nettokostnadsandelen når inte målet åren 2023 och 2024." in text
    assert default_run.base.digest in text and "flerarsprognos report test" in text


def test_missing_directory_is_refused(default_run, tmp_path):
    with pytest.raises(InputError) as err:
        write_report(tmp_path / "saknas" / "r.html", "<html></html>")
    assert "finns inte" in str(err.value)
    result = runner.invoke(app, ["report", "--utan-analyser", "--html", str(tmp_path / "saknas" / "r.html")])
    assert result.exit_code == 2 and "finns inte" in result.output and "Traceback" not in result.output


def test_cli_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "hogre_loner", "--utan-analyser"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "outputs" / "bas_hogre_loner.html"
    assert target.is_file()
    assert "Högre löneökning" in visible_text(target.read_text(encoding="utf-8"))


# --- in a real browser ---------------------------------------------------------------------


def chromium(tmp_path, *args: str, size=LAPTOP) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-profil-{len(list(tmp_path.iterdir()))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
           "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium är inte installerat")
def test_browser_renders_key_figures_on_laptop_and_phone(report, default_run, tmp_path):
    # The rendered DOM (after layout) holds the key figures.
    dom = chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = visible_text(dom.stdout)
    for figure in key_figures(default_run):
        assert figure in text, figure

    # On a phone the page must not be wider than the screen: wide tables scroll in their box.
    # Headless chromium will not make a window narrower than 500 px, so the report is shown in
    # a phone-sized iframe (same origin through srcdoc) and the parent records its layout width.
    phone = tmp_path / "telefon.html"
    phone.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0} iframe{border:0}</style></head>'
        f'<body><iframe id="f" width="{PHONE[0]}" height="{PHONE[1]}" '
        f'srcdoc="{html.escape(report.read_text(encoding="utf-8"), quote=True)}"></iframe>'
        "<script>window.addEventListener('load', function () { var w = document.getElementById('f').contentWindow;"
        " document.body.setAttribute('data-bredd', w.document.documentElement.scrollWidth + '/' + w.innerWidth);"
        " document.body.setAttribute('data-text', w.document.body.innerText.length);"
        # every visible table box shows its whole table: no hidden sideways scroll on a phone
        " var hidden = []; w.document.querySelectorAll('.table-wrap').forEach(function (b) {"
        "   if (b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1) hidden.push(b.scrollWidth); });"
        " document.body.setAttribute('data-dolt', hidden.join(','));"
        " var t = w.document.getElementById('tabeller').innerText;"
        " document.body.setAttribute('data-tabeller', t.replace(/\\s+/g, ' ').slice(0, 3000)); });"
        "</script></body></html>",
        encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", phone.as_uri())
    widths = re.search(r'data-bredd="(\d+)/(\d+)"', dom.stdout)
    assert widths, dom.stdout[-500:]
    scroll, inner = map(int, widths.groups())
    assert inner == PHONE[0] and scroll <= inner, (scroll, inner)
    assert int(re.search(r'data-text="(\d+)"', dom.stdout).group(1)) > 1000
    assert re.search(r'data-dolt=""', dom.stdout), re.search(r'data-dolt="[^"]*"', dom.stdout).group(0)
    shown = html.unescape(re.search(r'data-tabeller="([^"]*)"', dom.stdout).group(1))
    for year in default_run.result["year"].values:
        assert str(int(year)) in shown, year
    assert fmt.mnkr(default_run.result["resultatrakning"].sel(scenario="bas", year=2028,
                                                              rr_post="arets_resultat")) in shown

    # Screenshots: the page paints (not blank) on a laptop and in the phone frame.
    for name, page, size in (("laptop", report, LAPTOP), ("telefon", phone, (500, PHONE[1]))):
        shot = tmp_path / f"skarm_{name}.png"
        if os.environ.get("RAPPORT_SKARMBILDER"):  # to look at them: RAPPORT_SKARMBILDER=katalog
            shot = Path(os.environ["RAPPORT_SKARMBILDER"]) / shot.name
        done = chromium(tmp_path, f"--screenshot={shot}", page.as_uri(), size=size)
        assert shot.is_file(), done.stderr[-2000:]
        image = imread(shot)
        assert image.shape[1] == size[0]
        assert image[..., :3].std() > 0.05  # text, colours and diagrams, not an empty page


def test_cli_report_with_the_analyses(tmp_path):
    pytest.importorskip("flerarsprognos.analysis.montecarlo")
    target = tmp_path / "rapport.html"
    result = runner.invoke(app, ["report", "--html", str(target)])
    assert result.exit_code == 0, result.output
    markup = target.read_text(encoding="utf-8")
    text = visible_text(markup)
    assert "Känslighetsanalys" in text and "Skattesats, +10 öre" in text
    assert "Osäkerhet: balanskravsresultatet" in text
    assert len(re.findall(r'<img alt=', markup)) == 5  # 3 standard + tornado + fan


def test_report_names_the_region_and_what_holds_the_balanskrav_up(report, default_run):
    markup = report.read_text(encoding="utf-8")
    assert re.search(r"<title>Region Värmland: Flerårsprognos", markup)
    assert re.search(r"<h1>Region Värmland: ", markup)
    text = visible_text(markup)
    used = default_run.result["balanskrav"].sel(scenario="bas", bk_post="anvandning_av_resultatutjamningsreserv")
    total = float(used.sel(year=[2023, 2024]).sum())
    assert f"Balanskravet nås 2023–2024 bara därför att {fmt.mnkr(total)} mnkr av resultatutjämningsreserven" in text
    assert fmt.mnkr(total) == "407"
    for s in default_run.sets[1:]:  # scenarios by title; the key only in parentheses
        assert f"{s.title}: årets resultat mot bas" in text


def test_report_footer_shows_no_installation_paths(report):
    footer = report.read_text(encoding="utf-8").split("<footer>")[1]
    assert "site-packages" not in footer and "/_data/" not in footer
    assert "scenarios/hogre_loner.yaml (medföljer)" in footer


def test_html_in_titles_is_escaped(default_run):
    import copy
    import dataclasses

    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    run = copy.copy(default_run)
    run.sets = [dataclasses.replace(s, title=evil) if s.name != "bas" else s for s in default_run.sets]
    markup = build_report(run, diagrams=[])
    assert "<script>" not in markup and "<img src=x" not in markup
    assert html.escape(evil, quote=True) in markup


def test_report_onto_an_input_is_refused_and_the_input_kept(assumptions_copy, tmp_path):
    target = assumptions_copy / "makro.yaml"
    before = target.read_bytes()
    result = runner.invoke(app, ["report", "--utan-analyser", "--antaganden", str(assumptions_copy),
                                 "--html", str(target)])
    assert result.exit_code == 2, result.output
    assert "indata" in result.output and target.read_bytes() == before
