"""One test per rejection reason: each record is wrong in exactly one way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_samples import CUTOFF, PRODUCT_ID, aftersale, order, write_jsonl

from workbench.dates import parse_date
from workbench.ingest.aftersales import apply_aftersales
from workbench.ingest.order_stage import read_orders
from workbench.ingest.tabular import read_tables
from workbench.snapshot.manifest import cutoff_instant

INSTANT = cutoff_instant(parse_date(CUTOFF))
SHOPS = {PRODUCT_ID: "shop_wx_s1"}
DELETE = object()


def changed(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`record` with the dotted `path` set to `value` (or removed, for DELETE)."""
    *parents, last = path.split(".")
    target = record
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return record


ORDER_CASES = [
    ("not json", '{"order_id": "1", ', "invalid JSON"),
    ("not an object", 42, "record is a JSON int, expected an object"),
    ("provider envelope", {"code": 0, "data": order()}, "unknown envelope, keys: code, data"),
    ("failed call", {"errcode": 40001, "errmsg": "invalid credential"}, "API call failed: errcode 40001"),
    ("errcode 0 without order", {"errcode": 0, "errmsg": "ok"}, "errcode 0 but no 'order' object"),
    (
        "float order id",
        order(order_id=3.713475752656242e18),
        "order_id 3.713475752656242e+18 is a floating-point number",
    ),
    ("order id missing", changed(order(), "order_id", DELETE), "unknown envelope"),
    ("order id null", order(order_id=None), "order_id is missing"),
    ("unknown status", order(status=99), "status 99 is not a known order status"),
    ("status not a number", order(status="paid"), "status 'paid' is not an integer"),
    ("order_detail missing", changed(order(), "order_detail", DELETE), "order_detail is missing"),
    ("pay time missing", changed(order(), "order_detail.pay_info.pay_time", DELETE), "pay_info.pay_time is missing"),
    ("pay time in ms", changed(order(), "order_detail.pay_info.pay_time", 1764036000000), "is not epoch seconds"),
    ("paid after cutoff", changed(order(), "order_detail.pay_info.pay_time", 1765123200), "is after the cutoff"),
    ("paid before 2020", changed(order(), "order_detail.pay_info.pay_time", 1500000000), "before 2020-01-01"),
    ("no products", changed(order(), "order_detail.product_infos", []), "product_infos is missing or empty"),
    (
        "product not an object",
        changed(order(), "order_detail.product_infos", ["x"]),
        "product_infos[0] is not an object",
    ),
    (
        "product id missing",
        changed(order(), "order_detail.product_infos.0.product_id", DELETE),
        "product_infos[0].product_id is missing",
    ),
    ("quantity zero", changed(order(), "order_detail.product_infos.0.sku_cnt", 0), "sku_cnt 0 is below 1"),
    (
        "quantity garbage",
        changed(order(), "order_detail.product_infos.0.sku_cnt", "two"),
        "sku_cnt 'two' is not an integer",
    ),
    (
        "no price at all",
        changed(
            changed(order(), "order_detail.product_infos.0.real_price", DELETE),
            "order_detail.product_infos.0.sale_price",
            DELETE,
        ),
        "real_price and sale_price is missing",
    ),
    (
        "negative amount",
        changed(order(), "order_detail.product_infos.0.real_price", -5),
        "paid amount -5 fen is negative",
    ),
    (
        "amount beyond BIGINT",
        changed(order(), "order_detail.product_infos.0.real_price", 2**63),
        "does not fit a 64-bit integer",
    ),
    (
        "quantity beyond INTEGER",
        changed(order(), "order_detail.product_infos.0.sku_cnt", 2**31),
        "sku_cnt 2147483648 does not fit a 32-bit integer",
    ),
    ("unknown order scene", changed(order(), "order_detail.ext_info.order_scene", 9), "order_scene 9 is not one of"),
    (
        "unknown shop",
        changed(order(), "order_detail.product_infos.0.product_id", "999"),
        "shop of product 999 is unknown",
    ),
    (
        "settled before paid",
        changed(order(status=100), "order_detail.settle_info", {"settle_time": 1764036000 - 10}),
        "is before pay_time",
    ),
    ("number of 5000 digits", '{"order_id": ' + "7" * 5000 + "}", "unreadable number: Exceeds the limit"),
    ("nested 100000 deep", "[" * 100_000 + "]" * 100_000, "nested more than 100 levels deep"),
    ("nested 101 deep", "[" * 101 + "]" * 101, "nested more than 100 levels deep"),
    # A JSON escape of half a UTF-16 pair: Python reads it, but it is not text and cannot be written to parquet.
    ("lone surrogate", json.dumps(order(openid="\ud800x")), "openid '\\ud800x' holds '\\ud800', half of a UTF-16"),
]


