"""Ingest fuzz run (issue 12, item 4): hostile records and files never crash ingest, and every count balances.

Two parts, because a whole `ingest()` costs about half a second (it writes
and checks a snapshot, with DuckDB roll-ups) while reading one record
costs microseconds:

- `test_hostile_order_records` (1,000 cases) and `test_hostile_csv_rows`
  (10,000 cases; `WORKBENCH_FUZZ_CASES` sets the second, the first is a
  tenth of it): each order case is one hostile orders file (JSON Lines,
  read by the bulk path where it can, or a `.json` array, read record by
  record) of 1-12 records sharing a few order ids, and 1-3 hostile
  after-sales; each CSV case one hostile accounts file. They are read by
  the same functions `ingest()` calls (`read_orders`, `apply_aftersales`,
  `read_tables`). Records are valid API objects
  corrupted at random (keys deleted, values swapped for hostile ones:
  numbers of thousands of digits, NaN, half a surrogate pair, control
  characters, Unicode digits), then damaged as text (cut, nested 10^5
  deep, a 5,000-digit number spliced in, a stray quote or byte), and
  CSV rows are damaged as bytes in UTF-8 or GB18030. Each case must end
  without an exception other than a one-line WorkbenchError for a whole
  file, with read = accepted + rejected + superseded + skipped, and with
  the accepted rows and the `_rejected/` rows convertible to their Arrow
  tables (where text that is not UTF-8 used to fail the write).
- `test_hostile_files` (named files) and `test_mutated_exports` (100
  random byte-level mutations of the fixture exports, `.xlsx` included):
  whole runs of `ingest()`, each ending in a snapshot that passes
  `verify` with balanced counts, or in a one-line WorkbenchError that
  leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corruption import corrupt
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from ingest_samples import CUTOFF, FIXTURES, PRODUCT_ID, aftersale, order, products_csv, shops_xlsx
from published import published

from workbench.dates import parse_date
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.ingest.aftersales import apply_aftersales
from workbench.ingest.ledger import Ledger
from workbench.ingest.order_stage import read_orders
from workbench.ingest.quarantine import quarantine_table
from workbench.ingest.tabular import read_tables
from workbench.snapshot import contract
from workbench.snapshot.manifest import cutoff_instant
from workbench.snapshot.verify import verify

pytestmark = pytest.mark.slow

CASES = int(os.environ.get("WORKBENCH_FUZZ_CASES", "10000"))
# Orders are staged and decided by DuckDB, a few tens of milliseconds a file whatever its size:
# a tenth of the cases, each a file of up to 12 hostile records (about as many records in all).
ORDER_CASES = max(1, CASES // 10)
ORDERS_PER_CASE = 12
MUTATED = 100
INSTANT = cutoff_instant(parse_date(CUTOFF))
SHOPS = {PRODUCT_ID: "shop_wx_s1"}
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

HOSTILE_TEXT = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=6),  # control characters, U+2028, BOMs...
    st.sampled_from(
        [
            "\ud800",  # half a surrogate pair: JSON escapes it, Python reads it, UTF-8 cannot hold it
            "a\udcb6b",
            "\x00",
            "\ufeff1",
            "١٢٣",  # Arabic-Indic digits: int() reads them
            "１７６４０３６０００",  # full-width digits
            "9" * 25,
            "3713475752656242688",
            "1764036000",
            "2025-11-25 10:00:00",
            "MERCHANT_REFUND_SUCCESS",
            "食品",
            "是",
        ]
    ),
)
HOSTILE_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),  # NaN and infinities too: Python's json reads and writes them
    HOSTILE_TEXT,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _corrupt(data: st.DataObject, value: Any) -> Any:
    return corrupt(data, value, HOSTILE_LEAF)


def _damage(data: st.DataObject, text: str) -> str:
    """The record's JSON text as it is, or damaged as text."""
    how = data.draw(st.sampled_from(["none", "none", "none", "cut", "deep", "digits", "insert", "wrap"]))
    if how == "cut":
        return text[: data.draw(st.integers(0, max(0, len(text) - 1)))]
    if how == "deep":
        depth = data.draw(st.sampled_from([99, 101, 1000, 100_000]))
        return "[" * depth + text + "]" * depth
    if how == "digits":
        return re.sub(r"\d+", "7" * data.draw(st.sampled_from([21, 4300, 4301, 5000])), text, count=1)
    if how == "insert":
        at = data.draw(st.integers(0, len(text)))
        return text[:at] + data.draw(st.sampled_from(['"', "\\", "\x00", "}", ",", "\\ud800", "\u2028"])) + text[at:]
    if how == "wrap":
        return json.dumps({data.draw(st.sampled_from(["code", "data", "errcode", "order"])): json.loads(text)})
    return text


def _hostile_line(data: st.DataObject, record: dict[str, Any]) -> str:
    if data.draw(st.booleans()):
        record = _corrupt(data, record)
    return _damage(data, json.dumps(record))  # ensure_ascii: half surrogate pairs become \ud800 escapes


