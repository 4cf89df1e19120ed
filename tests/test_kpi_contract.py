"""The five contract KPIs on the hand-made world of tests/support/kpi_world.py, number by number.

Every test runs twice: orders hive-partitioned by paid date, and orders in
one unpartitioned file, which must give the same answers. The expected
values are derived in the comments from the rows in kpi_world.py.
"""

from __future__ import annotations

import re
from datetime import date

import duckdb
import polars as pl
import pytest
from kpi_world import WORLD
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.kpi.export import to_csv
from workbench.paths import queries_dir
from workbench.snapshot.read import connect

CAMPAIGN = (date(2025, 11, 22), date(2025, 12, 31))
EMPTY = (date(2025, 11, 1), date(2025, 11, 10))
ONLY_REFUNDED_LIVE = (date(2025, 12, 4), date(2025, 12, 4))

# Settled GMV in the campaign window, per channel (status settled, amount - refund):
#   short_video: o1 20,000,000 + o3 1,000,000 + o4/1 (500,000 - 100,000) + o5 1,000,000 + o6 3,000,000
#                + o7 1,200,000,000 + o8 700,000 + o9 800,000 + o10 250,000 = 1,227,150,000
#                (o2 is paid on 11-21 local, o4/2 shipped, o11 delivered: not counted)
#   live:        o12 90,000 + o15 300,000 (o13 refunded) = 390,000
#   product_share o14 120,000; showcase o16 is only paid: 0
#   total 1,227,660,000
SV, LIVE, TOTAL = 1_227_150_000, 390_000, 1_227_660_000


@pytest.fixture(scope="module", params=[True, False], ids=["partitioned", "unpartitioned"])
def con(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("world")
    return connect(build_snapshot(root, WORLD, partition_orders=request.param))


def rows(con: duckdb.DuckDBPyConnection, name: str, window: tuple[date, date]) -> list[tuple]:
    return kpi.run(con, name, *window).rows()


def test_channel_mix_campaign(con: duckdb.DuckDBPyConnection) -> None:
    # paid GMV, all statuses: live o12 90,000 + o13 600,000 + o15 300,000 = 990,000;
    # short_video the eleven lines o1, o3, o4/1, o4/2, o5..o11 = 1,227,600,000
    assert rows(con, "channel_mix", CAMPAIGN) == [
        ("live", 3, 990_000, LIVE, LIVE / TOTAL),
        ("product_share", 1, 120_000, 120_000, 120_000 / TOTAL),
        ("short_video", 11, 1_227_600_000, SV, SV / TOTAL),  # "short" sorts before "showcase"
        ("showcase", 1, 40_000, 0, 0.0),
    ]


def test_channel_mix_shares_sum_to_one(con: duckdb.DuckDBPyConnection) -> None:
    assert kpi.run(con, "channel_mix", *CAMPAIGN)["settled_share"].sum() == pytest.approx(1.0, abs=1e-12)


def test_local_day_boundary(con: duckdb.DuckDBPyConnection) -> None:
    # o1 (2025-11-21T16:30Z) is on 11-22 in Shanghai; o2 (15:59:59Z) on 11-21.
    assert rows(con, "channel_mix", (date(2025, 11, 22), date(2025, 11, 22))) == [
        ("short_video", 1, 20_000_000, 20_000_000, 1.0)
    ]
    assert rows(con, "channel_mix", (date(2025, 11, 21), date(2025, 11, 21))) == [
        ("short_video", 1, 50_000, 50_000, 1.0)
    ]


def test_window_without_settled_gmv_has_empty_shares(con: duckdb.DuckDBPyConnection) -> None:
    # 12-04 holds only o13, a fully refunded live line.
    assert rows(con, "channel_mix", ONLY_REFUNDED_LIVE) == [("live", 1, 600_000, 0, None)]
    assert rows(con, "short_video_share", ONLY_REFUNDED_LIVE) == [(0, 0, 0, None, None)]
    assert rows(con, "category_mix", ONLY_REFUNDED_LIVE) == [("live", "beauty", 0, None)]


def test_short_video_share_campaign(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "short_video_share", CAMPAIGN) == [(SV, LIVE, TOTAL, SV / (SV + LIVE), SV / TOTAL)]


def test_category_mix_campaign(con: duckdb.DuckDBPyConnection) -> None:
    # live: beauty o13 refunded 0; food o12 90,000; other o15 (P_GHOST is not in products) 300,000.
    # short_video: beauty o3 1,000,000 + o4/1 400,000; digital o5 1,000,000 + o7 1,200,000,000;
    #   food o1 20,000,000 + o6 3,000,000 + o10 250,000 (o11 delivered); home o8 700,000 (o4/2 shipped);
    #   other o9 800,000 (P_GHOST).
    assert rows(con, "category_mix", CAMPAIGN) == [
        ("live", "beauty", 0, 0.0),
        ("live", "food", 90_000, 90_000 / LIVE),
        ("live", "other", 300_000, 300_000 / LIVE),
        ("short_video", "beauty", 1_400_000, 1_400_000 / SV),
        ("short_video", "digital", 1_201_000_000, 1_201_000_000 / SV),
        ("short_video", "food", 23_250_000, 23_250_000 / SV),
        ("short_video", "home", 700_000, 700_000 / SV),
        ("short_video", "other", 800_000, 800_000 / SV),
    ]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # eligible: acc01-06, acc09, acc10 = 8 (acc07 has 999 fans, acc08 is not enabled).
        # newcomers: all but acc04 and acc05 (baseline short-video settled > 0) = 6.
        # enrolled newcomers by 12-31: acc01, acc02, acc03, acc06, acc10 (acc09 never enrolled) = 5.
        # selling: acc01 o1, acc02 o3, acc03 o4/1, acc06 o7; acc10 has only a delivered line and live = 4.
        (CAMPAIGN, (8, 6, 5, 4, 0.8)),
        # start does not limit the counts: the same as the whole campaign.
        ((date(2025, 12, 30), date(2025, 12, 31)), (8, 6, 5, 4, 0.8)),
        # by 12-07 acc02 has not enrolled (16:30Z on 12-07 is 12-08 local); acc06 sells on 12-20:
        # enrolled acc01, acc03, acc06, acc10 = 4; selling acc01, acc03 = 2.
        ((date(2025, 11, 22), date(2025, 12, 7)), (8, 6, 4, 2, 0.5)),
        # on 12-08 acc02 counts, and its o3 of 12-01 makes it selling: 5 enrolled, 3 selling.
        ((date(2025, 11, 22), date(2025, 12, 8)), (8, 6, 5, 3, 0.6)),
        # selling counts lines paid from the campaign start to end, even past the campaign:
        # acc10's o17 of 2026-01-03 makes all 5 selling.
        ((date(2025, 11, 22), date(2026, 1, 5)), (8, 6, 5, 5, 1.0)),
        # nobody enrolled by 11-10: uptake is empty.
        (EMPTY, (8, 6, 0, 0, None)),
    ],
)
def test_newcomer_uptake(con: duckdb.DuckDBPyConnection, window: tuple[date, date], expected: tuple) -> None:
    assert rows(con, "newcomer_uptake", window) == [expected]


