"""Diagrams: the data behind them is right (the waterfall adds up, the tornado is sorted, the
fan's probabilities come through), the labels are Swedish, and the PNGs are slide-sized."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.image import imread
from typer.testing import CliRunner

from flerarsprognos.output import fmt, plots
from flerarsprognos.cli import app
from flerarsprognos.runner import run

runner = CliRunner()


def texts(fig) -> list[str]:
    """Every text a reader sees on the figure (titles, tick labels, annotations, legend)."""
    fig.canvas.draw()
    from matplotlib.text import Text

    out = [t.get_text() for t in fig.findobj(match=Text)]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return [t for t in out if t]


def test_arets_resultat_one_line_per_scenario_swedish_numbers(default_run, tmp_path):
    titles = {s.name: s.title for s in default_run.sets}
    fig = plots.arets_resultat(default_run.result, titles, 2025)
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == default_run.result.sizes["year"]]
    assert len(lines) == default_run.result.sizes["scenario"]
    bas = default_run.result["resultatrakning"].sel(scenario="bas", rr_post="arets_resultat").values
    np.testing.assert_allclose(lines[0].get_ydata(), bas)
    shown = texts(fig)
    assert "Årets resultat per scenario" in shown
    assert fmt.mnkr(bas[0]) in shown  # -278, labelled on the bas line
    assert "Skattesats 12,28 från 2025" in shown  # the legend uses the scenario titles
    assert "prognos" in shown and "plan" in shown
    path = plots.save_png(fig, tmp_path / "resultat.png")
    image = imread(path)
    assert image.shape[1] >= 1500 and image.shape[0] >= 800  # sharp enough for a full-width slide


def test_rur_thousands_separated_with_a_space(tmp_path):
    from flerarsprognos.runner import run

    # reserving the whole room lifts RUR + resultatreserv above 1 000 mnkr by 2028
    scen = tmp_path / "reservera.yaml"
    scen.write_text("titel: Reservera\nbeskrivning: test\nbaslinje: bas\nkalla: test\nandringar:\n"
                    "  reservering_andel: {enhet: procent, varde: 100}\n", encoding="utf-8")
    fig = plots.rur(run(None, [str(scen)]).result, {}, 2025)
    shown = texts(fig)
    assert any(fmt.THIN in t and t.replace(fmt.THIN, "").isdigit() for t in shown), shown  # "1 000"
    assert "Resultatutjämningsreserv och resultatreserv" in shown


def test_waterfall_steps_add_up_for_every_year_and_scenario(default_run):
    result, params = default_run.result, default_run.params
    years = [int(y) for y in result["year"].values]
    for scen in result["scenario"].values:
        for year in years[1:]:
            steps = plots.waterfall_steps(result, params, str(scen), year)
            start, end = steps["mnkr"].iloc[0], steps["mnkr"].iloc[-1]
            assert steps["mnkr"].iloc[1:-1].sum() == pytest.approx(end - start, abs=1e-6)
            nk = -result["resultatrakning"].sel(scenario=scen, rr_post="verksamhetens_nettokostnader")
            assert start == pytest.approx(float(nk.sel(year=year - 1)))
            assert end == pytest.approx(float(nk.sel(year=year)))
    with pytest.raises(ValueError):
        plots.waterfall_steps(result, params, "bas", years[0])


def test_waterfall_shows_satsningar_and_effektivisering(tmp_path):
    scen = tmp_path / "satsning.yaml"
    scen.write_text(
        "titel: Satsning och effektivisering 2027\nbeskrivning: test\nbaslinje: bas\nkalla: test\n"
        "andringar:\n  satsningar:\n    enhet: mnkr\n    varden: {2027: 150}\n"
        "  effektivisering:\n    enhet: mnkr\n    varden: {2027: 300}\n", encoding="utf-8")
    r = run(None, [str(scen)])
    steps = plots.waterfall_steps(r.result, r.params, "satsning", 2027).set_index("steg")["mnkr"]
    assert steps["Satsningar"] == pytest.approx(150.0)
    assert steps["Effektivisering"] == pytest.approx(-300.0)
    fig = plots.waterfall(steps.reset_index().assign(typ=["start", "steg", "steg", "steg", "steg", "slut"]))
    shown = texts(fig)
    assert "+150" in shown and "-300" in shown


def sensitivity_table() -> pd.DataFrame:
    rows = [("bas", 2026, "Löneökning", "+1 procentenhet", "arets_resultat", -75.3),
            ("bas", 2026, "Skattesats", "+10 öre", "arets_resultat", 66.0),
            ("bas", 2026, "Verksamhetsvolym", "+1 %", "arets_resultat", -121.6),
            ("bas", 2026, "Ränta", "+1 procentenhet", "arets_resultat", -20.0),
            ("bas", 2026, "Ränta", "+1 procentenhet", "balanskravsresultat", -999.0),
            ("bas", 2027, "Ränta", "+1 procentenhet", "arets_resultat", -500.0)]
    return pd.DataFrame(rows, columns=["scenario", "ar", "antagande", "forandring", "post", "mnkr"])


def test_tornado_sorted_by_size_for_one_year_and_post():
    fig = plots.tornado(sensitivity_table(), 2026)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [-20.0, 66.0, -75.3, -121.6]  # barh draws bottom-up: largest on top
    labels_shown = [t.get_text() for t in ax.get_yticklabels()]
    assert labels_shown == ["Ränta", "Skattesats", "Löneökning", "Verksamhetsvolym"]
    assert "-122 (+1 %)" in texts(fig) and "-20 (+1 pe)" in texts(fig)
    with pytest.raises(ValueError):
        plots.tornado(sensitivity_table(), 2030)


def test_tornado_puts_both_directions_on_one_row():
    table = pd.DataFrame(
        [("bas", 2026, "Prisökning", "+1 procentenhet", "arets_resultat", -177.0),
         ("bas", 2026, "Prisökning", "-1 procentenhet", "arets_resultat", 170.0),
         ("bas", 2026, "Skattesats", "+10 öre", "arets_resultat", 73.0),
         ("bas", 2026, "Skattesats", "-10 öre", "arets_resultat", -73.0)],
        columns=["scenario", "ar", "antagande", "forandring", "post", "mnkr"])
    fig = plots.tornado(table, 2026)
    ax = fig.axes[0]
    rows = {}
    for p in ax.patches:
        rows.setdefault(round(p.get_y() + p.get_height() / 2), []).append(p.get_width())
    assert sorted(rows[1]) == [-177.0, 170.0] and sorted(rows[0]) == [-73.0, 73.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Skattesats", "Prisökning"]


def test_fan_from_montecarlo_summary_and_from_draws():
    years = np.arange(2023, 2029)
    pct = [5, 10, 25, 50, 75, 90, 95]
    values = np.stack([np.stack([np.full(6, 10.0 * p) for p in pct])] * 2)
    mc = xr.Dataset(
        {"percentil_mnkr": (("utfall", "percentil", "year"), values),
         "sannolikhet": (("handelse", "year"), np.array([[0.0, 0.1, 0.25, 0.3, 0.4, 0.5]] * 2))},
        coords={"utfall": ["arets_resultat", "balanskravsresultat"], "percentil": pct, "year": years,
                "handelse": ["balanskrav_ej_uppfyllt", "nettokostnadsandel_over_mal"]},
        attrs={"antal_dragningar": 4000})
    q, p, n = plots.fan_inputs(mc, "balanskravsresultat")
    assert list(q.columns) == [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
    assert q.loc[2025, 0.5] == 500.0 and n == 4000 and p[2027] == 0.4
    fig = plots.fan(q, p, planslut=2025, n_draws=n)
    shown = texts(fig)
    assert any(t.startswith("2027\n40") for t in shown), shown  # P(miss) under each year
    assert any("4" + fmt.THIN + "000 dragningar" in t for t in shown)
    assert any(abs(line.get_ydata()[0]) < 1e-12 and len(set(line.get_ydata())) == 1
               for line in fig.axes[0].get_lines()), "the 0-line"

    rng = np.random.default_rng(0)
    draws = xr.DataArray(rng.normal(50, 100, (2000, 6)), dims=("draw", "year"), coords={"year": years})
    q, p, n = plots.fan_inputs(draws)
    assert n == 2000 and q.loc[2023, 0.5] == pytest.approx(50, abs=10)
    assert p[2023] == pytest.approx(0.31, abs=0.05)  # P(N(50, 100) < 0)


def test_heatmap_draws_the_98_percent_contour():
    infl = np.arange(0, 5.5, 0.5)
    lon = np.arange(-1, 2.5, 0.5)
    grid = xr.DataArray(0.965 + 0.004 * infl[:, None] + 0.008 * lon[None, :], dims=("inflation", "loneokning"),
                        coords={"inflation": infl, "loneokning": lon})
    grid["inflation"].attrs.update(enhet="procentenheter", long_name="Inflation, skift")
    grid["loneokning"].attrs.update(enhet="procentenheter", long_name="Löneökning, skift")
    fig = plots.heatmap(grid, title="Nettokostnadsandel 2025")
    ax = fig.axes[0]
    from matplotlib.contour import ContourSet
    contours = [c for c in ax.get_children() if isinstance(c, ContourSet)]
    assert len(contours) == 1 and list(contours[0].levels) == [0.98]
    shown = texts(fig)
    assert "98" + fmt.THIN + "%" in shown  # the contour's label
    assert "+1,0 pe" in shown and "Löneökning, skift" in shown
    # No contour when every cell is on one side of 98 %.
    fig = plots.heatmap(grid * 0 + 0.95)
    assert not [c for c in fig.axes[0].get_children() if isinstance(c, ContourSet)]


def test_cli_plot_writes_pngs_and_rejects_bad_input(tmp_path):
    out = tmp_path / "bilder"
    result = runner.invoke(app, ["plot", "resultat", "hogre_loner", "--ut", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "resultat.png").is_file() and imread(out / "resultat.png").shape[1] >= 1500
    result = runner.invoke(app, ["plot", "vattenfall", "--ar", "2027", "--ut", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "vattenfall.png").is_file()
    for args, message in ((["plot", "cirkel"], "okänt diagram"),
                          (["plot", "vattenfall", "--ar", "2023"], "föregående år"),
                          (["plot", "resultat", "--ar", "1999"], "finns inte"),
                          (["plot", "varmekarta", "--svep", str(tmp_path / "saknas.yaml")], "svepfilen finns inte")):
        result = runner.invoke(app, [*args, "--ut", str(tmp_path / "annan")])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "annan").exists()
