"""Order objects of `/channels/ec/order/get` -> contract order lines.

One API order becomes one line per `order_detail.product_infos[]` entry,
and is accepted or rejected whole: half an order would make its GMV wrong
without anyone noticing. Orders that never became sales (unpaid, cancelled
before payment) are skipped, not rejected: they are not errors, just not
part of the `orders` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workbench.ingest import values
from workbench.ingest.envelope import section, unwrap
from workbench.ingest.validate import EARLIEST_ORDER, in_range

# Order statuses that never were sales, and what they mean.
NOT_SALES = {
    10: "unpaid",
    12: "gift awaiting acceptance",
    13: "group buy not yet formed",
    190: "cancelled by the merchant",
    250: "cancelled",
}
# Paid order statuses -> contract status (100 becomes `settled` once settle_time is set).
SALES = {20: "paid", 21: "shipped", 30: "shipped", 100: "delivered", 200: "refunded"}
ORDER_SCENES = {1: "other", 2: "live", 3: "short_video", 4: "product_share", 5: "showcase", 6: "article"}
# The retired sharer_info.share_scene; any other value is a product share.
SHARE_SCENES = {1: "live", 2: "showcase", 3: "short_video", 6: "article"}


@dataclass
class Order:
    """A parsed order: its lines, each line's sku_id, and what its final status is decided from.

    Lines hold the contract's columns that do not depend on the cutoff,
    plus `unattributed` and `from_sale_price` (counted as facts when the
    order is accepted). `status` (the API's code) and `settle_time` (epoch
    seconds) decide the lines' status and settled_at against a cutoff, in
    one place for every path: order_stage.FINAL_SQL.
    """

    order_id: str
    updated: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    skus: list[str | None] = field(default_factory=list)
    not_a_sale: str | None = None
    status: int = 0
    settle_time: int | None = None


def _channel(detail: dict[str, Any]) -> str | None:
    """The sales channel from order_scene, else share_scene; None when neither is given."""
    scene = values.integer(section(detail, "ext_info", "order_scene"), "ext_info.order_scene")
    if scene is not None:
        if scene not in ORDER_SCENES:
            raise values.BadValue(f"ext_info.order_scene {scene} is not one of {sorted(ORDER_SCENES)}")
        return ORDER_SCENES[scene]
    share = values.integer(section(detail, "sharer_info", "share_scene"), "sharer_info.share_scene")
    return None if share is None else SHARE_SCENES.get(share, "product_share")


def _sources(detail: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    """source_infos[] by sku_id (the per-line promoter, when the export has it)."""
    infos = detail.get("source_infos") or []
    if not isinstance(infos, list):
        raise values.BadValue("order_detail.source_infos is not a list")
    return {values.identifier(s.get("sku_id"), "source_infos.sku_id"): s for s in infos if isinstance(s, dict)}


def parse_order(raw: Any, cutoff: datetime, shop_of: dict[str, str]) -> Order:
    """One API record as an Order; BadValue with the reason when it cannot be used."""
    order = unwrap(raw, "order", "order_id")
    order_id = values.required(values.identifier(order.get("order_id"), "order_id"), "order_id")
    status = values.required(values.integer(order.get("status"), "status"), "status")
    updated = values.epoch(order.get("update_time"), "update_time")
    parsed = Order(order_id, int(updated.timestamp()) if updated else -1, status=status)
    if status in NOT_SALES:
        parsed.not_a_sale = f"status {status} ({NOT_SALES[status]}) is not a sale"
        return parsed
    if status not in SALES:
        raise values.BadValue(f"status {status} is not a known order status")
    detail = order.get("order_detail")
    if not isinstance(detail, dict):
        raise values.BadValue("order_detail is missing")
    paid_at = in_range(
        values.required(
            values.epoch(section(detail, "pay_info", "pay_time"), "pay_info.pay_time"), "pay_info.pay_time"
        ),
        "paid_at",
        cutoff,
        EARLIEST_ORDER,
    )
    settled = values.epoch(section(detail, "settle_info", "settle_time"), "settle_info.settle_time")
    if status == 100 and settled is not None:
        if settled < paid_at:
            raise values.BadValue(f"settle_time {settled.isoformat()} is before pay_time {paid_at.isoformat()}")
        parsed.settle_time = int(settled.timestamp())
    order_fields = {
        "order_id": order_id,
        # The contract allows a null buyer_id: sanitised exports strip openid, and no KPI needs it.
        "buyer_id": values.identifier(order.get("openid"), "openid"),
        "paid_at": paid_at,
    }
    _add_lines(parsed, order, detail, order_fields, shop_of)
    return parsed


def _add_lines(
    parsed: Order, order: dict[str, Any], detail: dict[str, Any], order_fields: dict[str, Any], shop_of: dict[str, str]
) -> None:
    products = detail.get("product_infos")
    if not isinstance(products, list) or not products:
        raise values.BadValue("order_detail.product_infos is missing or empty")
    channel = _channel(detail)
    sources = _sources(detail)
    finder = values.identifier(section(detail, "ext_info", "finder_id"), "ext_info.finder_id")
    live_id = values.identifier(section(detail, "ext_info", "live_id"), "ext_info.live_id")
    order_shop = values.identifier(order.get("shop_id") or order.get("appid"), "shop_id")
    for line_no, product in enumerate(products, start=1):
        if not isinstance(product, dict):
            raise values.BadValue(f"product_infos[{line_no - 1}] is not an object")
        what = f"product_infos[{line_no - 1}]"
        product_id = values.required(
            values.identifier(product.get("product_id"), f"{what}.product_id"), f"{what}.product_id"
        )
        sku_id = values.identifier(product.get("sku_id"), f"{what}.sku_id")
        source = sources.get(sku_id, {})
        line_channel = channel or "other"
        shop_id = order_shop or shop_of.get(product_id)
        if shop_id is None:
            raise values.BadValue(
                f"shop of product {product_id} is unknown: the order has no shop_id and products has no such product_id"
            )
        parsed.lines.append(
            {
                **order_fields,
                "line_no": line_no,
                "shop_id": shop_id,
                "product_id": product_id,
                "account_id": values.identifier(source.get("account_id"), "source_infos.account_id") or finder,
                "channel": line_channel,
                "content_id": live_id
                if line_channel == "live"
                else values.identifier(source.get("content_id"), "source_infos.content_id"),
                "sku_id": sku_id,
                "unattributed": channel is None,
                **_money(product, what),
            }
        )
        parsed.skus.append(sku_id)


def _money(product: dict[str, Any], what: str) -> dict[str, Any]:
    """quantity, amount_fen (real_price, else sale_price * sku_cnt, flagged as from_sale_price)."""
    quantity = values.required(values.integer(product.get("sku_cnt"), f"{what}.sku_cnt", bits=32), f"{what}.sku_cnt")
    if quantity < 1:
        raise values.BadValue(f"{what}.sku_cnt {quantity} is below 1")
    amount = values.integer(product.get("real_price"), f"{what}.real_price")
    from_sale_price = amount is None
    if amount is None:
        unit = values.required(
            values.integer(product.get("sale_price"), f"{what}.sale_price"), f"{what}.real_price and sale_price"
        )
        amount = values.integer(unit * quantity, f"{what}.sale_price * sku_cnt")
    if amount < 0:
        raise values.BadValue(f"{what} paid amount {amount} fen is negative")
    return {"quantity": quantity, "amount_fen": amount, "from_sale_price": from_sale_price}
