"""The house chart style and one chart helper per analysts' KPI frame.

Importing this module registers and enables the `workbench` Altair theme, so
every chart in a notebook or report shares one look: a CJK font stack that
renders on macOS, Windows and Linux, short video in WeChat green and live in
red wherever they appear, and food and home (the categories the campaign
watches) in fixed colours against a grey rest. Labels are Chinese first
(`lang="zh"`) with an English variant (`lang="en"`) from the same table, so
a report in either language shows the same charts.

Helpers take the Polars frame a KPI returns (documented in its
`queries/*.sql` header), reshape it only for display (long form, fen to
yuan, enum labels) and return an `alt.Chart`; they compute no KPI.
"""

from __future__ import annotations

from typing import Literal

import altair as alt
import polars as pl

from workbench.contract import LABELS_ZH

Lang = Literal["zh", "en"]

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
CHANNEL_COLOURS = {"short_video": "#07C160", "live": "#FA5151"}
CATEGORY_COLOURS = {"food": "#FA9D3B", "home": "#10AEFF", "rest": "#C7C7CC"}
# The categories the short-video format is said to fit best, set against the rest by default.
FOCUS = ("food", "home")
FOCUS_FALLBACK_COLOUR = "#6467F0"  # any other category a report focuses on
BASELINE_COLOUR = "#888888"
BOOSTED_COLOUR = "#07C160"
ORGANIC_COLOUR = "#B2E9C9"

# Display text beyond the contract's enum labels: key -> (zh, en).
TEXT: dict[str, tuple[str, str]] = {
    "date": ("日期", "Date"),
    "week": ("活动周", "Campaign week"),
    "channel": ("渠道", "Channel"),
    "settled_gmv_yuan": ("结算GMV（元）", "Settled GMV (yuan)"),
    "short_video_share": ("短视频占比（短视频+直播）", "Short-video share (of video + live)"),
    "baseline": ("基线", "Baseline"),
    "window": ("本期", "This period"),
    "stage": ("阶段", "Stage"),
    "accounts": ("账号数", "Accounts"),
    "accounts_all": ("全部账号", "All accounts"),
    "meets_fans_or_self_operated": ("粉丝达标或自营", "Fans or self-operated"),
    "eligible": ("符合资格", "Eligible"),
    "enrolled": ("已报名", "Enrolled"),
    "not_enrolled": ("未报名", "Not enrolled"),
    "posted_campaign_video": ("发布带货视频", "Posted a video"),
    "sold_short_video": ("短视频出单", "Sold via video"),
    "days_since_enrollment": ("报名后天数", "Days since enrolment"),
    "cumulative_share_selling": ("累计出单比例", "Share selling (cumulative)"),
    "cohort_week": ("报名周", "Enrolment week"),
    "share_within_channel": ("渠道内占比", "Share within channel"),
    "category": ("品类", "Category"),
    "rest": ("其他品类", "Other categories"),
    "tab": ("频道", "Feed tab"),
    "impressions": ("曝光量", "Impressions"),
    "traffic_kind": ("流量类型", "Traffic"),
    "boosted": ("活动加推", "Campaign boost"),
    "organic": ("自然流量", "Organic"),
    "fan_tier": ("粉丝档位", "Fan tier"),
    "videos_per_account_day": ("日均发布数（有发布的账号日）", "Videos per posting account-day"),
    "quota": ("每日配额", "Daily quota"),
    "bucket": ("积分区间", "Points bucket"),
    "points": ("积分", "Points"),
    "title_daily_gmv": ("每日结算GMV：短视频与直播", "Daily settled GMV: short video vs live"),
    "title_share_trend": ("短视频占比与基线", "Short-video share against the baseline"),
    "title_funnel": ("带货者资格与参与漏斗", "Promoter eligibility and participation"),
    "title_cohorts": ("新手报名后累计出单比例", "Newcomers selling, by days since enrolment"),
    "title_category": ("品类结构：重点品类与其他", "Category mix: focus categories against the rest"),
    "title_traffic": ("分频道曝光与活动加推", "Impressions by feed tab, with the campaign boost"),
    "title_quota": ("发布配额使用", "Posting quota use"),
    "title_growth_card": ("成长卡积分分布", "Growth-card points per account"),
}

FUNNEL_STAGES = ("accounts", "meets_fans_or_self_operated", "eligible", "enrolled", "posted_campaign_video",
                 "sold_short_video")


@alt.theme.register("workbench", enable=True)
def workbench_theme() -> alt.theme.ThemeConfig:
    """The house style: CJK fonts, quiet axes, WeChat colours."""
    return {
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 16, "anchor": "start", "color": "#191919"},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12,
                     "gridColor": "#EDEDED", "domainColor": "#B2B2B2", "tickColor": "#B2B2B2"},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12,
                       "orient": "bottom"},
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12},
            "text": {"font": FONT},
            "range": {"category": ["#07C160", "#10AEFF", "#FA9D3B", "#FA5151", "#6467F0", "#C7C7CC"]},
            "view": {"stroke": None},
        },
        "width": 560,
        "height": 260,
    }


