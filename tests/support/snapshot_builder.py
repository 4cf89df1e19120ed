"""Build tiny hand-made snapshots for tests, row by row.

Tests state their rows as plain dicts (money in fen, timestamps as ISO
strings with an offset) and get a complete snapshot, published by the
product's own writer: verified and stamped, so readers accept it exactly as
they accept a generated or ingested one. Every expected number in a test can
be worked out by hand from the rows written beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from workbench.snapshot import contract
from workbench.snapshot.write import SnapshotWriter, write_orders_by_day


def _value(col: contract.Column, value: Any) -> Any:
    if value is None:
        return None
    if col.arrow == contract.TS and isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if col.arrow == pa.date32() and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def to_arrow(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as dicts -> an arrow table with the contract's schema."""
    cols = contract.TABLES[table]
    data = {c.name: [_value(c, r.get(c.name)) for r in rows] for c in cols}
    return pa.table(data, schema=contract.arrow_schema(table))


def build_snapshot(
    root: Path,
    tables: dict[str, list[dict[str, Any]]],
    snapshot_date: str = "2026-01-10",
    cutoff: str | None = None,
    partition_orders: bool = True,
    check: bool = True,
) -> Path:
    """Write `tables` (missing ones empty) as the snapshot `root/<snapshot_date>`; return that path.

    Orders are hive-partitioned by Asia/Shanghai paid date, as the
    generator writes them, unless `partition_orders` is False. With
    `check=False` rows that break the contract's rules are published
    unverified and unstamped (the writer refuses them otherwise), for tests
    of `verify` itself.
    """
    out = Path(root) / snapshot_date
    cut = datetime.fromisoformat(cutoff or f"{snapshot_date}T23:59:59+08:00")
    with SnapshotWriter(
        out, snapshot_date=date.fromisoformat(snapshot_date), cutoff=cut, source="hand-made:test", check=check
    ) as writer:
        for table in contract.TABLES:
            arrow = to_arrow(table, tables.get(table, []))
            if table == "orders" and partition_orders:
                write_orders_by_day(writer, arrow)
            else:
                writer.write(table, arrow)
    return out
