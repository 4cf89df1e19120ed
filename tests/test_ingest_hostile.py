"""Hostile input (issue 12, item 4): no single record, file name or encoding accident crashes an ingest.

Every record that cannot be read is a rejected record with a reason; a
file that cannot be read as a whole stops the run with one line and
writes nothing; names and text that are not UTF-8 are read, never
mis-read in silence.
"""

from __future__ import annotations

import codecs
import json
import os
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from ingest_samples import CUTOFF, FIXTURES, PRODUCT_ID, order, products_csv
from openpyxl import Workbook
from published import published

from workbench.dates import parse_date
from workbench.errors import WorkbenchError
from workbench.ingest import encoding, ingest, sources
from workbench.ingest.encoding import open_text
from workbench.ingest.ledger import Ledger, Origin, Record
from workbench.ingest.order_stage import read_orders
from workbench.ingest.sources import json_records
from workbench.ingest.tabular import read_tables
from workbench.kpi.opened import open_snapshot
from workbench.snapshot.manifest import cutoff_instant
from workbench.snapshot.verify import verify

INSTANT = cutoff_instant(parse_date(CUTOFF))
SHOPS = {PRODUCT_ID: "shop_wx_s1"}
ACCOUNTS_HEADER = "account_id,account_name,shop_id,is_self_operated,effective_fans,short_video_commerce_enabled,has_official_account,created_at"


def _account(account_id: str, name: str) -> str:
    return f"{account_id},{name},,false,1200,true,false,2024-05-01 10:00:00"


def _rejected(snapshot: Path, table: str) -> list[dict]:
    return pq.read_table(snapshot / "_rejected" / f"{table}.parquet").to_pylist()


# --- one record, whatever is wrong with it, is one rejected record ---------------------------------


def test_any_failure_while_reading_a_record_rejects_that_record() -> None:
    ledger = Ledger("orders")

    def parse(raw: object) -> object:
        raise TypeError("a bug, or a shape nobody expected")

    assert ledger.attempt(Record(Origin("orders.jsonl", 3), {"x": 1}), parse) is None
    assert ledger.counts()["rejected"] == 1
    assert ledger.left[0].reason == "could not be read (TypeError: a bug, or a shape nobody expected)"


