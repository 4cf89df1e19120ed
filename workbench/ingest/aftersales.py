"""After-sale objects -> refunds on order lines.

Only after-sales whose money went back to the buyer count
(MERCHANT_REFUND_SUCCESS, MERCHANT_RETURN_SUCCESS); the rest are skipped.
Refunds are summed per line, and an after-sale that would take a line's
refunds above its paid amount is rejected, never clipped: either the
orders or the after-sales export is wrong, and a person must look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.ingest import values
from workbench.ingest.encoding import decoded_name
from workbench.ingest.envelope import section, unwrap
from workbench.ingest.ledger import Ledger
from workbench.ingest.order_stage import OrderStage
from workbench.ingest.orders_api import Order
from workbench.ingest.progress import Progress, Quiet
from workbench.ingest.sources import json_records
from workbench.ingest.validate import Version, latest_versions

REFUNDED = ("MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS")


@dataclass(frozen=True)
class AfterSale:
    """The fields of one after-sale that decide a refund."""

    after_sale_id: str
    order_id: str
    sku_id: str | None
    product_id: str | None
    amount: int
    status: str
    updated: datetime | None


def parse_aftersale(raw: Any) -> AfterSale:
    """One API record as an AfterSale; BadValue with the reason when unusable."""
    obj = unwrap(raw, "after_sale_order", "after_sale_order_id")
    amount = values.required(
        values.integer(section(obj, "refund_info", "amount"), "refund_info.amount"), "refund_info.amount"
    )
    if amount < 0:
        raise values.BadValue(f"refund_info.amount {amount} is negative")
    product_id = values.identifier(section(obj, "product_info", "product_id"), "product_info.product_id")
    sku_id = values.identifier(section(obj, "product_info", "sku_id"), "product_info.sku_id")
    if product_id is None and sku_id is None:
        raise values.BadValue("product_info has neither sku_id nor product_id, so the refunded line is unknown")
    return AfterSale(
        after_sale_id=values.required(
            values.identifier(obj.get("after_sale_order_id"), "after_sale_order_id"), "after_sale_order_id"
        ),
        order_id=values.required(values.identifier(obj.get("order_id"), "order_id"), "order_id"),
        sku_id=sku_id,
        product_id=product_id,
        amount=amount,
        status=values.required(values.text(obj.get("status"), "status"), "status"),
        updated=values.epoch(obj.get("update_time"), "update_time"),
    )


def _line_index(sale: AfterSale, order: Order) -> int:
    """The index of the order line an after-sale refunds: by sku_id, else by product_id."""
    if sale.sku_id is not None and sale.sku_id in order.skus:
        matches = [i for i, sku in enumerate(order.skus) if sku == sale.sku_id]
    else:
        matches = [i for i, line in enumerate(order.lines) if line["product_id"] == sale.product_id]
    if len(matches) != 1:
        found = "no line" if not matches else f"{len(matches)} lines"
        raise values.BadValue(
            f"order {sale.order_id} has {found} with sku_id {sale.sku_id} / product_id {sale.product_id}"
        )
    return matches[0]


def apply_aftersales(
    paths: list[Path], stage: OrderStage, cutoff: datetime, progress: Progress | None = None
) -> Ledger:
    """Hand the stage the refund totals of successful after-sales; the ledger of every record.

    Only the orders after-sales name are fetched from the stage, so this
    holds the after-sales and their orders in memory, never all orders.
    """
    ledger = Ledger("aftersales")
    versions: list[Version[AfterSale]] = []
    progress = progress or Quiet()
    for path in paths:
        progress.start(decoded_name(path.name)[0], path.stat().st_size)
        before = ledger.read
        for record in json_records(path):
            ledger.read += 1
            sale = ledger.attempt(record, parse_aftersale)
            if sale is not None:
                updated = int(sale.updated.timestamp()) if sale.updated else -1
                versions.append(Version(record, sale.after_sale_id, updated, sale))
        progress.advance(0, ledger.read - before)
        progress.finish()
    latest = latest_versions(versions, ledger, "after-sale")
    orders = stage.lines_of([v.value.order_id for v in latest if v.value.status in REFUNDED])
    refunds: dict[tuple[str, int], int] = {}
    for version in latest:
        sale = version.value
        if sale.status not in REFUNDED:
            ledger.skip(version.record, f"status {sale.status} returns no money (only {' and '.join(REFUNDED)} count)")
        elif sale.updated is not None and sale.updated > cutoff:
            ledger.skip(version.record, f"refund completed {sale.updated.isoformat()}, after the cutoff")
        else:
            if ledger.attempt(version.record, lambda _raw, sale=sale: _refund(sale, orders, refunds)):
                ledger.accepted += 1
    stage.set_refunds({(order_id, index + 1): refund for (order_id, index), refund in refunds.items()})
    return ledger


def _refund(sale: AfterSale, orders: dict[str, Order], refunds: dict[tuple[str, int], int]) -> AfterSale:
    """Add one after-sale to its line's refund total; BadValue if it does not fit."""
    order = orders.get(sale.order_id)
    if order is None:
        raise values.BadValue(f"order {sale.order_id} is not among the accepted orders")
    index = _line_index(sale, order)
    amount = order.lines[index]["amount_fen"]
    total = refunds.get((sale.order_id, index), 0) + sale.amount
    if total > amount:
        raise values.BadValue(
            f"refunds of line {index + 1} of order {sale.order_id} would total {total} fen, more than its paid {amount} fen"
        )
    refunds[(sale.order_id, index)] = total
    return sale
