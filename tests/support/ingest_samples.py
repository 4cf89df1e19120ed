"""Small API-shaped records for the ingest tests, built fresh for each use.

Tests mutate these to state exactly one thing wrong with a record, so the
valid baseline lives in one place.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "exports"
CUTOFF = "2025-12-07"
PAY_TIME = 1764036000  # 2025-11-25 10:00 Asia/Shanghai
PRODUCT_ID = "10000043902725"


def order(**top: Any) -> dict[str, Any]:
    """A valid paid short-video order of one line (3980 fen), with top-level overrides."""
    record: dict[str, Any] = {
        "order_id": "3713475752656242101",
        "openid": "oBuyer_x",
        "create_time": PAY_TIME - 60,
        "update_time": PAY_TIME,
        "status": 20,
        "order_detail": {
            "product_infos": [
                {"product_id": PRODUCT_ID, "sku_id": "2001", "sku_cnt": 2, "sale_price": 1990, "real_price": 3980}
            ],
            "pay_info": {"pay_time": PAY_TIME},
            "ext_info": {"order_scene": 3, "finder_id": "sph3FZbOEY46mAB"},
        },
    }
    record.update(top)
    return record


def aftersale(**top: Any) -> dict[str, Any]:
    """A successful refund of 1000 fen on the line of `order()`."""
    record: dict[str, Any] = {
        "after_sale_order_id": "4000000000000009",
        "status": "MERCHANT_REFUND_SUCCESS",
        "order_id": "3713475752656242101",
        "product_info": {"product_id": PRODUCT_ID, "sku_id": "2001", "count": 1},
        "refund_info": {"amount": 1000},
        "update_time": PAY_TIME + 3600,
    }
    record.update(top)
    return record


def products_csv(folder: Path) -> None:
    """The one product the sample orders sell, so their shop is known."""
    (folder / "products.csv").write_text(
        f"product_id,shop_id,title,category,price_fen\n{PRODUCT_ID},shop_wx_s1,咖啡,food,1990\n", encoding="utf-8"
    )


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """Records as JSON Lines (a str is written as the line itself, to test broken JSON)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shops_xlsx(folder: Path) -> Path:
    """The shops of the fixture exports as an Excel sheet with Chinese headers and Excel datetimes."""
    book = Workbook()
    sheet = book.active
    sheet.append(["店铺ID", "店铺名称", "主营类目", "开店时间"])
    sheet.append(["shop_wx_s1", "山野食铺", "食品", datetime(2023, 3, 1, 9, 0)])
    sheet.append(["shop_wx_s2", "数码小站", "数码家电", datetime(2024, 6, 18, 10, 0)])
    path = folder / "shops.xlsx"
    book.save(path)
    return path
