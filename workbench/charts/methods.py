"""Charts for restatement, nowcast and lift, in the house theme at report-tile size.

Builders only reshape a method's result frame (workbench.insights) for
display; words come from the catalogue's `method_chart` section.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from workbench import text
from workbench.charts.theme import LIVE, MUTED, TILE_HEIGHT, TILE_WIDTH, VIDEO, day_axis, days_as_text


def _t(key: str, lang: str) -> str:
    return text.t(f"method_chart.{key}", lang)


def restatement_chart(frame: pl.DataFrame, metric: str, lang: str) -> alt.LayerChart | None:
    """One money metric of a week as reported by each snapshot, with the first report as a dashed rule."""
    rows = days_as_text(frame.filter(pl.col("metric") == metric), "snapshot_date").with_columns(
        (pl.col("value") / 1_000_000).alias("wan"),
        (pl.col("first_value") / 1_000_000).alias("first_wan"),
    )
    if rows.is_empty():
        return None
    base = alt.Chart(rows)
    line = base.mark_line(color=VIDEO, point=alt.OverlayMarkDef(color=VIDEO, size=40)).encode(
        x=day_axis("snapshot_date", _t("snapshot", lang)),
        y=alt.Y("wan:Q", title=_t("gmv_wan", lang)),
        tooltip=["snapshot_date:N", alt.Tooltip("wan:Q", format=",.2f")],
    )
    first = base.mark_rule(color=MUTED, strokeDash=[5, 4]).encode(y="mean(first_wan):Q")
    return alt.layer(line, first).properties(width=TILE_WIDTH, height=TILE_HEIGHT)


def nowcast_chart(frame: pl.DataFrame, lang: str) -> alt.LayerChart | None:
    """Per channel: settled so far (bar) and the nowcast with its 95% interval (point and whisker)."""
    if frame.is_empty():
        return None
    rows = frame.with_columns(
        pl.col("channel").map_elements(lambda c: text.label(c, lang), return_dtype=pl.String).alias("label"),
        *[
            (pl.col(c) / 1_000_000).alias(c.replace("_fen", "_wan"))
            for c in ("settled_so_far_fen", "nowcast_settled_fen", "low_fen", "high_fen")
        ],
    )
    base = alt.Chart(rows)
    y = alt.Y(
        "label:N", title=_t("channel", lang), sort=alt.EncodingSortField("nowcast_settled_wan", order="descending")
    )
    bars = base.mark_bar(color=MUTED, opacity=0.5).encode(
        x=alt.X("settled_so_far_wan:Q", title=_t("gmv_wan", lang)),
        y=y,
        tooltip=[alt.Tooltip("settled_so_far_wan:Q", title=_t("settled", lang), format=",.2f")],
    )
    whisker = base.mark_rule(color=LIVE).encode(x="low_wan:Q", x2="high_wan:Q", y=y)
    point = base.mark_point(color=LIVE, filled=True, size=60).encode(
        x="nowcast_settled_wan:Q",
        y=y,
        tooltip=[alt.Tooltip("nowcast_settled_wan:Q", title=_t("nowcast", lang), format=",.2f")],
    )
    return alt.layer(bars, whisker, point).properties(width=TILE_WIDTH, height=TILE_HEIGHT)


def event_study_chart(weeks: pl.DataFrame, lang: str) -> alt.LayerChart | None:
    """Weekly gap of enrolled accounts against their counterfactual with 95% intervals; 0 before the campaign if trends were parallel."""
    if weeks.is_empty():
        return None
    # A week without a defined gap (null) is left out rather than drawn at 0.
    rows = days_as_text(weeks.drop_nulls("relative_gap"), "week_start").with_columns(
        (pl.col("campaign_week") > 0).alias("campaign")
    )
    base = alt.Chart(rows)
    x = day_axis("week_start", _t("week", lang))
    color = alt.Color("campaign:N", scale=alt.Scale(domain=[False, True], range=[MUTED, VIDEO]), legend=None)
    whisker = base.mark_rule().encode(
        x=x, y=alt.Y("low:Q", title=_t("gap", lang), axis=alt.Axis(format="%")), y2="high:Q", color=color
    )
    point = base.mark_point(filled=True, size=40).encode(
        x=x, y="relative_gap:Q", color=color, tooltip=["week_start:N", alt.Tooltip("relative_gap:Q", format=".1%")]
    )
    zero = alt.Chart(pl.DataFrame({"zero": [0.0]})).mark_rule(color=MUTED, strokeDash=[5, 4]).encode(y="zero:Q")
    return alt.layer(zero, whisker, point).properties(width=TILE_WIDTH, height=TILE_HEIGHT)