def test_hostile_elements_of_a_json_array_are_rejected_one_by_one(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    long_number = '{"order_id": ' + "7" * 5000 + "}"
    path = tmp_path / "orders.json"
    path.write_text(
        "[\n" + ",\n".join([json.dumps(order()), deep, long_number, json.dumps(order(order_id="2"))]) + "\n]\n",
        encoding="utf-8",
    )
    accepted, ledger = read_orders([path], INSTANT, SHOPS)
    assert sorted(accepted) == ["2", "3713475752656242101"]
    assert ledger.counts() == {"read": 4, "accepted": 2, "rejected": 2, "superseded": 0, "skipped": 0}
    deep_left, number_left = ledger.left
    assert (deep_left.record.origin.line, deep_left.record.origin.item) == (3, 2)
    assert deep_left.reason.startswith("nested more than 100 levels deep")
    assert deep_left.record.raw == deep  # the raw text, exactly as in the file
    assert (number_left.record.origin.line, number_left.record.origin.item) == (4, 3)
    assert number_left.reason.startswith("unreadable number: Exceeds the limit (4300 digits)")
    assert number_left.record.raw == long_number


def test_text_that_is_not_unicode_never_stops_the_run(tmp_path: Path) -> None:
    """JSON may escape half a UTF-16 pair (\\ud800): such a value is refused, and its record is still kept."""
    products_csv(tmp_path)
    lines = [
        json.dumps(order()),
        json.dumps(order(order_id="2", openid="\ud800")),
        json.dumps({"\udcb6": 1}),  # an unknown envelope whose reason names this key
    ]
    (tmp_path / "orders.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    assert result.counts["orders"] == {"read": 3, "accepted": 1, "rejected": 2, "superseded": 0, "skipped": 0}
    assert verify(result.path) == []
    rows = _rejected(result.path, "orders")
    assert "half of a UTF-16 surrogate pair" in rows[0]["reason"]
    assert json.loads(rows[0]["raw"])["openid"] == "\ud800"  # kept exactly, as a JSON escape
    assert rows[1]["reason"] == (
        "unknown envelope, keys: \\udcb6 (expected a bare object with 'order_id' or an API response with 'order')"
    )


# --- file names that are not UTF-8 -----------------------------------------------------------------

GBK_ORDERS = b"orders_" + "十二月".encode("gbk") + b".jsonl"
GBK_OTHER = "订单明细".encode("gbk") + b".csv"


def _write_bytes_name(folder: Path, name: bytes, content: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(content)


def test_file_names_that_are_not_utf8_are_read_and_shown_decoded(tmp_path: Path) -> None:
    source = tmp_path / "exports"
    source.mkdir()
    products_csv(source)
    _write_bytes_name(source, GBK_ORDERS, (json.dumps(order()) + "\n42\n").encode())
    _write_bytes_name(source, GBK_OTHER, b"x")
    (tmp_path / "out").mkdir()
    result = ingest(source, CUTOFF, tmp_path / "out" / CUTOFF)
    assert result.counts["orders"] == {"read": 2, "accepted": 1, "rejected": 1, "superseded": 0, "skipped": 0}
    assert result.ignored == [
        (
            "订单明细.csv",
            "name starts with no known table prefix; the name is not UTF-8 and is shown decoded as GB18030"
            " from its bytes b'\\xb6\\xa9\\xb5\\xa5\\xc3\\xf7\\xcf\\xb8.csv'",
        )
    ]
    rejected = _rejected(result.path, "orders")
    assert [(r["source_file"], r["source_file_bytes"], r["line"]) for r in rejected] == [
        ("orders_十二月.jsonl", GBK_ORDERS, 2)
    ]
    manifest = json.loads((result.path / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["ingest_ignored_files"][0]["file"] == "订单明细.csv"
    assert published(tmp_path / "out") == [CUTOFF]  # no temporary folder left behind
    assert verify(result.path) == []


def test_a_source_folder_named_in_gbk(tmp_path: Path) -> None:
    source = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), "导出".encode("gbk"))))
    source.mkdir()
    products_csv(source)
    result = ingest(source, CUTOFF, tmp_path / "out" / CUTOFF)
    manifest = json.loads((result.path / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == "ingest:导出"
    assert published(tmp_path / "out") == [CUTOFF]


def _extract_as_unzip_does(archive: Path, folder: Path) -> None:
    """Extract keeping each member's name bytes, as Info-ZIP `unzip` does on Linux for a zip from Windows.

    Python's zipfile would decode the names as cp437 (readable mojibake);
    the bytes themselves are what a Linux folder ends up holding.
    """
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            utf8_flag = info.flag_bits & 0x800
            name = info.filename.encode("utf-8") if utf8_flag else info.filename.encode("cp437")
            _write_bytes_name(folder, name, zf.read(info))


class _WindowsZipInfo(zipfile.ZipInfo):
    """A member whose name is stored in the Windows code page (GBK), without the UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits


def test_gbk_names_of_a_zip_from_chinese_windows(tmp_path: Path) -> None:
    archive = tmp_path / "导出.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(_WindowsZipInfo("orders_十二月.jsonl"), json.dumps(order()) + "\n")
        zf.writestr(_WindowsZipInfo("商品.csv"), "x\n")
        zf.writestr("products.csv", f"product_id,shop_id,title,category,price_fen\n{PRODUCT_ID},s1,咖啡,food,1\n")
    source = tmp_path / "exports"
    source.mkdir()
    _extract_as_unzip_does(archive, source)
    assert GBK_ORDERS in os.listdir(os.fsencode(source))
    result = ingest(source, CUTOFF, tmp_path / CUTOFF)
    assert result.counts["orders"]["accepted"] == 1
    assert [name for name, _ in result.ignored] == ["商品.csv"]


# --- a .json file is one document ------------------------------------------------------------------


def test_truncated_pretty_printed_json_is_refused_whole(tmp_path: Path) -> None:
    """Cut after a line that parses on its own: it used to be read as JSON Lines and an empty snapshot published."""
    text = (FIXTURES / "orders_page2.json").read_text(encoding="utf-8")
    products_csv(tmp_path)
    (tmp_path / "orders.json").write_text(text[: text.index("],")], encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"orders.json: not one JSON document \(") as err:
        ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_every_cut_of_a_pretty_printed_array_is_refused(tmp_path: Path) -> None:
    text = json.dumps([order(order_id=str(n)) for n in range(3)], indent=2)
    path = tmp_path / "orders.json"
    cuts = [i for i, c in enumerate(text) if c == "\n"]
    for cut in cuts:
        path.write_text(text[:cut], encoding="utf-8")
        with pytest.raises(WorkbenchError, match="not one JSON document"):
            list(json_records(path))
    path.write_text(text, encoding="utf-8")
    assert len(list(json_records(path))) == 3


def test_json_lines_saved_as_json_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(order()) + "\n" + json.dumps([order(), order()]) + "\n", encoding="utf-8")
    assert [(r.origin.line, r.origin.item) for r in json_records(path)] == [(1, None), (2, 1), (2, 2)]


# --- every sheet of a workbook ---------------------------------------------------------------------


def test_every_sheet_of_a_workbook_is_read_or_listed(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    first.title = "店铺"
    first.append(["店铺ID", "店铺名称", "主营类目", "开店时间"])
    first.append(["s1", "山野食铺", "食品", "2023-03-01 09:00:00"])
    more = book.create_sheet("店铺(2)")  # the rows go on, header repeated, columns in another order
    more.append(["店铺名称", "店铺ID", "主营类目", "开店时间"])
    more.append(["数码小站", "s2", "数码家电", "2024-06-18 10:00:00"])
    more.append(["无类目", "s3", "玩具", "2024-06-18 10:00:00"])
    notes = book.create_sheet("说明")
    for text in ("导出时间 2025-12-07", "", "共 3 家店铺", "仅供内部使用"):
        notes.append([text])
    book.create_sheet("空白")
    book.save(tmp_path / "shops.xlsx")
    result = ingest(tmp_path, CUTOFF, tmp_path / CUTOFF)
    assert result.counts["shops"] == {"read": 3, "accepted": 2, "rejected": 1, "superseded": 0, "skipped": 0}
    shops = open_snapshot(result.path).sql("select shop_id, shop_name from shops order by shop_id").rows()
    assert shops == [("s1", "山野食铺"), ("s2", "数码小站")]
    rejected = _rejected(result.path, "shops")
    assert [(r["source_file"], r["sheet"], r["line"]) for r in rejected] == [("shops.xlsx", "店铺(2)", 3)]
    assert len(result.ignored) == 1
    name, why = result.ignored[0]
    assert name == "shops.xlsx"
    assert why.startswith("sheet '说明' not read, 3 non-blank rows: its first row is not a shops header")


# --- encodings: UTF-8 is never read as GB18030 mojibake ---------------------------------------------


def test_utf8_with_a_damaged_byte_is_read_as_utf8_and_the_line_flagged(tmp_path: Path) -> None:
    """One bad byte made the whole file GB18030, every name mojibake (山野咖啡 -> 灞遍噹鍜栧暋), accepted."""
    text = "\n".join([ACCOUNTS_HEADER, _account("sphA", "山野咖啡"), _account("sphB", "水果礼盒")]) + "\n"
    data = bytearray(text.encode("utf-8"))
    data[data.index("果".encode())] = 0x80  # not UTF-8 any more, yet all of it decodes as GB18030, into mojibake
    (tmp_path / "accounts.csv").write_bytes(bytes(data))
    rows, ledger = read_tables("accounts", [tmp_path / "accounts.csv"], INSTANT)
    assert [r["account_name"] for r in rows] == ["山野咖啡"]
    assert ledger.counts() == {"read": 2, "accepted": 1, "rejected": 1, "superseded": 0, "skipped": 0}
    assert ledger.left[0].record.origin.line == 3
    assert ledger.left[0].reason.startswith(
        "line 3 is not valid UTF-8 (b'\\x80' at byte 9) in a file that is otherwise UTF-8"
    )


def test_a_utf8_line_in_a_gb18030_file_is_flagged(tmp_path: Path) -> None:
    gb18030 = "\n".join([ACCOUNTS_HEADER, _account("sphA", "甲乙"), _account("sphC", "丙丁")]).encode("gb18030")
    utf8 = _account("sphB", "水果礼盒").encode("utf-8")
    (tmp_path / "accounts.csv").write_bytes(gb18030 + b"\n" + utf8 + b"\n")
    rows, ledger = read_tables("accounts", [tmp_path / "accounts.csv"], INSTANT)
    assert [r["account_name"] for r in rows] == ["甲乙", "丙丁"]
    assert ledger.counts()["rejected"] == 1
    reason = ledger.left[0].reason
    assert reason.startswith("line 4 is UTF-8 text ('sphB,水果礼盒,,false") and "姘存灉绀肩洅" in reason


def test_a_line_neither_utf8_nor_gb18030_rejects_only_its_row(tmp_path: Path) -> None:
    rows = [ACCOUNTS_HEADER, _account("sphA", "甲乙"), _account("sphB", "丙丁"), _account("sphC", "戊己")]
    lines = [row.encode("gb18030") for row in rows]
    lines[2] = lines[2].replace("丙".encode("gb18030"), b"\x80")  # 0x80 starts no GB18030 character
    (tmp_path / "accounts.csv").write_bytes(b"\n".join(lines) + b"\n")
    rows, ledger = read_tables("accounts", [tmp_path / "accounts.csv"], INSTANT)
    assert [r["account_name"] for r in rows] == ["甲乙", "戊己"]
    assert ledger.left[0].reason.startswith("line 3 is neither UTF-8 nor GB18030 (b'\\x80' at byte 6)")
    assert ledger.left[0].record.raw.startswith("sphB,\\x80丁,")


def test_text_in_neither_encoding_is_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_bytes(("\n".join([ACCOUNTS_HEADER, _account("sphA", "甲乙")])).encode("utf-16"))
    with pytest.raises(WorkbenchError, match=r"accounts.csv: cannot be decoded as UTF-8 or GB18030 \(1 of its 1 lines"):
        read_tables("accounts", [tmp_path / "accounts.csv"], INSTANT)


def test_damaged_utf8_in_json_lines_rejects_only_its_line(tmp_path: Path) -> None:
    first = order()
    first["order_detail"]["product_infos"][0]["title"] = "水果礼盒"
    data = bytearray((json.dumps(first, ensure_ascii=False) + "\n" + json.dumps(order(order_id="2")) + "\n").encode())
    data[data.index("果".encode())] = 0x80
    (tmp_path / "orders.jsonl").write_bytes(bytes(data))
    records = list(json_records(tmp_path / "orders.jsonl"))
    assert [r.error is not None for r in records] == [True, False]
    assert records[0].error.startswith("line 1 is not valid UTF-8")


HOSTILE_TEXTS = {
    "gb18030 with a utf-8 line": "订单号,状态\r\n1,已完成\r\n".encode("gb18030")
    + "2,已完成\n".encode()
    + "3,已发货".encode("gb18030"),
    "utf-8 with a damaged byte": "订单号,状态\n1,已完成\n".encode() + "2,已完成\n".encode()[:-3] + b"\xff\n3,x\n",
    "bom and a gb18030 line": codecs.BOM_UTF8 + "a,b\n1,订单\n".encode() + "2,订单\n".encode("gb18030"),
    "a lone cr and no last newline": "a\rb\n中文\r\n".encode("gb18030") + b"\x81\x30",
    "blank lines": b"\n\n" + "中文\n\n".encode("gb18030") * 3,
}


@pytest.mark.parametrize("name", HOSTILE_TEXTS)
@pytest.mark.parametrize("chunk", [1, 3, 8, 64])
def test_text_read_in_pieces_is_the_text_read_whole(tmp_path: Path, name: str, chunk: int) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(HOSTILE_TEXTS[name])
    whole, pieces = open_text(path), open_text(path, chunk_bytes=chunk)
    assert "".join(pieces.chunks()) == "".join(whole.chunks())
    assert (pieces.encoding, pieces.flagged) == (whole.encoding, whole.flagged)
    assert whole.flagged or name == "blank lines" or name == "a lone cr and no last newline"


def test_text_in_neither_encoding_is_refused_whole_before_any_piece(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(("\n".join([ACCOUNTS_HEADER, _account("sphA", "甲乙")])).encode("utf-16"))
    with pytest.raises(WorkbenchError, match=r"cannot be decoded as UTF-8 or GB18030 \(1 of its 1 lines"):
        open_text(path, chunk_bytes=5)


def _records(path: Path) -> object:
    try:
        return [(r.origin.line, r.origin.item, r.raw, r.error) for r in json_records(path)]
    except WorkbenchError as err:
        return str(err)


@pytest.mark.parametrize(
    "text",
    [
        json.dumps([order(order_id=3713475752656242688 + i, openid="买家" * i) for i in range(20)], ensure_ascii=False),
        json.dumps([order(), {"a": [1, 2]}], indent=2),
        "[" + "[" * 150 + "]" * 150 + ', {"a": 1}, 1' + "0" * 5000 + "]",
        '[{"a": 1},\n{"a": 2},\n{"a": ',  # cut short: refused whole
        '{"a": 1}\n[{"b": 1}, {"b": 2}]\n',  # JSON Lines saved as .json
    ],
)
def test_a_json_document_read_in_pieces_is_the_document_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = tmp_path / "orders.json"
    path.write_text(text, encoding="utf-8")
    whole = _records(path)
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 5)  # pieces cut inside characters, numbers and strings
    monkeypatch.setattr(sources, "_FORGET_CHARS", 10)
    assert _records(path) == whole


def test_a_value_longer_than_the_most_one_record_may_hold_breaks_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([{"a": 1}, order()], indent=2), encoding="utf-8")
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 5)
    monkeypatch.setattr(sources, "MAX_VALUE_CHARS", 50)  # the order is 600 characters long
    with pytest.raises(WorkbenchError, match=r"a value of more than 0 MB \(the most one record may hold\) at line 5"):
        list(json_records(path))
