"""docs/benchmarks.md from bench/results/*.jsonl: `python -m bench.report [RUN]`.

The page is generated, never edited by hand, so every figure in it is a
result line someone can find: it shows one run of `make bench` (the
latest, or RUN), with the machine, versions and date the lines carry,
ratios against Polars and the scan floor, and each target of issue 7 as
met or missed with its figure. Generation lines are bench/run.py's own
(bench/results/generation.jsonl, measured with bench_generate.run_once),
the latest line per size.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from workbench.paths import project_root

RESULTS = Path(__file__).resolve().parent / "results"
DOC = project_root() / "docs" / "benchmarks.md"
TOP = "100000000"


def _lines(file: str) -> list[dict[str, Any]]:
    path = RESULTS / file
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _of_run(file: str, run: str) -> list[dict[str, Any]]:
    return [r for r in _lines(file) if r.get("run") == run]


def _s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.3f}"


def _x(num: float | None, den: float | None) -> str:
    return "–" if not num or not den else f"{num / den:.2f}×"


def _scale_name(scale: str) -> str:
    return f"{int(scale) / 1e6:g}M" if scale.isdigit() else scale


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *("| " + " | ".join(r) + " |" for r in rows), ""]


def _generation(out: list[str]) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for r in _lines("generation.jsonl"):
        latest[_scale_name(str(r["order_lines"]))] = r
    rows = [
        [
            s,
            f"{r['order_lines']:,}",
            f"{r['wall_s']:.1f}",
            f"{r['order_lines_per_s']:,}",
            f"{r['peak_rss_mb']:,}",
            f"{r['snapshot_mb']:,}",
            r["date"][:10],
            f"{r['machine']['load_avg_1m']:.1f}",
        ]
        for s, r in latest.items()
    ]
    out += [
        "## Generation",
        "",
        "`workbench.simulate` at the latest cutoff, one child process per scale (bench/bench_generate.py), "
        "including the roll-ups the snapshot writer adds; the latest line per size.",
        "",
    ]
    out += _table(["scale", "order lines", "wall s", "lines/s", "peak RSS MB", "snapshot MB", "date", "load"], rows)
    return latest


def _layout(out: list[str], run: str) -> None:
    out += ["## Layout: what a one-week query reads", ""]
    out += [
        "Orders are hive-partitioned by Asia/Shanghai paid date (`orders/paid_date=YYYY-MM-DD/`), sorted by `paid_at` "
        "inside each day, zstd with dictionary-encoded strings and row groups of 128Ki lines. A one-week query over raw "
        "lines opens only the files of its days (± one day for foreign UTC-partitioned snapshots) and reads only its "
        "columns; the window KPIs do not even do that, they read the roll-ups (next section).",
        "",
    ]
    rows = []
    for r in _of_run("layout.jsonl", run):
        rows.append(
            [
                _scale_name(r["scale"]),
                r["window"],
                f"{r['order_lines']:,}",
                f"{r['window_lines']:,}",
                r["data_read"],
                f"{r['files_opened']} of {r['orders_files']}",
            ]
        )
    out += _table(["scale", "window", "order lines", "lines in window", "data read", "files opened"], rows)
    for r in _of_run("layout.jsonl", run)[-1:]:
        out += [f"`EXPLAIN ANALYZE` at {_scale_name(r['scale'])} (boxes flattened):", "", "```", *r["plan"], "```", ""]


def _kpis(out: list[str], run: str) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    by_scale: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for r in _of_run("kpi.jsonl", run):
        by_scale.setdefault(r["scale"], {})[(r["set"], r["engine"])] = r
    out += [
        "## KPIs: workbench against Polars and the scan floor",
        "",
        "Seconds; *first* is a fresh process (connect + first run), *warm* the median of the next runs. "
        "`duckdb` is the workbench (roll-ups), `raw` the same SQL over raw lines (`use_aggregates=False`), `polars` the "
        "contract KPIs in lazy Polars on the streaming engine over raw lines (tests/support/polars_kpis.py), `floor` a DuckDB "
        "scan of just the order columns and days the KPI's raw form reads. *agree* = every engine returned exactly the "
        "same frames; a time counts only then. `report_contract` = the 7 contract-KPI calls one weekly report makes; "
        "`report_all` = all 15 KPI calls of one weekly report (DuckDB only: the analysts' KPIs have no Polars twin).",
        "",
    ]
    for scale, cells in by_scale.items():
        rows = []
        for which in dict.fromkeys(s for s, _ in cells):
            got = {e: cells.get((which, e)) for e in ("duckdb", "duckdb_raw", "polars", "floor")}
            warm = {e: r["warm_median_s"] if r else None for e, r in got.items()}
            duck = got["duckdb"] or {}
            rows.append(
                [
                    which,
                    _s(duck.get("first_s")),
                    _s(warm["duckdb"]),
                    _s(warm["duckdb_raw"]),
                    _s(warm["polars"]),
                    _s(warm["floor"]),
                    _x(warm["duckdb"], warm["floor"]),
                    _x(warm["duckdb_raw"], warm["floor"]),
                    _x(warm["polars"], warm["duckdb"]),
                    str(duck.get("peak_rss_mb", "–")),
                    str((got["polars"] or {}).get("peak_rss_mb", "–")),
                    "yes" if duck.get("agrees") else "NO",
                ]
            )
        out += [f"### {_scale_name(scale)} order lines", ""]
        out += _table(
            [
                "set",
                "duckdb first",
                "duckdb warm",
                "raw warm",
                "polars warm",
                "floor warm",
                "duckdb / floor",
                "raw / floor",
                "polars / duckdb",
                "duckdb peak MB",
                "polars peak MB",
                "agree",
            ],
            rows,
        )
    return by_scale


def _reports(out: list[str], run: str) -> dict[tuple[str, str], dict[str, Any]]:
    lines = _of_run("report.jsonl", run)
    got = {(r["scale"], r["what"]): r for r in lines}
    rows = []
    for scale in dict.fromkeys(s for s, _ in got):
        bare, full = got.get((scale, "papermill_one_cell")), got.get((scale, "weekly_report"))
        rows.append(
            [
                _scale_name(scale),
                _s(bare and bare["warm_median_s"]),
                _s(full and full["warm_median_s"]),
                _x(full and full["warm_median_s"], bare and bare["warm_median_s"]),
                _s(full and full.get("cpu_median_s")),
                str(full["peak_rss_mb"]) if full else "–",
            ]
        )
    out += [
        "## Weekly report end to end",
        "",
        "`workbench report --week 4` (parameter checks and snapshot validation, papermill, HTML) against "
        "`papermill` running a one-cell notebook on the same kernel; median wall seconds of the runs, each a fresh process, "
        "and the median CPU seconds (user + system, the report's process and its kernel; recorded since December 2026) "
        "of the report runs: on a shared machine the wall time includes waiting for the cores"
        + (
            f" (run `{run}` on {lines[0]['date']}, 1-minute load average {lines[0]['load_avg_1m']:.1f} when it started)."
            if lines
            else "."
        ),
        "",
    ]
    out += _table(["snapshot", "bare papermill s", "weekly report s", "ratio", "report CPU s", "report peak MB"], rows)
    return got


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "MISSED")


# Why a target can miss, from profiling the runs that missed (shown only when it does).
WHY = {
    "set": "measured per call at 100M, traffic_by_tab takes 0.43 s (it weights the week's 0.7M video-traffic rows per "
    "video and spreads each video's orders over its tabs by clicks), eligibility_funnel 0.13 s and "
    "posting_quota_use 0.12 s; every other call reads the roll-ups in 0.01-0.06 s",
    "papermill": "timed on a quiet machine, the chain is: command start to kernel spawn 0.2 s (the command line "
    "now imports nothing heavy), the kernel's boot and preload (the notebook's imports, vl-convert woken) 1.1 s, "
    "the cells 1.5 s (KPI frames beside the nowcast, lift and restatement on two worker threads, then the counted "
    "charts; 4.3 CPU-s in all, held back by Python's lock and by vl-convert drawing one chart at a time), the page "
    "written while the kernel is stopped 0.2 s; the next levers are fewer queries in the nowcast's backtests and "
    "fewer Altair objects per chart",
    "report100": "profiled in-process at 100M (CPU seconds): the lift's two queries over the 11M-row account_sales_daily "
    "roll-up ~2.5 s (lift_accounts 1.7 s: it groups every eligible account's rows by category; lift_daily 0.8 s), "
    "traffic_by_tab 0.9 s (the week's 3.8M order lines and all 1.6M videos), charts ~1 s (vl-convert SVG), the "
    "bootstrap and event study 0.5 s; the wall time is the CPU time plus waiting for cores on a shared machine",
    "generation": "the generator (workbench/simulate) is CPU-bound in numpy/pyarrow on 2 cores",
    "ingest": "read_json makes one pass that only parses; the ingest parses and checks every record against the "
    "careful path's rules in SQL, stages the versions, decides them (supersede, skip, statuses, refunds), sorts "
    "lines by day, writes them through the snapshot writer (zstd, checksums), builds the roll-ups and verifies the "
    "whole snapshot, each a pass over the data; and the machine was shared with other jobs (see load). Profiled at "
    "500k (CPU seconds, which the load moves much less than wall time): of 16.7, staging the bulk path 6.7 (about "
    "0.7 per 32 MB block: parse, every check of the careful path, line explosion), deciding versions and facts 1.1, "
    "after-sales 0.8, writing the day parts 1.5, `_rejected/` 0.5, the incremental state 1.2, the roll-ups 1.1, "
    "full verification 2.2 (checksums, data rules, the roll-ups recomputed), imports and dimension tables the rest; "
    "read_json takes 1.6",
    "ingest_memory": "DuckDB's staging is capped at 512 MB, and since 2026-12-01T07:06 the snapshot writer's roll-ups "
    "and full verification at 1 GB (spilling to disk), which took the 20M peak from 4.1 GB (run 20261201T063549Z) to "
    "2.6 GB (run 20261201T070632Z), when the after-sales (about 750k at 20M) were still held in Python and the "
    "memory they left behind sat under every later step. Since they are staged as parquet and decided by DuckDB on "
    "the staging connection, the 20M peak is 1.7 GB (run 20261201T091146Z; 5M 1.2 GB): RSS sampled every 2 s stays "
    "under 1 GB until the incremental state and verification (1.4-1.5 GB). read_json itself peaks at 4.8 GB",
}


def _row(target: str, figure: str, ok: bool | None, why: str, by: str = "") -> list[str]:
    """One target row; a miss says by how much and why."""
    note = "" if ok is None or ok else f"{by}; {WHY[why]}" if by else WHY[why]
    return [target, figure, _verdict(ok), note]


def _targets(
    out: list[str],
    gen: dict[str, dict[str, Any]],
    kpis: dict[str, dict[tuple[str, str], dict[str, Any]]],
    reports: dict[tuple[str, str], dict[str, Any]],
) -> None:
    top = kpis.get(TOP) or (kpis[max(kpis, key=int)] if kpis else {})
    label = _scale_name(TOP if TOP in kpis else (max(kpis, key=int) if kpis else TOP))
    warm = {k: r["warm_median_s"] for k, r in top.items()}
    rows = []
    duck, pol, full = (
        warm.get(("report_contract", "duckdb")),
        warm.get(("report_contract", "polars")),
        warm.get(("report_all", "duckdb")),
    )
    rows.append(
        _row(
            f"report KPI set ≥ 3× faster than Polars streaming ({label})",
            f"{_x(pol, duck)} (contract calls: {_s(duck)} s vs {_s(pol)} s)",
            None if not duck or not pol else pol / duck >= 3,
            "set",
        )
    )
    rows.append(
        _row(
            f"report KPI set < 1 s warm ({label})",
            f"all 15 calls {_s(full)} s; contract calls {_s(duck)} s",
            None if full is None else full < 1,
            "set",
            f"{_x(full, 1.0)} the target",
        )
    )
    for (which, engine), r in top.items():
        if engine == "duckdb" and (which, "floor") in warm:
            ratio = r["warm_median_s"] / warm[(which, "floor")]
            rows.append(
                _row(
                    f"{which} within 2× of its scan floor ({label})",
                    f"{ratio:.2f}× ({_s(r['warm_median_s'])} s vs {_s(warm[(which, 'floor')])} s)",
                    ratio <= 2,
                    "set",
                )
            )
    bare, demo = reports.get(("demo", "papermill_one_cell")), reports.get(("demo", "weekly_report"))
    ratio = demo["warm_median_s"] / bare["warm_median_s"] if bare and demo else None
    rows.append(
        _row(
            "weekly report ≤ 3× bare papermill (demo)",
            "–" if ratio is None else f"{ratio:.2f}×",
            None if ratio is None else ratio <= 3,
            "papermill",
            "–" if ratio is None else f"{ratio / 3:.1f}× the allowance",
        )
    )
    big = reports.get((TOP, "weekly_report"))
    big_s = big["warm_median_s"] if big else None
    rows.append(
        _row(
            f"weekly report < 15 s ({_scale_name(TOP)})",
            _s(big_s) + " s",
            None if big_s is None else big_s < 15,
            "report100",
            f"{_x(big_s, 15.0)} the target",
        )
    )
    g = gen.get(_scale_name(TOP))
    rate = g["order_lines_per_s"] if g else None
    rows.append(
        _row(
            "generation ≥ 2M lines/s (100M)",
            f"{rate:,} lines/s" if rate else "–",
            None if not rate else rate >= 2_000_000,
            "generation",
            f"{rate / 2_000_000:.2f}× the target" if rate else "",
        )
    )
    rows.append(
        _row(
            "generation peak < 2 GB (100M)",
            f"{g['peak_rss_mb']:,} MB" if g else "–",
            None if not g else g["peak_rss_mb"] < 2048,
            "generation",
        )
    )
    peaks = [r["peak_rss_mb"] for (_, engine), r in top.items() if engine == "duckdb"]
    rows.append(
        _row(
            f"KPI queries peak < 2 GB ({label})",
            f"max {max(peaks):,} MB" if peaks else "–",
            None if not peaks else max(peaks) < 2048,
            "set",
        )
    )
    out += ["## Targets (issue 7)", ""]
    out += _table(["target", "figure", "verdict", "by how much, and why"], rows)


SPARK_ENGINES = ("duckdb", "spark", "duckdb_raw", "spark_raw")


def _spark(out: list[str]) -> None:
    """The latest DuckDB-against-Spark line per scale (bench/spark_measure.py), with the per-partition cost."""
    latest: dict[str, dict[str, Any]] = {}
    for r in _lines("spark.jsonl"):
        latest[str(r["scale"])] = r
    if not latest:
        return
    out += [
        "## DuckDB against Spark local mode",
        "",
        "The contract KPIs of the benchmark week on both engines, from the stored roll-ups and from the order lines "
        "(`_raw`), each result checked equal to DuckDB's before its time counts (bench/spark_measure.py); warm "
        "medians in seconds. Then every roll-up of every paid day built from the order lines and written as parquet. "
        "When Spark is worth it, and how its time would scale with executors: docs/scale-out.md.",
        "",
    ]
    for scale, r in latest.items():
        m = r["machine"]
        out += [
            f"### {_scale_name(scale)} order lines, Spark {r['spark_version']} `{r['master']}`",
            "",
            f"{r['date'][:10]}, {m['nproc']} cores, load {r['load_avg_1m']:.1f}; session start "
            f"{r['session_start_s']:.1f} s, opening the snapshot {r['open_s']['spark']:.1f} s; peak RSS of the Python "
            f"process {r['peak_rss_mb']:,} MB (the JVM's is not in it).",
            "",
        ]
        by = {(k["set"], k["engine"]): k for k in r["kpis"]}
        rows = []
        for name in dict.fromkeys(k["set"] for k in r["kpis"]):
            cells = [by.get((name, e)) for e in SPARK_ENGINES]
            agree = all(c is None or c["agrees"] for c in cells)
            ratio = _x(by[(name, "spark_raw")]["warm_median_s"], by[(name, "duckdb_raw")]["warm_median_s"])
            rows.append(
                [name, *(_s(c["warm_median_s"]) if c else "–" for c in cells), "yes" if agree else "**no**", ratio]
            )
        out += _table(["KPI", *SPARK_ENGINES, "equal", "spark_raw / duckdb_raw"], rows)
        builds = {b["engine"]: b["build_s"] for b in r["rollup_build"]}
        per_partition = builds["spark"] * min(m["nproc"], 2) / max(r["input_partitions"], 1)
        out += [
            "| roll-up build | seconds |",
            "|---|---|",
            f"| DuckDB | {builds['duckdb']:.2f} |",
            f"| Spark ({r['orders_files']} order files, {r['input_partitions']} input partitions) | {builds['spark']:.2f} |",
            "",
            f"Per input partition, Spark's build costs about {per_partition:.2f} core-seconds here "
            "(build seconds × cores ÷ partitions).",
            "",
        ]


def _ingest(out: list[str]) -> None:
    """The latest run of the orders ingest bench (bench/ingest.py) and the targets of issue 16."""
    lines = [r for r in _lines("ingest.jsonl") if r.get("bench") == "ingest"]
    if not lines:
        return
    # Every measurement, by size then date: each line holds its own read_json baseline, measured in the same
    # run under the same load (the machine is shared); the targets are judged on the latest line per size.
    got = sorted(lines, key=lambda r: (r["records"], r["date"]))
    latest = {r["records"]: r for r in got}
    trips = [r for r in _lines("ingest.jsonl") if r.get("bench") == "ingest_round_trip"][-1:]
    first = got[0]
    m = first["machine"]
    out += [
        "## Orders ingest (issue 16)",
        "",
        f"Every measurement of `python -m bench.run ingest` (dates, runs and the machine's load below): {m['nproc']} cores "
        f"({m['cpu_model']}), {m['memory_gb']} GB RAM; "
        f"Python {first['python']}, DuckDB {first['duckdb']}. `workbench ingest` of generated API exports "
        "(bench/ingest_data.py: orders.jsonl with ids as strings and as bare numbers, 2% of orders exported twice, "
        "10% cancelled, refunds in aftersales.jsonl, products.csv) to a verified snapshot, against DuckDB's "
        "`read_json` loading the same orders file into a table; each a fresh process, peak RSS its own.",
        "",
    ]
    rows = [
        [
            _scale_name(str(r["records"])),
            f"{r['file_mb']:,}",
            f"{r['ingest_s']:.1f}",
            f"{r['records_per_s']:,}",
            f"{r['peak_rss_mb']:,}",
            f"{r['read_json_s']:.1f}",
            f"{r['read_json_peak_rss_mb']:,}",
            f"{r['ratio']:.2f}×",
            f"{r['ingest_cpu_s']:.1f} / {r['read_json_cpu_s']:.1f} = {r['cpu_ratio']:.2f}×"
            if "cpu_ratio" in r
            else "–",
            f"{r['load_avg_1m']:.1f}",
            f"{r['date'][:16]} (`{r['run']}`)",
        ]
        for r in got
    ]
    out += _table(
        [
            "records",
            "file MB",
            "ingest s",
            "records/s",
            "peak MB",
            "read_json s",
            "read_json peak MB",
            "ratio",
            "CPU s: ingest / read_json",
            "load",
            "when (run)",
        ],
        rows,
    )
    by_size = latest
    targets = []
    if 5_000_000 in by_size:
        r = by_size[5_000_000]
        targets.append(
            _row(
                "5M: ingest <= 3x read_json",
                f"{r['ratio']:.2f}×",
                r["ratio"] <= 3,
                "ingest",
                f"{r['ratio'] / 3:.1f}x over",
            )
        )
    if 20_000_000 not in by_size:
        targets.append(
            [
                "20M: peak < 2 GB",
                "–",
                _verdict(None),
                "the one 20M run (2026-12-01T03:22) stopped when DuckDB's 512 MB cap was hit while it gathered 2M "
                "skipped versions into one Arrow table; they are now written to parquet and read in batches, "
                "not measured again at 20M yet",
            ]
        )
    for size in (5_000_000, 20_000_000):
        if size in by_size:
            r = by_size[size]
            ok = r["peak_rss_mb"] < 2048
            targets.append(
                _row(
                    f"{_scale_name(str(size))}: peak < 2 GB",
                    f"{r['peak_rss_mb']:,} MB",
                    ok,
                    "ingest_memory",
                    f"{r['peak_rss_mb'] - 2048:,} MB over",
                )
            )
    small = [r for size, r in by_size.items() if size <= 510_000]
    if small:
        r = small[-1]
        targets.append(
            _row(
                f"{r['records']:,} records under 10 s",
                f"{r['ingest_s']:.1f} s",
                r["ingest_s"] < 10,
                "ingest",
                f"{r['ingest_s'] / 10:.1f}x over",
            )
        )
    for r in trips:
        targets.append(
            _row(
                f"round trip at {r['order_lines']:,} lines: identical contract KPIs",
                f"{r['kpis_compared']} KPI calls, ingest {r['ingest_s']:.1f} s ({r['date'][:10]})",
                r["kpis_equal"],
                "ingest",
                "differing: " + ", ".join(r["differing"]),
            )
        )
    out += _table(["target", "figure", "verdict", "by how much, and why"], targets)


def _sheets(out: list[str]) -> None:
    """The latest back-office spreadsheet ingest and xlsx reader lines (`python -m bench.run sheets`)."""
    lines = _lines("ingest.jsonl")
    ingests = {(r["kind"], r["rows"]): r for r in lines if r.get("bench") == "ingest_sheet"}
    readers = {(r["reader"], r["rows"]): r for r in lines if r.get("bench") == "xlsx_reader"}
    if not ingests and not readers:
        return
    out += [
        "## Back-office spreadsheets (issue 16)",
        "",
        "`workbench ingest` of a back-office orders sheet (bench/sheet_data.py: the API bench's orders, one row per "
        "order line, Chinese headers and statuses, yuan; the CSV in GB18030) to a verified snapshot, read in bounded "
        "memory (docs/ingest.md); the latest line per kind and size, each a fresh process, peak RSS its own.",
        "",
    ]
    out += _table(
        ["sheet", "rows", "file MB", "ingest s", "rows/s", "peak MB", "load", "when (run)"],
        [
            [
                kind,
                f"{rows:,}",
                f"{r['file_mb']:,}",
                f"{r['ingest_s']:.1f}",
                f"{r['rows_per_s']:,}",
                f"{r['peak_rss_mb']:,}",
                f"{r['load_avg_1m']:.1f}",
                f"{r['date'][:16]} (`{r['run']}`)",
            ]
            for (kind, rows), r in ingests.items()
        ],
    )
    if readers:
        out += [
            "xlsx readers, each reading the same workbook into Python cells, every row (bench/xlsx_readers.py): "
            "what chose python-calamine.",
            "",
        ]
        out += _table(
            ["reader", "rows", "read s", "rows/s", "peak MB", "load", "when (run)"],
            [
                [
                    reader,
                    f"{rows:,}",
                    f"{r['read_s']:.1f}",
                    f"{r['rows_per_s']:,}",
                    f"{r['peak_rss_mb']:,}",
                    f"{r['load_avg_1m']:.1f}",
                    f"{r['date'][:16]} (`{r['run']}`)",
                ]
                for (reader, rows), r in sorted(readers.items(), key=lambda item: (item[0][1], item[0][0]))
            ],
        )


def _shops(out: list[str]) -> None:
    """Issue 18's batch target from the latest bench/bench_shops.py run (its own run id, like generation)."""
    lines = _lines("shops.jsonl")
    if not lines:
        return
    latest = {r["what"]: r for r in lines}  # the latest line of each measurement (runs may measure one only)
    batch, naive = latest.get("batch"), latest.get("naive")
    out += ["## Shop reports", ""]
    for r in (batch, naive):
        if r is not None:
            m = r["machine"]
            out += [
                f"- {r['what']}: `python -m bench.bench_shops` run `{r['run']}` on {r['date']}: {m['nproc']} cores "
                f"({m['cpu_model']}), load {r['load_avg_1m']:.1f} when it ended (the machine is shared); "
                f"Python {r['python']}, DuckDB {r['duckdb']}."
            ]
    out += ["", "Shop reports of the 10M-line world's last complete week, every k-th shop by id.", ""]
    rows = []
    if batch:
        rows.append(
            [
                "batch: `report --latest --each-shop --shops FILE` (two workers, peak = whole process tree, portfolio included)",
                str(batch["shops"]),
                f"{batch['wall_s']:.1f}",
                f"{batch['per_shop_s']:.2f}",
                f"{batch['cpu_s']:.0f}" if "cpu_s" in batch else "–",
                f"{batch['peak_rss_mb']:,}",
            ]
        )
    if naive:
        rows.append(
            [
                f"naive: `report --latest --shop S` per shop (papermill), {naive['shops']} shops, "
                f"extrapolated to {batch['shops'] if batch else 200}",
                str(naive["shops"]),
                f"{naive['extrapolated_s']:.1f} (extrapolated)",
                f"{naive['per_shop_s']:.2f}",
                "–",
                f"{naive['peak_rss_mb']:,}",
            ]
        )
    out += _table(["what", "shops", "wall s", "s per shop", "CPU s", "peak RSS MB"], rows)
    if batch:
        met = batch["shops"] >= 200 and batch["wall_s"] < 600 and batch["peak_rss_mb"] < 2048
        out += [
            f"Target (issue 18): 200 shop reports of 10M lines in under 10 minutes, peak memory under 2 GB: "
            f"**{'met' if met else 'missed'}** ({batch['wall_s']:.0f} s, {batch['peak_rss_mb']:,} MB).",
            "",
        ]


