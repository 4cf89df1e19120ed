"""The synthetic generator: realism, the planted effect, determinism, validity.

Worlds are generated once per module at a small scale (150k order lines over
2025-08-01..2026-01-31) and read through the same DuckDB views the KPIs use,
so every property is checked on the data a user would analyse.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from workbench.cli import main
from workbench.config import DEFAULT
from workbench.errors import WorkbenchError
from workbench.simulate import simulate
from workbench.snapshot.contract import CATEGORIES, CHANNELS, STATUSES
from workbench.snapshot.manifest import read_raw as read_manifest
from workbench.snapshot.read import connect
from workbench.snapshot.verify import verify

SEED = 7
SCALE = 150_000
CUTOFFS = ("2025-11-15", "2025-12-07", "2026-01-10")
BASELINE = "paid_date between date '2025-08-01' and date '2025-10-31'"
CAMPAIGN = "paid_date between date '2025-11-22' and date '2025-12-31'"
SETTLED = "sum(amount_fen - refund_fen) filter (where status = 'settled' and {window})"


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("worlds")
    return {day: simulate(SEED, SCALE, date.fromisoformat(day), root / day) for day in CUTOFFS}


def with_account_facts(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Add `acc`: accounts plus eligibility, enrolment, baseline short-video GMV and campaign short-video lines."""
    con.execute(
        f"""
        create temp table acc as
        select a.*,
            (effective_fans >= 1000 or is_self_operated) and short_video_commerce_enabled as eligible,
            e.enrolled_at,
            e.enrolled_at is not null as enrolled,
            coalesce(s.base_sv, 0) as base_sv,
            coalesce(s.campaign_lines, 0) as campaign_sv_lines
        from accounts a
        left join enrollments e using (account_id)
        left join (
            select account_id,
                {SETTLED.format(window=BASELINE)} as base_sv,
                count(*) filter (where {CAMPAIGN}) as campaign_lines
            from orders where channel = 'short_video' group by 1
        ) s using (account_id)
        """
    )
    return con


