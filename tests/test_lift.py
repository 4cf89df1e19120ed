"""Campaign lift: the ratio DiD on exact numbers, the SQL on hand-made rows, and recovery of the generator's truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from snapshot_builder import build_snapshot

from workbench.charts.svg import to_svg
from workbench.errors import WorkbenchError
from workbench.insights import stats
from workbench.insights.lift import estimate_lift
from workbench.kpi.opened import OpenedSnapshot, open_snapshot
from workbench.report.methods import lift_section
from workbench.simulate import simulate

# Ten days: 0-3 baseline, campaign from day 6. Demand moves by stratum (m0, m1);
# enrolment multiplies an account's demand by 1.6 from its enrolment day.
M0 = np.array([1, 1, 1, 1, 2, 2, 3, 3, 3, 3], dtype=float)
M1 = np.array([2, 2, 2, 2, 2, 2, 2, 2, 4, 4], dtype=float)
DAYS = np.arange(10)


def _exact_inputs() -> stats.DidInputs:
    """Controls (rates 1 and 3 in stratum 0, 2 in stratum 1) and two enrolled accounts (rate 10 from day 6, rate 5 from day 8)."""
    treated0 = 10 * M0 * np.where(DAYS >= 6, 1.6, 1.0)
    treated1 = 5 * M1 * np.where(DAYS >= 8, 1.6, 1.0)
    y = np.vstack([1 * M0, 3 * M0, 2 * M1, treated0, treated1])
    return stats.DidInputs(
        y=y,
        treated=np.array([False, False, False, True, True]),
        start=np.array([0, 0, 0, 6, 8]),
        stratum=np.array([0, 0, 1, 0, 1]),
        pre=DAYS < 4,
        post_from=6,
    )


def test_ratio_did_recovers_a_multiplicative_effect_exactly() -> None:
    totals = stats.did_ratio(_exact_inputs(), np.ones(5))
    # post: 1.6 * 10 * 12 + 1.6 * 5 * 8 = 256; counterfactual: 10 * 12 + 5 * 8 = 160; 6 enrolled account-days.
    assert (totals.post, totals.counterfactual, totals.treated_days) == pytest.approx((256.0, 160.0, 6.0))
    assert totals.relative == pytest.approx(0.6)
    assert totals.per_day == pytest.approx(16.0)


def test_naive_difference_mixes_in_selection() -> None:
    # Enrolled: 256 over 6 account-days; controls: 72 over 3 accounts x 4 campaign days.
    assert stats.naive_difference(_exact_inputs()) == pytest.approx((256 / 6) / (72 / 12) - 1)


def test_event_study_is_flat_before_enrolment() -> None:
    inp = _exact_inputs()
    week = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    gaps = stats.event_study(inp, inp.weekly(week), np.ones(5))
    # Week 1: enrolled 212 + 94 = 306 against 10 * 4 * 3.5 + 5 * 8 * 1.75 = 210.
    assert gaps == pytest.approx([0.0, 306 / 210 - 1])


def test_enrolled_account_without_comparable_controls_is_left_out() -> None:
    inp = _exact_inputs()
    lonely = stats.DidInputs(
        y=np.vstack([inp.y, 7 * M0]),
        treated=np.append(inp.treated, True),
        start=np.append(inp.start, 6),
        stratum=np.append(inp.stratum, 2),
        pre=inp.pre,
        post_from=6,
    )
    assert stats.did_ratio(lonely, np.ones(6)).relative == pytest.approx(0.6)


def _one_hot_replicate(inp: stats.DidInputs, weights: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The per-replicate one-hot form of the control sums (the estimator as first written), as an oracle."""
    onehot = np.zeros((inp.stratum.size, int(inp.stratum.max()) + 1))
    onehot[np.arange(inp.stratum.size), inp.stratum] = (~inp.treated) * weights
    return onehot.T @ inp.pre_sum, onehot.T @ columns


