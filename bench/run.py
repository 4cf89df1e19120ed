"""`make bench`: generation, KPIs against Polars and the scan floor, and the report end to end, in one run.

Every measurement runs in a child process (bench/measure.py, the CLI, or
papermill), so first runs start cold and each peak RSS is that run's own.
Results are appended to bench/results/*.jsonl, one JSON line per
measurement, each with the run id, date, machine and library versions;
docs/benchmarks.md is then rewritten from them (bench/report.py).

    python -m bench.run                       # the full run: 1M/10M/100M and the ingest, ~40-60 min on 2 cores
    python -m bench.run --gen-scales "" --kpi-scales 10000000 --reuse   # KPIs only, on existing data
    python -m bench.run --gen-scales "" --kpi-scales "" --report-repeat 0 --spark-scales 10000000   # Spark only
    python -m bench.run --gen-scales "" --kpi-scales 100000000 --reuse --only report   # the report timings alone
    python -m bench.run ingest                # only the orders ingest at 500k, 5M and 20M API records
    python -m bench.run roundtrip             # snapshot -> exports -> ingest -> identical contract KPIs, 1M lines
    python -m bench.run sheets                # back-office sheets: 1M-row CSV, 200k-row xlsx, the xlsx readers

The Spark comparison (bench/spark_measure.py) runs when pyspark and Java
are there (`make spark`) and is skipped with a message otherwise.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import papermill
import polars

from bench import bench_generate, report
from bench import ingest as ingest_bench
from bench.kpi_set import CONTRACT, WEEK, Call
from bench.measure import floor_sql
from workbench.paths import project_root
from workbench.simulate import simulate
from workbench.snapshot.read import connect

RESULTS = Path(__file__).resolve().parent / "results"
# What `python -m bench.run [PART ...]` can run; all of them by default (`make bench`).
PARTS = ("kpi", "ingest", "roundtrip", "sheets")
DEMO_CUTOFF = date(2025, 12, 21)


def versions() -> dict[str, str]:
    """The libraries whose speed is being measured."""
    return {
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "papermill": papermill.__version__,
    }


def child(argv: list[str]) -> tuple[str, float, int]:
    """Run a command through bench/peak.py; its stdout, wall seconds and peak RSS in MB."""
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as tmp:
        peak_file = Path(tmp) / "peak"
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "bench.peak", str(peak_file), *argv], stdout=subprocess.PIPE, text=True, check=False
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"benchmark step failed with exit code {proc.returncode}: {' '.join(argv)}")
        return proc.stdout, wall, int(peak_file.read_text(encoding="utf-8"))


class Recorder:
    """Appends result lines that share one run id, date, machine and versions."""

    def __init__(self) -> None:
        self.common = {
            "run": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
            "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "machine": bench_generate.machine(),
            **versions(),
        }

    def add(self, file: str, record: dict[str, Any]) -> None:
        line = {**record, **self.common, "load_avg_1m": os.getloadavg()[0]}
        RESULTS.mkdir(parents=True, exist_ok=True)
        with (RESULTS / file).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        print(json.dumps(record)[:200], flush=True)


def snapshot_path(data: Path, scale: str) -> Path:
    """Where bench_generate.run_once writes the snapshot of a scale."""
    return data / scale / bench_generate.CUTOFF


def generate(rec: Recorder, data: Path, scales: list[str], seed: int, reuse: bool) -> None:
    """Generation throughput and peak memory per scale (snapshots kept for the KPI runs)."""
    for scale in scales:
        if reuse and (snapshot_path(data, scale) / "_manifest.json").is_file():
            continue
        rec.add("generation.jsonl", {"bench": "generate", **bench_generate.run_once(scale, seed, data)})


def _measure(engine: str, which: str, snapshot: Path, repeat: int) -> dict[str, Any]:
    out, _, peak = child([sys.executable, "-m", "bench.measure", engine, which, str(snapshot), str(repeat)])
    return {**json.loads(out), "peak_rss_mb": peak}


def _agree(results: dict[str, dict[str, Any]]) -> bool:
    """Whether every engine that returns results returned exactly the same ones."""
    answers = [json.dumps(r["results"], sort_keys=True) for e, r in results.items() if e != "floor"]
    return len(set(answers)) == 1


def kpis(rec: Recorder, snapshot: Path, scale: str, repeat: int) -> None:
    """Each contract KPI and the report's KPI sets, on every engine, with agreement checked."""
    lines = json.loads((snapshot / "_manifest.json").read_text(encoding="utf-8"))["tables"]["orders"]["rows"]
    sets = {c.name: ("duckdb", "duckdb_raw", "polars", "floor") for c in CONTRACT}
    sets["report_contract"] = ("duckdb", "duckdb_raw", "polars")
    sets["report_all"] = ("duckdb",)
    for which, engines in sets.items():
        results = {engine: _measure(engine, which, snapshot, repeat) for engine in engines}
        agrees = _agree(results)
        for engine, result in results.items():
            del result["results"]
            rec.add(
                "kpi.jsonl",
                {
                    "bench": "kpi",
                    "scale": scale,
                    "order_lines": lines,
                    "set": which,
                    "engine": engine,
                    "agrees": agrees,
                    **result,
                },
            )


