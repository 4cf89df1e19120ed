"""A hand-made world of 14 shops for the peer benchmarks (queries/shop_peers.sql).

Window: week 1, 2025-11-22..2025-11-28 (also the growth card's range, as
the campaign starts on 11-22). Money in fen; the default size bands are
<10k yuan (< 1,000,000 fen), 10k-100k, 100k-1M, >=1M; k = 5.

    shop  category  lines paid in the window (sv = short video)                         paid       band
    F1    food      sv N1 100,000 settled (video VN1a); sv X1 100,000 settled (VX1);      400,000    <10k
                    live 200,000 settled
    F2    food      sv N1 300,000 settled (VN1b); live 100,000                            400,000    <10k
    F3    food      sv E1 200,000 settled (VE1); live 600,000                             800,000    <10k
    F4    food      sv, no promoter, 100,000 paid (not settled; video VS4)                100,000    <10k
    F5    food      live 50,000                                                           50,000     <10k
    B1-3  beauty    sv Q1 10,000 / 20,000 / 30,000 settled (VB1-3); live 30,000 /         40,000     <10k
                    20,000 / 10,000
    B4    beauty    sv Q1 1,000,000 settled (VB4)                                         1,000,000  10k-100k
    B5    beauty    sv Q1 500,000 settled (VB5); live 1,500,000                           2,000,000  10k-100k
    B6    beauty    live 1,000,000                                                        1,000,000  10k-100k
    H1    home      sv Q1 40,000 settled (VH1); live 60,000                               100,000    <10k
    H2    home      none                                                                  0          <10k
    Z9    (missing from shops: `other`)  live 10,000                                      10,000     <10k

Accounts: N1, N2, N3 newcomers (5,000 / 2,000 / 3,000 fans, no baseline),
enrolled 11-22, 11-25 and 12-05 (after the window); E1 existing (50,000
fans, baseline short video 92,000 settled: 1,000 a day, 40,000 over the
campaign's 40 days), enrolled 11-22; S4, F4's self-operated account (10
fans), a newcomer enrolled 11-23; X1 and Q1 not eligible (100 fans).

Videos (product -> shop) and product clicks in the window: VN1a (N1, PF1) 40;
VX1 (X1, PF1) 60; VN3 (N3, PF1) 100 on 11-30, outside; VN1b (N1, PF2) 25;
VE1 (E1, PF3) 10, and 1,000 on 11-21, outside; VN2 (N2, PF3, published 11-24)
10; VS4 (S4, PF4) 0 clicks; VB1..VB5 (Q1) 10, 20, 40, 50, 100; VH1 (Q1) 8.
"""

from __future__ import annotations

from typing import Any

WINDOW = ("2025-11-22", "2025-11-28")
SETTLED_AT = "2025-12-05T00:00:00+08:00"


def _shop(shop_id: str, category: str) -> dict[str, Any]:
    return dict(
        shop_id=shop_id, shop_name=f"name of {shop_id}", main_category=category, opened_at="2024-01-01T00:00:00Z"
    )


def _product(shop_id: str) -> dict[str, Any]:
    return dict(product_id="P" + shop_id, shop_id=shop_id, title="p", category="food", price_fen=100)


def _account(account_id: str, fans: int, shop_id: str | None = None) -> dict[str, Any]:
    return dict(
        account_id=account_id,
        account_name=f"name of {account_id}",
        shop_id=shop_id,
        is_self_operated=shop_id is not None,
        effective_fans=fans,
        short_video_commerce_enabled=True,
        has_official_account=False,
        created_at="2025-01-01T00:00:00Z",
    )


def _video(
    video_id: str, account_id: str, shop_id: str, published: str = "2025-11-22T10:00:00+08:00"
) -> dict[str, Any]:
    return dict(video_id=video_id, account_id=account_id, product_id="P" + shop_id, published_at=published)


def _clicks(video_id: str, clicks: int, day: str = "2025-11-24") -> dict[str, Any]:
    return dict(
        video_id=video_id, date=day, tab="recommend", impressions=1000, boosted_impressions=0, product_clicks=clicks
    )


