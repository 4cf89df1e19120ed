"""The API exports of api_export.py rewritten as back-office order spreadsheets (CSV in GB18030, or xlsx).

One row per order line with the back office's Chinese headers, yuan
amounts (`1,234.50` in CSV, numbers in Excel), Chinese statuses and
channels, Asia/Shanghai times without an offset, and each line's refunds
in its 退款金额 column instead of an after-sales file: the same data an
API ingest of the JSON reads, in the shape a merchant downloads.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook

LOCAL = ZoneInfo("Asia/Shanghai")
HEADER = [
    "订单号",
    "商品ID",
    "SKU ID",
    "商品数量",
    "商品实付金额（元）",
    "退款金额（元）",
    "订单状态",
    "支付时间",
    "结算时间",
    "成交渠道",
    "带货者视频号ID",
    "内容ID",
    "买家ID",
]
STATUS = {20: "待发货", 21: "部分发货", 30: "已发货", 100: "已完成", 200: "已关闭"}
CHANNEL = {1: "其他", 2: "直播", 3: "短视频", 4: "商品分享", 5: "橱窗", 6: "公众号文章"}


def _time(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, UTC).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S")


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def rows(exports: Path) -> list[list[Any]]:
    """The back-office rows of an api_export folder (orders.jsonl, aftersales.jsonl), amounts in fen."""
    refunds: dict[tuple[str, str], int] = defaultdict(int)
    for line in (exports / "aftersales.jsonl").read_text(encoding="utf-8").splitlines():
        sale = json.loads(line)["after_sale_order"]
        refunds[(str(sale["order_id"]), sale["product_info"]["sku_id"])] += sale["refund_info"]["amount"]
    out = []
    for line in (exports / "orders.jsonl").read_text(encoding="utf-8").splitlines():
        order = json.loads(line)
        detail = order["order_detail"]
        ext = detail["ext_info"]
        sources = {s["sku_id"]: s for s in detail.get("source_infos", [])}
        for product in detail["product_infos"]:
            source = sources.get(product["sku_id"], {})
            content = ext.get("live_id") if ext["order_scene"] == 2 else source.get("content_id")
            out.append(
                [
                    str(order["order_id"]),
                    product["product_id"],
                    product["sku_id"],
                    product["sku_cnt"],
                    product["real_price"],
                    refunds[(str(order["order_id"]), product["sku_id"])],
                    STATUS[order["status"]],
                    _time(detail["pay_info"]["pay_time"]),
                    _time(detail.get("settle_info", {}).get("settle_time")),
                    CHANNEL[ext["order_scene"]],
                    source.get("account_id") or ext.get("finder_id") or "",
                    content or "",
                    order.get("openid") or "",
                ]
            )
    return out


def _dimensions(exports: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for path in exports.glob("*.csv"):
        shutil.copy(path, out / path.name)
    return out


def write_csv(exports: Path, out: Path) -> Path:
    """orders.csv in GB18030 (what Excel on a Chinese Windows saves), yuan written `1,234.50`."""
    _dimensions(exports, out)
    with (out / "orders.csv").open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in rows(exports):
            writer.writerow([*row[:4], _yuan(row[4]), _yuan(row[5]), *row[6:]])
    return out


def write_xlsx(exports: Path, out: Path) -> Path:
    """orders.xlsx: ids as text, yuan as Excel numbers, rows going on on a second sheet."""
    _dimensions(exports, out)
    book = Workbook()
    first = book.active
    second = book.create_sheet()
    data = rows(exports)
    half = len(data) // 2
    for sheet, part in ((first, data[:half]), (second, data[half:])):
        sheet.append(HEADER)
        for row in part:
            sheet.append([*row[:4], row[4] / 100, row[5] / 100, *row[6:]])
    book.save(out / "orders.xlsx")
    return out
