"""`_rejected/<table>.parquet`: every record that did not reach the snapshot.

Written inside the snapshot folder (before its one atomic rename) so the
evidence travels with the data it explains. `snapshot verify` reads only
the contract's table folders, so this folder never disturbs it. Rows hold
the outcome (rejected, superseded, skipped), the reason, the source file,
line or row, array item, worksheet, and the raw record as JSON text. A
source file whose name is not UTF-8 is shown decoded, and its name's bytes
are kept in `source_file_bytes`. Text that UTF-8 cannot hold (half a
surrogate pair from a JSON escape) is written escaped, so writing the
evidence can never fail the run.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.ingest.encoding import decoded_name
from workbench.ingest.ledger import Ledger, Left, deferred_raw, raw_text, storable

FOLDER = "_rejected"
BATCH = 50_000  # rows of `_rejected/` held at once while writing
SCHEMA = pa.schema(
    [
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("line", pa.int64(), nullable=False),
        pa.field("item", pa.int64()),
        pa.field("raw", pa.string(), nullable=False),
        pa.field("sheet", pa.string()),
        pa.field("source_file_bytes", pa.binary()),
    ]
)


def _row(left: Left) -> dict[str, object]:
    return {
        "outcome": left.outcome,
        "reason": storable(left.reason),
        "source_file": storable(left.record.origin.file),
        "line": left.record.origin.line,
        "item": left.record.origin.item,
        "raw": raw_text(left.record.raw),
        "sheet": None if left.record.origin.sheet is None else storable(left.record.origin.sheet),
        "source_file_bytes": left.record.origin.file_bytes,
    }


def quarantine_table(ledger: Ledger) -> pa.Table:
    """The ledger's left-out records as the `_rejected/` table (read whole: for small ledgers and tests)."""
    return pa.Table.from_pylist([_row(left) for left in ledger.all_left()], schema=SCHEMA)


def write_quarantine(snapshot_dir: Path, ledger: Ledger) -> Path | None:
    """Write the ledger's left-out records, a batch at a time; None when every record was accepted."""
    if not ledger.left and not ledger.deferred:
        return None
    folder = snapshot_dir / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / f"{ledger.table}.parquet"
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        rows = iter(ledger.left)
        while batch := [_row(left) for left in itertools.islice(rows, BATCH)]:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
        for deferred in ledger.deferred_batches():
            writer.write_table(_deferred_table(deferred, ledger.files))
    return path


def _deferred_table(rows: pa.Table, files: list[Path]) -> pa.Table:
    """Deferred ledger rows as `_rejected/` rows, column by column; only missing raw texts are read back."""
    names = [decoded_name(f.name) for f in files]
    file_no = rows.column("file_no")
    return pa.table(
        {
            "outcome": rows.column("outcome"),
            "reason": rows.column("reason"),
            "source_file": pa.array([n for n, _ in names], pa.string()).take(file_no),
            "line": rows.column("line"),
            "item": rows.column("item").cast(pa.int64()),
            "raw": pa.array(deferred_raw(rows, files), pa.string()),
            "sheet": rows.column("sheet").cast(pa.string()),
            "source_file_bytes": pa.array([b for _, b in names], pa.binary()).take(file_no),
        },
        schema=SCHEMA,
    )
