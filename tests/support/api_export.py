"""Export a snapshot in the shapes real exports come in, for round-trip tests.

Orders become `/channels/ec/order/get` objects (half of the numeric ids as
bare JSON numbers, epoch seconds, fen), refunds become after-sale objects,
and the dimension tables CSV files with the contract's headers. The API
has one status and one settle_time per order while the contract has them
per line, so lines of one order whose lifecycle differs are exported as
separate API orders (`<order_id>-2`, ...); no KPI depends on order ids.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from workbench.ingest.orders_api import ORDER_SCENES
from workbench.ingest.sources import TABULAR_TABLES
from workbench.snapshot import contract
from workbench.snapshot.read import connect

SCENE_CODES = {channel: code for code, channel in ORDER_SCENES.items()}
STATUS_CODES = {"paid": 20, "shipped": 30, "delivered": 100, "settled": 100, "refunded": 200}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _api_order(order_id: str, numeric: bool, lines: list[dict[str, Any]]) -> dict[str, Any]:
    first = lines[0]
    skus = [f"{line['order_id']}.{line['line_no']}" for line in lines]
    detail: dict[str, Any] = {
        "product_infos": [
            {
                "product_id": line["product_id"],
                "sku_id": sku,
                "sku_cnt": line["quantity"],
                "sale_price": line["amount_fen"] // line["quantity"],
                "real_price": line["amount_fen"],
            }
            for line, sku in zip(lines, skus, strict=True)
        ],
        "pay_info": {"pay_time": _epoch(first["paid_at"])},
        "ext_info": {"order_scene": SCENE_CODES[first["channel"]], "finder_id": first["account_id"] or ""},
        "source_infos": [
            {"sku_id": sku, "account_type": 1, "account_id": line["account_id"] or "", "content_id": line["content_id"]}
            for line, sku in zip(lines, skus, strict=True)
        ],
    }
    if first["channel"] == "live":
        detail["ext_info"]["live_id"] = first["content_id"]
    if first["settled_at"] is not None:
        detail["settle_info"] = {"settle_time": _epoch(first["settled_at"])}
    return {
        "order_id": int(order_id) if numeric else order_id,
        "openid": first["buyer_id"],
        "update_time": _epoch(first["settled_at"] or first["paid_at"]),
        "status": STATUS_CODES[first["status"]],
        "order_detail": detail,
    }


def _after_sales(order_id: str, lines: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for line in lines:
        if line["refund_fen"]:
            yield {
                "errcode": 0,
                "after_sale_order": {
                    "after_sale_order_id": f"AS{line['order_id']}.{line['line_no']}",
                    "status": "MERCHANT_REFUND_SUCCESS",
                    "order_id": order_id,
                    "product_info": {
                        "product_id": line["product_id"],
                        "sku_id": f"{line['order_id']}.{line['line_no']}",
                    },
                    "refund_info": {"amount": line["refund_fen"]},
                    "update_time": _epoch(line["paid_at"]),
                },
            }


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def export(snapshot: Path, out: Path) -> Path:
    """Write the snapshot's tables into `out` as API JSON Lines and CSV files."""
    out.mkdir(parents=True, exist_ok=True)
    con = connect(snapshot)
    for table in TABULAR_TABLES:
        names = [c.name for c in contract.TABLES[table]]
        with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(names)
            writer.writerows(
                [_cell(v) for v in row] for row in con.execute(f"select {', '.join(names)} from {table}").fetchall()
            )
    cursor = con.execute(
        "select * exclude (paid_date, partition_date) from orders order by order_id, status, settled_at, channel, line_no"
    )
    names = [d[0] for d in cursor.description]
    lines = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    orders, refunds = [], []
    for number, (order_id, group) in enumerate(groupby(lines, key=lambda r: r["order_id"])):
        parts = [list(g) for _, g in groupby(group, key=lambda r: (r["status"], r["settled_at"], r["channel"]))]
        for index, part in enumerate(parts, start=1):
            api_id = order_id if index == 1 else f"{order_id}-{index}"
            orders.append(_api_order(api_id, api_id.isdigit() and number % 2 == 0, part))
            refunds.extend(_after_sales(api_id, part))
    _write_jsonl(out / "orders.jsonl", orders)
    _write_jsonl(out / "aftersales.jsonl", refunds)
    return out
