"""Back-office order and after-sale spreadsheets (CSV or Excel) -> the same orders and after-sales as the API.

Most merchants download orders from the back office as a spreadsheet,
one row per order line, not from the API. The rows of one order (same
order id in one file) are one record: it becomes the same `Order` an API
record would, with the back-office status as the API's code
(headers.ORDER_STATUSES), so one set of rules (order_stage.FINAL_SQL)
decides statuses, settlement and refunds for both. An order is accepted or
rejected whole, and its rows must agree on the order's own fields (status,
payment, settlement, channel, buyer). Yuan amounts (`1,234.50`, `¥1234.5`)
become fen with decimal arithmetic; an order id that Excel turned into
`3.71E+18` is rejected with a reason saying so. Each row of an after-sales
spreadsheet is one after-sale.

Read in bounded memory, whatever the size: rows come from sources.read_sheets
as they are read, and the rows of a big orders sheet are grouped into
orders on disk (`_Spill`), since the rows of one order need not be next to
each other.
"""

from __future__ import annotations

import difflib
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.errors import WorkbenchError
from workbench.ingest import values
from workbench.ingest.aftersales_api import AfterSale
from workbench.ingest.encoding import decoded_name, shown
from workbench.ingest.headers import (
    AFTERSALE_STATUSES,
    ORDER_CHANNELS,
    ORDER_STATUSES,
    SHEET_COLUMNS,
    SHEET_EITHER,
    normalise,
    sheet_header_map,
)
from workbench.ingest.ledger import Origin, Record
from workbench.ingest.orders_api import NOT_SALES, SALES, Order
from workbench.ingest.sheet_layout import SheetLayout
from workbench.ingest.sources import Sheet, read_sheets
from workbench.ingest.validate import EARLIEST_ORDER, in_range
from workbench.snapshot.read import bounded

SHEET_SUFFIXES = (".csv", ".xlsx")
# Order-level fields every row of an order must agree on.
_ORDER_FIELDS = ("status", "paid_at", "settled_at", "update_time", "channel", "buyer_id")
_CURRENCY = "¥￥ "
# Rows of an orders sheet grouped in memory; a bigger sheet is grouped by DuckDB on disk (`_Spill`).
CHUNK_ROWS = 100_000
# DuckDB's memory while grouping a big sheet (beyond it, it spills), and the rows it hands back at a time.
SORT_MEMORY = "256MB"
GROUP_BATCH = 20_000


def yuan_to_fen(value: Any, what: str) -> int | None:
    """Yuan (`1,234.50`, `¥1234.5`, an Excel number) as integer fen, exactly; BadValue for fractions of a fen."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise values.BadValue(f"{what} is a boolean, expected an amount in yuan")
    text = repr(value) if isinstance(value, float) else str(value)
    cleaned = text.strip().replace(",", "").lstrip(_CURRENCY)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise values.BadValue(f"{what} {value!r} is not an amount in yuan (write it like 1,234.50)") from None
    if not amount.is_finite():
        raise values.BadValue(f"{what} {value!r} is not an amount in yuan")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise values.BadValue(f"{what} {value!r} yuan is not a whole number of fen")
    return values.integer(int(fen), what)


def sheet_id(value: Any, what: str) -> str | None:
    """An id from a spreadsheet cell: text, or a whole number Excel kept exactly; never scientific notation."""
    shown_value = repr(value) if isinstance(value, float) else str(value).strip() if value is not None else ""
    scientific = isinstance(value, str) and "e+" in value.strip().lower() and value.strip()[:1].isdigit()
    if scientific or (isinstance(value, float) and abs(value) >= 2**53):
        raise values.BadValue(
            f"{what} {shown_value} is in scientific notation: Excel turned the id into a number and lost its last "
            "digits; format the column as text (or export as CSV without opening it in Excel) and export again"
        )
    return values.identifier(value, what)


@dataclass(frozen=True)
class Columns:
    """Where each sheet column is in one sheet's header (None: absent)."""

    table: str
    at: dict[str, int]

    def get(self, cells: list[Any], column: str) -> Any:
        index = self.at.get(column)
        return cells[index] if index is not None and index < len(cells) else None


