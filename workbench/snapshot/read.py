"""Opening a snapshot as DuckDB views that follow the contract exactly.

Each view casts every contract column to its contract type, so a snapshot
written by another tool (int32 money, naive UTC timestamps, numeric ids)
still gives the queries the types they were written for. Every timestamp a
KPI turns into a day gets its Asia/Shanghai calendar day as an extra column
(LOCAL_DAYS: `paid_date`, the day the contract assigns an order to,
`settled_date`, `enrolled_date`, `published_date`), computed here once so no
query converts time zones itself. The `orders` view also adds
`partition_date`, the hive folder's date when orders are partitioned, used
only to prune files. The extra columns come after the contract's.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

from workbench.config import TIMEZONE
from workbench.errors import WorkbenchError
from workbench.paths import queries_dir
from workbench.snapshot import aggregates, contract
from workbench.snapshot.layout import shown


def table_files(path: Path, table: str) -> list[Path]:
    """The parquet files of a table on disk, in a stable order."""
    return sorted((Path(path) / table).glob("**/*.parquet"))


def partition_day(file: Path, table_dir: Path) -> date | None:
    """The date of the `paid_date=YYYY-MM-DD` hive folder a file sits in below its table folder, if any.

    Only the part of the path below the table folder counts, so a snapshot
    kept under a folder that happens to be named `paid_date=...` is not
    mistaken for a partitioned one.
    """
    below = Path(file).relative_to(table_dir).parts[:-1]
    folder = next((part for part in below if part.startswith("paid_date=")), None)
    return date.fromisoformat(folder.split("=", 1)[1]) if folder else None


def _hive(path: Path, table: str, files: list[Path]) -> bool:
    """Whether a table's files sit in `paid_date=` hive folders below the table folder."""
    return any(partition_day(f, Path(path) / table) is not None for f in files)


def _sql_list(files: list[Path]) -> str:
    quoted = ", ".join("'" + f.as_posix().replace("'", "''") + "'" for f in files)
    return f"[{quoted}]"


# Per table, the local-day columns its view adds: name -> the contract
# timestamp whose Asia/Shanghai calendar day it is.
LOCAL_DAYS: dict[str, dict[str, str]] = {
    "orders": {"paid_date": "paid_at", "settled_date": "settled_at"},
    "enrollments": {"enrolled_date": "enrolled_at"},
    "videos": {"published_date": "published_at"},
}


def local_day_sql(column: str) -> str:
    """The Asia/Shanghai calendar day of a timestamp column, as SQL."""
    return f"cast(timezone('{TIMEZONE}', cast({column} as TIMESTAMPTZ)) as DATE)"


def _select_list(table: str) -> list[str]:
    cols = []
    for col in contract.TABLES[table]:
        cols.append(f"cast({col.name} as {col.duckdb_type}) as {col.name}")
    return cols


def view_sql(path: Path, table: str) -> str:
    """The CREATE VIEW statement for one table of a snapshot."""
    files = table_files(path, table)
    cols = _select_list(table)
    cols += [f"{local_day_sql(source)} as {name}" for name, source in LOCAL_DAYS.get(table, {}).items()]
    if table == "orders":
        hive = _hive(path, table, files)
        cols.append(("cast(paid_date as DATE)" if hive else local_day_sql("paid_at")) + " as partition_date")
    select = ",\n    ".join(cols)
    if not files:
        empty = ",\n    ".join(f"cast(null as {c.duckdb_type}) as {c.name}" for c in contract.TABLES[table])
        days = [*LOCAL_DAYS.get(table, {}), *(["partition_date"] if table == "orders" else [])]
        extra = "".join(f",\n    cast(null as DATE) as {name}" for name in days)
        return f"create or replace view {table} as select\n    {empty}{extra}\nwhere false"
    hive_opt = (
        ", hive_partitioning = true, hive_types = {'paid_date': DATE}"
        if table == "orders" and _hive(path, table, files)
        else ", hive_partitioning = false"
    )
    return f"create or replace view {table} as select\n    {select}\nfrom read_parquet({_sql_list(files)}{hive_opt})"


