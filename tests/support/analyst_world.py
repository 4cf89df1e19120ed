"""A small hand-made world for the analysts' KPIs and their charts.

Its rows are written out here so each expected number in
tests/test_kpi_analyst.py can be worked out by hand. The world has an order
on each side of the Asia/Shanghai midnight that opens the campaign,
enrolments at 16:30Z (the next local day), a partial and a full refund,
unsettled lines, an ineligible account that sells, an account without
short-video commerce, a self-operated account over its posting quota, video
traffic before and after an account enrolled, and a live line whose product
is missing from the products table.
"""

from __future__ import annotations

from datetime import date
from typing import Any

CAMPAIGN = (date(2025, 11, 22), date(2025, 12, 31))


def _account(
    account_id: str, name: str, fans: int, *, self_operated: bool = False, enabled: bool = True, official: bool = False
) -> dict[str, Any]:
    return dict(
        account_id=account_id,
        account_name=name,
        shop_id="S1" if self_operated else None,
        is_self_operated=self_operated,
        effective_fans=fans,
        short_video_commerce_enabled=enabled,
        has_official_account=official,
        created_at="2025-01-01T00:00:00+08:00",
    )


def _video(video_id: str, account_id: str, product_id: str, published_at: str) -> dict[str, Any]:
    return dict(video_id=video_id, account_id=account_id, product_id=product_id, published_at=published_at)


def _traffic(video_id: str, day: str, tab: str, impressions: int, boosted: int, clicks: int) -> dict[str, Any]:
    return dict(
        video_id=video_id,
        date=day,
        tab=tab,
        impressions=impressions,
        boosted_impressions=boosted,
        product_clicks=clicks,
    )


def _line(
    order_id: str,
    account_id: str,
    channel: str,
    content_id: str,
    product_id: str,
    amount: int,
    status: str,
    paid_at: str,
    refund: int = 0,
) -> dict[str, Any]:
    return dict(
        order_id=order_id,
        line_no=1,
        shop_id="S1",
        product_id=product_id,
        account_id=account_id,
        channel=channel,
        content_id=content_id,
        buyer_id="buyer-" + order_id,
        quantity=1,
        amount_fen=amount,
        refund_fen=refund,
        status=status,
        paid_at=paid_at,
        settled_at="2026-01-05T00:00:00+08:00" if status == "settled" else None,
    )


WORLD: dict[str, list[dict[str, Any]]] = {
    "accounts": [
        _account("A1", "新手一号", 5_000, official=True),  # newcomer (baseline live only), tier 1k-10k
        _account("A2", "老带货", 200_000),  # existing: baseline short video 92,000 fen, tier >=100k
        _account("A3", "自营店号", 500, self_operated=True, official=True),  # eligible as self-operated, tier <1k
        _account("A4", "小号", 800),  # not eligible (fans), sells anyway
        _account("A5", "未开通", 20_000, enabled=False),  # meets fans, commerce not enabled
        _account("A6", "新人六", 1_500),  # newcomer who posts but has no settled sale
    ],
    "shops": [
        dict(shop_id="S1", shop_name="一号店", main_category="food", opened_at="2024-01-01T00:00:00+08:00"),
        dict(shop_id="S2", shop_name="二号店", main_category="beauty", opened_at="2024-01-01T00:00:00+08:00"),
    ],
    "products": [
        dict(product_id="P1", shop_id="S1", title="坚果礼盒", category="food", price_fen=5000),
        dict(product_id="P2", shop_id="S1", title="收纳盒", category="home", price_fen=3000),
        dict(product_id="P3", shop_id="S2", title="面霜", category="beauty", price_fen=20000),
    ],
    "enrollments": [
        dict(account_id="A1", enrolled_at="2025-11-21T16:30:00Z"),  # local 11-22: week 1
        dict(account_id="A2", enrolled_at="2025-11-30T02:00:00+08:00"),  # local 11-30
        dict(account_id="A3", enrolled_at="2025-12-07T16:30:00Z"),  # local 12-08: week 3
        dict(account_id="A6", enrolled_at="2025-11-25T10:00:00+08:00"),  # local 11-25: week 1
    ],
    "videos": [
        _video("V1", "A1", "P1", "2025-11-21T16:10:00Z"),  # local 11-22 00:10
        _video("V1b", "A1", "P1", "2025-11-22T03:00:00Z"),  # local 11-22: A1's 2nd video that day
        _video("V2", "A2", "P3", "2025-11-23T01:00:00Z"),
        _video("V3", "A3", "P2", "2025-12-08T01:00:00Z"),
        _video("V3b", "A3", "P2", "2025-12-08T05:00:00Z"),  # A3's 2nd on 12-08: quota is 1
        _video("V4", "A4", "P1", "2025-11-20T20:00:00Z"),  # local 11-21: before the campaign
        _video("V5", "A5", "P1", "2025-11-25T02:00:00Z"),
        _video("V6", "A6", "P1", "2025-11-26T02:00:00Z"),
    ],
    "video_traffic": [
        _traffic("V1", "2025-11-22", "recommend", 1000, 400, 30),
        _traffic("V1", "2025-11-22", "follow", 500, 0, 10),
        _traffic("V2", "2025-11-23", "recommend", 2000, 0, 50),  # A2 not yet enrolled
        _traffic("V2", "2025-11-30", "recommend", 1000, 500, 50),  # A2 enrolled that day
        _traffic("V4", "2025-11-29", "friends", 100, 0, 0),  # no clicks: orders follow impressions
    ],
    "orders": [
        _line("B1", "A2", "short_video", "V0", "P1", 92_000, "settled", "2025-09-01T12:00:00+08:00"),
        _line("B2", "A1", "live", "L0", "P2", 8_000, "settled", "2025-09-02T12:00:00+08:00"),
        _line("O1", "A1", "short_video", "V1", "P1", 10_000, "settled", "2025-11-21T16:30:00Z", refund=1_000),
        _line("O2", "A1", "short_video", "V1", "P1", 5_000, "settled", "2025-11-21T15:59:59Z"),  # local 11-21
        _line("O3", "A2", "short_video", "V2", "P3", 40_000, "settled", "2025-11-23T10:00:00+08:00"),
        _line("O4", "A2", "live", "L1", "P2", 20_000, "settled", "2025-11-23T11:00:00+08:00"),
        _line("O5", "A2", "short_video", "V2", "P3", 7_000, "refunded", "2025-11-24T10:00:00+08:00", refund=7_000),
        _line("O6", "A3", "short_video", "V3", "P2", 3_000, "shipped", "2025-12-08T09:00:00+08:00"),
        _line("O7", "A3", "short_video", "V3", "P2", 6_000, "settled", "2025-12-10T09:00:00+08:00"),
        _line("O8", "A4", "short_video", "V4", "P1", 2_000, "settled", "2025-11-29T09:00:00+08:00"),
        _line("O9", "A2", "short_video", "V2", "P3", 50_000, "settled", "2025-11-30T09:00:00+08:00"),
        _line("O10", "A2", "live", "L1", "P9", 1_000, "settled", "2025-11-23T12:00:00+08:00"),  # P9 unknown
        _line("O11", "A6", "short_video", "V6", "P1", 4_000, "paid", "2025-11-26T12:00:00+08:00"),
    ],
}
# Baseline (08-01..10-31): short video 92,000 (B1), live 8,000 (B2): share 0.92,
# short-video daily average 92,000 / 92 = 1,000 fen.
