"""SQL KPIs against the independent Polars reference (tests/support/polars_kpis.py).

Three sources of snapshots: the hand-made world of kpi_world.py, random
small order sets from Hypothesis (timestamps near Asia/Shanghai midnight,
refunds, missing products, unattributed lines), and a generated world from
`workbench.simulate` compared over campaign weeks, the baseline and the
whole campaign.
"""

from __future__ import annotations

import ast
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars_kpis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kpi_world import WORLD, account, line, product
from polars.testing import assert_frame_equal
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.config import DEFAULT
from workbench.dates import campaign_week
from workbench.snapshot.contract import CHANNELS, STATUSES
from workbench.snapshot.read import connect


def assert_same(con: duckdb.DuckDBPyConnection, snapshot: Path, start: date, end: date) -> None:
    """Every contract KPI gives the same frame from SQL and from the Polars reference."""
    for name, reference in polars_kpis.KPIS.items():
        try:
            assert_frame_equal(kpi.run(con, name, start, end), reference(snapshot, start, end), check_exact=True)
        except AssertionError as err:
            raise AssertionError(f"{name} over {start}..{end}: SQL and Polars reference differ: {err}") from None


def test_reference_imports_nothing_from_workbench() -> None:
    """The reference may import only the standard library and Polars.

    Sharing a file lister, a partition pruner or the config defaults with the
    workbench would let one bug hit both sides and hide; importing another
    test helper could pull the workbench in through the back door.
    """
    source = Path(polars_kpis.__file__)
    imported = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
    assert imported, f"no imports found in {source}"
    workbench = [m for m in imported if m == "workbench" or m.startswith("workbench.")]
    assert not workbench, f"{source.name} must not import the code it checks: {workbench}"
    others = [m for m in imported if m.split(".")[0] not in sys.stdlib_module_names | {"__future__", "polars"}]
    assert not others, f"{source.name} may import only the standard library and polars, not {others}"


HAND_MADE_WINDOWS = [
    (DEFAULT.campaign_start, DEFAULT.campaign_end),
    (DEFAULT.baseline_start, DEFAULT.baseline_end),
    (date(2025, 11, 21), date(2025, 11, 22)),
    (date(2025, 12, 4), date(2025, 12, 4)),
    (date(2025, 12, 8), date(2025, 12, 8)),
    (date(2025, 11, 1), date(2025, 11, 10)),
    (date(2025, 11, 22), date(2026, 1, 10)),
]


@pytest.mark.parametrize("partition", [True, False], ids=["partitioned", "unpartitioned"])
def test_hand_made_world(tmp_path: Path, partition: bool) -> None:
    snapshot = build_snapshot(tmp_path, WORLD, partition_orders=partition)
    con = connect(snapshot)
    for start, end in HAND_MADE_WINDOWS:
        assert_same(con, snapshot, start, end)


# Random worlds: five accounts spanning the eligibility rules, a product missing from products,
# and paid_at instants within a few seconds of Asia/Shanghai midnights around the windows' edges.
ACCOUNTS = [
    account("a1", 5000),
    account("a2", 999),
    account("a3", 10, self_operated=True),
    account("a4", 1000, enabled=False),
    account("a5", 1000),
]
PRODUCTS = [product("p1", "food"), product("p2", "beauty")]
MIDNIGHT_DAYS = [
    date(2025, 7, 31),
    date(2025, 8, 1),
    date(2025, 10, 31),
    date(2025, 11, 1),
    date(2025, 11, 22),
    date(2025, 12, 8),
    date(2025, 12, 31),
    date(2026, 1, 1),
]


def _shanghai_midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=8)


instants = st.builds(
    lambda day, seconds: (_shanghai_midnight_utc(day) + timedelta(seconds=seconds)).isoformat(),
    st.sampled_from(MIDNIGHT_DAYS),
    st.integers(min_value=-2 * 86_400, max_value=2 * 86_400),
)


@st.composite
def order_lines(draw: st.DrawFn) -> list[dict]:
    rows = []
    for i in range(draw(st.integers(min_value=0, max_value=25))):
        status = draw(st.sampled_from(STATUSES))
        amount = draw(st.integers(min_value=0, max_value=2_000_000))
        refund = amount if status == "refunded" else draw(st.integers(min_value=0, max_value=amount))
        rows.append(
            line(
                f"o{i}",
                draw(st.sampled_from(["a1", "a2", "a3", "a4", "a5", None])),
                draw(st.sampled_from(CHANNELS)),
                draw(st.sampled_from(["p1", "p2", "p_missing"])),
                amount,
                status,
                draw(instants),
                refund_fen=refund,
            )
        )
    return rows


enrollment_sets = st.lists(
    st.builds(
        lambda account_id, at: {"account_id": account_id, "enrolled_at": at},
        st.sampled_from(["a1", "a2", "a3", "a4", "a5"]),
        instants,
    ),
    max_size=5,
    unique_by=lambda row: row["account_id"],
)

windows = st.tuples(st.sampled_from(MIDNIGHT_DAYS), st.integers(min_value=0, max_value=45)).map(
    lambda pair: (pair[0], pair[0] + timedelta(days=pair[1]))
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orders=order_lines(), enrollments=enrollment_sets, window=windows)
def test_random_worlds(orders: list[dict], enrollments: list[dict], window: tuple[date, date]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        world = {"accounts": ACCOUNTS, "products": PRODUCTS, "enrollments": enrollments, "orders": orders}
        snapshot = build_snapshot(Path(tmp), world)
        con = connect(snapshot)
        assert_same(con, snapshot, *window)
        assert_same(con, snapshot, DEFAULT.campaign_start, DEFAULT.campaign_end)
        shares = kpi.run(con, "channel_mix", *window)["settled_share"]
        if shares.null_count() == 0 and len(shares):
            assert shares.sum() == pytest.approx(1.0, abs=1e-12)
        con.close()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Imported here so a broken generator fails only these tests, not the hand-made ones.
    from workbench.simulate import simulate

    out = tmp_path_factory.mktemp("simulated") / "2026-01-10"
    simulate(seed=7, scale=50_000, cutoff=date(2026, 1, 10), out=out)
    return out


SIMULATED_WINDOWS = {
    "week 1": campaign_week(1),
    "week 6": campaign_week(6),
    "baseline": (DEFAULT.baseline_start, DEFAULT.baseline_end),
    "campaign": (DEFAULT.campaign_start, DEFAULT.campaign_end),
}


@pytest.mark.parametrize("window", list(SIMULATED_WINDOWS.values()), ids=list(SIMULATED_WINDOWS))
def test_simulated_world(simulated: Path, window: tuple[date, date]) -> None:
    con = connect(simulated)
    frame = kpi.run(con, "channel_mix", *window)
    assert frame["order_lines"].sum() > 0, "the simulated world should have sales in every window"
    assert_same(con, simulated, *window)
