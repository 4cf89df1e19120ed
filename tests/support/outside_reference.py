"""The five contract KPIs computed from plain row dicts, straight from the contract's words.

This is the outside checker's answer key: it imports nothing from
`workbench`, uses no SQL and no dataframe library, and follows the text of
shared/contract/README.md ("Keys, time and money", "KPI definitions") line
by line, so a disagreement with `workbench kpi ... --format csv` points at
the product, not at a shared helper. Rows are dicts keyed by the contract's
column names; timestamps are timezone-aware datetimes.

The contract is silent about an order line whose product_id is not in
products; the reference counts it as category `other` (the contract's
catch-all, so category_mix stays inside the category list and its channel
totals equal the channel's settled GMV) and the tests say so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

Row = dict[str, Any]
World = dict[str, list[Row]]

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The contract's default campaign rules ("The campaign being measured").
CAMPAIGN_START, CAMPAIGN_END = date(2025, 11, 22), date(2025, 12, 31)
BASELINE_START, BASELINE_END = date(2025, 8, 1), date(2025, 10, 31)
BASELINE_DAYS, CAMPAIGN_DAYS = 92, 40
CARD_RATE, CARD_CAP = 0.015, 150_000.0
MIN_FANS = 1000
MISSING_PRODUCT_CATEGORY = "other"

# Output columns of each KPI, in the contract's order ("Named KPIs").
COLUMNS: dict[str, tuple[str, ...]] = {
    "channel_mix": ("channel", "order_lines", "paid_gmv_fen", "settled_gmv_fen", "settled_share"),
    "short_video_share": (
        "short_video_settled_gmv_fen",
        "live_settled_gmv_fen",
        "total_settled_gmv_fen",
        "share_of_video_and_live",
        "share_of_total",
    ),
    "category_mix": ("channel", "category", "settled_gmv_fen", "share_within_channel"),
    "newcomer_uptake": ("eligible_accounts", "newcomers", "enrolled_newcomers", "selling_newcomers", "uptake_rate"),
    "growth_card": ("account_id", "is_newcomer", "reward_base_fen", "growth_card_points"),
}


def local_day(instant: datetime) -> date:
    """The Asia/Shanghai calendar day of an instant: every boundary is taken there."""
    return instant.astimezone(SHANGHAI).date()


def paid_between(orders: Iterable[Row], start: date, end: date) -> list[Row]:
    """Lines whose paid date (Asia/Shanghai) is in [start, end]; empty when end < start."""
    return [o for o in orders if start <= local_day(o["paid_at"]) <= end]


def settled_fen(line: Row) -> int:
    """A line's contribution to settled GMV: amount - refund when status is settled, else 0."""
    return line["amount_fen"] - line["refund_fen"] if line["status"] == "settled" else 0


def share(numerator: int, denominator: int) -> float | None:
    """A share, or None (an empty CSV field) when its denominator is 0."""
    return None if denominator == 0 else numerator / denominator


def channel_mix(world: World, start: date, end: date) -> list[Row]:
    """One row per channel with lines in the window; paid GMV counts every status, settled only `settled`."""
    lines = paid_between(world["orders"], start, end)
    total = sum(settled_fen(o) for o in lines)
    rows = []
    for channel in sorted({o["channel"] for o in lines}):
        mine = [o for o in lines if o["channel"] == channel]
        settled = sum(settled_fen(o) for o in mine)
        rows.append(
            {
                "channel": channel,
                "order_lines": len(mine),
                "paid_gmv_fen": sum(o["amount_fen"] for o in mine),
                "settled_gmv_fen": settled,
                "settled_share": share(settled, total),
            }
        )
    return rows


def short_video_share(world: World, start: date, end: date) -> list[Row]:
    """Always one row: zeros when nothing settled, and each share empty when its denominator is 0."""
    lines = paid_between(world["orders"], start, end)
    video = sum(settled_fen(o) for o in lines if o["channel"] == "short_video")
    live = sum(settled_fen(o) for o in lines if o["channel"] == "live")
    total = sum(settled_fen(o) for o in lines)
    return [
        {
            "short_video_settled_gmv_fen": video,
            "live_settled_gmv_fen": live,
            "total_settled_gmv_fen": total,
            "share_of_video_and_live": share(video, video + live),
            "share_of_total": share(video, total),
        }
    ]


