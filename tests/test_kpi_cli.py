"""`workbench kpi`: output formats, defaults, and one clear error line for each kind of bad input.

The command runs in-process through `workbench.cli.main` (the script's
entry point, so WorkbenchError -> `error:` line and exit code is what is
tested), with one subprocess run of the installed script to prove no
traceback reaches the user.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from cli_runs import run_cli
from kpi_world import WORLD
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.formatting import format_share, format_yuan
from workbench.kpi.export import to_csv
from workbench.snapshot.read import connect
from workbench.snapshot.verify import verify

CAMPAIGN_ARGS = ["--start", "2025-11-22", "--end", "2025-12-31"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_snapshot(tmp_path_factory.mktemp("snapshots"), WORLD)


def kpi_cli(capsys: pytest.CaptureFixture[str], snapshot: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "kpi", *args, "--snapshot", str(snapshot))


@pytest.mark.parametrize("name", ["channel_mix", "short_video_share", "category_mix", "newcomer_uptake", "growth_card"])
def test_csv_is_the_kpi_frame(capsys: pytest.CaptureFixture[str], snapshot: Path, name: str) -> None:
    code, out, err = kpi_cli(capsys, snapshot, name, *CAMPAIGN_ARGS, "--format", "csv")
    assert (code, err) == (0, "")
    assert out == to_csv(kpi.run(connect(snapshot), name, date(2025, 11, 22), date(2025, 12, 31)))


def test_csv_text(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, _ = kpi_cli(
        capsys, snapshot, "category_mix", "--start", "2025-12-04", "--end", "2025-12-06", "--format", "csv"
    )
    # 12-04 o13 live beauty refunded; 12-05 o6 short_video food 3,000,000;
    # 12-06 o15 live P_GHOST (not in products: other) 300,000, o14 product_share (not listed).
    assert (code, out) == (
        0,
        "channel,category,settled_gmv_fen,share_within_channel\n"
        "live,beauty,0,0.0\n"
        "live,other,300000,1.0\n"
        "short_video,food,3000000,1.0\n",
    )


def test_json_is_a_list_of_rows(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, _ = kpi_cli(capsys, snapshot, "newcomer_uptake", *CAMPAIGN_ARGS, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"eligible_accounts": 8, "newcomers": 6, "enrolled_newcomers": 5, "selling_newcomers": 4, "uptake_rate": 0.8}
    ]


def test_json_null_share(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, _ = kpi_cli(
        capsys, snapshot, "channel_mix", "--start", "2025-12-04", "--end", "2025-12-04", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == [
        {"channel": "live", "order_lines": 1, "paid_gmv_fen": 600000, "settled_gmv_fen": 0, "settled_share": None}
    ]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "json"])
def test_out_file(capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"growth.{fmt}"
    code, out, err = kpi_cli(capsys, snapshot, "growth_card", *CAMPAIGN_ARGS, "--format", fmt, "--out", str(out_file))
    assert (code, out) == (0, "")
    assert "wrote 5 row(s) of growth_card" in err
    expected = kpi.run(connect(snapshot), "growth_card", date(2025, 11, 22), date(2025, 12, 31))
    readers = {"parquet": pl.read_parquet, "csv": pl.read_csv, "json": pl.read_json}
    assert readers[fmt](out_file).rows() == expected.rows()


def test_table_is_chinese_first_with_yuan_units(
    capsys: pytest.CaptureFixture[str], snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = kpi_cli(capsys, snapshot, "channel_mix", *CAMPAIGN_ARGS, "--format", "table")
    assert code == 0
    assert "渠道结构 Channel mix" in out
    # live paid 990,000 fen = 9,900 yuan; short_video paid 1,227,600,000 fen = 1,227.60万 yuan,
    # settled 1,227,150,000 fen, 99.958% of all settled GMV (one decimal: 100.0%).
    for text in ("支付GMV", "短视频", "直播间", "9,900.00元", "1,227.60万元", "1,227.15万元", "100.0%"):
        assert text in out


def test_table_is_the_default(
    capsys: pytest.CaptureFixture[str], snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = kpi_cli(capsys, snapshot, "growth_card", *CAMPAIGN_ARGS)
    assert code == 0
    # acc06's reward base 1,200,000,000 fen = 12,000,000 yuan = 1,200万 yuan; points 150,000.
    assert "电商成长卡 Growth card" in out and "是" in out and "1,200.00万元" in out and "150,000.00" in out


def test_default_window_is_the_latest_complete_week(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    early = build_snapshot(tmp_path, WORLD, snapshot_date="2025-12-07")
    # cutoff 12-07: weeks 1 (11-22..11-28) and 2 (11-29..12-05) are complete; growth_card takes week 2's end.
    _, default, note = kpi_cli(capsys, early, "growth_card", "--format", "csv")
    _, explicit, _ = kpi_cli(capsys, early, "growth_card", "--end", "2025-12-05", "--format", "csv")
    assert (
        default
        == explicit
        == "account_id,is_newcomer,reward_base_fen,growth_card_points\nacc01,true,20000000,3000.0\nacc03,true,400000,60.0\n"
    )
    assert note.startswith("note: no window given: week 2 (2025-11-29 to 2025-12-05)")


def test_snapshot_by_date_and_latest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    build_snapshot(home / "data" / "snapshots", WORLD)
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    by_date = run_cli(capsys, "kpi", "short_video_share", *CAMPAIGN_ARGS, "--format", "csv", "--snapshot", "2026-01-10")
    latest = run_cli(capsys, "kpi", "short_video_share", *CAMPAIGN_ARGS, "--format", "csv")
    assert by_date == latest
    assert by_date[1].splitlines()[1].startswith("1227150000,390000,1227660000,")


def test_empty_window_is_a_valid_answer(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, err = kpi_cli(
        capsys, snapshot, "short_video_share", "--start", "2025-11-01", "--end", "2025-11-10", "--format", "csv"
    )
    assert code == 0
    assert out.splitlines()[1] == "0,0,0,,"
    assert err.startswith("note: no order lines were paid on 2025-11-01..2025-11-10")
    code, out, _ = kpi_cli(
        capsys, snapshot, "channel_mix", "--start", "2025-11-01", "--end", "2025-11-10", "--format", "csv"
    )
    assert (code, out) == (0, "channel,order_lines,paid_gmv_fen,settled_gmv_fen,settled_share\n")


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_list_prints_the_metric_dictionary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run_cli(capsys, "kpi", "--list", "--format", fmt, *(["--verbose"] if fmt == "table" else []))
    assert code == 0
    for text in ("growth_card", "电商成长卡", "newcomer_uptake", "contract", "share_within_channel"):
        assert text in out


def test_list_json_has_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "kpi", "--list", "--format", "json")
    entry = next(e for e in json.loads(out) if e["name"] == "channel_mix")
    assert entry["title_zh"] == "渠道结构" and entry["kind"] == "contract" and entry["params"] == "start, end"
    assert entry["columns"] == "channel, order_lines, paid_gmv_fen, settled_gmv_fen, settled_share"
    assert entry["description"].startswith("Order lines, paid GMV")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chanel_mix"], "error: unknown KPI 'chanel_mix'; did you mean channel_mix"),
        (
            ["channel_mix", "--start", "2025-11-31", "--end", "2025-12-01"],
            "error: --start '2025-11-31' is not a date; write it as YYYY-MM-DD",
        ),
        (["channel_mix", "--start", "2025-12-01", "--end", "12/31"], "error: --end '12/31' is not a date"),
        (
            ["channel_mix", "--start", "2025-12-10", "--end", "2025-12-01"],
            "error: --end 2025-12-01 is before --start 2025-12-10",
        ),
        (["channel_mix", "--format", "xls"], "error: --format 'xls' is not one of csv, table, json, parquet, xlsx"),
        (["channel_mix", "--format", "xlsx"], "error: --format xlsx writes a workbook: give a file with --out"),
        (["channel_mix", "--format", "parquet"], "error: --format parquet writes binary data: give a file with --out"),
        ([], "error: name a KPI"),
    ],
)
def test_bad_input(capsys: pytest.CaptureFixture[str], snapshot: Path, args: list[str], message: str) -> None:
    code, out, err = kpi_cli(capsys, snapshot, *args)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_list_rejects_a_kpi_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "kpi", "--list", "--format", "csv")
    assert code == 2 and err.startswith("error: --list takes --format table, markdown, json")


def test_missing_snapshot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "kpi", "channel_mix", "--snapshot", str(tmp_path / "2025-12-07"))
    assert code == 2 and err.startswith("error: snapshot ") and "not found" in err


def test_truncated_file(capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path) -> None:
    damaged = build_snapshot(tmp_path, WORLD)
    part = next((damaged / "accounts").glob("*.parquet"))
    part.write_bytes(part.read_bytes()[:100])
    code, _, err = run_cli(capsys, "kpi", "channel_mix", "--snapshot", str(damaged))
    assert code == 2
    assert err.startswith(f"error: snapshot {damaged} changed after it was verified: accounts/part-")
    assert "--fix-stamp" in err and err.count("\n") == 1


def test_missing_table_folder(capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path) -> None:
    damaged = build_snapshot(tmp_path, WORLD)
    (damaged / "videos").rename(tmp_path / "videos-moved")
    code, _, err = run_cli(capsys, "kpi", "channel_mix", "--snapshot", str(damaged))
    assert code == 2 and f"{damaged}: table folder videos/ is missing" in err and err.count("\n") == 1


def test_wrong_column_type(capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path) -> None:
    damaged = build_snapshot(tmp_path, WORLD)
    part = next((damaged / "products").glob("*.parquet"))
    pl.read_parquet(part).with_columns(pl.col("price_fen").cast(pl.String)).write_parquet(part)
    code, _, err = run_cli(capsys, "kpi", "category_mix", "--snapshot", str(damaged))
    assert code == 2 and "changed after it was verified: products/part-00000.parquet" in err


def test_quick_verify_skips_checksums(snapshot: Path, tmp_path: Path) -> None:
    # Same size, different bytes: only the checksum can tell, and quick mode does not compute it.
    damaged = build_snapshot(tmp_path, WORLD)
    part = next((damaged / "accounts").glob("*.parquet"))
    data = bytearray(part.read_bytes())
    data[10] ^= 0xFF
    part.write_bytes(bytes(data))
    assert verify(damaged, quick=True) == []
    assert any("sha256 differs" in str(p) for p in verify(damaged))


def test_installed_script_prints_no_traceback(snapshot: Path) -> None:
    script = Path(sys.executable).parent / "workbench"
    result = subprocess.run(
        [str(script), "kpi", "growth_crad", "--snapshot", str(snapshot)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown KPI 'growth_crad'; did you mean growth_card")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("fen", "lang", "text"),
    [
        (123_456_789_012, "zh", "12.35亿元"),
        (10_000_000_000, "zh", "1.00亿元"),
        (9_999_999_999, "zh", "1.00亿元"),  # 99,999,999.99 yuan rounds up to the next unit
        (9_999_999_500, "zh", "1.00亿元"),  # 99,999,995 yuan: 9,999.9995万 would round up
        (9_999_994_000, "zh", "9,999.99万元"),
        (999_999, "zh", "9,999.99元"),
        (1_000_000, "zh", "1.00万元"),
        (999_950, "zh", "9,999.50元"),
        (-2_500_000, "zh", "-2.50万元"),
        (0, "zh", "0.00元"),
        (None, "zh", "—"),
        (123_456_789_012, "en", "¥1.23B"),
        (250_000_000, "en", "¥2.50M"),
        (1_234_500, "en", "¥12.35K"),
        (99_999, "en", "¥999.99"),
    ],
)
def test_format_yuan(fen: int | None, lang: str, text: str) -> None:
    assert format_yuan(fen, lang) == text


def test_format_share() -> None:
    assert (format_share(0.8), format_share(1.0), format_share(0.00009774), format_share(None)) == (
        "80.0%",
        "100.0%",
        "0.0%",
        "—",
    )


def _rewrite_as_another_tool(snapshot: Path) -> None:
    """Rewrite every table file the way pandas-style tools do (int64 everywhere,
    nanosecond timestamps), and the manifest's sizes and checksums to match.

    The snapshot then no longer matches its verification stamp, as after any
    deliberate rewrite, until `workbench snapshot verify --fix-stamp` checks it."""
    from workbench.snapshot.write import sha256_of

    manifest_path = snapshot / "_manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for entry in manifest["tables"].values():
        for info in entry["files"]:
            part = snapshot / info["path"]
            frame = pl.read_parquet(part, hive_partitioning=False)
            frame.with_columns(
                pl.col(pl.Int32).cast(pl.Int64),
                pl.col(pl.Datetime).dt.cast_time_unit("ns"),
            ).write_parquet(part)
            info["bytes"], info["sha256"] = part.stat().st_size, sha256_of(part)
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("name", ["channel_mix", "short_video_share", "category_mix", "newcomer_uptake", "growth_card"])
def test_foreign_but_readable_types_give_the_same_csv(
    capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, name: str
) -> None:
    foreign = build_snapshot(tmp_path, WORLD)
    _rewrite_as_another_tool(foreign)
    assert kpi_cli(capsys, foreign, name, *CAMPAIGN_ARGS, "--format", "csv")[0] == 2
    code, out, _ = run_cli(capsys, "snapshot", "verify", str(foreign), "--fix-stamp")
    assert code == 0 and "column line_no is int64" in out and "stamp recorded" in out
    expected = kpi_cli(capsys, snapshot, name, *CAMPAIGN_ARGS, "--format", "csv")
    assert kpi_cli(capsys, foreign, name, *CAMPAIGN_ARGS, "--format", "csv") == expected


def test_full_verify_still_insists_on_the_contract_types(tmp_path: Path) -> None:
    foreign = build_snapshot(tmp_path, WORLD)
    _rewrite_as_another_tool(foreign)
    assert verify(foreign, quick=True) == []
    found = [p for p in verify(foreign) if str(p).endswith("column line_no is int64, contract says INTEGER (int32)")]
    assert found and not any(p.blocking for p in found)  # reported, but the readers' cast makes it harmless
