"""API order exports of any size for the ingest benchmark, written streaming.

`python -m bench.ingest_data N FOLDER` writes `orders.jsonl` (N order
objects of `/channels/ec/order/get`, in the shapes real exports mix: ids
as strings and as bare JSON numbers, one or two lines, settled, refunded,
cancelled and re-exported orders), `aftersales.jsonl` (refunds of some of
them) and `products.csv` (the shops orders take their shop from). Records
are made one at a time from a seeded generator, so a 20M-record file
(about 16 GB) needs no more memory than a small one.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

CUTOFF = "2025-12-31"
PRODUCTS = 20_000
ACCOUNTS = 5_000
START = 1_754_006_400  # 2025-08-01 00:00 Asia/Shanghai
END = 1_767_196_799  # 2025-12-31 23:59:59 Asia/Shanghai
# (status, weight): paid and kept, complete, fully refunded, cancelled (a record that is skipped).
STATUSES = ((20, 10), (30, 15), (100, 60), (200, 5), (250, 10))
REEXPORTED = 0.02  # share of orders exported a second time, with a later update_time


def _order(rng: random.Random, number: int, updated_shift: int = 0) -> dict[str, object]:
    pay = rng.randrange(START, END - 86_400 * 3)
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    lines = 1 if rng.random() < 0.8 else 2
    scene = rng.choice((1, 2, 3, 3, 3, 4, 5, 6))
    finder = f"sph{rng.randrange(ACCOUNTS):07d}" if scene in (2, 3) else ""
    products = []
    for line in range(lines):
        product = rng.randrange(PRODUCTS)
        count = rng.choice((1, 1, 1, 2, 3))
        price = rng.randrange(500, 30_000)
        products.append(
            {
                "product_id": str(10_000_000_000_000 + product) if number % 2 else 10_000_000_000_000 + product,
                "sku_id": str(20_000_000_000_000 + product * 4 + line),
                "sku_cnt": count,
                "sale_price": price,
                "real_price": price * count - rng.choice((0, 0, 100)),
                "title": "商品",
            }
        )
    ext: dict[str, object] = {"order_scene": scene, "finder_id": finder}
    if scene == 2:
        ext["live_id"] = f"export/UzFf{rng.randrange(10**9):09d}"
    detail: dict[str, object] = {
        "product_infos": products,
        "pay_info": {"pay_time": pay, "payment_method": 1},
        "price_info": {"order_price": sum(p["real_price"] for p in products)},
        "ext_info": ext,
    }
    update = pay + 3_600
    if status == 100:
        settle = pay + rng.randrange(86_400 * 3, 86_400 * 20)
        if settle < END:
            detail["settle_info"] = {"settle_time": settle, "predict_commission_fee": 100}
        update = settle
    order_id = 3_713_475_752_656_242_688 + number
    return {
        "order_id": order_id if number % 2 else str(order_id),
        "openid": f"oBuyer{rng.randrange(10**8):08d}",
        "create_time": pay - 60,
        "update_time": update + updated_shift,
        "status": status,
        "order_detail": detail,
    }


def write(records: int, folder: Path, seed: int = 7) -> Path:
    """Write the three export files of `records` order records into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with (folder / "products.csv").open("w", encoding="utf-8") as fh:
        fh.write("product_id,shop_id,title,category,price_fen\n")
        for product in range(PRODUCTS):
            fh.write(f"{10_000_000_000_000 + product},shop{product % 300:04d},商品{product},food,1990\n")
    with (
        (folder / "orders.jsonl").open("w", encoding="utf-8") as orders,
        (folder / "aftersales.jsonl").open("w", encoding="utf-8") as sales,
    ):
        number = written = 0
        while written < records:
            order = _order(rng, number)
            orders.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")) + "\n")
            written += 1
            if written < records and rng.random() < REEXPORTED:
                state = random.Random(seed * 1_000_003 + number)
                orders.write(json.dumps(_order(state, number, 60), separators=(",", ":")) + "\n")
                written += 1
            first = order["order_detail"]["product_infos"][0]  # type: ignore[index]
            if order["status"] in (30, 100) and rng.random() < 0.05:
                sales.write(
                    json.dumps(
                        {
                            "after_sale_order_id": str(5_000_000_000_000_000 + number),
                            "status": "MERCHANT_REFUND_SUCCESS",
                            "order_id": str(order["order_id"]),
                            "product_info": {"product_id": str(first["product_id"]), "sku_id": first["sku_id"]},
                            "refund_info": {"amount": min(500, first["real_price"])},
                            "update_time": order["order_detail"]["pay_info"]["pay_time"] + 7_200,  # type: ignore[index]
                        },
                        separators=(",", ":"),
                    )
                    + "\n"
                )
            number += 1
    return folder


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