def _columns(table: str, path: Path, sheet: Sheet, layout: SheetLayout) -> Columns:
    """The sheet's columns; WorkbenchError naming a missing required column and the closest header."""
    known = sheet_header_map(table, layout.headers.get(table))
    at: dict[str, int] = {}
    for index, header in enumerate(sheet.header):
        column = known.get(normalise(header))
        if column and column not in at:
            at[column] = index
    missing = [c for c, required in SHEET_COLUMNS[table].items() if required and c not in at]
    missing += [" or ".join(pair) for pair in SHEET_EITHER[table] if not any(c in at for c in pair)]
    if missing:
        aliases = [h for h, c in known.items() if c == missing[0].split(" or ")[0]]
        best = max(
            sheet.header or [""],
            key=lambda h: max(difflib.SequenceMatcher(None, normalise(h), a).ratio() for a in aliases),
        )
        raise WorkbenchError(
            f"{shown(path)}: required column {missing[0]!r} is missing; closest header found: {best!r}; name the"
            f" column {missing[0]!r} or one of {sorted(aliases)}, or map your header with --headers FILE"
        )
    return Columns(table, at)


def _rows(path: Path, table: str, layout: SheetLayout) -> Iterator[tuple[Columns, Sheet]]:
    for sheet in read_sheets(path):
        yield _columns(table, path, sheet, layout), sheet


def _raw(sheet: Sheet, number: int, cells: list[Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"row": number} if sheet.name is None else {"sheet": sheet.name, "row": number}
    row.update(
        {label or f"column {i + 1}": cell for i, (label, cell) in enumerate(zip(sheet.header, cells, strict=False))}
    )
    return row


Parse = Callable[[Any], Any]


def order_records(
    path: Path, cutoff: datetime, shop_of: dict[str, str], layout: SheetLayout, chunk_rows: int | None = None
) -> Iterator[tuple[Record, Parse]]:
    """Each order of an orders spreadsheet (its rows, on any of its sheets) as a record, with its parser.

    The record is where the order's first row is; its raw text lists every
    row with its number (and sheet). Orders come in the order their first
    rows do. A file of up to `chunk_rows` rows (default CHUNK_ROWS) is
    grouped in memory; a bigger one is written out in chunks as it is read
    and grouped by DuckDB (`_Spill`), to the same records in the same order.
    """
    name, raw_name = decoded_name(path.name)
    chunk_rows = chunk_rows or CHUNK_ROWS
    readings: list[tuple[Columns, Sheet]] = []
    rows: list[tuple[int, int, str, list[Any]]] = []
    spill: _Spill | None = None
    try:
        for columns, sheet in _rows(path, "orders", layout):
            readings.append((columns, sheet))
            for row in sheet.rows:
                if row.error is not None:
                    origin = Origin(name, row.number, sheet=sheet.name, file_bytes=raw_name)
                    yield Record(origin, row.text, error=row.error), _never
                    continue
                key = columns.get(row.cells, "order_id")
                key_text = repr(key) if isinstance(key, float) else str(key).strip() if key is not None else ""
                rows.append((len(readings) - 1, row.number, key_text, row.cells))
                if len(rows) >= chunk_rows:
                    spill = spill or _Spill()
                    spill.write(rows)
                    rows = []
        if spill is not None:
            spill.write(rows)
            groups: Iterable[list[tuple[int, int, list[Any]]]] = spill.groups()
        else:
            groups = _grouped(rows)
        for group in groups:
            members = [(*readings[index], number, cells) for index, number, cells in group]
            _, sheet, number, _ = members[0]
            origin = Origin(name, number, sheet=sheet.name, file_bytes=raw_name)
            raw = [_raw(s, n, cells) for _, s, n, cells in members]
            yield Record(origin, raw), lambda _raw, members=members: _order(members, cutoff, shop_of, layout)
    finally:
        if spill is not None:
            spill.close()


def _grouped(rows: list[tuple[int, int, str, list[Any]]]) -> Iterator[list[tuple[int, int, list[Any]]]]:
    """The rows of each order id, in the order of each id's first row."""
    groups: dict[str, list[tuple[int, int, list[Any]]]] = {}
    for index, number, key, cells in rows:
        groups.setdefault(key, []).append((index, number, cells))
    yield from groups.values()


class _Spill:
    """The rows of a big orders sheet, written out chunk by chunk, then grouped by order id with DuckDB.

    Cells are kept pickled, so a workbook's numbers, times and text come
    back exactly as read. DuckDB sorts with a memory limit, spilling to the
    same temporary folder, which is removed on close.
    """

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="workbench-sheet-"))
        self._remove = weakref.finalize(self, shutil.rmtree, self.dir, True)
        self.seq = 0
        self.parts = 0

    def write(self, rows: list[tuple[int, int, str, list[Any]]]) -> None:
        if not rows:
            return
        table = pa.table(
            {
                "seq": pa.array(range(self.seq, self.seq + len(rows)), pa.int64()),
                "sheet": pa.array([r[0] for r in rows], pa.int32()),
                "number": pa.array([r[1] for r in rows], pa.int64()),
                # As bytes: a key is compared, never shown, and any text (even half a surrogate pair) has bytes.
                "key": pa.array([r[2].encode("utf-8", "surrogatepass") for r in rows], pa.binary()),
                "cells": pa.array([pickle.dumps(r[3], pickle.HIGHEST_PROTOCOL) for r in rows], pa.binary()),
            }
        )
        self.seq += len(rows)
        self.parts += 1
        pq.write_table(table, self.dir / f"rows-{self.parts:06d}.parquet")

    def groups(self) -> Iterator[list[tuple[int, int, list[Any]]]]:
        """The rows of each order id, in the order of each id's first row (as `_grouped`)."""
        con = bounded(duckdb.connect(), SORT_MEMORY, self.dir / "spill")
        try:
            con.execute("set enable_progress_bar = false")
            reader = con.sql(
                f"""with rows as (select * from '{(self.dir / "rows-*.parquet").as_posix()}'),
                    firsts as (select key, min(seq) as first from rows group by key)
                select f.first, r.sheet, r.number, r.cells from rows r join firsts f using (key)
                order by f.first, r.seq"""
            ).to_arrow_reader(GROUP_BATCH)
            group: list[tuple[int, int, list[Any]]] = []
            current = None
            for batch in reader:
                columns = batch.to_pydict()
                for first, index, number, cells in zip(
                    columns["first"], columns["sheet"], columns["number"], columns["cells"], strict=True
                ):
                    if first != current and group:
                        yield group
                        group = []
                    current = first
                    group.append((index, number, pickle.loads(cells)))
            if group:
                yield group
        finally:
            con.close()

    def close(self) -> None:
        self._remove()


