"""The stored roll-ups (workbench/snapshot/aggregates.py) change speed, never answers.

Every KPI that reads a roll-up (and can run on the campaign rules alone)
is run twice on the same snapshot, once reading the roll-ups the writer stored and once
computing them from the raw order lines (`use_aggregates=False`, what a
snapshot without roll-ups gets), and the frames must be identical. Worlds:
the hand-made ones of the contract and analyst tests and a small generated
one. Then the manifest entry, verify's checks on roll-up files, and a
snapshot whose roll-ups were removed.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from analyst_world import WORLD as ANALYST_WORLD
from kpi_world import WORLD as CONTRACT_WORLD
from polars.testing import assert_frame_equal
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.config import DEFAULT
from workbench.dates import campaign_week
from workbench.insights.lift import estimate_lift
from workbench.insights.nowcast import nowcast
from workbench.kpi.opened import open_snapshot
from workbench.simulate import simulate
from workbench.snapshot import aggregates
from workbench.snapshot.manifest import MANIFEST
from workbench.snapshot.read import connect
from workbench.snapshot.verify import verify

WINDOWS = [
    campaign_week(1),
    campaign_week(3),
    (DEFAULT.campaign_start, DEFAULT.campaign_end),
    (DEFAULT.baseline_start, DEFAULT.baseline_end),
]


# The table macros that read a roll-up: the roll-ups themselves and the
# shared definitions (queries/shared/definitions.sql) built on them.
ROLL_UP_READERS = (
    *aggregates.AGGREGATES,
    "settled_video_gmv",
    "eligible_accounts",
    "growth_cards",
    "newcomer_first_sales",
)


def _reads_roll_ups() -> list[str]:
    """KPIs that read a roll-up and whose parameters are all campaign rules, start, end, filters or header defaults."""
    known = set(DEFAULT.sql_params()) | {"start", "end"}
    return [
        k.name
        for k in kpi.registry().values()
        if set(k.bound_names) <= known | set(k.defaults) | set(k.filters)
        and any(f"{macro}(" in k.sql for macro in ROLL_UP_READERS)
    ]


def _window(name: str, start: date, end: date) -> tuple[date | None, date]:
    """The window as the KPI takes it: a KPI counted from the campaign start takes no start."""
    return (start if "start" in kpi.get(name).accepts else None), end


def _assert_same_answers(snapshot: Path) -> None:
    stored, raw = connect(snapshot), connect(snapshot, use_aggregates=False)
    for name in _reads_roll_ups():
        for start, end in WINDOWS:
            try:
                assert_frame_equal(
                    kpi.run(stored, name, *_window(name, start, end)),
                    kpi.run(raw, name, *_window(name, start, end)),
                    check_exact=True,
                )
            except AssertionError as err:
                raise AssertionError(f"{name} over {start}..{end}: roll-ups and raw lines differ: {err}") from None


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(seed=7, scale=10_000, cutoff=date(2025, 12, 21), out=tmp_path_factory.mktemp("gen") / "2025-12-21")


def test_the_compared_set_holds_the_contract_kpis_and_the_analysts_on_roll_ups() -> None:
    names = set(_reads_roll_ups())
    assert {"channel_mix", "short_video_share", "category_mix", "newcomer_uptake", "growth_card"} <= names
    assert {
        "growth_card_summary",
        "growth_card_distribution",
        "newcomer_cohorts",
        "newcomer_time_to_first_sale",
    } <= names


@pytest.mark.parametrize("world", [CONTRACT_WORLD, ANALYST_WORLD], ids=["contract_world", "analyst_world"])
def test_hand_made_worlds_give_the_same_answers(tmp_path: Path, world: dict[str, list[dict[str, object]]]) -> None:
    snapshot = build_snapshot(tmp_path, world)
    assert aggregates.files(snapshot, "sales_daily"), "the writer stores the roll-ups"
    _assert_same_answers(snapshot)


def test_generated_world_gives_the_same_answers(generated: Path) -> None:
    _assert_same_answers(generated)


def test_manifest_lists_each_roll_up_with_rows_and_checksum(generated: Path) -> None:
    manifest = json.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["aggregates"]) == set(aggregates.AGGREGATES)
    for name, entry in manifest["aggregates"].items():
        (file,) = entry["files"]
        assert file["path"] == f"aggregates/{name}/part-00000.parquet"
        assert entry["rows"] == file["rows"] == pq.read_metadata(generated / file["path"]).num_rows > 0
    assert verify(generated) == []


def test_roll_up_rows_are_the_sums_of_the_lines(tmp_path: Path) -> None:
    snapshot = build_snapshot(tmp_path, CONTRACT_WORLD)
    con = connect(snapshot)
    row = con.execute(
        "select sum(order_lines), sum(paid_fen), sum(settled_fen), sum(refund_fen), sum(unsettled_fen) "
        "from sales_daily(date '0001-01-02', date '9999-12-30')"
    ).fetchone()
    lines = con.execute(
        "select count(*), sum(amount_fen), sum(amount_fen - refund_fen) filter (where status = 'settled'), sum(refund_fen), "
        "sum(amount_fen - refund_fen) filter (where status in ('paid', 'shipped', 'delivered')) from orders"
    ).fetchone()
    assert row == lines


def _copy(snapshot: Path, tmp_path: Path) -> Path:
    copy = tmp_path / snapshot.name
    shutil.copytree(snapshot, copy)
    return copy


def test_snapshot_without_roll_ups_reads_and_verifies(generated: Path, tmp_path: Path) -> None:
    bare = _copy(generated, tmp_path)
    shutil.rmtree(bare / aggregates.FOLDER)
    manifest = json.loads((bare / MANIFEST).read_text(encoding="utf-8"))
    del manifest["aggregates"]
    (bare / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert verify(bare) == []
    start, end = campaign_week(2)
    for name in ("channel_mix", "growth_card", "newcomer_cohorts"):
        assert_frame_equal(
            kpi.run(connect(bare), name, *_window(name, start, end)),
            kpi.run(connect(generated), name, *_window(name, start, end)),
            check_exact=True,
        )


def test_verify_reports_a_changed_roll_up_file(generated: Path, tmp_path: Path) -> None:
    copy = _copy(generated, tmp_path)
    rel = "aggregates/sales_daily/part-00000.parquet"
    listed = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))["aggregates"]["sales_daily"]["files"][0]["bytes"]
    pq.write_table(pq.read_table(copy / rel).slice(1), copy / rel)
    size = (copy / rel).stat().st_size
    assert [str(p) for p in verify(copy)] == [
        f"{rel}: size is {size} bytes, manifest says {listed} (truncated or replaced)"
    ]


def test_verify_reports_a_roll_up_that_disagrees_with_the_lines(generated: Path, tmp_path: Path) -> None:
    """A roll-up rewritten with its manifest entry (so checksums pass) is still caught by recomputing it."""
    copy = _copy(generated, tmp_path)
    rel = "aggregates/video_sales_daily/part-00000.parquet"
    con = duckdb.connect()
    con.execute(f"copy (select * from '{copy / rel}' limit 3) to '{copy / rel}.new' (format parquet)")
    (copy / f"{rel}.new").rename(copy / rel)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["aggregates"]["video_sales_daily"]["files"][0].update(bytes=(copy / rel).stat().st_size)
    del manifest["aggregates"]["video_sales_daily"]["files"][0]["sha256"]
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert [str(p) for p in verify(copy)] == [
        "aggregates/video_sales_daily/: differs from the order lines it summarises; rewrite the snapshot"
    ]


def test_verify_reports_a_roll_up_with_one_value_changed(generated: Path, tmp_path: Path) -> None:
    """As many rows as the lines give, one amount off by a fen: verify compares values, not only row counts."""
    copy = _copy(generated, tmp_path)
    rel = "aggregates/video_sales_daily/part-00000.parquet"
    con = duckdb.connect()
    con.execute(
        f"""copy (select * replace (settled_fen + (row_number() over () = 1)::int as settled_fen)
                  from '{copy / rel}') to '{copy / rel}.new' (format parquet)"""
    )
    (copy / f"{rel}.new").rename(copy / rel)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["aggregates"]["video_sales_daily"]["files"][0].update(bytes=(copy / rel).stat().st_size)
    del manifest["aggregates"]["video_sales_daily"]["files"][0]["sha256"]
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert [str(p) for p in verify(copy)] == [
        "aggregates/video_sales_daily/: differs from the order lines it summarises; rewrite the snapshot"
    ]


def test_verify_reports_an_unlisted_roll_up_file(generated: Path, tmp_path: Path) -> None:
    copy = _copy(generated, tmp_path)
    stray = copy / "aggregates" / "sales_daily" / "part-00001.parquet"
    shutil.copy(copy / "aggregates" / "sales_daily" / "part-00000.parquet", stray)
    assert "aggregates/sales_daily/part-00001.parquet: file is not listed in the manifest" in [
        str(p) for p in verify(copy)
    ]


# The methods' KPIs take more than a window (cutoff_date, mature_days, ...), so
# _reads_roll_ups leaves them out; they are compared here with their own parameters.
METHOD_CALLS: list[tuple[str, dict[str, object]]] = [
    ("nowcast_development", {"cutoff_date": date(2025, 12, 21), "mature_days": 30, "learn_days": 28}),
    ("nowcast_development", {"cutoff_date": date(2025, 12, 7), "mature_days": 10, "learn_days": 60}),
    (
        "nowcast_open",
        {"start": date(2025, 12, 8), "end": date(2025, 12, 14), "cutoff_date": date(2025, 12, 21), "mature_days": 30},
    ),
    (
        "nowcast_open",
        {"start": date(2025, 11, 22), "end": date(2025, 12, 21), "cutoff_date": date(2025, 12, 14), "mature_days": 5},
    ),
    ("lift_accounts", {"end": date(2025, 12, 21), "min_controls": 5}),
    ("lift_accounts", {"end": date(2025, 10, 15), "min_controls": 1}),
    ("lift_daily", {"end": date(2025, 12, 21)}),
]


@pytest.mark.parametrize(
    "world", [CONTRACT_WORLD, ANALYST_WORLD, None], ids=["contract_world", "analyst_world", "generated"]
)
def test_the_methods_kpis_give_the_same_answers(
    tmp_path: Path, generated: Path, world: dict[str, list[dict[str, object]]] | None
) -> None:
    snapshot = generated if world is None else build_snapshot(tmp_path, world)
    stored, raw = connect(snapshot), connect(snapshot, use_aggregates=False)
    for name, params in METHOD_CALLS:
        first = kpi.run(stored, name, **params)
        assert world is not None or first.height > 0, f"{name} has no rows on the generated world"
        assert_frame_equal(first, kpi.run(raw, name, **params), check_exact=True)


def test_the_nowcast_and_the_lift_are_the_same_without_roll_ups(generated: Path) -> None:
    stored, raw = open_snapshot(generated), open_snapshot(generated)
    raw.con = connect(generated, use_aggregates=False)
    start, end = campaign_week(4)
    assert_frame_equal(nowcast(stored, start, end), nowcast(raw, start, end), check_exact=True)
    lifted, lifted_raw = estimate_lift(stored, reps=50), estimate_lift(raw, reps=50)
    assert_frame_equal(lifted.summary, lifted_raw.summary, check_exact=True)
    assert_frame_equal(lifted.weeks, lifted_raw.weeks, check_exact=True)


# settled_at_age as it read the order lines before it read settlement_daily: the oracle its roll-up branch must match.
SETTLED_AT_AGE_FROM_LINES = """
    select
        channel,
        cast(count(*) as BIGINT) as order_lines,
        cast(sum(amount_fen) as BIGINT) as paid_gmv_fen,
        cast(coalesce(sum(amount_fen - refund_fen) filter (
            where status = 'settled' and settled_date <= cast($end as DATE) + cast($age as INTEGER)
        ), 0) as BIGINT) as settled_gmv_fen
    from orders_paid($start, $end)
    group by channel
    order by channel
