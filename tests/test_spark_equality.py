"""Every KPI gives the same numbers on Spark as on DuckDB (the `spark` marker: needs Java and `make spark`).

A generated world (workbench.simulate, 50,000 order lines) is read by both
engines; every KPI is compared for two windows (a campaign week, the whole
campaign), once with the snapshot's stored roll-ups and once computing them
from the order lines, and once more under a foreign Spark session time zone,
where a wrong local day would move lines between days. Integers exactly,
floats within 1e-12 relative (tests/support/engine_compare.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from engine_compare import arguments, differences
from kpi_world import WORLD
from outside_snapshot import ORDER_LAYOUTS, SCHEMAS, write_snapshot
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.snapshot.read import connect

pytestmark = pytest.mark.spark

KPIS = list(kpi.registry())
WINDOWS = {"week3": (date(2025, 12, 6), date(2025, 12, 12)), "campaign": (date(2025, 11, 22), date(2025, 12, 31))}
SOURCES = {"rollups": True, "lines": False}
# For the foreign time zone: KPIs reading each local day of the views (paid, settled, enrolled, published) and traffic.
ZONE_KPIS = (
    "channel_mix",
    "daily_trend",
    "settled_at_age",
    "nowcast_open",
    "growth_card",
    "newcomer_cohorts",
    "eligibility_funnel",
    "posting_quota_use",
    "traffic_by_tab",
)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.simulate import simulate

    out = tmp_path_factory.mktemp("spark-world") / "2026-01-10"
    simulate(seed=7, scale=50_000, cutoff=date(2026, 1, 10), out=out)
    return out


@pytest.fixture(scope="module")
def engines(spark: Any, simulated: Path) -> Iterator[dict[str, Any]]:
    """The simulated snapshot on Spark, with its stored roll-ups and without them."""
    from workbench.engine.spark import SparkEngine

    opened = {source: SparkEngine.open(simulated, spark, use_aggregates=use) for source, use in SOURCES.items()}
    yield opened
    for engine in opened.values():
        engine.close()


def _compare(duck: Any, engine: Any, name: str, start: date, end: date) -> None:
    args = arguments(name, start, end)
    expected = kpi.run(duck, name, **args)
    got = kpi.run(engine, name, **args)
    assert expected.height > 0 or name in ("top_products", "top_videos"), f"{name}: no rows to compare"
    assert differences(expected, got) == [], f"{name} {args}: Spark differs from DuckDB"


@pytest.mark.parametrize("source", list(SOURCES))
@pytest.mark.parametrize("window", list(WINDOWS))
@pytest.mark.parametrize("name", KPIS)
def test_every_kpi_is_equal_on_both_engines(
    engines: dict[str, Any], simulated: Path, name: str, window: str, source: str
) -> None:
    duck = connect(simulated, use_aggregates=SOURCES[source])
    _compare(duck, engines[source], name, *WINDOWS[window])


def test_a_foreign_session_time_zone_changes_nothing(spark: Any, simulated: Path) -> None:
    """Under a session zone 16 hours from Asia/Shanghai the KPIs of week 3 are still DuckDB's."""
    from workbench.engine.spark import SparkEngine

    cluster = spark.newSession()  # as a cluster whose session zone is not UTC
    cluster.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    engine = SparkEngine.open(simulated, cluster, use_aggregates=False)
    assert engine.spark.conf.get("spark.sql.session.timeZone") == "America/Los_Angeles"
    duck = connect(simulated, use_aggregates=False)
    try:
        failed = {}
        for name in ZONE_KPIS:
            args = arguments(name, *WINDOWS["week3"])
            found = differences(kpi.run(duck, name, **args), kpi.run(engine, name, **args))
            if found:
                failed[name] = found
        assert failed == {}
    finally:
        engine.close()


def test_hand_made_world_near_midnight(spark: Any, tmp_path: Path) -> None:
    """The hand-made world (lines minutes either side of Asia/Shanghai midnight), unpartitioned.

    The session's zone changes after the snapshot was opened, which the engine notices.
    """
    from workbench.engine.spark import SparkEngine

    snapshot = build_snapshot(tmp_path, WORLD, partition_orders=False)
    engine = SparkEngine.open(snapshot, spark)
    engine.spark.conf.set("spark.sql.session.timeZone", "Pacific/Kiritimati")
    try:
        for name in ("channel_mix", "category_mix", "newcomer_uptake", "growth_card", "daily_trend", "settled_at_age"):
            args = arguments(name, date(2025, 11, 22), date(2025, 12, 31))
            assert differences(kpi.run(connect(snapshot), name, **args), kpi.run(engine, name, **args)) == [], name
    finally:
        engine.close()


def test_naive_timestamps_of_a_foreign_tool_are_utc_on_both_engines(spark: Any, tmp_path: Path) -> None:
    """A tool that wrote zone-less timestamps (UTC wall clocks): both engines read the same instants and days."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.engine.spark import SparkEngine

    snapshot = build_snapshot(tmp_path, WORLD, partition_orders=False)
    for file in (snapshot / "orders").glob("*.parquet"):
        table = pq.read_table(file)
        naive = pa.schema(
            [f.with_type(pa.timestamp("us")) if pa.types.is_timestamp(f.type) else f for f in table.schema]
        )
        pq.write_table(table.cast(naive), file)
    cluster = spark.newSession()
    cluster.conf.set("spark.sql.session.timeZone", "Asia/Kolkata")
    engine = SparkEngine.open(snapshot, cluster, use_aggregates=False)
    duck = connect(snapshot, use_aggregates=False)
    try:
        query = "select order_id, line_no, paid_at, paid_date, settled_date from orders order by order_id, line_no"
        assert differences(duck.sql(query).pl(), engine.query(query)) == []
        for name in ("channel_mix", "daily_trend", "growth_card"):
            args = arguments(name, date(2025, 11, 22), date(2025, 12, 31))
            assert differences(kpi.run(duck, name, **args), kpi.run(engine, name, **args)) == [], name
    finally:
        engine.close()


@pytest.mark.parametrize("layout", ORDER_LAYOUTS)
def test_snapshots_written_by_other_tools(spark: Any, tmp_path: Path, layout: str) -> None:
    """Every order layout an outside tool may write (flat, hive by Shanghai or UTC day, polars) reads the same."""
    from workbench.engine.spark import SparkEngine

    world = {
        table: [
            {c: datetime.fromisoformat(v) if c.endswith("_at") and isinstance(v, str) else v for c, v in row.items()}
            for row in rows
        ]
        for table, rows in WORLD.items()
        if table in SCHEMAS
    }
    snapshot = write_snapshot(tmp_path, world, "2026-01-10", layout)
    engine = SparkEngine.open(snapshot, spark)
    try:
        for name in ("channel_mix", "growth_card"):
            args = arguments(name, date(2025, 11, 22), date(2025, 12, 31))
            assert differences(kpi.run(connect(snapshot), name, **args), kpi.run(engine, name, **args)) == [], name
    finally:
        engine.close()
