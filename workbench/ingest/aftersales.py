"""After-sale records -> refunds on order lines, decided on disk by DuckDB.

Only after-sales whose money went back to the buyer count
(MERCHANT_REFUND_SUCCESS, MERCHANT_RETURN_SUCCESS); the rest are skipped.
Refunds are summed per line, and an after-sale that would take a line's
refunds above its paid amount is rejected, never clipped: either the
orders or the after-sales export is wrong, and a person must look.

Every record is parsed one at a time (the careful path: each rejection
keeps its file, line, raw record and reason) and its after-sale staged
as parquet in the order stage's folder, never held in Python: a 20M-order
export's 750k after-sales cost about 1 GB as objects. DuckDB, on the
order stage's connection (memory-capped, spilling), then decides what the
in-memory version of this step did, in the same order: of the versions
of one after-sale the latest `update_time` wins (the later one read on a
tie), each winner in the order its after-sale was first read is skipped
(no money back, or after the cutoff), rejected (no such order or line) or
added to its line's refunds. Only the lines whose refunds would go over
their paid amount are walked in Python, record by record, to say which
after-sale does not fit. Left-out records go to the ledger as deferred
parquet rows, the winners to a parquet file the next incremental load
starts from (`save_aftersales`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.ingest.aftersales_api import REFUNDED, AfterSale, parse_aftersale
from workbench.ingest.encoding import decoded_name
from workbench.ingest.ledger import Ledger, Record, raw_text
from workbench.ingest.order_stage import FINAL_SQL, OrderStage
from workbench.ingest.progress import Progress, Quiet
from workbench.ingest.sheet_layout import SheetLayout
from workbench.ingest.sheets import SHEET_SUFFIXES, aftersale_records
from workbench.ingest.sources import json_records

# Staged after-sales are written out every this many versions.
FLUSH_ROWS = 50_000
# Rows of over-refunded lines walked in Python at once.
WALK_ROWS = 50_000
# In an ingest's `_ingest/` state (and in the order stage's folder until then): the after-sales that won.
STATE_FILE = "aftersales.parquet"
# What a base snapshot's after-sales are shown as: older than every file read now.
BASE_ORIGIN = "the base snapshot:0"

STAGED = pa.schema(
    [
        ("file_no", pa.int32()),
        ("seq", pa.int64()),  # read position within the ingest: a later one wins a tie
        ("sheet", pa.string()),
        ("line", pa.int64()),
        ("item", pa.int32()),
        ("origin", pa.string()),  # as ledger.Origin shows it, for the superseded versions' reasons
        ("raw", pa.string()),
        ("after_sale_id", pa.string()),
        ("order_id", pa.string()),
        ("sku_id", pa.string()),
        ("product_id", pa.string()),
        ("amount", pa.int64()),
        ("status", pa.string()),
        ("updated_us", pa.int64()),  # microseconds since the epoch, null when unknown
        ("updated_s", pa.int64()),  # whole seconds that order versions (-1 when unknown)
        ("skip_reason", pa.string()),
    ]
)
STATE = pa.schema(
    [
        ("after_sale_id", pa.string()),
        ("order_id", pa.string()),
        ("sku_id", pa.string()),
        ("product_id", pa.string()),
        ("amount", pa.int64()),
        ("status", pa.string()),
        ("updated", pa.timestamp("us", tz="UTC")),
    ]
)
_REFUNDED_SQL = ", ".join(f"'{status}'" for status in REFUNDED)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _skip_reason(sale: AfterSale, cutoff: datetime) -> str | None:
    """Why a winning after-sale adds no refund on its own terms (before its order is looked at)."""
    if sale.status not in REFUNDED:
        return f"status {sale.status} returns no money (only {' and '.join(REFUNDED)} count)"
    if sale.updated is not None and sale.updated > cutoff:
        return f"refund completed {sale.updated.isoformat()}, after the cutoff"
    return None


class _Staging:
    """After-sale versions written to parquet a batch at a time, numbered in the order they are read."""

    def __init__(self, folder: Path, cutoff: datetime) -> None:
        self.folder = folder
        self.cutoff = cutoff
        self.parts: list[Path] = []
        self.seq = 0
        self._rows: dict[str, list[Any]] = {name: [] for name in STAGED.names}

    def add(self, sale: AfterSale, record: Record, file_no: int) -> None:
        origin = record.origin
        updated = sale.updated
        values = {
            "file_no": file_no,
            "seq": self.seq,
            "sheet": origin.sheet,
            "line": origin.line,
            "item": origin.item,
            "origin": str(origin),
            # Its raw record is kept as the text `_rejected/` would show.
            "raw": raw_text(record.raw),
            "after_sale_id": sale.after_sale_id,
            "order_id": sale.order_id,
            "sku_id": sale.sku_id,
            "product_id": sale.product_id,
            "amount": sale.amount,
            "status": sale.status,
            "updated_us": None if updated is None else (updated - _EPOCH) // _MICROSECOND,
            "updated_s": -1 if updated is None else int(updated.timestamp()),
            "skip_reason": _skip_reason(sale, self.cutoff),
        }
        for name, value in values.items():
            self._rows[name].append(value)
        self.seq += 1
        if len(self._rows["seq"]) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far (an empty part the first time, so the SQL always has a file to read)."""
        if self._rows["seq"] or not self.parts:
            path = self.folder / f"aftersales-{len(self.parts):06d}.parquet"
            pq.write_table(pa.table(self._rows, schema=STAGED), path)
            self.parts.append(path)
            self._rows = {name: [] for name in STAGED.names}


