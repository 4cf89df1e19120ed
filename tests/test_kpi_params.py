"""Strict parameters and windows of every KPI call (issue 15, items 1 and 3).

A parameter a KPI does not take is an error that names it and suggests the
closest one it does take, from Python and from the command line; `week=N`
and the default window (the snapshot's latest complete campaign week) give
exactly the numbers of the explicit dates they stand for.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kpi_world import WORLD
from snapshot_builder import build_snapshot
from test_kpi_cli import kpi_cli

from workbench import kpi
from workbench.errors import WorkbenchError
from workbench.kpi.opened import OpenedSnapshot, open_snapshot
from workbench.snapshot.read import connect


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # cutoff 2025-12-21 23:59:59: weeks 1-4 (to 12-19) are complete, week 5 (12-20..12-26) is not.
    return build_snapshot(tmp_path_factory.mktemp("snapshots"), WORLD, snapshot_date="2025-12-21")


@pytest.fixture(scope="module")
def snap(snapshot: Path) -> OpenedSnapshot:
    return open_snapshot(snapshot)


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        (
            "category_mix",
            {"acount_id": "acc01"},
            "category_mix takes no parameter 'acount_id'; did you mean 'account'? it takes start, end, shop, account",
        ),
        (
            "channel_mix",
            {"top": 3},
            "channel_mix takes no parameter 'top'; it takes start, end, shop, account, category",
        ),
        ("top_products", {"limt": 3}, "top_products takes no parameter 'limt'; did you mean 'limit'?"),
        # a campaign rule the KPI's SQL does not bind is not a parameter of it either
        ("channel_mix", {"card_rate": 0.02}, "channel_mix takes no parameter 'card_rate'"),
        ("growth_card", {"categroy": "food"}, "growth_card takes no parameter 'categroy'"),
    ],
)
def test_unknown_parameter_is_refused_with_a_suggestion(
    snap: OpenedSnapshot, name: str, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(WorkbenchError, match=r"^" + message.replace("?", r"\?").replace(".", r"\.")):
        snap.kpi(name, "2025-11-22", "2025-11-28", **extra) if "start" in kpi.get(name).params else snap.kpi(
            name, end="2025-11-28", **extra
        )
    # the engine under the CLI and the report refuses it the same way
    with pytest.raises(WorkbenchError, match=f"^{name} takes no parameter"):
        kpi.run(connect(snap.path), name, None, date(2025, 11, 28), **extra)


def test_a_campaign_rule_the_query_binds_may_be_overridden(snap: OpenedSnapshot) -> None:
    pooled = snap.kpi("lift_accounts", end="2025-12-07", min_controls=1000)
    assert set(pooled["stratum"].to_list()) <= {s for s in pooled["stratum"].to_list() if s.endswith("/*")}


def test_start_is_refused_where_it_would_not_limit_the_kpi(snap: OpenedSnapshot) -> None:
    with pytest.raises(WorkbenchError, match=r"^growth_card counts from the campaign start .* drop start"):
        snap.kpi("growth_card", start="2025-12-01", end="2025-12-07")
    with pytest.raises(WorkbenchError, match=r"^weekly_trend takes no start"):
        snap.kpi("weekly_trend", start="2025-12-01", end="2025-12-07")
    with pytest.raises(WorkbenchError, match=r"^channel_mix needs both start and end"):
        snap.kpi("channel_mix", start="2025-12-01")
    with pytest.raises(WorkbenchError, match=r"^nowcast_development takes no window"):
        snap.kpi("nowcast_development", week=2, cutoff_date=date(2025, 12, 21), mature_days=30, learn_days=60)


@pytest.mark.parametrize("name", [k for k, v in kpi.registry().items() if "end" in v.params])
def test_week_and_default_window_equal_explicit_dates(snap: OpenedSnapshot, name: str) -> None:
    definition = kpi.get(name)
    extra: dict[str, object] = {"min_controls": 1} if "min_controls" in definition.params else {}
    if "mature_days" in definition.params:
        extra.update(cutoff_date=date(2025, 12, 21), mature_days=30)

    def explicit(first: str, last: str) -> object:
        if "start" in definition.params:
            return snap.kpi(name, first, last, **extra)
        return snap.kpi(name, end=last, **extra)

    # week 2 is 2025-11-29..2025-12-05; the latest complete week at cutoff 12-21 is week 4, 12-13..12-19.
    assert snap.kpi(name, week=2, **extra).equals(explicit("2025-11-29", "2025-12-05"))
    assert snap.kpi(name, **extra).equals(explicit("2025-12-13", "2025-12-19"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"week": 5}, r"^week 5 \(2025-12-20 to 2025-12-26\) ends after 2025-12-21, the snapshot's last full day"),
        ({"week": 7}, "^week 7 is outside the campaign; weeks are 1 to 6"),
        ({"week": "2"}, "^week '2' is not a number"),
        ({"week": 2, "start": "2025-11-29"}, "^give either week=N or start/end, not both"),
    ],
)
def test_bad_weeks_are_refused(snap: OpenedSnapshot, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(WorkbenchError, match=message):
        snap.kpi("channel_mix", **kwargs)


def test_no_complete_week_yet_is_refused(tmp_path: Path) -> None:
    early = open_snapshot(build_snapshot(tmp_path, WORLD, snapshot_date="2025-11-25"))
    with pytest.raises(WorkbenchError, match=r"^channel_mix: no window given .* no complete campaign week yet"):
        early.kpi("channel_mix")


def test_cli_refuses_an_unknown_param_with_a_suggestion(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    code, out, err = kpi_cli(capsys, snapshot, "category_mix", "--week", "2", "--param", "acount_id=acc01")
    assert (code, out) == (2, "")
    assert err == (
        "error: category_mix takes no parameter 'acount_id'; did you mean 'account'? "
        "it takes start, end, shop, account\n"
    )


def test_cli_week_and_default_window(capsys: pytest.CaptureFixture[str], snapshot: Path) -> None:
    _, week, _ = kpi_cli(capsys, snapshot, "channel_mix", "--week", "4", "--format", "csv")
    _, dates, _ = kpi_cli(
        capsys, snapshot, "channel_mix", "--start", "2025-12-13", "--end", "2025-12-19", "--format", "csv"
    )
    code, default, err = kpi_cli(capsys, snapshot, "channel_mix", "--format", "csv")
    assert code == 0 and week == dates == default
    assert "week 4 (2025-12-13 to 2025-12-19), the snapshot's latest complete campaign week" in err


def test_cli_contract_start_of_growth_card_is_accepted_and_noted(
    capsys: pytest.CaptureFixture[str], snapshot: Path
) -> None:
    _, plain, _ = kpi_cli(capsys, snapshot, "growth_card", "--end", "2025-12-07", "--format", "csv")
    code, with_start, err = kpi_cli(
        capsys, snapshot, "growth_card", "--start", "2025-12-01", "--end", "2025-12-07", "--format", "csv"
    )
    assert (code, with_start) == (0, plain)
    assert "note: growth_card counts from the campaign start 2025-11-22; --start 2025-12-01 does not limit it" in err
    code, _, err = kpi_cli(capsys, snapshot, "weekly_trend", "--start", "2025-12-01", "--end", "2025-12-07")
    assert code == 2 and err.startswith("error: weekly_trend takes no start")
