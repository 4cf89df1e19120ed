"""Writing a snapshot: parquet files, `_manifest.json`, full verification, then one atomic publish.

Everything is written into a new version folder that nothing refers to
(workbench.snapshot.layout); once the manifest (row counts and checksums)
is complete the snapshot is fully verified, its result recorded as a stamp
(workbench.snapshot.stamp), and only then is the dated name swapped to it
in one atomic step. So a crash never leaves a half-written snapshot that
looks complete or a date without a snapshot, a snapshot with broken data
is never published, and readers of the older version keep reading it.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench.config import TIMEZONE
from workbench.errors import WorkbenchError
from workbench.snapshot import aggregates, cleanup, contract, hold
from workbench.snapshot.checksum import sha256_of
from workbench.snapshot.layout import new_version, point
from workbench.snapshot.manifest import MANIFEST
from workbench.snapshot.read import bounded, connect
from workbench.snapshot.stamp import verify_and_record
from workbench.snapshot.target import check_target
from workbench.snapshot.verify import blocking

# Row groups of this many rows let a one-week query skip most of a file.
ROW_GROUP_ROWS = 128 * 1024
# Blocking problems named in the error when a snapshot is refused at publish.
_SHOWN_PROBLEMS = 3


# Columns whose values are (nearly) all distinct: a dictionary page would
# only add work and bytes, so they are written plain.
_DISTINCT = {"order_id", "buyer_id"}


def _dictionary_columns(table: str) -> list[str]:
    """String columns worth dictionary-encoding: all but a table's own
    single-column key and the per-order ids (measured: about a third less
    write CPU on order lines, smaller files)."""
    keys = contract.KEYS[table]
    own_key = set(keys) if len(keys) == 1 else set()
    return [c.name for c in contract.TABLES[table] if c.arrow == pa.string() and c.name not in _DISTINCT | own_key]


class SnapshotWriter:
    """Collects the tables of one snapshot and publishes them in one atomic step.

    Use as a context manager: `write()` any number of parts per table (the
    generator streams orders day by day); leaving the block without an
    error writes the manifest, verifies the snapshot fully, stamps it and
    publishes it as `out`; an error, or a problem verification finds,
    removes the new version folder and leaves any earlier snapshot of the
    date untouched. `out` must be named after `snapshot_date` and, if it
    exists, be a snapshot (workbench.snapshot.target): that is checked
    before anything is written.

    `check=False` publishes without verifying or stamping, for tests that
    need a snapshot with broken data; readers refuse such a snapshot until
    `workbench snapshot verify --fix-stamp` passes on it.
    """

    def __init__(
        self,
        out: Path,
        *,
        snapshot_date: date,
        cutoff: datetime,
        source: str,
        extra: dict[str, Any] | None = None,
        check: bool = True,
    ) -> None:
        self.out = Path(out)
        check_target(self.out, snapshot_date)
        self.snapshot_date = snapshot_date
        self.cutoff = cutoff
        self.source = source
        self.extra = extra or {}
        self.check = check
        # The version folder being written; nothing refers to it until it is published.
        self.tmp = new_version(self.out)
        self._hold: hold.Hold | None = None
        self._files: dict[str, list[dict[str, Any]]] = {t: [] for t in contract.TABLES}
        self._rows: dict[str, int] = dict.fromkeys(contract.TABLES, 0)
        self._parts: dict[str, int] = dict.fromkeys(contract.TABLES, 0)
        self._aggregates: dict[str, dict[str, Any]] = {}
        # The roll-ups' rows as computed from the order lines, compared with their files at publish.
        self._computed: dict[str, pa.Table] = {}

    def __enter__(self) -> SnapshotWriter:
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir()
        # Held until published, so gc never takes an unfinished version for a dead writer's.
        self._hold = hold.keep(self.tmp)
        for table in contract.TABLES:
            (self.tmp / table).mkdir()
        return self

    def write(self, table: str, data: pa.Table, partition: str | None = None) -> None:
        """Write one part of a table, cast to the contract's schema.

        `partition` is a hive folder such as `paid_date=2025-11-22`.
        Empty parts are skipped: an empty table is an empty folder.
        """
        if data.num_rows == 0:
            return
        schema = contract.arrow_schema(table)
        data = data.select(schema.names).cast(schema)
        folder = self.tmp / table / partition if partition else self.tmp / table
        folder.mkdir(parents=True, exist_ok=True)
        index = self._parts[table]
        self._parts[table] += 1
        path = folder / f"part-{index:05d}.parquet"
        pq.write_table(
            data,
            path,
            compression="zstd",
            row_group_size=ROW_GROUP_ROWS,
            use_dictionary=_dictionary_columns(table),
            write_statistics=True,
        )
        self._rows[table] += data.num_rows
        self._files[table].append(self._file_entry(path, data.num_rows))

    def _file_entry(self, path: Path, rows: int) -> dict[str, Any]:
        """A manifest file entry: path relative to the snapshot, size, checksum, rows."""
        return {
            "path": path.relative_to(self.tmp).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": sha256_of(path),
            "rows": rows,
        }

    def write_aggregates(self) -> None:
        """Compute the roll-ups of workbench.snapshot.aggregates from the parts written so far.

        Run once, after the last part and before the manifest, by DuckDB over
        the temporary folder: the generator and ingest get the roll-ups
        without knowing about them, and they always match the order lines
        written in the same snapshot.
        """
        con = bounded(connect(self.tmp, use_aggregates=False))
        con.execute("set enable_progress_bar = false")
        try:
            for name, (path, computed) in aggregates.write(con, self.tmp).items():
                rows = pq.read_metadata(path).num_rows
                self._aggregates[name] = {"rows": rows, "files": [self._file_entry(path, rows)]}
                self._computed[name] = computed
        finally:
            con.close()

    def manifest(self) -> dict[str, Any]:
        """The manifest as the contract describes it, plus `aggregates` (the roll-ups) and `extra`."""
        return {
            "schema_version": contract.SCHEMA_VERSION,
            "snapshot_date": self.snapshot_date.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "source": self.source,
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "tables": {t: {"rows": self._rows[t], "files": self._files[t]} for t in contract.TABLES},
            "aggregates": self._aggregates,
            **self.extra,
        }

    def _verify(self) -> None:
        """Full verification of the finished folder, stamped if sound; a blocking problem stops the publish (exit 1)."""
        problems = blocking(verify_and_record(self.tmp, computed=self._computed))
        self._computed = {}
        if problems:
            shown = "; ".join(str(p) for p in problems[:_SHOWN_PROBLEMS])
            more = f" (and {len(problems) - _SHOWN_PROBLEMS} more)" if len(problems) > _SHOWN_PROBLEMS else ""
            raise WorkbenchError(
                f"snapshot {self.out} was not published: {shown}{more}; any earlier snapshot of "
                f"{self.snapshot_date} is unchanged",
                1,
            )

    def _finish(self) -> None:
        self.write_aggregates()
        (self.tmp / MANIFEST).write_text(
            json.dumps(self.manifest(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if self.check:
            self._verify()
        # Checked again: a long run gives someone time to put files there.
        check_target(self.out, self.snapshot_date)
        publish(self.tmp, self.out)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None:
                shutil.rmtree(self.tmp, ignore_errors=True)
                return
            try:
                self._finish()
            except BaseException:
                shutil.rmtree(self.tmp, ignore_errors=True)
                raise
        finally:
            # A dying process lets go of its locks too; gc then removes what it left.
            if self._hold is not None:
                self._hold.release()
        cleanup.collect(self.out.parent)


def publish(version: Path, out: Path) -> None:
    """Make the dated name `out` refer to the finished `version` folder: one atomic step (layout.point)."""
    point(out, version)


def write_orders_by_day(writer: SnapshotWriter, orders: pa.Table) -> None:
    """Write order lines hive-partitioned by Asia/Shanghai paid date.

    One folder per local day (`paid_date=YYYY-MM-DD`), lines sorted by
    `paid_at` inside it, so a window query opens only its days' files.
    """
    if orders.num_rows == 0:
        return
    local = pc.cast(orders["paid_at"], pa.timestamp("us", tz=TIMEZONE))
    days = pc.strftime(local, "%Y-%m-%d")
    for day in sorted(set(days.to_pylist())):
        part = orders.filter(pc.equal(days, day)).sort_by("paid_at")
        writer.write("orders", part, partition=f"paid_date={day}")
