"""Back-office order spreadsheets: the same orders as CSV (GB18030, yuan, Chinese statuses) and as xlsx
ingest to the same snapshot as the API JSON they were made from; and each rule of sheets.py on its own."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from api_export import export
from ingest_samples import CUTOFF, PRODUCT_ID, products_csv
from openpyxl import Workbook
from sheet_export import write_csv, write_xlsx

from workbench.errors import WorkbenchError
from workbench.ingest import encoding, ingest, sheets, xlsx
from workbench.ingest.sheets import sheet_id, yuan_to_fen
from workbench.ingest.values import BadValue
from workbench.kpi.opened import open_snapshot
from workbench.simulate import simulate

WORLD_CUTOFF = date(2025, 12, 21)
LINES = "select * from orders order by order_id, line_no"


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("sheets")
    original = simulate(7, 10_000, WORLD_CUTOFF, root / "original" / WORLD_CUTOFF.isoformat())
    exports = export(original, root / "json")
    results = {
        "json": ingest(exports, WORLD_CUTOFF, root / "out_json" / WORLD_CUTOFF.isoformat()),
        "csv": ingest(write_csv(exports, root / "csv"), WORLD_CUTOFF, root / "out_csv" / WORLD_CUTOFF.isoformat()),
        "xlsx": ingest(write_xlsx(exports, root / "xlsx"), WORLD_CUTOFF, root / "out_xlsx" / WORLD_CUTOFF.isoformat()),
    }
    return {**results, "root": root}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_sheet_bigger_than_a_chunk_ingests_to_the_same_snapshot(
    three: dict, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows grouped into orders on disk 300 at a time, text decoded 4 KB at a time: the same snapshot and ledger.
    monkeypatch.setattr(sheets, "CHUNK_ROWS", 300)
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 4096)
    root = three["root"]
    whole, chunked = three[kind], ingest(root / kind, WORLD_CUTOFF, root / f"chunked_{kind}" / WORLD_CUTOFF.isoformat())
    assert chunked.counts == whole.counts and chunked.facts == whole.facts
    assert open_snapshot(chunked.path).sql(LINES).equals(open_snapshot(whole.path).sql(LINES))
    assert _left(chunked.path) == _left(whole.path)


def _left(snapshot: Path) -> dict[str, list[dict]]:
    """Every `_rejected/` file's rows, by file name."""
    return {p.name: pq.read_table(p).to_pylist() for p in sorted((snapshot / "_rejected").glob("*.parquet"))}


def test_rows_of_one_order_far_apart_and_bad_rows_chunked_as_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        f"501,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"502,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"503,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",  # written in UTF-8 below
        f"502,{PRODUCT_ID},2,20,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"504,{PRODUCT_ID},1,10,0,已完成,2025-11-25 10:00:00,,短视频,oB",
        f"501,{PRODUCT_ID},1,10.001,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"504,{PRODUCT_ID},1,10,0,已完成,2025-11-25 10:00:00,,短视频,oB",
    ]
    results = []
    for kind, chunk_rows in (("whole", 100), ("chunked", 2)):
        folder = _sheet(tmp_path / kind, [])
        lines = [(folder / "orders.csv").read_bytes(), *(row.encode("gb18030") + b"\n" for row in rows)]
        lines[3] = rows[2].encode("utf-8") + b"\n"  # a line in another encoding: its row is rejected
        (folder / "orders.csv").write_bytes(b"".join(lines))
        monkeypatch.setattr(sheets, "CHUNK_ROWS", chunk_rows)
        monkeypatch.setattr(encoding, "CHUNK_BYTES", 64 if kind == "chunked" else encoding.CHUNK_BYTES)
        results.append(ingest(folder, CUTOFF, tmp_path / kind / "out" / CUTOFF))
    whole, chunked = results
    s, c = open_snapshot(whole.path), open_snapshot(chunked.path)
    assert s.sql(LINES).equals(c.sql(LINES))
    assert s.sql("select order_id, quantity from orders order by all").rows() == [
        ("502", 1),
        ("502", 2),
        ("504", 1),
        ("504", 1),
    ]
    assert chunked.counts == whole.counts
    left = [_left(r.path)["orders.parquet"] for r in (whole, chunked)]
    assert left[0] == left[1] and [r["line"] for r in left[0]] == [4, 2]  # 503's line first, then order 501


