"""`workbench ingest SOURCE_DIR --cutoff DATE`: exports in, snapshot out, summary printed."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from workbench.cli.failures import writing_to
from workbench.ingest import IngestResult, ingest
from workbench.ingest.ledger import OUTCOMES
from workbench.paths import snapshots_dir


def ingest_command(
    source_dir: Path = typer.Argument(..., help="Folder of export files (orders*.jsonl, accounts*.csv, ...)."),
    cutoff: str = typer.Option(..., help="Snapshot date YYYY-MM-DD; statuses are as of its 23:59:59 Asia/Shanghai."),
    out: Path = typer.Option(
        None,
        help="Snapshot folder, named after the cutoff date (default: data/snapshots/<cutoff>); "
        "an existing one must be a snapshot.",
    ),
) -> None:
    """Read WeChat Mini Shop exports into a validated snapshot; left-out records go to _rejected/."""
    with writing_to(out or snapshots_dir() / cutoff):
        result = ingest(source_dir, cutoff, out)
    print_summary(result, Console())


def print_summary(result: IngestResult, console: Console) -> None:
    """The per-table counts, counted facts and ignored files, as rich tables."""
    counts = Table("table", "read", *OUTCOMES, title=f"ingest -> {result.path}")
    for table, numbers in result.counts.items():
        counts.add_row(table, *(f"{numbers[k]:,}" for k in ("read", *OUTCOMES)))
    console.print(counts)
    if result.facts:
        facts = Table("table", "fact", "count", title="counted facts")
        for table, items in result.facts.items():
            for fact, number in items.items():
                facts.add_row(table, fact, f"{number:,}")
        console.print(facts)
    for name, why in result.ignored:
        console.print(f"ignored {name}: {why}")
    left = sum(n["read"] - n["accepted"] for n in result.counts.values())
    if left:
        console.print(f"{left:,} record(s) not accepted: see {result.path / '_rejected'}")
