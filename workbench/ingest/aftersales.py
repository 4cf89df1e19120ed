"""After-sale objects -> refunds on order lines.

Only after-sales whose money went back to the buyer count
(MERCHANT_REFUND_SUCCESS, MERCHANT_RETURN_SUCCESS); the rest are skipped.
Refunds are summed per line, and an after-sale that would take a line's
refunds above its paid amount is rejected, never clipped: either the
orders or the after-sales export is wrong, and a person must look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.ingest import values
from workbench.ingest.aftersales_api import REFUNDED, AfterSale, parse_aftersale
from workbench.ingest.encoding import decoded_name
from workbench.ingest.ledger import Ledger, Origin, Record, raw_text
from workbench.ingest.order_stage import OrderStage
from workbench.ingest.orders_api import Order
from workbench.ingest.progress import Progress, Quiet
from workbench.ingest.sheet_layout import SheetLayout
from workbench.ingest.sheets import SHEET_SUFFIXES, aftersale_records
from workbench.ingest.sources import json_records
from workbench.ingest.validate import Version, latest_versions


def _line_index(sale: AfterSale, order: Order) -> int:
    """The index of the order line an after-sale refunds: by sku_id, else by product_id."""
    if sale.sku_id is not None and sale.sku_id in order.skus:
        matches = [i for i, sku in enumerate(order.skus) if sku == sale.sku_id]
    else:
        matches = [i for i, line in enumerate(order.lines) if line["product_id"] == sale.product_id]
    if len(matches) != 1:
        found = "no line" if not matches else f"{len(matches)} lines"
        raise values.BadValue(
            f"order {sale.order_id} has {found} with sku_id {sale.sku_id} / product_id {sale.product_id}"
        )
    return matches[0]


def apply_aftersales(
    paths: list[Path],
    stage: OrderStage,
    cutoff: datetime,
    progress: Progress | None = None,
    layout: SheetLayout | None = None,
    base: list[AfterSale] | None = None,
) -> Ledger:
    """Hand the stage the refund totals of successful after-sales; the ledger of every record.

    After-sales come from API JSON or back-office spreadsheets (sheets.py).
    Only the orders after-sales name are fetched from the stage, so this
    holds the after-sales and their orders in memory, never all orders
    (files are read a piece at a time; the after-sales read are kept,
    about 1.4 KB each: 1M after-sales cost about 1.4 GB).
    `base` are the after-sales an earlier snapshot's ingest kept
    (incremental loads): older than every file read now, decided again
    with the rest, and never counted in this run's ledger.
    """
    ledger = Ledger("aftersales")
    elsewhere = Ledger("aftersales")  # what happens to the base's after-sales: not records of this run
    versions: list[Version[AfterSale]] = [
        Version(
            Record(Origin("the base snapshot", 0), None),
            sale.after_sale_id,
            _epoch(sale),
            sale,
        )
        for sale in base or []
    ]
    from_base = {id(v.record) for v in versions}
    progress = progress or Quiet()
    for path in paths:
        progress.start(decoded_name(path.name)[0], path.stat().st_size)
        before = ledger.read
        if path.suffix.lower() in SHEET_SUFFIXES:
            records: Iterator[tuple[Record, Callable[[Any], AfterSale]]] = aftersale_records(
                path, layout or SheetLayout()
            )
        else:
            records = ((record, parse_aftersale) for record in json_records(path))
        for record, parse in records:
            ledger.read += 1
            sale = ledger.attempt(record, parse)
            if sale is not None:
                # Its raw record is kept as the text `_rejected/` would show: 1.4 KB an after-sale instead of 2.4 KB.
                kept = Record(record.origin, raw_text(record.raw))
                versions.append(Version(kept, sale.after_sale_id, _epoch(sale), sale))
        progress.advance(0, ledger.read - before)
        progress.finish()
    decided = Ledger("aftersales")
    latest = latest_versions(versions, decided, "after-sale")
    ledger.left += [left for left in decided.left if id(left.record) not in from_base]
    orders = stage.lines_of([v.value.order_id for v in latest if v.value.status in REFUNDED])
    refunds: dict[tuple[str, int], int] = {}
    for version in latest:
        sale = version.value
        book = elsewhere if id(version.record) in from_base else ledger
        if sale.status not in REFUNDED:
            book.skip(version.record, f"status {sale.status} returns no money (only {' and '.join(REFUNDED)} count)")
        elif sale.updated is not None and sale.updated > cutoff:
            book.skip(version.record, f"refund completed {sale.updated.isoformat()}, after the cutoff")
        elif book.attempt(version.record, lambda _raw, sale=sale: _refund(sale, orders, refunds)):
            book.accepted += 1
    if base:
        ledger.facts["base_aftersales_not_applied"] = len(elsewhere.left)
    stage.sales = [version.value for version in latest]
    stage.set_refunds({(order_id, index + 1): refund for (order_id, index), refund in refunds.items()})
    return ledger


def _refund(sale: AfterSale, orders: dict[str, Order], refunds: dict[tuple[str, int], int]) -> AfterSale:
    """Add one after-sale to its line's refund total; BadValue if it does not fit."""
    order = orders.get(sale.order_id)
    if order is None:
        raise values.BadValue(f"order {sale.order_id} is not among the accepted orders")
    index = _line_index(sale, order)
    amount = order.lines[index]["amount_fen"]
    total = refunds.get((sale.order_id, index), order.lines[index]["sheet_refund"]) + sale.amount
    if total > amount:
        raise values.BadValue(
            f"refunds of line {index + 1} of order {sale.order_id} would total {total} fen, more than its paid {amount} fen"
        )
    refunds[(sale.order_id, index)] = total
    return sale


def _epoch(sale: AfterSale) -> int:
    return int(sale.updated.timestamp()) if sale.updated else -1


def save_aftersales(folder: Path, sales: list[AfterSale]) -> None:
    """The after-sales that won, for the next incremental load (read back by `load_aftersales`)."""
    table = pa.table(
        {
            "after_sale_id": pa.array([s.after_sale_id for s in sales], pa.string()),
            "order_id": pa.array([s.order_id for s in sales], pa.string()),
            "sku_id": pa.array([s.sku_id for s in sales], pa.string()),
            "product_id": pa.array([s.product_id for s in sales], pa.string()),
            "amount": pa.array([s.amount for s in sales], pa.int64()),
            "status": pa.array([s.status for s in sales], pa.string()),
            "updated": pa.array([s.updated for s in sales], pa.timestamp("us", tz="UTC")),
        }
    )
    folder.mkdir(exist_ok=True)
    pq.write_table(table, folder / "aftersales.parquet", compression="zstd")


def load_aftersales(folder: Path) -> list[AfterSale]:
    """The after-sales an earlier ingest kept (`save_aftersales`)."""
    return [AfterSale(**row) for row in pq.read_table(folder / "aftersales.parquet").to_pylist()]
