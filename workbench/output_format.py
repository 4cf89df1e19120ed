"""Rendering a KPI frame as CSV, JSON, parquet or a Chinese-first table.

CSV is the contract's exchange format and is compared byte for byte by
other tools, so it is written here by rule rather than by a library
default: fen as integers, shares in positional notation with every digit
Python's repr keeps (never `1e-07`), an empty field for null, booleans as
`true`/`false`. The table format is for people: money in yuan with 万/亿,
shares as percent, enumeration values with their Chinese labels.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import polars as pl
from rich.table import Table

from workbench.contract import LABELS_ZH
from workbench.errors import WorkbenchError
from workbench.kpi import Kpi

FORMATS = ("csv", "table", "json", "parquet")

# Chinese-first column headers for the table format; other columns show their name.
COLUMN_LABELS_ZH: dict[str, str] = {
    "channel": "渠道",
    "category": "品类",
    "account_id": "带货账号",
    "order_lines": "订单行数",
    "paid_gmv_fen": "支付GMV",
    "settled_gmv_fen": "结算GMV",
    "settled_share": "结算占比",
    "short_video_settled_gmv_fen": "短视频结算GMV",
    "live_settled_gmv_fen": "直播结算GMV",
    "total_settled_gmv_fen": "全渠道结算GMV",
    "share_of_video_and_live": "短视频占(短视频+直播)",
    "share_of_total": "短视频占全渠道",
    "share_within_channel": "渠道内占比",
    "eligible_accounts": "可参与账号",
    "newcomers": "新手账号",
    "enrolled_newcomers": "已报名新手",
    "selling_newcomers": "已出单新手",
    "uptake_rate": "出单率",
    "is_newcomer": "新手",
    "reward_base_fen": "奖励基数",
    "growth_card_points": "成长卡积分",
}

_ZH_UNITS = ((100_000_000, "亿元"), (10_000, "万元"))
_EN_UNITS = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))
_MISSING = "—"


def format_yuan(fen: int | None, lang: str = "zh") -> str:
    """Fen as yuan for people: `1.23亿元`, `45.60万元`, `999.50元` (zh) or `¥1.23M` (en).

    Reports quote large sums in 万/亿 as Chinese business writing does;
    the English form uses K/M/B. Null shows as a dash, not as zero, because
    "no value" and "nothing sold" mean different things.
    """
    if fen is None:
        return _MISSING
    if lang not in ("zh", "en"):
        raise WorkbenchError(f"language {lang!r} is not supported for money; use zh or en")
    yuan = fen / 100
    units, prefix, plain = (_ZH_UNITS, "", "元") if lang == "zh" else (_EN_UNITS, "¥", "")
    sizes = [size for size, _ in units] + [1]
    for (size, unit), smaller in zip(units, sizes[1:], strict=True):
        # Take the bigger unit as soon as the smaller one would round up to it, so
        # 99,999,999.99 yuan reads 1.00亿元, never 10,000.00万元.
        if abs(yuan) >= size - 0.005 * smaller:
            return f"{prefix}{yuan / size:,.2f}{unit}"
    return f"{prefix}{yuan:,.2f}{plain}"


def format_share(share: float | None) -> str:
    """A share in [0, 1] as a percent with one decimal; null (no denominator) as a dash."""
    return _MISSING if share is None else f"{share * 100:.1f}%"


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return np.format_float_positional(value, trim="0")
    return str(value)


def to_csv(frame: pl.DataFrame) -> str:
    """The contract's CSV: header row, then rows as the query ordered them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def to_json(frame: pl.DataFrame) -> str:
    """A JSON list of row objects (null for an empty share), one KPI row each."""
    return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2) + "\n"


def _is_share(column: str) -> bool:
    return "share" in column or column.endswith("_rate")


def _cell(column: str, value: object) -> str:
    if column.endswith("_fen"):
        return format_yuan(value)  # type: ignore[arg-type]
    if _is_share(column):
        return format_share(value)  # type: ignore[arg-type]
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return LABELS_ZH.get(str(value), str(value))


def to_table(frame: pl.DataFrame, kpi: Kpi, caption: str = "") -> Table:
    """A rich table titled in Chinese first, with money in yuan and shares in percent."""
    table = Table(title=f"{kpi.title_zh} {kpi.title_en}", caption=caption or None)
    for column in frame.columns:
        numeric = frame.schema[column].is_numeric()
        table.add_column(f"{COLUMN_LABELS_ZH.get(column, column)}\n{column}", justify="right" if numeric else "left")
    for row in frame.iter_rows(named=True):
        table.add_row(*(_cell(c, v) for c, v in row.items()))
    return table


def write_file(frame: pl.DataFrame, fmt: str, out: Path) -> None:
    """Write the frame to `out` in `fmt` (csv, json or parquet)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.write_parquet(out)
    elif fmt == "csv":
        out.write_text(to_csv(frame), encoding="utf-8")
    elif fmt == "json":
        out.write_text(to_json(frame), encoding="utf-8")
    else:
        raise WorkbenchError(f"--out takes csv, json or parquet, not {fmt!r}; the table format prints to the terminal")