@pytest.fixture(scope="module")
def con(worlds: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """The latest snapshot with account facts."""
    return with_account_facts(connect(worlds["2026-01-10"]))


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.sql(sql).fetchall()[0]


def column(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    return [row[0] for row in con.sql(sql).fetchall()]


def test_ids_have_the_platform_shapes(con: duckdb.DuckDBPyConnection) -> None:
    shapes = {
        "select account_id from accounts": r"sph[0-9A-Za-z]{12}",
        "select shop_id from shops": r"wx[0-9a-f]{16}",
        "select product_id from products": r"1\d{13}",
        "select video_id from videos": r"export/UzFfAgtg[0-9A-Za-z]{28}",
        "select live_id from live_sessions": r"export/UzFfAgtg[0-9A-Za-z]{24}",
        "select distinct order_id from orders": r"37\d{17}",
    }
    for sql, shape in shapes.items():
        values = column(con, sql)
        assert values and all(re.fullmatch(shape, v) for v in values), sql
    assert one(con, "select min(cast(order_id as HUGEINT)) > 9007199254740992 from orders")[0]


def test_fans_are_heavy_tailed_and_roles_consistent(con: duckdb.DuckDBPyConnection) -> None:
    below_1000, big, median = one(
        con,
        "select avg((effective_fans < 1000)::int), count(*) filter (where effective_fans >= 100000), median(effective_fans) from accounts",
    )
    assert below_1000 > 0.5 and big >= 1 and median < 1000
    assert one(con, "select count(*) from accounts where is_self_operated <> (shop_id is not null)")[0] == 0
    assert (
        one(
            con,
            "select count(*) from accounts a where shop_id is not null and shop_id not in (select shop_id from shops)",
        )[0]
        == 0
    )
    assert one(con, "select count(*) filter (where not short_video_commerce_enabled) from accounts")[0] > 0


def test_live_dominates_the_baseline_and_short_video_rises_in_the_campaign(con: duckdb.DuckDBPyConnection) -> None:
    shares = con.sql(
        f"""
        select channel,
            {SETTLED.format(window=BASELINE)} / sum({SETTLED.format(window=BASELINE)}) over () as base,
            {SETTLED.format(window=CAMPAIGN)} / sum({SETTLED.format(window=CAMPAIGN)}) over () as camp
        from orders group by channel
        """
    ).fetchall()
    by_channel = {c: (b, k) for c, b, k in shares}
    assert set(by_channel) == set(CHANNELS)
    assert by_channel["live"][0] >= 0.70
    assert 0.03 <= by_channel["short_video"][0] <= 0.10
    assert by_channel["short_video"][1] > by_channel["short_video"][0] + 0.02


def test_short_video_growth_comes_from_enrolled_accounts_most_from_newcomers(con: duckdb.DuckDBPyConnection) -> None:
    growth = dict(
        con.sql(
            f"""
            select case when not enrolled then 'other' when base_sv > 0 then 'enrolled_existing' else 'enrolled_newcomer' end as grp,
                coalesce({SETTLED.format(window=CAMPAIGN)}, 0) / 40 - coalesce({SETTLED.format(window=BASELINE)}, 0) / 92
            from orders join acc using (account_id) where channel = 'short_video' group by 1
            """
        ).fetchall()
    )
    assert growth["enrolled_newcomer"] > growth["enrolled_existing"] > growth["other"]


def test_food_and_home_grow_most_in_short_video(con: duckdb.DuckDBPyConnection) -> None:
    growth = dict(
        con.sql(
            f"""
            select category in ('food', 'home'), ({SETTLED.format(window=CAMPAIGN)} / 40) / ({SETTLED.format(window=BASELINE)} / 92)
            from orders join products using (product_id) where channel = 'short_video' group by 1
            """
        ).fetchall()
    )
    assert growth[True] > 1.2 * growth[False] > 1.2


def test_enrolment_eligible_front_loaded_newcomer_heavy(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, "select count(*) from acc where enrolled and not eligible")[0] == 0
    first, last, early, newcomers, silent, total = one(
        con,
        """
        select min(day), max(day), avg((day < date '2025-12-06')::int), avg((base_sv = 0)::int),
            count(*) filter (where campaign_sv_lines = 0), count(*)
        from (select *, cast(timezone('Asia/Shanghai', enrolled_at) as DATE) as day from acc where enrolled)
        """,
    )
    assert first >= DEFAULT.campaign_start and last <= DEFAULT.campaign_end
    assert early > 0.6
    assert newcomers > 0.3
    assert 0 < silent < total


def test_enrolled_accounts_self_select(con: duckdb.DuckDBPyConnection) -> None:
    enrolled, others = one(
        con,
        "select avg(base_sv) filter (where enrolled), avg(base_sv) filter (where not enrolled) from acc where eligible and base_sv > 0",
    )
    assert enrolled > 2 * others


# (post / pre) short-video lines of enrolled existing sellers over that of the others, for
# 2025-12-08..31 (when most have enrolled) against the baseline: about 1 + true_lift.
DID_SQL = f"""
with existing as (select account_id, enrolled from acc where base_sv > 0),
lines as (
    select account_id,
        count(*) filter (where {BASELINE}) / 92 as pre,
        count(*) filter (where paid_date between date '2025-12-08' and date '2025-12-31') / 24 as post
    from orders where channel = 'short_video' group by 1
)
select (sum(post) filter (where enrolled) / sum(pre) filter (where enrolled))
     / (sum(post) filter (where not enrolled) / sum(pre) filter (where not enrolled))
from existing join lines using (account_id)
"""


def test_true_lift_is_recoverable_by_difference_in_differences(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    flat = with_account_facts(connect(simulate(SEED, SCALE, date(2026, 1, 10), tmp_path / "2026-01-10", true_lift=0.0)))
    lifted, none = one(con, DID_SQL)[0], one(flat, DID_SQL)[0]
    assert 0.8 < none < 1.25
    assert 1.3 < lifted < 2.0
    assert lifted - none > 0.3


def test_videos_respect_the_daily_quota(con: duckdb.DuckDBPyConnection) -> None:
    busiest = con.sql(
        """
        select effective_fans, max(videos), sum(videos)
        from (select account_id, cast(timezone('Asia/Shanghai', published_at) as DATE) as day, count(*) as videos
              from videos group by all)
        join accounts using (account_id) group by account_id, effective_fans
        """
    ).fetchall()
    assert sum(total for _, _, total in busiest) > 10_000
    assert all(most <= DEFAULT.quota_for(fans) for fans, most, _ in busiest)
    assert any(most == DEFAULT.quota_for(fans) > 1 for fans, most, _ in busiest)


def test_sales_point_at_earlier_content_of_the_credited_account(con: duckdb.DuckDBPyConnection) -> None:
    video_lines, bad_video = one(
        con,
        """
        select count(*), count(*) filter (where v.video_id is null or v.account_id <> o.account_id or v.published_at >= o.paid_at)
        from orders o left join videos v on v.video_id = o.content_id where o.channel = 'short_video'
        """,
    )
    live_lines, bad_live = one(
        con,
        """
        select count(*), count(*) filter (where l.live_id is null or l.account_id <> o.account_id
                                          or o.paid_at not between l.started_at and l.ended_at)
        from orders o left join live_sessions l on l.live_id = o.content_id where o.channel = 'live'
        """,
    )
    assert video_lines > 1000 and live_lines > 10_000 and bad_video == 0 and bad_live == 0
    assert (
        one(con, "select count(*) from orders where channel not in ('live', 'short_video') and content_id is not null")[
            0
        ]
        == 0
    )
    assert one(con, "select count(*) from orders where channel = 'other' and account_id is not null")[0] == 0


def test_traffic_by_tab_with_boost_only_for_enrolled_in_the_campaign(con: duckdb.DuckDBPyConnection) -> None:
    by_tab = dict(con.sql("select tab, sum(impressions) from video_traffic group by tab").fetchall())
    assert max(by_tab, key=by_tab.get) == "recommend" and set(by_tab) == {"recommend", "follow", "friends"}
    stray_boost, boosted_rows = one(
        con,
        """
        select count(*) filter (where a.enrolled_at is null or t.date < cast(timezone('Asia/Shanghai', a.enrolled_at) as DATE)
                                or t.date not between date '2025-11-22' and date '2025-12-31' or t.tab <> 'recommend'),
               count(*)
        from video_traffic t join videos v using (video_id) join acc a using (account_id) where t.boosted_impressions > 0
        """,
    )
    assert stray_boost == 0 and boosted_rows > 1000
    assert (
        one(
            con,
            "select count(*) from video_traffic where product_clicks >= impressions or boosted_impressions > impressions",
        )[0]
        == 0
    )
    click_rate = one(con, "select sum(product_clicks) / sum(impressions) from video_traffic")[0]
    orders_per_click = one(
        con,
        "select (select count(distinct order_id) from orders where channel = 'short_video' and paid_date between '2025-09-01' and '2025-12-31') "
        "/ (select sum(product_clicks) from video_traffic where date between '2025-09-01' and '2025-12-31')",
    )[0]
    assert 0.01 < click_rate < 0.08 and 0.01 < orders_per_click < 0.08


def test_order_lifecycle_statuses_and_refunds(con: duckdb.DuckDBPyConnection) -> None:
    assert set(column(con, "select distinct status from orders")) == set(STATUSES)
    assert set(column(con, "select distinct category from products")) == set(CATEGORIES)
    refund_rates = dict(
        con.sql(
            "select category, avg((refund_fen > 0)::int) from orders join products using (product_id) group by 1"
        ).fetchall()
    )
    assert max(refund_rates, key=refund_rates.get) == "apparel"
    assert (
        one(
            con, "select count(*) from orders where refund_fen > 0 and refund_fen < amount_fen and status <> 'refunded'"
        )[0]
        > 100
    )
    recent, older = one(
        con,
        "select avg((status = 'settled')::int) filter (where paid_date > date '2025-12-27'), "
        "avg((status = 'settled')::int) filter (where paid_date < date '2025-12-01') from orders",
    )
    assert recent < 0.3 and older > 0.85
    assert one(con, "select count(*) from orders where settled_at < paid_at + interval 9 days")[0] == 0


def test_every_table_is_written_and_the_settings_recorded(worlds: dict[str, Path]) -> None:
    manifest = read_manifest(worlds["2025-12-07"])
    assert manifest["source"] == f"synthetic:seed={SEED},scale={SCALE}"
    assert manifest["cutoff"] == "2025-12-07T23:59:59+08:00"
    details = manifest["source_details"]
    assert details["generator"] == "workbench.simulate" and details["seed"] == SEED
    assert details["order_lines_target"] == SCALE and details["true_lift"] == 0.6 and details["settle_days"] == 7
    assert details["common_campaign_uplift"] > 0 and details["season"]
    assert all(manifest["tables"][t]["rows"] > 0 for t in manifest["tables"])


def test_lines_up_to_the_last_cutoff_add_up_to_the_scale(con: duckdb.DuckDBPyConnection) -> None:
    lines = one(con, "select count(*) from orders")[0]
    assert 0.8 * SCALE < lines < SCALE


@pytest.mark.parametrize("cutoff", CUTOFFS)
def test_generated_snapshots_verify_clean(worlds: dict[str, Path], cutoff: str) -> None:
    assert verify(worlds[cutoff]) == []


def test_same_inputs_give_identical_files(tmp_path: Path) -> None:
    first = simulate(3, 20_000, date(2025, 12, 7), tmp_path / "a" / "2025-12-07")
    second = simulate(3, 20_000, date(2025, 12, 7), tmp_path / "b" / "2025-12-07")
    files = [{t: e["files"] for t, e in read_manifest(p)["tables"].items()} for p in (first, second)]
    assert files[0] == files[1]
    other_seed = simulate(4, 20_000, date(2025, 12, 7), tmp_path / "c" / "2025-12-07")
    assert read_manifest(other_seed)["tables"]["orders"]["files"] != files[0]["orders"]


def test_a_later_cutoff_shows_the_same_world_further_on(worlds: dict[str, Path]) -> None:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name, day in (("early", "2025-12-07"), ("late", "2026-01-10")):
        con.execute(
            f"create view {name} as from read_parquet('{worlds[day]}/orders/**/*.parquet', hive_partitioning = false)"
        )
    missing, changed, resettled, shrunk, reverted, early_lines = one(
        con,
        """
        select count(*) filter (where l.order_id is null),
            count(*) filter (where e.amount_fen <> l.amount_fen or e.paid_at <> l.paid_at or e.product_id <> l.product_id),
            count(*) filter (where e.status = 'settled' and l.settled_at is distinct from e.settled_at),
            count(*) filter (where l.refund_fen < e.refund_fen),
            count(*) filter (where e.status = 'refunded' and l.status <> 'refunded'),
            count(*)
        from early e left join late l using (order_id, line_no)
        """,
    )
    assert early_lines > 50_000 and (missing, changed, resettled, shrunk, reverted) == (0, 0, 0, 0, 0)
    moved = one(con, "select count(*) from early e join late l using (order_id, line_no) where e.status <> l.status")[0]
    assert moved > 1000
    for table in ("accounts", "products", "shops"):
        tables = [
            sorted(duckdb.sql(f"from read_parquet('{worlds[d]}/{table}/*.parquet')").fetchall())
            for d in ("2025-12-07", "2026-01-10")
        ]
        assert tables[0] == tables[1], table
    enrolled = [
        set(column(connect(worlds[d]), "select account_id || enrolled_at from enrollments"))
        for d in ("2025-12-07", "2026-01-10")
    ]
    assert enrolled[0] < enrolled[1]


def test_default_folder_is_the_cutoff_under_data_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    path = simulate(1, 10_000, date(2025, 11, 30), progress=True)
    assert path == tmp_path / "data" / "snapshots" / "2025-11-30"
    assert json.loads((path / "_manifest.json").read_text(encoding="utf-8"))["snapshot_date"] == "2025-11-30"


def test_settle_days_sets_the_delay_after_delivery(tmp_path: Path) -> None:
    slow = connect(simulate(1, 10_000, date(2025, 11, 30), tmp_path / "2025-11-30", settle_days=20))
    quickest = one(slow, "select min(settled_at - paid_at) from orders")[0]
    # shipping takes >= 0.1 day and delivery >= 2 days before the 20 days to settle
    assert quickest.days == 22 and quickest.total_seconds() >= 22.1 * 86_400
    assert read_manifest(tmp_path / "2025-11-30")["source_details"]["settle_days"] == 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "demo", "--cutoff", "2025-10-31"], "cutoff 2025-10-31 is outside 2025-11-01..2026-01-31"),
        (["--scale", "demo", "--cutoff", "2026-02-01"], "cutoff 2026-02-01 is outside"),
        (["--scale", "huge", "--cutoff", "2025-12-07"], "scale 'huge' is not demo, large"),
        (["--scale", "500", "--cutoff", "2025-12-07"], "scale 500 order lines is outside"),
        (["--scale", "demo", "--cutoff", "2025-12-32"], "--cutoff '2025-12-32' is not a date"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "argv", ["workbench", "simulate", "--seed", "1", "--out", str(tmp_path / "x"), *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_bad_python_arguments_raise_workbench_errors(tmp_path: Path) -> None:
    for kwargs in ({"seed": -1}, {"true_lift": -0.5}, {"settle_days": -1}):
        with pytest.raises(WorkbenchError) as err:
            simulate(**{"seed": 1, "scale": 10_000, "cutoff": date(2025, 12, 7), "out": tmp_path / "y", **kwargs})
        assert err.value.exit_code == 2