def _safe_loads(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _expected_records(lines: list[str]) -> int:
    """Records of a JSON Lines file: an array on a line is one record per element, anything else one record."""
    count = 0
    for line in lines:
        if line.strip():
            value = _safe_loads(line)
            count += len(value) if isinstance(value, list) else 1  # the deep ones made here hold one element
    return count


def _note(outcome: str) -> None:
    """Count an outcome in Hypothesis's statistics (--hypothesis-show-statistics); nothing outside a Hypothesis test."""
    if currently_in_test_context():
        event(outcome)


def _check(ledger: Ledger, rows: list[dict[str, Any]], table: str) -> None:
    counts = ledger.counts()
    assert counts["read"] == counts["accepted"] + counts["rejected"] + counts["superseded"] + counts["skipped"]
    _note(f"{ledger.table}: {'some accepted' if counts['accepted'] else 'none accepted'}")
    pa.Table.from_pylist(rows, schema=contract.arrow_schema(table))
    quarantine_table(ledger)


ACCOUNT_HEADER = [c.name for c in contract.TABLES["accounts"]]
ACCOUNT_ROW = ["sphA", "山野咖啡", "", "false", "1200", "true", "false", "2024-05-01 10:00:00"]
CSV_CELL = st.one_of(
    HOSTILE_TEXT.filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t)), st.just("x" * 140_000)
)


def _hostile_csv(data: st.DataObject) -> bytes:
    """An accounts CSV of a header and 1-2 rows, hostile cells, in UTF-8 or GB18030, maybe damaged as bytes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACCOUNT_HEADER)
    rows = data.draw(st.integers(1, 2))
    for n in range(rows):
        cells = [f"sph{n}", *ACCOUNT_ROW[1:]]
        for _ in range(data.draw(st.integers(0, 2))):
            cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(CSV_CELL)
        writer.writerow(cells)
    body = out.getvalue().encode(data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])))
    header_end = body.index(b"\n") + 1
    how = data.draw(st.sampled_from(["none", "none", "byte", "cut"]))
    if how == "byte":
        at = data.draw(st.integers(header_end, len(body) - 1))
        body = body[:at] + bytes([data.draw(st.integers(0x80, 0xFF))]) + body[at + 1 :]
    elif how == "cut":
        body = body[: data.draw(st.integers(header_end, len(body)))]
    return body


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every case's files (each case overwrites them): a temporary folder per case costs more than the case."""
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=ORDER_CASES, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_hostile_order_records(scratch: Path, data: st.DataObject) -> None:
    lines = [
        _hostile_line(data, order(order_id=str(3713475752656242100 + data.draw(st.integers(0, 5)))))
        for _ in range(data.draw(st.integers(1, ORDERS_PER_CASE)))
    ]
    as_document = data.draw(st.booleans())
    orders_path = scratch / ("orders.json" if as_document else "orders.jsonl")
    text = "[\n" + ",\n".join(lines) + "\n]\n" if as_document else "\n".join(lines) + "\n"
    orders_path.write_text(text, encoding="utf-8")
    try:
        orders, order_ledger = read_orders([orders_path], INSTANT, SHOPS)
    except WorkbenchError as err:  # a broken document is refused whole, in one line
        assert as_document and "\n" not in str(err) and "not one JSON document" in str(err)
        _note("orders: .json document refused")
        orders, order_ledger = read_orders([], INSTANT, SHOPS)[0], None
    with orders:
        if order_ledger is not None:
            if not as_document:
                assert order_ledger.read == _expected_records(lines)
            _check(order_ledger, [line for o in orders.values() for line in o.lines], "orders")

        sales_path = scratch / "aftersales.jsonl"
        sales = [
            _hostile_line(
                data, aftersale(after_sale_order_id=str(4000000000000009 + n), order_id="3713475752656242100")
            )
            for n in range(data.draw(st.integers(1, 3)))
        ]
        sales_path.write_text("\n".join(sales) + "\n", encoding="utf-8")
        sale_ledger = apply_aftersales([sales_path], orders, INSTANT)
        _check(sale_ledger, [line for o in orders.values() for line in o.lines], "orders")


