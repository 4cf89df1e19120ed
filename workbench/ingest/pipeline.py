"""`ingest()`: a folder of exports -> one validated, atomic snapshot.

Dimension tables are read first because order lines take their shop from
`products` when the order record carries none. Everything is decided in
memory, then written in one SnapshotWriter block, so a failure midway
leaves no snapshot and an older one of the same date untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.dates import parse_date
from workbench.errors import WorkbenchError
from workbench.ingest.aftersales import STATE_FILE, apply_aftersales, save_aftersales
from workbench.ingest.encoding import decoded_name
from workbench.ingest.ledger import Ledger
from workbench.ingest.order_stage import OrderStage, read_orders
from workbench.ingest.progress import Progress
from workbench.ingest.quarantine import write_quarantine
from workbench.ingest.sheet_layout import read_layout
from workbench.ingest.sources import TABULAR_TABLES, discover
from workbench.ingest.tabular import read_tables
from workbench.paths import snapshots_dir
from workbench.snapshot import contract
from workbench.snapshot.manifest import Manifest, cutoff_instant
from workbench.snapshot.store import resolve
from workbench.snapshot.target import check_target
from workbench.snapshot.write import SnapshotWriter

# Inside a snapshot: what the next incremental load starts from (the winning order versions as
# staged, their lines, the after-sales that won). Not part of the contract; verify ignores it.
STATE = "_ingest"


@dataclass(frozen=True)
class IngestResult:
    """What an ingest produced: the snapshot, per-table counts, counted facts, unused files."""

    path: Path
    counts: dict[str, dict[str, int]]
    facts: dict[str, dict[str, int]] = field(default_factory=dict)
    ignored: list[tuple[str, str]] = field(default_factory=list)


def ingest(
    source_dir: Path | str,
    cutoff: date | str,
    out: Path | str | None = None,
    progress: Progress | None = None,
    headers: Path | str | None = None,
    base: Path | str | None = None,
) -> IngestResult:
    """Read every export in `source_dir` and write the snapshot of `cutoff` (default data/snapshots/<cutoff>).

    `progress` is told of each file as it is read (the CLI draws it as bars);
    `headers` is a TOML file mapping a spreadsheet layout of one's own
    (sheet_layout.py). With `base` (an earlier snapshot written by ingest:
    `latest`, a date or a folder) the snapshot is that one's data plus the
    records in `source_dir`, as a full ingest of every export would be:
    each of its files is later than any the base read.
    """
    source_dir = Path(source_dir)
    cutoff = cutoff if isinstance(cutoff, date) else parse_date(cutoff, "cutoff")
    out = Path(out) if out is not None else snapshots_dir() / cutoff.isoformat()
    check_target(out, cutoff)  # before reading anything: a wrong --out costs no time and touches nothing
    instant = cutoff_instant(cutoff)
    layout = read_layout(Path(headers) if headers is not None else None)
    prior = _base(base, cutoff) if base is not None else None
    found = discover(source_dir)
    rows: dict[str, list[dict[str, Any]]] = {}
    ledgers: list[Ledger] = []
    for table in TABULAR_TABLES:
        rows[table], ledger = read_tables(table, found.files.get(table, []), instant, progress)
        if prior is not None:
            rows[table] = _on_top(table, pq.read_table(prior.path / table).to_pylist(), rows[table])
        ledgers.append(ledger)
    shop_of = {p["product_id"]: p["shop_id"] for p in rows["products"]}
    stage = OrderStage(instant, shop_of)
    if prior is not None:
        stage.add_base(prior.path / STATE)
    stage, order_ledger = read_orders(
        found.files.get("orders", []), instant, shop_of, stage=stage, progress=progress, layout=layout
    )
    try:
        sales = prior.path / STATE / STATE_FILE if prior is not None else None
        ledgers += [
            order_ledger,
            apply_aftersales(found.files.get("aftersales", []), stage, instant, progress, layout, sales),
        ]
        result = IngestResult(
            path=out,
            counts={ledger.table: ledger.counts() for ledger in ledgers},
            facts={ledger.table: dict(sorted(ledger.facts.items())) for ledger in ledgers if ledger.facts},
            ignored=found.ignored + [entry for ledger in ledgers for entry in ledger.unread],
        )
        source = f"ingest:{decoded_name(source_dir.resolve().name)[0]}"
        if prior is not None:
            source += f" on top of {prior.source} ({prior.snapshot_date})"
        _write(result, rows, stage, ledgers, cutoff, source)
    finally:
        stage.close()
    return result


def _write(
    result: IngestResult,
    rows: dict[str, list[dict[str, Any]]],
    stage: OrderStage,
    ledgers: list[Ledger],
    cutoff: date,
    source: str,
) -> None:
    extra = {
        "ingest": result.counts,
        "ingest_facts": result.facts,
        "ingest_ignored_files": [{"file": name, "reason": why} for name, why in result.ignored],
    }
    result.path.parent.mkdir(parents=True, exist_ok=True)
    with SnapshotWriter(
        result.path, snapshot_date=cutoff, cutoff=cutoff_instant(cutoff), source=source, extra=extra
    ) as writer:
        for table in TABULAR_TABLES:
            writer.write(table, pa.Table.from_pylist(rows[table], schema=contract.arrow_schema(table)))
        for day, part in stage.day_parts():
            writer.write("orders", part, partition=f"paid_date={day}")
        for ledger in ledgers:
            write_quarantine(writer.tmp, ledger)
        stage.save_state(writer.tmp / STATE)
        save_aftersales(writer.tmp / STATE, stage)
        stage.close()  # its memory back before the writer's roll-ups and verification read the snapshot


def _base(spec: Path | str, cutoff: date) -> Manifest:
    """The verified snapshot an incremental load starts from; it must be an ingest's, from before the cutoff."""
    prior = resolve(spec)
    if not (prior.path / STATE / "orders.parquet").is_file():
        raise WorkbenchError(
            f"--base {spec}: snapshot {prior.snapshot_date} holds no ingest state ({STATE}/): it was not written"
            " by `workbench ingest` (or by an older version); ingest every export once without --base"
        )
    if prior.snapshot_date >= cutoff:
        raise WorkbenchError(
            f"--base {spec}: snapshot {prior.snapshot_date} is not before the cutoff {cutoff}; an incremental load"
            " adds later exports to an earlier snapshot"
        )
    return prior


def _on_top(table: str, earlier: list[dict[str, Any]], later: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A table's rows from the base with this run's rows on top: a later row replaces an earlier one's key."""
    rows = {tuple(row[k] for k in contract.KEYS[table]): row for row in earlier}
    rows.update({tuple(row[k] for k in contract.KEYS[table]): row for row in later})
    return list(rows.values())
