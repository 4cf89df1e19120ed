"""`simulate()`: build one seeded world and write it as a snapshot at a cutoff.

Entities and content are built once from the seed (cheap: sizes grow with
the square root of the scale); order lines, the bulk, are drawn and written
one day at a time, so memory stays bounded by two days' lines (the one
being written and the next being drawn) whatever the scale.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from workbench.paths import snapshots_dir
from workbench.simulate import ids
from workbench.simulate.accounts import build_accounts, enrollments_table
from workbench.simulate.catalog import build_catalog
from workbench.simulate.content import build_content, live_sessions_table, videos_table
from workbench.simulate.demand import build_demand
from workbench.simulate.orders import DayOrders
from workbench.simulate.settings import (
    DEFAULT_TRUE_LIFT,
    Settings,
    check_cutoff,
    day_index,
    day_of,
    epoch,
    make_settings,
)
from workbench.simulate.traffic import traffic_parts
from workbench.snapshot.manifest import cutoff_instant
from workbench.snapshot.write import SnapshotWriter

ENTITY_STREAM = 1_000_000


def simulate(
    seed: int,
    scale: str | int,
    cutoff: date,
    out: Path | None = None,
    *,
    true_lift: float = DEFAULT_TRUE_LIFT,
    settle_days: int = 7,
    progress: bool = False,
) -> Path:
    """Write the snapshot of world (seed, scale) as of 23:59:59 Asia/Shanghai on `cutoff`; return its folder."""
    settings = make_settings(seed, scale, true_lift=true_lift, settle_days=settle_days)
    check_cutoff(cutoff)
    out = Path(out) if out is not None else snapshots_dir() / cutoff.isoformat()
    instant = cutoff_instant(cutoff)
    with SnapshotWriter(
        out, snapshot_date=cutoff, cutoff=instant, source=settings.source, extra={"source_details": settings.details()}
    ) as writer:
        write_world(writer, settings, day_index(cutoff), epoch(instant), progress)
    return out


def write_world(writer: SnapshotWriter, settings: Settings, last_day: int, cutoff_epoch: int, progress: bool) -> None:
    """Every contract table of the world, as of the cutoff, into an open writer."""
    rng = np.random.default_rng([settings.seed, ENTITY_STREAM])
    catalog = build_catalog(settings, rng)
    accounts = build_accounts(settings, catalog, rng)
    content = build_content(settings, accounts, catalog)
    demand = build_demand(settings, accounts, content)
    writer.write("shops", catalog.shops_table)
    writer.write("products", catalog.products_table)
    writer.write("accounts", accounts.table)
    writer.write("enrollments", enrollments_table(accounts, cutoff_epoch))
    writer.write("videos", videos_table(content, accounts, catalog, cutoff_epoch))
    writer.write("live_sessions", live_sessions_table(content, accounts, cutoff_epoch))
    for part in traffic_parts(demand, last_day):
        writer.write("video_traffic", part)
    days = DayOrders(demand, catalog, ids.base62_ids("o", settings.n_buyers, settings.seed * 8 + 5, width=27))

    def draw(day: int) -> pa.Table:
        return days.draw(day).as_of(cutoff_epoch)

    # Draw day k+1 in a worker thread while day k is compressed and written:
    # both release the GIL for most of their work, and each day has its own
    # RNG, so the overlap changes nothing in the output.
    with _progress(progress) as bar, ThreadPoolExecutor(max_workers=1) as pool:
        task = bar.add_task(f"order lines {settings.source}", total=last_day + 1) if bar else None
        upcoming = pool.submit(draw, 0)
        for day in range(last_day + 1):
            lines = upcoming.result()
            if day < last_day:
                upcoming = pool.submit(draw, day + 1)
            writer.write("orders", lines, partition=f"paid_date={day_of(day).isoformat()}")
            if bar:
                bar.advance(task)


def _progress(enabled: bool) -> Progress | nullcontext[None]:
    """A rich progress bar over days when asked for, else nothing."""
    if not enabled:
        return nullcontext(None)
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("days"), TimeElapsedColumn()
    )
