"""Numbers are never computed from a damaged or unverified snapshot.

Issue 12, item 3. A roll-up rewritten with doubled values at the same size
passed the old size-and-footer check, so `kpi` printed twice the true
short-video GMV and the report showed it, exit 0. Now full verification
runs when a snapshot is published and leaves a stamp tied to the manifest's
hash and every file's size and mtime; `kpi`, `wb.open` and `report` compare
the files with it (cheap: no hashing) and refuse, in one line naming the file
and the fix, whatever no longer matches or was never verified.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from cli_runs import run_cli
from kpi_world import WORLD
from snapshot_builder import build_snapshot

import workbench as wb
from workbench.errors import WorkbenchError
from workbench.snapshot.store import list_snapshots, resolve_path

ROLLUP = "aggregates/sales_daily/part-00000.parquet"
KPI = ["kpi", "short_video_share", "--start", "2025-11-22", "--end", "2025-12-31", "--format", "csv"]


def rewrite_same_size(path: Path, doubled: pa.Table) -> None:
    """Write `doubled` over the parquet file at `path` so that the file keeps exactly its size.

    Padding in the file's key-value metadata absorbs the difference, as a
    careless repair script could by accident: only the bytes and the mtime
    change.
    """
    size = path.stat().st_size
    scratch = path.with_name("rewrite.tmp")
    for codec in ("zstd", "snappy", "gzip", "uncompressed"):
        pad = 0
        for _ in range(5):
            duckdb.sql(
                f"copy (select * from doubled) to '{scratch}' "
                f"(format parquet, compression {codec}, kv_metadata {{pad: '{'x' * pad}'}})"
            )
            gap = size - scratch.stat().st_size
            if gap == 0:
                scratch.replace(path)
                return
            if pad + gap < 0:
                break
            pad += gap
    scratch.unlink()
    raise AssertionError(f"could not rewrite {path} at {size} bytes")


def double_rollup(snapshot: Path) -> Path:
    """The issue's damage: every money measure of sales_daily doubled, same size."""
    part = resolve_path(snapshot) / ROLLUP
    table = pq.read_table(part)
    for i, name in enumerate(table.column_names):
        if name.endswith("_fen"):
            table = table.set_column(i, name, pc.multiply(table[name], 2))
    before = part.read_bytes()
    rewrite_same_size(part, table)
    assert part.read_bytes() != before and len(part.read_bytes()) == len(before)
    return part


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return build_snapshot(tmp_path / "snapshots", WORLD)


