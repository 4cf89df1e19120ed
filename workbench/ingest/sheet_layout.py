"""A user's own spreadsheet layout (`--headers FILE`): their headers and words, mapped in TOML.

Back offices and service providers name columns and statuses their own
way. Rather than editing package code, a user writes a TOML file:

    [orders.columns]          # sheet column = the header in your file
    order_id = "订单编号"
    amount_yuan = "实付款"
    [orders.status]           # your status = a back-office status (待付款 ... 已关闭) or a contract status
    "交易成功" = "已完成"
    [orders.channel]          # your channel = a channel (直播, 短视频, ... or live, short_video, ...)
    "视频号直播" = "live"
    [aftersales.columns]
    after_sale_order_id = "退款单号"
    [aftersales.status]       # your status = a back-office after-sale status or the API's
    "退款完成" = "退款成功"

Every name and value is checked when the file is read, so a typo is an
error naming it, not a column silently not found.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.ingest.aftersales_api import REFUNDED
from workbench.ingest.headers import AFTERSALE_STATUSES, ORDER_CHANNELS, ORDER_STATUSES, SHEET_COLUMNS

_SECTIONS = {"orders": ("columns", "status", "channel"), "aftersales": ("columns", "status")}


@dataclass(frozen=True)
class SheetLayout:
    """Per table (orders, aftersales): extra headers (header -> sheet column) and value maps (yours -> known)."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    status: dict[str, dict[str, str]] = field(default_factory=dict)
    channel: dict[str, str] = field(default_factory=dict)


def _known(table: str, part: str) -> set[str]:
    if part == "status" and table == "orders":
        return set(ORDER_STATUSES)
    if part == "status":
        return set(AFTERSALE_STATUSES) | set(AFTERSALE_STATUSES.values()) | set(REFUNDED)
    return set(ORDER_CHANNELS)


def read_layout(path: Path | None) -> SheetLayout:
    """The layout in a TOML file (none: the default headers only); WorkbenchError naming any unknown key or value."""
    if path is None:
        return SheetLayout()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise WorkbenchError(f"--headers {path}: cannot be read as TOML ({err}); see docs/ingest.md") from None
    layout = SheetLayout()
    for table, sections in data.items():
        if table not in _SECTIONS or not isinstance(sections, dict):
            raise WorkbenchError(
                f"--headers {path}: [{table}] is not a table with a layout; use [orders] or [aftersales]"
            )
        for part, mapping in sections.items():
            if part not in _SECTIONS[table] or not isinstance(mapping, dict):
                raise WorkbenchError(
                    f"--headers {path}: [{table}.{part}] is not known; use {', '.join(_SECTIONS[table])}"
                )
            for key, value in mapping.items():
                if not isinstance(value, str):
                    raise WorkbenchError(f"--headers {path}: [{table}.{part}] {key} must be text, not {value!r}")
                if part == "columns" and key not in SHEET_COLUMNS[table]:
                    raise WorkbenchError(
                        f"--headers {path}: [{table}.columns] {key!r} is not a column; use one of "
                        f"{', '.join(SHEET_COLUMNS[table])}"
                    )
                if part != "columns" and value not in _known(table, part):
                    raise WorkbenchError(
                        f"--headers {path}: [{table}.{part}] {key!r} = {value!r}: {value!r} is not a known {part}; "
                        f"use one of {', '.join(sorted(_known(table, part)))}"
                    )
            if part == "columns":
                layout.headers.setdefault(table, {}).update({header: column for column, header in mapping.items()})
            elif part == "status":
                layout.status.setdefault(table, {}).update(mapping)
            else:
                layout.channel.update(mapping)
    return layout