def _never(raw: Any) -> Any:
    raise AssertionError("a record with an error is never parsed")


def _status(value: Any, layout: SheetLayout) -> int:
    text = values.required(values.text(value, "status"), "status")
    text = layout.status.get("orders", {}).get(text, text)
    if text not in ORDER_STATUSES:
        raise values.BadValue(f"status {text!r} is not an order status ({', '.join(ORDER_STATUSES)})")
    return ORDER_STATUSES[text]


def _channel(value: Any, layout: SheetLayout) -> str | None:
    text = values.text(value, "channel")
    if text is None:
        return None
    text = layout.channel.get(text, text)
    if text not in ORDER_CHANNELS:
        raise values.BadValue(f"channel {text!r} is not a channel ({', '.join(ORDER_CHANNELS)})")
    return ORDER_CHANNELS[text]


def _money(columns: Columns, cells: list[Any], what: str) -> int | None:
    fen = values.integer(columns.get(cells, f"{what}_fen"), f"{what}_fen")
    return fen if fen is not None else yuan_to_fen(columns.get(cells, f"{what}_yuan"), f"{what}_yuan")


def _order(
    rows: list[tuple[Columns, Sheet, int, list[Any]]], cutoff: datetime, shop_of: dict[str, str], layout: SheetLayout
) -> Order:
    """The rows of one order as an Order; BadValue with the reason (and the row) when it cannot be used."""
    firsts: dict[str, Any] = {}
    for columns, _, number, cells in rows:
        for column in _ORDER_FIELDS:
            value = columns.get(cells, column)
            if column not in firsts:
                firsts[column] = value
            elif value != firsts[column]:
                raise values.BadValue(
                    f"row {number}: {column} {value!r} differs from {firsts[column]!r} on the order's first row;"
                    " the rows of one order must agree on it"
                )
    first_columns, _, _, first_cells = rows[0]
    order_id = values.required(sheet_id(first_columns.get(first_cells, "order_id"), "order_id"), "order_id")
    status = _status(firsts["status"], layout)
    updated = values.timestamp(firsts["update_time"], "update_time")
    parsed = Order(order_id, int(updated.timestamp()) if updated else -1, status=status)
    if status in NOT_SALES:
        parsed.not_a_sale = f"status {firsts['status']!s} ({NOT_SALES[status]}) is not a sale"
        return parsed
    if status not in SALES:
        raise values.BadValue(f"status {status} is not a known order status")
    paid_at = in_range(
        values.required(values.timestamp(firsts["paid_at"], "paid_at"), "paid_at"), "paid_at", cutoff, EARLIEST_ORDER
    )
    settled = values.timestamp(firsts["settled_at"], "settled_at")
    if status == 100 and settled is not None:
        if settled < paid_at:
            raise values.BadValue(f"settled_at {settled.isoformat()} is before paid_at {paid_at.isoformat()}")
        parsed.settle_time = int(settled.timestamp())
    channel = _channel(firsts["channel"], layout)
    buyer = sheet_id(firsts["buyer_id"], "buyer_id")
    for index, (columns, _, number, cells) in enumerate(rows, start=1):
        try:
            parsed.lines.append(_line(columns, cells, index, order_id, buyer, paid_at, channel, shop_of))
        except values.BadValue as err:
            raise values.BadValue(f"row {number}: {err}") from None
        parsed.skus.append(parsed.lines[-1]["sku_id"])
    if len({line["line_no"] for line in parsed.lines}) != len(parsed.lines):
        raise values.BadValue(f"order {order_id} has two rows with the same line_no")
    return parsed


