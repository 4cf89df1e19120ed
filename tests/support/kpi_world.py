"""A hand-made world for the contract KPI tests, with every expected number worked out.

Ten promoter accounts, each there for one rule of the contract. Money in
fen; times are UTC instants unless they carry +08:00. The expected values
of every KPI for the windows the tests use are derived in the comments
here and asserted in tests/test_kpi_contract.py.

    account  fans    self-op enabled  eligible  baseline short-video settled      newcomer  enrolled (Asia/Shanghai)
    acc01    5000    no      yes      yes       none (a 11-21 line is outside)    yes       2025-11-25
    acc02    2000    no      yes      yes       none (live 500,000 only)          yes       2025-12-08 (16:30Z on 12-07)
    acc03    1500    no      yes      yes       0 (its line was fully refunded)   yes       2025-11-22
    acc04    10      yes     yes      yes       1,000,000                         no        2025-11-22
    acc05    1000    no      yes      yes       9,200,000                         no        2025-11-23
    acc06    200000  no      yes      yes       none                              yes       2025-11-24
    acc07    999     no      yes      no        -                                 -         2025-11-24
    acc08    50000   no      no       no        -                                 -         2025-11-24
    acc09    3000    no      yes      yes       none (its line is on 07-31)       yes       never
    acc10    1200    no      yes      yes       none                              yes       2025-11-30
"""

from __future__ import annotations

from typing import Any

SETTLED_AT = "2026-01-08T00:00:00Z"


def account(account_id: str, fans: int, self_operated: bool = False, enabled: bool = True) -> dict[str, Any]:
    """An accounts row; only the eligibility columns vary."""
    return {
        "account_id": account_id,
        "account_name": f"name of {account_id}",
        "shop_id": "shop1" if self_operated else None,
        "is_self_operated": self_operated,
        "effective_fans": fans,
        "short_video_commerce_enabled": enabled,
        "has_official_account": False,
        "created_at": "2025-01-01T00:00:00Z",
    }


def line(
    order_id: str,
    account_id: str | None,
    channel: str,
    product_id: str,
    amount_fen: int,
    status: str,
    paid_at: str,
    refund_fen: int = 0,
    line_no: int = 1,
) -> dict[str, Any]:
    """An orders row; settled_at is set exactly when the status is settled, as the contract says."""
    return {
        "order_id": order_id,
        "line_no": line_no,
        "shop_id": "shop1",
        "product_id": product_id,
        "account_id": account_id,
        "channel": channel,
        "content_id": None,
        "buyer_id": "buyer-" + order_id,
        "quantity": 1,
        "amount_fen": amount_fen,
        "refund_fen": refund_fen,
        "status": status,
        "paid_at": paid_at,
        "settled_at": SETTLED_AT if status == "settled" else None,
    }


def product(product_id: str, category: str) -> dict[str, Any]:
    """A products row."""
    return {"product_id": product_id, "shop_id": "shop1", "title": product_id, "category": category, "price_fen": 100}


ACCOUNTS = [
    account("acc01", 5000),
    account("acc02", 2000),
    account("acc03", 1500),
    account("acc04", 10, self_operated=True),
    account("acc05", 1000),
    account("acc06", 200_000),
    account("acc07", 999),
    account("acc08", 50_000, enabled=False),
    account("acc09", 3000),
    account("acc10", 1200),
]

# P_GHOST is sold but missing from products: its lines count as category `other`.
PRODUCTS = [
    product("P_FOOD", "food"),
    product("P_BEAUTY", "beauty"),
    product("P_HOME", "home"),
    product("P_DIGI", "digital"),
]

ENROLLMENTS = [
    {"account_id": "acc01", "enrolled_at": "2025-11-25T02:00:00Z"},
    {"account_id": "acc02", "enrolled_at": "2025-12-07T16:30:00Z"},  # 2025-12-08 00:30 in Shanghai
    {"account_id": "acc03", "enrolled_at": "2025-11-22T01:00:00Z"},
    {"account_id": "acc04", "enrolled_at": "2025-11-22T01:00:00Z"},
    {"account_id": "acc05", "enrolled_at": "2025-11-23T01:00:00Z"},
    {"account_id": "acc06", "enrolled_at": "2025-11-24T01:00:00Z"},
    {"account_id": "acc07", "enrolled_at": "2025-11-24T01:00:00Z"},
    {"account_id": "acc08", "enrolled_at": "2025-11-24T01:00:00Z"},
    {"account_id": "acc10", "enrolled_at": "2025-11-30T01:00:00Z"},
]

