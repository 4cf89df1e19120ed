"""The contract checked from outside: hand-made snapshots against the contract's own words.

Snapshots are written with pyarrow or polars by `outside_snapshot` (never
the product's writer), in five order layouts, and every contract KPI's CSV
from `workbench kpi NAME --format csv` is parsed and compared with
`outside_reference`, which computes the KPIs from the row dicts exactly as
shared/contract/README.md says. The world is built from the cases the
contract's words decide but code easily gets wrong: instants a microsecond
either side of Asia/Shanghai midnight, enrolment at midnight, windows past
the campaign end or before its start, unsettled lines carrying refunds,
ineligible or unknown accounts selling, the growth card's floor and cap.

Most runs go in-process through the Typer app; one test runs the installed
script, as the outside checks do. Full `snapshot verify` must accept the
outside snapshots too, polars-written ones (large_string columns) included.

The workbench computes numbers only from a snapshot it has fully verified,
so an outside tool's snapshot is first checked and stamped with
`workbench snapshot verify PATH --fix-stamp`, the step an outside writer
runs after writing; without it `kpi` refuses the snapshot.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from outside_reference import COLUMNS, KPIS, Row, World, reward_base_fen
from outside_snapshot import ORDER_LAYOUTS, write_snapshot
from typer.testing import CliRunner

from workbench.cli import app
from workbench.errors import WorkbenchError

# ---------------------------------------------------------------- the world

_ORDER_IDS = count(3_720_000_000_000_000_001)  # WeChat order ids exceed 2^53
CONTENT = {"short_video": "vid-1", "live": "live-1"}
CATEGORIES = ("food", "home", "beauty", "apparel", "digital", "health", "mother_baby", "other")


def utc(text: str) -> datetime:
    """An instant from ISO text with its offset (`Z` or `+08:00`)."""
    return datetime.fromisoformat(text).astimezone(UTC)


def account(account_id: str, fans: int, self_operated: bool = False, enabled: bool = True) -> Row:
    return {
        "account_id": account_id,
        "account_name": f"账号 {account_id}",
        "shop_id": "shop-1" if self_operated else None,
        "is_self_operated": self_operated,
        "effective_fans": fans,
        "short_video_commerce_enabled": enabled,
        "has_official_account": False,
        "created_at": utc("2024-01-01T00:00:00Z"),
    }


def line(
    channel: str,
    account_id: str | None,
    paid_at: str,
    amount: int,
    status: str = "settled",
    refund: int = 0,
    product: str = "p-food",
) -> Row:
    """One order line; settled_at is set exactly when the status is settled."""
    paid = utc(paid_at)
    return {
        "order_id": str(next(_ORDER_IDS)),
        "line_no": 1,
        "shop_id": "shop-1",
        "product_id": product,
        "account_id": account_id,
        "channel": channel,
        "content_id": CONTENT.get(channel),
        "buyer_id": "buyer-1",
        "quantity": 1,
        "amount_fen": amount,
        "refund_fen": refund,
        "status": status,
        "paid_at": paid,
        "settled_at": paid + timedelta(days=7) if status == "settled" else None,
    }


def enrol(account_id: str, at: str) -> Row:
    return {"account_id": account_id, "enrolled_at": utc(at)}


ACCOUNTS = [
    account("sph9New", 5000),  # newcomer, the worked example (200,000 yuan -> 3,000 points)
    account("sphBexist", 20000),  # existing: reward base with a fractional baseline deduction
    account("sphCround", 3000),  # existing: floor, not round (999.565... -> 999)
    account("sphDcap", 100000),  # newcomer exactly at the points cap
    account("sphEover", 100000),  # newcomer above the cap
    account("sphFself", 10, self_operated=True),  # eligible by being self-operated
    account("sphGdisabled", 500000, enabled=False),  # many fans, commerce disabled: not eligible
    account("sphHlow", 999),  # one fan short, independent: not eligible
    account("sphIfans1000", 1000),  # exactly the minimum: eligible
    account("sphJrefunds", 3000),  # unsettled lines with refunds, enrolled before the campaign
    account("sphKnosale", 3000),  # enrolled newcomer selling only live / unsettled video
    account("sphLafter", 3000),  # only short-video sale is after the campaign end
    account("sphMlate", 3000),  # enrolled after the campaign end, sold during it
    account("sphNnotenrolled", 3000),  # newcomer with sales, never enrolled
    account("sphObelow", 3000),  # existing, reward base exactly 0
    account("sphPabove1", 3000),  # existing, reward base 1 fen
    account("sphQnov1", 2000),  # sold on 11-01 Shanghai only before the campaign: still a newcomer
    account("sph_under", 2000),  # ids ordered byte-wise: digits, upper case, `_`, lower case
    account("spha_lower", 2000),
]

PRODUCTS = [
    {"product_id": f"p-{c}", "shop_id": "shop-1", "title": f"商品 {c}", "category": c, "price_fen": 100}
    for c in CATEGORIES
]

ENROLLMENTS = [
    enrol("sph9New", "2025-11-21T16:00:00Z"),  # = 2025-11-22 00:00 Shanghai
    enrol("sphBexist", "2025-11-25T02:00:00Z"),
    enrol("sphCround", "2025-11-25T02:00:00Z"),
    enrol("sphDcap", "2025-11-30T02:00:00Z"),
    enrol("sphEover", "2025-11-30T02:00:00Z"),
    enrol("sphFself", "2025-12-10T16:00:00Z"),  # = 2025-12-11 00:00 Shanghai
    enrol("sphGdisabled", "2025-11-22T02:00:00Z"),
    enrol("sphHlow", "2025-11-22T02:00:00Z"),
    enrol("sphIfans1000", "2025-12-10T15:59:59.999999Z"),  # = 2025-12-10 23:59:59.999999 Shanghai
    enrol("sphJrefunds", "2025-10-20T08:00:00Z"),
    enrol("sphKnosale", "2025-11-23T02:00:00Z"),
    enrol("sphLafter", "2025-12-01T02:00:00Z"),
    enrol("sphMlate", "2026-01-03T00:00:00+08:00"),
    enrol("sphObelow", "2025-11-25T02:00:00Z"),
    enrol("sphPabove1", "2025-11-25T02:00:00Z"),
    enrol("sphQnov1", "2025-11-23T02:00:00Z"),
    enrol("sph_under", "2025-11-23T02:00:00Z"),
    enrol("spha_lower", "2025-11-23T02:00:00Z"),
    enrol("sphGhost", "2025-11-23T02:00:00Z"),  # sells, but is not in accounts
]

ORDERS = [
    # Campaign start boundary: 16:00:00Z is 11-22 00:00 Shanghai, a microsecond earlier is 11-21.
    line("short_video", "sph9New", "2025-11-21T16:00:00Z", 20_000_000),
    line("short_video", "sph9New", "2025-11-21T15:59:59.999999Z", 777),
    line("product_share", "sph9New", "2025-11-24T03:00:00Z", 4_000, product="p-home"),
    # Existing account: B = 600,001 + 400,002 (08-01 and 10-31 Shanghai); 07-31 and 11-01 are outside.
    line("short_video", "sphBexist", "2025-07-31T16:00:00Z", 600_001),
    line("short_video", "sphBexist", "2025-10-31T15:59:59.999999Z", 400_002),
    line("short_video", "sphBexist", "2025-07-31T15:59:59Z", 9_999_999),
    line("short_video", "sphBexist", "2025-10-31T16:00:00Z", 5_000_000),
    line("short_video", "sphBexist", "2025-12-05T04:00:00Z", 1_000_001, product="p-beauty"),
    line("live", "sphBexist", "2025-12-05T05:00:00Z", 3_000_000, product="p-beauty"),
    # B = 1 fen: 1000 - 40/92 = 999.565..., floored to 999.
    line("short_video", "sphCround", "2025-09-10T04:00:00Z", 1),
    line("short_video", "sphCround", "2025-12-06T04:00:00Z", 1_000, product="p-apparel"),
    # 1,000,000,000 fen = 10,000,000 yuan -> exactly 150,000 points; 100 fen more is capped.
    line("short_video", "sphDcap", "2025-12-01T04:00:00Z", 600_000_000, product="p-digital"),
    line("short_video", "sphDcap", "2025-12-02T04:00:00Z", 400_000_000, product="p-digital"),
    line("short_video", "sphEover", "2025-12-03T04:00:00Z", 1_000_000_100, product="p-health"),
    line("short_video", "sphFself", "2025-12-01T06:00:00Z", 12_345, product="p-mother_baby"),
    line("short_video", "sphGdisabled", "2025-11-28T04:00:00Z", 8_888_800),
    line("short_video", "sphHlow", "2025-11-28T04:00:00Z", 7_777_700),
    # Campaign end boundary: 12-31 23:59:59 Shanghai is in, 2026-01-01 00:00 is out.
    line("short_video", "sphIfans1000", "2025-12-31T15:59:59Z", 5_000, product="p-other"),
    line("short_video", "sphIfans1000", "2025-12-31T16:00:00Z", 7_000, product="p-other"),
    # Not settled: refunds count in paid GMV only; the settled line counts net of its refund.
    line("short_video", "sphJrefunds", "2025-09-01T04:00:00Z", 9_000, status="delivered"),
    line("short_video", "sphJrefunds", "2025-09-02T04:00:00Z", 9_000, status="refunded", refund=9_000),
    line("short_video", "sphJrefunds", "2025-11-26T04:00:00Z", 5_000, status="refunded", refund=5_000),
    line("short_video", "sphJrefunds", "2025-11-26T05:00:00Z", 4_000, status="paid", refund=1_000),
    line("short_video", "sphJrefunds", "2025-11-26T06:00:00Z", 2_500, status="shipped", refund=500),
    line("short_video", "sphJrefunds", "2025-11-26T07:00:00Z", 3_000, status="delivered"),
    line("short_video", "sphJrefunds", "2025-11-26T08:00:00Z", 10_000, refund=2_500, product="p-home"),
    # Live sales in the baseline and the campaign do not make or break a newcomer.
    line("live", "sphKnosale", "2025-09-15T04:00:00Z", 50_000),
    line("live", "sphKnosale", "2025-11-27T04:00:00Z", 60_000, product="p-home"),
    line("short_video", "sphKnosale", "2025-11-27T05:00:00Z", 6_000, status="paid"),
    line("short_video", "sphLafter", "2026-01-02T04:00:00Z", 8_000),
    line("short_video", "sphMlate", "2025-12-15T04:00:00Z", 3_000),
    line("short_video", "sphNnotenrolled", "2025-12-15T05:00:00Z", 4_400),
    # Baseline daily 100,000 fen: 40 days deduct exactly 4,000,000.
    line("short_video", "sphObelow", "2025-09-20T04:00:00Z", 9_200_000),
    line("short_video", "sphObelow", "2025-12-16T04:00:00Z", 4_000_000),
    line("short_video", "sphPabove1", "2025-09-20T05:00:00Z", 9_200_000),
    line("short_video", "sphPabove1", "2025-12-16T05:00:00Z", 4_000_001),
    line("short_video", "sphQnov1", "2025-10-31T16:00:00Z", 70_000),
    line("short_video", "sphQnov1", "2025-11-29T04:00:00Z", 100),
    line("short_video", "sph_under", "2025-11-29T05:00:00Z", 2_222),
    line("short_video", "spha_lower", "2025-11-29T06:00:00Z", 3_333, product="p-home"),
    line("short_video", "sphGhost", "2025-09-29T06:00:00Z", 1_000),
    line("short_video", "sphGhost", "2025-11-29T07:00:00Z", 9_999),
    line("short_video", None, "2025-11-29T08:00:00Z", 1_111, product="p-beauty"),
    line("showcase", None, "2025-11-30T08:00:00Z", 2_000, product="p-apparel"),
    line("article", "sph_under", "2025-11-30T09:00:00Z", 3_000, status="refunded", refund=3_000),
    line("other", None, "2025-11-30T10:00:00Z", 1),  # a 1-fen share of a 10^9-fen window: no exponent
    # 12-20 Shanghai: lines but no settled GMV, so every share is empty.
    line("short_video", "sphGhost", "2025-12-20T04:00:00Z", 5_000, status="refunded", refund=5_000),
    line("short_video", "sph_under", "2025-12-20T05:00:00Z", 0),
    line("live", "sphKnosale", "2025-12-20T06:00:00Z", 3_000, status="paid", product="p-health"),
]

WORLD: World = {"accounts": ACCOUNTS, "products": PRODUCTS, "enrollments": ENROLLMENTS, "orders": ORDERS}
EMPTY_WORLD: World = {}

# Windows that move the paid-date range (what the three sales KPIs slice by) ...
SALES_WINDOWS = [
    (
        "2025-11-22",
        "2025-12-31",
    ),  # the campaign: 11-21T16:00Z and 12-31T15:59:59Z in, a microsecond / a second beyond out
    ("2025-11-21", "2025-11-21"),
    ("2025-11-22", "2026-01-05"),  # straddles the campaign end
    ("2025-08-01", "2025-10-31"),  # the baseline: 07-31T16:00Z and 10-31T15:59:59.999999Z in, their neighbours out
    ("2025-11-01", "2025-11-01"),
    ("2025-12-20", "2025-12-20"),  # lines, but nothing settled
    ("2026-02-01", "2026-02-28"),  # after the last line
]
# ... and windows that move `end` (what newcomer_uptake and growth_card depend on; they ignore start).
END_WINDOWS = [
    ("2025-11-22", "2025-12-31"),
    ("2025-11-21", "2025-11-21"),  # a UTC-dated enrolment at 11-21T16:00Z would count here
    ("2025-11-22", "2026-01-05"),
    ("2025-08-01", "2025-10-31"),  # ends before the campaign starts
    ("2025-07-31", "2025-08-01"),  # before any enrolment: uptake empty
    ("2025-11-22", "2025-12-10"),
    ("2025-11-22", "2025-12-11"),
    ("2026-01-02", "2026-01-02"),
    ("2026-02-01", "2026-02-28"),
]
WINDOWS = {
    "channel_mix": SALES_WINDOWS,
    "short_video_share": SALES_WINDOWS,
    "category_mix": SALES_WINDOWS,
    "newcomer_uptake": END_WINDOWS,
    "growth_card": END_WINDOWS,
}
# Another layout could get the window's edges wrong (partition pruning); the campaign has lines at both.
LAYOUT_WINDOW = ("2025-11-22", "2025-12-31")

# ---------------------------------------------------------------- CSV rules

_FIELD = {
    "int": re.compile(r"0|[1-9][0-9]*"),
    "share": re.compile(r"|[01]\.[0-9]+"),
    "points": re.compile(r"[0-9]+\.[0-9]+"),
    "bool": re.compile(r"true|false"),
    "text": re.compile(r".+"),
}
_SHARES = ("settled_share", "share_of_video_and_live", "share_of_total", "share_within_channel", "uptake_rate")


def kind(column: str) -> str:
    if column in _SHARES:
        return "share"
    if column == "growth_card_points":
        return "points"
    if column == "is_newcomer":
        return "bool"
    if column in ("channel", "category", "account_id"):
        return "text"
    return "int"


def parse_field(column: str, text: str) -> object:
    """One CSV field as its value, after checking it is written the contract's way."""
    what = kind(column)
    assert _FIELD[what].fullmatch(text), f"{column}={text!r} is not a contract {what} field"
    if what == "text":
        return text
    if what == "bool":
        return text == "true"
    if what == "int":
        return int(text)
    value = None if text == "" else float(text)
    assert what != "share" or value is None or 0 <= value <= 1, f"{column}={text} is outside [0, 1]"
    return value