def layout(rec: Recorder, snapshot: Path, scale: str) -> None:
    """EXPLAIN ANALYZE of a one-week query over raw order lines: the files and bytes it read, against the whole table."""
    con = connect(snapshot, use_aggregates=False)
    call = CONTRACT[0]
    window = {"start": call.start, "end": call.end}
    plan = con.execute(
        "explain analyze select channel, sum(amount_fen) from orders_paid($start, $end) group by channel", window
    ).fetchall()[0][1]
    lines = [" ".join(text.split()) for row in plan.splitlines() if (text := row.strip(" │╭╰─╮╯┒┎┚┖").strip())]
    data_read = next(text.split(":", 1)[1].strip() for text in lines if text.startswith("Data Read"))
    floor = floor_sql(snapshot, Call("week", call.start, call.end, call.reads, ("channel",)))
    rec.add(
        "layout.jsonl",
        {
            "bench": "layout",
            "scale": scale,
            "window": f"{call.start}..{call.end}",
            "order_lines": con.execute("select count(*) from orders").fetchone()[0],
            "window_lines": con.execute("select count(*) from orders_paid($start, $end)", window).fetchone()[0],
            "data_read": data_read,
            "files_opened": floor.count(".parquet"),
            "orders_files": len(list((snapshot / "orders").glob("**/*.parquet"))),
            "plan": lines,
        },
    )