BASELINE_ORDERS = [
    line("b1", "acc02", "live", "P_FOOD", 500_000, "settled", "2025-09-10T03:00:00Z"),  # live: acc02 stays a newcomer
    line("b2", "acc03", "short_video", "P_BEAUTY", 300_000, "refunded", "2025-09-12T03:00:00Z", refund_fen=300_000),
    line(
        "b3", "acc04", "short_video", "P_DIGI", 1_000_000, "settled", "2025-08-01T00:00:00+08:00"
    ),  # first baseline instant
    line("b4", "acc05", "short_video", "P_FOOD", 9_200_000, "settled", "2025-10-31T15:59:59Z"),  # 10-31 23:59:59 local
    line(
        "b5", "acc09", "short_video", "P_FOOD", 10_000, "settled", "2025-07-31T15:59:59Z"
    ),  # 07-31 local: before baseline
]

CAMPAIGN_ORDERS = [
    line(
        "o1", "acc01", "short_video", "P_FOOD", 20_000_000, "settled", "2025-11-21T16:30:00Z"
    ),  # 11-22 00:30 local: in
    line(
        "o2", "acc01", "short_video", "P_FOOD", 50_000, "settled", "2025-11-21T15:59:59Z"
    ),  # 11-21 23:59:59 local: out
    line("o3", "acc02", "short_video", "P_BEAUTY", 1_000_000, "settled", "2025-12-01T04:00:00Z"),
    line("o4", "acc03", "short_video", "P_BEAUTY", 500_000, "settled", "2025-11-25T02:00:00Z", refund_fen=100_000),
    line("o4", "acc03", "short_video", "P_HOME", 200_000, "shipped", "2025-11-25T02:00:00Z", line_no=2),
    line("o5", "acc04", "short_video", "P_DIGI", 1_000_000, "settled", "2025-12-10T03:00:00Z"),
    line("o6", "acc05", "short_video", "P_FOOD", 3_000_000, "settled", "2025-12-05T03:00:00Z"),
    line("o7", "acc06", "short_video", "P_DIGI", 1_200_000_000, "settled", "2025-12-20T03:00:00Z"),
    line("o8", "acc07", "short_video", "P_HOME", 700_000, "settled", "2025-11-28T03:00:00Z"),
    line("o9", "acc08", "short_video", "P_GHOST", 800_000, "settled", "2025-11-29T03:00:00Z"),
    line("o10", "acc09", "short_video", "P_FOOD", 250_000, "settled", "2025-12-02T03:00:00Z"),
    line("o11", "acc10", "short_video", "P_FOOD", 150_000, "delivered", "2025-12-03T03:00:00Z"),
    line("o12", "acc10", "live", "P_FOOD", 90_000, "settled", "2025-12-03T05:00:00Z"),
    line("o13", "acc04", "live", "P_BEAUTY", 600_000, "refunded", "2025-12-04T03:00:00Z", refund_fen=600_000),
    line("o14", None, "product_share", "P_HOME", 120_000, "settled", "2025-12-06T03:00:00Z"),
    line("o15", "acc02", "live", "P_GHOST", 300_000, "settled", "2025-12-06T05:00:00Z"),
    line("o16", "acc07", "showcase", "P_FOOD", 40_000, "paid", "2025-12-30T10:00:00Z"),
]

AFTER_CAMPAIGN_ORDERS = [
    line("o17", "acc10", "short_video", "P_FOOD", 5_000, "settled", "2026-01-03T03:00:00Z"),
]

WORLD: dict[str, list[dict[str, Any]]] = {
    "accounts": ACCOUNTS,
    "products": PRODUCTS,
    "enrollments": ENROLLMENTS,
    "orders": BASELINE_ORDERS + CAMPAIGN_ORDERS + AFTER_CAMPAIGN_ORDERS,
}
