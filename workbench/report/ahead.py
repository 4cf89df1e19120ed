"""The report's methods, computed on worker threads while the page's other sections are drawn.

A whole-snapshot report runs three statistical methods (nowcast, lift,
restatement) whose time goes mostly to DuckDB, Polars and NumPy, which let
go of Python's lock, while the counted sections spend theirs building
charts in Python. Started when the report opens, the methods and their
section (sentences and charts) overlap the KPI frames, the headline and
the charts instead of following them, on a machine with two cores or more;
vl-convert's JavaScript engine, which takes a moment to start, is woken at
the same time. The methods read the snapshot
through cursors of their own (OpenedSnapshot.cursor), and their results are the
same frames the sections would compute in line: each method seeds its own
random numbers and no method reads another's state.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

from workbench.charts.svg import warm_up
from workbench.insights.lift import Lift, estimate_lift
from workbench.insights.nowcast import nowcast
from workbench.insights.restatement import restatement
from workbench.kpi.opened import OpenedSnapshot
from workbench.report.methods import Attempt, attempt, methods_html
from workbench.report.params import ReportParams


class Ahead:
    """Futures of one report's methods; `close` waits for them and lets go of the cursor."""

    def __init__(self, snapshot: OpenedSnapshot, params: ReportParams) -> None:
        # One cursor per method that queries: the two workers may run them at the same moment.
        self._cursors = (snapshot.cursor(), snapshot.cursor())
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="report-methods")
        (for_nowcast, for_lift), start, end = self._cursors, params.start, params.end
        # The headline waits for the nowcast, so it goes first; the second worker wakes vl-convert, then lifts.
        self.nowcast: Future[Attempt[pl.DataFrame]] = self._pool.submit(
            attempt, lambda: nowcast(for_nowcast, start, end)
        )
        self._pool.submit(warm_up)
        self.lift: Future[Attempt[Lift]] = self._pool.submit(attempt, lambda: estimate_lift(for_lift))
        week, manifest = params.week, params.manifest
        self.restatement: Future[Attempt[pl.DataFrame]] | None = (
            self._pool.submit(
                attempt, lambda: restatement(week - 1, manifest.snapshots_root, as_of=manifest.snapshot_date)
            )
            if week and week > 1
            else None
        )
        # Told last: by the time a worker takes this, every method it waits for has been taken by one.
        self.section: Future[str] = self._pool.submit(self._told, params)

    def _told(self, params: ReportParams) -> str:
        """The methods section's HTML, charts drawn, once the methods it tells have run."""
        restated = self.restatement.result() if self.restatement is not None else None
        return methods_html(params, self.nowcast.result(), self.lift.result(), restated)

    def close(self) -> None:
        """Wait for the methods still running, then close their cursors."""
        self._pool.shutdown(wait=True)
        for cursor in self._cursors:
            cursor.close()