def parse_csv(text: str) -> tuple[list[str], list[Row]]:
    assert text.endswith("\n"), "CSV must end with a newline"
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, [{c: parse_field(c, v) for c, v in zip(header, row, strict=True)} for row in rows]


# ---------------------------------------------------------------- running the CLI

_RUNNER = CliRunner()


def kpi_csv(snapshot: Path, name: str, start: str, end: str) -> str:
    """stdout of `workbench kpi NAME --snapshot S --start D --end D --format csv`, run in-process."""
    args = ["kpi", name, "--snapshot", str(snapshot), "--start", start, "--end", end, "--format", "csv"]
    result = _RUNNER.invoke(app, args)
    assert result.exit_code == 0, (args, result.stderr, result.exception)
    return result.stdout


def stamped(snapshot: Path) -> Path:
    """The outside snapshot after `workbench snapshot verify PATH --fix-stamp` accepted it."""
    result = _RUNNER.invoke(app, ["snapshot", "verify", str(snapshot), "--fix-stamp"])
    assert result.exit_code == 0 and "stamp recorded" in result.stdout, (result.stdout, result.stderr)
    return snapshot


def expected(world: World, name: str, start: str, end: str) -> list[Row]:
    full = {t: world.get(t, []) for t in ("accounts", "products", "enrollments", "orders")}
    return KPIS[name](full, date.fromisoformat(start), date.fromisoformat(end))