@pytest.mark.parametrize(("case", "record", "reason"), ORDER_CASES, ids=[c[0] for c in ORDER_CASES])
def test_order_rejection(tmp_path: Path, case: str, record: Any, reason: str) -> None:
    path = write_jsonl(tmp_path / "orders.jsonl", [record])
    accepted, ledger = read_orders([path], INSTANT, SHOPS)
    assert accepted.orders() == {}
    assert ledger.counts() == {"read": 1, "accepted": 0, "rejected": 1, "superseded": 0, "skipped": 0}
    assert reason in ledger.left[0].reason
    assert ledger.left[0].record.origin.line == 1


AFTERSALE_CASES = [
    (
        "refund above amount",
        aftersale(refund_info={"amount": 3981}),
        "would total 3981 fen, more than its paid 3980 fen",
    ),
    ("unknown order", aftersale(order_id="1"), "order 1 is not among the accepted orders"),
    (
        "no such line",
        aftersale(product_info={"product_id": "777", "sku_id": "9"}),
        "has no line with sku_id 9 / product_id 777",
    ),
    ("no line identity", aftersale(product_info={}), "neither sku_id nor product_id"),
    ("amount missing", aftersale(refund_info={}), "refund_info.amount is missing"),
    ("negative amount", aftersale(refund_info={"amount": -1}), "refund_info.amount -1 is negative"),
    ("failed call", {"errcode": 9710001, "errmsg": "aftersale not exist"}, "API call failed: errcode 9710001"),
    ("provider envelope", {"IsSuccess": True, "Data": aftersale()}, "unknown envelope, keys: Data, IsSuccess"),
]


@pytest.mark.parametrize(("case", "record", "reason"), AFTERSALE_CASES, ids=[c[0] for c in AFTERSALE_CASES])
def test_aftersale_rejection(tmp_path: Path, case: str, record: Any, reason: str) -> None:
    orders, _ = read_orders([write_jsonl(tmp_path / "orders.jsonl", [order()])], INSTANT, SHOPS)
    ledger = apply_aftersales([write_jsonl(tmp_path / "aftersales.jsonl", [record])], orders, INSTANT)
    assert ledger.counts() == {"read": 1, "accepted": 0, "rejected": 1, "superseded": 0, "skipped": 0}
    assert reason in next(ledger.all_left()).reason
    assert orders["3713475752656242101"].lines[0]["refund_fen"] == 0


def test_refunds_sum_per_line_until_the_amount(tmp_path: Path) -> None:
    sales = [aftersale(after_sale_order_id=f"AS{i}", refund_info={"amount": 1500}) for i in range(3)]
    orders, _ = read_orders([write_jsonl(tmp_path / "orders.jsonl", [order()])], INSTANT, SHOPS)
    ledger = apply_aftersales([write_jsonl(tmp_path / "aftersales.jsonl", sales)], orders, INSTANT)
    assert ledger.counts() == {"read": 3, "accepted": 2, "rejected": 1, "superseded": 0, "skipped": 0}
    assert orders["3713475752656242101"].lines[0]["refund_fen"] == 3000
    assert "would total 4500 fen" in next(ledger.all_left()).reason


def test_refund_after_cutoff_is_skipped(tmp_path: Path) -> None:
    orders, _ = read_orders([write_jsonl(tmp_path / "orders.jsonl", [order()])], INSTANT, SHOPS)
    ledger = apply_aftersales(
        [write_jsonl(tmp_path / "aftersales.jsonl", [aftersale(update_time=1765123200)])], orders, INSTANT
    )
    assert ledger.counts()["skipped"] == 1
    assert "after the cutoff" in next(ledger.all_left()).reason


def test_settled_after_cutoff_is_still_delivered(tmp_path: Path) -> None:
    record = changed(order(status=100), "order_detail.settle_info", {"settle_time": 1765123200})
    orders, ledger = read_orders([write_jsonl(tmp_path / "orders.jsonl", [record])], INSTANT, SHOPS)
    line = orders["3713475752656242101"].lines[0]
    assert (line["status"], line["settled_at"]) == ("delivered", None)
    assert ledger.facts["settled_after_cutoff_orders"] == 1


