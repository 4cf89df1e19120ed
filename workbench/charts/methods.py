"""Charts for restatement, nowcast and lift, in the house theme at report-tile size.

Builders only reshape a method's result frame (workbench.insights) for
display; words come from the catalogue's `method_chart` section.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from workbench import text
from workbench.charts.theme import (
    LIVE,
    MUTED,
    TILE_HEIGHT,
    TILE_WIDTH,
    VIDEO,
    day_axis,
    days_as_text,
    money_axis,
    money_text,
)
from workbench.formatting import format_change


def _t(key: str, lang: str) -> str:
    return text.t(f"method_chart.{key}", lang)


def restatement_chart(frame: pl.DataFrame, metric: str, lang: str) -> alt.LayerChart | None:
    """One money metric of a week as each snapshot reported it: a bar per snapshot, the first one grey.

    Bars with their values written on them read the same with two snapshots
    as with ten; a line through two points said little.
    """
    rows = frame.filter(pl.col("metric") == metric).sort("snapshot_date")
    if rows.is_empty():
        return None
    first = rows["snapshot_date"].min()
    rows = rows.with_columns(
        pl.col("snapshot_date").dt.strftime("%m-%d").alias("day"),
        (pl.col("value") / 100).alias("yuan"),
        money_text("value", lang),
        pl.when(pl.col("snapshot_date") == first)
        .then(pl.lit(_t("first_report", lang)))
        .otherwise(pl.lit(_t("later_report", lang)))
        .alias("report"),
    )
    x = alt.X("day:O", title=_t("snapshot", lang), sort=rows["day"].to_list())
    colour = alt.Color(
        "report:N",
        title=None,
        scale=alt.Scale(domain=[_t("first_report", lang), _t("later_report", lang)], range=[MUTED, VIDEO]),
    )
    tooltip = [alt.Tooltip("day:N", title=_t("snapshot", lang)), alt.Tooltip("text:N", title=_t("gmv", lang))]
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(x=x, y=alt.Y("yuan:Q", axis=money_axis(lang, _t("gmv_yuan", lang))), color=colour, tooltip=tooltip)
    )
    values = alt.Chart(rows).mark_text(dy=-6, baseline="bottom", fontSize=12).encode(x=x, y="yuan:Q", text="text:N")
    return alt.layer(bars, values).properties(width=TILE_WIDTH, height=TILE_HEIGHT)


def nowcast_chart(frame: pl.DataFrame, lang: str) -> alt.LayerChart | None:
    """Per channel: settled so far (bar) and the estimated final settled GMV with its 95% interval, in a legend."""
    if frame.is_empty():
        return None
    rows = frame.with_columns(
        pl.col("channel").map_elements(lambda c: text.label(c, lang), return_dtype=pl.String).alias("label"),
        *[(pl.col(c) / 100).alias(c.replace("_fen", "_yuan")) for c in _NOWCAST_FEN],
        *[money_text(c, lang, c.replace("_fen", "_text")) for c in _NOWCAST_FEN],
    )
    series = [_t(k, lang) for k in ("settled", "nowcast", "interval")]
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=series, range=[MUTED, LIVE, LIVE]))
    y = alt.Y(
        "label:N", title=_t("channel", lang), sort=alt.EncodingSortField("nowcast_settled_yuan", order="descending")
    )
    x_axis = money_axis(lang, _t("gmv_yuan", lang))
    base = alt.Chart(rows)
    bars = (
        base.mark_bar(opacity=0.6)
        .encode(
            x=alt.X("settled_so_far_yuan:Q", axis=x_axis),
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=_t("channel", lang)),
                alt.Tooltip("settled_so_far_text:N", title=series[0]),
            ],
        )
        .transform_calculate(series=f"'{series[0]}'")
    )
    whisker = (
        base.mark_rule(strokeWidth=2)
        .encode(
            x="low_yuan:Q",
            x2="high_yuan:Q",
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=_t("channel", lang)),
                alt.Tooltip("low_text:N", title=_t("low", lang)),
                alt.Tooltip("high_text:N", title=_t("high", lang)),
            ],
        )
        .transform_calculate(series=f"'{series[2]}'")
    )
    point = (
        base.mark_point(filled=True, size=70, opacity=1)
        .encode(
            x="nowcast_settled_yuan:Q",
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=_t("channel", lang)),
                alt.Tooltip("nowcast_settled_text:N", title=series[1]),
            ],
        )
        .transform_calculate(series=f"'{series[1]}'")
    )
    return alt.layer(bars, whisker, point).properties(width=TILE_WIDTH, height=TILE_HEIGHT)


_NOWCAST_FEN = ("settled_so_far_fen", "nowcast_settled_fen", "low_fen", "high_fen")


def event_study_chart(weeks: pl.DataFrame, lang: str) -> alt.LayerChart | None:
    """Weekly gap of enrolled accounts against their counterfactual with 95% intervals; 0 before the campaign if trends were parallel."""
    if weeks.is_empty():
        return None
    # A week without a defined gap (null) is left out rather than drawn at 0.
    periods = [_t("before_campaign", lang), _t("during_campaign", lang)]
    rows = days_as_text(weeks.drop_nulls("relative_gap"), "week_start").with_columns(
        pl.when(pl.col("campaign_week") > 0).then(pl.lit(periods[1])).otherwise(pl.lit(periods[0])).alias("period"),
        *[
            pl.col(c).map_elements(format_change, return_dtype=pl.String).alias(f"{c}_text")
            for c in ("relative_gap", "low", "high")
        ],
    )
    base = alt.Chart(rows)
    x = day_axis("week_start", _t("week", lang))
    color = alt.Color("period:N", title=None, scale=alt.Scale(domain=periods, range=[MUTED, VIDEO]))
    tooltip = [
        alt.Tooltip("week_start:N", title=_t("week", lang)),
        alt.Tooltip("relative_gap_text:N", title=_t("gap", lang)),
        alt.Tooltip("low_text:N", title=_t("low", lang)),
        alt.Tooltip("high_text:N", title=_t("high", lang)),
    ]
    whisker = base.mark_rule().encode(
        x=x,
        y=alt.Y("low:Q", title=_t("gap", lang), axis=alt.Axis(format="%")),
        y2="high:Q",
        color=color,
        tooltip=tooltip,
    )
    point = base.mark_point(filled=True, size=40).encode(x=x, y="relative_gap:Q", color=color, tooltip=tooltip)
    zero = alt.Chart(pl.DataFrame({"zero": [0.0]})).mark_rule(color=MUTED, strokeDash=[5, 4]).encode(y="zero:Q")
    return alt.layer(zero, whisker, point).properties(width=TILE_WIDTH, height=TILE_HEIGHT)
