"""DuckDB against Spark local mode, in one child process: `python -m bench.spark_measure SNAPSHOT REPEAT MASTER`.

For each contract KPI: DuckDB and Spark reading the stored roll-ups
(`duckdb`, `spark`) and computing them from the order lines (`duckdb_raw`,
`spark_raw`), first run and warm runs, each result checked against
DuckDB's (integers exact, floats 1e-12 relative, workbench.engine.compare). Then the roll-up build: every roll-up of
every paid day from the order lines, written as parquet, on DuckDB (what
the snapshot writer does) and on Spark, with the number of order files and
Spark's input partitions, from which docs/benchmarks.md derives the
per-partition cost that executors would share.

Prints one JSON object. Run by bench/run.py (`make bench`), which skips it
with a message when pyspark or Java is missing.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.kpi_set import CONTRACT
from workbench import kpi
from workbench.engine.compare import differences
from workbench.snapshot import aggregates
from workbench.snapshot.read import connect


def _timed(run: Any, repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    result = run()
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    return {"first_s": first, "warm_s": warm, "warm_median_s": statistics.median(warm), "result": result}


def measure(snapshot: Path, repeat: int, master: str) -> dict[str, Any]:
    from workbench.engine.spark import SparkEngine, session

    start = time.perf_counter()
    spark = session(master)
    session_s = time.perf_counter() - start
    engines = {}
    opened = {}
    for name, use in (("spark", True), ("spark_raw", False)):
        start = time.perf_counter()
        engines[name] = SparkEngine.open(snapshot, spark, use_aggregates=use)
        opened[name] = time.perf_counter() - start
    duck = connect(snapshot)
    runners = {"duckdb": duck, "duckdb_raw": connect(snapshot, use_aggregates=False), **engines}
    kpis = []
    for call in CONTRACT:
        expected = kpi.run(duck, call.name, call.start, call.end)
        for name, engine in runners.items():
            timing = _timed(lambda e=engine, c=call: kpi.run(e, c.name, c.start, c.end), repeat)
            kpis.append(
                {
                    "set": call.name,
                    "engine": name,
                    "agrees": differences(expected, timing.pop("result")) == [],
                    **timing,
                }
            )
    builds = []
    raw = engines["spark_raw"]
    orders_files = len(raw.files.tables["orders"])
    partitions = raw.spark.table("orders").rdd.getNumPartitions()
    with tempfile.TemporaryDirectory(prefix="bench-rollups-") as tmp:
        start = time.perf_counter()
        aggregates.write(connect(snapshot, use_aggregates=False), Path(tmp) / "duckdb")
        builds.append({"engine": "duckdb", "build_s": time.perf_counter() - start})
        start = time.perf_counter()
        raw.write_rollups((Path(tmp) / "spark").as_uri())
        builds.append({"engine": "spark", "build_s": time.perf_counter() - start})
    return {
        "master": master,
        "spark_version": spark.version,
        "session_start_s": session_s,
        "open_s": opened,
        "orders_files": orders_files,
        "input_partitions": partitions,
        "shuffle_partitions": int(spark.conf.get("spark.sql.shuffle.partitions")),
        "kpis": kpis,
        "rollup_build": builds,
    }


if __name__ == "__main__":
    snapshot_arg, repeat_arg, master_arg = sys.argv[1:4]
    print(json.dumps(measure(Path(snapshot_arg), int(repeat_arg), master_arg)))
