"""Snapshot writing, listing, resolving and verification on hand-made data."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from snapshot_builder import build_snapshot, to_arrow

from workbench.errors import WorkbenchError
from workbench.snapshot.read import connect, partition_day
from workbench.snapshot.store import list_snapshots, resolve_path
from workbench.snapshot.verify import verify
from workbench.snapshot.write import SnapshotWriter


def _line(order_id: str, line_no: int = 1, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "order_id": order_id,
        "line_no": line_no,
        "shop_id": "shop1",
        "product_id": "10000043902725",
        "account_id": "sph3FZbOEY46mAB",
        "channel": "short_video",
        "content_id": "v1",
        "buyer_id": "b1",
        "quantity": 1,
        "amount_fen": 1000,
        "refund_fen": 0,
        "status": "paid",
        "paid_at": "2025-11-21T16:30:00Z",
        "settled_at": None,
    }
    row.update(overrides)
    return row


@pytest.fixture
def sound(tmp_path: Path) -> Path:
    orders = [
        _line("3713475752656242688"),
        _line("3713475752656242688", 2),
        _line("3713475752656242689", paid_at="2025-12-01T02:00:00Z"),
    ]
    return build_snapshot(tmp_path, {"orders": orders}, snapshot_date="2025-12-07")


def test_sound_snapshot_verifies(sound: Path) -> None:
    assert verify(sound) == []
    manifest = json.loads((sound / "_manifest.json").read_text())
    assert manifest["tables"]["orders"]["rows"] == 3
    assert manifest["snapshot_date"] == "2025-12-07"
    assert sorted(p.name for p in (sound / "orders").iterdir()) == ["paid_date=2025-11-22", "paid_date=2025-12-01"]


def _first_order_file(snapshot: Path) -> Path:
    return sorted((snapshot / "orders").glob("**/*.parquet"))[0]


def test_truncated_file_is_reported(sound: Path) -> None:
    part = _first_order_file(sound)
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2])
    lines = [str(p) for p in verify(sound)]
    assert len(lines) == 1
    assert "truncated" in lines[0] and part.relative_to(sound).as_posix() in lines[0]


def test_wrong_checksum_is_reported(sound: Path) -> None:
    manifest_path = sound / "_manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["orders"]["files"][0]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    lines = [str(p) for p in verify(sound)]
    assert lines == [
        f"{manifest['tables']['orders']['files'][0]['path']}: sha256 differs from the manifest (file changed after the snapshot was written)"
    ]


def test_duplicated_key_is_reported(tmp_path: Path) -> None:
    orders = [_line("3713475752656242688"), _line("3713475752656242688")]
    snap = build_snapshot(tmp_path, {"orders": orders}, check=False)
    assert [str(p) for p in verify(snap)] == ["orders/: duplicate key (order_id, line_no): 1 row(s)"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"refund_fen": 2000}, "orders/: refund_fen outside 0..amount_fen: 1 row(s)"),
        (
            {"status": "settled"},
            "orders/: settled_at set but status is not settled, or status settled without settled_at: 1 row(s)",
        ),
        (
            {"channel": "tv"},
            "orders/: channel outside {live, short_video, product_share, showcase, article, other}: 1 row(s)",
        ),
        ({"status": "refunded", "refund_fen": 10}, "orders/: refunded line with refund_fen < amount_fen: 1 row(s)"),
    ],
)
def test_value_rules(tmp_path: Path, override: dict[str, object], message: str) -> None:
    snap = build_snapshot(tmp_path, {"orders": [_line("1", **override)]}, check=False)
    assert [str(p) for p in verify(snap)] == [message]


def test_unlisted_and_missing_files(sound: Path) -> None:
    extra = sound / "orders" / "stray.parquet"
    extra.write_bytes(_first_order_file(sound).read_bytes())
    assert "orders/stray.parquet: file is not listed in the manifest" in [str(p) for p in verify(sound)]


def test_failed_write_leaves_earlier_snapshot_intact(sound: Path) -> None:
    before = (sound / "_manifest.json").read_text()
    cutoff = datetime.fromisoformat("2025-12-07T23:59:59+08:00")
    with (
        pytest.raises(RuntimeError),
        SnapshotWriter(sound, snapshot_date=date(2025, 12, 7), cutoff=cutoff, source="test") as w,
    ):
        w.write("orders", to_arrow("orders", [_line("9")]))
        raise RuntimeError("crash mid-write")
    assert (sound / "_manifest.json").read_text() == before
    assert verify(sound) == []
    assert sorted(p.name for p in sound.parent.iterdir()) == [".versions", "2025-12-07"]
    assert list((sound.parent / ".versions").iterdir()) == [sound.resolve()]


def test_listing_ignores_unfinished_folders(sound: Path) -> None:
    (sound.parent / ".2025-12-08.tmp-abcd").mkdir()
    (sound.parent / "2025-12-09").mkdir()  # no manifest: never finished
    assert list_snapshots(sound.parent) == [sound]
    assert resolve_path("latest", sound.parent) == sound.resolve()
    assert resolve_path("2025-12-07", sound.parent) == sound.resolve()


def test_resolve_errors_name_what_exists(sound: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"known snapshots .*2025-12-07"):
        resolve_path("2025-01-01", sound.parent)
    (sound.parent / "2025-12-09").mkdir()
    with pytest.raises(WorkbenchError, match=r"has no _manifest\.json"):
        resolve_path(sound.parent / "2025-12-09", sound.parent)
    with pytest.raises(WorkbenchError, match="no snapshot found"):
        resolve_path("latest", sound.parent / "nothing")


def test_foreign_types_are_cast_to_the_contract(tmp_path: Path) -> None:
    """A snapshot written by another tool with int32 money and a numeric id still reads."""
    import duckdb

    from workbench.snapshot.read import connect

    snap = build_snapshot(tmp_path, {"orders": [_line("1")]}, partition_orders=False)
    part = _first_order_file(snap)
    duckdb.sql(
        f"copy (select * replace (cast(amount_fen as INTEGER) as amount_fen, cast(line_no as BIGINT) as line_no) "
        f"from read_parquet('{part}')) to '{part}.tmp' (format parquet)"
    )
    Path(f"{part}.tmp").replace(part)
    con = connect(snap)
    assert con.sql("select typeof(amount_fen), typeof(line_no), paid_date::VARCHAR from orders").fetchall() == [
        ("BIGINT", "INTEGER", "2025-11-22")
    ]


@pytest.mark.parametrize("partition_orders", [True, False], ids=["hive", "flat"])
def test_views_add_the_asia_shanghai_day_of_each_timestamp(tmp_path: Path, partition_orders: bool) -> None:
    """16:30Z is 00:30 the next day in Asia/Shanghai, 15:59:59Z still 23:59:59 the same day."""
    from workbench.snapshot.read import connect

    tables = {
        "orders": [
            _line("1", paid_at="2025-11-21T16:30:00Z", status="settled", settled_at="2025-12-01T15:59:59Z"),
            _line("2", paid_at="2025-11-21T15:59:59Z", status="settled", settled_at="2025-12-01T16:30:00Z"),
        ],
        "enrollments": [
            {"account_id": "a1", "enrolled_at": "2025-11-21T16:30:00Z"},
            {"account_id": "a2", "enrolled_at": "2025-11-21T15:59:59Z"},
        ],
        "videos": [
            {"video_id": "v1", "account_id": "a1", "product_id": "p1", "published_at": "2025-11-21T16:30:00Z"},
            {"video_id": "v2", "account_id": "a2", "product_id": "p1", "published_at": "2025-11-21T15:59:59+00:00"},
        ],
    }
    snap = build_snapshot(tmp_path, tables, partition_orders=partition_orders)
    assert verify(snap) == []
    con = connect(snap)
    assert con.sql("select order_id, paid_date, settled_date from orders order by order_id").fetchall() == [
        ("1", date(2025, 11, 22), date(2025, 12, 1)),
        ("2", date(2025, 11, 21), date(2025, 12, 2)),
    ]
    assert con.sql("select account_id, enrolled_date from enrollments order by all").fetchall() == [
        ("a1", date(2025, 11, 22)),
        ("a2", date(2025, 11, 21)),
    ]
    assert con.sql("select video_id, published_date from videos order by all").fetchall() == [
        ("v1", date(2025, 11, 22)),
        ("v2", date(2025, 11, 21)),
    ]


def test_empty_views_have_the_local_day_columns(tmp_path: Path) -> None:
    from workbench.snapshot.read import LOCAL_DAYS, connect

    con = connect(build_snapshot(tmp_path, {}))
    for table, days in LOCAL_DAYS.items():
        types = dict(con.sql(f"select column_name, column_type from (describe {table})").fetchall())
        assert {name: types.get(name) for name in days} == dict.fromkeys(days, "DATE"), table
        assert con.sql(f"select count(*) from {table}").fetchall() == [(0,)]


def test_a_parent_folder_named_like_a_partition_is_not_a_partition(tmp_path: Path) -> None:
    """Only folders below the table folder are hive partitions: a snapshot kept under
    `.../paid_date=2020-01-01/` with flat order files reads its lines' own days."""
    line = {**_line("1"), "paid_at": datetime.fromisoformat("2025-12-01T10:00:00+00:00")}
    odd = build_snapshot(tmp_path / "paid_date=2020-01-01", {"orders": [line]}, partition_orders=False)
    con = connect(odd)
    assert con.sql("select paid_date, partition_date from orders").fetchall() == [
        (date(2025, 12, 1), date(2025, 12, 1))
    ]
    assert partition_day(odd / "orders" / "part-0.parquet", odd / "orders") is None


def test_a_parent_folder_named_like_a_partition_does_not_date_the_rollups(tmp_path: Path) -> None:
    """The stored roll-ups (aggregates/) keep their own paid_date under such a folder too."""
    line = {**_line("1"), "status": "settled", "settled_at": "2025-12-09T10:00:00Z", "paid_at": "2025-12-01T10:00:00Z"}
    odd = build_snapshot(tmp_path / "paid_date=2020-01-01", {"orders": [line]}, partition_orders=False)
    con = connect(odd)
    assert con.sql(
        "select paid_date, settled_fen from sales_daily(date '2025-12-01', date '2025-12-01')"
    ).fetchall() == [(date(2025, 12, 1), 1000)]
    assert con.sql("select count(*) from sales_daily(date '2020-01-01', date '2020-01-01')").fetchall() == [(0,)]