def test_all_replicates_at_once_give_the_same_bits_as_one_by_one() -> None:
    # Whole-fen GMV, 60 accounts in 5 strata (stratum 4 has no controls, stratum 3 no treated), staggered enrolment.
    rng = np.random.default_rng(7)
    accounts, days = 60, 30
    y = rng.integers(0, 50_000, size=(accounts, days)).astype(float) * (rng.random((accounts, days)) < 0.6)
    stratum = rng.integers(0, 4, size=accounts)
    treated = rng.random(accounts) < 0.4
    stratum[treated & (stratum == 3)] = 4
    inp = stats.DidInputs(
        y, treated, np.where(treated, rng.integers(10, 30, accounts), 0), stratum, np.arange(days) < 10, 10
    )
    weights = np.ones((50, accounts))
    for group in (treated, ~treated):
        weights[:, group] = stats.resample_counts(rng, int(group.sum()), 50)
    days_, position = inp.start_days
    week = np.arange(days) // 7
    weekly = inp.weekly(week)
    batch = stats.did_ratio_each(inp, weights)
    gaps = stats.event_study_each(inp, weekly, weights)
    for r, w in enumerate(weights):
        base, tail = _one_hot_replicate(inp, w, inp.tail[:, days_])
        rows = np.flatnonzero(treated & (w > 0))
        rows = rows[base[stratum[rows]] > 0]
        growth = tail[stratum[rows], position[rows]] / base[stratum[rows]]
        counterfactual = w[rows] @ (inp.pre_sum[rows] * growth)
        assert (batch[r].post, batch[r].counterfactual) == (w[rows] @ inp.tail[rows, inp.start[rows]], counterfactual)
        _, ctrl_week = _one_hot_replicate(inp, w, weekly)
        expected = (w[rows] * inp.pre_sum[rows]) @ (ctrl_week[stratum[rows]] / base[stratum[rows]][:, None])
        assert np.array_equal(gaps[r], (w[rows] @ weekly[rows]) / expected - 1.0, equal_nan=True)
    assert stats.did_ratio(inp, weights[3]) == batch[3]


def test_resample_counts_draw_every_unit_n_times_in_total() -> None:
    counts = stats.resample_counts(np.random.default_rng(0), 7, 50)
    assert counts.shape == (50, 7)
    assert (counts.sum(axis=1) == 7).all()


def _account(account_id: str, fans: int, shop_id: str | None = None) -> dict[str, object]:
    return {
        "account_id": account_id,
        "account_name": account_id,
        "shop_id": shop_id,
        "is_self_operated": shop_id is not None,
        "effective_fans": fans,
        "short_video_commerce_enabled": True,
        "has_official_account": False,
        "created_at": "2024-01-01T00:00:00+08:00",
    }


def _sale(
    order_id: str, account_id: str, product_id: str, amount: int, paid: str, channel: str = "short_video"
) -> dict[str, object]:
    return {
        "order_id": order_id,
        "line_no": 1,
        "shop_id": "s1",
        "product_id": product_id,
        "account_id": account_id,
        "channel": channel,
        "content_id": None,
        "buyer_id": "b",
        "quantity": 1,
        "amount_fen": amount,
        "refund_fen": 0,
        "status": "paid",
        "paid_at": paid,
        "settled_at": None,
    }


@pytest.fixture
def hand_made(tmp_path: Path) -> OpenedSnapshot:
    tables = {
        "accounts": [
            _account("a1", 5_000),  # enrolled, sells beauty by video and a little food live
            _account("a2", 10, shop_id="s2"),  # self-operated: its shop's main category counts
            _account("a3", 2_000),  # enrolled newcomer: no baseline, left out
            _account("a4", 500),  # not eligible
            _account("a5", 3_000),  # control
        ],
        "shops": [
            {"shop_id": "s2", "shop_name": "s2", "main_category": "home", "opened_at": "2024-01-01T00:00:00+08:00"}
        ],
        "products": [
            {"product_id": "pb", "shop_id": "s1", "title": "b", "category": "beauty", "price_fen": 100},
            {"product_id": "pf", "shop_id": "s1", "title": "f", "category": "food", "price_fen": 100},
        ],
        "enrollments": [
            {"account_id": "a1", "enrolled_at": "2025-11-24T17:00:00Z"},  # 2025-11-25 01:00 in Shanghai
            {"account_id": "a3", "enrolled_at": "2025-11-23T10:00:00+08:00"},
        ],
        "orders": [
            _sale("1", "a1", "pb", 1_000, "2025-09-01T10:00:00+08:00"),
            _sale("2", "a1", "pf", 500, "2025-09-02T10:00:00+08:00", channel="live"),
            _sale("3", "a2", "pb", 300, "2025-09-03T10:00:00+08:00"),
            _sale("4", "a5", "pb", 200, "2025-10-31T23:30:00+08:00"),
            _sale("5", "a3", "pb", 900, "2025-11-30T10:00:00+08:00"),
            _sale("6", "a1", "pb", 700, "2025-11-30T10:00:00+08:00"),
            _sale("7", "a4", "pb", 400, "2025-09-01T10:00:00+08:00"),
        ],
    }
    return open_snapshot(build_snapshot(tmp_path, tables, snapshot_date="2025-12-07"))


