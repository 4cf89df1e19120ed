"""The bulk path (orders_bulk, DuckDB over blocks of lines) gives exactly what the careful path gives.

The same orders are ingested as JSON Lines (read in bulk) and as one
`.json` document (read record by record by the careful path): the
snapshots must hold the same order lines, counts, facts and left-out
records. Then the lines the bulk path must leave to the careful path do
go there, and are decided the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from ingest_samples import CUTOFF, PRODUCT_ID, order, products_csv, write_jsonl

from bench import ingest_data
from workbench.ingest import ingest, order_stage, orders_bulk
from workbench.kpi.opened import open_snapshot

LINES = "select * from orders order by order_id, line_no"


def _ingest_both(tmp_path: Path, records: list[dict]) -> tuple:
    bulk, careful = tmp_path / "bulk", tmp_path / "careful"
    for folder in (bulk, careful):
        folder.mkdir()
        products_csv(folder)
    write_jsonl(bulk / "orders.jsonl", records)
    (careful / "orders.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    one = ingest(bulk, CUTOFF, tmp_path / "out_bulk" / CUTOFF)
    two = ingest(careful, CUTOFF, tmp_path / "out_careful" / CUTOFF)
    return one, two


def _rejected(path: Path) -> list[tuple]:
    file = path / "_rejected" / "orders.parquet"
    if not file.exists():
        return []
    rows = pq.read_table(file).to_pylist()
    # The reason of a superseded version names where the later one is: a line here, an array item there.
    return sorted(
        (r["outcome"], r["reason"].split(" at ")[0], json.dumps(json.loads(r["raw"]), sort_keys=True)) for r in rows
    )


def _variants() -> list[dict]:
    """Orders of every shape a real export mixes, valid and not, with repeats of one id."""
    base = order()
    records = [
        base,
        order(order_id=3713475752656242102),  # a bare JSON number
        order(order_id="3713475752656242103", status=100, update_time=1764036500),
        order(order_id="3713475752656242104", openid=None),  # no buyer
        order(order_id="3713475752656242105", status=250),  # cancelled: skipped
        order(order_id="3713475752656242101", status=30, update_time=1764036500),  # later version of the first
        order(order_id="3713475752656242101", status=20, update_time=1764036000),  # a tie, read later: wins over none
        order(order_id="3713475752656242106", status="20"),  # a digit string: careful path, accepted
        order(order_id="3713475752656242107", status=99),  # unknown status: rejected
        order(order_id="3713475752656242108", shop_id=""),  # empty shop_id: the product's shop
        order(order_id=" 3713475752656242109 "),  # spaces around an id: careful path strips them
        order(order_id="3713475752656242110", status=200),  # refunded in full
    ]
    settled = order(order_id="3713475752656242111", status=100)
    settled["order_detail"]["settle_info"] = {"settle_time": 1764200000}
    later = order(order_id="3713475752656242112", status=100)
    later["order_detail"]["settle_info"] = {"settle_time": 1766000000}  # after the cutoff: delivered, counted
    sale_price = order(order_id="3713475752656242113")
    del sale_price["order_detail"]["product_infos"][0]["real_price"]
    no_scene = order(order_id="3713475752656242114")
    no_scene["order_detail"]["ext_info"] = {"finder_id": ""}
    share = order(order_id="3713475752656242115")
    share["order_detail"]["ext_info"] = {}
    share["order_detail"]["sharer_info"] = {"share_scene": 9}
    sources = order(order_id="3713475752656242116")
    sources["order_detail"]["source_infos"] = [{"sku_id": "2001", "account_id": "sphOther", "content_id": "v1"}]
    two_lines = order(order_id="3713475752656242117")
    two_lines["order_detail"]["product_infos"].append(
        {"product_id": int(PRODUCT_ID), "sku_id": 2002, "sku_cnt": 1, "sale_price": 500, "real_price": 450}
    )
    live = order(order_id="3713475752656242118")
    live["order_detail"]["ext_info"] = {"order_scene": 2, "finder_id": "sphLive", "live_id": "export/UzFf"}
    float_price = order(order_id="3713475752656242119")
    float_price["order_detail"]["product_infos"][0]["real_price"] = 3980.0  # a whole float: careful path
    return [*records, settled, later, sale_price, no_scene, share, sources, two_lines, live, float_price]


def test_bulk_and_careful_paths_write_the_same_snapshot(tmp_path: Path) -> None:
    one, two = _ingest_both(tmp_path, _variants())
    assert one.counts == two.counts
    assert one.counts["orders"] == {"read": 21, "accepted": 17, "rejected": 1, "superseded": 2, "skipped": 1}
    assert one.facts == two.facts
    assert one.facts["orders"] == {
        "amount_from_sale_price_lines": 1,
        "orders_without_buyer": 1,
        "settled_after_cutoff_orders": 1,
        "unattributed_lines": 1,
    }
    assert open_snapshot(one.path).sql(LINES).equals(open_snapshot(two.path).sql(LINES))
    assert _rejected(one.path) == _rejected(two.path)


def test_plain_records_take_the_bulk_path_and_odd_ones_the_careful_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    careful: list[object] = []
    parse = order_stage.parse_order
    monkeypatch.setattr(order_stage, "parse_order", lambda raw, *a: careful.append(raw) or parse(raw, *a))
    products_csv(tmp_path)
    write_jsonl(tmp_path / "orders.jsonl", _variants())
    ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    assert sorted(str(r["order_id"]).strip() for r in careful) == [  # type: ignore[index]
        "3713475752656242106",
        "3713475752656242107",
        "3713475752656242108",
        "3713475752656242109",
        "3713475752656242119",
    ]


def test_generated_exports_agree_on_both_paths(tmp_path: Path) -> None:
    exports = ingest_data.write(3_000, tmp_path / "gen")
    records = [json.loads(line) for line in (exports / "orders.jsonl").read_text(encoding="utf-8").splitlines()]
    bulk, careful = tmp_path / "bulk", tmp_path / "careful"
    for folder in (bulk, careful):
        folder.mkdir()
        (folder / "products.csv").write_bytes((exports / "products.csv").read_bytes())
        (folder / "aftersales.jsonl").write_bytes((exports / "aftersales.jsonl").read_bytes())
    (bulk / "orders.jsonl").write_bytes((exports / "orders.jsonl").read_bytes())
    (careful / "orders.json").write_text(json.dumps(records), encoding="utf-8")
    one = ingest(bulk, ingest_data.CUTOFF, tmp_path / "a" / ingest_data.CUTOFF)
    two = ingest(careful, ingest_data.CUTOFF, tmp_path / "b" / ingest_data.CUTOFF)
    assert one.counts == two.counts
    assert one.counts["orders"]["superseded"] > 0 and one.counts["aftersales"]["accepted"] > 0
    assert open_snapshot(one.path).sql(LINES).equals(open_snapshot(two.path).sql(LINES))


def test_a_block_tries_every_plain_line_and_no_envelope_or_surrogate_escape() -> None:
    """A block's bytes are searched once for `"errcode"` and backslashes; only a block that holds
    them has its lines searched, and then exactly those lines go careful."""
    plain = json.dumps(order())
    odd = [
        '{"errcode": 0, "order": ' + plain + "}",
        json.dumps(order(openid="\ud800")),  # written as \ud800
        plain.replace('"oBuyer_x"', '"oBuyer\\u0078"'),  # a backslash, but no surrogate: still plain
        plain.replace('"oBuyer_x"', '"oBuyer\\uD800"'),
    ]
    body = "\n".join([plain, *odd, plain]).encode() + b"\n"
    block = orders_bulk._block(body, 0, 1)
    assert block.table.column("bulk").to_pylist() == [True, False, False, True, False, True]
    clean = orders_bulk._block((plain + "\n" + plain).encode(), 0, 7)  # the last line has no newline
    assert clean.table.column("bulk").to_pylist() == [True, True]
    assert clean.table.column("line").to_pylist() == [7, 8]


def test_blocks_number_lines_across_block_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Line numbers count newlines whatever the block size, the last line without one included."""
    path = tmp_path / "orders.jsonl"
    texts = [json.dumps(order(order_id=str(n))) for n in range(50)]
    path.write_bytes(("\n".join(texts)).encode())  # no newline at the end
    monkeypatch.setattr(orders_bulk, "BLOCK_BYTES", 1000)
    blocks = list(orders_bulk.blocks(path))
    assert len(blocks) > 5
    lines = [n for block in blocks for n in block.table.column("line").to_pylist()]
    text = [t.removesuffix("\n") for block in blocks for t in block.table.column("text").to_pylist()]
    assert lines == list(range(1, 51)) and text == texts


def test_day_parts_order_lines_paid_in_the_same_second_by_order_and_line(tmp_path: Path) -> None:
    """Lines paid in the same second are written by order_id then line_no, whatever order the export had."""
    records = []
    for n in reversed(range(40)):
        record = order(order_id=f"37134757526562421{n:02d}")
        record["order_detail"]["product_infos"].append(
            {"product_id": int(PRODUCT_ID), "sku_id": 2002, "sku_cnt": 1, "sale_price": 500, "real_price": 450}
        )
        records.append(record)
    products_csv(tmp_path)
    write_jsonl(tmp_path / "orders.jsonl", records)
    result = ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    (part,) = (result.path / "orders").rglob("*.parquet")
    keys = [(r["order_id"], r["line_no"]) for r in pq.read_table(part).to_pylist()]
    assert len(keys) == 80 and keys == sorted(keys)
