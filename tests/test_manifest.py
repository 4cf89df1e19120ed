"""`Manifest`: a snapshot's manifest parsed once, with the cutoff read one way."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from snapshot_builder import build_snapshot

from workbench.errors import WorkbenchError
from workbench.snapshot import store
from workbench.snapshot.manifest import MANIFEST, Manifest, cutoff_instant


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return build_snapshot(tmp_path, {}, snapshot_date="2025-12-07")


def _rewrite(path: Path, **changes: object) -> None:
    raw = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    raw.update(changes)
    (path / MANIFEST).write_text(json.dumps(raw), encoding="utf-8")


def test_fields_are_parsed_once(snapshot: Path) -> None:
    manifest = Manifest.read(snapshot)
    assert manifest.path == snapshot.resolve()
    assert manifest.snapshot_date == date(2025, 12, 7)
    assert manifest.cutoff == datetime(2025, 12, 7, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert manifest.cutoff_date == date(2025, 12, 7)
    assert manifest.last_full_day == date(2025, 12, 7)
    assert manifest.rows("orders") == 0


def test_a_utc_cutoff_is_read_as_its_shanghai_day(snapshot: Path) -> None:
    _rewrite(snapshot, cutoff="2025-12-07T16:30:00+00:00")  # 00:30 on 12-08 in Shanghai
    manifest = Manifest.read(snapshot)
    assert manifest.cutoff_date == date(2025, 12, 8)
    assert manifest.last_full_day == date(2025, 12, 7)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cutoff": "2025-12-07T23:59:59"}, "has no UTC offset"),
        ({"cutoff": "yesterday"}, "not an ISO timestamp"),
        ({"snapshot_date": "7 Dec"}, "not a date"),
    ],
)
def test_a_bad_manifest_is_refused_with_the_reason(snapshot: Path, changes: dict, message: str) -> None:
    _rewrite(snapshot, **changes)
    with pytest.raises(WorkbenchError, match=message):
        Manifest.read(snapshot)


def test_a_missing_key_is_named(snapshot: Path) -> None:
    raw = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    del raw["source"]
    (snapshot / MANIFEST).write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(WorkbenchError, match="source"):
        Manifest.read(snapshot)


def test_resolve_reads_once_and_passes_a_manifest_through(snapshot: Path) -> None:
    manifest = store.resolve("latest", snapshot.parent)
    assert manifest.snapshot_date == date(2025, 12, 7)
    assert store.resolve(manifest) is manifest


def test_cutoff_instant_is_the_last_second_of_the_shanghai_day() -> None:
    assert cutoff_instant(date(2025, 12, 7)).isoformat() == "2025-12-07T23:59:59+08:00"
