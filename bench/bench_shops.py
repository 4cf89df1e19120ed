"""Per-shop reports at scale: `python -m bench.bench_shops [--data DIR] [--shops 200] [--naive 3]`.

Issue 18's target: 200 shop reports of a 10M-line snapshot in under 10
minutes on a 2-core machine, peak memory under 2 GB. The snapshot is the
generator's 10M-line world at its latest cutoff (made under --data if
missing, as bench/run.py makes it); the shops are every k-th shop by id,
a spread of sizes. Two measurements, each in a child process through
bench/peak.py (the naive runs) so the peak RSS is the command's own:

- `batch`: `workbench report --latest --each-shop --shops FILE` (two
  worker processes, the notebook's cells per shop, no kernel), its
  portfolio included; its peak is the whole process tree's RSS at once,
  sampled from /proc, and its CPU seconds are recorded too;
- `naive`: `workbench report --latest --shop S` (papermill, one kernel per
  shop) for the first `--naive` shops, the "before" a batch replaces.

One line per measurement goes to bench/results/shops.jsonl with the
machine, versions and load; docs/benchmarks.md shows the latest lines.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import bench_generate
from bench.run import Recorder, child, snapshot_path
from workbench.paths import project_root

SCALE = "10000000"


def _cpu() -> float:
    """User + system seconds of every finished child process so far (the measured command included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_rss_mb(root: int) -> int:
    """RSS of a process and all its descendants now, in MB (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return round(total / 1024)


def _batch(argv: list[str]) -> tuple[float, int]:
    """Run the batch; its wall seconds and the peak of its whole process tree's RSS, sampled every 0.2 s."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"the batch failed with exit code {proc.returncode}: {' '.join(argv)}")
    return time.perf_counter() - start, peak


def pick_shops(snapshot: Path, count: int) -> list[str]:
    """Every k-th shop of the snapshot by id: `count` shops of every size."""
    con = duckdb.connect()
    ids = [r[0] for r in con.sql(f"select shop_id from '{snapshot}/shops/*.parquet' order by 1").fetchall()]
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=project_root() / "data" / "bench")
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--naive", type=int, default=3, help="shops rendered one papermill run each")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rec = Recorder()
    snapshot = snapshot_path(args.data, SCALE)
    if not (snapshot / "_manifest.json").is_file():
        bench_generate.run_once(SCALE, args.seed, args.data)  # generation is bench/run.py's measurement, not this one's
    shops = pick_shops(snapshot, args.shops)
    workbench = [str(Path(sys.executable).with_name("workbench"))]
    with tempfile.TemporaryDirectory(prefix="bench-shops-") as tmp:
        listed = Path(tmp) / "shops.txt"
        listed.write_text("\n".join(shops) + "\n", encoding="utf-8")
        common = ["report", "--latest", "--snapshot", str(snapshot), "--out-dir", str(Path(tmp) / "reports")]
        before = _cpu()
        wall, tree_peak = _batch([*workbench, *common, "--each-shop", "--shops", str(listed)])
        cpu = _cpu() - before
        rec.add(
            "shops.jsonl",
            {
                "bench": "shops",
                "what": "batch",
                "scale": SCALE,
                "shops": len(shops),
                "wall_s": round(wall, 2),
                "per_shop_s": round(wall / len(shops), 3),
                # CPU seconds (user + system) of the batch: on a shared machine the wall time also holds the waits
                "cpu_s": round(cpu, 1),
                # the batch, its workers and their manager together: the most RSS they held at one time
                "peak_rss_mb": tree_peak,
            },
        )
        naive = []
        for shop in shops[: args.naive]:
            _, wall, peak = child([*workbench, *common, "--shop", shop])
            naive.append((wall, peak))
        if naive:
            per_shop = sum(w for w, _ in naive) / len(naive)
            rec.add(
                "shops.jsonl",
                {
                    "bench": "shops",
                    "what": "naive",
                    "scale": SCALE,
                    "shops": len(naive),
                    "wall_s": [round(w, 2) for w, _ in naive],
                    "per_shop_s": round(per_shop, 3),
                    "extrapolated_s": round(per_shop * len(shops), 1),
                    "peak_rss_mb": max(p for _, p in naive),
                },
            )


if __name__ == "__main__":
    main()
