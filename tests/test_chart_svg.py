"""Chart SVG (workbench.charts.svg): the same bytes whatever fonts the machine has, and values on hover.

Fonts: a subprocess draws charts once as the machine is, once inside a
private mount namespace (`unshare -rm`) where every system font folder is
an empty tmpfs, and the SVGs must be byte-identical. The same subprocess
also draws the charts the old way (house stack, system fonts) to prove the
fonts really were hidden: those must differ, or there was nothing to hide.
The whole report is rendered the same way in tests/test_report_fonts.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import altair as alt
import polars as pl
import pytest
from cli_runs import hide_system_fonts, namespaces_work

from workbench import charts
from workbench.charts import notebook
from workbench.charts.svg import to_svg

LONG_LABEL = "粉丝达标或自营账号"  # 9 characters, 12 px each in any CJK font

_DRAW = f"""
import json, sys

import altair as alt
import polars as pl
import vl_convert

from workbench import charts
from workbench.charts.svg import strip_declaration, to_svg

bars = pl.DataFrame({{"group": ["{LONG_LABEL}", "短视频 · 本期", "直播间"], "gmv": [3.5, 5.25, 1.0]}})
days = pl.DataFrame(
    {{
        "day": ["2025-11-22", "2025-11-23", "2025-11-22", "2025-11-23"],
        "channel": ["短视频", "短视频", "直播", "直播"],
        "gmv": [1.0, 2.0, 3.0, 2.5],
    }}
)
drawn = {{
    "bars": alt.Chart(bars, title="各渠道结算GMV（万元）").mark_bar().encode(
        y=alt.Y("group:N", title=None), x=alt.X("gmv:Q", title="结算GMV（万元）"), tooltip=["group:N", "gmv:Q"]
    ),
    "lines": alt.Chart(days).mark_line(point=True).encode(
        x=charts.theme.day_axis("day", "日期"), y=alt.Y("gmv:Q", title="万元"), color=alt.Color("channel:N", title="渠道")
    ),
    "text": alt.Chart(bars).mark_text(align="left").encode(y="group:N", text="group:N"),
}}
# The old way first, before to_svg registers the shipped font: the house stack
# measured with whatever fonts the machine has.
svgs = {{"old_bars": strip_declaration(vl_convert.vegalite_to_svg(drawn["bars"].to_json()))}}
svgs |= {{name: to_svg(chart) for name, chart in drawn.items()}}
print(json.dumps(svgs))
"""


def _draw(hidden: bool) -> dict[str, str]:
    command = [sys.executable, "-c", _DRAW]
    if hidden:
        script = f'set -e\n{hide_system_fonts()}\nexec "$@"\n'
        command = ["unshare", "-rm", "sh", "-c", script, "sh", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _left_margin(svg: str) -> float:
    """How far right of the SVG's edge the plot starts: the room Vega measured for the y labels."""
    return float(re.search(r'<g fill="none" stroke-miterlimit="10" transform="translate\(([\d.]+),', svg)[1])


@pytest.mark.slow
def test_charts_are_the_same_bytes_without_any_system_font() -> None:
    if not namespaces_work():
        pytest.skip("unshare -rm with mounts is not allowed here, so system fonts cannot be hidden")
    with_fonts = _draw(hidden=False)
    without = _draw(hidden=True)
    if with_fonts["old_bars"] == without["old_bars"]:
        pytest.skip("no system CJK font to hide here (CI installs fonts-noto-cjk)")
    for name in ("bars", "lines", "text"):
        assert without[name] == with_fonts[name], f"{name} depends on the machine's fonts"
    # Not clipped: Vega left room for the long label at 12 px a character (the old
    # way, without CJK fonts, measured it far narrower and the page cut it off).
    assert _left_margin(without["bars"]) >= 12 * len(LONG_LABEL)
    assert _left_margin(without["old_bars"]) < 12 * len(LONG_LABEL)
    # Readers' machines are still asked for their own fonts.
    families = set(re.findall(r'font-family="([^"]*)"', without["bars"]))
    assert families == {charts.FONT.replace('"', "&quot;")}


# --- hover values: <title> on every data mark ------------------------------------------------


def _titled(svg: str) -> list[tuple[str, str, str]]:
    """(mark role, aria-label, title) of every element with a <title> child."""
    return re.findall(
        r'<\w+ aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="([^"]*)"[^>]*><title>([^<]*)</title>',
        svg,
    )


def test_every_bar_and_point_shows_its_values_on_hover_as_an_svg_title() -> None:
    frame = pl.DataFrame({"group": ["短视频 <新>", "直播 & 其他"], "gmv": [3.5, 5.25]})
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("group:N", title="渠道"),
            y=alt.Y("gmv:Q", title="结算GMV（万元）"),
            tooltip=[alt.Tooltip("gmv:Q", title="万元", format=",.2f")],
        )
    )
    svg = to_svg(bars)
    assert sorted(_titled(svg)) == [
        (
            "渠道: 直播 &amp; 其他; 结算GMV（万元）: 5.25; 万元: 5.25",
            "bar",
            "渠道: 直播 &amp; 其他; 结算GMV（万元）: 5.25; 万元: 5.25",
        ),
        (
            "渠道: 短视频 &lt;新&gt;; 结算GMV（万元）: 3.5; 万元: 3.50",
            "bar",
            "渠道: 短视频 &lt;新&gt;; 结算GMV（万元）: 3.5; 万元: 3.50",
        ),
    ]
    # Axes describe themselves to screen readers in English; they get no hover text.
    assert svg.count("<title>") == 2
    assert "<script" not in svg


def test_a_description_channel_sets_the_hover_text_exactly() -> None:
    frame = pl.DataFrame(
        {"group": ["短视频", "直播"], "gmv": [3.5, 5.25], "hover": ["短视频 3.50万元", "直播 5.25万元"]}
    )
    svg = to_svg(alt.Chart(frame).mark_bar().encode(x="group:N", y="gmv:Q", description="hover:N"))
    assert sorted(title for _, _, title in _titled(svg)) == ["直播 5.25万元", "短视频 3.50万元"]


def test_a_line_gets_titles_on_its_points_not_on_the_path() -> None:
    frame = pl.DataFrame({"day": ["2025-11-22", "2025-11-23"], "gmv": [1.0, 2.0]})
    line = alt.Chart(frame).mark_line().encode(x=charts.theme.day_axis("day", "日期"), y="gmv:Q")
    # One path stands for every day and its label is the first day's: no title would be honest.
    assert _titled(to_svg(line)) == []
    with_points = alt.Chart(frame).mark_line(point=True).encode(x=charts.theme.day_axis("day", "日期"), y="gmv:Q")
    assert sorted(title for _, role, title in _titled(to_svg(with_points))) == [
        "日期: 11-22; gmv: 1",
        "日期: 11-23; gmv: 2",
    ]


def test_the_notebook_svg_fallback_is_the_report_svg() -> None:
    chart = (
        alt.Chart(pl.DataFrame({"group": ["粉丝达标或自营账号"], "gmv": [1.0]}))
        .mark_bar()
        .encode(y="group:N", x="gmv:Q")
    )
    assert notebook.mimebundle(chart.to_dict())[notebook.SVG] == to_svg(chart)
