"""Progress of a long ingest: told per file with bytes and records, drawn as bars only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cli_runs import run_cli
from ingest_samples import CUTOFF, order, products_csv, write_jsonl
from rich.console import Console

from workbench.cli.ingest import Bars
from workbench.ingest import ingest


class Recorded:
    """A Progress that writes down what it is told."""

    def __init__(self) -> None:
        self.files: list[tuple[str, int]] = []
        self.records: dict[str, int] = {}
        self.bytes: dict[str, int] = {}
        self.finished: list[str] = []

    def start(self, name: str, size: int) -> None:
        self.files.append((name, size))
        self.records[name] = self.bytes[name] = 0

    def advance(self, size: int, records: int) -> None:
        name = self.files[-1][0]
        self.bytes[name] += size
        self.records[name] += records

    def finish(self) -> None:
        self.finished.append(self.files[-1][0])


def _exports(folder: Path) -> Path:
    folder.mkdir()
    products_csv(folder)
    write_jsonl(folder / "orders_a.jsonl", [order(order_id=str(n)) for n in range(1, 6)] + ["not json"])
    write_jsonl(folder / "orders_b.json", [[order(order_id="9")]])
    return folder


def test_each_file_is_told_with_its_bytes_and_records(tmp_path: Path) -> None:
    progress = Recorded()
    result = ingest(_exports(tmp_path / "exports"), CUTOFF, tmp_path / "out" / CUTOFF, progress=progress)
    names = [name for name, _ in progress.files]
    assert names == ["products.csv", "orders_a.jsonl", "orders_b.json"]
    assert progress.finished == names
    size = (tmp_path / "exports" / "orders_a.jsonl").stat().st_size
    assert progress.bytes["orders_a.jsonl"] == size  # read in blocks, every byte told
    assert progress.records == {"products.csv": 1, "orders_a.jsonl": 6, "orders_b.json": 1}
    assert result.counts["orders"]["read"] == 7


def test_bars_are_drawn_on_a_terminal_only() -> None:
    for terminal in (True, False):
        out = io.StringIO()
        with Bars(Console(file=out, force_terminal=terminal, width=100)) as bars:
            bars.start("orders.jsonl", 1000)
            bars.advance(500, 20)
            bars.finish()
        assert ("orders.jsonl" in out.getvalue()) is terminal


def test_the_command_is_quiet_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys,
        "ingest",
        str(_exports(tmp_path / "exports")),
        "--cutoff",
        CUTOFF,
        "--out",
        str(tmp_path / "out" / CUTOFF),
    )
    assert code == 0 and "orders" in out
    assert err == ""