@cache
def definitions_sql() -> str:
    """The shared table macros every KPI query may call."""
    return (queries_dir() / "shared" / "definitions.sql").read_text(encoding="utf-8")


def orders_paid_sql(instants: bool = True) -> str:
    """The `orders_paid(start_date, end_date)` table macro (see `connect`).

    Without `instants` it leaves out the paid_at instant range, which only
    lets DuckDB skip row groups and needs its `timezone()`: the Spark engine
    (workbench.engine.spark) gets the same lines from the partition and
    local-day filters alone.
    """
    instant_range = (
        f"""
          and paid_at >= timezone('{TIMEZONE}', cast(start_date as TIMESTAMP))
          and paid_at < timezone('{TIMEZONE}', cast(end_date + 1 as TIMESTAMP))"""
        if instants
        else ""
    )
    return f"""
        create or replace macro orders_paid(start_date, end_date) as table
        select * from orders
        where partition_date between start_date - 1 and end_date + 1{instant_range}
          and paid_date between start_date and end_date
        """


def session(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Settings every connection to a snapshot needs, a cursor too: a cursor starts from the machine's time zone.

    The views' local days are written out with explicit zones, but a bare
    timestamp cast must not change with the machine the report runs on.
    """
    con.execute("set TimeZone = 'UTC'")
    return con


# What a batch step over a whole snapshot (writing its roll-ups, verifying it) may hold in memory;
# beyond it DuckDB spills to disk, so a 20M-line ingest stays in bounded memory.
BATCH_MEMORY = "1GB"


def bounded(
    con: duckdb.DuckDBPyConnection, memory: str = BATCH_MEMORY, spill: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """The connection capped at `memory`, spilling to `spill` (default: a folder of its own in the system temp folder).

    Left uncapped, DuckDB takes up to 80% of the machine's memory for a big
    group-by: at 20M order lines the roll-ups and their verification alone
    came to 4 GB. A report's connection stays uncapped: its queries are small.
    The ingest's staging and sheet grouping use it with caps of their own.
    """
    folder = spill or Path(tempfile.gettempdir()) / f"workbench-spill-{os.getpid()}-{id(con):x}"
    con.execute(f"set memory_limit = '{memory}'")
    con.execute(f"set temp_directory = '{folder.as_posix()}'")
    return con


def connect(path: Path, database: str = ":memory:", use_aggregates: bool = True) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per contract table of the snapshot.

    Besides the views it defines `orders_paid(start, end)`, a table macro of
    the order lines paid on Asia/Shanghai days start..end, which prunes hive
    partitions (a day either side, in case a foreign snapshot partitioned by
    UTC date) and then, with an instant range on paid_at that parquet
    statistics can answer, skips the row groups of those neighbour days
    (orders are sorted by paid_at within a day) before the exact local-day
    filter. It also defines the roll-up macros of
    workbench.snapshot.aggregates (`sales_daily(start, end)`, ...), read from the
    snapshot's stored roll-ups unless `use_aggregates` is False or it has
    none, in which case they are computed from the order lines. Last come
    the contract's shared definitions (queries/shared/definitions.sql), once
    per connection rather than before every KPI.

    `path` is resolved once, here: a published snapshot's dated name is a
    link to its version folder (workbench.snapshot.layout), and the views
    name the version's files, so the connection keeps reading the version it
    opened even after the date is republished.
    """
    path = Path(path).resolve()
    con = duckdb.connect(database)
    session(con)
    for table in contract.TABLES:
        if not (Path(path) / table).is_dir():
            raise WorkbenchError(
                f"{shown(path)}: table folder {table}/ is missing; every contract table needs a folder, "
                "empty if the table has no rows"
            )
        try:
            con.execute(view_sql(path, table))
            con.execute(f"select * from {table} limit 0").fetchall()
        except duckdb.Error as err:
            raise WorkbenchError(f"{shown(path)}/{table}: cannot read it as the contract's table: {err}") from err
    con.execute(orders_paid_sql())
    aggregates.define(con, Path(path), use_files=use_aggregates)
    con.execute(definitions_sql())
    return con
