"""The Spark engine: a snapshot as Spark temporary views, KPIs run as translated Spark SQL.

Imported only when `engine="spark"` is asked for, so pyspark (the `spark`
extra, ~490 MB, Java 17+) is needed only there.

The views follow the contract exactly as the DuckDB ones do
(workbench.snapshot.read): every contract column cast to its type, then the
Asia/Shanghai local days (`paid_date`, ...) and `partition_date`. The local
day is `to_date(convert_timezone('Asia/Shanghai', ts))`: Spark's other
spellings (`from_utc_timestamp`, `AT TIME ZONE`, a cast) depend on the
session time zone, and a cluster's may be anything. A naive (UTC wall clock)
timestamp written by a foreign tool is turned into the instant it means
first, again independent of the session's zone.

Files come from the snapshot's `_manifest.json`, read through pyarrow's
filesystem layer (Spark's reader hides names starting with `_`), and are
handed to Spark as a list: only published files are read, an object store
is never listed, and `basePath` keeps the `paid_date=` folders as a column.
A snapshot may be a local folder or an `hdfs://`, `s3a://` or `s3://` URI,
read with the cluster's own Hadoop configuration.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow.fs as pafs

from workbench.config import TIMEZONE
from workbench.engine.macros import stored_view, translator
from workbench.errors import WorkbenchError
from workbench.snapshot import aggregates, contract
from workbench.snapshot.manifest import MANIFEST
from workbench.snapshot.read import LOCAL_DAYS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPARK_TYPES = {
    "VARCHAR": "STRING",
    "BIGINT": "BIGINT",
    "INTEGER": "INT",
    "BOOLEAN": "BOOLEAN",
    "DOUBLE": "DOUBLE",
    "DATE": "DATE",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
}
# The hive folder column of partitioned orders, renamed in the raw view so the local day can take its name.
_PARTITION_COLUMN = "paid_date"
_ZONE = "spark.sql.session.timeZone"
_HIDDEN_PARTITION = "__partition_day"


def is_uri(spec: object) -> bool:
    """Whether a snapshot is named by a URI (`hdfs://...`, `s3a://...`, `file:///...`) rather than a local path."""
    return isinstance(spec, str) and "://" in spec


def session(master: str | None = None, partitions: int | None = None) -> SparkSession:
    """A Spark session: the active one, or a new local one bound to 127.0.0.1 without its web UI.

    `master` (`local[2]`, `spark://host:7077`, `yarn`) is for starting one
    from Python; under `spark-submit` (which sets PYSPARK_GATEWAY_PORT) the
    session takes spark-submit's master and settings as they are.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise WorkbenchError(
            "the Spark engine needs pyspark: run `make spark` or `pip install -e '.[spark]'` (and Java 17+)"
        ) from err
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName("workbench")
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit's own settings
    if not submitted:
        builder = builder.master(master or "local[*]")
    if not submitted and (master or "local").startswith("local"):
        # Everything on the loopback address: the JVM's own address lookup too, not only the driver's.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(partitions or 4))
        )
    try:
        spark = builder.getOrCreate()
    except Exception as err:  # py4j raises its own types when there is no JVM
        raise WorkbenchError(f"cannot start Spark ({str(err).splitlines()[0]}); it needs Java 17+ on PATH") from err
    spark.sparkContext.setLogLevel("FATAL")
    return spark


@dataclass(frozen=True)
class SnapshotFiles:
    """Where a snapshot's files are: its root (a URI or local folder) and each table's and roll-up's file paths."""

    root: str
    tables: dict[str, list[str]]
    aggregates: dict[str, list[str]]

    def uri(self, relative: str) -> str:
        """The URI of a path the manifest gives relative to the snapshot."""
        return f"{self.root.rstrip('/')}/{relative}"

    @classmethod
    def from_manifest(cls, root: str, raw: Mapping[str, Any]) -> SnapshotFiles:
        """The file lists of a parsed `_manifest.json` whose snapshot sits at `root`."""
        tables = raw.get("tables") or {}
        missing = [t for t in contract.TABLES if t not in tables]
        if missing:
            raise WorkbenchError(f"{root}/{MANIFEST} lists no table(s) {', '.join(missing)}; rewrite the snapshot")
        return cls(
            root=root,
            tables={t: [f["path"] for f in tables[t].get("files") or []] for t in contract.TABLES},
            aggregates={
                name: [f["path"] for f in (raw.get("aggregates") or {}).get(name, {}).get("files") or []]
                for name in aggregates.AGGREGATES
            },
        )


