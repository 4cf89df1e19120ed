"""Running one KPI query with its parameters bound.

The query's header (workbench.kpi.registry) says what it takes; the values
come from the caller's window, the header's defaults and the campaign rules
of `CampaignConfig.sql_params()`. Only the parameters the SQL names are
bound, so each query states exactly what it depends on, and the result's
columns are checked against the header so the metric dictionary cannot lie.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.errors import WorkbenchError
from workbench.kpi.registry import get


def run(
    con: duckdb.DuckDBPyConnection,
    name: str,
    start: date | None = None,
    end: date | None = None,
    config: CampaignConfig = DEFAULT,
    **extra: object,
) -> pl.DataFrame:
    """Run a KPI on a connection made by `workbench.snapshot.read.connect`.

    `start`/`end` are Asia/Shanghai dates, both inclusive.
    """
    kpi = get(name)
    if start is not None and end is not None and end < start:
        raise WorkbenchError(f"end {end} is before start {start}; give a window with start <= end")
    available: dict[str, object] = {**config.sql_params(), **kpi.defaults, "start": start, "end": end, **extra}
    missing = [p for p in kpi.bound_names if available.get(p) is None]
    if missing:
        raise WorkbenchError(f"KPI {name} needs parameter(s) {', '.join(missing)}")
    params = {p: available[p] for p in kpi.bound_names}
    frame = con.sql(kpi.sql, params=params).pl()
    if tuple(frame.columns) != kpi.columns:
        raise WorkbenchError(f"{kpi.path}: query returned columns {frame.columns}, header says {list(kpi.columns)}", 1)
    return frame
