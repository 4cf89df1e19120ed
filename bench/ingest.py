"""Orders ingest at scale: `python -m bench.run ingest [--ingest-sizes 500000,5000000,20000000]`, and the
round trip at 1M lines: `python -m bench.run roundtrip`.

For each size, API order records are generated streaming (bench/ingest_data.py)
under a scratch folder, then measured in child processes through
bench/peak.py, in one run: `workbench ingest` of the folder (orders,
after-sales and products, to a verified snapshot) and, as the baseline
the issue names, DuckDB's `read_json` loading the same orders file into a
table. The files are deleted after each size. One line per measurement
goes to bench/results/ingest.jsonl.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import ingest_data
from workbench import kpi
from workbench.ingest import ingest
from workbench.kpi.opened import open_snapshot
from workbench.paths import project_root
from workbench.simulate import simulate

# DuckDB's own reading of the file into a table: the floor the ingest is held to (at most 3x).
BASELINE = (
    "import duckdb, sys; con = duckdb.connect(); "
    'con.execute("set enable_progress_bar = false"); '
    "con.execute(f\"create table orders as select * from read_json('{sys.argv[1]}', format = 'newline_delimited')\"); "
    "print(con.execute('select count(*) from orders').fetchall()[0][0])"
)


def run(rec: Any, child: Any, sizes: list[int], scratch: Path) -> None:
    """Measure ingest and the read_json baseline at each size, deleting each size's files after."""
    workbench = Path(sys.executable).parent / "workbench"
    for size in sizes:
        folder = scratch / f"orders-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        exports = ingest_data.write(size, folder / "exports")
        orders = exports / "orders.jsonl"
        try:
            (_, baseline_s, baseline_peak), baseline_cpu = _timed(child, [sys.executable, "-c", BASELINE, str(orders)])
            out = folder / "snapshots" / ingest_data.CUTOFF
            (_, wall, peak), cpu = _timed(
                child, [str(workbench), "ingest", str(exports), "--cutoff", ingest_data.CUTOFF, "--out", str(out)]
            )
            rec.add(
                "ingest.jsonl",
                {
                    "bench": "ingest",
                    "records": size,
                    "file_mb": round(orders.stat().st_size / 1024**2, 1),
                    "ingest_s": round(wall, 2),
                    "records_per_s": round(size / wall),
                    "peak_rss_mb": peak,
                    "read_json_s": round(baseline_s, 2),
                    "read_json_peak_rss_mb": baseline_peak,
                    "ratio": round(wall / baseline_s, 2),
                    "ingest_cpu_s": round(cpu, 2),
                    "read_json_cpu_s": round(baseline_cpu, 2),
                    "cpu_ratio": round(cpu / baseline_cpu, 2),
                },
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _timed(child: Any, argv: list[str]) -> tuple[Any, float]:
    """`child(argv)` and the CPU seconds (user + system) the command used.

    The machine is shared, so wall time and its ratio move with the load;
    CPU seconds do much less. A finished child's times are added to its
    parent's children times (bench/peak.py waits for the command, and is
    waited for), so the difference of `os.times()` around the call is the
    command's own.
    """
    before = os.times()
    result = child(argv)
    after = os.times()
    return result, (after.children_user - before.children_user) + (after.children_system - before.children_system)


# The contract KPIs and windows the round trip compares (tests/test_ingest_roundtrip.py, at 20,000 lines).
ROUND_TRIP_CUTOFF = date(2026, 1, 31)  # the whole world: every one of its lines is in the snapshot
ROUND_TRIP_WINDOWS = (
    (date(2025, 11, 22), date(2025, 12, 21)),
    (date(2025, 8, 1), date(2025, 10, 31)),
    (date(2025, 12, 1), date(2025, 12, 7)),
)


def round_trip(rec: Any, lines: int, scratch: Path, seed: int = 7) -> None:
    """Snapshot -> API and CSV exports -> ingest -> the same contract KPIs, at `lines` order lines.

    The exporter is the round-trip test's (tests/support/api_export.py).
    Records whether every contract KPI agreed in every window, and how long
    the ingest took.
    """
    sys.path.insert(0, str(project_root() / "tests" / "support"))
    from api_export import export

    folder = scratch / f"roundtrip-{lines}"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        cutoff = ROUND_TRIP_CUTOFF.isoformat()
        original = simulate(seed, lines, ROUND_TRIP_CUTOFF, folder / "original" / cutoff)
        exports = export(original, folder / "exports")
        start = time.perf_counter()
        result = ingest(exports, ROUND_TRIP_CUTOFF, folder / "ingested" / cutoff)
        seconds = time.perf_counter() - start
        before, after = open_snapshot(original), open_snapshot(result.path)
        names = [name for name, k in kpi.registry().items() if k.kind == "contract"]
        differing = []
        for name in names:
            for start_day, end_day in ROUND_TRIP_WINDOWS:
                window = {"start": start_day, "end": end_day} if "start" in kpi.get(name).params else {"end": end_day}
                if not after.kpi(name, **window).equals(before.kpi(name, **window)):
                    differing.append(f"{name} {start_day}..{end_day}")
        rec.add(
            "ingest.jsonl",
            {
                "bench": "ingest_round_trip",
                "order_lines": before.sql("select count(*) from orders").item(),
                "records": result.counts["orders"]["read"],
                "ingest_s": round(seconds, 2),
                "kpis_compared": len(names) * len(ROUND_TRIP_WINDOWS),
                "kpis_equal": not differing,
                "differing": differing,
            },
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Back-office spreadsheets measured by `python -m bench.run sheets`: rows of a GB18030 CSV, rows of an xlsx.
SHEET_SIZES = (("csv", 1_000_000), ("xlsx", 200_000))
# The xlsx readers compared on the same workbook (bench/xlsx_readers.py); one that is not installed is skipped.
XLSX_READERS = ("openpyxl", "calamine", "fastexcel")


def sheets(rec: Any, child: Any, scratch: Path, sizes: tuple[tuple[str, int], ...] = SHEET_SIZES) -> None:
    """`workbench ingest` of back-office order sheets (bench/sheet_data.py), and each xlsx reader on its own.

    The same rows as the API bench (bench/ingest_data.py's orders), one row
    per order line; records/s counts rows. Each xlsx size also times every
    installed reader reading the workbook into Python cells (how the reader
    was chosen, docs/ingest.md).
    """
    import importlib.util

    from bench import sheet_data

    workbench = Path(sys.executable).parent / "workbench"
    for kind, rows in sizes:
        folder = scratch / f"sheet-{kind}-{rows}"
        shutil.rmtree(folder, ignore_errors=True)
        try:
            path = sheet_data.write(rows, folder / "exports", kind)
            out = folder / "snapshots" / ingest_data.CUTOFF
            _, wall, peak = child(
                [str(workbench), "ingest", str(path.parent), "--cutoff", ingest_data.CUTOFF, "--out", str(out)]
            )
            rec.add(
                "ingest.jsonl",
                {
                    "bench": "ingest_sheet",
                    "kind": kind,
                    "rows": rows,
                    "file_mb": round(path.stat().st_size / 1024**2, 1),
                    "ingest_s": round(wall, 2),
                    "rows_per_s": round(rows / wall),
                    "peak_rss_mb": peak,
                },
            )
            if kind != "xlsx":
                continue
            module = {"calamine": "python_calamine"}
            for reader in XLSX_READERS:
                if importlib.util.find_spec(module.get(reader, reader)) is None:
                    print(f"xlsx reader {reader} is not installed: not measured", flush=True)
                    continue
                _, wall, peak = child([sys.executable, "-m", "bench.xlsx_readers", reader, str(path)])
                rec.add(
                    "ingest.jsonl",
                    {
                        "bench": "xlsx_reader",
                        "reader": reader,
                        "rows": rows,
                        "read_s": round(wall, 2),
                        "rows_per_s": round(rows / wall),
                        "peak_rss_mb": peak,
                    },
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
