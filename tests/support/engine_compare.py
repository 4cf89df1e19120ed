"""The arguments each KPI is run with when two engines are compared, and the comparison (workbench.engine.compare)."""

from __future__ import annotations

from datetime import date

from workbench import kpi
from workbench.engine.compare import differences

__all__ = ["EXTRA", "arguments", "differences"]

# Parameters besides the window, as the insights pass them.
EXTRA: dict[str, dict[str, object]] = {
    "settled_at_age": {"age": 10},
    "lift_accounts": {"min_controls": 5},
    "nowcast_open": {"cutoff_date": date(2026, 1, 10), "mature_days": 30},
    "nowcast_development": {"cutoff_date": date(2026, 1, 10), "mature_days": 30, "learn_days": 28},
}


def arguments(name: str, start: date, end: date) -> dict[str, object]:
    """`kpi.run` keywords for one KPI over start..end: the window parts it takes and its other parameters."""
    params = kpi.get(name).params
    window = {"start": start} if "start" in params else {}
    window |= {"end": end} if "end" in params else {}
    return {**window, **EXTRA.get(name, {})}