def _line(
    order_id: str,
    shop_id: str,
    channel: str,
    amount: int,
    account_id: str | None = None,
    video_id: str | None = None,
    status: str = "settled",
    paid_at: str = "2025-11-24T12:00:00+08:00",
) -> dict[str, Any]:
    return dict(
        order_id=order_id,
        line_no=1,
        shop_id=shop_id,
        product_id="P" + shop_id,
        account_id=account_id,
        channel=channel,
        content_id=video_id if channel == "short_video" else "L" + order_id,
        buyer_id=None,
        quantity=1,
        amount_fen=amount,
        refund_fen=0,
        status=status,
        paid_at=paid_at,
        settled_at=SETTLED_AT if status == "settled" else None,
    )


SHOPS = {"F": "food", "B": "beauty", "H": "home"}
SHOP_IDS = [*(f"F{i}" for i in range(1, 6)), *(f"B{i}" for i in range(1, 7)), "H1", "H2"]

WORLD: dict[str, list[dict[str, Any]]] = {
    "shops": [_shop(s, SHOPS[s[0]]) for s in SHOP_IDS],
    "products": [_product(s) for s in [*SHOP_IDS, "Z9"]],
    "accounts": [
        _account("N1", 5_000),
        _account("N2", 2_000),
        _account("N3", 3_000),
        _account("E1", 50_000),
        _account("S4", 10, shop_id="F4"),
        _account("X1", 100),
        _account("Q1", 100),
    ],
    "enrollments": [
        dict(account_id="N1", enrolled_at="2025-11-22T10:00:00+08:00"),
        dict(account_id="N2", enrolled_at="2025-11-25T10:00:00+08:00"),
        dict(account_id="N3", enrolled_at="2025-12-05T10:00:00+08:00"),
        dict(account_id="E1", enrolled_at="2025-11-22T10:00:00+08:00"),
        dict(account_id="S4", enrolled_at="2025-11-23T10:00:00+08:00"),
    ],
    "videos": [
        _video("VN1a", "N1", "F1"),
        _video("VX1", "X1", "F1"),
        _video("VN3", "N3", "F1"),
        _video("VN1b", "N1", "F2"),
        _video("VE1", "E1", "F3", "2025-11-20T10:00:00+08:00"),
        _video("VN2", "N2", "F3", "2025-11-24T10:00:00+08:00"),
        _video("VS4", "S4", "F4"),
        *(_video(f"VB{i}", "Q1", f"B{i}") for i in range(1, 6)),
        _video("VH1", "Q1", "H1"),
    ],
    "video_traffic": [
        _clicks("VN1a", 40),
        _clicks("VX1", 60),
        _clicks("VN3", 100, day="2025-11-30"),
        _clicks("VN1b", 25),
        _clicks("VE1", 10),
        _clicks("VE1", 1_000, day="2025-11-21"),
        _clicks("VN2", 10),
        _clicks("VS4", 0),
        *(_clicks(f"VB{i}", c) for i, c in enumerate((10, 20, 40, 50, 100), start=1)),
        _clicks("VH1", 8),
    ],
    "orders": [
        # E1's baseline: 92,000 settled short video (for F3, outside the window)
        _line("base1", "F3", "short_video", 92_000, "E1", "VE1", paid_at="2025-09-01T12:00:00+08:00"),
        _line("f1a", "F1", "short_video", 100_000, "N1", "VN1a"),
        _line("f1b", "F1", "short_video", 100_000, "X1", "VX1"),
        _line("f1c", "F1", "live", 200_000),
        _line("f2a", "F2", "short_video", 300_000, "N1", "VN1b"),
        _line("f2b", "F2", "live", 100_000),
        _line("f3a", "F3", "short_video", 200_000, "E1", "VE1"),
        _line("f3b", "F3", "live", 600_000),
        _line("f4a", "F4", "short_video", 100_000, None, "VS4", status="paid"),
        _line("f5a", "F5", "live", 50_000),
        *(
            _line(f"b{i}a", f"B{i}", "short_video", sv, "Q1", f"VB{i}")
            for i, sv in ((1, 10_000), (2, 20_000), (3, 30_000))
        ),
        *(_line(f"b{i}b", f"B{i}", "live", lv) for i, lv in ((1, 30_000), (2, 20_000), (3, 10_000))),
        _line("b4a", "B4", "short_video", 1_000_000, "Q1", "VB4"),
        _line("b5a", "B5", "short_video", 500_000, "Q1", "VB5"),
        _line("b5b", "B5", "live", 1_500_000),
        _line("b6b", "B6", "live", 1_000_000),
        _line("h1a", "H1", "short_video", 40_000, "Q1", "VH1"),
        _line("h1b", "H1", "live", 60_000),
        _line("z9b", "Z9", "live", 10_000),
    ],
}
