"""Order versions staged on disk, decided by DuckDB: memory stays bounded whatever the export size.

Reading an orders export stages every accepted version of every order as
parquet in a temporary folder: one row per version (its key, update_time,
where it was read) and one per order line. Both paths write there: the
bulk path (orders_bulk, whole blocks in SQL) and the careful path
(orders_api.parse_order, one record at a time). Then DuckDB, with a memory
limit and spilling to the same folder, decides what the in-memory version
of this step used to: the latest version of each order wins (the later
one read on a tie), every other version is superseded naming the version
that replaced it, a winner that never was a sale is skipped, and the
lines of the winners are written day by day with their statuses as of
the cutoff (FINAL_SQL) and the refunds of after-sales applied.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench.config import TIMEZONE
from workbench.ingest import orders_bulk
from workbench.ingest.encoding import decoded_name
from workbench.ingest.ledger import Ledger, Record, raw_text
from workbench.ingest.orders_api import SALES, Order, parse_order
from workbench.ingest.progress import Progress, Quiet
from workbench.ingest.sheet_layout import SheetLayout
from workbench.ingest.sheets import SHEET_SUFFIXES, order_records
from workbench.ingest.sources import json_records, line_records
from workbench.ingest.validate import EARLIEST_ORDER
from workbench.snapshot import contract
from workbench.snapshot.read import bounded

# DuckDB's share of memory while deciding; beyond it, it spills to the staging folder.
MEMORY_LIMIT = "512MB"
# Careful-path rows are written out every this many versions.
FLUSH_ROWS = 50_000
# Order lines per part written to the snapshot: one day's lines may be split over several.
PART_ROWS = 250_000

VERSIONS = pa.schema(
    [
        ("file_no", pa.int32()),
        ("sheet_no", pa.int32()),
        ("sheet", pa.string()),
        ("line", pa.int64()),
        ("item", pa.int32()),
        ("offset", pa.int64()),
        ("length", pa.int32()),
        ("raw", pa.string()),
        ("order_id", pa.string()),
        ("updated", pa.int64()),
        ("api_status", pa.int32()),
        ("settle", pa.int64()),
        ("skip_reason", pa.string()),
    ]
)
LINES = pa.schema(
    [
        ("file_no", pa.int32()),
        ("sheet_no", pa.int32()),
        ("line", pa.int64()),
        ("item_key", pa.int32()),
        ("line_no", pa.int32()),
        ("order_id", pa.string()),
        ("shop_id", pa.string()),
        ("product_id", pa.string()),
        ("sku_id", pa.string()),
        ("account_id", pa.string()),
        ("channel", pa.string()),
        ("content_id", pa.string()),
        ("buyer_id", pa.string()),
        ("quantity", pa.int32()),
        ("amount_fen", pa.int64()),
        ("paid", pa.int64()),
        ("unattributed", pa.bool_()),
        ("from_sale_price", pa.bool_()),
        ("sheet_refund", pa.int64()),
    ]
)
_LINE_COLUMNS = ", ".join(f.name for f in LINES)
_VERSION_COLUMNS = ", ".join(f'"{f.name}"' for f in VERSIONS)

_STATUS = " ".join(f"when {code} then '{name}'" for code, name in SALES.items())
# The one place an order line's status, settled_at and refund are decided, for both paths:
# API status 100 is settled once its settle_time is on or before the cutoff (else delivered),
# 200 is refunded in full; then a line whose after-sales refund all of it is refunded and never settles.
FINAL_SQL = f"""
with decided as (
    select l.*, w.api_status, w.settle,
        case when w.api_status = 100 and w.settle is not null and w.settle <= $cutoff then 'settled'
             else case w.api_status {_STATUS} end end as base_status,
        coalesce(r.refund_fen, l.sheet_refund, 0) as refunded_by_aftersales
    from lines l
    join winners w using (file_no, sheet_no, line, item_key)
    left join refunds r on r.order_id = l.order_id and r.line_no = l.line_no
    where w.skip_reason is null
)
select order_id, line_no, shop_id, product_id, account_id, channel, content_id, buyer_id, quantity, amount_fen,
    case when base_status = 'refunded' then amount_fen else refunded_by_aftersales end as refund_fen,
    case when base_status <> 'refunded' and refunded_by_aftersales = amount_fen then 'refunded'
         else base_status end as status,
    to_timestamp(paid) as paid_at,
    case when base_status = 'settled' and refunded_by_aftersales <> amount_fen then to_timestamp(settle) end
        as settled_at,
    timezone('{TIMEZONE}', to_timestamp(paid))::date as paid_day,
    sku_id, unattributed, from_sale_price, coalesce(sheet_refund, 0) as sheet_refund
