"""Round trip: a snapshot exported in API/CSV shapes and ingested again gives the same KPIs.

The generated world (scale 20,000) has multi-line orders whose lines settle
at different times, partial and full refunds, live and short-video lines
and accounts without a promoter, so this exercises every mapping at once.
"""

from __future__ import annotations

from datetime import date

import pytest
from api_export import export

from workbench import kpi
from workbench.ingest import ingest
from workbench.kpi.opened import OpenedSnapshot, open_snapshot
from workbench.simulate import simulate
from workbench.snapshot import contract
from workbench.snapshot.verify import verify

CUTOFF = date(2025, 12, 21)
WINDOWS = [
    (date(2025, 11, 22), date(2025, 12, 21)),
    (date(2025, 8, 1), date(2025, 10, 31)),
    (date(2025, 12, 1), date(2025, 12, 7)),
]
CONTRACT_KPIS = [name for name, k in kpi.registry().items() if k.kind == "contract"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[OpenedSnapshot, OpenedSnapshot, dict]:
    root = tmp_path_factory.mktemp("roundtrip")
    original = simulate(7, 20_000, CUTOFF, root / "original" / CUTOFF.isoformat())
    exports = export(original, root / "exports")
    result = ingest(exports, CUTOFF, root / "ingested" / CUTOFF.isoformat())
    return open_snapshot(original), open_snapshot(result.path), result.counts


def test_every_exported_record_is_accepted(pair: tuple[OpenedSnapshot, OpenedSnapshot, dict]) -> None:
    original, ingested, counts = pair
    assert verify(ingested.path) == []
    for table, numbers in counts.items():
        assert numbers["accepted"] == numbers["read"] > 0, table
    assert ingested.sql("select count(*) from orders").item() == original.sql("select count(*) from orders").item()


@pytest.mark.parametrize("table", [t for t in contract.TABLES if t != "orders"])
def test_dimension_tables_identical(pair: tuple[OpenedSnapshot, OpenedSnapshot, dict], table: str) -> None:
    original, ingested, _ = pair
    keys = ", ".join(contract.KEYS[table])
    query = f"select * from {table} order by {keys}"
    assert ingested.sql(query).equals(original.sql(query))


def test_order_lines_keep_amounts_statuses_and_attribution(pair: tuple[OpenedSnapshot, OpenedSnapshot, dict]) -> None:
    original, ingested, _ = pair
    query = """
        select paid_at, settled_at, channel, status, account_id, content_id, shop_id, product_id, buyer_id,
               count(*) as lines, sum(quantity) as quantity, sum(amount_fen) as amount, sum(refund_fen) as refund
        from orders group by all order by all
    """
    assert ingested.sql(query).equals(original.sql(query))


@pytest.mark.parametrize("name", CONTRACT_KPIS)
@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_contract_kpis_identical(
    pair: tuple[OpenedSnapshot, OpenedSnapshot, dict], name: str, start: date, end: date
) -> None:
    original, ingested, _ = pair
    window = {"start": start, "end": end} if "start" in kpi.get(name).params else {"end": end}
    expected = original.kpi(name, **window)
    assert ingested.kpi(name, **window).equals(expected)


def test_kpis_were_not_empty(pair: tuple[OpenedSnapshot, OpenedSnapshot, dict]) -> None:
    original, _, _ = pair
    assert {"channel_mix", "short_video_share", "category_mix", "newcomer_uptake", "growth_card"} <= set(CONTRACT_KPIS)
    assert original.kpi("channel_mix", start=WINDOWS[0][0], end=WINDOWS[0][1]).height == 6
    assert original.kpi("growth_card", end=WINDOWS[0][1]).height > 0
