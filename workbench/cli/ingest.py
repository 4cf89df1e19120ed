"""`workbench ingest SOURCE_DIR --cutoff DATE`: exports in, snapshot out, summary printed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from workbench.cli.failures import writing_to
from workbench.paths import snapshots_dir

if TYPE_CHECKING:
    from workbench.ingest import IngestResult


def ingest_command(
    source_dir: Path = typer.Argument(..., help="Folder of export files (orders*.jsonl, accounts*.csv, ...)."),
    cutoff: str = typer.Option(..., help="Snapshot date YYYY-MM-DD; statuses are as of its 23:59:59 Asia/Shanghai."),
    out: Path = typer.Option(
        None,
        help="Snapshot folder, named after the cutoff date (default: data/snapshots/<cutoff>); "
        "an existing one must be a snapshot.",
    ),
    base: str = typer.Option(
        None,
        help="An earlier snapshot written by ingest (latest, a date or a folder): add only the exports in "
        "SOURCE_DIR to it (an incremental load).",
    ),
    headers: Path = typer.Option(
        None, help="TOML file mapping your spreadsheet's headers and statuses (docs/ingest.md)."
    ),
) -> None:
    """Read WeChat Mini Shop exports into a validated snapshot; left-out records go to _rejected/."""
    from workbench.ingest import ingest  # here, not at start-up: the other commands need none of it

    with writing_to(out or snapshots_dir() / cutoff), Bars(Console(stderr=True)) as bars:
        result = ingest(source_dir, cutoff, out, progress=bars, headers=headers, base=base)
    print_summary(result, Console())


class Bars:
    """A rich bar per export file with its bytes and records/s, on stderr, drawn only on a terminal."""

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[records]:,} records, {task.fields[rate]:,.0f}/s"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self.task: TaskID | None = None
        self.records = 0
        self.started = 0.0

    def __enter__(self) -> Bars:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def start(self, name: str, size: int) -> None:
        """A new bar for a file."""
        self.records, self.started = 0, time.monotonic()
        self.task = self.bars.add_task(name, total=size, records=0, rate=0.0)

    def advance(self, size: int, records: int) -> None:
        """Move the current file's bar."""
        if self.task is not None:
            self.records += records
            rate = self.records / max(time.monotonic() - self.started, 1e-6)
            self.bars.update(self.task, advance=size, records=self.records, rate=rate)

    def finish(self) -> None:
        """Fill the current file's bar."""
        if self.task is not None:
            self.bars.update(self.task, completed=self.bars.tasks[self.task].total)


def print_summary(result: IngestResult, console: Console) -> None:
    """The per-table counts, counted facts and ignored files, as rich tables."""
    from workbench.ingest.ledger import OUTCOMES

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
