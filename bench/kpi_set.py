"""What the benchmark runs: the contract KPIs, the weekly report's KPI calls, and each one's scan floor.

The report's calls mirror workbench/report/frames.py (window, the 7 days
before it, the baseline, cumulative KPIs at `end`), so "the report's whole
KPI set" here is what one weekly report asks of the snapshot. The floor of
a KPI is a DuckDB scan of just the order columns its raw-line formulation
reads, over the days it reads: nothing that reads those lines can be
faster, so a KPI's time over its floor says how much work beyond reading
it does (below 1 means it read less, through the roll-ups).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workbench.config import DEFAULT
from workbench.dates import campaign_week

# The report week the benchmark uses: week 4 (2025-12-13..19) of the campaign.
WEEK = 4
START, END = campaign_week(WEEK)

_WINDOW_COLUMNS = ("paid_at", "channel", "amount_fen", "refund_fen", "status")
_CATEGORY_COLUMNS = ("paid_at", "channel", "product_id", "amount_fen", "refund_fen", "status")
_ACCOUNT_COLUMNS = ("paid_at", "channel", "account_id", "amount_fen", "refund_fen", "status")


@dataclass(frozen=True)
class Call:
    """One KPI call: the name, its window, and the raw order lines it reads (days and columns)."""

    name: str
    start: date | None
    end: date
    reads: tuple[tuple[date, date], ...]
    columns: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name}({self.start or ''}..{self.end})"


def _cumulative(name: str, end: date) -> Call:
    """A KPI cumulative to `end` that reads the baseline and the campaign up to `end`."""
    campaign_end = min(end, DEFAULT.campaign_end)
    reads = ((DEFAULT.baseline_start, DEFAULT.baseline_end), (DEFAULT.campaign_start, campaign_end))
    return Call(name, None, end, reads, _ACCOUNT_COLUMNS)


def _window(name: str, start: date, end: date, columns: tuple[str, ...] = _WINDOW_COLUMNS) -> Call:
    return Call(name, start, end, ((start, end),), columns)


CONTRACT: tuple[Call, ...] = (
    _window("channel_mix", START, END),
    _window("short_video_share", START, END),
    _window("category_mix", START, END, _CATEGORY_COLUMNS),
    _cumulative("newcomer_uptake", END),
    _cumulative("growth_card", END),
)

_WEEK_AGO = timedelta(days=7)

# The contract KPI calls of one weekly report (workbench/report/frames.py);
# growth_card stands in for growth_card_summary, which summarises its rows.
REPORT_CONTRACT: tuple[Call, ...] = (
    _window("short_video_share", START, END),
    _window("channel_mix", START, END),
    _window("short_video_share", START - _WEEK_AGO, END - _WEEK_AGO),
    _window("short_video_share", DEFAULT.baseline_start, DEFAULT.baseline_end),
    _cumulative("newcomer_uptake", END),
    _cumulative("newcomer_uptake", END - _WEEK_AGO),
    _cumulative("growth_card", END),
)

# Every KPI call of one weekly report, in frames.py's order.
REPORT_ALL: tuple[tuple[str, date | None, date], ...] = (
    ("short_video_share", START, END),
    ("channel_mix", START, END),
    ("short_video_share", START - _WEEK_AGO, END - _WEEK_AGO),
    ("short_video_share", DEFAULT.baseline_start, DEFAULT.baseline_end),
    ("newcomer_uptake", None, END),
    ("newcomer_uptake", None, END - _WEEK_AGO),
    ("growth_card_summary", None, END),
    ("settlement_progress", START, END),
    ("category_vs_baseline", START, END),
    ("daily_trend", DEFAULT.campaign_start, END),
    ("weekly_trend", None, END),
    ("eligibility_funnel", None, END),
    ("newcomer_cohorts", None, END),
    ("traffic_by_tab", START, END),
    ("posting_quota_use", START, END),
)
