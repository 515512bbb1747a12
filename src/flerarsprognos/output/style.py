"""One style for every output: the colours and number formats of tables, Excel, report and charts."""

from __future__ import annotations

ACCENT = "#1F3864"  # headings, the bas line, titles
INK = "#1B1B1B"
MUTED = "#5F6368"
LINE = "#D9D9D9"
HEAD_BG = "#DDEBF7"  # table headers
GOOD_FG, GOOD_BG = "#006100", "#C6EFCE"  # goal met
CLOSE_FG, CLOSE_BG = "#7F6000", "#FFEB9C"  # met by less than the uncertainty margin
BAD_FG, BAD_BG = "#9C0006", "#FFC7CE"  # goal missed
NEGATIVE = "#C00000"  # negative amounts
PAGE_BG, CARD_BG, TOTAL_RULE = "#FFFFFF", "#FAFBFD", "#888888"  # the report's page, key-figure cards, total rows
EXTENDED_FG, EXTENDED_BG = "#7F7F7F", "#F2F2F2"  # values filled in, not given in the file
FORECAST_BG = "#F2F2F2"  # years after the decided plan, in charts
# Scenario lines, in the order of the run (bas first).
PALETTE = ["#1F3864", "#C00000", "#ED7D31", "#548235", "#7030A0", "#00B0F0", "#7F6000"]
# Bars that help (green) or hurt (red) in charts, and neutral grey.
CHART_GOOD, CHART_BAD, CHART_NEUTRAL = "#548235", "#C00000", "#8C8C8C"
# Chart details: grid, zero line, notes, the lighter of two stacked bars, the fan's bands.
CHART_GRID, CHART_ZERO, CHART_NOTE, CHART_TEXT = "#DDDDDD", "#404040", "#7F7F7F", "#202020"
CHART_LIGHT = "#8EA9DB"
FAN_OUTER, FAN_INNER = "#9DC3E6", "#2E75B6"
# Colour scales (worse → middle → better) for sensitivity tables and sweep grids.
SCALE_BAD, SCALE_MID, SCALE_GOOD = "#F8696B", "#FFEB84", "#63BE7B"
SCALE_ZERO = "#FFFFFF"  # the middle of a scale centred on 0

# Excel number formats: stored as #,##0 and shown by a Swedish Excel as "# ##0" with decimal
# comma. The third section prints zero without a sign, so a −0,0001 never shows as "-0".
AMOUNT = "#,##0;[Red]-#,##0;0"
AMOUNT_1 = "#,##0.0;[Red]-#,##0.0;0.0"
PERCENT = "0.0%;[Red]-0.0%;0.0%"
PP_DIFF = '+0.0" pe";[Red]-0.0" pe";0.0" pe"'  # percentage points: 0,5 pe
YEAR = "0"  # years are never grouped (2023, not 2 023)
COUNT = "#,##0"  # counts always are (1 000 000)


def css_variables() -> str:
    """The colours as CSS custom properties for the HTML report."""
    return (f"--ink:{INK}; --muted:{MUTED}; --accent:{ACCENT}; --good:{GOOD_FG}; --good-bg:{GOOD_BG}; "
            f"--close:{CLOSE_FG}; --close-bg:{CLOSE_BG}; --bad:{BAD_FG}; --bad-bg:{BAD_BG}; --line:{LINE}; "
            f"--head:{HEAD_BG}; --neg:{NEGATIVE}; --page:{PAGE_BG}; --card:{CARD_BG}; --total:{TOTAL_RULE};")