def _line(
    columns: Columns,
    cells: list[Any],
    index: int,
    order_id: str,
    buyer: str | None,
    paid_at: datetime,
    channel: str | None,
    shop_of: dict[str, str],
) -> dict[str, Any]:
    product_id = values.required(sheet_id(columns.get(cells, "product_id"), "product_id"), "product_id")
    quantity = values.required(values.integer(columns.get(cells, "quantity"), "quantity", bits=32), "quantity")
    if quantity < 1:
        raise values.BadValue(f"quantity {quantity} is below 1")
    amount = values.required(_money(columns, cells, "amount"), "amount")
    refund = _money(columns, cells, "refund") or 0
    if amount < 0 or refund < 0:
        raise values.BadValue(f"amount {amount} fen or refund {refund} fen is negative")
    if refund > amount:
        raise values.BadValue(f"refund {refund} fen is more than the paid amount {amount} fen")
    shop_id = sheet_id(columns.get(cells, "shop_id"), "shop_id") or shop_of.get(product_id)
    if shop_id is None:
        raise values.BadValue(
            f"shop of product {product_id} is unknown: no shop_id and products has no such product_id"
        )
    line_no = values.integer(columns.get(cells, "line_no"), "line_no", bits=32)
    content = sheet_id(columns.get(cells, "content_id"), "content_id")
    return {
        "order_id": order_id,
        "line_no": index if line_no is None else line_no,
        "shop_id": shop_id,
        "product_id": product_id,
        "sku_id": sheet_id(columns.get(cells, "sku_id"), "sku_id"),
        "account_id": sheet_id(columns.get(cells, "account_id"), "account_id"),
        "channel": channel or "other",
        "content_id": content,
        "buyer_id": buyer,
        "quantity": quantity,
        "amount_fen": amount,
        "sheet_refund": refund,
        "paid_at": paid_at,
        "unattributed": channel is None,
        "from_sale_price": False,
    }


def aftersale_records(path: Path, layout: SheetLayout) -> Iterator[tuple[Record, Parse]]:
    """Each row of an after-sales spreadsheet as a record, with the function that parses it."""
    name, raw_name = decoded_name(path.name)
    for columns, sheet in _rows(path, "aftersales", layout):
        for row in sheet.rows:
            origin = Origin(name, row.number, sheet=sheet.name, file_bytes=raw_name)
            if row.error is not None:
                yield Record(origin, row.text, error=row.error), _never
            else:
                yield (
                    Record(origin, _raw(sheet, row.number, row.cells)),
                    lambda _raw, cells=row.cells, columns=columns: _aftersale(columns, cells, layout),
                )


def _aftersale(columns: Columns, cells: list[Any], layout: SheetLayout) -> AfterSale:
    amount = values.required(_money(columns, cells, "amount"), "amount")
    if amount < 0:
        raise values.BadValue(f"amount {amount} fen is negative")
    status = values.required(values.text(columns.get(cells, "status"), "status"), "status")
    status = layout.status.get("aftersales", {}).get(status, status)
    product_id = sheet_id(columns.get(cells, "product_id"), "product_id")
    sku_id = sheet_id(columns.get(cells, "sku_id"), "sku_id")
    if product_id is None and sku_id is None:
        raise values.BadValue("neither product_id nor sku_id is given, so the refunded line is unknown")
    return AfterSale(
        after_sale_id=values.required(
            sheet_id(columns.get(cells, "after_sale_order_id"), "after_sale_order_id"), "after_sale_order_id"
        ),
        order_id=values.required(sheet_id(columns.get(cells, "order_id"), "order_id"), "order_id"),
        sku_id=sku_id,
        product_id=product_id,
        amount=amount,
        status=AFTERSALE_STATUSES.get(status, status),
        updated=values.timestamp(columns.get(cells, "update_time"), "update_time"),
    )
