"""The display form of KPI frames (great_tables) and the Excel export, on hand-made frames and a small world."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

import workbench as wb
from workbench import kpi, text
from workbench.cli import app
from workbench.errors import WorkbenchError
from workbench.simulate import simulate
from workbench.tables import Sheet, Source, display, workbook
from workbench.tables.columns import kind

FRAME = pl.DataFrame(
    {
        "channel": ["short_video", "live", None],
        "order_lines": [3, 123_456, 0],
        "paid_gmv_fen": [123_456, 456_000_000, None],
        "settled_share": [0.1234, None, 0.5],
        "share_change_pp": [1.234, -0.5, None],
        "is_newcomer": [True, False, None],
    }
)
SOURCE = Source(date(2025, 12, 21), "2025-12-21T23:59:59+08:00", "synthetic:seed=7", "data/snapshots/2025-12-21")


def _cells(html: str, tag: str, css: str = "") -> list[str]:
    """The text of every `tag` element whose class names `css` (great_tables: gt_col_heading, gt_row)."""
    found = re.findall(rf'<{tag} [^>]*class="[^"]*{css}[^"]*"[^>]*>(.*?)</{tag}>', html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def test_columns_read_by_kind() -> None:
    assert kind("paid_gmv_fen", pl.Int64) == "money"
    assert kind("paid_gmv_fen_per_mille", pl.Float64) == "money"
    assert kind("share_change_pp", pl.Float64) == "pp"  # a pp column is not a share, though it says share
    assert kind("settled_share", pl.Float64) == kind("uptake_rate", pl.Float64) == kind("ctr", pl.Float64) == "share"
    assert kind("order_lines", pl.Int64) == "count"
    assert kind("channel", pl.String) == "label"


def test_display_formats_every_cell_through_the_ladder_and_catalogue() -> None:
    html = display(FRAME, title="渠道结构", subtitle="2025-11-22..2025-11-28").as_raw_html()
    assert _cells(html, "th", "gt_col_heading") == [
        "渠道",
        "订单行数",
        "支付GMV",
        "结算占比",
        "占比变化（百分点）",
        "新手",
    ]
    assert _cells(html, "td", "gt_row") == [
        *["短视频", "3", "1,234.56元", "12.3%", "+1.2个百分点", "是"],
        *["直播间", "12.35万", "456.00万元", "—", "-0.5个百分点", "否"],
        *["—", "0", "—", "50.0%", "—", "—"],
    ]
    assert "渠道结构" in html and "2025-11-22..2025-11-28" in html


def test_display_in_english_and_the_frame_keeps_its_fen() -> None:
    html = display(FRAME, lang="en").as_raw_html()
    assert _cells(html, "td", "gt_row")[:3] == ["Short video", "3", "¥1.23K"]
    assert FRAME["paid_gmv_fen"].to_list() == [123_456, 456_000_000, None]


def test_every_kpi_column_has_a_chinese_title() -> None:
    columns = {c for k in kpi.registry().values() for c in k.columns}
    assert [c for c in sorted(columns) if not text.has(f"column.{c}")] == []


def test_workbook_sheets_headers_values_and_formats() -> None:
    sheets = [
        Sheet(
            "channel_mix", "channel_mix", "渠道结构", "Channel mix", FRAME, {"start": "2025-11-22", "end": "2025-11-28"}
        ),
        Sheet("top", "top_videos", "热销短视频", "Top videos", FRAME.head(1), {"end": "2025-11-28", "limit": 5}),
    ]
    book = openpyxl.load_workbook(io.BytesIO(workbook(sheets, SOURCE)))
    assert book.sheetnames == ["channel_mix", "top", "说明"]
    sheet = book["channel_mix"]
    assert [c.value for c in sheet[1]] == [
        "渠道",
        "订单行数",
        "支付GMV（元）",
        "结算占比",
        "占比变化（百分点）",
        "新手",
    ]
    assert sheet.freeze_panes == "A2"
    money, share, count = sheet["C2"], sheet["D2"], sheet["B3"]
    assert (money.value, money.number_format) == (1234.56, "#,##0.00")
    assert (share.value, share.number_format) == (0.1234, "0.0%")
    assert (count.value, count.number_format) == (123_456, "#,##0")
    assert sheet["C3"].value == 4_560_000 and sheet["A3"].value == "直播间"
    about = [[c.value for c in row] for row in book["说明"].iter_rows()]
    assert about[0] == ["快照日期", "2025-12-21", None, None, None, None]
    assert about[1][:2] == ["数据截止", "2025-12-21T23:59:59+08:00"]
    assert ["channel_mix", "channel_mix", "渠道结构 Channel mix", "2025-11-22", "2025-11-28", "无"] in about
    assert ["top", "top_videos", "热销短视频 Top videos", "", "2025-11-28", "limit=5"] in about


def test_workbook_refuses_bad_or_repeated_sheet_names() -> None:
    with pytest.raises(WorkbenchError, match="cannot name an Excel sheet"):
        workbook([Sheet("a/b", "x", "x", "x", FRAME)], SOURCE)
    with pytest.raises(WorkbenchError, match="two sheets"):
        workbook([Sheet("a", "x", "x", "x", FRAME), Sheet("a", "x", "x", "x", FRAME)], SOURCE)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(seed=7, scale=30_000, cutoff=date(2025, 12, 21), out=tmp_path_factory.mktemp("w") / "2025-12-21")


@pytest.mark.slow
def test_to_excel_writes_the_kpis_values_exactly(world: Path, tmp_path: Path) -> None:
    s = wb.open(world)
    try:
        out = s.to_excel(
            tmp_path / "w1.xlsx",
            "channel_mix",
            {"top_videos": {"limit": 3}, "settled_at_age": {"age": 2}},
            start="2025-11-22",
            end="2025-11-28",
        )
        mix = s.kpi("channel_mix", "2025-11-22", "2025-11-28")
    finally:
        s.close()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["channel_mix", "top_videos", "settled_at_age", "说明"]
    sheet = book["channel_mix"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == [fen / 100 for fen in mix["settled_gmv_fen"]]
    assert [round(r[3] * 100) for r in rows] == mix["settled_gmv_fen"].to_list()  # yuan back to the exact fen
    assert rows[mix["channel"].to_list().index("short_video")][0] == "短视频"
    assert book["top_videos"].max_row == 4
    about = list(book["说明"].iter_rows(values_only=True))
    assert about[-1][:2] == ("settled_at_age", "settled_at_age") and about[-1][3:] == (
        "2025-11-22",
        "2025-11-28",
        "age=2",
    )


@pytest.mark.slow
def test_cli_writes_xlsx_and_needs_out(world: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "mix.xlsx"
    args = ["kpi", "category_mix", "--snapshot", str(world), "--start", "2025-11-22", "--end", "2025-11-28"]
    result = runner.invoke(app, [*args, "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["category_mix", "说明"]
    assert [c.value for c in book["category_mix"][1]] == ["渠道", "品类", "结算GMV（元）", "渠道内占比"]
    refused = runner.invoke(app, [*args, "--format", "xlsx"])
    assert isinstance(refused.exception, WorkbenchError) and "--out FILE.xlsx" in str(refused.exception)
    assert not list(tmp_path.glob(".*tmp*")), "the workbook is written through a temporary file and one rename"


@pytest.mark.slow
def test_show_is_the_kpi_in_the_analysts_units(world: Path) -> None:
    s = wb.open(world)
    try:
        html = s.show("settlement_progress", start="2025-11-22", end="2025-11-28").as_raw_html()
        frame = s.kpi("settlement_progress", start="2025-11-22", end="2025-11-28")
    finally:
        s.close()
    assert "结算进度" in html and "2025-11-22..2025-11-28" in html
    from workbench.formatting import format_yuan

    assert format_yuan(frame["paid_gmv_fen"].item()) in _cells(html, "td", "gt_row")


@pytest.mark.slow
def test_settled_at_age_is_channel_mix_once_every_line_could_have_settled(world: Path) -> None:
    s = wb.open(world)
    try:
        week = {"start": "2025-11-29", "end": "2025-12-05"}
        at_zero, late = s.kpi("settled_at_age", **week, age=0), s.kpi("settled_at_age", **week, age=400)
        mix = s.kpi("channel_mix", **week)
    finally:
        s.close()
    assert late.equals(mix)
    assert at_zero["paid_gmv_fen"].equals(mix["paid_gmv_fen"])
    assert (at_zero["settled_gmv_fen"] <= mix["settled_gmv_fen"]).all()
    assert at_zero["settled_gmv_fen"].sum() < mix["settled_gmv_fen"].sum()