# Reward bases at end 12-31 (eligible, enrolled by then):
#   acc01 newcomer: o1 20,000,000 (o2 is before the campaign)       -> 200,000 yuan * 1.5% = 3,000 points
#                   (the contract's worked example)
#   acc02 newcomer: o3 1,000,000 (its live sales do not count)      -> 150 points
#   acc03 newcomer: o4/1 500,000 - 100,000 refunded = 400,000       -> 60 points
#   acc04 existing: X 1,000,000, B 1,000,000: 1,000,000 - 1,000,000 / 92 * 40 = 565,217.39 -> 565,217 fen
#                   exactly (1,000,000 * 92 - 1,000,000 * 40) // 92 = 52,000,000 // 92 = 565,217 -> 84.78255 points
#   acc05 existing: X 3,000,000 < 9,200,000 / 92 * 40 = 4,000,000   -> 0, not listed
#   acc06 newcomer: 1,200,000,000 -> 180,000 points, capped at 150,000
#   acc10 newcomer: no settled short-video line                     -> 0, not listed
GROWTH_CARD_CAMPAIGN = [
    ("acc01", True, 20_000_000, 3000.0),
    ("acc02", True, 1_000_000, 150.0),
    ("acc03", True, 400_000, 60.0),
    ("acc04", False, 565_217, 565_217 / 100 * 0.015),
    ("acc06", True, 1_200_000_000, 150_000.0),
]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (CAMPAIGN, GROWTH_CARD_CAMPAIGN),
        # after the campaign the reward window stays clipped at 12-31: acc10's o17 of 01-03 does not count.
        ((date(2026, 1, 1), date(2026, 1, 5)), GROWTH_CARD_CAMPAIGN),
        # by 12-07: acc02 not yet enrolled, acc04's o5 (12-10) and acc06's o7 (12-20) not yet paid.
        (
            (date(2025, 11, 22), date(2025, 12, 7)),
            [("acc01", True, 20_000_000, 3000.0), ("acc03", True, 400_000, 60.0)],
        ),
        # on 12-08 acc02's enrollment (16:30Z on 12-07) counts.
        (
            (date(2025, 11, 22), date(2025, 12, 8)),
            [("acc01", True, 20_000_000, 3000.0), ("acc02", True, 1_000_000, 150.0), ("acc03", True, 400_000, 60.0)],
        ),
        (EMPTY, []),
    ],
)
def test_growth_card(con: duckdb.DuckDBPyConnection, window: tuple[date, date], expected: list[tuple]) -> None:
    assert rows(con, "growth_card", window) == expected


