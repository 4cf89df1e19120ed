"""The house chart style, registered as the `workbench` Altair theme.

One look for notebooks and the report: a CJK font stack that renders on
macOS, Windows and Linux, short video in WeChat green and live in red
wherever they appear, and the campaign's focus categories in fixed colours
against a grey rest. Importing `workbench.charts` registers and enables it.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from workbench import text

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
CHANNEL_COLOURS = {"short_video": "#07C160", "live": "#FA5151"}
VIDEO = CHANNEL_COLOURS["short_video"]
LIVE = CHANNEL_COLOURS["live"]
CATEGORY_COLOURS = {"food": "#FA9D3B", "home": "#10AEFF", "rest": "#C7C7CC"}
FOCUS_FALLBACK_COLOUR = "#6467F0"  # any other category a chart focuses on
MUTED = "#888888"  # baselines, first reports, settled-so-far bars
BOOSTED_COLOUR = "#07C160"
ORGANIC_COLOUR = "#B2E9C9"
# The chart area that fits a half-width tile of the report page.
TILE_WIDTH, TILE_HEIGHT = 400, 220


@alt.theme.register("workbench", enable=True)
def workbench_theme() -> alt.theme.ThemeConfig:
    """The house style: CJK fonts, quiet axes, WeChat colours."""
    return {
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 16, "anchor": "start", "color": "#191919"},
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "gridColor": "#EDEDED",
                "domainColor": "#B2B2B2",
                "tickColor": "#B2B2B2",
            },
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
            },
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12},
            "text": {"font": FONT},
            "range": {"category": ["#07C160", "#10AEFF", "#FA9D3B", "#FA5151", "#6467F0", "#C7C7CC"]},
            "view": {"stroke": None},
        },
        "width": 560,
        "height": 260,
    }


def words(key: str, lang: str) -> str:
    """A chart's title, axis or legend word (catalogue section `chart`), else a contract code's label."""
    return text.t(f"chart.{key}", lang) if text.has(f"chart.{key}") else text.label(key, lang)


def colour_scale(colours: dict[str, str], lang: str) -> alt.Scale:
    """A colour scale that pins each key's colour to its displayed label."""
    return alt.Scale(domain=[words(k, lang) for k in colours], range=list(colours.values()))


def day_axis(field: str, title: str) -> alt.X:
    """An x axis of calendar days (Asia/Shanghai days, as every KPI gives them) that reads the same on any machine.

    Vega reads a `datetime` value without an offset in the machine's time
    zone and draws a local-time scale, so the same page came out different
    under another `TZ`: days a day early west of UTC, uneven day widths
    across a daylight-saving change. Days therefore go in as date-only ISO
    strings (`days_as_text`), which Vega reads as UTC midnight, on a UTC
    scale with UTC labels: no local time is involved anywhere.
    """
    # On a UTC scale Vega-Lite formats the labels in UTC too (an explicit
    # formatType "utc" would make it drop the format string).
    return alt.X(f"{field}:T", title=title, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%m-%d"))


def days_as_text(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Date columns as `YYYY-MM-DD` text, the form `day_axis` expects."""
    return frame.with_columns(pl.col(c).cast(pl.String) for c in columns)
