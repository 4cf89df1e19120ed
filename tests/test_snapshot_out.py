"""`--out` of `simulate` and `ingest`: a target is replaced only when it is a snapshot the workbench wrote.

Issue 12, item 1: both commands used to rename any existing target aside
and remove it, whatever it held. Now a target that exists and is not a
workbench snapshot is refused (exit 2, one line) and left exactly as it
was, and `simulate` wants a folder named after the cutoff date, as
`ingest` always did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runs import run_cli
from ingest_samples import CUTOFF as INGEST_CUTOFF
from ingest_samples import products_csv
from outside_snapshot import write_snapshot
from snapshot_builder import build_snapshot

from workbench.snapshot.manifest import Manifest
from workbench.snapshot.store import list_snapshots, resolve_path
from workbench.snapshot.verify import verify

SIMULATE = ["simulate", "--seed", "5", "--scale", "10000", "--cutoff", "2025-12-20"]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path below `folder` (links included, not followed) with a file's bytes, for before/after checks."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


def precious(folder: Path) -> Path:
    """A folder holding someone's work, not a snapshot."""
    thesis = folder / "important" / "thesis.txt"
    thesis.parent.mkdir(parents=True)
    thesis.write_text("precious\n", encoding="utf-8")
    return thesis


def shop(shop_id: str) -> dict[str, str]:
    return {"shop_id": shop_id, "shop_name": shop_id, "main_category": "food", "opened_at": "2024-01-01T00:00:00Z"}


def assert_one_error_line(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err


def test_simulate_refuses_a_folder_not_named_after_the_cutoff(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The issue's example: `--out x` over a folder with a thesis in it."""
    precious(tmp_path / "x")
    before = tree(tmp_path)
    code, _, err = run_cli(capsys, *SIMULATE, "--out", str(tmp_path / "x"))
    assert_one_error_line(code, err, "named after the cutoff date", "2025-12-20")
    assert tree(tmp_path) == before


def test_simulate_out_a_is_refused_instead_of_writing_a_snapshot_verify_rejects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, *SIMULATE, "--out", str(tmp_path / "a"))
    assert_one_error_line(code, err, "named after the cutoff date")
    assert list(tmp_path.iterdir()) == []


def test_simulate_refuses_a_dated_folder_that_is_not_a_snapshot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    thesis = precious(tmp_path / "2025-12-20")
    before = tree(tmp_path)
    code, _, err = run_cli(capsys, *SIMULATE, "--out", str(tmp_path / "2025-12-20"))
    assert_one_error_line(code, err, "not a workbench snapshot", "left untouched")
    assert tree(tmp_path) == before
    assert thesis.read_text(encoding="utf-8") == "precious\n"


def test_ingest_refuses_a_snapshot_folder_holding_a_stray_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A dated folder that is a snapshot but also holds someone's file is not replaced either."""
    root = tmp_path / "snapshots"
    old = write_snapshot(root, {}, INGEST_CUTOFF)  # a plain folder, as an outside tool writes it
    (old / "notes.txt").write_text("mine\n", encoding="utf-8")
    exports = tmp_path / "exports"
    exports.mkdir()
    products_csv(exports)
    before = tree(root)
    code, _, err = run_cli(capsys, "ingest", str(exports), "--cutoff", INGEST_CUTOFF, "--out", str(old))
    assert_one_error_line(code, err, "notes.txt", "left untouched")
    assert tree(root) == before


def test_ingest_refuses_a_dated_folder_that_is_not_a_snapshot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    precious(tmp_path / INGEST_CUTOFF)
    exports = tmp_path / "exports"
    exports.mkdir()
    before = tree(tmp_path)
    code, _, err = run_cli(
        capsys, "ingest", str(exports), "--cutoff", INGEST_CUTOFF, "--out", str(tmp_path / INGEST_CUTOFF)
    )
    assert_one_error_line(code, err, "not a workbench snapshot")
    assert tree(tmp_path) == before


def test_an_older_snapshot_at_the_target_is_replaced_cleanly(tmp_path: Path) -> None:
    first = build_snapshot(tmp_path, {"shops": [shop("s1")]}, snapshot_date="2025-12-20")
    build_snapshot(tmp_path, {"shops": [shop("s2")]}, snapshot_date="2025-12-20")
    assert list_snapshots(tmp_path) == [first]
    path = resolve_path("2025-12-20", tmp_path)
    assert verify(path) == []
    assert Manifest.read(path).rows("shops") == 1
    shops = sorted(p.name for p in (path / "shops").glob("*.parquet"))
    assert len(shops) == 1
    # No copy of the first world is left behind, visible or hidden.
    visible = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert visible == ["2025-12-20"]
    everything = [p for p in tmp_path.rglob("_manifest.json")]
    assert len({p.resolve() for p in everything}) == 1


def test_a_snapshot_written_by_an_outside_tool_is_replaced_cleanly(tmp_path: Path) -> None:
    """A plain snapshot folder (the contract's layout, no stray files) may be replaced."""
    write_snapshot(tmp_path, {}, "2025-12-20")
    build_snapshot(tmp_path, {"shops": [shop("s2")]}, snapshot_date="2025-12-20")
    path = resolve_path("2025-12-20", tmp_path)
    assert Manifest.read(path).source == "hand-made:test"
    assert verify(path) == []
    assert len({p.resolve() for p in tmp_path.rglob("_manifest.json")}) == 1