def read_manifest(uri: str) -> dict[str, Any]:
    """The `_manifest.json` of the snapshot at `uri`, read through pyarrow's filesystem (HDFS, S3, local)."""
    try:
        fs, path = pafs.FileSystem.from_uri(uri.rstrip("/") + "/" + MANIFEST)
        with fs.open_input_stream(path) as stream:
            raw = json.loads(stream.read().decode("utf-8"))
    except (OSError, ValueError) as err:
        raise WorkbenchError(f"{uri}/{MANIFEST}: cannot be read ({err}); is it a snapshot folder?") from err
    if not isinstance(raw, dict):
        raise WorkbenchError(f"{uri}/{MANIFEST} is not a JSON object; rewrite the snapshot")
    return raw


def local_day_sql(column: str) -> str:
    """The Asia/Shanghai calendar day of a TIMESTAMP column, whatever the session time zone."""
    return f"to_date(convert_timezone('{TIMEZONE}', {column}))"


def _column_sql(col: contract.Column, source_type: str | None) -> str:
    spark_type = SPARK_TYPES[col.duckdb_type]
    if spark_type == "TIMESTAMP" and source_type == "timestamp_ntz":
        # A naive timestamp is a UTC wall clock (as DuckDB's view takes it): its instant is the
        # session-zone wall clock of that UTC time, read back in the session zone.
        return f"cast(convert_timezone('UTC', current_timezone(), {col.name}) as TIMESTAMP) as {col.name}"
    return f"cast({col.name} as {spark_type}) as {col.name}"


def view_sql(table: str, source: str | None, types: Mapping[str, str], hive: bool) -> str:
    """The SELECT of one contract view over the raw view `source` (None: the table has no files)."""
    days = LOCAL_DAYS.get(table, {})
    if source is None:
        cols = [f"cast(null as {SPARK_TYPES[c.duckdb_type]}) as {c.name}" for c in contract.TABLES[table]]
        extra = [*days, *(["partition_date"] if table == "orders" else [])]
        cols += [f"cast(null as DATE) as {name}" for name in extra]
        return f"select {', '.join(cols)} where false"
    cols = [_column_sql(c, types.get(c.name)) for c in contract.TABLES[table]]
    inner = f"select {', '.join(cols)}{', ' + _HIDDEN_PARTITION if hive else ''} from {source}"
    outer = ["*"] if not days else [c.name for c in contract.TABLES[table]]
    outer += [f"{local_day_sql(ts)} as {name}" for name, ts in days.items()]
    if table == "orders":
        day = f"cast({_HIDDEN_PARTITION} as DATE)" if hive else local_day_sql("paid_at")
        outer.append(f"{day} as partition_date")
    return f"select {', '.join(outer)} from ({inner}) as typed"


