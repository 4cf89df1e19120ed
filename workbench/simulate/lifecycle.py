"""An order line's whole future, drawn when it is paid, and its state at a cutoff.

Drawing shipping, delivery, settlement and refunds once, at creation, is
what makes two snapshots of one world agree: a later cutoff only reveals
more of the same future, so amounts and paid_at never change, a settled
line keeps its settled_at, refunds only grow, and a fully refunded line
never settles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.simulate.catalog import FULL_REFUND_RATE, PARTIAL_REFUND_RATE
from workbench.simulate.settings import DAY
from workbench.snapshot.contract import STATUSES

NEVER = np.iinfo(np.int64).max
PAID, SHIPPED, DELIVERED, SETTLED, REFUNDED = (
    STATUSES.index(s) for s in ("paid", "shipped", "delivered", "settled", "refunded")
)
# Share of full refunds that happen before shipping (the rest are returns after shipping).
PRE_SHIP_SHARE = 0.4


@dataclass(frozen=True)
class Lifecycle:
    """Event times (epoch seconds, NEVER if it does not happen) of each line."""

    shipped_at: np.ndarray
    delivered_at: np.ndarray
    settle_at: np.ndarray
    full_refund_at: np.ndarray
    partial_refund_at: np.ndarray
    partial_refund_fen: np.ndarray

    def as_of(self, cutoff: int, amount_fen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(status code into STATUSES, refund_fen, settled_at or NEVER) at the cutoff instant."""
        refunded = self.full_refund_at <= cutoff
        status = np.select(
            [refunded, self.settle_at <= cutoff, self.delivered_at <= cutoff, self.shipped_at <= cutoff],
            [REFUNDED, SETTLED, DELIVERED, SHIPPED],
            PAID,
        ).astype(np.int8)
        partial = np.where(self.partial_refund_at <= cutoff, self.partial_refund_fen, 0)
        refund = np.where(refunded, amount_fen, partial)
        settled_at = np.where(status == SETTLED, self.settle_at, NEVER)
        return status, refund, settled_at


def draw_lifecycle(
    paid_at: np.ndarray, category: np.ndarray, amount_fen: np.ndarray, settle_days: int, rng: np.random.Generator
) -> Lifecycle:
    """Ship in ~1-3 days, deliver 2-5 days later, settle `settle_days` after delivery; refunds by category."""
    n = len(paid_at)
    ship_delay = np.clip(rng.lognormal(np.log(1.5 * DAY), 0.5, n), 0.1 * DAY, 5 * DAY).astype(np.int64)
    shipped = paid_at + ship_delay
    delivered = shipped + rng.integers(2 * DAY, 5 * DAY, n)
    settle = delivered + settle_days * DAY
    u = rng.random(n)
    full = u < FULL_REFUND_RATE[category]
    partial = ~full & (u < FULL_REFUND_RATE[category] + PARTIAL_REFUND_RATE[category])
    pre_ship = rng.random(n) < PRE_SHIP_SHARE
    when = rng.random(n)
    after_ship = shipped + (when * (settle - shipped)).astype(np.int64)
    full_at = np.where(full, np.where(pre_ship, paid_at + (when * ship_delay).astype(np.int64), after_ship), NEVER)
    partial_fen = np.where(partial, np.round(amount_fen * rng.uniform(0.1, 0.5, n)).astype(np.int64), 0)
    return Lifecycle(
        shipped_at=shipped,
        delivered_at=delivered,
        settle_at=np.where(full, NEVER, settle),
        full_refund_at=full_at,
        partial_refund_at=np.where(partial, after_ship, NEVER),
        partial_refund_fen=partial_fen,
    )
