"""When a snapshot's knowledge ends, in Asia/Shanghai days.

Restatement, nowcast and lift all reason about how old an order is at the
snapshot's cutoff, so they share one reading of the manifest's `cutoff`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from workbench.config import TIMEZONE
from workbench.errors import WorkbenchError

_ZONE = ZoneInfo(TIMEZONE)


def cutoff_instant(manifest: dict[str, Any]) -> datetime:
    """The manifest's `cutoff` as an aware datetime in Asia/Shanghai."""
    text = manifest.get("cutoff")
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise WorkbenchError(f"manifest cutoff {text!r} is not an ISO timestamp such as 2025-12-07T23:59:59+08:00") from None
    if moment.tzinfo is None:
        raise WorkbenchError(f"manifest cutoff {text!r} has no UTC offset; write it as e.g. 2025-12-07T23:59:59+08:00")
    return moment.astimezone(_ZONE)


def cutoff_date(manifest: dict[str, Any]) -> date:
    """The Asia/Shanghai calendar day the cutoff falls on."""
    return cutoff_instant(manifest).date()


def last_full_day(manifest: dict[str, Any]) -> date:
    """The last Asia/Shanghai day wholly before the cutoff (the cutoff day itself when it ends at 23:59:59)."""
    return (cutoff_instant(manifest) + timedelta(seconds=1)).date() - timedelta(days=1)