def _workbook(folder: Path, cells: list[object]) -> Path:
    folder.mkdir()
    products_csv(folder)
    book = Workbook()
    book.active.append(["订单号", "商品ID", "商品数量", "商品实付金额（元）", "退款金额（元）", "订单状态", "支付时间"])
    book.active.append(cells)
    book.save(folder / "orders.xlsx")
    return folder


@pytest.mark.parametrize(
    ("order_id", "refund", "reason"),
    [
        (3.71e18, 0, "scientific notation"),  # Excel rounded the id: calamine reads no 16-digit number
        ("601", "#VALUE!", "is not an amount in yuan"),  # an error cell: calamine would read it as no refund
    ],
)
def test_workbooks_calamine_cannot_show_exactly_are_read_by_openpyxl(
    tmp_path: Path, order_id: object, refund: object, reason: str
) -> None:
    folder = _workbook(tmp_path / "in", [order_id, PRODUCT_ID, 1, 10, refund, "已发货", "2025-11-25 10:00:00"])
    if isinstance(refund, str):  # openpyxl writes a string that looks like an error as an error cell
        assert 't="e"' in zipfile.ZipFile(folder / "orders.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert xlsx.needs_openpyxl(folder / "orders.xlsx")
    result = ingest(folder, CUTOFF, tmp_path / "out" / CUTOFF)
    left = pq.read_table(result.path / "_rejected" / "orders.parquet").to_pylist()
    assert len(left) == 1 and reason in left[0]["reason"]


def test_calamine_cells_are_openpyxls(tmp_path: Path) -> None:
    cells = [101, 1234.5, datetime(2025, 11, 25, 10, 0), date(2025, 11, 25), time(10, 30), True, None, "  x ", 9.0]
    book = Workbook()
    book.active.append([None, None])  # data from B2: rows and columns are numbered as Excel shows them
    book.active.append([None, *cells])
    book.save(tmp_path / "t.xlsx")
    assert not xlsx.needs_openpyxl(tmp_path / "t.xlsx")
    read = [[list(rows) for rows in sheet] for _, sheet in xlsx.worksheets(tmp_path / "t.xlsx")]
    careful = [[list(rows) for rows in sheet] for _, sheet in xlsx._openpyxl(tmp_path / "t.xlsx")]
    assert read == careful
    assert read[0][1][1:] == [
        101,
        1234.5,
        datetime(2025, 11, 25, 10),
        datetime(2025, 11, 25),
        time(10, 30),
        True,
        None,
        "  x ",
        9,
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_spreadsheet_ingests_to_the_same_snapshot_as_the_api_json(three: dict, kind: str) -> None:
    api, sheet = three["json"], three[kind]
    lines = open_snapshot(sheet.path).sql(LINES)
    assert lines.height > 1000
    assert lines.equals(open_snapshot(api.path).sql(LINES))
    assert sheet.counts["orders"]["accepted"] == api.counts["orders"]["accepted"]
    assert sheet.counts["orders"]["rejected"] == 0
    refunded = open_snapshot(sheet.path).sql("select count(*) filter (where refund_fen > 0) from orders").item()
    assert refunded > 0  # refunds came from the 退款金额 column


def _sheet(folder: Path, rows: list[str], header: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    products_csv(folder)
    head = (
        header or "订单号,商品ID,商品数量,商品实付金额（元）,退款金额（元）,订单状态,支付时间,结算时间,成交渠道,买家ID"
    )
    (folder / "orders.csv").write_text("\n".join([head, *rows]) + "\n", encoding="gb18030")
    return folder


def _ingest(tmp_path: Path, rows: list[str], **kw: object) -> tuple:
    result = ingest(_sheet(tmp_path / "in", rows), CUTOFF, tmp_path / "out" / CUTOFF, **kw)  # type: ignore[arg-type]
    return result, open_snapshot(result.path)


def test_statuses_settlement_refunds_and_two_line_orders(tmp_path: Path) -> None:
    rows = [
        f'101,{PRODUCT_ID},2,"1,234.50",0,已完成,2025-11-25 10:00:00,2025-12-01 10:00:00,短视频,oB1',
        f"101,{PRODUCT_ID},1,¥10.5,10.5,已完成,2025-11-25 10:00:00,2025-12-01 10:00:00,短视频,oB1",
        f"102,{PRODUCT_ID},1,20,0,已完成,2025-11-25 10:00:00,2025-12-09 10:00:00,直播,",
        f"103,{PRODUCT_ID},1,30,5,已发货,2025-11-26 10:00:00,,橱窗,oB3",
        f"104,{PRODUCT_ID},1,40,0,已关闭,2025-11-26 10:00:00,,商品分享,oB4",
        f"105,{PRODUCT_ID},1,50,0,待付款,2025-11-26 10:00:00,,其他,oB5",
        f"106,{PRODUCT_ID},1,60,0,已取消,2025-11-26 10:00:00,,,oB6",
    ]
    result, s = _ingest(tmp_path, rows)
    got = s.sql(
        "select order_id, line_no, amount_fen, refund_fen, status, channel, buyer_id from orders order by all"
    ).rows()
    assert got == [
        ("101", 1, 123450, 0, "settled", "short_video", "oB1"),
        ("101", 2, 1050, 1050, "refunded", "short_video", "oB1"),  # refunded in full: never settles
        ("102", 1, 2000, 0, "delivered", "live", None),  # settles after the cutoff
        ("103", 1, 3000, 500, "shipped", "showcase", "oB3"),
        ("104", 1, 4000, 4000, "refunded", "product_share", "oB4"),  # 已关闭: closed after a full refund
    ]
    # A record is an order: 101's two rows are one.
    assert result.counts["orders"] == {"read": 6, "accepted": 4, "rejected": 0, "superseded": 0, "skipped": 2}
    assert result.facts["orders"] == {"orders_without_buyer": 1, "settled_after_cutoff_orders": 1}


def test_a_bad_row_rejects_its_whole_order_with_file_row_and_reason(tmp_path: Path) -> None:
    rows = [
        f"201,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"201,{PRODUCT_ID},1,10.001,0,已发货,2025-11-25 10:00:00,,短视频,oB",  # a tenth of a fen
        f"3.71E+18,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"203,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB",
        f"203,{PRODUCT_ID},1,10,0,已完成,2025-11-25 10:00:00,,短视频,oB",  # rows disagree on the status
        f"204,{PRODUCT_ID},1,10,20,已发货,2025-11-25 10:00:00,,短视频,oB",  # refund above the amount
        f"205,{PRODUCT_ID},1,10,0,退货中,2025-11-25 10:00:00,,短视频,oB",
    ]
    result, s = _ingest(tmp_path, rows)
    assert s.sql("select count(*) from orders").item() == 0
    assert result.counts["orders"] == {"read": 5, "accepted": 0, "rejected": 5, "superseded": 0, "skipped": 0}
    left = pq.read_table(result.path / "_rejected" / "orders.parquet").to_pylist()
    reasons = {r["line"]: r["reason"] for r in left}
    assert "row 3: amount_yuan '10.001' yuan is not a whole number of fen" in reasons[2]
    assert "scientific notation" in reasons[4] and "Excel" in reasons[4]
    assert "differs" in reasons[5]
    assert "more than the paid amount" in reasons[7]
    assert "'退货中' is not an order status" in reasons[8]
    assert all(r["source_file"] == "orders.csv" for r in left)


def test_a_later_file_supersedes_an_order_of_an_earlier_one(tmp_path: Path) -> None:
    folder = _sheet(tmp_path / "in", [f"301,{PRODUCT_ID},1,10,0,已发货,2025-11-25 10:00:00,,短视频,oB"])
    (folder / "orders_2.csv").write_text(
        "订单号,商品ID,商品数量,商品实付金额（元）,订单状态,支付时间,结算时间,成交渠道\n"
        f"301,{PRODUCT_ID},1,10,已完成,2025-11-25 10:00:00,2025-11-30 10:00:00,短视频\n",
        encoding="utf-8",
    )
    result = ingest(folder, CUTOFF, tmp_path / "out" / CUTOFF)
    assert open_snapshot(result.path).sql("select status, buyer_id from orders").rows() == [("settled", None)]
    assert result.counts["orders"]["superseded"] == 1


def test_a_missing_column_names_the_closest_header(tmp_path: Path) -> None:
    folder = _sheet(tmp_path / "in", [], header="订单号,商品ID,商品数量,实付款,订单状态,付款时间")
    with pytest.raises(WorkbenchError, match=r"required column 'paid_at' is missing; closest header found: '付款时间'"):
        ingest(folder, CUTOFF, tmp_path / "out" / CUTOFF)


def test_a_layout_file_maps_headers_and_words_of_ones_own(tmp_path: Path) -> None:
    folder = _sheet(
        tmp_path / "in",
        [f"401,{PRODUCT_ID},1,12.30,交易成功,2025-11-25 10:00:00,2025-11-28 10:00:00,视频号直播"],
        header="订单编号,商品ID,件数,实付款,交易状态,付款时间,结算时间,来源",
    )
    layout = tmp_path / "layout.toml"
    layout.write_text(
        '[orders.columns]\nquantity = "件数"\namount_yuan = "实付款"\nstatus = "交易状态"\npaid_at = "付款时间"\n'
        'channel = "来源"\n[orders.status]\n"交易成功" = "已完成"\n[orders.channel]\n"视频号直播" = "live"\n',
        encoding="utf-8",
    )
    result = ingest(folder, CUTOFF, tmp_path / "out" / CUTOFF, headers=layout)
    assert open_snapshot(result.path).sql("select amount_fen, status, channel from orders").rows() == [
        (1230, "settled", "live")
    ]
    layout.write_text('[orders.columns]\namount = "实付款"\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"\[orders.columns\] 'amount' is not a column"):
        ingest(folder, CUTOFF, tmp_path / "out2" / CUTOFF, headers=layout)


@pytest.mark.parametrize(
    ("value", "fen"),
    [("1,234.50", 123450), ("¥1234.5", 123450), ("￥0.01", 1), (12.3, 1230), (0.1 + 0.2, None), ("12", 1200), (7, 700)],
)
def test_yuan_become_fen_exactly(value: object, fen: int | None) -> None:
    if fen is None:  # 0.30000000000000004 yuan is not a whole number of fen: refused, never rounded
        with pytest.raises(BadValue, match="whole number of fen"):
            yuan_to_fen(value, "amount_yuan")
    else:
        assert yuan_to_fen(value, "amount_yuan") == fen


@pytest.mark.parametrize("value", ["3.71E+18", "3.713475752656E+18", 3.713475752656242e18])
def test_ids_in_scientific_notation_are_refused(value: object) -> None:
    with pytest.raises(BadValue, match="scientific notation"):
        sheet_id(value, "order_id")


@pytest.mark.parametrize("refund", [0, "#N/A"])  # read by calamine, and by openpyxl (an error cell)
def test_a_worksheet_broken_midway_is_one_error_naming_the_file(tmp_path: Path, refund: object) -> None:
    folder = _workbook(tmp_path / "in", ["701", PRODUCT_ID, 1, 10, refund, "已发货", "2025-11-25 10:00:00"])
    book = folder / "orders.xlsx"
    with zipfile.ZipFile(book) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = xml[: xml.index(b"</row>") + 40]  # cut inside the second row
    with zipfile.ZipFile(book, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(WorkbenchError, match=r"orders.xlsx: cannot be opened as an Excel .xlsx workbook"):
        ingest(folder, CUTOFF, tmp_path / "out" / CUTOFF)
