"""The house theme and every chart helper give a valid Vega-Lite spec.

Specs are built from the analysts' KPI frames of the hand-made world
(tests/support/analyst_world.py) and of an empty snapshot, because a report for a
quiet week must still draw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import altair as alt
import duckdb
import polars as pl
import pytest
import vl_convert
from analyst_world import CAMPAIGN, WORLD
from snapshot_builder import build_snapshot

from workbench import charts, kpi
from workbench.charts import notebook
from workbench.charts.svg import to_svg
from workbench.charts.theme import FOCUS_FALLBACK_COLOUR
from workbench.snapshot.read import connect

HELPERS: dict[str, tuple[Callable[..., Any], str]] = {
    "daily_gmv": (charts.daily_gmv, "daily_trend"),
    "share_trend_weekly": (charts.share_trend, "weekly_trend"),
    "funnel": (charts.funnel, "eligibility_funnel"),
    "cohort_curves": (charts.cohort_curves, "newcomer_cohorts"),
    "category_mix": (charts.category_mix, "category_vs_baseline"),
    "traffic_by_tab": (charts.traffic_by_tab, "traffic_by_tab"),
    "posting_quota_use": (charts.posting_quota_use, "posting_quota_use"),
    "growth_card_distribution": (charts.growth_card_distribution, "growth_card_distribution"),
}


@pytest.fixture(scope="module", params=["world", "empty"])
def con(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tables = WORLD if request.param == "world" else {}
    return connect(build_snapshot(tmp_path_factory.mktemp(request.param), tables))


def _frame(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """The KPI over the campaign; KPIs counted from the campaign start take end only."""
    start = CAMPAIGN[0] if "start" in kpi.get(name).params else None
    return kpi.run(con, name, start, CAMPAIGN[1])


def _spec(con: duckdb.DuckDBPyConnection, helper: str, lang: str) -> dict[str, Any]:
    make, name = HELPERS[helper]
    return make(_frame(con, name), lang=lang).to_dict()


def _data(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return next(iter(spec["datasets"].values()))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("helper", HELPERS)
def test_each_helper_gives_a_valid_spec(con: duckdb.DuckDBPyConnection, helper: str, lang: str) -> None:
    spec = _spec(con, helper, lang)  # to_dict() validates against the Vega-Lite schema
    assert spec["config"]["font"] == charts.FONT
    assert spec["title"]


def test_theme_is_enabled_on_import() -> None:
    assert alt.theme.active == "workbench"


def test_channels_keep_their_colours_in_both_languages(tmp_path_factory: pytest.TempPathFactory) -> None:
    con = connect(build_snapshot(tmp_path_factory.mktemp("colours"), WORLD))
    zh, en = (
        [v for v in _views(_spec(con, "daily_gmv", lang)) if "color" in v.get("encoding", {})] for lang in ("zh", "en")
    )
    assert zh[0]["encoding"]["color"]["scale"] == {"domain": ["短视频", "直播间"], "range": ["#07C160", "#FA5151"]}
    assert en[0]["encoding"]["color"]["scale"] == {"domain": ["Short video", "Live"], "range": ["#07C160", "#FA5151"]}


def test_category_mix_groups_food_home_and_the_rest(tmp_path_factory: pytest.TempPathFactory) -> None:
    con = connect(build_snapshot(tmp_path_factory.mktemp("mix"), WORLD))
    rows = _data(_spec(con, "category_mix", "zh"))
    window = {r["group"]: r["share"] for r in rows if r["bar"] == "短视频 · 本期"}
    # Short video paid: food 16,000, home 9,000, beauty (the rest) 97,000 of 122,000.
    assert window == pytest.approx({"食品": 16 / 122, "家居日用": 9 / 122, "其他品类": 97 / 122})


def test_funnel_shows_the_stages_in_order(tmp_path_factory: pytest.TempPathFactory) -> None:
    con = connect(build_snapshot(tmp_path_factory.mktemp("funnel"), WORLD))
    rows = _data(_spec(con, "funnel", "en"))
    assert [(r["stage"], r["accounts"]) for r in rows] == [
        ("All accounts", 6),
        ("Fans or self-operated", 5),
        ("Eligible", 4),
        ("Enrolled", 4),
        ("Posted a video", 4),
        ("Sold via video", 3),
    ]


def test_category_mix_sets_any_focus_category_against_the_rest() -> None:
    frame = pl.DataFrame(
        {
            "channel": ["short_video"] * 3,
            "category": ["beauty", "food", "home"],
            "paid_share_within_channel": [0.5, 0.3, 0.2],
            "baseline_paid_share": [0.4, 0.4, 0.2],
        }
    )
    spec = charts.category_mix(frame, "en", focus=("beauty",)).to_dict()
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert {r["group"] for r in rows} == {charts.words("beauty", "en"), charts.words("rest", "en")}
    assert spec["encoding"]["color"]["scale"]["range"] == [FOCUS_FALLBACK_COLOUR, charts.CATEGORY_COLOURS["rest"]]


# Every chart with a time axis, drawn from frames that cross New York's
# daylight-saving change (2025-11-02) and the campaign start.
_TIME_CHARTS = """
import json
from datetime import date, timedelta

