"""After-sale objects of `/channels/ec/aftersale/getaftersaleorder` -> the fields that decide a refund.

Only after-sales whose money went back to the buyer count
(MERCHANT_REFUND_SUCCESS, MERCHANT_RETURN_SUCCESS); aftersales.py applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbench.ingest import values
from workbench.ingest.envelope import section, unwrap

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