def assert_matches(snapshot: Path, world: World, name: str, start: str, end: str) -> None:
    header, rows = parse_csv(kpi_csv(snapshot, name, start, end))
    assert header == list(COLUMNS[name])
    assert rows == expected(world, name, start, end), f"{name} {start}..{end}"


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("outside")
    return {layout: stamped(write_snapshot(root / layout, WORLD, "2026-03-01", layout)) for layout in ORDER_LAYOUTS}


@pytest.fixture(scope="module")
def empty_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stamped(write_snapshot(tmp_path_factory.mktemp("outside-empty"), EMPTY_WORLD, "2026-03-01"))


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(KPIS))
def test_every_window_matches_the_contract(snapshots: dict[str, Path], name: str) -> None:
    for start, end in WINDOWS[name]:
        assert_matches(snapshots["flat"], WORLD, name, start, end)


@pytest.mark.parametrize("layout", [layout for layout in ORDER_LAYOUTS if layout != "flat"])
@pytest.mark.parametrize("name", list(KPIS))
def test_every_order_layout_gives_the_same_answers(snapshots: dict[str, Path], layout: str, name: str) -> None:
    assert_matches(snapshots[layout], WORLD, name, *LAYOUT_WINDOW)


@pytest.mark.parametrize(
    ("name", "csv_text"),
    [
        ("channel_mix", "channel,order_lines,paid_gmv_fen,settled_gmv_fen,settled_share\n"),
        (
            "short_video_share",
            "short_video_settled_gmv_fen,live_settled_gmv_fen,total_settled_gmv_fen,share_of_video_and_live,share_of_total\n0,0,0,,\n",
        ),
        ("category_mix", "channel,category,settled_gmv_fen,share_within_channel\n"),
        ("newcomer_uptake", "eligible_accounts,newcomers,enrolled_newcomers,selling_newcomers,uptake_rate\n0,0,0,0,\n"),
        ("growth_card", "account_id,is_newcomer,reward_base_fen,growth_card_points\n"),
    ],
)
def test_an_empty_snapshot_prints_the_empty_result(empty_snapshot: Path, name: str, csv_text: str) -> None:
    assert kpi_csv(empty_snapshot, name, "2025-11-22", "2025-12-31") == csv_text


