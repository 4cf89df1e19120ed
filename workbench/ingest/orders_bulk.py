"""The bulk path for order records: whole blocks of JSON Lines converted by DuckDB at once.

A JSON Lines file that is valid UTF-8 is read in blocks of lines (Arrow
arrays over the file's bytes, numbered as the file's lines). DuckDB parses
every line of a block with one `json_transform` and converts the records
that have the plain shape of real API exports: a bare order object, ids as
ASCII strings or JSON integers, epoch seconds and fen as JSON integers,
every value in range. Those become staged order lines and versions with no
Python per record. Every other line (an envelope, a float, a digit string,
an escape, a number or nesting beyond what Python's json reads, anything
invalid or out of range) is handed back to the careful per-record path
(`orders_api.parse_order`), which accepts or rejects it with file, line,
raw record and reason as before. So the bulk path only ever takes a record
the careful path would accept with the same values; the rule is written
out in BLOCK_SQL below, condition by condition against parse_order.

One difference cannot be seen from a block: a record that repeats a key
(`{"status": 20, ..., "status": 30}`) is read with the first value here
and the last in Python's json. JSON leaves that case undefined and no API
export has it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from workbench.ingest.orders_api import NOT_SALES, ORDER_SCENES, SALES, SHARE_SCENES

# Lines per block: large enough that DuckDB's per-query cost vanishes, small enough to stay a few MB.
BLOCK_BYTES = 32 * 1024 * 1024
# A line longer than this goes to the careful path: only such a line can hold a number of more
# than 4,300 digits, which Python's json refuses and DuckDB would read as a float.
LONGEST_PLAIN = 4_300
MAX_BRACKETS = 100  # sources.MAX_DEPTH: more brackets than this and the careful path checks the depth
BATCH_ROWS = 4096

_SHAPE = (
    '{"order_id":"JSON","status":"JSON","update_time":"JSON","openid":"JSON","shop_id":"JSON","appid":"JSON",'
    '"order_detail":{"product_infos":"JSON","pay_info":{"pay_time":"JSON"},"settle_info":{"settle_time":"JSON"},'
    '"ext_info":{"order_scene":"JSON","finder_id":"JSON","live_id":"JSON"},"sharer_info":{"share_scene":"JSON"},'
    '"source_infos":"JSON"}}'
)
_PRODUCTS = '[{"product_id":"JSON","sku_id":"JSON","sku_cnt":"JSON","real_price":"JSON","sale_price":"JSON"}]'
_SOURCES = '[{"sku_id":"JSON","account_id":"JSON","content_id":"JSON"}]'


def _case(mapping: dict[int, str], value: str, default: str = "null") -> str:
    whens = " ".join(f"when {code} then '{name}'" for code, name in mapping.items())
    return f"case {value} {whens} else {default} end"


# Raw JSON leaves (text as written, SQL NULL for missing or null) -> values, only for shapes
# whose meaning is certain; anything else makes the record not plain. An id is an ASCII string
# without spaces, quotes or escapes (so Python's strip() would not change it) or a JSON integer;
# an integer is a JSON integer (try_cast alone would also read "1.0" and "1e3").
MACROS = f"""
create or replace macro id_ok(x) as x is null or regexp_full_match(x, '"[!#-\\[\\]-~]*"|0|[1-9][0-9]{{0,19}}');
create or replace macro id_val(x) as case when x[1] = '"' then nullif(x[2:-2], '') else x end;
create or replace macro int_val(x) as case when not (contains(x, '.') or contains(x, 'e') or contains(x, 'E')) then try_cast(x as bigint) end;
create or replace macro not_sale_reason(s) as {_case({k: f"status {k} ({v}) is not a sale" for k, v in NOT_SALES.items()}, "s")};
create or replace macro scene_channel(x) as {_case(ORDER_SCENES, "x")};
create or replace macro share_channel(x) as case when x is null then null else {_case(SHARE_SCENES, "x", "'product_share'")} end;
"""

# Stage one block (table `block`: line, offset, length, bulk, text) in one query: one row per
# product line of each plain sale (`line_no` from 1) and one row per plain record that is not a
# sale (`line_no` null); a line of the block that has no row is left to the careful path.
# $cutoff and $earliest are epoch seconds (validate.EARLIEST_ORDER); `shops` maps product_id ->
# shop_id from the products export. Each leaf is converted once (the CTE `leaves`), then every
# condition of parse_order is checked on the converted values: `head_ok` for the order-level
# fields, `line_ok` for each product line.
BLOCK_SQL = f"""
with parsed as materialized (
    select line, "offset", length, try(json_transform(text, '{_SHAPE}')) as o from block where bulk
), raw as (
    select line, "offset", length,
        o.order_id::varchar as oid, o.status::varchar as status, o.update_time::varchar as up,
        o.openid::varchar as buyer, o.shop_id::varchar as shop, o.appid::varchar as appid,
        o.order_detail.product_infos::varchar as products, o.order_detail.pay_info.pay_time::varchar as pay,
        o.order_detail.settle_info.settle_time::varchar as settle,
        o.order_detail.ext_info.order_scene::varchar as scene, o.order_detail.ext_info.finder_id::varchar as finder,
        o.order_detail.ext_info.live_id::varchar as live, o.order_detail.sharer_info.share_scene::varchar as share,
        o.order_detail.source_infos::varchar as sources
    from parsed where o is not null
), leaves as (
    select line, "offset", length, products, sources,
        oid is not null and id_ok(oid) as oid_ok, id_val(oid) as order_id,
        int_val(status) as status,
        up is null as up_null, int_val(up) as up_int,
        int_val(pay) as pay_int,
        settle is null as settle_null, int_val(settle) as settle_int,
        id_ok(buyer) as buyer_ok, id_val(buyer) as buyer_id,
        -- `shop_id or appid`: a falsy shop_id ("", 0) falls through, so it must be null or a real id
        (shop is null and id_ok(appid)) or (shop is not null and id_ok(shop) and shop not in ('0', '""')) as shop_ok,
        coalesce(id_val(shop), id_val(appid)) as order_shop,
        scene is null as scene_null, int_val(scene) as scene_int,
        share is null as share_null, int_val(share) as share_int,
        id_ok(finder) and id_ok(live) as promoter_ok, id_val(finder) as finder, id_val(live) as live
    from raw
), head as materialized (
    select line, "offset", length, order_id, status, coalesce(up_int, -1) as updated,
        not_sale_reason(status) as skip_reason, pay_int as paid, settle_int as settle,
        buyer_id, order_shop, coalesce(scene_channel(scene_int), share_channel(share_int)) as channel,
        finder, live, products, sources,
        -- parse_order in its order: unwrap and order_id, status, update_time; for a sale, everything else
        coalesce(
            oid_ok and order_id is not null and (up_null or up_int between 0 and 99999999999)
            and (
                status in ({", ".join(map(str, NOT_SALES))})
                or (
                    status in ({", ".join(map(str, SALES))})
                    and pay_int between greatest($earliest, 0) and least($cutoff, 99999999999)
                    and (settle_null or (settle_int between 0 and 99999999999 and not (status = 100 and settle_int < pay_int)))
                    and buyer_ok and shop_ok and promoter_ok
                    and (scene_null or scene_int between 1 and 6) and (share_null or share_int is not null)
                    and starts_with(products, '[') and products <> '[]'
                    and (sources is null or sources = '[]' or starts_with(sources, '['))
                )
            ),
            false
        ) as head_ok
    from leaves
), sale as materialized (
    select *, json_transform(products, '{_PRODUCTS}') as items from head where head_ok and skip_reason is null
), exploded as materialized (
    select line, unnest(items) as p, generate_subscripts(items, 1) as line_no from sale
), products as (
    select line, line_no, p.product_id::varchar as product, p.sku_id::varchar as sku,
        int_val(p.sku_cnt::varchar) as quantity, p.real_price is null as from_sale_price,
        int_val(p.real_price::varchar) as real_price, int_val(p.sale_price::varchar) as sale_price
    from exploded
), items as (
    select line, line_no, id_ok(product) and id_ok(sku) as ids_ok, id_val(product) as product_id,
        id_val(sku) as sku_id, quantity, from_sale_price,
        case when from_sale_price then try(sale_price * quantity) else real_price end as amount_fen
    from products
), sources as materialized (
    select line, s.sku_id::varchar as sku, s.account_id::varchar as account, s.content_id::varchar as content from (
        select line, unnest(json_transform(sources, '{_SOURCES}')) as s from sale
        where sources is not null and sources <> '[]'
    )
), source_ok as (
    -- parse_order keys source_infos by sku_id (the last one wins): plain only when each sku is named once
    select line, bool_and(coalesce(id_ok(sku) and id_ok(account) and id_ok(content), false))
        and count(distinct id_val(sku)) = count(*) as ok
    from sources group by line
), lines as materialized (
    select s.line, i.line_no::integer as line_no, coalesce(s.order_shop, shops.shop_id) as shop_id,
        i.product_id, i.sku_id, coalesce(id_val(src.account), s.finder) as account_id,
        coalesce(s.channel, 'other') as channel,
        case when s.channel = 'live' then s.live else id_val(src.content) end as content_id,
        try_cast(i.quantity as integer) as quantity, i.amount_fen,
        s.channel is null as unattributed, i.from_sale_price,
        coalesce(
            i.ids_ok and i.product_id is not null and i.quantity between 1 and 2147483647 and i.amount_fen >= 0
            and coalesce(s.order_shop, shops.shop_id) is not null
            and coalesce(so.ok, s.sources is null or s.sources = '[]'),
            false
        ) as line_ok
    from sale s
    join items i using (line)
    left join shops on shops.product_id = i.product_id
    left join source_ok so on so.line = s.line
    left join sources src on src.line = s.line and id_val(src.sku) = i.sku_id
), plain_sale as (
    select line from lines group by line having bool_and(line_ok)
)
select h.line, h."offset", h.length, h.order_id, h.updated, h.status::integer as api_status,
    case when h.status = 100 then h.settle end as settle, h.skip_reason, h.buyer_id, h.paid,
    l.line_no, l.shop_id, l.product_id, l.sku_id, l.account_id, l.channel, l.content_id, l.quantity,
    l.amount_fen, l.unattributed, l.from_sale_price
