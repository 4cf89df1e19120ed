"""The data contract (shared/contract/README.md) as Python data.

One description of every table serves the generator (arrow schemas it
writes), the readers (DuckDB views that cast to these types) and
`snapshot verify` (what it checks), so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = 1

TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    """One contract column: its name, arrow type, DuckDB type and nullability."""

    name: str
    arrow: pa.DataType
    nullable: bool = False

    @property
    def duckdb_type(self) -> str:
        """The DuckDB type the contract names for this column."""
        return _DUCKDB_TYPES[self.arrow]


_DUCKDB_TYPES: dict[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    TS: "TIMESTAMP WITH TIME ZONE",
}


def _c(name: str, arrow: pa.DataType, nullable: bool = False) -> Column:
    return Column(name, arrow, nullable)


TABLES: dict[str, tuple[Column, ...]] = {
    "accounts": (
        _c("account_id", pa.string()),
        _c("account_name", pa.string()),
        _c("shop_id", pa.string(), nullable=True),
        _c("is_self_operated", pa.bool_()),
        _c("effective_fans", pa.int64()),
        _c("short_video_commerce_enabled", pa.bool_()),
        _c("has_official_account", pa.bool_()),
        _c("created_at", TS),
    ),
    "shops": (
        _c("shop_id", pa.string()),
        _c("shop_name", pa.string()),
        _c("main_category", pa.string()),
        _c("opened_at", TS),
    ),
    "products": (
        _c("product_id", pa.string()),
        _c("shop_id", pa.string()),
        _c("title", pa.string()),
        _c("category", pa.string()),
        _c("price_fen", pa.int64()),
    ),
    "enrollments": (
        _c("account_id", pa.string()),
        _c("enrolled_at", TS),
    ),
    "videos": (
        _c("video_id", pa.string()),
        _c("account_id", pa.string()),
        _c("product_id", pa.string()),
        _c("published_at", TS),
    ),
    "video_traffic": (
        _c("video_id", pa.string()),
        _c("date", pa.date32()),
        _c("tab", pa.string()),
        _c("impressions", pa.int64()),
        _c("boosted_impressions", pa.int64()),
        _c("product_clicks", pa.int64()),
    ),
    "live_sessions": (
        _c("live_id", pa.string()),
        _c("account_id", pa.string()),
        _c("started_at", TS),
        _c("ended_at", TS),
    ),
    "orders": (
        _c("order_id", pa.string()),
        _c("line_no", pa.int32()),
        _c("shop_id", pa.string()),
        _c("product_id", pa.string()),
        _c("account_id", pa.string(), nullable=True),
        _c("channel", pa.string()),
        _c("content_id", pa.string(), nullable=True),
        _c("buyer_id", pa.string(), nullable=True),  # null when an export carries no openid
        _c("quantity", pa.int32()),
        _c("amount_fen", pa.int64()),
        _c("refund_fen", pa.int64()),
        _c("status", pa.string()),
        _c("paid_at", TS),
        _c("settled_at", TS, nullable=True),
    ),
}

# Key columns of each table; `verify` checks they are unique.
KEYS: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id",),
    "shops": ("shop_id",),
    "products": ("product_id",),
    "enrollments": ("account_id",),
    "videos": ("video_id",),
    "video_traffic": ("video_id", "date", "tab"),
    "live_sessions": ("live_id",),
    "orders": ("order_id", "line_no"),
}

CHANNELS = ("live", "short_video", "product_share", "showcase", "article", "other")
CATEGORIES = ("food", "home", "beauty", "apparel", "digital", "health", "mother_baby", "other")
TABS = ("recommend", "follow", "friends")
STATUSES = ("paid", "shipped", "delivered", "settled", "refunded")

# Columns whose values must come from a closed set: (table, column) -> allowed values.
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("orders", "channel"): CHANNELS,
    ("orders", "status"): STATUSES,
    ("products", "category"): CATEGORIES,
    ("shops", "main_category"): CATEGORIES,
    ("video_traffic", "tab"): TABS,
}


def arrow_schema(table: str) -> pa.Schema:
    """The arrow schema the snapshot writer uses for a contract table."""
    return pa.schema([pa.field(c.name, c.arrow, nullable=c.nullable) for c in TABLES[table]])
