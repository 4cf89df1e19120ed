"""The Spark engine from the outside: `wb.open(..., engine="spark")`, `workbench kpi --engine spark`, URIs, roll-ups.

The `spark`-marked tests share one local session (tests/conftest.py); the
argument checks at the end need no Java.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from cli_runs import run_cli
from engine_compare import differences
from kpi_world import WORLD
from snapshot_builder import build_snapshot

import workbench as wb
from workbench.errors import WorkbenchError
from workbench.snapshot import aggregates

CAMPAIGN = ["--start", "2025-11-22", "--end", "2025-12-31"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_snapshot(tmp_path_factory.mktemp("spark-open"), WORLD)


@pytest.mark.spark
def test_cli_growth_card_on_spark_prints_the_duckdb_csv(
    spark: Any, snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["kpi", "growth_card", "--snapshot", str(snapshot), *CAMPAIGN, "--format", "csv"]
    duck = run_cli(capsys, *args)
    on_spark = run_cli(capsys, *args, "--engine", "spark")
    assert duck[0] == 0 and duck[1].count("\n") > 3, duck
    assert on_spark == duck


@pytest.mark.spark
def test_open_on_spark_gives_the_same_frames_and_sql(spark: Any, snapshot: Path) -> None:
    duck = wb.open(str(snapshot))
    s = wb.open(str(snapshot), engine="spark", spark=spark)
    try:
        assert "engine spark" in repr(s)
        for name in ("channel_mix", "newcomer_uptake", "top_videos"):
            assert differences(duck.kpi(name, week=2), s.kpi(name, week=2)) == [], name
        query = "select channel, count(*) as lines from orders_paid($start, $end) group by channel order by channel"
        params = {"start": date(2025, 11, 22), "end": date(2025, 12, 31)}
        assert s.sql(query, params).rows() == duck.sql(query, params).rows()
        with pytest.raises(WorkbenchError, match="is not in the snapshot"):
            s.kpi("channel_mix", week=2, shop="no-such-shop")
    finally:
        s.close()
        duck.close()


@pytest.mark.spark
def test_a_snapshot_uri_is_read_through_its_manifest(spark: Any, snapshot: Path) -> None:
    """A `file://` URI goes the way an `hdfs://` or `s3a://` one does: pyarrow reads the manifest, Spark its files."""
    uri = snapshot.resolve().as_uri()
    s = wb.open(uri, engine="spark", spark=spark)
    duck = wb.open(str(snapshot))
    try:
        assert s.uri == uri and uri in repr(s)
        assert differences(duck.kpi("growth_card", end="2025-12-31"), s.kpi("growth_card", end="2025-12-31")) == []
    finally:
        s.close()
        duck.close()


@pytest.mark.spark
def test_rollups_built_on_spark_equal_the_stored_ones(spark: Any, snapshot: Path, tmp_path: Path) -> None:
    from workbench.engine.spark import SparkEngine

    engine = SparkEngine.open(snapshot, spark, use_aggregates=False)
    try:
        written = engine.write_rollups(tmp_path.as_uri())
    finally:
        engine.close()
    for name, order in aggregates.AGGREGATES.items():
        stored = pl.read_parquet(aggregates.files(snapshot, name))
        built = pl.read_parquet(Path(tmp_path / name) / "*.parquet").sort(order)
        assert stored.height > 0 and built.columns == stored.columns, name
        assert differences(stored, built.select(stored.columns)) == [], (name, written[name])


# --- argument checks (no Java needed) ------------------------------------------


def test_a_uri_needs_the_spark_engine(snapshot: Path) -> None:
    with pytest.raises(WorkbenchError, match="engine='spark'"):
        wb.open(snapshot.resolve().as_uri())


def test_an_unknown_engine_is_refused(snapshot: Path) -> None:
    with pytest.raises(WorkbenchError, match="unknown engine 'polars'"):
        wb.open(str(snapshot), engine="polars")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--engine", "polars"], "--engine 'polars' is not one of duckdb, spark"),
        (["--spark-master", "local[2]"], "--spark-master is for --engine spark"),
    ],
)
def test_cli_engine_arguments_are_checked(
    snapshot: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code, out, err = run_cli(capsys, "kpi", "channel_mix", "--snapshot", str(snapshot), *CAMPAIGN, *extra)
    assert (code, out) == (2, "")
    assert message in err
