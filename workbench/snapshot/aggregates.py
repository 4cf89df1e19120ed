"""Pre-aggregated tables that a snapshot carries besides the contract's.

The window KPIs sum a handful of measures by day, channel, category and
account; at a hundred million order lines that scan, not the arithmetic,
is the cost. So the snapshot writer also stores small daily roll-ups
(`queries/aggregates/<name>.sql`) under `aggregates/<name>/`, listed in the
manifest's `aggregates` key, and the KPI queries call the table macro
`<name>(start_date, end_date)`, which reads the roll-up when the snapshot
has it and computes it from the order lines when it does not (hand-made,
ingested or foreign snapshots), so both give the same numbers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from workbench.paths import queries_dir

FOLDER = "aggregates"
# Name -> the columns its rows are sorted by when written (its group key).
AGGREGATES: dict[str, tuple[str, ...]] = {
    "sales_daily": ("paid_date", "channel", "category"),
    "video_sales_daily": ("paid_date", "account_id"),
    "settlement_daily": ("paid_date", "channel", "category", "settle_age"),
    "account_sales_daily": ("paid_date", "account_id", "category"),
}
# Every paid date a snapshot can hold, for writing the whole roll-up at once.
ALL_DAYS = "date '0001-01-02', date '9999-12-30'"


@cache
def definition_sql(name: str) -> str:
    """The `<name>_from_lines(start_date, end_date)` macro that computes one roll-up from orders."""
    return (queries_dir() / FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def files(snapshot: Path, name: str) -> list[Path]:
    """The parquet files of one roll-up in a snapshot folder (none if it has no such roll-up)."""
    return sorted((Path(snapshot) / FOLDER / name).glob("*.parquet"))


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def define(con: duckdb.DuckDBPyConnection, snapshot: Path, use_files: bool = True) -> None:
    """Create the `<name>(start_date, end_date)` macros on a connection made over `snapshot`.

    With `use_files` and the roll-up's parquet present the macro filters the
    stored rows; otherwise it aggregates the order lines of the window, so
    `use_files=False` gives the reference answer the stored rows must match.
    """
    for name in AGGREGATES:
        con.execute(definition_sql(name))
        stored = files(snapshot, name) if use_files else []
        con.execute(macro_sql(name, source_sql(stored) if stored else None))


def source_sql(stored: list[Path]) -> str:
    """The table expression reading a roll-up's stored files.

    No hive partitioning: a snapshot kept under a folder named `paid_date=...`
    must not have that folder's date replace every roll-up row's own paid_date.
    """
    return f"read_parquet([{', '.join(_quote(f) for f in stored)}], hive_partitioning = false)"


def macro_sql(name: str, stored: str | None) -> str:
    """The `<name>(start_date, end_date)` macro: the window's rows of `stored` (a table expression), else from lines.

    The Spark engine (workbench.engine.spark) defines the same macro over its own view of the stored rows.
    """
    if stored:
        body = f"select * from {stored} where paid_date between start_date and end_date"
    else:
        body = f"select * from {name}_from_lines(start_date, end_date)"
    return f"create or replace macro {name}(start_date, end_date) as table {body}"


def write(con: duckdb.DuckDBPyConnection, snapshot: Path) -> dict[str, tuple[Path, pa.Table]]:
    """Compute every roll-up from the order lines and write it as one parquet file per roll-up.

    `con` is a connection over the (not yet published) snapshot folder. Each
    roll-up is computed once: the returned rows are what was written, so the
    writer's verification compares the files with them (verify.verify's
    `computed`) instead of scanning every order line a second time; the
    paths are what the writer lists in the manifest.
    """
    written = {}
    for name, order in AGGREGATES.items():
        con.execute(definition_sql(name))
        folder = Path(snapshot) / FOLDER / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "part-00000.parquet"
        rows = con.sql(f"select * from {name}_from_lines({ALL_DAYS}) order by {', '.join(order)}").to_arrow_table()
        # Written from the Arrow rows: the same bytes as copying the query itself.
        con.register("computed", rows)
        con.execute(f"copy (from computed) to {_quote(path)} (format parquet, compression zstd)")
        con.unregister("computed")
        written[name] = (path, rows)
    return written
