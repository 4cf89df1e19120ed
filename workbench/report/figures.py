"""The report's charts: the house chart helpers of workbench.charts, as inline SVG tiles.

Which chart shows which KPI frame is decided here; how a chart looks is
decided in workbench.charts (shared with notebooks). The tile carries the
chart's title as HTML, so the SVG itself is drawn untitled, and a frame with
nothing to draw becomes a visible "no data" line instead of an empty axis.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import altair as alt
import polars as pl

from workbench import charts
from workbench.charts.kpis import MIN_COHORT
from workbench.charts.svg import spec_to_svg
from workbench.charts.theme import TILE_HEIGHT, TILE_WIDTH, words
from workbench.report import html
from workbench.report.frames import SHOP_OMITTED, ReportFrames
from workbench.report.params import ReportParams
from workbench.text import t

# (title key in the catalogue's chart section, frame attribute, helper, check): the chart has
# something to draw when its frame has rows and, if a check is given, the check
# holds (some frames list every tier with zeros; cohorts under MIN_COHORT are not drawn).
# The category chart sets the report's `category`, if given, against the rest.
Helper = Callable[[pl.DataFrame, ReportParams], alt.TopLevelMixin]
Check = Callable[[pl.DataFrame], bool]


def _positive(column: str) -> Check:
    return lambda frame: frame[column].sum() > 0


CHARTS: tuple[tuple[str, str, Helper, Check | None], ...] = (
    ("title_daily_gmv", "daily", lambda f, p: charts.daily_gmv(f, p.lang), None),
    ("title_share_trend", "weekly", lambda f, p: charts.share_trend(f, p.lang), None),
    ("title_funnel", "funnel", lambda f, p: charts.funnel(f, p.lang), _positive("accounts")),
    (
        "title_cohorts",
        "cohorts",
        lambda f, p: charts.cohort_curves(f, p.lang),
        lambda f: bool((f["cohort_size"] >= MIN_COHORT).any()),
    ),
    ("title_category", "category", lambda f, p: charts.category_mix(f, p.lang, p.focus), None),
    ("title_traffic", "traffic", lambda f, p: charts.traffic_by_tab(f, p.lang), _positive("impressions")),
    ("title_quota", "quota", lambda f, p: charts.posting_quota_use(f, p.lang), _positive("account_days")),
)


def _drawable(frame: pl.DataFrame, check: Check | None) -> bool:
    return not frame.is_empty() and (check is None or check(frame))


def _empty_text(title_key: str, frame: pl.DataFrame, lang: str) -> str:
    """Why a tile has no chart: no data, or (cohorts) only cohorts too small to draw."""
    if title_key == "title_cohorts" and not frame.is_empty():
        return t("report.cohorts_too_small", lang, min=MIN_COHORT)
    return t("report.no_data", lang)


def chart_tiles(frames: ReportFrames, params: ReportParams) -> list[str]:
    """Every chart as an HTML tile with its inline SVG, in reading order.

    vl-convert draws a chart on its own thread while this one builds the
    next chart's spec in Python, so the two overlap instead of taking turns.
    """
    drawn: list[tuple[str, Future[str] | None, str]] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-svg") as pool:
        for title_key, attribute, helper, check in CHARTS:
            if params.shop and attribute in SHOP_OMITTED:
                continue
            frame: pl.DataFrame = getattr(frames, attribute)
            svg = pool.submit(spec_to_svg, _tile_spec(helper(frame, params))) if _drawable(frame, check) else None
            drawn.append((words(title_key, params.lang), svg, _empty_text(title_key, frame, params.lang)))
    return [html.chart(title, svg.result() if svg else None, empty) for title, svg, empty in drawn]


def _tile_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's spec at tile size, untitled (the tile has the title); a faceted chart keeps its own row height.

    Sized on the spec itself (the top-level keys `.properties()` would set):
    turning a chart into its spec is Altair's costliest step, done once.
    """
    spec = chart.to_dict(validate=False)
    spec["title"] = ""
    spec["width"] = TILE_WIDTH
    if "row" not in spec.get("encoding", {}):
        spec["height"] = TILE_HEIGHT
    return spec