"""


@pytest.mark.parametrize(
    "world", [CONTRACT_WORLD, ANALYST_WORLD, None], ids=["contract_world", "analyst_world", "generated"]
)
def test_settled_at_age_reads_the_roll_up_and_gives_what_the_lines_give(
    tmp_path: Path, generated: Path, world: dict[str, list[dict[str, object]]] | None
) -> None:
    snapshot = generated if world is None else build_snapshot(tmp_path, world)
    con = connect(snapshot)
    assert "settlement_daily(" in kpi.get("settled_at_age").sql
    for start, end in WINDOWS:
        for age in (0, 1, 2, 3, 7, 30, 400):
            got = kpi.run(con, "settled_at_age", start, end, age=age)
            lines = con.sql(SETTLED_AT_AGE_FROM_LINES, params={"start": start, "end": end, "age": age}).pl()
            assert_frame_equal(got.drop("settled_share"), lines, check_exact=True)


def _line(n: int, channel: str, amount: int, paid: str, settled: str | None, **other: object) -> dict[str, object]:
    row: dict[str, object] = {
        "order_id": str(n),
        "line_no": 1,
        "shop_id": "s1",
        "product_id": "p1",
        "account_id": None,
        "channel": channel,
        "content_id": None,
        "buyer_id": "b",
        "quantity": 1,
        "amount_fen": amount,
        "refund_fen": 0,
        "status": "settled" if settled else "paid",
        "paid_at": paid,
        "settled_at": settled,
    }
    return row | other


# Lines paid on Asia/Shanghai days 12-01..12-03 that settle on different local days after end (12-03).
SETTLING_WORLD: dict[str, list[dict[str, object]]] = {
    "products": [{"product_id": "p1", "shop_id": "s1", "title": "p", "category": "food", "price_fen": 100}],
    "orders": [
        _line(1, "short_video", 10_000, "2025-12-01T10:00:00+08:00", "2025-12-03T20:00:00+08:00"),  # by end
        # 15,000 net, settled 23:59:59 on 12-04 in Shanghai (15:59:59 UTC): one day after end
        _line(2, "short_video", 20_000, "2025-12-02T10:00:00+08:00", "2025-12-04T15:59:59Z", refund_fen=5_000),
        _line(3, "short_video", 40_000, "2025-12-03T09:00:00+08:00", "2025-12-05T16:00:00Z"),  # 12-06 00:00: 3 days
        _line(4, "short_video", 8_000, "2025-12-02T10:00:00+08:00", None, status="refunded", refund_fen=8_000),
        _line(8, "short_video", 1_000, "2025-11-30T16:30:00Z", "2025-12-10T10:00:00+08:00"),  # paid 12-01 00:30: 7 days
        _line(5, "live", 30_000, "2025-12-01T10:00:00+08:00", "2025-12-02T12:00:00+08:00"),
        _line(6, "live", 5_000, "2025-12-03T10:00:00+08:00", None),  # paid, never settled yet
        _line(7, "live", 7_000, "2025-11-30T23:59:00+08:00", "2025-12-01T10:00:00+08:00"),  # paid before the window
    ],
}


@pytest.mark.parametrize(
    ("age", "video", "live"),
    [(0, 10_000, 30_000), (1, 25_000, 30_000), (2, 25_000, 30_000), (3, 65_000, 30_000), (7, 66_000, 30_000)],
)
def test_settled_at_age_on_hand_made_lines(tmp_path: Path, age: int, video: int, live: int) -> None:
    snapshot = build_snapshot(tmp_path, SETTLING_WORLD, snapshot_date="2025-12-21")
    for con in (connect(snapshot), connect(snapshot, use_aggregates=False)):
        got = kpi.run(con, "settled_at_age", date(2025, 12, 1), date(2025, 12, 3), age=age)
        assert got.drop("settled_share").rows() == [("live", 2, 35_000, live), ("short_video", 5, 79_000, video)]
        assert got["settled_share"].to_list() == [live / (live + video), video / (live + video)]


def test_verify_compares_the_files_with_the_rows_the_writer_computed(generated: Path, tmp_path: Path) -> None:
    """At publish the writer hands verify the roll-ups it computed from the lines (aggregates.write)
    instead of verify computing them again: they are the stored rows, and a file that differs from
    them is still caught."""
    copy = _copy(generated, tmp_path)
    written = aggregates.write(connect(copy, use_aggregates=False), tmp_path / "scratch")
    computed = {name: rows for name, (_, rows) in written.items()}
    assert set(computed) == set(aggregates.AGGREGATES)
    for name, rows in computed.items():
        assert rows.num_rows > 0
        assert rows.to_pylist() == pq.read_table(aggregates.files(copy, name)[0]).to_pylist()
    assert verify(copy, computed=computed) == []
    # The handed rows are what the files are compared with: one row short, and the sound file differs.
    short = computed | {"sales_daily": computed["sales_daily"].slice(1)}
    assert [str(p) for p in verify(copy, computed=short)] == [
        "aggregates/sales_daily/: differs from the order lines it summarises; rewrite the snapshot"
    ]
    rel = "aggregates/video_sales_daily/part-00000.parquet"
    duckdb.connect().execute(
        f"""copy (select * replace (settled_fen + (row_number() over () = 1)::int as settled_fen)
                  from '{copy / rel}') to '{copy / rel}.new' (format parquet)"""
    )
    (copy / f"{rel}.new").rename(copy / rel)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["aggregates"]["video_sales_daily"]["files"][0].update(bytes=(copy / rel).stat().st_size)
    del manifest["aggregates"]["video_sales_daily"]["files"][0]["sha256"]
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert [str(p) for p in verify(copy, computed=computed)] == [
        "aggregates/video_sales_daily/: differs from the order lines it summarises; rewrite the snapshot"
    ]