from head h join lines l using (line) semi join plain_sale using (line)
union all
select line, "offset", length, order_id, updated, status::integer, null, skip_reason, null, null,
    null, null, null, null, null, null, null, null, null, null, null
from head where head_ok and skip_reason is not null
"""


@dataclass(frozen=True)
class Block:
    """Lines of a file as Arrow: their numbers, byte offsets and lengths (newline included), and text; its bytes."""

    table: pa.Table
    size: int


class NotUtf8(Exception):
    """A block of the file is not valid UTF-8: the careful path, which judges encodings line by line, reads it."""


def blocks(path: Path) -> Iterator[Block]:
    """The file's lines in blocks, the next one made while DuckDB converts the last; NotUtf8 as soon as one is not UTF-8.

    A UTF-8 BOM is skipped. Line numbers count newlines, as the careful
    path does, so a rejection points at the same line either way.
    """
    return _ahead(_read_blocks(path))


def _ahead(items: Iterator[Block]) -> Iterator[Block]:
    """`items`, each made in a thread while the consumer works on the one before (numpy, Arrow and DuckDB
    release the GIL, so reading and splitting a block overlaps converting the last one on a second core)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, items, None)
        while (item := pending.result()) is not None:
            pending = pool.submit(next, items, None)
            yield item


def _read_blocks(path: Path) -> Iterator[Block]:
    with path.open("rb") as fh:
        start = 3 if fh.read(3) == codecs.BOM_UTF8 else 0
        fh.seek(start)
        position, line, rest = start, 1, b""
        while True:
            chunk = fh.read(BLOCK_BYTES)
            data = rest + chunk
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if cut == 0:
                rest = data
                continue
            body, rest = data[:cut], data[cut:]
            block = _block(body, position, line)
            yield block
            position += len(body)
            # Every line of a block ends in a newline but perhaps the file's last.
            line += block.table.num_rows - (not body.endswith(b"\n"))
            if not chunk:
                return


