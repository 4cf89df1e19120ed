"""`workbench ingest` on hand-written exports in the API's own shapes."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from ingest_samples import CUTOFF, FIXTURES, order, products_csv, shops_xlsx
from typer.testing import CliRunner

from workbench.cli import app
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.kpi.opened import open_snapshot
from workbench.snapshot.verify import verify


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("src") / "exports"
    shutil.copytree(FIXTURES, folder)
    shops_xlsx(folder)
    return folder


@pytest.fixture(scope="module")
def snapshot(exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest(exports, CUTOFF, tmp_path_factory.mktemp("out") / CUTOFF).path


def _lines(path: Path) -> dict[tuple[str, int], dict]:
    rows = open_snapshot(path).sql("select * exclude (paid_date, partition_date) from orders").to_dicts()
    return {(r["order_id"], r["line_no"]): r for r in rows}


def test_snapshot_passes_verify(snapshot: Path) -> None:
    assert verify(snapshot) == []


def test_manifest_counts_every_record(snapshot: Path) -> None:
    manifest = json.loads((snapshot / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == "ingest:exports"
    assert manifest["cutoff"] == "2025-12-07T23:59:59+08:00"
    assert manifest["ingest"]["orders"] == {"read": 10, "accepted": 7, "rejected": 1, "superseded": 1, "skipped": 1}
    assert manifest["ingest"]["aftersales"] == {"read": 3, "accepted": 2, "rejected": 0, "superseded": 0, "skipped": 1}
    assert manifest["ingest"]["accounts"] == {"read": 3, "accepted": 3, "rejected": 0, "superseded": 0, "skipped": 0}
    assert manifest["ingest"]["shops"]["accepted"] == 2
    assert manifest["ingest_facts"] == {"orders": {"amount_from_sale_price_lines": 1, "unattributed_lines": 1}}
    assert manifest["ingest_ignored_files"] == [
        {"file": "README.txt", "reason": "name starts with no known table prefix"}
    ]
    assert manifest["tables"]["orders"]["rows"] == 8


def test_big_numeric_order_id_kept_exactly(snapshot: Path) -> None:
    line = _lines(snapshot)[("3713475752656242688", 1)]
    assert line["channel"] == "live"
    assert line["content_id"] == "export/UzFfAgtgekIEAQAAAAAAb4MNHs8AAAAAAAAAAAAAAAA"
    assert line["account_id"] == "sphLiveHost0001"
    assert line["status"] == "shipped"
    assert line["paid_at"] == datetime(2025, 11, 26, 12, 30, tzinfo=UTC)  # pay_time given as a string


def test_settled_order_with_partial_refund(snapshot: Path) -> None:
    lines = _lines(snapshot)
    first, second = lines[("3713475752656242001", 1)], lines[("3713475752656242001", 2)]
    assert (first["product_id"], first["quantity"], first["amount_fen"], first["refund_fen"]) == (
        "10000043902725",
        2,
        3980,
        0,
    )
    assert (second["product_id"], second["amount_fen"], second["refund_fen"]) == ("10000043902726", 4500, 1500)
    assert first["status"] == second["status"] == "settled"
    assert first["settled_at"] == datetime(2025, 12, 3, 4, 0, tzinfo=UTC)
    assert first["shop_id"] == "shop_wx_s1"  # from products.csv by product_id
    assert first["buyer_id"] == "oBuyer_001"


def test_share_scene_fallback_and_sale_price(snapshot: Path) -> None:
    line = _lines(snapshot)[("3713475752656242003", 1)]
    assert (line["channel"], line["amount_fen"], line["account_id"], line["status"]) == (
        "short_video",
        5970,
        None,
        "shipped",
    )


def test_no_scene_is_other(snapshot: Path) -> None:
    line = _lines(snapshot)[("3713475752656242004", 1)]
    assert (line["channel"], line["status"], line["refund_fen"]) == ("other", "paid", 0)


def test_later_update_time_wins_and_source_infos_give_account(snapshot: Path) -> None:
    line = _lines(snapshot)[("3713475752656242005", 1)]
    assert (line["status"], line["account_id"]) == ("settled", "sphOtherPromoter")


def test_fully_refunded_order(snapshot: Path) -> None:
    line = _lines(snapshot)[("3713475752656242007", 1)]
    assert (line["status"], line["amount_fen"], line["refund_fen"], line["channel"]) == (
        "refunded",
        1990,
        1990,
        "product_share",
    )


def test_unpaid_order_not_imported(snapshot: Path) -> None:
    assert ("3713475752656242006", 1) not in _lines(snapshot)


def test_channel_mix_of_ingested_exports(snapshot: Path) -> None:
    mix = open_snapshot(snapshot).kpi("channel_mix", start="2025-11-22", end="2025-12-07")
    assert mix.select("channel", "order_lines", "paid_gmv_fen", "settled_gmv_fen").rows() == [
        ("live", 1, 89900, 0),
        ("other", 1, 5000, 0),
        ("product_share", 1, 1990, 0),
        ("short_video", 4, 3980 + 4500 + 5970 + 1890, 3980 + 3000 + 1890),
        ("showcase", 1, 95000, 0),
    ]


def test_chinese_headers_in_gb18030_bom_and_xlsx(snapshot: Path) -> None:
    s = open_snapshot(snapshot)
    accounts = s.sql(
        "select account_id, account_name, shop_id, is_self_operated, effective_fans, created_at from accounts order by account_id"
    ).rows()
    assert accounts[0] == (
        "sph3FZbOEY46mAB",
        "山野咖啡研究所",
        None,
        False,
        12000,
        datetime(2024, 5, 1, 2, 0, tzinfo=UTC),
    )
    assert accounts[1][:4] == ("sphLiveHost0001", "小店自营直播间", "shop_wx_s1", True)
    assert s.sql("select product_id, category, title from products order by product_id").rows()[1] == (
        "10000043902726",
        "beauty",
        "保湿面霜 50ml",
    )
    assert s.sql("select shop_id, main_category, opened_at from shops order by shop_id").rows() == [
        ("shop_wx_s1", "food", datetime(2023, 3, 1, 1, 0, tzinfo=UTC)),
        ("shop_wx_s2", "digital", datetime(2024, 6, 18, 2, 0, tzinfo=UTC)),
    ]
    assert s.sql("select tab, impressions, boosted_impressions from video_traffic order by tab").rows() == [
        ("follow", 800, 0),
        ("recommend", 12000, 3000),
    ]


def test_left_out_records_are_kept_with_reason(snapshot: Path) -> None:
    rows = pq.read_table(snapshot / "_rejected" / "orders.parquet").to_pylist()
    assert [(r["outcome"], r["source_file"], r["line"], r["item"]) for r in rows] == [
        ("rejected", "orders_page2.json", 21, 2),
        ("superseded", "orders_2025-12.jsonl", 6, None),
        ("skipped", "orders_2025-12.jsonl", 7, None),
    ]
    assert rows[0]["reason"].startswith("API call failed: errcode 40001")
    assert json.loads(rows[0]["raw"])["errcode"] == 40001
    assert json.loads(rows[1]["raw"])["update_time"] == 1764554400
    assert not (snapshot / "_rejected" / "accounts.parquet").exists()


def test_cli_prints_summary(exports: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(exports), "--cutoff", CUTOFF, "--out", str(tmp_path / CUTOFF)])
    assert result.exit_code == 0, result.output
    assert "orders" in result.output and "unattributed_lines" in result.output
    assert "ignored README.txt" in result.output
    assert verify(tmp_path / CUTOFF) == []


def test_missing_required_column_names_closest_header(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text(
        "视频号ID,视频号名称,是否店铺自营账号,有效粉丝,是否开通短视频带货,是否绑定公众号,创建时间\n", encoding="utf-8"
    )
    with pytest.raises(
        WorkbenchError,
        match=r"accounts.csv: required column 'effective_fans' is missing; closest header found: '有效粉丝'",
    ):
        ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    assert not (tmp_path / "out" / CUTOFF).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orders.json", b'[{"order_id": 1,\n', "orders.json: not one JSON document"),
        ("shops.xlsx", b"not a zip file", "cannot be opened as an Excel .xlsx workbook"),
    ],
)
def test_unreadable_file_stops_the_run(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(WorkbenchError, match=message):
        ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)


def test_cli_error_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "nope"), "--cutoff", CUTOFF, "--out", str(tmp_path / CUTOFF)]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, WorkbenchError)
    assert "does not exist" in str(result.exception)


def test_out_must_be_named_after_cutoff(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="must be a folder named after the cutoff date"):
        ingest(tmp_path, CUTOFF, tmp_path / "snap")


def test_missing_tables_are_written_empty(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    path = ingest(tmp_path / "src", CUTOFF, tmp_path / CUTOFF).path
    assert verify(path) == []
    assert open_snapshot(path).sql("select count(*) as n from orders").item() == 0


def test_json_lines_split_only_at_newlines(tmp_path: Path) -> None:
    products_csv(tmp_path)
    record = order()
    record["order_detail"]["product_infos"][0]["title"] = "咖啡\u2028礼盒\x85装"
    (tmp_path / "orders.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = ingest(tmp_path, CUTOFF, tmp_path / "out" / CUTOFF)
    assert result.counts["orders"] == {"read": 1, "accepted": 1, "rejected": 0, "superseded": 0, "skipped": 0}


def test_an_order_without_openid_is_accepted_with_a_null_buyer(tmp_path: Path) -> None:
    """The contract allows a null buyer_id (sanitised exports strip openid) and no KPI needs it."""
    source = tmp_path / "exports"
    source.mkdir()
    record = order()
    del record["openid"]
    (source / "orders.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    products_csv(source)
    result = ingest(source, CUTOFF, tmp_path / "out" / CUTOFF)
    assert result.counts["orders"]["accepted"] == 1
    assert [line["buyer_id"] for line in _lines(result.path).values()] == [None]
    assert verify(result.path) == []
    assert open_snapshot(result.path).kpi("channel_mix", "2025-11-22", "2025-12-07")["order_lines"].sum() == 1
