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
