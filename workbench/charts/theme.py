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
from workbench.formatting import axis_label_expr, format_yuan

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
CHANNEL_COLOURS = {"short_video": "#07C160", "live": "#FA5151"}
VIDEO = CHANNEL_COLOURS["short_video"]
LIVE = CHANNEL_COLOURS["live"]
CATEGORY_COLOURS = {"food": "#FA9D3B", "home": "#10AEFF", "rest": "#C7C7CC"}
FOCUS_FALLBACK_COLOUR = "#6467F0"  # any other category a chart focuses on
MUTED = "#888888"  # baselines, first reports, settled-so-far bars
BOOSTED_COLOUR = "#07C160"
ORGANIC_COLOUR = "#B2E9C9"
# The chart area of a report tile: with its axis labels the SVG is about 340
# px wide, so a phone (390 px, one tile a row) shows it at full size and the
# 12 px chart text stays 12 px; a desktop's half-width tile scales it up.
TILE_WIDTH, TILE_HEIGHT = 270, 190
# A day (or week) still waiting to settle more than this share of its paid
# GMV is shaded and labelled 结算中 on every time chart: its settled figure
# will still grow, so a dip there is not a fall in sales.
SETTLING_SHARE = 0.05
SETTLING_COLOUR = "#FFF3E0"


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
                "titleFontWeight": "normal",
                "titleColor": "#646A73",
                "gridColor": "#EDEDED",
                "domainColor": "#B2B2B2",
                "tickColor": "#B2B2B2",
            },
            # Chinese reads badly on its side: y titles sit level above the axis,
            # x labels stay level.
            "axisY": {
                "titleAngle": 0,
                "titleAlign": "left",
                "titleAnchor": "end",
                "titleBaseline": "bottom",
                "titleX": 0,
                "titleY": -8,
            },
            "axisX": {"labelAngle": 0},
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
            },
            "header": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "labelAngle": 0,
                "labelAlign": "left",
            },
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


def money_text(fen: str, lang: str, alias: str = "text") -> pl.Expr:
    """Amounts in fen as the cards write them (formatting's one ladder): hover titles and values on bars."""
    return pl.col(fen).map_elements(lambda v: format_yuan(round(v), lang), return_dtype=pl.String).alias(alias)


def money_axis(lang: str, title: str | None = None) -> alt.Axis:
    """A money axis (values in yuan) labelled on the cards' ladder: `50万` under a `（元）` title, `¥50K` in English."""
    return alt.Axis(labelExpr=axis_label_expr(lang, money=True), title=title, tickCount=5)


def count_axis(lang: str, title: str | None = None) -> alt.Axis:
    """A count axis labelled on the same ladder: `1.2万`, `12K`."""
    return alt.Axis(labelExpr=axis_label_expr(lang), title=title, tickCount=5)


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
