"""Orders ingest at scale: `python -m bench.run ingest [--ingest-sizes 500000,5000000,20000000]`.

For each size, API order records are generated streaming (bench/ingest_data.py)
under a scratch folder, then measured in child processes through
bench/peak.py, in one run: `workbench ingest` of the folder (orders,
after-sales and products, to a verified snapshot) and, as the baseline
the issue names, DuckDB's `read_json` loading the same orders file into a
table. The files are deleted after each size. One line per measurement
goes to bench/results/ingest.jsonl.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from bench import ingest_data

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
            _, baseline_s, baseline_peak = child([sys.executable, "-c", BASELINE, str(orders)])
            out = folder / "snapshots" / ingest_data.CUTOFF
            _, wall, peak = child(
                [str(workbench), "ingest", str(exports), "--cutoff", ingest_data.CUTOFF, "--out", str(out)]
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
                },
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