@settings(max_examples=CASES, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_hostile_csv_rows(scratch: Path, data: st.DataObject) -> None:
    (scratch / "accounts.csv").write_bytes(_hostile_csv(data))
    try:
        accounts, account_ledger = read_tables("accounts", [scratch / "accounts.csv"], INSTANT)
    except WorkbenchError as err:  # a line neither UTF-8 nor GB18030 in a GB18030 file: the file is refused
        assert "\n" not in str(err) and "cannot be decoded as UTF-8 or GB18030" in str(err)
        _note("accounts: file refused")
    else:
        _check(account_ledger, accounts, "accounts")


# --- whole files through ingest() -------------------------------------------------------------------


def _ingest_checked(source: Path, out_root: Path) -> None:
    """ingest() ends in a valid snapshot with balanced counts, or in a one-line WorkbenchError leaving nothing."""
    out_root.mkdir()
    try:
        result = ingest(source, CUTOFF, out_root / CUTOFF)
    except WorkbenchError as err:
        assert "\n" not in str(err)
        assert published(out_root) == []
        _note(f"refused: {str(err).split(': ')[1][:30]}")
        return
    _note("snapshot written")
    for table, counts in result.counts.items():
        assert counts["read"] == counts["accepted"] + counts["rejected"] + counts["superseded"] + counts["skipped"], (
            table
        )
    assert verify(result.path) == []
    json.loads((result.path / "_manifest.json").read_text(encoding="utf-8"))
    for path in (result.path / "_rejected").glob("*.parquet"):
        pq.read_table(path)
    assert published(out_root) == [CUTOFF]


GOOD = json.dumps(order())
PRETTY = json.dumps([order(), order(order_id="2")], indent=2)
HOSTILE_FILES: dict[str, tuple[str, bytes]] = {
    "5000-digit id": ("orders.jsonl", f'{GOOD}\n{{"order_id": {"7" * 5000}}}\n'.encode()),
    "nested 100000 deep": ("orders.jsonl", (GOOD + "\n" + "[" * 100_000 + "\n").encode()),
    "deep element of an array": ("orders.json", f"[{GOOD}, {'[' * 100_000}{']' * 100_000}]".encode()),
    "long number in an array": ("orders.json", f'[{GOOD}, {{"order_id": {"7" * 5000}}}]'.encode()),
    "truncated pretty array": ("orders.json", PRETTY[: PRETTY.index('"pay_info"')].encode()),
    "empty .json": ("orders.json", b""),
    "empty .jsonl": ("orders.jsonl", b""),
    "only a BOM": ("orders.jsonl", b"\xef\xbb\xbf"),
    "NUL bytes": ("orders.jsonl", b"\x00" * 64 + b"\n" + GOOD.encode()),
    "binary garbage": ("orders.jsonl", bytes(range(256)) * 4),
    "UTF-16 text": ("accounts.csv", ",".join(ACCOUNT_HEADER).encode("utf-16")),
    "half a surrogate pair": ("orders.jsonl", json.dumps(order(openid="\ud800")).encode()),
    "NaN and Infinity": ("orders.jsonl", GOOD.replace("3980", "NaN").replace("1990", "Infinity").encode()),
    "lone quote cell": (
        "accounts.csv",
        (",".join(ACCOUNT_HEADER) + '\nsphA,"甲,,false,1,true,false,2024-05-01\n').encode(),
    ),
    "cell beyond csv limit": (
        "accounts.csv",
        (",".join(ACCOUNT_HEADER) + "\nsphA," + "甲" * 200_000 + ",,false,1,true,false,2024-05-01\n").encode(),
    ),
    "header only": ("accounts.csv", ",".join(ACCOUNT_HEADER).encode()),
    "damaged UTF-8": (
        "accounts.csv",
        (",".join(ACCOUNT_HEADER) + "\nsphA,水果礼盒,,false,1,true,false,2024-05-01\n")
        .encode()
        .replace("果".encode(), b"\x80\x9e\x9c"),
    ),
    "not a workbook": ("shops.xlsx", b"PK\x03\x04 not really a zip"),
    "GBK file name": (os.fsdecode(b"orders_" + "十二月".encode("gbk") + b".jsonl"), (GOOD + "\n42\n").encode()),
    "name neither UTF-8 nor GBK": (os.fsdecode(b"orders_\xff\xfe.jsonl"), GOOD.encode()),
    "GBK name of an ignored file": (os.fsdecode("说明".encode("gbk") + b".txt"), b"x"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_files(tmp_path: Path, case: str) -> None:
    name, content = HOSTILE_FILES[case]
    source = tmp_path / "exports"
    source.mkdir()
    products_csv(source)
    (source / name).write_bytes(content)
    _ingest_checked(source, tmp_path / "out")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture exports with a shops workbook, made once: each .xlsx saved differs (its timestamps),
    and Hypothesis needs every case to see the same bytes when it replays it."""
    folder = tmp_path_factory.mktemp("template") / "exports"
    shutil.copytree(FIXTURES, folder)
    shops_xlsx(folder)
    return folder


MUTATIONS = st.sampled_from(["flip", "cut", "insert", "delete"])


@settings(max_examples=MUTATED, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_mutated_exports(exports: Path, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "exports"
        shutil.copytree(exports, source)
        for _ in range(data.draw(st.integers(1, 3))):
            path = source / data.draw(st.sampled_from(sorted(p.name for p in source.iterdir())))
            body = path.read_bytes()
            at = data.draw(st.integers(0, max(0, len(body) - 1)))
            how = data.draw(MUTATIONS)
            if how == "flip":
                body = (
                    body[:at] + bytes([body[at] ^ (1 << data.draw(st.integers(0, 7)))]) + body[at + 1 :]
                    if body
                    else body
                )
            elif how == "cut":
                body = body[:at]
            elif how == "insert":
                body = body[:at] + data.draw(st.binary(min_size=1, max_size=4)) + body[at:]
            else:
                body = body[:at] + body[at + 1 :]
            path.write_bytes(body)
        _ingest_checked(source, Path(tmp) / "out")
