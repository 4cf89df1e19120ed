"""Did enrolment cause the short-video growth? A stratified ratio DiD.

The aggregations (eligible accounts, their strata, daily short-video paid
GMV) come from `queries/lift_accounts.sql` and `queries/lift_daily.sql`;
this module lays them out as an account x day matrix and hands it to the
estimators in `workbench.insights.stats`. The method, its assumptions and
when not to trust it are in docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from workbench.insights import stats
from workbench.insights.unavailable import MethodUnavailable
from workbench.kpi.opened import OpenedSnapshot

MIN_CONTROLS = 5
BOOTSTRAP_REPS = 400


@dataclass(frozen=True)
class Lift:
    """The estimate (one-row `summary`) and the weekly event study (`weeks`)."""

    summary: pl.DataFrame
    weeks: pl.DataFrame


def analysis_end(snap: OpenedSnapshot) -> date:
    """Last day of the analysis: the cutoff's last full day, at most the campaign end."""
    end = min(snap.manifest.last_full_day, snap.config.campaign_end)
    if end < snap.config.campaign_start:
        raise MethodUnavailable(
            f"snapshot {snap.date} ends before the campaign starts ({snap.config.campaign_start}); "
            "the lift needs campaign days: use a snapshot with a later cutoff",
            "lift_before_campaign",
            campaign_start=snap.config.campaign_start,
        )
    return end


def _inputs(snap: OpenedSnapshot, end: date) -> tuple[stats.DidInputs, list[date]]:
    """The DiD arrays: one row per eligible account, one column per day from the baseline start to end."""
    cfg = snap.config
    accounts = snap.kpi("lift_accounts", end=end, min_controls=MIN_CONTROLS)
    # lift_daily covers every eligible account; the inner join keeps those with a baseline to compare
    # against and gives each sale its account's row (a frame join: the rows are hundreds of thousands).
    rows_of = accounts.select("account_id").with_row_index("row")
    daily = snap.kpi("lift_daily", end=end).join(rows_of, on="account_id", how="inner")
    days = [cfg.baseline_start + timedelta(days=k) for k in range((end - cfg.baseline_start).days + 1)]
    y = np.zeros((accounts.height, len(days)))
    rows = daily["row"].to_numpy().astype(int)
    cols = (daily["paid_date"] - cfg.baseline_start).dt.total_days().to_numpy().astype(int)
    y[rows, cols] = daily["video_paid_fen"].to_numpy().astype(float)
    enrolled = accounts["enrolled_date"].to_list()
    treated = np.array([e is not None for e in enrolled])
    start = np.array([(e - cfg.baseline_start).days if e is not None else 0 for e in enrolled], dtype=int)
    _, stratum = np.unique(accounts["stratum"].to_numpy(), return_inverse=True)
    pre = np.array([d <= cfg.baseline_end for d in days])
    if not treated.any() or treated.all():
        raise MethodUnavailable(
            f"snapshot {snap.date}: {int(treated.sum())} of {treated.size} eligible accounts enrolled by {end}; "
            "the lift needs both enrolled and non-enrolled eligible accounts",
            "lift_groups",
            enrolled=int(treated.sum()),
            eligible=int(treated.size),
            end=end,
        )
    post_from = (cfg.campaign_start - cfg.baseline_start).days
    return stats.DidInputs(y, treated, start, stratum.astype(int), pre, post_from), days


def estimate_lift(snap: OpenedSnapshot, reps: int = BOOTSTRAP_REPS, seed: int = 0) -> Lift:
    """Relative and absolute (fen per enrolled account-day) lift with 95% bootstrap intervals.

    Accounts are resampled with replacement within the enrolled and the
    control group separately (both group sizes stay fixed), `reps` times.
    """
    end = analysis_end(snap)
    inp, days = _inputs(snap, end)
    rng = np.random.default_rng(seed)
    weights = np.ones((reps, inp.treated.size))
    for group in (inp.treated, ~inp.treated):
        weights[:, group] = stats.resample_counts(rng, int(group.sum()), reps)
    point = stats.did_ratio(inp, np.ones(inp.treated.size))
    replicates = stats.did_ratio_each(inp, weights)
    rel_low, rel_high = stats.percentile_interval(np.array([r.relative for r in replicates]))
    abs_low, abs_high = stats.percentile_interval(np.array([r.per_day for r in replicates]))
    true_lift = snap.manifest.source_details.get("true_lift")
    summary = pl.DataFrame(
        {
            "relative_lift": [point.relative],
            "relative_low": [float(rel_low)],
            "relative_high": [float(rel_high)],
            "fen_per_day": [point.per_day],
            "fen_per_day_low": [float(abs_low)],
            "fen_per_day_high": [float(abs_high)],
            "naive_relative": [stats.naive_difference(inp)],
            "enrolled_accounts": [int(inp.treated.sum())],
            "control_accounts": [int((~inp.treated).sum())],
            "end": [end],
            "true_lift": [float(true_lift) if true_lift is not None else None],
        },
        schema_overrides={"true_lift": pl.Float64},
    )
    return Lift(summary, _event_weeks(snap, inp, days, weights))


def _event_weeks(snap: OpenedSnapshot, inp: stats.DidInputs, days: list[date], weights: np.ndarray) -> pl.DataFrame:
    """Per 7-day week aligned on the campaign start: relative gap and its interval."""
    start = snap.config.campaign_start
    offset = np.array([(d - start).days // 7 for d in days])
    week = offset - offset.min()
    weekly = inp.weekly(week)
    point = stats.event_study(inp, weekly, np.ones(inp.treated.size))
    low, high = stats.percentile_interval(stats.event_study_each(inp, weekly, weights))
    first = sorted(set(offset.tolist()))
    frame = pl.DataFrame(
        {
            "week_start": [start + timedelta(days=7 * k) for k in first],
            "campaign_week": [k + 1 if k >= 0 else k for k in first],
            "relative_gap": point,
            "low": low,
            "high": high,
        }
    )
    # A week whose counterfactual is zero has no relative gap: null, not NaN,
    # so readers see "no value" and charts can draw the other weeks.
    frame = frame.with_columns(pl.col("relative_gap", "low", "high").fill_nan(None))
    # A week cut by the baseline start is a day or two of noise, not a week.
    return frame.filter(pl.col("week_start") >= snap.config.baseline_start)
