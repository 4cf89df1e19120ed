"""Which days a KPI call covers, said the way people say it.

`week=N` (campaign week N), `start`/`end` (Asia/Shanghai dates, both
inclusive), or neither: the snapshot's latest complete campaign week, the
same week `workbench report --latest` renders. A KPI that counts from the
campaign start (`params: end`) takes the window's last day as its `end`
and refuses a `start` it would not use. Python (`s.kpi`) and the command
line (`workbench kpi`) both resolve windows here.
"""

from __future__ import annotations

from datetime import date

from workbench.config import CampaignConfig
from workbench.dates import campaign_week, campaign_week_count, complete_weeks
from workbench.errors import WorkbenchError
from workbench.kpi.registry import Kpi


def _week(kpi: Kpi, week: object, last_full_day: date, config: CampaignConfig) -> tuple[date, date]:
    if isinstance(week, bool) or not isinstance(week, int):
        raise WorkbenchError(f"week {week!r} is not a number; weeks are 1 to {campaign_week_count(config)}")
    first, last = campaign_week(week, config)
    if last > last_full_day:
        done = complete_weeks(last_full_day, config)
        latest = f"week {done[-1]} is the latest complete one, or " if done else ""
        raise WorkbenchError(
            f"week {week} ({first} to {last}) ends after {last_full_day}, the snapshot's last full day; "
            f"{latest}give start={first} and end={last_full_day} for the part it knows"
        )
    return first, last


def _latest_week(kpi: Kpi, last_full_day: date, config: CampaignConfig) -> tuple[date, date]:
    done = complete_weeks(last_full_day, config)
    if not done:
        raise WorkbenchError(
            f"{kpi.name}: no window given and the snapshot (last full day {last_full_day}) has no complete "
            f"campaign week yet (week 1 ends {campaign_week(1, config)[1]}); give start and end"
        )
    return campaign_week(done[-1], config)


def resolve(
    kpi: Kpi,
    last_full_day: date,
    config: CampaignConfig,
    *,
    week: object = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date | None, date | None]:
    """(start, end) to bind: None where the KPI does not take that parameter.

    Refuses (WorkbenchError) a week together with dates, a week the snapshot
    does not know in full, half a window, and a start the KPI would not use.
    """
    takes_start, takes_end = "start" in kpi.params, "end" in kpi.params
    if not takes_end and (week is not None or start is not None or end is not None):
        raise WorkbenchError(f"{kpi.name} takes no window (no week, start or end); it takes {', '.join(kpi.accepts)}")
    if start is not None and not takes_start:
        if "start" in kpi.ignores:
            raise WorkbenchError(
                f"{kpi.name} counts from the campaign start ({config.campaign_start}) to end, "
                f"so start={start} would not limit it; drop start (give end=... or week=N)"
            )
        raise WorkbenchError(f"{kpi.name} takes no start: it covers the campaign up to end; give end=... or week=N")
    if week is not None:
        if start is not None or end is not None:
            raise WorkbenchError("give either week=N or start/end, not both")
        first, last = _week(kpi, week, last_full_day, config)
    elif start is None and end is None:
        if not takes_end:
            return None, None
        first, last = _latest_week(kpi, last_full_day, config)
    else:
        if takes_start and (start is None or end is None):
            given = "start" if start is not None else "end"
            raise WorkbenchError(
                f"{kpi.name} needs both start and end (only {given} was given), "
                "or week=N, or neither for the latest complete week"
            )
        first, last = start, end
    return (first if takes_start else None), last
