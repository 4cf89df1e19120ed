"""A discoverable session (issue 15, item 4) and a readable `workbench kpi --list` (item 9)."""

from __future__ import annotations

import pytest
from kpi_world import WORLD
from snapshot_builder import build_snapshot
from test_kpi_cli import run_cli

import workbench as wb
from workbench import kpi
from workbench.errors import WorkbenchError
from workbench.kpi.opened import OpenedSnapshot


@pytest.fixture(scope="module")
def snap(tmp_path_factory: pytest.TempPathFactory) -> OpenedSnapshot:
    return wb.open(build_snapshot(tmp_path_factory.mktemp("snapshots"), WORLD))


def test_kpis_is_the_dictionary_as_a_frame(snap: OpenedSnapshot) -> None:
    frame = snap.kpis()
    assert frame["name"].to_list() == list(kpi.registry())
    row = frame.filter(frame["name"] == "top_products").row(0, named=True)
    assert row["params"] == "start, end, limit=20" and row["filters"] == "shop, account, category"
    assert row["title_zh"] == "短视频热销商品" and row["columns"].startswith("rank, product_id")


def test_help_names_title_parameters_and_columns(snap: OpenedSnapshot) -> None:
    card = snap.help("channel_mix")
    plain = str(card)
    assert plain.startswith("channel_mix: 渠道结构 / Channel mix (contract)")
    for text in ("start", "end", "shop", "account", "category", "settled_share", "week=N"):
        assert text in plain
    assert "<h3><code>channel_mix</code>" in card._repr_html_()
    assert card._repr_markdown_().startswith("### `channel_mix`")
    assert "accepted from the contract's window" in str(snap.help("growth_card"))
    with pytest.raises(WorkbenchError, match=r"^unknown KPI 'chanel_mix'; did you mean channel_mix"):
        snap.help("chanel_mix")


def test_tables_and_schema(snap: OpenedSnapshot) -> None:
    tables = dict(snap.tables().rows())
    assert tables["orders"] == len(WORLD["orders"]) and tables["accounts"] == 10 and tables["shops"] == 0
    schema = {name: (kind, nullable) for name, kind, nullable in snap.schema("orders").rows()}
    assert schema["order_id"] == ("VARCHAR", False)
    assert schema["account_id"] == ("VARCHAR", True)
    assert schema["paid_at"] == ("TIMESTAMP WITH TIME ZONE", False)
    assert schema["paid_date"] == ("DATE", False) and schema["settled_date"] == ("DATE", True)
    with pytest.raises(WorkbenchError, match=r"^no table 'order'; did you mean 'orders'\?"):
        snap.schema("order")


def test_repr_names_snapshot_cutoff_source_and_path(snap: OpenedSnapshot) -> None:
    text = repr(snap)
    assert text.startswith("OpenedSnapshot(snapshot 2026-01-10, cutoff 2026-01-10T23:59:59+08:00, source ")
    assert "source 'hand-made:test'" in text and text.endswith("/2026-01-10)")  # the dated path a person knows


def test_list_fits_80_columns(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(capsys, "kpi", "--list")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E80) for line in lines) <= 80  # CJK is 2 cells
    words = " ".join(out.split())
    for k in kpi.registry().values():
        # every name with its Chinese title on one line, the English title wrapped after it, never cut
        assert any(line.split()[:2] == [k.name, k.title_zh] for line in lines if line.strip()), k.name
        assert f"{k.title_zh} {k.title_en}" in words, k.name


def test_list_verbose_and_help_for_one(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(capsys, "kpi", "--list", "--verbose")
    assert code == 0 and "Order lines, paid GMV" in out and "filters: shop, account, category" in out
    assert max(len(line) + sum(1 for ch in line if ord(ch) > 0x2E80) for line in out.splitlines()) <= 80
    code, out, _ = run_cli(capsys, "kpi", "channel_mix", "--describe")
    assert code == 0 and out.startswith("channel_mix: 渠道结构 / Channel mix (contract)")


def test_a_cursor_reads_the_same_views_on_its_own_connection_in_utc(snap: OpenedSnapshot) -> None:
    # A cursor is a fresh connection: it starts from the machine's zone unless told, which would move local days.
    snap.sql("set TimeZone = 'Asia/Shanghai'")  # as if the machine were in Shanghai; the cursor must not inherit it
    twin = snap.cursor()
    try:
        assert twin.sql("select current_setting('TimeZone') as tz")["tz"].to_list() == ["UTC"]
        assert twin.con is not snap.con
        snap.sql("set TimeZone = 'UTC'")
        assert twin.kpi("channel_mix", "2025-11-22", "2025-11-28").equals(
            snap.kpi("channel_mix", "2025-11-22", "2025-11-28")
        )
    finally:
        snap.sql("set TimeZone = 'UTC'")
        twin.close()
    # Closing the cursor leaves the snapshot open and its folder held.
    assert snap.sql("select count(*) as n from orders")["n"][0] == snap.manifest.rows("orders")
