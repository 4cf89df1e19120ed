"""Restatement tracking: a week's KPIs across snapshots of one world."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from snapshot_builder import build_snapshot
from typer.testing import CliRunner

from workbench.cli import app
from workbench.insights.restatement import HEADLINE, restatement
from workbench.kpi.export import to_csv
from workbench.kpi.opened import open_snapshot
from workbench.report.methods import restatement_section, restatement_sentence
from workbench.simulate import simulate


def _line(
    order_id: str, channel: str, amount: int, paid_at: str, status: str, settled_at: str | None = None, refund: int = 0
) -> dict[str, object]:
    return {
        "order_id": order_id,
        "line_no": 1,
        "shop_id": "s1",
        "product_id": "p1",
        "account_id": "a1",
        "channel": channel,
        "content_id": None,
        "buyer_id": "b1",
        "quantity": 1,
        "amount_fen": amount,
        "refund_fen": refund,
        "status": status,
        "paid_at": paid_at,
        "settled_at": settled_at,
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Three snapshots of one world; week 2 is 2025-11-29..12-05."""
    early = [
        _line("1", "short_video", 10_000, "2025-11-30T10:00:00+08:00", "shipped"),
        _line("2", "short_video", 2_000, "2025-11-29T00:10:00+08:00", "settled", "2025-12-06T09:00:00+08:00"),
        _line("3", "live", 5_000, "2025-12-05T23:50:00+08:00", "delivered"),
    ]
    late = [
        _line(
            "1",
            "short_video",
            10_000,
            "2025-11-30T10:00:00+08:00",
            "settled",
            "2025-12-12T09:00:00+08:00",
            refund=1_000,
        ),
        early[1],
        _line("3", "live", 5_000, "2025-12-05T23:50:00+08:00", "refunded", refund=5_000),
        _line("4", "short_video", 7_000, "2025-12-06T00:00:00+08:00", "settled", "2025-12-20T09:00:00+08:00"),
    ]
    build_snapshot(tmp_path, {"orders": []}, snapshot_date="2025-11-25")
    build_snapshot(tmp_path, {"orders": early}, snapshot_date="2025-12-07")
    build_snapshot(tmp_path, {"orders": late}, snapshot_date="2026-01-10")
    return tmp_path


def _metric(frame: pl.DataFrame, metric: str) -> list[tuple[object, ...]]:
    return (
        frame.filter(pl.col("metric") == metric)
        .select("snapshot_date", "value", "first_value", "change_abs", "change_rel")
        .rows()
    )


def test_week_values_across_snapshots(root: Path) -> None:
    frame = restatement(2, root)
    assert frame.columns == ["snapshot_date", "metric", "value", "first_value", "change_abs", "change_rel"]
    # The snapshot cut before the week began is not listed.
    assert sorted(set(frame["snapshot_date"].to_list())) == [date(2025, 12, 7), date(2026, 1, 10)]
    assert _metric(frame, "short_video_share.short_video_settled_gmv_fen") == [
        (date(2025, 12, 7), 2_000.0, 2_000.0, 0.0, 0.0),
        (date(2026, 1, 10), 11_000.0, 2_000.0, 9_000.0, 4.5),
    ]
    assert _metric(frame, "channel_mix.short_video.paid_gmv_fen") == [
        (date(2025, 12, 7), 12_000.0, 12_000.0, 0.0, 0.0),
        (date(2026, 1, 10), 12_000.0, 12_000.0, 0.0, 0.0),
    ]
    # Nothing of live settled at first: a relative change from 0 is empty.
    assert _metric(frame, "short_video_share.live_settled_gmv_fen")[1] == (date(2026, 1, 10), 0.0, 0.0, 0.0, None)


def test_sentence(root: Path) -> None:
    frame = restatement(2, root)
    assert (
        restatement_sentence(frame, "en")
        == "first reported ¥20.00 on 2025-12-07, now ¥110.00 (as of 2026-01-10), +450.0%"
    )
    assert restatement_sentence(frame, "zh") == "2025-12-07 首次报告 20.00元，截至 2026-01-10 为 110.00元，+450.0%"


def test_single_snapshot_gives_no_sentence(root: Path) -> None:
    frame = restatement(2, root).filter(pl.col("snapshot_date") == pl.col("snapshot_date").min())
    assert restatement_sentence(frame, "en") is None


def test_no_snapshot_since_the_week_began(tmp_path: Path) -> None:
    assert restatement(3, tmp_path).height == 0


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated world (100k lines) snapshotted at 2025-12-07 and 2026-01-10."""
    root = tmp_path_factory.mktemp("restatement_world")
    for cutoff in (date(2025, 12, 7), date(2026, 1, 10)):
        simulate(7, 100_000, cutoff, root / cutoff.isoformat())
    return root


def test_generated_week_settles_after_first_report(world: Path) -> None:
    frame = restatement(2, world)
    early = open_snapshot(world / "2025-12-07").kpi("short_video_share", date(2025, 11, 29), date(2025, 12, 5))
    video = frame.filter(pl.col("metric") == "short_video_share.short_video_settled_gmv_fen").sort("snapshot_date")
    assert video["snapshot_date"].to_list() == [date(2025, 12, 7), date(2026, 1, 10)]
    # The first reported value is exactly what the early snapshot's KPI said.
    assert video["first_value"].to_list() == [float(early["short_video_settled_gmv_fen"][0])] * 2
    assert video["value"][1] > video["value"][0]
    # Paid GMV of a complete week never changes: amounts and paid_at are fixed once paid.
    paid = frame.filter(pl.col("metric").str.ends_with(".paid_gmv_fen"))
    assert paid.height == 12
    assert paid["change_abs"].to_list() == [0.0] * 12


def test_cli_prints_the_frame_and_the_sentence(root: Path) -> None:
    result = CliRunner().invoke(app, ["restatement", "--week", "2", "--root", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    frame = restatement(2, root)
    assert result.output == to_csv(frame) + restatement_sentence(frame, "en") + "\n"


def test_report_section_has_a_chart(root: Path) -> None:
    frame, chart, sentence = restatement_section(2, "zh", root)
    assert sentence == restatement_sentence(frame, "zh")
    assert chart is not None
    spec = chart.to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar"  # one bar per snapshot, the first one grey
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == frame.filter(metric=HEADLINE).height


def test_as_of_leaves_out_later_snapshots(root: Path) -> None:
    frame = restatement(2, root, as_of=date(2025, 12, 31))
    assert sorted(set(frame["snapshot_date"].to_list())) == [date(2025, 12, 7)]