@pytest.mark.parametrize("name", list(KPIS))
def test_a_snapshot_without_orders(tmp_path: Path, name: str) -> None:
    """Orders as an empty folder: every eligible account is a newcomer, none sells."""
    world: World = {"accounts": ACCOUNTS, "enrollments": ENROLLMENTS}
    snapshot = stamped(write_snapshot(tmp_path, world, "2026-03-01", empty_as_file=()))
    assert_matches(snapshot, world, name, "2025-11-22", "2025-12-31")


def test_the_world_exercises_what_it_claims() -> None:
    """The reference's own answers on the cases the world was built for, so a world edit cannot hollow it out."""
    cards = {r["account_id"]: r for r in expected(WORLD, "growth_card", "2025-11-22", "2025-12-31")}
    assert cards["sph9New"] == {
        "account_id": "sph9New",
        "is_newcomer": True,
        "reward_base_fen": 20_000_000,
        "growth_card_points": 3000.0,
    }
    assert cards["sphBexist"]["reward_base_fen"] == reward_base_fen(1_000_001, 1_000_003) == 565_217
    assert cards["sphCround"]["reward_base_fen"] == 999
    assert cards["sphDcap"]["growth_card_points"] == cards["sphEover"]["growth_card_points"] == 150_000.0
    assert cards["sphPabove1"]["reward_base_fen"] == 1
    assert cards["sphQnov1"]["is_newcomer"] is True
    assert {"sphGdisabled", "sphHlow", "sphGhost", "sphObelow", "sphNnotenrolled", "sphMlate"}.isdisjoint(cards)
    assert list(cards)[-2:] == ["sph_under", "spha_lower"]
    late = {r["account_id"]: r for r in expected(WORLD, "growth_card", "2025-11-22", "2026-01-05")}
    assert "sphMlate" in late and "sphLafter" not in late
    assert late["sphMlate"]["growth_card_points"] == 3000 / 100 * 0.015 == 0.44999999999999996
    assert expected(WORLD, "newcomer_uptake", "2025-11-22", "2025-12-31") == [
        {
            "eligible_accounts": 17,
            "newcomers": 13,
            "enrolled_newcomers": 11,
            "selling_newcomers": 9,
            "uptake_rate": 9 / 11,
        }
    ]
    no_orders = {"accounts": ACCOUNTS, "enrollments": ENROLLMENTS}
    assert expected(no_orders, "newcomer_uptake", "2025-11-22", "2025-12-31") == [
        {"eligible_accounts": 17, "newcomers": 17, "enrolled_newcomers": 15, "selling_newcomers": 0, "uptake_rate": 0.0}
    ]


