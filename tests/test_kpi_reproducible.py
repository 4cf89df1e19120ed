"""Every KPI gives the same CSV bytes run after run, however DuckDB splits the work.

DuckDB sums in parallel, and a sum of non-integer doubles depends on the
order its parts are added in, so a KPI that summed fractions (attributed
order lines, growth-card points, squared amounts) changed in its last
digits from run to run. The world below is big enough for DuckDB to split
its scans and aggregations over several threads.
"""

from __future__ import annotations

from datetime import date

import pytest

from workbench import kpi
from workbench.kpi.export import to_csv
from workbench.kpi.opened import OpenedSnapshot, open_snapshot
from workbench.simulate import simulate

RUNS = 6
THREADS = 8
START, END = date(2025, 11, 22), date(2025, 12, 31)
# Values for the parameters some KPIs take besides the window (the nowcast's, the lift's).
EXTRA = {"cutoff_date": date(2025, 12, 31), "mature_days": 14, "learn_days": 28, "min_controls": 5}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> OpenedSnapshot:
    folder = simulate(7, "200000", date(2026, 1, 10), tmp_path_factory.mktemp("world") / "2026-01-10")
    snap = open_snapshot(folder)
    snap.con.execute(f"set threads = {THREADS}")
    return snap


def _csv(snap: OpenedSnapshot, name: str) -> str:
    wanted = kpi.get(name).bound_names
    extra = {k: v for k, v in EXTRA.items() if k in wanted and k not in kpi.get(name).defaults}
    params = kpi.get(name).params
    window = {"start": START, "end": END} if "start" in params else {"end": END} if "end" in params else {}
    return to_csv(snap.kpi(name, **window, **extra))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(kpi.registry()))
def test_every_kpi_gives_the_same_csv_every_run(world: OpenedSnapshot, name: str) -> None:
    first = _csv(world, name)
    assert first.count("\n") > 1, "the KPI has no rows on this world, so the test proves nothing"
    for _ in range(RUNS - 1):
        assert _csv(world, name) == first
