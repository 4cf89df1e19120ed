"""Writing a contract snapshot the way an outside tool would: pyarrow directly.

The outside checks must not share the product's writer (a bug there would
hide itself), so this module builds the folder layout and `_manifest.json`
from the contract's "Snapshot layout" and "Tables" sections alone:
timestamps as timestamp('us', tz='UTC'), int32 line_no/quantity, int64
money, and orders either in one folder, or hive-partitioned by
`paid_date=YYYY-MM-DD` with the partition column left out of the files
(as pyarrow's dataset writer does), by Asia/Shanghai day or by UTC day,
or written by polars (its strings are arrow large_string) in one file or
hive-partitioned by Asia/Shanghai day with the key kept in the files too.
Empty tables named in `empty_as_file` are written as zero-row parquet
files, the others as empty folders; the contract allows both.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from outside_reference import SHANGHAI, Row, World

_TS = pa.timestamp("us", tz="UTC")
_TEXT = pa.string()
SCHEMAS: dict[str, pa.Schema] = {
    "accounts": pa.schema(
        [
            ("account_id", _TEXT),
            ("account_name", _TEXT),
            ("shop_id", _TEXT),
            ("is_self_operated", pa.bool_()),
            ("effective_fans", pa.int64()),
            ("short_video_commerce_enabled", pa.bool_()),
            ("has_official_account", pa.bool_()),
            ("created_at", _TS),
        ]
    ),
    "shops": pa.schema([("shop_id", _TEXT), ("shop_name", _TEXT), ("main_category", _TEXT), ("opened_at", _TS)]),
    "products": pa.schema(
        [("product_id", _TEXT), ("shop_id", _TEXT), ("title", _TEXT), ("category", _TEXT), ("price_fen", pa.int64())]
    ),
    "enrollments": pa.schema([("account_id", _TEXT), ("enrolled_at", _TS)]),
    "videos": pa.schema([("video_id", _TEXT), ("account_id", _TEXT), ("product_id", _TEXT), ("published_at", _TS)]),
    "video_traffic": pa.schema(
        [
            ("video_id", _TEXT),
            ("date", pa.date32()),
            ("tab", _TEXT),
            ("impressions", pa.int64()),
            ("boosted_impressions", pa.int64()),
            ("product_clicks", pa.int64()),
        ]
    ),
    "live_sessions": pa.schema([("live_id", _TEXT), ("account_id", _TEXT), ("started_at", _TS), ("ended_at", _TS)]),
    "orders": pa.schema(
        [
            ("order_id", _TEXT),
            ("line_no", pa.int32()),
            ("shop_id", _TEXT),
            ("product_id", _TEXT),
            ("account_id", _TEXT),
            ("channel", _TEXT),
            ("content_id", _TEXT),
            ("buyer_id", _TEXT),
            ("quantity", pa.int32()),
            ("amount_fen", pa.int64()),
            ("refund_fen", pa.int64()),
            ("status", _TEXT),
            ("paid_at", _TS),
            ("settled_at", _TS),
        ]
    ),
}
EMPTY_AS_FILE = ("accounts", "orders", "enrollments")
ORDER_LAYOUTS = ("flat", "hive_shanghai", "hive_utc", "polars", "polars_hive")


def _table(name: str, rows: list[Row]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)


def _write_orders(folder: Path, rows: list[Row], layout: str) -> None:
    """Orders in one of ORDER_LAYOUTS; a flat table also carries an extra column the contract allows."""
    table = _table("orders", rows)
    if layout == "flat":
        extra = pa.array([f"note-{i}" for i in range(len(rows))], type=_TEXT)
        pq.write_table(table.append_column("export_note", extra), folder / "part-0.parquet", row_group_size=3)
        return
    if layout == "polars":
        pl.from_arrow(table).write_parquet(folder / "part-0.parquet")
        return
    zone = UTC if layout == "hive_utc" else SHANGHAI
    days = pa.array([r["paid_at"].astimezone(zone).date() for r in rows], type=pa.date32())
    if layout == "polars_hive":
        pl.from_arrow(table.append_column("paid_date", days)).write_parquet(folder, partition_by="paid_date")
        return
    ds.write_dataset(
        table.append_column("paid_date", days),
        folder,
        format="parquet",
        partitioning=["paid_date"],
        partitioning_flavor="hive",
        basename_template="part-{i}.parquet",
    )


def write_snapshot(
    root: Path, world: World, snapshot_date: str, layout: str = "flat", empty_as_file: tuple[str, ...] = EMPTY_AS_FILE
) -> Path:
    """Write `world` (missing tables empty) as `root/snapshot_date` with its manifest; return the folder."""
    out = Path(root) / snapshot_date
    entries = {}
    for name in SCHEMAS:
        folder = out / name
        folder.mkdir(parents=True)
        rows = world.get(name, [])
        if name == "orders" and rows:
            _write_orders(folder, rows, layout)
        elif rows or name in empty_as_file:
            pq.write_table(_table(name, rows), folder / "part-0.parquet")
        files = sorted(folder.glob("**/*.parquet"))
        entries[name] = {
            "rows": len(rows),
            "files": [
                {
                    "path": f.relative_to(out).as_posix(),
                    "bytes": f.stat().st_size,
                    "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
                }
                for f in files
            ],
        }
    manifest = {
        "schema_version": 1,
        "snapshot_date": snapshot_date,
        "cutoff": f"{snapshot_date}T23:59:59+08:00",
        "source": f"outside-checker:layout={layout}",
        "created_at": "2026-03-01T00:00:00Z",
        "tables": entries,
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out