def test_lift_accounts_strata(hand_made: OpenedSnapshot) -> None:
    rows = hand_made.kpi("lift_accounts", end=date(2025, 12, 7), min_controls=1).rows()
    assert rows == [
        ("a1", date(2025, 11, 25), "1k-10k", "beauty", "1k-10k/beauty"),
        ("a2", None, "<1k", "home", "<1k/home"),
        ("a5", None, "1k-10k", "beauty", "1k-10k/beauty"),
    ]
    pooled = hand_made.kpi("lift_accounts", end=date(2025, 12, 7), min_controls=2)
    assert pooled["stratum"].to_list() == ["1k-10k/*", "<1k/*", "1k-10k/*"]


def test_lift_daily_is_video_paid_gmv_of_eligible_accounts(hand_made: OpenedSnapshot) -> None:
    rows = hand_made.kpi("lift_daily", end=date(2025, 12, 7)).rows()
    assert rows == [
        ("a1", date(2025, 9, 1), 1_000),
        ("a1", date(2025, 11, 30), 700),
        ("a2", date(2025, 9, 3), 300),
        ("a3", date(2025, 11, 30), 900),
        ("a5", date(2025, 10, 31), 200),
    ]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[float, OpenedSnapshot]:
    """The same demo-scale world with the default true lift (0.6) and with none, seen at the campaign's end."""
    root = tmp_path_factory.mktemp("lift_worlds")
    return {
        lift: open_snapshot(
            simulate(11, "demo", date(2025, 12, 31), root / f"lift{lift}" / "2025-12-31", true_lift=lift)
        )
        for lift in (0.6, 0.0)
    }


def test_recovers_true_lift_where_naive_is_biased(worlds: dict[float, OpenedSnapshot]) -> None:
    summary, chart, sentence = lift_section(worlds[0.6], "en")
    row = summary.row(0, named=True)
    assert row["true_lift"] == 0.6
    assert row["relative_low"] <= 0.6 <= row["relative_high"], row
    assert row["naive_relative"] > row["relative_high"], row
    assert row["fen_per_day_low"] > 0, row
    assert sentence is not None and sentence.endswith("(Synthetic data's true effect: +60.0%.)")
    assert chart is not None


def test_finds_no_effect_when_there_is_none(worlds: dict[float, OpenedSnapshot]) -> None:
    lift = estimate_lift(worlds[0.0])
    row = lift.summary.row(0, named=True)
    assert row["true_lift"] == 0.0
    assert row["relative_low"] <= 0.0 <= row["relative_high"], row
    assert row["naive_relative"] > row["relative_high"], row
    assert lift.weeks["week_start"][0] == date(2025, 8, 2)


def test_snapshot_before_the_campaign_is_refused(tmp_path: Path) -> None:
    snap = open_snapshot(build_snapshot(tmp_path, {}, snapshot_date="2025-11-15"))
    with pytest.raises(WorkbenchError, match="ends before the campaign starts"):
        estimate_lift(snap)


def test_no_enrolled_accounts_is_refused(tmp_path: Path) -> None:
    tables = {"accounts": [_account("a5", 3_000)], "orders": [_sale("4", "a5", "pb", 200, "2025-10-31T23:30:00+08:00")]}
    snap = open_snapshot(build_snapshot(tmp_path / "none", tables, snapshot_date="2025-12-07"))
    with pytest.raises(WorkbenchError, match="0 of 1 eligible accounts enrolled by 2025-12-07"):
        estimate_lift(snap)


def test_an_undefined_weekly_gap_is_empty_not_nan_and_still_draws(tmp_path: Path) -> None:
    """Regression: a small world whose last (two-day) week has no counterfactual
    gave NaN gaps, which made the chart's JSON invalid and failed the whole report."""
    snap = open_snapshot(simulate(3, "20000", date(2025, 12, 14), tmp_path / "2025-12-14"))
    weeks = estimate_lift(snap).weeks
    assert weeks.height > 0
    for column in ("relative_gap", "low", "high"):
        assert not weeks[column].is_nan().any(), f"{column} holds NaN"
    assert weeks["relative_gap"].null_count() >= 1  # the undefined week is there, marked empty
    _, chart, sentence = lift_section(snap, "zh")
    assert chart is not None and "<svg" in to_svg(chart)
    assert "nan" not in (sentence or "").lower()
