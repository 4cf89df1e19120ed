"""Incremental loads: the snapshot of a later day from an earlier snapshot plus that day's exports
is identical to a full ingest of every export."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from api_export import export

from workbench.errors import WorkbenchError
from workbench.ingest import IngestResult, ingest
from workbench.kpi.opened import open_snapshot
from workbench.simulate import simulate
from workbench.snapshot import contract
from workbench.snapshot.verify import verify

EARLY, LATE = date(2025, 12, 7), date(2025, 12, 21)


def _dated(exports: Path, folder: Path, day: date) -> Path:
    """An export folder's files renamed after the day they were downloaded, as a daily job keeps them."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in exports.iterdir():
        shutil.copy(path, folder / f"{path.stem}_{day.isoformat()}{path.suffix}")
    return folder


def _only_changes(earlier: Path, later: Path) -> None:
    """Keep in the later export only the records that are new or changed, as a day's download holds."""
    for name in ("orders.jsonl", "aftersales.jsonl"):
        seen = set((earlier / name).read_text(encoding="utf-8").splitlines())
        lines = [line for line in (later / name).read_text(encoding="utf-8").splitlines() if line not in seen]
        (later / name).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, IngestResult]:
    root = tmp_path_factory.mktemp("incremental")
    raw = {
        day: export(simulate(11, 20_000, day, root / f"world_{day}" / day.isoformat()), root / f"raw_{day}")
        for day in (EARLY, LATE)
    }
    _only_changes(raw[EARLY], raw[LATE])
    days = {day: _dated(raw[day], root / f"exports_{day}", day) for day in (EARLY, LATE)}
    everything = root / "all"
    everything.mkdir()
    for day in (EARLY, LATE):
        for path in days[day].iterdir():
            shutil.copy(path, everything / path.name)
    base = ingest(days[EARLY], EARLY, root / "snapshots" / EARLY.isoformat())
    return {
        "base": base,
        "incremental": ingest(days[LATE], LATE, root / "snapshots" / LATE.isoformat(), base=base.path),
        "full": ingest(everything, LATE, root / "full" / LATE.isoformat()),
    }


@pytest.mark.parametrize("table", list(contract.TABLES))
def test_incremental_load_is_identical_to_a_full_ingest(runs: dict[str, IngestResult], table: str) -> None:
    keys = ", ".join(contract.KEYS[table])
    query = f"select * from {table} order by {keys}"
    incremental = open_snapshot(runs["incremental"].path).sql(query)
    assert incremental.height > 0
    assert incremental.equals(open_snapshot(runs["full"].path).sql(query))


def test_the_ledger_says_how_many_orders_were_new_updated_and_unchanged(runs: dict[str, IngestResult]) -> None:
    result = runs["incremental"]
    assert verify(result.path) == []
    facts = result.facts["orders"]
    assert facts["orders_new"] > 0 and facts["orders_updated"] > 0 and facts["orders_unchanged"] > 0
    counts = result.counts["orders"]
    assert counts["read"] == counts["accepted"] + counts["rejected"] + counts["superseded"] + counts["skipped"]
    assert counts["read"] < runs["full"].counts["orders"]["read"]  # only the day's exports were read
    lines = open_snapshot(result.path).sql("select count(distinct order_id) from orders").item()
    full_orders = runs["full"].counts["orders"]["accepted"]
    assert facts["orders_unchanged"] + counts["accepted"] == full_orders
    assert lines > 0


def test_a_base_must_be_an_earlier_ingest(runs: dict[str, IngestResult], tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="is not before the cutoff"):
        ingest(tmp_path, LATE, tmp_path / "x" / LATE.isoformat(), base=runs["incremental"].path)
    world = simulate(3, 10_000, EARLY, tmp_path / "sim" / EARLY.isoformat())
    with pytest.raises(WorkbenchError, match="holds no ingest state"):
        ingest(tmp_path, LATE, tmp_path / "y" / LATE.isoformat(), base=world)
