"""After-sales decided on disk: versions, skips, line matching and refund totals, in the order they were read,
and the after-sales an ingest keeps for the next incremental load."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from ingest_samples import CUTOFF, PAY_TIME, PRODUCT_ID, aftersale, order, products_csv, write_jsonl

from workbench.dates import parse_date
from workbench.ingest import ingest
from workbench.ingest.aftersales import apply_aftersales
from workbench.ingest.order_stage import read_orders
from workbench.snapshot.manifest import cutoff_instant

INSTANT = cutoff_instant(parse_date(CUTOFF))
SHOPS = {PRODUCT_ID: "shop_wx_s1"}
ORDER_ID = "3713475752656242101"
AFTER_CUTOFF = 1765123200  # 2025-12-08 00:00 Asia/Shanghai


def _two_lines() -> dict[str, Any]:
    """The sample order with a second line of the same product: sku 2001 paid 3980 fen, sku 2002 paid 1000 fen."""
    record = order()
    record["order_detail"]["product_infos"].append(
        {"product_id": PRODUCT_ID, "sku_id": "2002", "sku_cnt": 1, "sale_price": 1000, "real_price": 1000}
    )
    return record


def _sale(sale_id: str, amount: int, sku: str | None = "2001", **top: Any) -> dict[str, Any]:
    product = {"product_id": PRODUCT_ID} if sku is None else {"product_id": PRODUCT_ID, "sku_id": sku}
    return aftersale(after_sale_order_id=sale_id, refund_info={"amount": amount}, product_info=product, **top)


FIRST = [
    _sale("AS1", 3000),
    _sale("AS2", 1500),
    _sale("AS3", 900),  # does not fit: 2000 + 1500 + 900 > 3980
    _sale("AS4", 100, sku=None),  # two lines sell the product, and no sku says which
    _sale("AS5", 100, status="USER_CANCELD"),
    _sale("AS6", 500, sku="2002"),
    _sale("AS7", 100, sku="2002", update_time=AFTER_CUTOFF),
]
SECOND = [
    _sale("AS1", 2000, update_time=PAY_TIME + 7200),  # a later version
    _sale("AS6", 400, sku="2002"),  # the same update_time: the one read later wins
    _sale("AS2", 1400, update_time=PAY_TIME),  # an earlier version, read later: it loses
    _sale("AS8", 600, sku="2002"),
    _sale("AS9", 400),  # fits once AS3 is left out, though the running sum of all three is over
]


def _left(ledger: Any) -> list[tuple[str, str, str, int]]:
    return [(x.outcome, x.reason, x.record.origin.file, x.record.origin.line) for x in ledger.all_left()]


def test_versions_skips_lines_and_refunds_are_decided_in_the_order_read(tmp_path: Path) -> None:
    stage, _ = read_orders([write_jsonl(tmp_path / "orders.jsonl", [_two_lines()])], INSTANT, SHOPS)
    paths = [write_jsonl(tmp_path / "aftersales_a.jsonl", FIRST), write_jsonl(tmp_path / "aftersales_b.jsonl", SECOND)]
    with stage:
        ledger = apply_aftersales(paths, stage, INSTANT)
        assert ledger.counts() == {"read": 12, "accepted": 5, "rejected": 2, "superseded": 3, "skipped": 2}
        assert _left(ledger) == [
            ("superseded", "after-sale AS1 has a later version at aftersales_b.jsonl:1", "aftersales_a.jsonl", 1),
            ("superseded", "after-sale AS6 has a later version at aftersales_b.jsonl:2", "aftersales_a.jsonl", 6),
            ("superseded", "after-sale AS2 has a later version at aftersales_a.jsonl:2", "aftersales_b.jsonl", 3),
            (
                "rejected",
                f"refunds of line 1 of order {ORDER_ID} would total 4400 fen, more than its paid 3980 fen",
                "aftersales_a.jsonl",
                3,
            ),
            (
                "rejected",
                f"order {ORDER_ID} has 2 lines with sku_id None / product_id {PRODUCT_ID}",
                "aftersales_a.jsonl",
                4,
            ),
            (
                "skipped",
                "status USER_CANCELD returns no money (only MERCHANT_REFUND_SUCCESS and MERCHANT_RETURN_SUCCESS count)",
                "aftersales_a.jsonl",
                5,
            ),
            ("skipped", "refund completed 2025-12-07T16:00:00+00:00, after the cutoff", "aftersales_a.jsonl", 7),
        ]
        lines = stage[ORDER_ID].lines
        assert [(line["refund_fen"], line["status"]) for line in lines] == [(3900, "paid"), (1000, "refunded")]


def _winners(snapshot: Path) -> list[tuple[str, int, datetime]]:
    rows = pq.read_table(snapshot / "_ingest" / "aftersales.parquet").to_pylist()
    return [(row["after_sale_id"], row["amount"], row["updated"]) for row in rows]


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def test_the_after_sales_kept_for_the_next_load_are_read_back_as_they_were(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        products_csv(folder)
    write_jsonl(first / "orders.jsonl", [_two_lines()])
    write_jsonl(first / "aftersales.jsonl", FIRST)
    base = ingest(first, CUTOFF, tmp_path / "out" / CUTOFF)
    hour = _at(PAY_TIME + 3600)
    assert _winners(base.path) == [
        ("AS1", 3000, hour),
        ("AS2", 1500, hour),
        ("AS3", 900, hour),
        ("AS4", 100, hour),
        ("AS5", 100, hour),
        ("AS6", 500, hour),
        ("AS7", 100, _at(AFTER_CUTOFF)),
    ]
    write_jsonl(second / "aftersales.jsonl", SECOND)
    later = ingest(second, "2025-12-08", tmp_path / "out" / "2025-12-08", base=base.path)
    # The base's versions are older than every record read now; their fates are not this run's records.
    assert later.counts["aftersales"] == {"read": 5, "accepted": 3, "rejected": 1, "superseded": 1, "skipped": 0}
    assert later.facts["aftersales"] == {"base_aftersales_not_applied": 3}  # AS3 (over), AS4 (two lines), AS5
    rejected = pq.read_table(later.path / "_rejected" / "aftersales.parquet").to_pylist()
    assert [(r["outcome"], r["reason"], r["line"]) for r in rejected] == [
        ("superseded", "after-sale AS2 has a later version at the base snapshot:0", 3),
        # AS7, before the new cutoff, now refunds 100 fen of line 2 first
        ("rejected", f"refunds of line 2 of order {ORDER_ID} would total 1100 fen, more than its paid 1000 fen", 4),
    ]
    assert _winners(later.path) == [
        ("AS1", 2000, _at(PAY_TIME + 7200)),
        ("AS2", 1500, hour),
        ("AS3", 900, hour),
        ("AS4", 100, hour),
        ("AS5", 100, hour),
        ("AS6", 400, hour),
        ("AS7", 100, _at(AFTER_CUTOFF)),  # before the new cutoff: its refund counts now
        ("AS8", 600, hour),
        ("AS9", 400, hour),
    ]