from decided
"""


@functools.cache
def _database() -> duckdb.DuckDBPyConnection:
    """The process's one DuckDB database for staging: settings and macros made once, a cursor per stage.

    Its spill folder lives as long as the process; every stage's own tables
    are temporary, so stages never see each other's.
    """
    spill = Path(tempfile.mkdtemp(prefix="workbench-ingest-spill-"))
    atexit.register(shutil.rmtree, spill, True)
    con = bounded(duckdb.connect(), MEMORY_LIMIT, spill)
    for statement in (
        "set preserve_insertion_order = false",
        "set enable_progress_bar = false",
        orders_bulk.MACROS,
    ):
        con.execute(statement).fetchall()
    return con


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class OrderStage:
    """The staged versions of one ingest's orders, and the decisions taken on them.

    Behaves like the mapping of accepted orders the tests and small
    callers want (`stage[order_id].lines`), built on demand from the
    decided lines; an ingest itself only streams `day_parts()`.
    """

    def __init__(self, cutoff: datetime, shop_of: dict[str, str], folder: Path | None = None) -> None:
        self.cutoff = cutoff
        self.shop_of = shop_of
        self.dir = Path(tempfile.mkdtemp(prefix="workbench-ingest-", dir=folder))
        # Removed with the stage even when nobody closes it (a test, an interrupted run).
        self._remove = weakref.finalize(self, shutil.rmtree, self.dir, True)
        self.con = _database().cursor()
        shops = pa.table(
            {
                "product_id": pa.array(list(shop_of), pa.string()),
                "shop_id": pa.array(list(shop_of.values()), pa.string()),
            }
        )
        self.con.register("shops", shops)
        self.con.register(
            "refunds",
            pa.table(
                {
                    "order_id": pa.array([], pa.string()),
                    "line_no": pa.array([], pa.int32()),
                    "refund_fen": pa.array([], pa.int64()),
                }
            ),
        )
        self.files: list[Path] = []
        # A block's staged rows are written while DuckDB converts the next block (pyarrow releases the GIL).
        self._writer = ThreadPoolExecutor(max_workers=1)
        self._pending: list[Future[None]] = []
        self._parts = 0
        self._closed = False
        self._sheets: dict[tuple[int, str], int] = {}
        # Files of a base snapshot's versions (incremental loads), numbered below 0: older than any file read now.
        self.base_files: dict[int, str] = {}
        self._versions: list[dict[str, Any]] = []
        self._lines: list[dict[str, Any]] = []
        self.decided = False

    def _run(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement to its end (DuckDB keeps a connection busy until a result is fetched)."""
        return self.con.execute(sql, params).fetchall()

    # --- staging ---------------------------------------------------------------------------------

    def _part(self, kind: str, file_no: int) -> str:
        self._parts += 1
        return (self.dir / f"{kind}-{file_no:05d}-{self._parts:06d}.parquet").as_posix()

    def _sheet_no(self, file_no: int, sheet: str | None) -> int:
        """The worksheet's number in its file (0: not a workbook), part of a version's key."""
        if sheet is None:
            return 0
        return self._sheets.setdefault((file_no, sheet), len(self._sheets) + 1)

    def _write_later(self, table: pa.Table, path: str) -> None:
        """Write a block's rows (uncompressed: read once, soon) in the writer thread, one block at a time."""
        self._written()
        self._pending.append(self._writer.submit(pq.write_table, table, path, compression="none"))

    def _written(self) -> None:
        """Wait for the writes under way; a failed one raises here."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def drop(self, file_no: int) -> None:
        """Forget everything staged from one file (to read it again another way)."""
        self._written()
        self._versions = [v for v in self._versions if v["file_no"] != file_no]
        self._lines = [line for line in self._lines if line["file_no"] != file_no]
        for part in self.dir.glob(f"*-{file_no:05d}-*.parquet"):
            part.unlink()

    def add_file(self, path: Path) -> int:
        """Number a source file (its versions' origin); later files win ties."""
        self.files.append(path)
        return len(self.files) - 1

    def add_order(self, order: Order, record: Record, file_no: int) -> None:
        """Stage one version read by the careful path, with its record's text for `_rejected/`."""
        origin = record.origin
        self._versions.append(
            {
                "file_no": file_no,
                "line": origin.line,
                "item": origin.item,
                "sheet": origin.sheet,
                "sheet_no": self._sheet_no(file_no, origin.sheet),
                "raw": raw_text(record.raw),
                "order_id": order.order_id,
                "updated": order.updated,
                "api_status": order.status,
                "settle": order.settle_time,
                "skip_reason": order.not_a_sale,
            }
        )
        for line in order.lines:
            self._lines.append(
                {
                    **line,
                    "file_no": file_no,
                    "line": origin.line,
                    "item_key": origin.item or 0,
                    "sheet_no": self._sheet_no(file_no, origin.sheet),
                    "paid": _epoch(line["paid_at"]),
                }
            )
        if len(self._versions) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the careful path's staged rows out (they are all of the file being read)."""
        if self._versions:
            file_no = self._versions[0]["file_no"]
            pq.write_table(pa.Table.from_pylist(self._versions, schema=VERSIONS), self._part("versions", file_no))
            self._versions = []
        if self._lines:
            file_no = self._lines[0]["file_no"]
            pq.write_table(pa.Table.from_pylist(self._lines, schema=LINES), self._part("lines", file_no))
            self._lines = []

    def add_block(self, block: pa.Table, file_no: int) -> pa.Table:
        """Stage the plain records of a block by SQL; the lines left for the careful path (line, text).

        One query converts the block (orders_bulk.BLOCK_SQL); its rows are
        split into versions and lines here, by Arrow, while DuckDB is free.
        """
        self.con.register("block", block)
        bounds = {"cutoff": _epoch(self.cutoff), "earliest": _epoch(EARLIEST_ORDER)}
        rows = self.con.sql(orders_bulk.BLOCK_SQL, params=bounds).to_arrow_table()
        self.con.unregister("block")
        first = block.column("line")[0].as_py() if block.num_rows else 0
        line_no = rows.column("line_no")
        head = rows.filter(pc.or_kleene(pc.is_null(line_no), pc.equal(line_no, 1)))
        index = pc.subtract(head.column("line"), first)
        count = head.num_rows
        skipped = pc.is_valid(head.column("skip_reason"))
        # A version that is not a sale keeps its text: skipped, it goes to `_rejected/` anyway.
        # Only the skipped versions' text is taken (a null index takes nothing): the others need none.
        text = pc.utf8_rtrim(
            block.column("text").take(pc.if_else(skipped, index, pa.nulls(count, index.type))), characters="\r\n"
        )
        versions = pa.table(
            {
                "file_no": pa.nulls(count, pa.int32()).fill_null(file_no),
                "sheet_no": pa.nulls(count, pa.int32()).fill_null(0),
                "sheet": pa.nulls(count, pa.string()),
                "line": head.column("line"),
                "item": pa.nulls(count, pa.int32()),
                "offset": head.column("offset"),
                "length": head.column("length"),
                "raw": text,
                "order_id": head.column("order_id"),
                "updated": head.column("updated"),
                "api_status": head.column("api_status"),
                "settle": head.column("settle"),
                "skip_reason": head.column("skip_reason"),
            },
            schema=VERSIONS,
        )
        self._write_later(versions, self._part("versions", file_no))
        lines = rows.filter(pc.is_valid(line_no))
        count = lines.num_rows
        columns = {name: lines.column(name) for name in lines.column_names if name in LINES.names}
        columns |= {
            "file_no": pa.nulls(count, pa.int32()).fill_null(file_no),
            "sheet_no": pa.nulls(count, pa.int32()).fill_null(0),
            "item_key": pa.nulls(count, pa.int32()).fill_null(0),
            "sheet_refund": pa.nulls(count, pa.int64()).fill_null(0),
        }
        self._write_later(
            pa.table({f.name: columns[f.name] for f in LINES}, schema=LINES), self._part("lines", file_no)
        )
        taken = np.zeros(block.num_rows, dtype=bool)
        taken[index.to_numpy()] = True
        return block.select(["line", "text"]).filter(pa.array(~taken))

    # --- incremental loads ----------------------------------------------------------------------

    def add_base(self, folder: Path) -> None:
        """Stage the winning versions an earlier ingest kept (`save_state`), as older than every file read now."""
        sources = [
            r[0]
            for r in self._run(
                f"select distinct source_file from '{(folder / 'orders.parquet').as_posix()}' order by 1"
            )
        ]
        self.base_files = {-(i + 1): name for i, name in enumerate(sources)}
        self.con.register(
            "base_files",
            pa.table(
                {"file_no": pa.array(list(self.base_files), pa.int32()), "source_file": pa.array(sources, pa.string())}
            ),
        )
        for kind, columns in (("orders", _VERSION_COLUMNS), ("order_lines", _LINE_COLUMNS)):
            target = (self.dir / f"{'versions' if kind == 'orders' else 'lines'}-base.parquet").as_posix()
            self._run(
                f"""copy (select {columns} from '{(folder / f"{kind}.parquet").as_posix()}' join base_files using (source_file))
                    to '{target}' (format parquet)"""
            )
        self.con.unregister("base_files")

    def save_state(self, folder: Path) -> None:
        """Write the winning versions (and their lines, as staged) for a later incremental load to start from.

        In no particular order: the next load decides by each version's key, never by its place in the file.
        zstd level 1: read once, by the next load; cheaper to write than the default and as small.
        """
        folder.mkdir(exist_ok=True)
        names = ", ".join(f'v."{f.name}"' for f in VERSIONS if f.name != "file_no")
        self._run(
            f"""copy (select {names}, f.source as source_file from winners v join files f using (file_no))
                to '{(folder / "orders.parquet").as_posix()}' (format parquet, compression zstd, compression_level 1)"""
        )
        columns = ", ".join(f'l."{f.name}"' for f in LINES if f.name != "file_no")
        self._run(
            f"""copy (select {columns}, f.source as source_file from lines l
                      anti join losers using (file_no, sheet_no, line, item_key) join files f using (file_no))
                to '{(folder / "order_lines.parquet").as_posix()}' (format parquet, compression zstd, compression_level 1)"""
        )

    # --- deciding --------------------------------------------------------------------------------

    def _views(self) -> None:
        self.flush()
        self._written()
        for kind, schema, columns in (("versions", VERSIONS, _VERSION_COLUMNS), ("lines", LINES, _LINE_COLUMNS)):
            files = sorted(self.dir.glob(f"{kind}-*.parquet"))
            if files:
                listed = ", ".join(f"'{f.as_posix()}'" for f in files)
                source = f"select {columns} from read_parquet([{listed}], union_by_name = true)"
            else:
                pq.write_table(schema.empty_table(), self.dir / f"{kind}-empty.parquet")
                source = f"select {columns} from '{(self.dir / f'{kind}-empty.parquet').as_posix()}'"
            self._run(f"create or replace temp view staged_{kind} as {source}")
        self._run("create or replace temp view lines as select * from staged_lines")
        names = [decoded_name(f.name)[0] for f in self.files]
        numbers = [*range(len(names)), *self.base_files]
        sources = [*names, *self.base_files.values()]
        shown_names = [*names, *(f"{name} (in the base snapshot)" for name in self.base_files.values())]
        self.con.register(
            "files",
            pa.table(
                {
                    "file_no": pa.array(numbers, pa.int32()),
                    "name": pa.array(shown_names, pa.string()),
                    "source": pa.array(sources, pa.string()),
                }
            ),
        )

    def decide(self, ledger: Ledger) -> None:
        """Supersede, skip and accept versions; record it all in the ledger (left-out rows deferred)."""
        self._views()
        # Versions stay on disk (staged parquet, read by column): a copy of every version in a table
        # would spill past the memory cap at a few million records. Only orders read more than once
        # are ranked, and only their versions are ever named in a reason.
        self._run(
            """create or replace temp view versions as
                select v.*, coalesce(v.item, 0)::integer as item_key from staged_versions v"""
        )
        self._run(
            "create or replace temp table dup as select order_id from versions group by order_id having count(*) > 1"
        )
        # As ledger.Origin shows it: file[sheet]:line item N.
        where = "f.name || coalesce('[' || v.sheet || ']', '') || ':' || v.line || coalesce(' item ' || v.item, '')"
        # Of two versions the later update_time wins, the one read later on a tie; a version is
        # superseded either as it arrives (by the best before it) or when a better one arrives.
        self._run(
            f"""create or replace temp table superseded as
            with ranked as (
                select v.*, arg_max({{'origin': origin, 'file_no': file_no, 'sheet_no': sheet_no, 'sheet': sheet, 'line': line, 'item': item,
                                     'offset': "offset", 'length': length, 'raw': raw}},
                                    (updated, file_no, sheet_no, line, item_key)) over (
                        partition by order_id order by file_no, sheet_no, line, item_key
                        rows between unbounded preceding and 1 preceding) as best,
                    max((updated, file_no, sheet_no, line, item_key)) over (
                        partition by order_id order by file_no, sheet_no, line, item_key
                        rows between unbounded preceding and 1 preceding) as best_key
                from (select v.*, {where} as origin from versions v semi join dup using (order_id)
                      join files f using (file_no)) v
            )
            select file_no, sheet_no, line, item_key,
                case when (updated, file_no, sheet_no, line, item_key) >= best_key
                     then {{'file_no': best.file_no, 'sheet_no': best.sheet_no, 'sheet': best.sheet, 'line': best.line, 'item': best.item,
                           'offset': best."offset", 'length': best.length, 'raw': best.raw}}
                     else {{'file_no': file_no, 'sheet_no': sheet_no, 'sheet': sheet, 'line': line, 'item': item,
                           'offset': "offset", 'length': length, 'raw': raw}} end as loser,
                'order ' || order_id || ' has a later version at '
                    || case when (updated, file_no, sheet_no, line, item_key) >= best_key then origin else best.origin end
                    as reason
            from ranked where best is not null"""
        )
        self._run(
            """create or replace temp table losers as
            select loser.file_no as file_no, loser.sheet_no as sheet_no, loser.line as line,
                coalesce(loser.item, 0)::integer as item_key
            from superseded"""
        )
        # Every staged version is a winner or a loser, and every staged line belongs to a staged version:
        # so "not a loser" (a small table) decides both, without a join against every version.
        self._run(
            "create or replace temp view winners as select v.* from versions v anti join losers using (file_no, sheet_no, line, item_key)"
        )
        superseded = (self.dir / "left-superseded.parquet").as_posix()
        count = self._run(
            f"""copy (select 'superseded' as outcome, reason, loser.file_no as file_no, loser.sheet as sheet,
                       loser.line as line, loser.item as item, loser."offset" as "offset", loser.length as length,
                       loser.raw as raw
                from superseded where loser.file_no >= 0 order by file_no, sheet_no, line, item_key)
            to '{superseded}' (format parquet)"""
        )[0][0]
        ledger.defer(Path(superseded), "superseded", count)
        skipped = (self.dir / "left-skipped.parquet").as_posix()
        count = self._run(
            # Where each skipped order was first seen: its own version unless the order was read more than once.
            f"""copy (with skip as (select * from winners where skip_reason is not null and file_no >= 0),
                first as (select order_id, min((file_no, sheet_no, line, item_key)) as seen
                          from versions semi join dup using (order_id) semi join skip using (order_id) group by all)
                select 'skipped' as outcome, skip_reason as reason, file_no, sheet, line, item, "offset", length, raw
                from skip left join first using (order_id)
                order by coalesce(first.seen, (skip.file_no, skip.sheet_no, skip.line, skip.item_key)))
            to '{skipped}' (format parquet)"""
        )[0][0]
        ledger.defer(Path(skipped), "skipped", count)
        ledger.files = self.files
        self._run("drop table superseded")
        ledger.accepted = self._run("select count(*) from winners where skip_reason is null and file_no >= 0")[0][0]
        if self.base_files:
            new, updated, unchanged = self._run(
                """with base as (select distinct order_id from versions where file_no < 0)
                select count(*) filter (where file_no >= 0 and skip_reason is null and order_id not in (select order_id from base)),
                       count(*) filter (where file_no >= 0 and order_id in (select order_id from base)),
                       count(*) filter (where file_no < 0)
                from winners"""
            )[0]
            ledger.facts.update({"orders_new": new, "orders_updated": updated, "orders_unchanged": unchanged})
        self.decided = True

    def facts(self, ledger: Ledger) -> None:
        """Counted facts of the accepted orders: unattributed lines, amounts from sale_price, settled later, no buyer."""
        row = self._run(
            """select count(*) filter (where unattributed), count(*) filter (where from_sale_price),
                   count(distinct lines.order_id) filter (where buyer_id is null)
            from lines join winners w using (file_no, sheet_no, line, item_key) where w.skip_reason is null"""
        )[0]
        later = self._run(
            "select count(*) from winners where skip_reason is null and api_status = 100 and settle > $cutoff",
            {"cutoff": _epoch(self.cutoff)},
        )[0][0]
        for name, value in zip(
            (
                "unattributed_lines",
                "amount_from_sale_price_lines",
                "orders_without_buyer",
                "settled_after_cutoff_orders",
            ),
            (*row, later),
            strict=True,
        ):
            if value:
                ledger.facts[name] = value

    def set_refunds(self, refunds: pa.Table) -> None:
        """Refund totals of after-sales (order_id, line_no, refund_fen), applied when lines are decided."""
        self.con.unregister("refunds")
        self.con.register("refunds", refunds)

    def day_parts(self) -> Iterator[tuple[str, pa.Table]]:
        """(paid_date, lines) in day order, each day's lines sorted by paid_at, at most PART_ROWS per part.

        The local day never goes back as paid_at goes on, so sorting by paid_at alone sorts the days
        too; order_id and line_no order the lines paid in the same second, so the same exports always
        give the same files.
        """
        names = [c.name for c in contract.TABLES["orders"]]
        reader = self.con.sql(
            f"""with final as ({FINAL_SQL})
                select {", ".join(names)}, paid_day from final order by paid_at, order_id, line_no""",
            params={"cutoff": _epoch(self.cutoff)},
        ).to_arrow_reader(PART_ROWS // 8)
        day: str | None = None
        batches: list[pa.RecordBatch] = []
        rows = 0
        for batch in reader:
            days = batch.column("paid_day")
            start = 0
            for value, length in _runs(days):
                piece = batch.slice(start, length)
                start += length
                if value != day or rows >= PART_ROWS:
                    if batches:
                        yield day, pa.Table.from_batches(batches).drop_columns(["paid_day"])  # type: ignore[misc]
                    day, batches, rows = value, [], 0
                batches.append(piece)
                rows += length
        if batches:
            yield day, pa.Table.from_batches(batches).drop_columns(["paid_day"])  # type: ignore[misc]

    # --- the mapping view, for tests and small callers ----------------------------------------------

    def orders(self) -> dict[str, Order]:
        """Every accepted order with its final lines (contract columns), read whole: for small inputs."""
        names = [c.name for c in contract.TABLES["orders"]]
        table = self.con.sql(
            f"with final as ({FINAL_SQL}) select {', '.join(names)} from final order by order_id, line_no",
            params={"cutoff": _epoch(self.cutoff)},
        ).to_arrow_table()
        orders: dict[str, Order] = {}
        for row in table.to_pylist():
            orders.setdefault(row["order_id"], Order(row["order_id"], -1)).lines.append(row)
        return orders

    def __getitem__(self, order_id: str) -> Order:
        return self.orders()[order_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.orders())

    def __len__(self) -> int:
        return len(self.orders())

    def values(self) -> list[Order]:
        return list(self.orders().values())

    def close(self) -> None:
        """Drop the staging folder and DuckDB's connection (and the memory its tables hold); twice is harmless."""
        if not self._closed:
            self._closed = True
            self._writer.shutdown(wait=True)  # a write still under way ends before its folder goes
            self.con.close()
        self._remove()

    def __enter__(self) -> OrderStage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _runs(column: pa.Array) -> Iterator[tuple[str, int]]:
    """(day as YYYY-MM-DD, length) of each run of equal days in a sorted date32 column."""
    days = column.cast(pa.int32()).to_numpy(zero_copy_only=False)
    if not len(days):
        return
    starts = np.concatenate(([0], np.flatnonzero(np.diff(days)) + 1, [len(days)]))
    for start, end in itertools.pairwise(starts):
        yield column[int(start)].as_py().isoformat(), int(end - start)


def read_orders(
    paths: list[Path],
    cutoff: datetime,
    shop_of: dict[str, str],
    stage: OrderStage | None = None,
    progress: Progress | None = None,
    layout: SheetLayout | None = None,
) -> tuple[OrderStage, Ledger]:
    """Stage every orders file (bulk where it can, careful where it must) and decide the versions.

    The caller closes the stage; if reading fails (a file that cannot be
    read at all), the stage is closed here and the error goes on.
    """
    stage = stage if stage is not None else OrderStage(cutoff, shop_of)
    try:
        return stage, _read(paths, cutoff, shop_of, stage, progress or Quiet(), layout)
    except BaseException:
        stage.close()
        raise


def _read(
    paths: list[Path],
    cutoff: datetime,
    shop_of: dict[str, str],
    stage: OrderStage,
    progress: Progress,
    layout: SheetLayout | None,
) -> Ledger:
    ledger = Ledger("orders")

    def parse_json(raw: Any) -> Order:
        return parse_order(raw, cutoff, shop_of)

    for path in paths:
        file_no = stage.add_file(path)
        progress.start(decoded_name(path.name)[0], path.stat().st_size)
        suffix = path.suffix.lower()
        if suffix in SHEET_SUFFIXES:
            _stage(order_records(path, cutoff, shop_of, layout or SheetLayout()), file_no, stage, ledger, progress)
        elif suffix != ".jsonl" or not _bulk(path, file_no, stage, ledger, progress, parse_json):
            _stage(((record, parse_json) for record in json_records(path)), file_no, stage, ledger, progress)
        stage.flush()
        progress.finish()
    stage.decide(ledger)
    stage.facts(ledger)
    return ledger


def _bulk(
    path: Path, file_no: int, stage: OrderStage, ledger: Ledger, progress: Progress, parse: Callable[[Any], Order]
) -> bool:
    """Stage a JSON Lines file block by block; False, with nothing of it staged or counted, if it is not UTF-8.

    Encodings are judged over a whole file (encoding.open_text), so a file
    with a line that is not UTF-8 is read again from the start, careful.
    """
    read, left = ledger.read, len(ledger.left)
    try:
        lines = _careful_lines(stage, orders_bulk.blocks(path), file_no, ledger, progress)
        _stage(((record, parse) for record in lines), file_no, stage, ledger, None)
    except orders_bulk.NotUtf8:
        stage.drop(file_no)
        ledger.read = read
        del ledger.left[left:]
        return False
    return True


def _stage(
    records: Iterable[tuple[Record, Callable[[Any], Order]]],
    file_no: int,
    stage: OrderStage,
    ledger: Ledger,
    progress: Progress | None,
) -> None:
    """Parse records one by one (the careful path) and stage the orders; each failure is its record's rejection."""
    count = 0
    for record, parse in records:
        ledger.read += 1
        count += 1
        parsed = ledger.attempt(record, parse)
        if parsed is not None:
            stage.add_order(parsed, record, file_no)
    if progress is not None:
        progress.advance(0, count)


def _careful_lines(
    stage: OrderStage, blocks: Iterator[orders_bulk.Block], file_no: int, ledger: Ledger, progress: Progress
) -> Iterator[Record]:
    """Records of the lines each block leaves for the careful path; the block's plain records are counted as read."""
    name, raw_name = decoded_name(stage.files[file_no].name)
    for block in blocks:
        rest = stage.add_block(block.table, file_no)
        ledger.read += block.table.num_rows - rest.num_rows
        numbers = rest.column("line").to_pylist()
        texts = [text.removesuffix("\n").removesuffix("\r") for text in rest.column("text").to_pylist()]
        yield from line_records(name, raw_name, zip(numbers, texts, strict=True))
        progress.advance(block.size, block.table.num_rows)