def test_the_installed_script_prints_the_same_csv(snapshots: dict[str, Path]) -> None:
    script = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "workbench"
    args = [
        "kpi",
        "growth_card",
        "--snapshot",
        str(snapshots["hive_shanghai"]),
        "--start",
        "2025-11-22",
        "--end",
        "2026-01-05",
    ]
    result = subprocess.run([str(script), *args, "--format", "csv"], capture_output=True, text=True, check=True)
    assert result.stdout == kpi_csv(snapshots["hive_shanghai"], "growth_card", "2025-11-22", "2026-01-05")
    assert parse_csv(result.stdout)[1] == expected(WORLD, "growth_card", "2025-11-22", "2026-01-05")


def test_a_line_whose_product_is_missing_counts_as_other(tmp_path: Path) -> None:
    """The contract does not say; `other` keeps category_mix in the category list and its totals whole.

    Each channel's category rows must add up to the channel's settled GMV in
    short_video_share, and `p-gone` (not in products) joins the explicit
    `other` product's row.
    """
    world: World = {
        "products": PRODUCTS,
        "orders": [
            line("short_video", "sph9New", "2025-12-01T04:00:00Z", 1_000),
            line("short_video", "sph9New", "2025-12-01T05:00:00Z", 500, product="p-gone"),
            line("short_video", "sph9New", "2025-12-01T06:00:00Z", 200, product="p-other"),
            line("live", "sph9New", "2025-12-01T07:00:00Z", 300, product="p-gone"),
        ],
    }
    snapshot = stamped(write_snapshot(tmp_path, world, "2026-03-01"))
    _, rows = parse_csv(kpi_csv(snapshot, "category_mix", "2025-12-01", "2025-12-01"))
    assert rows == [
        {"channel": "live", "category": "other", "settled_gmv_fen": 300, "share_within_channel": 1.0},
        {"channel": "short_video", "category": "food", "settled_gmv_fen": 1_000, "share_within_channel": 1_000 / 1_700},
        {"channel": "short_video", "category": "other", "settled_gmv_fen": 700, "share_within_channel": 700 / 1_700},
    ]
    assert rows == expected(world, "category_mix", "2025-12-01", "2025-12-01")


@pytest.mark.parametrize("layout", ORDER_LAYOUTS)
def test_full_verify_accepts_an_outside_snapshot(snapshots: dict[str, Path], layout: str) -> None:
    result = _RUNNER.invoke(app, ["snapshot", "verify", str(snapshots[layout])])
    assert result.exit_code == 0, result.stdout


def test_an_outside_snapshot_is_read_only_after_it_was_verified(tmp_path: Path) -> None:
    """Unstamped, `kpi` refuses it in one line naming the fix; `--fix-stamp` runs the full check and records it."""
    snapshot = write_snapshot(tmp_path, WORLD, "2026-03-01")
    args = ["kpi", "channel_mix", "--snapshot", str(snapshot), "--format", "csv"]
    refused = _RUNNER.invoke(app, args)
    assert isinstance(refused.exception, WorkbenchError) and refused.exception.exit_code == 2
    assert refused.stdout == ""
    assert "was never verified" in str(refused.exception) and "--fix-stamp" in str(refused.exception)
    stamped(snapshot)
    assert_matches(snapshot, WORLD, "channel_mix", *LAYOUT_WINDOW)