import polars as pl

from workbench import charts
from workbench.charts.svg import to_svg

days = [date(2025, 10, 20) + timedelta(days=k) for k in range(50)]
weeks = [date(2025, 10, 18) + timedelta(days=7 * k) for k in range(8)]
daily = pl.DataFrame(
    {
        "date": days,
        "short_video_paid_gmv_fen": [1_100 * k for k in range(50)],
        "live_paid_gmv_fen": [2_200 * k for k in range(50)],
        "short_video_settled_gmv_fen": [1_000 * k for k in range(50)],
        "live_settled_gmv_fen": [2_000 * k for k in range(50)],
        "unsettled_share": [0.0] * 45 + [0.5] * 5,
    }
)
weekly = pl.DataFrame(
    {
        "week": list(range(1, 9)),
        "short_video_share": [k / 10 for k in range(8)],
        "baseline_share": [0.2] * 8,
        "paid_share": [k / 9 for k in range(8)],
        "baseline_paid_share": [0.25] * 8,
        "unsettled_share": [0.0] * 6 + [0.3] * 2,
    }
)
restated = pl.DataFrame(
    {
        "snapshot_date": [date(2025, 11, 1), date(2025, 11, 8), date(2025, 11, 15)],
        "metric": ["m"] * 3,
        "value": [1e6, 2e6, 2.5e6],
        "first_value": [1e6] * 3,
    }
)
lift = pl.DataFrame(
    {
        "week_start": weeks,
        "campaign_week": [-5, -4, -3, -2, -1, 1, 2, 3],
        "relative_gap": [0.0, 0.01, -0.01, 0.0, 0.02, 0.1, 0.12, 0.15],
        "low": [-0.05] * 8,
        "high": [0.2] * 8,
    }
)
drawn = {
    "daily_gmv": charts.daily_gmv(daily),
    "share_trend_weekly": charts.share_trend(weekly, "en"),
    "restatement": charts.restatement_chart(restated, "m", "zh"),
    "event_study": charts.event_study_chart(lift, "zh"),
}
print(json.dumps({name: to_svg(chart) for name, chart in drawn.items()}))
"""


def _draw_time_charts(**env: str) -> dict[str, str]:
    settings = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "LC_TIME")}
    done = subprocess.run(
        [sys.executable, "-c", _TIME_CHARTS], env={**settings, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_time_axes_are_the_same_in_every_time_zone_and_locale() -> None:
    reference = _draw_time_charts(TZ="UTC", LC_ALL="C.UTF-8")
    # Day labels are Asia/Shanghai calendar days, written as such whatever the machine's zone.
    assert ">11-15</text>" in reference["restatement"]  # the last snapshot's day, not the day before
    for env in (
        {"TZ": "America/New_York", "LANG": "de_DE.UTF-8"},
        {"TZ": "Asia/Shanghai", "LC_ALL": "zh_CN.UTF-8"},
        {"TZ": "Pacific/Kiritimati", "LC_TIME": "en_US.UTF-8"},
    ):
        other = _draw_time_charts(**env)
        for name, svg in reference.items():
            assert other[name] == svg, f"{name} differs under {env}"


# --- the JupyterLab renderer: live Vega-Lite v5 with an SVG fallback ------------------------

# Charts whose x axis is time or a curve's quantity get the zoom; bars keep theirs fixed.
_ZOOMED = {"daily_gmv", "cohort_curves"}  # time or day-count x axes; weeks are ordinal


@pytest.fixture
def notebook_renderer() -> Any:
    before = alt.renderers.active
    charts.use_notebook_renderer()
    yield alt.renderers.get()
    alt.renderers.enable(before)


def _views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Single views, layers within layers included."""
    if "layer" in spec:
        return [view for layer in spec["layer"] for view in _views(layer)]
    return [spec]