def apply_aftersales(
    paths: list[Path],
    stage: OrderStage,
    cutoff: datetime,
    progress: Progress | None = None,
    layout: SheetLayout | None = None,
    base: Path | None = None,
) -> Ledger:
    """Hand the stage the refund totals of successful after-sales; the ledger of every record.

    After-sales come from API JSON or back-office spreadsheets (sheets.py),
    are staged on disk as they are read and decided by DuckDB (see the
    module docstring), so memory stays bounded whatever their number.
    `base` is the after-sales file an earlier snapshot's ingest kept
    (incremental loads): older than every file read now, decided again
    with the rest, and never counted in this run's ledger. The winners
    are left in the stage's folder for `save_aftersales`.
    """
    ledger = Ledger("aftersales")
    ledger.files = list(paths)
    staging = _Staging(stage.dir, cutoff)
    progress = progress or Quiet()
    for file_no, path in enumerate(paths):
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
                staging.add(sale, record, file_no)
        progress.advance(0, ledger.read - before)
        progress.finish()
    staging.flush()
    _Decision(stage, staging.parts, base, cutoff).apply(ledger)
    return ledger


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Run one statement to its end (DuckDB keeps a connection busy until a result is fetched)."""
    return con.execute(sql, params).fetchall()


class _Decision:
    """The SQL that decides staged after-sales on the order stage's connection, its temp tables named `sale_*`."""

    def __init__(self, stage: OrderStage, parts: list[Path], base: Path | None, cutoff: datetime) -> None:
        self.stage = stage
        self.con = stage.con
        self.parts = parts
        self.base = base
        self.cutoff_us = (cutoff - _EPOCH) // _MICROSECOND
        self.cutoff_s = int(cutoff.timestamp())

    def apply(self, ledger: Ledger) -> None:
        self._versions()
        self._supersede()
        self._match()
        self._fit()
        self._book(ledger)
        self._refunds()
        self._state()
        for table in ("sale_losers", "sale_winners", "sale_lines", "sale_matched", "sale_fits"):
            _run(self.con, f"drop table if exists {table}")
        self.con.unregister("sale_over")

    def _versions(self) -> None:
        """Every version: the base's first (file -1, in their order), then the ones read now."""
        listed = ", ".join(f"'{p.as_posix()}'" for p in self.parts)
        source = f"select * from read_parquet([{listed}])"
        if self.base is not None:
            us = "epoch_us(updated)"
            source += f"""
            union all by name
            select -1::integer as file_no, file_row_number as seq, null::varchar as sheet, 0::bigint as line,
                null::integer as item, '{BASE_ORIGIN}' as origin, null::varchar as raw,
                after_sale_id, order_id, sku_id, product_id, amount, status, {us} as updated_us,
                coalesce(({us} - {us} % 1000000) // 1000000, -1) as updated_s,
                case when status not in ({_REFUNDED_SQL}) then 'no money back'
                     when {us} > {self.cutoff_us} then 'after the cutoff' end as skip_reason
            from read_parquet('{self.base.as_posix()}', file_row_number = true)"""
        _run(self.con, f"create or replace temp view sale_versions as {source}")

    def _supersede(self) -> None:
        """Of two versions the later update_time wins, the one read later on a tie, as validate.latest_versions.

        A version is superseded either as it arrives (by the best before it)
        or when a better one arrives; `event` is the arrival that decided
        it, the order the in-memory step wrote them to the ledger in.
        """
        _run(
            self.con,
            """create or replace temp table sale_losers as
            with dup as (select after_sale_id from sale_versions group by all having count(*) > 1),
            ranked as (
                select v.after_sale_id, v.file_no, v.seq, v.updated_s, v.origin,
                    arg_max({'file_no': file_no, 'seq': seq, 'origin': origin}, (updated_s, file_no, seq)) over w
                        as best,
                    max((updated_s, file_no, seq)) over w as best_key
                from sale_versions v semi join dup using (after_sale_id)
                window w as (partition by after_sale_id order by file_no, seq
                             rows between unbounded preceding and 1 preceding)
            )
            select {'file_no': file_no, 'seq': seq} as event,
                case when (updated_s, file_no, seq) >= best_key then best.file_no else file_no end as file_no,
                case when (updated_s, file_no, seq) >= best_key then best.seq else seq end as seq,
                'after-sale ' || after_sale_id || ' has a later version at '
                    || case when (updated_s, file_no, seq) >= best_key then origin else best.origin end as reason
            from ranked where best is not null""",
        )
        # Each winner with where its after-sale was first read: the order winners are decided in.
        _run(
            self.con,
            """create or replace temp table sale_winners as
            select v.file_no, v.seq, v.after_sale_id, v.order_id, v.sku_id, v.product_id, v.amount, v.status,
                v.updated_us, v.skip_reason, s.seen
            from sale_versions v anti join sale_losers l using (file_no, seq)
            join (select after_sale_id, min({'file_no': file_no, 'seq': seq}) as seen
                  from sale_versions group by all) s using (after_sale_id)""",
        )

    def _match(self) -> None:
        """The accepted order line each refund is for: by sku_id, else by product_id; exactly one, or a rejection."""
        _run(
            self.con,
            f"""create or replace temp table sale_lines as
            with final as ({FINAL_SQL})
            select order_id, line_no, product_id, sku_id, amount_fen, sheet_refund from final
            semi join (select distinct order_id from sale_winners where skip_reason is null) using (order_id)""",
            {"cutoff": self.cutoff_s},
        )
        _run(
            self.con,
            """create or replace temp table sale_matched as
            with counted as (
                select s.file_no, s.seq, s.seen, s.order_id, s.sku_id, s.product_id, s.amount,
                    count(l.line_no) as lines,
                    count(l.line_no) filter (where l.sku_id = s.sku_id) as by_sku,
                    count(l.line_no) filter (where l.product_id = s.product_id) as by_product,
                    min(l.line_no) filter (where l.sku_id = s.sku_id) as sku_line,
                    min(l.line_no) filter (where l.product_id = s.product_id) as product_line
                from sale_winners s left join sale_lines l on l.order_id = s.order_id
                where s.skip_reason is null
                group by s.file_no, s.seq, s.seen, s.order_id, s.sku_id, s.product_id, s.amount
            ),
            chosen as (
                select *, case when by_sku > 0 then by_sku else by_product end as matches,
                    case when by_sku > 0 then sku_line else product_line end as line_no
                from counted
            )
            select file_no, seq, seen, order_id, amount, line_no,
                case when lines = 0 then 'order ' || order_id || ' is not among the accepted orders'
                     when matches <> 1 then 'order ' || order_id || ' has '
                         || case when matches = 0 then 'no line' else matches || ' lines' end
                         || ' with sku_id ' || coalesce(sku_id, 'None') || ' / product_id '
                         || coalesce(product_id, 'None') end as reason
            from chosen""",
        )

    def _fit(self) -> None:
        """Running refund totals per line; a line whose total goes over its paid amount is walked in Python.

        Refunds are added in the order the after-sales were first read, and
        one that does not fit is rejected and not added, so after the first
        that does not fit the running sum SQL sees is no longer the answer.
        """
        _run(
            self.con,
            """create or replace temp table sale_fits as
            with running as (
                select m.file_no, m.seq, m.seen, m.order_id, m.line_no, m.amount, l.amount_fen, l.sheet_refund,
                    l.sheet_refund + sum(m.amount) over (
                        partition by m.order_id, m.line_no order by m.seen rows unbounded preceding) as total
                from sale_matched m join sale_lines l using (order_id, line_no)
                where m.reason is null
            )
            select * exclude (total), bool_or(total > amount_fen) over (partition by order_id, line_no) as over
            from running""",
        )
        rejected: dict[str, list[Any]] = {"file_no": [], "seq": [], "reason": []}
        reader = self.con.sql(
            """select order_id, line_no, amount, amount_fen, sheet_refund, file_no, seq from sale_fits
            where over order by order_id, line_no, seen"""
        ).to_arrow_reader(WALK_ROWS)
        line: tuple[str, int] | None = None
        total = 0
        for batch in reader:
            for order_id, line_no, amount, paid, sheet_refund, file_no, seq in zip(
                *(column.to_pylist() for column in batch.columns), strict=True
            ):
                if (order_id, line_no) != line:
                    line, total = (order_id, line_no), sheet_refund
                if total + amount > paid:
                    rejected["file_no"].append(file_no)
                    rejected["seq"].append(seq)
                    rejected["reason"].append(
                        f"refunds of line {line_no} of order {order_id} would total {total + amount} fen,"
                        f" more than its paid {paid} fen"
                    )
                else:
                    total += amount
        self.con.register(
            "sale_over",
            pa.table(
                rejected, schema=pa.schema([("file_no", pa.int32()), ("seq", pa.int64()), ("reason", pa.string())])
            ),
        )

    def _book(self, ledger: Ledger) -> None:
        """The ledger of this run's records (left-out rows deferred, in the order they were decided); the base's count."""
        outcomes = """
            select 0 as phase, event as key, file_no, seq, 'superseded' as outcome, reason from sale_losers
            union all
            select 1, seen, file_no, seq, 'skipped', skip_reason from sale_winners where skip_reason is not null
            union all
            select 1, seen, file_no, seq, 'rejected', reason from sale_matched where reason is not null
            union all
            select 1, f.seen, o.file_no, o.seq, 'rejected', o.reason from sale_over o join sale_fits f using (file_no, seq)
        """
        path = self.stage.dir / "left-aftersales.parquet"
        _run(
            self.con,
            f"""copy (select o.outcome, o.reason, o.file_no, v.sheet, v.line, v.item,
                         null::bigint as "offset", null::integer as length, v.raw
                from ({outcomes}) o join sale_versions v using (file_no, seq)
                where o.file_no >= 0 order by o.phase, o.key)
            to '{path.as_posix()}' (format parquet)""",
        )
        counts = dict(
            _run(
                self.con,
                f"select outcome, count(*) from ({outcomes}) where file_no >= 0 group by all",
            )
        )
        ledger.defer_counted(path, counts)
        ledger.accepted = _run(
            self.con, "select count(*) from sale_fits anti join sale_over using (file_no, seq) where file_no >= 0"
        )[0][0]
        if self.base is not None and pq.ParquetFile(self.base).metadata.num_rows:
            ledger.facts["base_aftersales_not_applied"] = _run(
                self.con, f"select count(*) from ({outcomes}) where file_no < 0 and outcome <> 'superseded'"
            )[0][0]

    def _refunds(self) -> None:
        """Each line's refund total (the export's own refund plus the after-sales that fit) for the stage."""
        table = self.con.sql(
            """select order_id, line_no::integer as line_no, (any_value(sheet_refund) + sum(amount))::bigint as refund_fen
            from sale_fits f anti join sale_over o using (file_no, seq) group by order_id, line_no"""
        ).to_arrow_table()
        self.stage.set_refunds(table)

    def _state(self) -> None:
        """The winners, in the order they were decided, as the next incremental load reads them."""
        reader = self.con.sql(
            """select after_sale_id, order_id, sku_id, product_id, amount, status, updated_us
            from sale_winners order by seen"""
        ).to_arrow_reader(FLUSH_ROWS)
        with pq.ParquetWriter(self.stage.dir / STATE_FILE, STATE, compression="zstd") as writer:
            for batch in reader:
                columns = batch.columns
                writer.write_table(
                    pa.Table.from_arrays([*columns[:-1], columns[-1].cast(STATE.field("updated").type)], schema=STATE)
                )


def save_aftersales(folder: Path, stage: OrderStage) -> None:
    """The after-sales that won (`apply_aftersales` left them in the stage's folder), for the next incremental load."""
    folder.mkdir(exist_ok=True)
    shutil.copyfile(stage.dir / STATE_FILE, folder / STATE_FILE)