def category_mix(world: World, start: date, end: date) -> list[Row]:
    """(channel, category) rows for short_video and live lines in the window, even when none settled."""
    categories = {p["product_id"]: p["category"] for p in world["products"]}
    settled: dict[tuple[str, str], int] = defaultdict(int)
    for o in paid_between(world["orders"], start, end):
        if o["channel"] in ("short_video", "live"):
            settled[(o["channel"], categories.get(o["product_id"], MISSING_PRODUCT_CATEGORY))] += settled_fen(o)
    channel_total: dict[str, int] = defaultdict(int)
    for (channel, _), fen in settled.items():
        channel_total[channel] += fen
    return [
        {
            "channel": channel,
            "category": category,
            "settled_gmv_fen": fen,
            "share_within_channel": share(fen, channel_total[channel]),
        }
        for (channel, category), fen in sorted(settled.items())
    ]


def video_settled_by_account(world: World, start: date, end: date) -> dict[str, int]:
    """Settled short-video GMV per credited account of lines paid start..end (null account: nobody's)."""
    by_account: dict[str, int] = defaultdict(int)
    for o in paid_between(world["orders"], start, end):
        if o["channel"] == "short_video" and o["account_id"] is not None:
            by_account[o["account_id"]] += settled_fen(o)
    return by_account


def eligible_accounts(world: World) -> list[Row]:
    """(effective_fans >= 1000 or self-operated) and short-video commerce enabled; only rows of accounts."""
    return [
        a
        for a in world["accounts"]
        if (a["effective_fans"] >= MIN_FANS or a["is_self_operated"]) and a["short_video_commerce_enabled"]
    ]


def newcomer_ids(world: World) -> set[str]:
    """Eligible accounts with no settled short-video GMV from baseline lines (live does not matter)."""
    baseline = video_settled_by_account(world, BASELINE_START, BASELINE_END)
    return {a["account_id"] for a in eligible_accounts(world) if baseline.get(a["account_id"], 0) == 0}


def enrolled_by(world: World, end: date) -> set[str]:
    """Accounts whose enrolment falls on an Asia/Shanghai date <= end."""
    return {e["account_id"] for e in world["enrollments"] if local_day(e["enrolled_at"]) <= end}


def newcomer_uptake(world: World, start: date, end: date) -> list[Row]:
    """One row; start is ignored, selling counts lines paid from the campaign start to end as written (not clipped)."""
    newcomers = newcomer_ids(world)
    enrolled = newcomers & enrolled_by(world, end)
    campaign = video_settled_by_account(world, CAMPAIGN_START, end)
    selling = {a for a in enrolled if campaign.get(a, 0) > 0}
    return [
        {
            "eligible_accounts": len(eligible_accounts(world)),
            "newcomers": len(newcomers),
            "enrolled_newcomers": len(enrolled),
            "selling_newcomers": len(selling),
            "uptake_rate": share(len(selling), len(enrolled)),
        }
    ]


def reward_base_fen(campaign_fen: int, baseline_fen: int) -> int:
    """max(0, X - B / 92 * 40) floored to whole fen, in exact rationals."""
    return max(0, math.floor(campaign_fen - Fraction(baseline_fen, BASELINE_DAYS) * CAMPAIGN_DAYS))


def growth_card(world: World, start: date, end: date) -> list[Row]:
    """Eligible accounts enrolled by end with a reward base > 0; X is clipped to min(end, campaign end).

    Points are computed in the contract's order, reward_base_fen / 100 * 0.015:
    another order changes the last digit for some bases (3000 fen gives
    0.44999999999999996 this way, 0.45 as * 0.015 / 100).
    """
    newcomers = newcomer_ids(world)
    enrolled = enrolled_by(world, end)
    campaign = video_settled_by_account(world, CAMPAIGN_START, min(end, CAMPAIGN_END))
    baseline = video_settled_by_account(world, BASELINE_START, BASELINE_END)
    rows = []
    for account in sorted(a["account_id"] for a in eligible_accounts(world) if a["account_id"] in enrolled):
        is_newcomer = account in newcomers
        x = campaign.get(account, 0)
        base = x if is_newcomer else reward_base_fen(x, baseline.get(account, 0))
        if base > 0:
            rows.append(
                {
                    "account_id": account,
                    "is_newcomer": is_newcomer,
                    "reward_base_fen": base,
                    "growth_card_points": min(CARD_CAP, base / 100 * CARD_RATE),
                }
            )
    return rows


# Each KPI by its contract name, which is the function's name.
KPIS: dict[str, Callable[[World, date, date], list[Row]]] = {
    kpi.__name__: kpi for kpi in (channel_mix, short_video_share, category_mix, newcomer_uptake, growth_card)
}