HEADER = "account_id,account_name,shop_id,is_self_operated,effective_fans,short_video_commerce_enabled,has_official_account,created_at"
GOOD = "sphA,甲,,false,1200,true,false,2024-05-01 10:00:00"

TABLE_CASES = [
    ("accounts", HEADER, GOOD.replace("1200", "many"), "effective_fans 'many' is not an integer"),
    ("accounts", HEADER, GOOD.replace(",false,1200", ",maybe,1200"), "is_self_operated 'maybe' is not a yes/no value"),
    (
        "accounts",
        HEADER,
        GOOD.replace("2024-05-01 10:00:00", "2025-12-08 00:00:00"),
        "created_at 2025-12-08T00:00:00+08:00 is after the cutoff",
    ),
    ("accounts", HEADER, GOOD.replace("2024-05-01 10:00:00", "yesterday"), "created_at 'yesterday' is not a time"),
    ("accounts", HEADER, GOOD.replace("甲", ""), "account_name is empty"),
    ("accounts", HEADER, GOOD.replace("1200", "-3"), "effective_fans -3 is negative"),
    (
        "products",
        "product_id,shop_id,title,category,price_fen",
        "p1,s1,咖啡,饮料,100",
        "category '饮料' is not one of food",
    ),
    (
        "video_traffic",
        "video_id,date,tab,impressions,boosted_impressions,product_clicks",
        "v1,2025-11-24,推荐,10,20,1",
        "boosted_impressions 20 exceed impressions 10",
    ),
    (
        "video_traffic",
        "video_id,date,tab,impressions,boosted_impressions,product_clicks",
        "v1,2025-12-24,推荐,10,2,1",
        "date 2025-12-24 is outside",
    ),
    (
        "video_traffic",
        "video_id,date,tab,impressions,boosted_impressions,product_clicks",
        "v1,24/11,推荐,10,2,1",
        "date '24/11' is not a date",
    ),
    (
        "video_traffic",
        "video_id,date,tab,impressions,boosted_impressions,product_clicks",
        "v1,2025-11-24,推荐,10,2,-1",
        "product_clicks -1 is negative",
    ),
    (
        "live_sessions",
        "live_id,account_id,started_at,ended_at",
        "l1,a1,2025-11-26 22:00:00,2025-11-26 20:00:00",
        "ended_at 2025-11-26T20:00:00+08:00 is before started_at",
    ),
    (
        "accounts",
        HEADER,
        GOOD.replace("1200", "9" * 5000),
        "effective_fans has 5000 digits, too many for a 64-bit integer",
    ),
    ("accounts", HEADER, GOOD.replace("甲", "甲" * 200_000), "cannot be read as CSV: field larger than field limit"),
]


@pytest.mark.parametrize(("table", "header", "row", "reason"), TABLE_CASES, ids=[c[3][:40] for c in TABLE_CASES])
def test_table_row_rejection(tmp_path: Path, table: str, header: str, row: str, reason: str) -> None:
    path = tmp_path / f"{table}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    rows, ledger = read_tables(table, [path], INSTANT)
    assert rows == []
    assert ledger.counts() == {"read": 1, "accepted": 0, "rejected": 1, "superseded": 0, "skipped": 0}
    assert reason in ledger.left[0].reason
    assert ledger.left[0].record.origin.line == 2


def test_repeated_key_keeps_the_later_row(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n{GOOD.replace('1200', '1500')}\n", encoding="utf-8")
    rows, ledger = read_tables("accounts", [path], INSTANT)
    assert [r["effective_fans"] for r in rows] == [1500]
    assert ledger.counts() == {"read": 2, "accepted": 1, "rejected": 0, "superseded": 1, "skipped": 0}
    assert ledger.left[0].record.origin.line == 2


def test_later_update_time_wins_whatever_the_file_order(tmp_path: Path) -> None:
    newer = order(status=30, update_time=1764100000)
    older = order(status=20, update_time=1764050000)
    orders, ledger = read_orders([write_jsonl(tmp_path / "orders.jsonl", [newer, older])], INSTANT, SHOPS)
    assert orders["3713475752656242101"].lines[0]["status"] == "shipped"
    assert ledger.counts() == {"read": 2, "accepted": 1, "rejected": 0, "superseded": 1, "skipped": 0}
    assert next(ledger.all_left()).record.origin.line == 2
