"""One chart helper per analysts' KPI frame, in the house theme.

Helpers take the Polars frame a KPI returns (documented in its
`queries/*.sql` header), reshape it only for display (long form, fen to
yuan, enum labels) and return an `alt.Chart`; they compute no KPI. Labels
are Chinese first (`lang="zh"`) with English (`lang="en"`) from the one
catalogue (workbench/catalogue.toml), so a report in either language shows
the same charts.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from workbench.charts.theme import (
    BOOSTED_COLOUR,
    CATEGORY_COLOURS,
    CHANNEL_COLOURS,
    FOCUS_FALLBACK_COLOUR,
    MUTED,
    ORGANIC_COLOUR,
    colour_scale,
    day_axis,
    days_as_text,
    words,
)
from workbench.config import DEFAULT

FUNNEL_STAGES = (
    "accounts",
    "meets_fans_or_self_operated",
    "eligible",
    "enrolled",
    "posted_campaign_video",
    "sold_short_video",
)


def _labelled(frame: pl.DataFrame, column: str, lang: str) -> pl.DataFrame:
    """Replace an enum column by its display labels."""
    labels = {v: words(v, lang) for v in frame[column].unique().to_list()}
    return frame.with_columns(pl.col(column).replace_strict(labels, return_dtype=pl.String))


def daily_gmv(daily_trend: pl.DataFrame, lang: str = "zh") -> alt.Chart:
    """Lines of settled GMV per day, short video against live (frame: daily_trend)."""
    long = daily_trend.select(
        "date",
        (pl.col("short_video_settled_gmv_fen") / 100).alias("short_video"),
        (pl.col("live_settled_gmv_fen") / 100).alias("live"),
    ).unpivot(index="date", variable_name="channel", value_name="yuan")
    return (
        alt.Chart(_labelled(days_as_text(long, "date"), "channel", lang), title=words("title_daily_gmv", lang))
        .mark_line(point=True)
        .encode(
            x=day_axis("date", words("date", lang)),
            y=alt.Y("yuan:Q", title=words("settled_gmv_yuan", lang)),
            color=alt.Color("channel:N", title=words("channel", lang), scale=colour_scale(CHANNEL_COLOURS, lang)),
        )
    )


def share_trend(trend: pl.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """The short-video share over time with a rule at the baseline share.

    Takes daily_trend (by date) or weekly_trend (by week start).
    """
    x_field = "date" if "date" in trend.columns else "week_start"
    x_title = words("date" if x_field == "date" else "week", lang)
    base = alt.Chart(days_as_text(trend.select(x_field, "short_video_share", "baseline_share"), x_field))
    line = base.mark_line(
        point=alt.OverlayMarkDef(color=CHANNEL_COLOURS["short_video"]), color=CHANNEL_COLOURS["short_video"]
    ).encode(
        x=day_axis(x_field, x_title),
        y=alt.Y("short_video_share:Q", title=words("short_video_share", lang), axis=alt.Axis(format="%")),
    )
    rule = base.mark_rule(color=MUTED, strokeDash=[6, 4]).encode(y="mean(baseline_share):Q")
    label = base.mark_text(align="left", dx=4, dy=-6, color=MUTED).encode(
        y="mean(baseline_share):Q", text=alt.value(words("baseline", lang)), x=alt.value(0)
    )
    return alt.layer(line, rule, label, title=words("title_share_trend", lang))


def funnel(eligibility_funnel: pl.DataFrame, lang: str = "zh", segment: str = "all") -> alt.Chart:
    """Horizontal bars from all accounts down to those selling (frame: eligibility_funnel)."""
    row = eligibility_funnel.filter(pl.col("segment") == segment)
    long = pl.DataFrame(
        {
            "stage": [words("accounts_all" if s == "accounts" else s, lang) for s in FUNNEL_STAGES],
            "order": list(range(len(FUNNEL_STAGES))),
            "accounts": [int(row[s].sum()) for s in FUNNEL_STAGES],
        }
    )
    return (
        alt.Chart(long, title=words("title_funnel", lang))
        .mark_bar(color=CHANNEL_COLOURS["short_video"])
        .encode(
            y=alt.Y("stage:N", title=None, sort=alt.EncodingSortField("order")),
            x=alt.X("accounts:Q", title=words("accounts", lang)),
            tooltip=["stage:N", "accounts:Q"],
        )
    )


def cohort_curves(newcomer_cohorts: pl.DataFrame, lang: str = "zh") -> alt.Chart:
    """One cumulative share-selling curve per enrolment week (frame: newcomer_cohorts)."""
    return (
        alt.Chart(newcomer_cohorts, title=words("title_cohorts", lang))
        .mark_line()
        .encode(
            x=alt.X("days_since_enrollment:Q", title=words("days_since_enrollment", lang)),
            y=alt.Y(
                "cumulative_share_selling:Q", title=words("cumulative_share_selling", lang), axis=alt.Axis(format="%")
            ),
            color=alt.Color("cohort_week:N", title=words("cohort_week", lang)),
        )
    )


def category_mix(
    category_vs_baseline: pl.DataFrame, lang: str = "zh", focus: tuple[str, ...] = DEFAULT.focus_categories
) -> alt.Chart:
    """Stacked shares of the focus categories (food and home unless told) and the rest per
    channel, this period against the baseline.

    Frame: category_vs_baseline (share_within_channel and baseline_share).
    """
    grouped = (
        category_vs_baseline.with_columns(
            pl.when(pl.col("category").is_in(list(focus)))
            .then(pl.col("category"))
            .otherwise(pl.lit("rest"))
            .alias("group")
        )
        .rename({"share_within_channel": "window", "baseline_share": "baseline"})
        .unpivot(index=["channel", "group"], on=["window", "baseline"], variable_name="period", value_name="share")
        .group_by("channel", "group", "period", maintain_order=True)
        .agg(pl.col("share").sum())
        # A full sort: the SVG draws rows in frame order, and reruns must give the same page.
        .sort("channel", "period", "group", descending=[True, True, False])
    )
    grouped = _labelled(_labelled(grouped, "channel", lang), "period", lang).with_columns(
        pl.format("{} · {}", "channel", "period").alias("bar"),
        pl.col("group")
        .replace_strict({c: i for i, c in enumerate((*focus, "rest"))}, return_dtype=pl.Int64)
        .alias("order"),
    )
    colours = {c: CATEGORY_COLOURS.get(c, FOCUS_FALLBACK_COLOUR) for c in (*focus, "rest")}
    return (
        alt.Chart(_labelled(grouped, "group", lang), title=words("title_category", lang))
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", title=None, sort=grouped["bar"].unique(maintain_order=True).to_list()),
            x=alt.X("share:Q", stack="zero", title=words("share_within_channel", lang), axis=alt.Axis(format="%")),
            color=alt.Color("group:N", title=words("category", lang), scale=colour_scale(colours, lang)),
            order="order:Q",
            tooltip=["bar:N", "group:N", alt.Tooltip("share:Q", format=".1%")],
        )
    )


def traffic_by_tab(traffic: pl.DataFrame, lang: str = "zh") -> alt.Chart:
    """Impressions per feed tab, split into boosted and organic, enrolled accounts on top.

    Frame: traffic_by_tab.
    """
    long = (
        traffic.select(
            "enrolled",
            "tab",
            pl.col("boosted_impressions").alias("boosted"),
            (pl.col("impressions") - pl.col("boosted_impressions")).alias("organic"),
        )
        .unpivot(index=["enrolled", "tab"], on=["boosted", "organic"], variable_name="kind", value_name="impressions")
        .with_columns(
            pl.when(pl.col("enrolled")).then(pl.lit("enrolled")).otherwise(pl.lit("not_enrolled")).alias("enrolled")
        )
    )
    long = _labelled(_labelled(_labelled(long, "kind", lang), "tab", lang), "enrolled", lang)
    colours = {"boosted": BOOSTED_COLOUR, "organic": ORGANIC_COLOUR}
    return (
        alt.Chart(long, title=words("title_traffic", lang))
        .mark_bar()
        .encode(
            y=alt.Y(
                "tab:N", title=words("tab", lang), sort=[words(t, lang) for t in ("recommend", "follow", "friends")]
            ),
            # SI-suffixed ticks (1.2M) keep the axis legible at report width.
            x=alt.X(
                "impressions:Q", stack="zero", title=words("impressions", lang), axis=alt.Axis(format="~s", tickCount=5)
            ),
            color=alt.Color("kind:N", title=words("traffic_kind", lang), scale=colour_scale(colours, lang)),
            row=alt.Row("enrolled:N", title=None, sort=[words("enrolled", lang), words("not_enrolled", lang)]),
            tooltip=["enrolled:N", "tab:N", "kind:N", "impressions:Q"],
        )
        .properties(height=90)
    )


def posting_quota_use(quota_use: pl.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """Videos per posting account-day by fan tier, with a tick at the tier's quota.

    Frame: posting_quota_use.
    """
    base = alt.Chart(quota_use).encode(
        x=alt.X(
            "fan_tier:N",
            title=words("fan_tier", lang),
            sort=quota_use["fan_tier"].to_list(),
            axis=alt.Axis(labelAngle=0),
        ),
    )
    bars = base.mark_bar(color=CHANNEL_COLOURS["short_video"]).encode(
        y=alt.Y("videos_per_account_day:Q", title=words("videos_per_account_day", lang)),
        tooltip=["fan_tier:N", "videos_per_account_day:Q", alt.Tooltip("share_at_full_quota:Q", format=".1%")],
    )
    ticks = base.mark_tick(color=CHANNEL_COLOURS["live"], thickness=2, size=40).encode(
        y="quota:Q", tooltip=[alt.Tooltip("quota:Q", title=words("quota", lang))]
    )
    return alt.layer(bars, ticks, title=words("title_quota", lang))


def growth_card_distribution(distribution: pl.DataFrame, lang: str = "zh") -> alt.Chart:
    """Accounts per growth-card points bucket, low to high (frame: growth_card_distribution)."""
    labelled = distribution.with_columns(
        pl.when(pl.col("bucket") == "at cap")
        .then(pl.lit(words("at_cap", lang)))
        .otherwise(pl.col("bucket"))
        .alias("bucket")
    )
    return (
        alt.Chart(labelled, title=words("title_growth_card", lang))
        .mark_bar(color=CHANNEL_COLOURS["short_video"])
        .encode(
            x=alt.X("bucket:N", title=words("bucket", lang), sort=alt.EncodingSortField("bucket_order")),
            y=alt.Y("accounts:Q", title=words("accounts", lang)),
            tooltip=["bucket:N", "accounts:Q", alt.Tooltip("points:Q", title=words("points", lang), format=",.0f")],
        )
    )
