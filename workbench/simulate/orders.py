"""One day's order lines, drawn vectorised from an RNG seeded by (seed, day).

A day is drawn in full regardless of the cutoff (the cutoff only sets the
statuses), so every snapshot of a world holds identical lines for the days
it covers. Orders are drawn first (channel, promoter, content, buyer, paid
time), then expanded to their lines (products from the same shop,
quantities, amounts), then each line's lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workbench.simulate.catalog import CATEGORY_WEIGHTS, Catalog
from workbench.simulate.content import pick_products
from workbench.simulate.demand import Demand
from workbench.simulate.lifecycle import NEVER, Lifecycle, draw_lifecycle
from workbench.simulate.settings import DAY, DAY0
from workbench.snapshot.contract import CATEGORIES, CHANNELS, STATUSES, TS

LIVE, SHORT_VIDEO, PRODUCT_SHARE, SHOWCASE, ARTICLE, OTHER = range(len(CHANNELS))
# Order ids: 19 digits starting 37, day and sequence in the middle so they never collide.
ORDER_ID_BASE = 3_705_000_000_000_000_000
ORDER_ID_DAY = 500_000_000_000_000
ORDER_ID_SEQ = 10_000
# Lines per order: mostly one.
EXTRA_LINE_P = (0.15, 0.04)
# Relative purchase intensity per Asia/Shanghai hour: a lunch bump and an evening peak.
HOURLY = np.array([3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 6, 6, 7, 8, 10, 12, 12, 10, 6], dtype=float)
DISCOUNTS = np.array([1.0, 0.95, 0.9, 0.8])
DISCOUNT_P = np.array([0.55, 0.15, 0.2, 0.1])
STATUS_NAMES = pa.array(STATUSES)
CHANNEL_NAMES = pa.array(CHANNELS)
NULL_INDEX = -1
# Share of lines credited to a promoter in the channels without content; `other` is unattributed.
CREDITED_SHARE = {PRODUCT_SHARE: 0.6, SHOWCASE: 1.0, ARTICLE: 1.0, OTHER: 0.0}


def _choose(weights: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` indices drawn with probability proportional to `weights`."""
    cdf = np.cumsum(weights)
    return np.minimum(np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right"), len(weights) - 1)


def _order_sizes(lines: int, rng: np.random.Generator) -> np.ndarray:
    """Lines per order, summing to exactly `lines`."""
    sizes = 1 + sum((rng.random(lines) < p).astype(np.int64) for p in EXTRA_LINE_P)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, lines)) + 1
    sizes = sizes[:count]
    sizes[-1] -= ends[count - 1] - lines
    return sizes


def _diurnal_times(day: int, count: int, rng: np.random.Generator) -> np.ndarray:
    hour = _choose(HOURLY, count, rng)
    return DAY0 + day * DAY + hour * 3600 + rng.integers(0, 3600, count)


def _take(strings: pa.Array, index: np.ndarray) -> pa.Array:
    """strings[index] with NULL_INDEX giving null."""
    missing = index == NULL_INDEX
    return strings.take(pa.array(np.where(missing, 0, index), mask=missing))