def _block(body: bytes, position: int, first_line: int) -> Block:
    """One block as Arrow, with `bulk` marking the lines the bulk SQL may try (the others go careful at once).

    A line is tried only if it starts an object, is short enough that no
    number in it can be too long for Python's json, has at most
    MAX_BRACKETS brackets (so it cannot nest deeper than the careful path
    allows), and holds no `"errcode"` (an API response envelope) and no
    `\\ud..` escape (half a surrogate pair can only be written so).
    """
    array = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(array == 10) + 1
    if not len(ends) or ends[-1] != len(body):
        ends = np.append(ends, len(body))
    offsets = np.concatenate(([0], ends)).astype(np.int32)
    count = len(ends)
    text = pa.Array.from_buffers(pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(body)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        raise NotUtf8 from None
    opening = array == ord("[")
    opening |= array == ord("{")
    brackets = np.diff(np.searchsorted(np.flatnonzero(opening), offsets))
    lengths = np.diff(offsets)
    bulk = pc.and_(pc.starts_with(text, "{"), pa.array((lengths <= LONGEST_PLAIN) & (brackets <= MAX_BRACKETS)))
    # Each line is searched only if the block holds the text at all (one memchr-fast scan of the bytes).
    if b'"errcode"' in body:
        bulk = pc.and_(bulk, pc.invert(pc.match_substring(text, '"errcode"')))
    if b"\\" in body:
        bulk = pc.and_(bulk, pc.invert(pc.match_substring(text, "\\ud", ignore_case=True)))
    table = pa.table(
        {
            "line": pa.array(np.arange(first_line, first_line + count, dtype=np.int64)),
            "offset": pa.array(offsets[:-1].astype(np.int64) + position),
            "length": pa.array(lengths.astype(np.int32)),
            "bulk": bulk,
            "text": text,
        }
    )
    # Batches of a few thousand lines let DuckDB spread a block over every core.
    return Block(size=len(body), table=pa.Table.from_batches(table.to_batches(max_chunksize=BATCH_ROWS)))
