"""Nowcast of settled GMV: the chain-ladder arithmetic by hand, then a backtest on a generated world."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from snapshot_builder import build_snapshot
from typer.testing import CliRunner

from workbench.charts import nowcast_chart
from workbench.cli import app
from workbench.errors import WorkbenchError
from workbench.insights.nowcast import NowcastSettings, nowcast
from workbench.kpi.opened import OpenedSnapshot, open_snapshot
from workbench.simulate import simulate


def _line(
    order_id: str, channel: str, amount: int, paid: str, status: str, settled: str | None = None, refund: int = 0
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
        "paid_at": f"{paid}T12:00:00+08:00",
        "settled_at": f"{settled}T12:00:00+08:00" if settled else None,
    }


# mature_days=3, learn_days=2 at cutoff 2025-12-07: factors are learnt from lines paid 12-03..12-04.
SMALL = NowcastSettings(mature_days=3, learn_days=2, min_lines=2, reps=50)


@pytest.fixture
def snap(tmp_path: Path) -> OpenedSnapshot:
    orders = [
        # Mature short-video lines: unsettled at ages 0 and 1 are all three, 6000 paid,
        # finally 1000 + 0 (refunded) + 1500 (settled less a 500 refund) = 2500.
        _line("1", "short_video", 1_000, "2025-12-03", "settled", "2025-12-05"),
        _line("2", "short_video", 3_000, "2025-12-04", "refunded", refund=3_000),
        _line("3", "short_video", 2_000, "2025-12-04", "settled", "2025-12-07", refund=500),
        # A mature live line, settled at age 1: the only live line, too few for a live factor.
        _line("4", "live", 4_000, "2025-12-03", "settled", "2025-12-04"),
        # The window 12-06..12-07.
        _line("5", "short_video", 4_000, "2025-12-06", "shipped"),
        _line("6", "short_video", 600, "2025-12-07", "paid"),
        _line("7", "short_video", 800, "2025-12-06", "settled", "2025-12-07"),
        _line("8", "live", 1_000, "2025-12-06", "delivered"),
    ]
    products = [{"product_id": "p1", "shop_id": "s1", "title": "t", "category": "food", "price_fen": 100}]
    return open_snapshot(build_snapshot(tmp_path, {"orders": orders, "products": products}, snapshot_date="2025-12-07"))


def test_chain_ladder_by_hand(snap: OpenedSnapshot) -> None:
    frame = nowcast(snap, date(2025, 12, 6), date(2025, 12, 7), SMALL)
    assert frame.columns == [
        "channel",
        "settled_so_far_fen",
        "unsettled_paid_fen",
        "nowcast_settled_fen",
        "low_fen",
        "high_fen",
        "backtest_rmse",
        "backtests",
    ]
    # Replays 7 to 28 days back find no lines: no backtest error, the model interval alone.
    assert frame["backtests"].to_list() == [0, 0]
    rows = {r["channel"]: r for r in frame.to_dicts()}
    # short video: 800 settled + (4000 + 600) * 2500 / 6000
    assert (
        rows["short_video"]["settled_so_far_fen"],
        rows["short_video"]["unsettled_paid_fen"],
        rows["short_video"]["nowcast_settled_fen"],
    ) == (800, 4_600, 2_717)
    # live, age 1: no live line was unsettled at age 1, so the factor pools all channels: 1000 * 2500 / 6000
    assert (rows["live"]["settled_so_far_fen"], rows["live"]["nowcast_settled_fen"]) == (0, 417)
    for row in rows.values():
        assert row["settled_so_far_fen"] <= row["low_fen"] <= row["nowcast_settled_fen"] <= row["high_fen"]
        assert row["high_fen"] <= row["settled_so_far_fen"] + row["unsettled_paid_fen"]


def test_too_little_history_is_an_error(snap: OpenedSnapshot) -> None:
    with pytest.raises(WorkbenchError, match="fewer than 10 mature lines"):
        nowcast(snap, date(2025, 12, 6), date(2025, 12, 7), NowcastSettings(mature_days=3, learn_days=2, min_lines=10))


def test_window_after_cutoff_is_an_error(snap: OpenedSnapshot) -> None:
    with pytest.raises(WorkbenchError, match="after the snapshot's cutoff day 2025-12-07"):
        nowcast(snap, date(2025, 12, 6), date(2025, 12, 8), SMALL)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[OpenedSnapshot, OpenedSnapshot]:
    """One demo-scale world seen early (cutoff 2025-12-07) and late (2026-01-31, week 2 fully settled)."""
    root = tmp_path_factory.mktemp("nowcast_world")
    early = simulate(1, "demo", date(2025, 12, 7), root / "2025-12-07")
    late = simulate(1, "demo", date(2026, 1, 31), root / "2026-01-31")
    return open_snapshot(early), open_snapshot(late)


def test_backtest_campaign_week_2(world: tuple[OpenedSnapshot, OpenedSnapshot]) -> None:
    early, late = world
    start, end = date(2025, 11, 29), date(2025, 12, 5)
    truth = late.kpi("channel_mix", start, end).select("channel", pl.col("settled_gmv_fen").alias("truth"))
    frame = nowcast(early, start, end).join(truth, on="channel")
    # Nothing of week 2 has settled two days after it ended: the whole figure is the nowcast.
    assert frame["settled_so_far_fen"].sum() == 0
    for row in frame.filter(pl.col("channel").is_in(["short_video", "live"])).to_dicts():
        assert abs(row["nowcast_settled_fen"] / row["truth"] - 1) < 0.03, row
        assert row["low_fen"] <= row["truth"] <= row["high_fen"], row


def test_cli_refuses_a_window_after_the_cutoff(snap: OpenedSnapshot) -> None:
    result = CliRunner().invoke(
        app, ["nowcast", "--start", "2025-12-06", "--end", "2025-12-09", "--snapshot", str(snap.path)]
    )
    assert isinstance(result.exception, WorkbenchError)
    assert "after the snapshot's cutoff day 2025-12-07" in str(result.exception)


def test_chart_shows_settled_bars_and_nowcast_points(snap: OpenedSnapshot) -> None:
    chart = nowcast_chart(nowcast(snap, date(2025, 12, 6), date(2025, 12, 7), SMALL), "en")
    assert [layer["mark"]["type"] for layer in chart.to_dict()["layer"]] == ["bar", "rule", "point"]