class DayOrders:
    """Draws the orders of one world day from the world's demand."""

    def __init__(self, demand: Demand, catalog: Catalog, buyer_ids: pa.Array) -> None:
        self.demand = demand
        self.catalog = catalog
        self.buyer_ids = buyer_ids
        self.accounts = demand.accounts
        self.content = demand.content
        # Live ids then video ids, so one index column names either kind of content.
        self.n_live = len(demand.content.live_ids)
        self.content_ids = pa.concat_arrays([demand.content.live_ids, demand.content.video_ids])

    def _live(self, day: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        lo = self.content.session_day_bounds[day]
        session = lo + _choose(self.demand.live(day), count, rng)
        start, end = self.content.session_start[session], self.content.session_end[session]
        paid = start + (rng.random(count) * (end - start)).astype(np.int64)
        account = self.content.session_account[session]
        return account, paid, session, pick_products(self.accounts, self.catalog, account, rng)

    def _short_video(self, day: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        account = _choose(self.demand.short_video(day), count, rng)
        paid = _diurnal_times(day, count, rng)
        latest = self.content.latest_videos(account, paid)
        video = np.maximum(latest - rng.geometric(0.4, count) + 1, self.content.first_videos(account))
        return account, paid, video, self.content.video_product[video]

    def _other(self, channel: int, day: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        a = self.accounts
        weight = a.reach * a.has_oa if channel == ARTICLE else a.reach
        credited = rng.random(count) < CREDITED_SHARE[channel]
        account = np.where(credited, _choose(weight, count, rng), NULL_INDEX)
        category = rng.choice(len(CATEGORIES), count, p=CATEGORY_WEIGHTS)
        product = self.catalog.draw_products(category, rng.random(count))
        return account, _diurnal_times(day, count, rng), np.full(count, NULL_INDEX), product

    def _channel(self, channel: int, day: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
        """(account, paid_at, content, product) of `count` orders of one channel."""
        if channel == LIVE:
            return self._live(day, count, rng)
        if channel == SHORT_VIDEO:
            return self._short_video(day, count, rng)
        return self._other(channel, day, count, rng)

    def draw(self, day: int) -> DayLines:
        """All order lines paid on a world day, sorted by paid_at, with their futures."""
        rng = np.random.default_rng([self.demand.settings.seed, day])
        sizes = _order_sizes(int(self.demand.lines[day]), rng)
        n_orders = len(sizes)
        channel = _choose(self.demand.channels(day), n_orders, rng)
        account, paid, content, product = (np.empty(n_orders, np.int64) for _ in range(4))
        for ch in range(len(CHANNELS)):
            rows = np.flatnonzero(channel == ch)
            if len(rows):
                account[rows], paid[rows], content[rows], product[rows] = self._channel(ch, day, len(rows), rng)
        content = np.where(channel == SHORT_VIDEO, content + self.n_live, content)
        buyer = (len(self.buyer_ids) * rng.random(n_orders) ** 2).astype(np.int64)
        order_id = (
            ORDER_ID_BASE
            + day * ORDER_ID_DAY
            + np.arange(n_orders) * ORDER_ID_SEQ
            + rng.integers(0, ORDER_ID_SEQ, n_orders)
        )
        by_time = np.argsort(paid, kind="stable")
        line_order = np.repeat(by_time, sizes[by_time])
        starts = np.repeat(np.cumsum(sizes[by_time]) - sizes[by_time], sizes[by_time])
        line_no = np.arange(len(line_order)) - starts + 1
        product = self._line_products(product[line_order], line_no, rng)
        quantity = np.minimum(rng.geometric(0.75, len(line_order)), 10)
        discount = DISCOUNTS[_choose(DISCOUNT_P, len(line_order), rng)]
        amount = np.round(self.catalog.price_fen[product] * quantity * discount).astype(np.int64)
        paid_line = paid[line_order]
        lifecycle = draw_lifecycle(
            paid_line, self.catalog.product_category[product], amount, self.demand.settings.settle_days, rng
        )
        table = pa.table(
            {
                "order_id": pc.cast(pa.array(order_id.repeat(sizes[by_time])), pa.string()),
                "line_no": pa.array(line_no.astype(np.int32)),
                "shop_id": self.catalog.shop_ids.take(pa.array(self.catalog.product_shop[product])),
                "product_id": self.catalog.product_ids.take(pa.array(product)),
                "account_id": _take(self.accounts.account_ids, account[line_order]),
                "channel": CHANNEL_NAMES.take(pa.array(channel[line_order])),
                "content_id": _take(self.content_ids, content[line_order]),
                "buyer_id": self.buyer_ids.take(pa.array(buyer[line_order])),
                "quantity": pa.array(quantity.astype(np.int32)),
                "amount_fen": pa.array(amount),
                "paid_at": pa.array(paid_line * 1_000_000, TS),
            }
        )
        return DayLines(table, amount, lifecycle)

    def _line_products(self, first_product: np.ndarray, line_no: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The order's product on line 1; further lines are other goods of the same shop."""
        shop = self.catalog.product_shop[first_product]
        more = self.catalog.draw_from_shops(shop, rng.random(len(first_product)))
        return np.where(line_no == 1, first_product, more)


@dataclass(frozen=True)
class DayLines:
    """A day's lines without their cutoff-dependent columns, plus what decides them."""

    table: pa.Table
    amount_fen: np.ndarray
    lifecycle: Lifecycle

    def as_of(self, cutoff: int) -> pa.Table:
        """The lines with status, refund_fen and settled_at as of the cutoff instant."""
        status, refund, settled_at = self.lifecycle.as_of(cutoff, self.amount_fen)
        settled = settled_at != NEVER
        return (
            self.table.append_column("status", STATUS_NAMES.take(pa.array(status)))
            .append_column("refund_fen", pa.array(refund))
            .append_column("settled_at", pa.array(np.where(settled, settled_at, 0) * 1_000_000, TS, mask=~settled))
        )
