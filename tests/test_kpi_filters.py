"""Filters on the KPIs where an analyst expects them (issue 15, item 2).

A small hand-made snapshot with two shops, two accounts and lines in every
corner a filter can miss (a product missing from products, a line with no
account, a refunded live line); each filtered KPI must give exactly the
numbers worked out below, and no filter must give the contract's numbers.

    line  shop  product (category)  account  channel      amount  status              settled
    o1    s1    p1 (food)           a1       short_video  10,000  settled             10,000
    o2    s1    p2 (home)           a1       live         20,000  settled, 5,000 back 15,000
    o3    s2    p3 (beauty)         a2       short_video  30,000  settled             30,000
    o4    s2    p9 (missing: other) a2       short_video  40,000  paid                0
    o5    s1    p1 (food)           -        showcase     50,000  settled             50,000
    o6    s2    p3 (beauty)         a1       live         60,000  refunded            0
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kpi_world import WORLD, account, line
from snapshot_builder import build_snapshot
from test_kpi_analyst import assert_rows
from test_kpi_cli import kpi_cli

from workbench.errors import WorkbenchError
from workbench.kpi.opened import OpenedSnapshot, open_snapshot

WEEK1 = ("2025-11-22", "2025-11-28")


def _line(
    order: str, shop: str, product: str, acc: str | None, channel: str, amount: int, status: str, **kw: Any
) -> dict:
    row = line(order, acc, channel, product, amount, status, "2025-11-23T12:00:00+08:00", **kw)
    return {**row, "shop_id": shop, "content_id": f"v{order[1:]}" if channel == "short_video" else None}


TABLES: dict[str, list[dict[str, Any]]] = {
    "shops": [
        {"shop_id": "s1", "shop_name": "shop one", "main_category": "food", "opened_at": "2025-01-01T00:00:00Z"},
        {"shop_id": "s2", "shop_name": "shop two", "main_category": "beauty", "opened_at": "2025-01-01T00:00:00Z"},
    ],
    "products": [
        {"product_id": "p1", "shop_id": "s1", "title": "p1", "category": "food", "price_fen": 100},
        {"product_id": "p2", "shop_id": "s1", "title": "p2", "category": "home", "price_fen": 100},
        {"product_id": "p3", "shop_id": "s2", "title": "p3", "category": "beauty", "price_fen": 100},
    ],
    "accounts": [account("a1", 5000), {**account("a2", 10, self_operated=True), "shop_id": "s2"}],
    "enrollments": [
        {"account_id": "a1", "enrolled_at": "2025-11-22T09:00:00+08:00"},
        {"account_id": "a2", "enrolled_at": "2025-11-22T09:00:00+08:00"},
    ],
    "orders": [
        _line("o1", "s1", "p1", "a1", "short_video", 10_000, "settled"),
        _line("o2", "s1", "p2", "a1", "live", 20_000, "settled", refund_fen=5_000),
        _line("o3", "s2", "p3", "a2", "short_video", 30_000, "settled"),
        _line("o4", "s2", "p9", "a2", "short_video", 40_000, "paid"),
        _line("o5", "s1", "p1", None, "showcase", 50_000, "settled"),
        _line("o6", "s2", "p3", "a1", "live", 60_000, "refunded", refund_fen=60_000),
    ],
}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_snapshot(tmp_path_factory.mktemp("snapshots"), TABLES, snapshot_date="2025-12-21")


@pytest.fixture(scope="module")
def snap(snapshot: Path) -> OpenedSnapshot:
    return open_snapshot(snapshot)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # channel, order_lines, paid, settled, share of the filtered lines' settled GMV
        (
            {},
            [
                ("live", 2, 80_000, 15_000, 15 / 105),
                ("short_video", 3, 80_000, 40_000, 40 / 105),
                ("showcase", 1, 50_000, 50_000, 50 / 105),
            ],
        ),
        (
            {"shop": "s1"},
            [
                ("live", 1, 20_000, 15_000, 15 / 75),
                ("short_video", 1, 10_000, 10_000, 10 / 75),
                ("showcase", 1, 50_000, 50_000, 50 / 75),
            ],
        ),
        ({"account": "a1"}, [("live", 2, 80_000, 15_000, 0.6), ("short_video", 1, 10_000, 10_000, 0.4)]),
        ({"category": "food"}, [("short_video", 1, 10_000, 10_000, 1 / 6), ("showcase", 1, 50_000, 50_000, 5 / 6)]),
        ({"category": "other"}, [("short_video", 1, 40_000, 0, None)]),  # the missing product p9
        ({"shop": "s2", "account": "a1"}, [("live", 1, 60_000, 0, None)]),
        (
            {"shop": "s1", "category": "food"},
            [("short_video", 1, 10_000, 10_000, 1 / 6), ("showcase", 1, 50_000, 50_000, 5 / 6)],
        ),
        ({"shop": "s1", "category": "beauty"}, []),
    ],
)
def test_channel_mix_filters(snap: OpenedSnapshot, filters: dict[str, str], expected: list[tuple]) -> None:
    assert_rows(snap.kpi("channel_mix", *WEEK1, **filters), expected)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, (40_000, 15_000, 105_000, 40 / 55, 40 / 105)),
        ({"shop": "s2"}, (30_000, 0, 30_000, 1.0, 1.0)),
        ({"account": "a1"}, (10_000, 15_000, 25_000, 0.4, 0.4)),
        ({"category": "home"}, (0, 15_000, 15_000, 0.0, 0.0)),
        ({"account": "a2", "category": "food"}, (0, 0, 0, None, None)),
    ],
)
def test_short_video_share_filters(snap: OpenedSnapshot, filters: dict[str, str], expected: tuple) -> None:
    assert_rows(snap.kpi("short_video_share", *WEEK1, **filters), [expected])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {},
            [
                ("live", "beauty", 0, 0.0),
                ("live", "home", 15_000, 1.0),
                ("short_video", "beauty", 30_000, 0.75),
                ("short_video", "food", 10_000, 0.25),
                ("short_video", "other", 0, 0.0),
            ],
        ),
        ({"account": "a2"}, [("short_video", "beauty", 30_000, 1.0), ("short_video", "other", 0, 0.0)]),
        ({"shop": "s1"}, [("live", "home", 15_000, 1.0), ("short_video", "food", 10_000, 1.0)]),
    ],
)
def test_category_mix_filters(snap: OpenedSnapshot, filters: dict[str, str], expected: list[tuple]) -> None:
    assert_rows(snap.kpi("category_mix", *WEEK1, **filters), expected)


def test_top_products_and_videos_filters(snap: OpenedSnapshot) -> None:
    food = snap.kpi("top_products", *WEEK1, category="food")
    assert food.select("rank", "product_id", "videos", "order_lines", "settled_gmv_fen", "paid_gmv_fen").rows() == [
        (1, "p1", 1, 1, 10_000, 10_000)
    ]
    s2 = snap.kpi("top_products", *WEEK1, shop="s2")
    assert s2.select("product_id", "settled_gmv_fen", "paid_gmv_fen").rows() == [
        ("p3", 30_000, 30_000),
        ("p9", 0, 40_000),
    ]
    a2 = snap.kpi("top_videos", *WEEK1, account="a2", limit=1)
    assert a2.select("rank", "video_id", "settled_gmv_fen").rows() == [(1, "v3", 30_000)]
    a1 = snap.kpi("top_videos", *WEEK1, account="a1")
    assert a1.select("video_id", "account_id", "settled_gmv_fen").rows() == [("v1", "a1", 10_000)]


def test_growth_card_account_filter(tmp_path: Path) -> None:
    world = open_snapshot(build_snapshot(tmp_path, WORLD))
    everyone = world.kpi("growth_card", end=date(2025, 12, 31))
    assert world.kpi("growth_card", end=date(2025, 12, 31), account="acc03").rows() == [("acc03", True, 400_000, 60.0)]
    assert everyone.filter(everyone["account_id"] == "acc03").rows() == [("acc03", True, 400_000, 60.0)]
    assert world.kpi("growth_card", end=date(2025, 12, 31), account="acc07").is_empty()  # not eligible: no card


@pytest.mark.parametrize("name", ["channel_mix", "short_video_share", "category_mix", "top_products", "top_videos"])
def test_lines_path_equals_the_rollup(snap: OpenedSnapshot, name: str) -> None:
    """A shop filter matching every shop reads the lines; it must agree with the roll-up's answer."""
    by_shop = [snap.kpi(name, *WEEK1, shop=s) for s in ("s1", "s2")]
    whole = snap.kpi(name, *WEEK1)
    money = [c for c in whole.columns if c.endswith("_fen") or c == "order_lines"]
    if name in ("channel_mix", "category_mix"):
        keys = [c for c in ("channel", "category") if c in whole.columns]
        combined = by_shop[0].vstack(by_shop[1]).group_by(keys).agg([__import__("polars").col(c).sum() for c in money])
        assert sorted(combined.select(*keys, *money).rows()) == sorted(whole.select(*keys, *money).rows())
    elif name == "short_video_share":
        assert [sum(f[c].item() for f in by_shop) for c in money] == [whole[c].item() for c in money]
    else:
        assert sum(f["settled_gmv_fen"].sum() for f in by_shop) == whole["settled_gmv_fen"].sum()