def spark_args(params: Mapping[str, object] | None) -> dict[str, object]:
    """KPI parameters as Spark named-parameter values (dates, numbers, text, lists and nulls pass as they are)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in (params or {}).items()}


class SparkEngine:
    """A snapshot opened on Spark: one temporary view per contract table and stored roll-up, in its own session."""

    name = "spark"

    def __init__(
        self,
        files: SnapshotFiles,
        spark: SparkSession | None = None,
        master: str | None = None,
        use_aggregates: bool = True,
    ) -> None:
        """Views over `files` in a new session of `spark` (or of `session(master)`).

        Without `use_aggregates` the roll-up macros compute from the order
        lines even where the snapshot stores them, as
        `workbench.snapshot.read.connect(use_aggregates=False)` does: the
        way a snapshot too big for one machine gets its roll-ups, and the
        reference the stored ones must match.
        """
        # A session of its own (sharing the SparkContext): two snapshots' `orders` views never meet.
        # It keeps the caller's session time zone, which a new session would not inherit.
        parent = spark or session(master)
        self.files = files
        self.spark = parent.newSession()
        self.spark.conf.set(_ZONE, parent.conf.get(_ZONE))
        self._register_all()
        stored = frozenset(name for name, paths in files.aggregates.items() if paths and use_aggregates)
        for name in stored:
            self.spark.read.parquet(*[files.uri(p) for p in files.aggregates[name]]).createOrReplaceTempView(
                stored_view(name)
            )
        self.translator = translator(stored)

    @classmethod
    def open(
        cls, spec: str | Path, spark: SparkSession | None = None, master: str | None = None, use_aggregates: bool = True
    ) -> SparkEngine:
        """A local snapshot folder or a snapshot URI, its files taken from its manifest."""
        root = str(spec) if is_uri(spec) else Path(spec).resolve().as_uri()
        return cls(SnapshotFiles.from_manifest(root, read_manifest(root)), spark, master, use_aggregates)

    def _register_all(self) -> None:
        """The contract views, made under the session's current time zone.

        A view's plan keeps the zone it was analysed under, and the local
        days' LTZ-to-wall-clock step depends on it; so `frame` makes the
        views again when someone changed the session's zone since.
        """
        self._zone = self.spark.conf.get(_ZONE)
        for table in contract.TABLES:
            self._register(table)

    def _register(self, table: str) -> None:
        paths = self.files.tables[table]
        if not paths:
            self.spark.sql(view_sql(table, None, {}, False)).createOrReplaceTempView(table)
            return
        base = self.files.uri(table)
        raw = self.spark.read.option("basePath", base).parquet(*[self.files.uri(p) for p in paths])
        hive = table == "orders" and _PARTITION_COLUMN in raw.columns and any("paid_date=" in p for p in paths)
        if hive:
            raw = raw.withColumnRenamed(_PARTITION_COLUMN, _HIDDEN_PARTITION)
        types = {f.name: f.dataType.typeName() for f in raw.schema.fields}
        source = f"{table}__files"
        raw.createOrReplaceTempView(source)
        self.spark.sql(view_sql(table, source, types, hive)).createOrReplaceTempView(table)

    def frame(self, sql: str, params: Mapping[str, object] | None = None) -> DataFrame:
        """`sql` (DuckDB, may call the KPI macros) as a Spark DataFrame, not yet computed."""
        if self.spark.conf.get(_ZONE) != self._zone:
            self._register_all()
        return self.spark.sql(self.translator.to_spark(sql), args=spark_args(params))

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pl.DataFrame:
        """`sql` computed on Spark, as a Polars frame (through Arrow)."""
        return pl.from_arrow(self.frame(sql, params).toArrow())  # type: ignore[return-value]

    def rollup(self, name: str) -> DataFrame:
        """One roll-up (workbench.snapshot.aggregates) of every paid day, computed from the order lines on Spark."""
        if name not in aggregates.AGGREGATES:
            raise WorkbenchError(f"no roll-up {name!r}; roll-ups are {', '.join(aggregates.AGGREGATES)}")
        order = ", ".join(aggregates.AGGREGATES[name])
        return self.frame(f"select * from {name}_from_lines({aggregates.ALL_DAYS}) order by {order}")

    def write_rollups(self, out: str) -> dict[str, str]:
        """Write every roll-up as parquet under `out/<name>/` (a folder or URI); returns where each went."""
        written = {}
        for name in aggregates.AGGREGATES:
            target = f"{out.rstrip('/')}/{name}"
            self.rollup(name).write.mode("overwrite").parquet(target)
            written[name] = target
        return written

    def close(self) -> None:
        """Drop the views; the shared session itself stays for whoever else uses it."""
        for name in self.spark.catalog.listTables():
            if name.isTemporary:
                self.spark.catalog.dropTempView(name.name)