@pytest.mark.parametrize("helper", HELPERS)
def test_the_notebook_renderer_gives_live_vega_lite_v5_and_an_svg(
    con: duckdb.DuckDBPyConnection, helper: str, notebook_renderer: Any
) -> None:
    make, name = HELPERS[helper]
    chart = make(_frame(con, name))
    bundle = notebook_renderer(chart.to_dict())
    assert set(bundle) == {notebook.VEGALITE_V5, notebook.SVG}
    spec = bundle[notebook.VEGALITE_V5]
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["config"]["mark"]["tooltip"] == {"content": "encoding"}
    assert spec["config"]["font"] == charts.FONT  # the house theme is kept
    vega = json.loads(json.dumps(vl_convert.vegalite_to_vega(spec, vl_version="5.8")))  # valid Vega-Lite 5.8
    assert vega["marks"] and '"tooltip": {"signal"' in json.dumps(vega)
    zooms = [p for view in _views(spec) for p in view.get("params", []) if p["name"] == notebook.ZOOM]
    if helper in _ZOOMED:
        assert zooms == [{"name": notebook.ZOOM, "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}]
    else:
        assert zooms == []
    assert bundle[notebook.SVG].startswith("<svg")
    # The mimebundle is what IPython displays for the chart.
    shown = chart._repr_mimebundle_()
    assert set(shown[0] if isinstance(shown, tuple) else shown) == {notebook.VEGALITE_V5, notebook.SVG}


def test_the_time_axis_zoom_is_bound_to_the_x_scale(tmp_path_factory: pytest.TempPathFactory) -> None:
    con = connect(build_snapshot(tmp_path_factory.mktemp("zoom"), WORLD))
    spec = notebook.vega_lite_v5(_spec(con, "daily_gmv", "zh"))
    lines = [v for v in _views(spec) if "strokeDash" in v.get("encoding", {})]
    assert lines and lines[0]["encoding"]["x"]["type"] == "temporal"
    vega = vl_convert.vegalite_to_vega(spec, vl_version="5.8")
    # bind: scales compiles to signals for the x domain that wheel and drag events update.
    signals = {s["name"]: s for s in vega["signals"]}
    assert f"{notebook.ZOOM}_date" in signals
    assert "wheel" in json.dumps(signals[f"{notebook.ZOOM}_zoom_delta"])


def test_the_notebook_renderer_leaves_the_report_svg_unchanged(tmp_path_factory: pytest.TempPathFactory) -> None:
    con = connect(build_snapshot(tmp_path_factory.mktemp("same-svg"), WORLD))
    chart = charts.daily_gmv(kpi.run(con, "daily_trend", *CAMPAIGN))
    before_renderer = alt.renderers.active
    before = to_svg(chart)
    charts.use_notebook_renderer()
    try:
        assert alt.renderers.active == "workbench"
        notebook.mimebundle(chart.to_dict())
        assert to_svg(chart) == before
    finally:
        alt.renderers.enable(before_renderer)
