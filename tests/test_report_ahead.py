"""The report's methods run on worker threads (workbench.report.ahead): same numbers as run in line, errors kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.insights.lift import estimate_lift
from workbench.insights.nowcast import nowcast
from workbench.insights.restatement import restatement
from workbench.kpi.opened import open_snapshot
from workbench.report.methods import Attempt, attempt, methods_html
from workbench.report.page import WeeklyReport
from workbench.report.params import validate
from workbench.simulate import simulate


@pytest.fixture(scope="module")
def late(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo world seen at week 1's end and long after, so every method has something to say about week 2."""
    root = tmp_path_factory.mktemp("ahead_world")
    simulate(3, "demo", date(2025, 11, 30), root / "2025-11-30")
    return simulate(3, "demo", date(2026, 1, 10), root / "2026-01-10")


def test_methods_computed_ahead_equal_the_methods_run_in_line(late: Path) -> None:
    report = WeeklyReport(validate(late, week=2, lang="en"))
    try:
        assert report.ahead is not None
        lift = report.ahead.lift.result().result()
        assert report.ahead.restatement is not None
        restated = report.ahead.restatement.result().result()
        nowcasted = report.nowcasted.result()
        page = report.methods().data
    finally:
        report.close()
    snap = open_snapshot(late)
    try:
        assert nowcasted.equals(nowcast(snap, report.params.start, report.params.end))
        expected = estimate_lift(snap)
        assert lift.summary.equals(expected.summary)
        assert lift.weeks.equals(expected.weeks)
    finally:
        snap.close()
    assert restated.equals(restatement(1, late.parent, as_of=date(2026, 1, 10)))
    assert restated["snapshot_date"].n_unique() == 2  # both snapshots: the restatement really ran
    assert "not available" not in page
    # The section told on a worker is the page the same methods give when told one after another.
    in_line = methods_html(report.params, Attempt(nowcasted), Attempt(expected), Attempt(restated))
    assert page == in_line


def test_a_report_of_one_shop_starts_no_methods(late: Path) -> None:
    params = validate(late, week=2)
    snap = open_snapshot(late)
    shop = snap.sql("select min(shop_id) as s from shops")["s"][0]
    snap.close()
    report = WeeklyReport(params.for_shop(shop))
    try:
        assert report.ahead is None
        assert report.nowcasted.value is None
    finally:
        report.close()


def test_an_attempt_keeps_a_workbench_error_and_lets_a_bug_through() -> None:
    def unavailable() -> None:
        raise WorkbenchError("too little history")

    kept = attempt(unavailable)
    assert kept.value is None
    with pytest.raises(WorkbenchError, match="too little history"):
        kept.result()
    assert attempt(lambda: 3) == Attempt(3)
    with pytest.raises(ZeroDivisionError):
        attempt(lambda: 1 / 0)
