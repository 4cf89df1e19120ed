"""Dates as users type them, and the campaign's weeks."""

from __future__ import annotations

from datetime import date, timedelta

from workbench.config import DEFAULT, CampaignConfig
from workbench.errors import WorkbenchError


def parse_date(text: str, what: str = "date") -> date:
    """YYYY-MM-DD -> date, or an error that shows the expected form."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WorkbenchError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-11-22") from None


def campaign_week(week: int, config: CampaignConfig = DEFAULT) -> tuple[date, date]:
    """Campaign week 1..6: 7-day windows from the campaign start, the last clipped at its end."""
    weeks = campaign_week_count(config)
    if not 1 <= week <= weeks:
        raise WorkbenchError(f"week {week} is outside the campaign; weeks are 1 to {weeks}")
    start = config.campaign_start + timedelta(days=7 * (week - 1))
    return start, min(start + timedelta(days=6), config.campaign_end)


def campaign_week_count(config: CampaignConfig = DEFAULT) -> int:
    """How many (possibly partial) 7-day weeks the campaign has."""
    return -(-config.campaign_days // 7)


def complete_weeks(last_full_day: date, config: CampaignConfig = DEFAULT) -> list[int]:
    """Campaign weeks whose last day is on or before `last_full_day` (a snapshot's last wholly known day)."""
    return [w for w in range(1, campaign_week_count(config) + 1) if campaign_week(w, config)[1] <= last_full_day]
