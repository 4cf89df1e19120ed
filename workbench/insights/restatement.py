"""How a week's numbers moved from snapshot to snapshot.

Settled GMV of a week keeps growing for weeks after the week ends, as its
orders settle; refunds pull other figures down. Running the same contract
KPIs for the same week on every snapshot taken since the week began shows
the value as first reported, at every later cutoff, and now. The KPIs are
the registry's own queries; this module only lines their results up.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from workbench import kpi
from workbench.dates import campaign_week
from workbench.kpi.opened import open_snapshot
from workbench.snapshot.store import list_snapshots

DEFAULT_KPIS = ("short_video_share", "channel_mix")
HEADLINE = "short_video_share.short_video_settled_gmv_fen"
SCHEMA = {"snapshot_date": pl.Date, "metric": pl.Utf8, "value": pl.Float64}


def _metrics(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A KPI result as (metric, value) rows: `kpi.column`, or `kpi.key.column` for keyed KPIs."""
    keys = list(kpi.get(name).order)
    values = [c for c in frame.columns if c not in keys and frame.schema[c].is_numeric()]
    prefix = pl.concat_str([pl.lit(name), *[pl.col(k).cast(pl.Utf8) for k in keys]], separator=".")
    return (
        frame.with_columns(pl.col(values).cast(pl.Float64), prefix=prefix)
        .unpivot(index="prefix", on=values, variable_name="column", value_name="value")
        .select(pl.concat_str(["prefix", "column"], separator=".").alias("metric"), "value")
    )


def restatement(
    week: int,
    snapshots_root: Path | None = None,
    kpis: tuple[str, ...] = DEFAULT_KPIS,
    as_of: date | None = None,
) -> pl.DataFrame:
    """Campaign week `week`'s KPIs in every snapshot whose cutoff day is on or after the week's start.

    Columns: snapshot_date, metric, value, first_value (the earliest such
    snapshot's value), change_abs, change_rel (empty when first_value is 0).
    `as_of` leaves out snapshots dated after it, so a report on an older
    snapshot says "now" about its own snapshot, not a later one.
    """
    start, end = campaign_week(week)
    parts = []
    for path in list_snapshots(snapshots_root):
        snap = open_snapshot(path)
        if snap.cutoff_date >= start and (as_of is None or snap.date <= as_of):
            for name in kpis:
                parts.append(_metrics(name, snap.kpi(name, start, end)).with_columns(snapshot_date=pl.lit(snap.date)))
        snap.close()
    long = pl.concat(parts, how="diagonal") if parts else pl.DataFrame(schema=SCHEMA)
    return (
        long.select(*SCHEMA)
        .sort("metric", "snapshot_date")
        .with_columns(first_value=pl.col("value").first().over("metric"))
        .with_columns(change_abs=pl.col("value") - pl.col("first_value"))
        .with_columns(change_rel=pl.when(pl.col("first_value") != 0).then(pl.col("change_abs") / pl.col("first_value")))
    )
