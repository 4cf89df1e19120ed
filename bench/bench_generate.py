"""Generator throughput: wall time, order lines/s and peak memory per scale.

`python -m bench.bench_generate [--scales demo,10000000,large]` runs
`workbench.simulate.simulate` in a fresh subprocess per scale (so each peak
RSS is that run's alone, read from the child's rusage), at the latest
cutoff so the snapshot holds the whole world, and appends one JSON line per
run to bench/results/generate.jsonl with the machine and library versions,
because a figure without the machine it came from cannot be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy
import pyarrow

RESULTS = Path(__file__).resolve().parent / "results" / "generate.jsonl"
CUTOFF = "2026-01-31"
CHILD = "import sys; from datetime import date; from workbench.simulate import simulate; simulate(int(sys.argv[1]), sys.argv[2], date.fromisoformat(sys.argv[3]), sys.argv[4])"


def machine() -> dict[str, object]:
    """CPU count, model, memory and current load of this machine."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "load_avg_1m": os.getloadavg()[0],
    }


def run_once(scale: str, seed: int, root: Path) -> dict[str, object]:
    """Generate one snapshot in a child process and measure it."""
    out = root / scale / CUTOFF
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(seed), scale, CUTOFF, str(out)])
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"generation at scale {scale} failed with exit code {child.returncode}")
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    lines = manifest["tables"]["orders"]["rows"]
    size = sum(f["bytes"] for t in manifest["tables"].values() for f in t["files"])
    return {
        "scale": scale,
        "seed": seed,
        "cutoff": CUTOFF,
        "order_lines": lines,
        "wall_s": round(wall, 2),
        "cpu_user_s": round(usage.ru_utime, 2),
        "cpu_sys_s": round(usage.ru_stime, 2),
        "order_lines_per_s": round(lines / wall),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "snapshot_mb": round(size / 1024**2, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", default="demo,10000000", help="comma-separated scales: demo, large or a number of order lines"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--keep", type=Path, help="write snapshots under this folder and keep them (default: a temporary folder)"
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-generate-"))
    versions = {"python": platform.python_version(), "numpy": numpy.__version__, "pyarrow": pyarrow.__version__}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        for scale in args.scales.split(","):
            record = {
                "bench": "generate",
                "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
                **run_once(scale.strip(), args.seed, root),
                "machine": machine(),
                **versions,
            }
            with RESULTS.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
            print(json.dumps(record))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
