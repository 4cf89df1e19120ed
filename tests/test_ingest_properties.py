"""Property tests: randomly corrupted records never crash ingest and are never lost.

Corruption deletes keys, swaps values for other types and writes garbage
strings anywhere in the nested API objects (or in spreadsheet cells). Every
record must still be accounted for: read = accepted + rejected +
superseded + skipped, and the snapshot written must pass `verify`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from corruption import corrupt
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ingest_samples import CUTOFF, PAY_TIME, aftersale, order, products_csv

from workbench.ingest import ingest
from workbench.snapshot.verify import verify

GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "1764036000", "3713475752656242688", "NaN", "二十", "MERCHANT_REFUND_SUCCESS", "100"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _corrupt(data: st.DataObject, value: Any) -> Any:
    return corrupt(data, value, GARBAGE)


def _records(data: st.DataObject) -> tuple[list[Any], list[Any]]:
    count = data.draw(st.integers(1, 6))
    orders: list[Any] = [
        order(
            order_id=str(3713475752656242100 + data.draw(st.integers(0, 3))),
            update_time=PAY_TIME + i,
            status=data.draw(st.sampled_from([10, 20, 30, 100, 200])),
        )
        for i in range(count)
    ]
    sales: list[Any] = [
        aftersale(
            after_sale_order_id=f"AS{i}",
            order_id=o["order_id"],
            refund_info={"amount": data.draw(st.integers(0, 4000))},
        )
        for i, o in enumerate(orders)
    ]
    for records in (orders, sales):
        for _ in range(data.draw(st.integers(0, 4))):
            index = data.draw(st.integers(0, len(records) - 1))
            records[index] = _corrupt(data, records[index])
    return orders, sales


def _record_count(records: list[Any], lines: bool) -> int:
    """Records a reader must see: on a JSON Lines line, an array's items are records of their own."""
    return sum(len(r) if lines and isinstance(r, list) else 1 for r in records)


def _balanced(counts: dict[str, int]) -> bool:
    return counts["read"] == counts["accepted"] + counts["rejected"] + counts["superseded"] + counts["skipped"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_api_records_are_accounted_for(data: st.DataObject) -> None:
    orders, sales = _records(data)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "exports"
        source.mkdir()
        products_csv(source)
        (source / "orders.jsonl").write_text(
            "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8"
        )
        (source / "aftersales.json").write_text(json.dumps(sales), encoding="utf-8")
        result = ingest(source, CUTOFF, Path(tmp) / CUTOFF)
        assert result.counts["orders"]["read"] == _record_count(orders, lines=True)
        assert result.counts["aftersales"]["read"] == _record_count(sales, lines=False)
        assert all(_balanced(c) for c in result.counts.values())
        assert verify(result.path) == []


ACCOUNT_ROW = ["sphA", "甲", "", "否", "1200", "是", "否", "2024-05-01 10:00:00"]
ACCOUNT_HEADER = "视频号ID,视频号名称,店铺ID,是否店铺自营账号,有效粉丝数,是否开通短视频带货,是否绑定公众号,创建时间"


@settings(max_examples=20, deadline=None)
@example(changes=[(7, '"')], rows=2)  # JSON quoting made this one CSV row, not two
@given(st.lists(st.tuples(st.integers(0, len(ACCOUNT_ROW) - 1), st.text(max_size=10)), max_size=4), st.integers(1, 5))
def test_corrupted_spreadsheet_cells_are_accounted_for(changes: list[tuple[int, str]], rows: int) -> None:
    out = io.StringIO()
    writer = csv.writer(out)  # quoted as CSV quotes: a cell may hold '"', commas or newlines
    writer.writerow(ACCOUNT_HEADER.split(","))
    for n in range(rows):
        cells = [f"sph{n}", *ACCOUNT_ROW[1:]]
        for index, text in changes[n::rows]:
            cells[index] = text
        writer.writerow(cells)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "exports"
        source.mkdir()
        (source / "accounts.csv").write_text(out.getvalue(), encoding="gb18030")
        result = ingest(source, CUTOFF, Path(tmp) / CUTOFF)
        assert result.counts["accounts"]["read"] == rows
        assert _balanced(result.counts["accounts"])
        assert verify(result.path) == []
