"""One measurement, run in a fresh child process: `python -m bench.measure ENGINE SET SNAPSHOT REPEAT`.

A child per measurement makes "first run" mean a fresh process (files
possibly in the page cache, nothing in any engine's caches) and lets the
parent read this run's own peak RSS from its rusage. The child prints one
JSON object: the first run's seconds, every warm run's seconds, and the
results (column names, types and rows) so the parent can check that the
engines agree before any time counts.

Engines: `duckdb` (the workbench, reading the roll-ups), `duckdb_raw` (the
workbench's queries over raw order lines, `use_aggregates=False`),
`polars` (tests/support/polars_kpis.py, streaming) and `floor` (a DuckDB scan
of only the columns and days the KPI's raw form reads). Sets: a contract
KPI's name, `report_contract` (the contract KPI calls of one weekly
report) or `report_all` (every KPI call of one weekly report; DuckDB only).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from bench import kpi_polars
from bench.kpi_set import CONTRACT, REPORT_ALL, REPORT_CONTRACT, Call
from workbench import kpi
from workbench.snapshot.read import connect, partition_day, table_files


def _frame_json(frame: pl.DataFrame) -> dict[str, Any]:
    return {
        "columns": frame.columns,
        "types": [str(t) for t in frame.dtypes],
        "rows": json.loads(json.dumps(frame.rows(), default=str)),
    }


def floor_sql(snapshot: Path, call: Call) -> str:
    """A scan of the order files of the days `call` reads, touching each of its columns once."""
    files = [
        f.as_posix()
        for f in table_files(snapshot, "orders")
        if any(
            (day := partition_day(f, Path(snapshot) / "orders")) is None
            or s - timedelta(days=1) <= day <= e + timedelta(days=1)
            for s, e in call.reads
        )
    ]
    mins = ", ".join(f"min({c})" for c in call.columns)
    return f"select {mins} from read_parquet({files!r}, hive_partitioning = false)"


def _scan(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    """Run a floor scan; its result (column minima) is not compared with anything."""
    con.execute(sql).fetchall()
    return {}


def _runner(engine: str, snapshot: Path, which: str) -> Callable[[], list[dict[str, Any]]]:
    """A function that runs the set once and returns each call's result."""
    if which == "report_all":
        con = connect(snapshot)
        return lambda: [_frame_json(kpi.run(con, name, start, end)) for name, start, end in REPORT_ALL]
    calls = REPORT_CONTRACT if which == "report_contract" else tuple(c for c in CONTRACT if c.name == which)
    if engine == "polars":
        return lambda: [_frame_json(kpi_polars.run(snapshot, c)) for c in calls]
    if engine == "floor":
        con = connect(snapshot)
        return lambda: [_scan(con, floor_sql(snapshot, c)) for c in calls]
    con = connect(snapshot, use_aggregates=engine == "duckdb")
    return lambda: [_frame_json(kpi.run(con, c.name, c.start, c.end)) for c in calls]


def measure(engine: str, which: str, snapshot: Path, repeat: int) -> dict[str, Any]:
    """Time one run from a fresh process, then `repeat` warm runs."""
    start = time.perf_counter()
    run = _runner(engine, snapshot, which)
    results = run()
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    return {"first_s": first, "warm_s": warm, "warm_median_s": statistics.median(warm), "results": results}


if __name__ == "__main__":
    engine_arg, set_arg, snapshot_arg, repeat_arg = sys.argv[1:5]
    print(json.dumps(measure(engine_arg, set_arg, Path(snapshot_arg), int(repeat_arg))))
