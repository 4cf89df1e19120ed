"""The report answers at the moment it is read (issue 13): paid now, settled so far, final estimated.

A world simulated by the workbench's own generator is cut on Sunday
2025-12-21, the cutoff of the README's Monday-morning cron, and week 4
(2025-12-13 to 2025-12-19) is rendered through papermill exactly as cron
does. The headline's numbers are read back from the page's `data-metric`
attributes, so the test reads what a scraper or a notification reads.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from workbench.kpi.opened import OpenedSnapshot
from workbench.report import params as report_params
from workbench.report.page import WeeklyReport
from workbench.report.render import render
from workbench.simulate import simulate
from workbench.snapshot.store import resolve

SEED, SCALE = 7, "200000"


def metrics(html: str) -> dict[str, float | None]:
    """Every `data-metric` on the page with its raw value (None when empty)."""
    found = re.findall(r'data-metric="([^"]+)" data-value="([^"]*)"', html)
    return {name: float(value) if value else None for name, value in found}


@pytest.fixture(scope="module")
def monday(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(SEED, SCALE, date(2025, 12, 21), tmp_path_factory.mktemp("snapshots") / "2025-12-21")


@pytest.fixture(scope="module")
def monday_page(monday: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    html = render(report_params.validate(monday, week=4), tmp_path_factory.mktemp("reports"))
    return html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_monday_report_leads_with_paid_and_estimates_the_final_settled_gmv(monday_page: str) -> None:
    m = metrics(monday_page)
    paid, settled = m["short_video_paid_gmv_fen"], m["short_video_settled_gmv_fen"]
    estimate, low, high = (m[f"short_video_settled_estimate{s}_fen"] for s in ("", "_low", "_high"))
    assert paid and paid > 0
    assert estimate is not None and low is not None and high is not None
    assert settled is not None and settled <= low <= estimate <= high <= paid
    assert m["short_video_settled_maturity"] == pytest.approx(settled / estimate)
    # The first figure on the page is paid GMV, not the settled GMV that barely exists yet.
    first = re.search(r'data-metric="([^"]+)"', monday_page)
    assert first is not None and first.group(1) == "short_video_paid_gmv_fen"
    assert "估算" in monday_page


@pytest.mark.slow
def test_week_over_week_settled_is_compared_at_equal_maturity(monday: Path, monday_page: str) -> None:
    m = metrics(monday_page)
    assert m["settlement_age_days"] == 2  # 2025-12-19 to the cutoff day 2025-12-21
    snap = OpenedSnapshot(resolve(monday))
    before = (date(2025, 12, 6), date(2025, 12, 12))
    at_age = snap.kpi("settled_at_age", *before, age=2).filter(channel="short_video")["settled_gmv_fen"].item()
    now = snap.kpi("channel_mix", *before).filter(channel="short_video")["settled_gmv_fen"].item()
    assert m["previous_short_video_settled_equal_maturity_fen"] == at_age
    assert at_age < now  # last week as it stood then, not as mature as it is today
    if at_age:
        expected = m["short_video_settled_gmv_fen"] / at_age - 1
        assert m["short_video_settled_wow_equal_maturity_change"] == pytest.approx(expected)
    else:  # nothing had settled by then: no change is shown, and the page says why
        assert "short_video_settled_wow_equal_maturity_change" not in m
        assert "同账龄无从比较" in monday_page


def test_a_partial_week_says_so(monday: Path) -> None:
    """A window shorter than a week (the campaign's last week has 5 days) is marked above the cards."""
    params = report_params.validate(monday, start="2025-12-15", end="2025-12-19")
    headline = WeeklyReport(params).headline().data
    assert "本期只有5天（2025-12-15 至 2025-12-19），与整周比较时请看日均。" in re.sub(r"<[^>]+>", "", headline)
    assert metrics(headline)["window_days"] == 5
    full = WeeklyReport(report_params.validate(monday, week=4)).headline().data
    assert "本期只有" not in full
