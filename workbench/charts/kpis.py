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

from workbench import text
from workbench.charts.theme import (
    BOOSTED_COLOUR,
    CATEGORY_COLOURS,
    CHANNEL_COLOURS,
    FOCUS_FALLBACK_COLOUR,
    MUTED,
    ORGANIC_COLOUR,
    SETTLING_COLOUR,
    SETTLING_SHARE,
    VIDEO,
    colour_scale,
    day_axis,
    days_as_text,
    money_axis,
    money_text,
    words,
)
from workbench.config import DEFAULT
from workbench.formatting import format_count, format_share

# A paid/settled legend draws line samples, not dots.
DASH_LEGEND = alt.Legend(symbolType="stroke", symbolStrokeColor=MUTED, symbolStrokeWidth=2, symbolSize=300)
# Newcomer cohorts smaller than this are not drawn (cohort_curves).
MIN_COHORT = 20

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


def _settling_band(frame: pl.DataFrame, x_field: str, lang: str, half: str | None) -> alt.LayerChart | None:
    """Shade the rows still settling (unsettled_share above SETTLING_SHARE) and label the first one 结算中.

    `half` widens a temporal x by half a step each side (a day's point sits
    at its midnight); None shades a band (ordinal) x as it is.
    """
    rows = frame.filter(pl.col("unsettled_share") > SETTLING_SHARE).select(x_field)
    if rows.is_empty():
        return None
    if half is None:
        x = alt.X(f"{x_field}:O")
        shade = alt.Chart(rows).mark_rect(color=SETTLING_COLOUR).encode(x=x)
        label = alt.Chart(rows.head(1)).mark_text(align="left", baseline="top", dx=2, dy=2, color="#B25E00")
        label = label.encode(x=alt.X(f"{x_field}:O", bandPosition=0), y=alt.value(0))
    else:
        offset = pl.duration(hours=int(half))
        bounds = rows.with_columns(
            (pl.col(x_field).cast(pl.Datetime) - offset).dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("from"),
            (pl.col(x_field).cast(pl.Datetime) + offset).dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("to"),
        )
        # UTC like day_axis: no local time may enter the drawing.
        utc = alt.Scale(type="utc")
        shade = alt.Chart(bounds).mark_rect(color=SETTLING_COLOUR).encode(x=alt.X("from:T", scale=utc), x2="to:T")
        label = alt.Chart(bounds.head(1)).mark_text(align="left", baseline="top", dx=2, dy=2, color="#B25E00")
        label = label.encode(x=alt.X("from:T", scale=utc), y=alt.value(0))
    label = label.encode(text=alt.value(words("settling", lang)))
    note = alt.value(words("settling_note", lang))
    return alt.layer(shade.encode(tooltip=note, description=note), label)


