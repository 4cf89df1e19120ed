"""Back-office order spreadsheets of any size for the ingest benchmark, written streaming.

`python -m bench.sheet_data N FOLDER csv|xlsx` writes `orders.csv` (GB18030,
yuan written `1,234.50`, as Excel on a Chinese Windows saves it) or
`orders.xlsx` (ids as text, yuan as numbers, times as text, as the back
office downloads it) with N order lines, and `products.csv`. The orders are
bench/ingest_data.py's, one row per order line with the back office's
Chinese headers, so the sheet holds what an API export of the same seed
holds; xlsxwriter's constant-memory mode writes a million rows in bounded
memory.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import ingest_data

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
STATUS = {20: "待发货", 21: "部分发货", 30: "已发货", 100: "已完成", 200: "已关闭", 250: "已取消"}
CHANNEL = {1: "其他", 2: "直播", 3: "短视频", 4: "商品分享", 5: "橱窗", 6: "公众号文章"}


def _time(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, UTC).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S")


def rows(lines: int, seed: int = 7) -> Iterator[list[Any]]:
    """`lines` back-office rows (amounts in fen), the orders of ingest_data's generator, one row per line."""
    rng = random.Random(seed)
    number = written = 0
    while written < lines:
        order = ingest_data._order(rng, number)
        number += 1
        detail: dict[str, Any] = order["order_detail"]  # type: ignore[assignment]
        ext = detail["ext_info"]
        for product in detail["product_infos"]:
            if written == lines:
                break
            written += 1
            content = ext.get("live_id") if ext["order_scene"] == 2 else ""
            yield [
                str(order["order_id"]),
                str(product["product_id"]),
                product["sku_id"],
                product["sku_cnt"],
                product["real_price"],
                0,
                STATUS[order["status"]],  # type: ignore[index]
                _time(detail["pay_info"]["pay_time"]),
                _time(detail.get("settle_info", {}).get("settle_time")),
                CHANNEL[ext["order_scene"]],
                ext.get("finder_id") or "",
                content or "",
                order["openid"],
            ]


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def write(lines: int, folder: Path, kind: str, seed: int = 7) -> Path:
    """Write `orders.csv` or `orders.xlsx` of `lines` rows, and products.csv, into `folder`; the sheet's path."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "products.csv").open("w", encoding="utf-8") as fh:
        fh.write("product_id,shop_id,title,category,price_fen\n")
        for product in range(ingest_data.PRODUCTS):
            fh.write(f"{10_000_000_000_000 + product},shop{product % 300:04d},商品{product},food,1990\n")
    if kind == "csv":
        path = folder / "orders.csv"
        with path.open("w", encoding="gb18030", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            for row in rows(lines, seed):
                writer.writerow([*row[:4], _yuan(row[4]), _yuan(row[5]), *row[6:]])
        return path
    from xlsxwriter import Workbook

    path = folder / "orders.xlsx"
    book = Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(rows(lines, seed), start=1):
        sheet.write_row(number, 0, [*row[:4], row[4] / 100, row[5] / 100, *row[6:]])
    book.close()
    return path


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