@pytest.mark.parametrize("name", ["channel_mix", "category_mix", "growth_card"])
def test_empty_window_gives_no_rows(con: duckdb.DuckDBPyConnection, name: str) -> None:
    frame = kpi.run(con, name, *EMPTY)
    assert frame.is_empty()
    assert tuple(frame.columns) == kpi.get(name).columns


def test_empty_window_short_video_share_is_one_zero_row(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "short_video_share", EMPTY) == [(0, 0, 0, None, None)]


CONTRACT_TYPES = {
    "channel_mix": [pl.String, pl.Int64, pl.Int64, pl.Int64, pl.Float64],
    "short_video_share": [pl.Int64, pl.Int64, pl.Int64, pl.Float64, pl.Float64],
    "category_mix": [pl.String, pl.String, pl.Int64, pl.Float64],
    "newcomer_uptake": [pl.Int64, pl.Int64, pl.Int64, pl.Int64, pl.Float64],
    "growth_card": [pl.String, pl.Boolean, pl.Int64, pl.Float64],
}


@pytest.mark.parametrize("window", [CAMPAIGN, EMPTY], ids=["campaign", "empty"])
@pytest.mark.parametrize("name", sorted(CONTRACT_TYPES))
def test_column_types(con: duckdb.DuckDBPyConnection, name: str, window: tuple[date, date]) -> None:
    # BIGINT money and counts (never DECIMAL or HUGEINT), DOUBLE shares and points, also when empty.
    assert kpi.run(con, name, *window).dtypes == CONTRACT_TYPES[name]


def test_contract_kpis_are_registered_as_contract() -> None:
    contract_names = {k.name for k in kpi.registry().values() if k.kind == "contract"}
    assert set(CONTRACT_TYPES) <= contract_names


def test_csv_channel_mix(con: duckdb.DuckDBPyConnection) -> None:
    # 120,000 / 1,227,660,000 = 9.77e-05 must be written out positionally; showcase's share is 0.0.
    assert to_csv(kpi.run(con, "channel_mix", *CAMPAIGN)) == (
        "channel,order_lines,paid_gmv_fen,settled_gmv_fen,settled_share\n"
        "live,3,990000,390000,0.0003176775328674063\n"
        "product_share,1,120000,120000,0.00009774693318997116\n"
        "short_video,11,1227600000,1227150000,0.9995845755339426\n"
        "showcase,1,40000,0,0.0\n"
    )


def test_csv_empty_shares_and_booleans(con: duckdb.DuckDBPyConnection) -> None:
    assert to_csv(kpi.run(con, "short_video_share", *ONLY_REFUNDED_LIVE)) == (
        "short_video_settled_gmv_fen,live_settled_gmv_fen,total_settled_gmv_fen,share_of_video_and_live,share_of_total\n"
        "0,0,0,,\n"
    )
    assert to_csv(kpi.run(con, "growth_card", *CAMPAIGN)) == (
        "account_id,is_newcomer,reward_base_fen,growth_card_points\n"
        "acc01,true,20000000,3000.0\n"
        "acc02,true,1000000,150.0\n"
        "acc03,true,400000,60.0\n"
        "acc04,false,565217,84.78255\n"
        "acc06,true,1200000000,150000.0\n"
    )
    assert to_csv(kpi.run(con, "newcomer_uptake", *EMPTY)) == (
        "eligible_accounts,newcomers,enrolled_newcomers,selling_newcomers,uptake_rate\n8,6,0,0,\n"
    )


def test_no_query_converts_time_zones_itself() -> None:
    # The views (workbench/snapshot/read.py LOCAL_DAYS) carry every Asia/Shanghai
    # day a KPI needs: paid_date, settled_date, enrolled_date, published_date.
    convert = re.compile(r"\btimezone\s*\(|\bat\s+time\s+zone\b", re.IGNORECASE)
    files = sorted(queries_dir().glob("**/*.sql"))
    assert len(files) > 20
    offenders = [
        f"{p.relative_to(queries_dir())}:{n}"
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if convert.search(line)
    ]
    assert offenders == []


def test_definitions_are_not_kpis() -> None:
    # queries/shared/definitions.sql holds macros, not a KPI, and stays out of the registry.
    assert "definitions" not in kpi.registry()