@pytest.mark.parametrize(
    ("shop", "expected"),
    [
        # eligible, newcomers, enrolled newcomers, selling (the shop's settled short-video lines), rate
        (None, (2, 2, 2, 2, 1.0)),
        ("s1", (1, 1, 1, 1, 1.0)),  # a1 sold s1's p1 by short video
        ("s2", (2, 2, 2, 1, 0.5)),  # a2 (self-operated) sold p3; a1's only s2 line is a refunded live line
    ],
)
def test_newcomer_uptake_per_shop(snap: OpenedSnapshot, shop: str | None, expected: tuple) -> None:
    assert_rows(snap.kpi("newcomer_uptake", end="2025-12-21", shop=shop), [expected])


def test_growth_cards_per_shop_are_its_self_operated_accounts(snap: OpenedSnapshot) -> None:
    def summary(shop: str | None) -> tuple:
        return snap.kpi("growth_card_summary", end="2025-12-21", shop=shop).select("accounts", "total_points").row(0)

    # a1: 10,000 fen -> 1.5 points (a promoter of s1 and s2: neither shop's card); a2 (s2's own): 30,000 -> 4.5
    assert summary(None) == (2, 6.0)
    assert summary("s2") == (1, 4.5)
    assert summary("s1") == (0, 0.0)