def spark_missing() -> str | None:
    """Why the Spark comparison cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (`make spark`)"
    if shutil.which("java") is None:
        return "Java 17+ is not installed (Debian: openjdk-17-jre-headless)"
    return None


def spark_vs_duckdb(rec: Recorder, snapshot: Path, scale: str, repeat: int, master: str) -> None:
    """The contract KPIs and the roll-up build on DuckDB and on Spark local mode (bench/spark_measure.py)."""
    out, wall, peak = child([sys.executable, "-m", "bench.spark_measure", str(snapshot), str(repeat), master])
    result = json.loads(out)
    lines = json.loads((snapshot / "_manifest.json").read_text(encoding="utf-8"))["tables"]["orders"]["rows"]
    rec.add(
        "spark.jsonl",
        {"bench": "spark", "scale": scale, "order_lines": lines, "child_wall_s": wall, "peak_rss_mb": peak, **result},
    )


def _one_cell_notebook(folder: Path) -> Path:
    path = folder / "one_cell.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {"name": "workbench", "display_name": "Python (workbench)", "language": "python"}
    nbformat.write(nb, path)
    return path


def _cpu_since(before: resource.struct_rusage) -> float:
    """CPU seconds (user + system) of the child processes reaped since `before`: the report and its kernel.

    The machine is shared, so wall seconds depend on what else runs; the CPU
    a run used does much less, and tells whether a slow wall time was waiting.
    """
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 3)


def report_end_to_end(rec: Recorder, snapshot: Path, scale: str, repeat: int) -> None:
    """`workbench report` for one week (validation, papermill, HTML) against a bare one-cell papermill run."""
    workbench = Path(sys.executable).parent / "workbench"
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp)
        notebook = _one_cell_notebook(folder)
        bare = [
            sys.executable,
            "-m",
            "papermill",
            "--no-progress-bar",
            "-k",
            "workbench",
            str(notebook),
            str(folder / "out.ipynb"),
        ]
        full = [
            str(workbench),
            "report",
            "--week",
            str(WEEK),
            "--snapshot",
            str(snapshot),
            "--out-dir",
            str(folder / "reports"),
        ]
        for name, argv in (("papermill_one_cell", bare), ("weekly_report", full)):
            runs, cpus = [], []
            for _ in range(repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                runs.append(child(argv))
                cpus.append(_cpu_since(before))
            walls = sorted(wall for _, wall, _ in runs)
            rec.add(
                "report.jsonl",
                {
                    "bench": "report",
                    "scale": scale,
                    "what": name,
                    "first_s": runs[0][1],
                    "warm_s": [w for _, w, _ in runs],
                    "warm_median_s": walls[len(walls) // 2],
                    "cpu_s": cpus,
                    "cpu_median_s": sorted(cpus)[len(cpus) // 2],
                    "peak_rss_mb": max(p for _, _, p in runs),
                },
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "parts",
        nargs="*",
        help="what to run: kpi (generation, KPIs, report), ingest (orders ingest at scale), roundtrip (snapshot ->"
        " exports -> ingest -> the same KPIs at 1M lines), sheets (back-office order spreadsheets); default all",
    )
    parser.add_argument(
        "--ingest-sizes", default="500000,5000000,20000000", help="API order records per ingest measurement"
    )
    parser.add_argument(
        "--scratch",
        type=Path,
        default=project_root() / "data" / "bench-ingest",
        help="where ingest exports are made (deleted after)",
    )
    parser.add_argument(
        "--data", type=Path, default=project_root() / "data" / "bench", help="where benchmark snapshots live"
    )
    parser.add_argument("--gen-scales", default="1000000,10000000,100000000", help="generation scales ('' for none)")
    parser.add_argument("--kpi-scales", default="10000000,100000000", help="scales of the KPI and report runs")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per measurement (the median is reported)")
    parser.add_argument("--report-repeat", type=int, default=3, help="runs of each end-to-end report measurement")
    parser.add_argument(
        "--spark-scales", default="10000000", help="scales of the DuckDB-against-Spark run ('' for none)"
    )
    parser.add_argument("--spark-master", default="local[2]", help="the Spark master of that run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="keep existing benchmark snapshots instead of regenerating them"
    )
    parser.add_argument(
        "--only",
        choices=("all", "report"),
        default="all",
        help="`report`: only the end-to-end report runs (demo and each KPI scale), not the KPI sets and layout",
    )
    args = parser.parse_args()
    rec = Recorder()
    parts = set(args.parts or PARTS)
    if parts - set(PARTS):
        parser.error(f"unknown part(s) {', '.join(sorted(parts - set(PARTS)))}; choose from {', '.join(PARTS)}")
    if "ingest" in parts:
        ingest_bench.run(rec, child, [int(n) for n in args.ingest_sizes.split(",") if n], args.scratch)
    if "roundtrip" in parts:
        ingest_bench.round_trip(rec, 1_000_000, args.scratch)
    if "sheets" in parts:
        ingest_bench.sheets(rec, child, args.scratch)
    if "kpi" not in parts:
        report.write()  # the latest KPI run's page, with the ingest section from this run
        return
    gen_scales = [s for s in args.gen_scales.split(",") if s]
    kpi_scales = [s for s in args.kpi_scales.split(",") if s]
    spark_scales = [s for s in args.spark_scales.split(",") if s]
    missing = spark_missing() if spark_scales else None
    if missing:
        print(f"bench: skipping DuckDB against Spark: {missing}", flush=True)
        spark_scales = []
    wanted = gen_scales + [s for s in kpi_scales + spark_scales if s not in gen_scales]
    generate(rec, args.data, list(dict.fromkeys(wanted)), args.seed, args.reuse)
    if args.report_repeat > 0:
        demo = args.data / "demo" / DEMO_CUTOFF.isoformat()
        if not (args.reuse and (demo / "_manifest.json").is_file()):
            simulate(args.seed, "demo", DEMO_CUTOFF, demo)
        report_end_to_end(rec, demo, "demo", args.report_repeat)
    for scale in kpi_scales:
        snapshot = snapshot_path(args.data, scale)
        if args.only == "all":
            layout(rec, snapshot, scale)
            kpis(rec, snapshot, scale, args.repeat)
        if args.report_repeat > 0:
            report_end_to_end(rec, snapshot, scale, args.report_repeat)
    for scale in spark_scales:
        spark_vs_duckdb(rec, snapshot_path(args.data, scale), scale, args.repeat, args.spark_master)
    report.write(rec.common["run"] if kpi_scales else None)


if __name__ == "__main__":
    main()