def text(key: str, lang: Lang = "zh") -> str:
    """Display text for a chart key or enum value, Chinese first."""
    if key in TEXT:
        return TEXT[key][0 if lang == "zh" else 1]
    return LABELS_ZH.get(key, key) if lang == "zh" else key.replace("_", " ")


def _scale(colours: dict[str, str], lang: Lang) -> alt.Scale:
    """A colour scale that pins each key's colour to its displayed label."""
    return alt.Scale(domain=[text(k, lang) for k in colours], range=list(colours.values()))


def _labelled(frame: pl.DataFrame, column: str, lang: Lang) -> pl.DataFrame:
    """Replace an enum column by its display labels."""
    labels = {v: text(v, lang) for v in frame[column].unique().to_list()}
    return frame.with_columns(pl.col(column).replace_strict(labels, return_dtype=pl.String))


def daily_gmv(daily_trend: pl.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Lines of settled GMV per day, short video against live (frame: daily_trend)."""
    long = daily_trend.select(
        "date",
        (pl.col("short_video_settled_gmv_fen") / 100).alias("short_video"),
        (pl.col("live_settled_gmv_fen") / 100).alias("live"),
    ).unpivot(index="date", variable_name="channel", value_name="yuan")
    return alt.Chart(_labelled(long, "channel", lang), title=text("title_daily_gmv", lang)).mark_line(point=True).encode(
        x=alt.X("date:T", title=text("date", lang), axis=alt.Axis(format="%m-%d")),
        y=alt.Y("yuan:Q", title=text("settled_gmv_yuan", lang)),
        color=alt.Color("channel:N", title=text("channel", lang), scale=_scale(CHANNEL_COLOURS, lang)),
    )


def share_trend(trend: pl.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """The short-video share over time with a rule at the baseline share.

    Takes daily_trend (by date) or weekly_trend (by week start).
    """
    x_field = "date" if "date" in trend.columns else "week_start"
    x_title = text("date" if x_field == "date" else "week", lang)
    base = alt.Chart(trend.select(x_field, "short_video_share", "baseline_share"))
    line = base.mark_line(
        point=alt.OverlayMarkDef(color=CHANNEL_COLOURS["short_video"]), color=CHANNEL_COLOURS["short_video"]
    ).encode(
        x=alt.X(f"{x_field}:T", title=x_title, axis=alt.Axis(format="%m-%d")),
        y=alt.Y("short_video_share:Q", title=text("short_video_share", lang), axis=alt.Axis(format="%")),
    )
    rule = base.mark_rule(color=BASELINE_COLOUR, strokeDash=[6, 4]).encode(y="mean(baseline_share):Q")
    label = base.mark_text(align="left", dx=4, dy=-6, color=BASELINE_COLOUR).encode(
        y="mean(baseline_share):Q", text=alt.value(text("baseline", lang)), x=alt.value(0)
    )
    return alt.layer(line, rule, label, title=text("title_share_trend", lang))


def funnel(eligibility_funnel: pl.DataFrame, lang: Lang = "zh", segment: str = "all") -> alt.Chart:
    """Horizontal bars from all accounts down to those selling (frame: eligibility_funnel)."""
    row = eligibility_funnel.filter(pl.col("segment") == segment)
    long = pl.DataFrame({
        "stage": [text("accounts_all" if s == "accounts" else s, lang) for s in FUNNEL_STAGES],
        "order": list(range(len(FUNNEL_STAGES))),
        "accounts": [int(row[s].sum()) for s in FUNNEL_STAGES],
    })
    return alt.Chart(long, title=text("title_funnel", lang)).mark_bar(color=CHANNEL_COLOURS["short_video"]).encode(
        y=alt.Y("stage:N", title=None, sort=alt.EncodingSortField("order")),
        x=alt.X("accounts:Q", title=text("accounts", lang)),
        tooltip=["stage:N", "accounts:Q"],
    )


def cohort_curves(newcomer_cohorts: pl.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """One cumulative share-selling curve per enrolment week (frame: newcomer_cohorts)."""
    return alt.Chart(newcomer_cohorts, title=text("title_cohorts", lang)).mark_line().encode(
        x=alt.X("days_since_enrollment:Q", title=text("days_since_enrollment", lang)),
        y=alt.Y("cumulative_share_selling:Q", title=text("cumulative_share_selling", lang), axis=alt.Axis(format="%")),
        color=alt.Color("cohort_week:N", title=text("cohort_week", lang)),
    )


def category_mix(category_vs_baseline: pl.DataFrame, lang: Lang = "zh", focus: tuple[str, ...] = FOCUS) -> alt.Chart:
    """Stacked shares of the focus categories (food and home unless told) and the rest per
    channel, this period against the baseline.

    Frame: category_vs_baseline (share_within_channel and baseline_share).
    """
    grouped = (
        category_vs_baseline.with_columns(
            pl.when(pl.col("category").is_in(list(focus))).then(pl.col("category")).otherwise(pl.lit("rest"))
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
        pl.col("group").replace_strict({c: i for i, c in enumerate((*focus, "rest"))}, return_dtype=pl.Int64).alias("order"),
    )
    colours = {c: CATEGORY_COLOURS.get(c, FOCUS_FALLBACK_COLOUR) for c in (*focus, "rest")}
    return alt.Chart(_labelled(grouped, "group", lang), title=text("title_category", lang)).mark_bar().encode(
        y=alt.Y("bar:N", title=None, sort=grouped["bar"].unique(maintain_order=True).to_list()),
        x=alt.X("share:Q", stack="zero", title=text("share_within_channel", lang), axis=alt.Axis(format="%")),
        color=alt.Color("group:N", title=text("category", lang), scale=_scale(colours, lang)),
        order="order:Q",
        tooltip=["bar:N", "group:N", alt.Tooltip("share:Q", format=".1%")],
    )


def traffic_by_tab(traffic: pl.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Impressions per feed tab, split into boosted and organic, enrolled accounts on top.

    Frame: traffic_by_tab.
    """
    long = (
        traffic.select(
            "enrolled", "tab", pl.col("boosted_impressions").alias("boosted"),
            (pl.col("impressions") - pl.col("boosted_impressions")).alias("organic"),
        )
        .unpivot(index=["enrolled", "tab"], on=["boosted", "organic"], variable_name="kind", value_name="impressions")
        .with_columns(pl.when(pl.col("enrolled")).then(pl.lit("enrolled")).otherwise(pl.lit("not_enrolled"))
                      .alias("enrolled"))
    )
    long = _labelled(_labelled(_labelled(long, "kind", lang), "tab", lang), "enrolled", lang)
    colours = {"boosted": BOOSTED_COLOUR, "organic": ORGANIC_COLOUR}
    return alt.Chart(long, title=text("title_traffic", lang)).mark_bar().encode(
        y=alt.Y("tab:N", title=text("tab", lang), sort=[text(t, lang) for t in ("recommend", "follow", "friends")]),
        # SI-suffixed ticks (1.2M) keep the axis legible at report width.
        x=alt.X("impressions:Q", stack="zero", title=text("impressions", lang), axis=alt.Axis(format="~s", tickCount=5)),
        color=alt.Color("kind:N", title=text("traffic_kind", lang), scale=_scale(colours, lang)),
        row=alt.Row("enrolled:N", title=None, sort=[text("enrolled", lang), text("not_enrolled", lang)]),
        tooltip=["enrolled:N", "tab:N", "kind:N", "impressions:Q"],
    ).properties(height=90)


def posting_quota_use(quota_use: pl.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Videos per posting account-day by fan tier, with a tick at the tier's quota.

    Frame: posting_quota_use.
    """
    base = alt.Chart(quota_use).encode(
        x=alt.X("fan_tier:N", title=text("fan_tier", lang), sort=quota_use["fan_tier"].to_list(),
                axis=alt.Axis(labelAngle=0)),
    )
    bars = base.mark_bar(color=CHANNEL_COLOURS["short_video"]).encode(
        y=alt.Y("videos_per_account_day:Q", title=text("videos_per_account_day", lang)),
        tooltip=["fan_tier:N", "videos_per_account_day:Q", alt.Tooltip("share_at_full_quota:Q", format=".1%")],
    )
    ticks = base.mark_tick(color=CHANNEL_COLOURS["live"], thickness=2, size=40).encode(
        y="quota:Q", tooltip=[alt.Tooltip("quota:Q", title=text("quota", lang))]
    )
    return alt.layer(bars, ticks, title=text("title_quota", lang))


def growth_card_distribution(distribution: pl.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Accounts per growth-card points bucket, low to high (frame: growth_card_distribution)."""
    labelled = distribution.with_columns(
        pl.when(pl.col("bucket") == "at cap").then(pl.lit("封顶" if lang == "zh" else "at cap"))
        .otherwise(pl.col("bucket")).alias("bucket")
    )
    return alt.Chart(labelled, title=text("title_growth_card", lang)).mark_bar(color=CHANNEL_COLOURS["short_video"]).encode(
        x=alt.X("bucket:N", title=text("bucket", lang), sort=alt.EncodingSortField("bucket_order")),
        y=alt.Y("accounts:Q", title=text("accounts", lang)),
        tooltip=["bucket:N", "accounts:Q", alt.Tooltip("points:Q", title=text("points", lang), format=",.0f")],
    )