def write(run: str | None = None) -> Path:
    """Rewrite docs/benchmarks.md from the result lines of `run` (default: the latest KPI run).

    The KPI and layout tables come from `run` when it has KPI lines, else from
    the latest run that does; the end-to-end report timings likewise
    (`bench.run --only report` measures them alone).
    """
    kpi_runs = [r["run"] for r in _lines("kpi.jsonl")]
    report_runs = [r["run"] for r in _lines("report.jsonl")]
    run = run or (kpi_runs[-1] if kpi_runs else "")
    kpi_run = run if _of_run("kpi.jsonl", run) or not kpi_runs else kpi_runs[-1]
    report_run = run if _of_run("report.jsonl", run) or not report_runs else report_runs[-1]
    first = next(iter(_of_run("kpi.jsonl", kpi_run) or _of_run("report.jsonl", report_run)), {})
    out = [
        "# Benchmarks",
        "",
        "<!-- generated by `python -m bench.report` from bench/results/*.jsonl; do not edit -->",
        "",
    ]
    if first:
        m = first["machine"]
        out += [
            f"Run `{first['run']}` of `make bench` on {first['date']}: {m['nproc']} cores ({m['cpu_model']}), {m['memory_gb']} GB RAM; "
            f"Python {first['python']}, DuckDB {first['duckdb']}, Polars {first['polars']}, papermill {first['papermill']}. "
            "Files are in the page cache after the first run. pandas is not measured: it is not a dependency of the "
            "project, and eager pandas would hold every order column of 10M lines in memory, which is no contest for "
            "either engine.",
            "",
        ]
    gen = _generation(out)
    _layout(out, kpi_run)
    kpis = _kpis(out, kpi_run)
    reports = _reports(out, report_run)
    _spark(out)
    _targets(out, gen, kpis, reports)
    _ingest(out)
    _sheets(out)
    _shops(out)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(out), encoding="utf-8")
    return DOC


if __name__ == "__main__":
    print(write(sys.argv[1] if len(sys.argv) > 1 else None))
