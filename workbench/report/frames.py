"""The KPI frames one report reads, fetched once per report.

Every number on the page comes from one of these frames (queries/*.sql via
`OpenedSnapshot.kpi`); the sections only pick and format values, so a figure in
the report can always be reproduced with `workbench kpi NAME`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from workbench.kpi.opened import OpenedSnapshot
from workbench.report.params import ReportParams

# Frames a shop report leaves out: newcomer cohorts and posting-quota use describe
# accounts across every shop they post or sell for, so they have no per-shop form.
SHOP_OMITTED = ("cohorts", "quota")


@dataclass(frozen=True)
class ReportFrames:
    """KPI frames for the window, the 7 days before it and the baseline."""

    window: pl.DataFrame
    paid: pl.DataFrame
    paid_previous: pl.DataFrame
    paid_baseline: pl.DataFrame
    # Last week's settled GMV as it stood `settlement_age_days` after its end:
    # the same maturity as the window has at the cutoff.
    settled_previous_equal: pl.DataFrame
    settlement_age_days: int
    channels: pl.DataFrame
    previous: pl.DataFrame
    baseline: pl.DataFrame
    uptake: pl.DataFrame
    uptake_previous: pl.DataFrame
    card: pl.DataFrame
    settlement: pl.DataFrame
    category: pl.DataFrame
    daily: pl.DataFrame
    weekly: pl.DataFrame
    funnel: pl.DataFrame
    cohorts: pl.DataFrame
    traffic: pl.DataFrame
    quota: pl.DataFrame


def channel_paid_fen(frames: ReportFrames, channel: str) -> int:
    """Paid GMV of one channel in the window (0 when it had no lines)."""
    row = frames.channels.filter(frames.channels["channel"] == channel)
    return int(row["paid_gmv_fen"][0]) if row.height else 0


def load_frames(snapshot: OpenedSnapshot, params: ReportParams) -> ReportFrames:
    """Run every KPI the report shows; "last week" is the 7 days before the window.

    The window's settlement age is the number of days from its end to the
    snapshot's last full day; last week is read at that same age.
    """
    config = snapshot.config
    start, end = params.start, params.end
    week_ago = timedelta(days=7)
    age = (params.manifest.last_full_day - end).days
    # A shop report passes its shop to every KPI; the two that cannot be scoped are not run (SHOP_OMITTED).
    s = {"shop": params.shop} if params.shop else {}
    whole = not params.shop
    return ReportFrames(
        window=snapshot.kpi("short_video_share", start, end, **s),
        paid=snapshot.kpi("paid_share", start, end, **s),
        paid_previous=snapshot.kpi("paid_share", start - week_ago, end - week_ago, **s),
        paid_baseline=snapshot.kpi("paid_share", config.baseline_start, config.baseline_end, **s),
        settled_previous_equal=snapshot.kpi("settled_at_age", start - week_ago, end - week_ago, age=age, **s),
        settlement_age_days=age,
        channels=snapshot.kpi("channel_mix", start, end, **s),
        previous=snapshot.kpi("short_video_share", start - week_ago, end - week_ago, **s),
        baseline=snapshot.kpi("short_video_share", config.baseline_start, config.baseline_end, **s),
        uptake=snapshot.kpi("newcomer_uptake", end=end, **s),
        uptake_previous=snapshot.kpi("newcomer_uptake", end=end - week_ago, **s),
        card=snapshot.kpi("growth_card_summary", end=end, **s),
        settlement=snapshot.kpi("settlement_progress", start, end, **s),
        category=snapshot.kpi("category_vs_baseline", start, end, **s),
        daily=snapshot.kpi("daily_trend", config.campaign_start, max(end, config.campaign_start), **s),
        weekly=snapshot.kpi("weekly_trend", end=end, **s),
        funnel=snapshot.kpi("eligibility_funnel", end=end, **s),
        cohorts=snapshot.kpi("newcomer_cohorts", end=end) if whole else pl.DataFrame(),
        traffic=snapshot.kpi("traffic_by_tab", start, end, **s),
        quota=snapshot.kpi("posting_quota_use", start, end) if whole else pl.DataFrame(),
    )