def test_kpi_refuses_a_rollup_rewritten_at_the_same_size(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    assert run_cli(capsys, *KPI, "--snapshot", str(snapshot))[0] == 0
    double_rollup(snapshot)
    code, out, err = run_cli(capsys, *KPI, "--snapshot", str(snapshot))
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert ROLLUP in err and "--fix-stamp" in err and "re-ingest" in err


def test_wb_open_refuses_it(snapshot: Path) -> None:
    double_rollup(snapshot)
    with pytest.raises(WorkbenchError, match="changed after it was verified") as err:
        wb.open(snapshot)
    assert err.value.exit_code == 2 and ROLLUP in str(err.value)


def test_report_refuses_it_before_a_kernel_starts(
    capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    started: list[Any] = []
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: started.append(a))
    double_rollup(snapshot)
    code, _, err = run_cli(
        capsys, "report", "--latest", "--snapshot", str(snapshot), "--out-dir", str(tmp_path / "reports")
    )
    assert started == []
    assert code == 2 and err.count("\n") == 1 and ROLLUP in err, err
    assert not (tmp_path / "reports").exists()


def test_a_snapshot_never_verified_is_refused(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    (resolve_path(snapshot) / "_verified.json").unlink()
    code, _, err = run_cli(capsys, *KPI, "--snapshot", str(snapshot))
    assert code == 2 and "never verified" in err and "--fix-stamp" in err, err
    with pytest.raises(WorkbenchError, match="never verified"):
        wb.open(snapshot)


def test_touching_a_file_is_caught_and_fix_stamp_restores_trust_after_a_full_check(
    capsys: pytest.CaptureFixture[str], snapshot: Path
) -> None:
    """Same bytes, new mtime (a copy, a restore from backup): refused until a full verify records a new stamp."""
    code, good, _ = run_cli(capsys, *KPI, "--snapshot", str(snapshot))
    part = next((resolve_path(snapshot) / "orders").glob("**/*.parquet"))
    os.utime(part, ns=(part.stat().st_atime_ns, part.stat().st_mtime_ns + 5_000_000_000))
    code, _, err = run_cli(capsys, *KPI, "--snapshot", str(snapshot))
    assert code == 2 and part.relative_to(resolve_path(snapshot)).as_posix() in err
    code, out, err = run_cli(capsys, "snapshot", "verify", str(snapshot), "--fix-stamp")
    assert code == 0 and "stamp recorded" in out, err
    assert run_cli(capsys, *KPI, "--snapshot", str(snapshot)) == (0, good, "")


def test_fix_stamp_refuses_a_damaged_snapshot(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    part = double_rollup(snapshot)
    code, out, err = run_cli(capsys, "snapshot", "verify", str(snapshot), "--fix-stamp")
    assert code == 1
    assert ROLLUP in out and "sha256 differs" in out
    assert "not stamped" in err
    code, _, err = run_cli(capsys, *KPI, "--snapshot", str(snapshot))
    assert code == 2 and part.name in err


def _line(order_id: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "order_id": order_id,
        "line_no": 1,
        "shop_id": "shop1",
        "product_id": "p1",
        "account_id": "sphA",
        "channel": "short_video",
        "content_id": "v1",
        "buyer_id": "b1",
        "quantity": 1,
        "amount_fen": 1000,
        "refund_fen": 0,
        "status": "settled",
        "paid_at": "2025-12-01T04:00:00Z",
        "settled_at": "2025-12-09T04:00:00Z",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("orders", "problem"),
    [
        ([_line("1", amount_fen=-50_000, refund_fen=-60_000), _line("2")], "amount_fen < 0"),
        ([_line("1"), _line("1")], "duplicate key (order_id, line_no)"),
    ],
    ids=["negative-amounts", "duplicate-keys"],
)
def test_an_unsound_snapshot_is_refused_at_publish(tmp_path: Path, orders: list[dict], problem: str) -> None:
    root = tmp_path / "snapshots"
    earlier = build_snapshot(root, {"orders": [_line("9")]}, snapshot_date="2026-01-10")
    with pytest.raises(WorkbenchError, match="was not published") as err:
        build_snapshot(root, {"orders": orders}, snapshot_date="2026-01-10")
    assert problem in str(err.value) and err.value.exit_code == 1
    assert list_snapshots(root) == [earlier]
    assert wb.open(earlier).sql("select count(*) as n from orders").item() == 1
    assert sorted(p.name for p in root.iterdir()) == [".versions", "2026-01-10"]
    assert len(list((root / ".versions").iterdir())) == 1


def _rewrite_column(snapshot: Path, table: str, change: Any) -> None:
    """Rewrite a table's one file with `change` applied to its frame, and the manifest's size and checksum to match."""
    import json

    import polars as pl

    from workbench.snapshot.checksum import sha256_of

    folder = resolve_path(snapshot)
    manifest = json.loads((folder / "_manifest.json").read_text())
    (info,) = manifest["tables"][table]["files"]
    part = folder / info["path"]
    pl.read_parquet(part).with_columns(change).write_parquet(part)
    info["bytes"], info["sha256"] = part.stat().st_size, sha256_of(part)
    (folder / "_manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        ("id", "column account_id is int64"),  # `007` would come back as `7` and join nothing
        ("naive", "column created_at is timestamp[us]"),  # which zone was meant is unknown
    ],
)
def test_fix_stamp_refuses_types_whose_cast_could_change_the_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, change: str, finding: str
) -> None:
    import polars as pl

    account = {
        "account_id": "7",
        "account_name": "seven",
        "shop_id": None,
        "is_self_operated": False,
        "effective_fans": 5000,
        "short_video_commerce_enabled": True,
        "has_official_account": False,
        "created_at": "2025-01-01T00:00:00Z",
    }
    snapshot = build_snapshot(tmp_path / "snapshots", {"accounts": [account]})
    column = pl.col("account_id").cast(pl.Int64) if change == "id" else pl.col("created_at").dt.replace_time_zone(None)
    _rewrite_column(snapshot, "accounts", column)
    code, out, err = run_cli(capsys, "snapshot", "verify", str(snapshot), "--fix-stamp")
    assert code == 1 and finding in out and "not stamped" in err, (out, err)
    assert run_cli(capsys, *KPI, "--snapshot", str(snapshot))[0] == 2
