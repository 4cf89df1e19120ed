"""Column headers and labels of back-office exports, mapped to the contract.

The contract's own column names are always understood; the Chinese headers
of 微信小店 / 视频号 back-office downloads are mapped here, in one place, so
supporting a new export layout is one line. Enumerated values may be given
as the contract code (`food`) or its Chinese label (`食品`), the reverse of
the catalogue's Chinese labels (workbench.text).
"""

from __future__ import annotations

from workbench import text
from workbench.snapshot import contract

# Headers every table may use, then headers of one table only.
_COMMON: dict[str, str] = {
    "账号ID": "account_id",
    "视频号ID": "account_id",
    "带货者ID": "account_id",
    "finder_id": "account_id",
    "店铺ID": "shop_id",
    "小店ID": "shop_id",
    "商品ID": "product_id",
    "视频ID": "video_id",
    "直播ID": "live_id",
    "直播场次ID": "live_id",
}

_BY_TABLE: dict[str, dict[str, str]] = {
    "accounts": {
        "账号名称": "account_name",
        "视频号名称": "account_name",
        "昵称": "account_name",
        "是否店铺自营账号": "is_self_operated",
        "店铺自营账号": "is_self_operated",
        "有效粉丝数": "effective_fans",
        "是否开通短视频带货": "short_video_commerce_enabled",
        "已开通短视频带货": "short_video_commerce_enabled",
        "是否绑定公众号": "has_official_account",
        "有公众号": "has_official_account",
        "创建时间": "created_at",
        "注册时间": "created_at",
    },
    "shops": {"店铺名称": "shop_name", "主营类目": "main_category", "开店时间": "opened_at"},
    "products": {
        "商品名称": "title",
        "商品标题": "title",
        "类目": "category",
        "商品类目": "category",
        "价格(分)": "price_fen",
        "售价(分)": "price_fen",
    },
    "enrollments": {"报名时间": "enrolled_at"},
    "videos": {"发布时间": "published_at"},
    "video_traffic": {
        "日期": "date",
        "流量入口": "tab",
        "曝光量": "impressions",
        "曝光次数": "impressions",
        "加推曝光量": "boosted_impressions",
        "激励流量曝光量": "boosted_impressions",
        "商品点击量": "product_clicks",
        "商品点击次数": "product_clicks",
    },
    "live_sessions": {
        "开播时间": "started_at",
        "开始时间": "started_at",
        "下播时间": "ended_at",
        "结束时间": "ended_at",
    },
}


def normalise(header: str) -> str:
    """Header text compared loosely: no spaces, half-width brackets, lower case."""
    return header.strip().replace(" ", "").replace("（", "(").replace("）", ")").lower()


def header_map(table: str) -> dict[str, str]:
    """Normalised header -> contract column, for one table."""
    known = {c.name: c.name for c in contract.TABLES[table]} | _COMMON | _BY_TABLE[table]
    columns = {c.name for c in contract.TABLES[table]}
    return {normalise(h): col for h, col in known.items() if col in columns}


def column_of(table: str, header: str) -> str | None:
    """The contract column a header names in `table`, or None for an extra column."""
    return header_map(table).get(normalise(header))


def enum_value(allowed: tuple[str, ...], value: str) -> str | None:
    """The contract code for a code or Chinese label, or None if it is neither."""
    if value in allowed:
        return value
    by_label = {text.label(code, "zh"): code for code in allowed if text.has(f"label.{code}")}
    return by_label.get(value)


# Back-office order and after-sale spreadsheets: one row per order line (per after-sale).
# Their columns are not the contract's: money may be yuan, statuses are the back office's words.
# Sheet column -> required. `amount_yuan`/`amount_fen` (and the refund pair) are one column in
# two units: either may be given.
SHEET_COLUMNS: dict[str, dict[str, bool]] = {
    "orders": {
        "order_id": True,
        "line_no": False,
        "product_id": True,
        "sku_id": False,
        "quantity": True,
        "amount_yuan": False,
        "amount_fen": False,
        "refund_yuan": False,
        "refund_fen": False,
        "status": True,
        "paid_at": True,
        "settled_at": False,
        "update_time": False,
        "channel": False,
        "account_id": False,
        "content_id": False,
        "shop_id": False,
        "buyer_id": False,
    },
    "aftersales": {
        "after_sale_order_id": True,
        "order_id": True,
        "product_id": False,
        "sku_id": False,
        "amount_yuan": False,
        "amount_fen": False,
        "status": True,
        "update_time": False,
    },
}
# Of each pair, one must be present: (table, columns).
SHEET_EITHER: dict[str, tuple[tuple[str, str], ...]] = {
    "orders": (("amount_yuan", "amount_fen"),),
    "aftersales": (("amount_yuan", "amount_fen"),),
}
_SHEET_HEADERS: dict[str, dict[str, str]] = {
    "orders": {
        "订单号": "order_id",
        "订单编号": "order_id",
        "商品ID": "product_id",
        "SKU ID": "sku_id",
        "商品数量": "quantity",
        "商品实付金额(元)": "amount_yuan",
        "实付金额(元)": "amount_yuan",
        "退款金额(元)": "refund_yuan",
        "订单状态": "status",
        "支付时间": "paid_at",
        "结算时间": "settled_at",
        "更新时间": "update_time",
        "成交渠道": "channel",
        "带货者视频号ID": "account_id",
        "内容ID": "content_id",
        "店铺ID": "shop_id",
        "买家ID": "buyer_id",
    },
    "aftersales": {
        "售后单号": "after_sale_order_id",
        "订单号": "order_id",
        "订单编号": "order_id",
        "商品ID": "product_id",
        "SKU ID": "sku_id",
        "退款金额(元)": "amount_yuan",
        "售后状态": "status",
        "退款时间": "update_time",
        "售后完成时间": "update_time",
        "更新时间": "update_time",
    },
}
# Back-office order statuses -> the order API's status codes (workbench.ingest.orders_api):
# 待付款 unpaid, 待发货 paid, 部分发货 partly shipped, 已发货 shipped, 已完成 complete (settled once
# its 结算时间 is on or before the cutoff), 已取消 cancelled, 已关闭 closed after a full refund.
ORDER_STATUSES: dict[str, int] = {
    "待付款": 10,
    "待发货": 20,
    "部分发货": 21,
    "已发货": 30,
    "已完成": 100,
    "已取消": 250,
    "已关闭": 200,
    # The contract's own statuses work too.
    "paid": 20,
    "shipped": 30,
    "delivered": 100,
    "settled": 100,
    "refunded": 200,
}
ORDER_CHANNELS: dict[str, str] = {
    "直播": "live",
    "直播间": "live",
    "短视频": "short_video",
    "商品分享": "product_share",
    "橱窗": "showcase",
    "商品橱窗": "showcase",
    "公众号文章": "article",
    "其他": "other",
    **{channel: channel for channel in contract.CHANNELS},
}
# After-sale statuses as the back office words them -> the after-sale API's.
AFTERSALE_STATUSES: dict[str, str] = {
    "退款成功": "MERCHANT_REFUND_SUCCESS",
    "退货退款成功": "MERCHANT_RETURN_SUCCESS",
    "售后关闭": "USER_CANCELD",
    "已撤销": "USER_CANCELD",
}


def sheet_header_map(table: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised header -> sheet column of an orders or after-sales spreadsheet (`extra`: a user's own headers)."""
    known = {c: c for c in SHEET_COLUMNS[table]} | _COMMON | _SHEET_HEADERS[table] | (extra or {})
    return {normalise(h): col for h, col in known.items() if col in SHEET_COLUMNS[table]}