@pytest.mark.parametrize(
    ("shop", "expected"),
    [
        (None, (210_000, 105_000, 65_000, 40_000, 40 / 210)),
        ("s1", (80_000, 75_000, 5_000, 0, 0.0)),
        ("s2", (130_000, 30_000, 60_000, 40_000, 40 / 130)),
    ],
)
def test_settlement_progress_per_shop(snap: OpenedSnapshot, shop: str | None, expected: tuple) -> None:
    assert_rows(snap.kpi("settlement_progress", *WEEK1, shop=shop), [expected])


def test_settled_at_age_per_shop_is_its_channel_mix(snap: OpenedSnapshot) -> None:
    for shop in ("s1", "s2"):
        aged = snap.kpi("settled_at_age", *WEEK1, age=45, shop=shop)  # past every settled_at
        assert aged.equals(snap.kpi("channel_mix", *WEEK1, shop=shop))


def test_funnel_per_shop_counts_its_accounts(snap: OpenedSnapshot) -> None:
    def everyone(shop: str | None) -> tuple:
        frame = snap.kpi("eligibility_funnel", end="2025-12-21", shop=shop)
        return frame.filter(frame["segment"] == "all").select("accounts", "eligible", "enrolled").row(0)

    assert everyone(None) == (2, 2, 2)
    assert everyone("s1") == (1, 1, 1)  # a1, credited on s1's lines
    assert everyone("s2") == (2, 2, 2)  # a2, its own, and a1, credited on its refunded live line


@pytest.mark.parametrize(("name", "window"), [("daily_trend", WEEK1), ("weekly_trend", (None, "2025-12-21"))])
def test_trends_per_shop_add_up_to_the_whole(snap: OpenedSnapshot, name: str, window: tuple) -> None:
    frames = [snap.kpi(name, *window, shop=s) for s in (None, "s1", "s2")]
    money = [c for c in frames[0].columns if c.endswith("_gmv_fen")]
    whole, s1, s2 = (f.select(money) for f in frames)
    assert (s1 + s2).equals(whole)
    assert whole.sum().row(0) != (0,) * len(money)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"category": "fod"}, "^category 'fod' is not in the snapshot; did you mean 'food'\\? known: food, home,"),
        ({"shop": "s3"}, "^shop 's3' is not in the snapshot; did you mean 's2' or 's1'\\? known: s1, s2"),
        ({"account": "A1"}, "^account 'A1' is not in the snapshot; .*known: a1, a2"),
    ],
)
def test_unknown_filter_values_are_refused(snap: OpenedSnapshot, filters: dict[str, str], message: str) -> None:
    with pytest.raises(WorkbenchError, match=message):
        snap.kpi("channel_mix", *WEEK1, **filters)


def test_a_filter_a_kpi_does_not_take_is_refused(snap: OpenedSnapshot) -> None:
    with pytest.raises(WorkbenchError, match=r"^category_mix takes no parameter 'category'"):
        snap.kpi("category_mix", *WEEK1, category="food")


def test_cli_filters(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, err = kpi_cli(
        capsys, snapshot, "channel_mix", "--week", "1", "--shop", "s2", "--account", "a1", "--format", "csv"
    )
    assert (code, out) == (0, "channel,order_lines,paid_gmv_fen,settled_gmv_fen,settled_share\nlive,1,60000,0,\n")
    code, out, _ = kpi_cli(capsys, snapshot, "top_videos", "--week", "1", "--param", "limit=1", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("1,v3,a2,")
    code, _, err = kpi_cli(capsys, snapshot, "channel_mix", "--week", "1", "--category", "fod")
    assert code == 2 and err.startswith("error: category 'fod' is not in the snapshot; did you mean 'food'?")


def test_cli_xlsx_carries_the_filters_and_their_numbers(
    capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path
) -> None:
    """A filtered KPI exported to Excel holds the filtered rows, and its about sheet names the filters."""
    out = tmp_path / "mix.xlsx"
    code, _, _ = kpi_cli(
        capsys,
        snapshot,
        "channel_mix",
        "--week",
        "1",
        "--shop",
        "s2",
        "--account",
        "a1",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    assert code == 0
    book = openpyxl.load_workbook(out)
    rows = list(book["channel_mix"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == 1 and rows[1][2] == 600  # one live line of 600.00 yuan
    about = "\n".join(
        " ".join(str(c) for c in row if c is not None) for row in book.worksheets[-1].iter_rows(values_only=True)
    )
    assert "s2" in about and "a1" in about