def daily_gmv(daily_trend: pl.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """Paid (dashed) and settled (solid) GMV per day, short video against live, settling days shaded.

    Frame: daily_trend. Paid GMV is final the day after; settled GMV of recent
    days is still growing, so those days are shaded and labelled (结算中)
    instead of looking like a collapse.
    """
    measures = {
        "paid": ("short_video_paid_gmv_fen", "live_paid_gmv_fen"),
        "settled": ("short_video_settled_gmv_fen", "live_settled_gmv_fen"),
    }
    long = pl.concat(
        [
            daily_trend.select(
                "date",
                pl.lit(channel).alias("channel"),
                pl.lit(measure).alias("measure"),
                pl.col(column).alias("fen"),
            )
            for measure, columns in measures.items()
            for channel, column in zip(("short_video", "live"), columns, strict=True)
        ]
    ).with_columns((pl.col("fen") / 100).alias("yuan"))
    long = _labelled(
        _labelled(days_as_text(long, "date").with_columns(money_text("fen", lang)), "channel", lang), "measure", lang
    )
    dashes = alt.Scale(domain=[words("settled", lang), words("paid", lang)], range=[[1, 0], [5, 3]])
    base = alt.Chart(long).encode(
        x=day_axis("date", words("date", lang)),
        y=alt.Y("yuan:Q", axis=money_axis(lang, words("gmv_yuan", lang))),
        color=alt.Color("channel:N", title=words("channel", lang), scale=colour_scale(CHANNEL_COLOURS, lang)),
        tooltip=[
            alt.Tooltip("date:N", title=words("date", lang)),
            alt.Tooltip("channel:N", title=words("channel", lang)),
            alt.Tooltip("measure:N", title=words("measure", lang)),
            alt.Tooltip("text:N", title=words("gmv", lang)),
        ],
    )
    # Points in their own layer: a point overlay on the line would blank the dash legend's samples.
    lines = alt.layer(
        base.mark_line().encode(
            strokeDash=alt.StrokeDash("measure:N", title=words("measure", lang), scale=dashes, legend=DASH_LEGEND),
            detail="measure:N",
        ),
        base.mark_point(filled=True, size=14, opacity=1),
    )
    band = _settling_band(daily_trend, "date", lang, half="12")
    layers = [band, lines] if band is not None else [lines]
    return alt.layer(*layers, title=words("title_daily_gmv", lang))


def share_trend(trend: pl.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """The short-video share of paid (dashed) and settled (solid) GMV by campaign week, baseline as a rule.

    Frame: weekly_trend. Weeks still settling are shaded: their settled share
    is not final yet, their paid share is.
    """
    weeks = trend.with_columns(
        pl.col("week")
        .map_elements(lambda w: text.t("chart.week_n", lang, week=w), return_dtype=pl.String)
        .alias("label")
    )
    order = weeks["label"].to_list()
    long = pl.concat(
        [
            weeks.select(
                "label",
                pl.lit(measure).alias("measure"),
                pl.col(column).alias("share"),
                pl.col(baseline).alias("baseline"),
            )
            for measure, column, baseline in (
                ("paid", "paid_share", "baseline_paid_share"),
                ("settled", "short_video_share", "baseline_share"),
            )
        ]
    ).with_columns(
        pl.col("share").map_elements(format_share, return_dtype=pl.String).alias("text"),
        pl.col("baseline").map_elements(format_share, return_dtype=pl.String).alias("baseline_text"),
    )
    long = _labelled(long, "measure", lang)
    dashes = alt.StrokeDash(
        "measure:N",
        title=words("measure", lang),
        scale=alt.Scale(domain=[words("settled", lang), words("paid", lang)], range=[[1, 0], [5, 3]]),
        legend=DASH_LEGEND,
    )
    x = alt.X("label:O", title=None, sort=order, scale=alt.Scale(domain=order))
    base = alt.Chart(long).encode(
        x=x,
        y=alt.Y("share:Q", axis=alt.Axis(format="%", title=words("short_video_share", lang))),
        tooltip=[
            alt.Tooltip("label:N", title=words("week", lang)),
            alt.Tooltip("measure:N", title=words("measure", lang)),
            alt.Tooltip("text:N", title=words("short_video_share", lang)),
        ],
    )
    line = alt.layer(
        base.mark_line(color=VIDEO).encode(strokeDash=dashes),
        base.mark_point(filled=True, size=30, color=VIDEO, opacity=1),
    )
    rule = (
        alt.Chart(long)
        .mark_rule(color=MUTED)
        .encode(
            y="mean(baseline):Q",
            strokeDash=dashes,
            tooltip=[alt.Tooltip("measure:N", title=words("baseline", lang)), alt.Tooltip("min(baseline_text):N")],
        )
        .transform_filter(alt.datum.baseline != None)  # noqa: E711 - a Vega expression, not Python
    )
    label = (
        alt.Chart(long.filter(pl.col("measure") == words("settled", lang)).head(1))
        .mark_text(align="left", dx=2, dy=-6, color=MUTED)
        .encode(y="baseline:Q", text=alt.value(words("baseline", lang)), x=alt.value(0))
    )
    band = _settling_band(weeks.rename({"label": "week_label"}), "week_label", lang, half=None)
    layers = [band, line, rule, label] if band is not None else [line, rule, label]
    return alt.layer(*layers, title=words("title_share_trend", lang))


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
    """One cumulative share-selling curve per enrolment week, its size in the legend (frame: newcomer_cohorts).

    A cohort of fewer than MIN_COHORT accounts is left out: one account more
    or less would move its curve by several points, which reads as a trend.
    """
    shown = newcomer_cohorts.filter(pl.col("cohort_size") >= MIN_COHORT).with_columns(
        pl.struct("cohort_week", "cohort_size")
        .map_elements(
            lambda r: text.t("chart.cohort_n", lang, week=r["cohort_week"], size=format_count(r["cohort_size"], lang)),
            return_dtype=pl.String,
        )
        .alias("cohort"),
        pl.col("cumulative_share_selling").map_elements(format_share, return_dtype=pl.String).alias("text"),
    )
    return (
        alt.Chart(shown, title=words("title_cohorts", lang))
        .mark_line(point=alt.OverlayMarkDef(size=10))
        .encode(
            x=alt.X("days_since_enrollment:Q", title=words("days_since_enrollment", lang)),
            y=alt.Y(
                "cumulative_share_selling:Q", title=words("cumulative_share_selling", lang), axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "cohort:N",
                title=text.t("chart.cohort_legend", lang, min=MIN_COHORT),
                sort=shown.sort("cohort_week")["cohort"].unique(maintain_order=True).to_list(),
            ),
            tooltip=[
                alt.Tooltip("cohort:N", title=words("cohort_week", lang)),
                alt.Tooltip("days_since_enrollment:Q", title=words("days_since_enrollment", lang)),
                alt.Tooltip("text:N", title=words("cumulative_share_selling", lang)),
            ],
        )
    )


def category_mix(
    category_vs_baseline: pl.DataFrame, lang: str = "zh", focus: tuple[str, ...] = DEFAULT.focus_categories
) -> alt.Chart:
    """Stacked shares of paid GMV of the focus categories (food and home unless told) and the
    rest per channel, this period against the baseline.

    Frame: category_vs_baseline (paid_share_within_channel and baseline_paid_share). Paid
    shares are final when the week ends; settled ones of a recent week rest on the
    few lines settled so far.
    """
    grouped = (
        category_vs_baseline.with_columns(
            pl.when(pl.col("category").is_in(list(focus)))
            .then(pl.col("category"))
            .otherwise(pl.lit("rest"))
            .alias("group")
        )
        .select("channel", "group", window="paid_share_within_channel", baseline="baseline_paid_share")
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
            x=alt.X("share:Q", stack="zero", title=words("paid_share_within_channel", lang), axis=alt.Axis(format="%")),
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
