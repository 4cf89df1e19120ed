"""The analysts' KPIs (queries/*.sql, kind analyst) against numbers worked out by hand.

Every expected number is derived in a comment next to its assertion from the
rows of tests/support/analyst_world.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from analyst_world import CAMPAIGN, WORLD
from snapshot_builder import build_snapshot

from workbench import kpi
from workbench.config import DEFAULT, CampaignConfig
from workbench.kpi.registry import parse as parse_query
from workbench.snapshot.read import connect

ANALYST_KPIS = (
    "daily_trend",
    "weekly_trend",
    "eligibility_funnel",
    "newcomer_cohorts",
    "newcomer_time_to_first_sale",
    "growth_card_summary",
    "growth_card_distribution",
    "posting_quota_use",
    "traffic_by_tab",
    "category_vs_baseline",
    "promoter_types",
    "top_videos",
    "top_products",
    "paid_share",
    "shop_peers",
)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return connect(build_snapshot(tmp_path_factory.mktemp("world"), WORLD))


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return connect(build_snapshot(tmp_path_factory.mktemp("empty"), {}))


def test_every_analyst_header_declares_exactly_its_own_parameters() -> None:
    rules = set(DEFAULT.sql_params())
    analyst = [k for k in kpi.registry().values() if k.kind == "analyst" and k.path.stem in ANALYST_KPIS]
    assert sorted(k.name for k in analyst) == sorted(ANALYST_KPIS)
    for k in analyst:
        assert set(k.params) | set(k.filters) == set(k.bound_names) - rules, k.name


def test_parameters_are_found_by_duckdbs_parser_not_by_pattern(tmp_path: Path) -> None:
    # `$name` in a string literal, after `--` inside a literal, in a comment or a
    # dollar-quoted string is text; only $x and $y are parameters.
    probe = tmp_path / "probe.sql"
    probe.write_text(
        "-- name: probe\n-- title_zh: 探针\n-- title_en: Probe\n-- kind: analyst\n-- params: x, y\n"
        "-- columns: dashes, literal, dollar, y\n-- description: Uses $in_header only in this comment.\n"
        "select\n"
        "    '--' || $x as dashes,  -- $in_line_comment\n"
        "    '$in_literal -- $after_dashes' || 'it''s $quoted' as literal, /* $in_block_comment */\n"
        "    $$ $in_dollar_quoted $$ as dollar,\n"
        "    $y + 1 as y\n",
        encoding="utf-8",
    )
    probe_kpi = parse_query(probe)
    assert probe_kpi.bound_names == ("x", "y")
    rows = duckdb.connect().sql(probe_kpi.sql, params={"x": "a", "y": 2}).fetchall()
    assert rows == [("--a", "$in_literal -- $after_dashesit's $quoted", " $in_dollar_quoted ", 3)]


def assert_rows(frame: pl.DataFrame, expected: list[tuple[Any, ...]]) -> None:
    """Rows equal `expected`, floats to 1e-9 relative, None exactly."""
    got = frame.rows()
    assert len(got) == len(expected), got
    for row, want in zip(got, expected, strict=True):
        assert len(row) == len(want), row
        for value, wanted in zip(row, want, strict=True):
            if isinstance(wanted, float):
                assert value == pytest.approx(wanted, rel=1e-9), (row, want)
            else:
                assert value == wanted, (row, want)


def run(con: duckdb.DuckDBPyConnection, name: str, start: date | None, end: date, **extra: Any) -> pl.DataFrame:
    """Run a KPI with the parts of (start, end, extra) it takes, so one call fits every KPI."""
    k = kpi.get(name)
    taken = {p: v for p, v in extra.items() if p in k.accepts}
    return kpi.run(con, name, start if "start" in k.accepts else None, end, **taken)


D = date


def test_daily_trend_days_around_the_campaign_start(con: duckdb.DuckDBPyConnection) -> None:
    frame = run(con, "daily_trend", D(2025, 11, 21), D(2025, 11, 24))
    assert frame.columns == list(kpi.get("daily_trend").columns)
    assert_rows(
        frame,
        [
            # O2 paid 15:59:59Z = 23:59:59 local on 11-21: 5,000 settled; ratio 5,000 / 1,000.
            (D(2025, 11, 21), 5000, 0, 5000, 0, 1.0, 0.92, 8.0, 5.0, None, 0.0),
            # O1 paid 16:30Z = 00:30 local on 11-22: 10,000 paid, 9,000 settled after a 1,000 refund.
            (D(2025, 11, 22), 10000, 0, 9000, 0, 1.0, 0.92, 8.0, 9.0, 0.0, 0.0),
            # O3 40,000 short video; O4 20,000 + O10 1,000 live: share 40/61.
            (
                D(2025, 11, 23),
                40000,
                21000,
                40000,
                21000,
                40 / 61,
                0.92,
                (40 / 61 - 0.92) * 100,
                40.0,
                (40 / 61 - 1) * 100,
                0.0,
            ),
            # O5 fully refunded: paid 7,000, nothing settled, no share, nothing left to settle.
            (D(2025, 11, 24), 7000, 0, 0, 0, None, 0.92, None, 0.0, None, 0.0),
        ],
    )


def test_daily_trend_lists_empty_days(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "daily_trend", D(2026, 2, 1), D(2026, 2, 2)),
        [
            (D(2026, 2, 1), 0, 0, 0, 0, None, 0.92, None, 0.0, None, None),
            (D(2026, 2, 2), 0, 0, 0, 0, None, 0.92, None, 0.0, None, None),
        ],
    )
    assert run(con, "daily_trend", *CAMPAIGN).height == 40


def test_weekly_trend_clips_the_last_week_at_end(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "weekly_trend", None, D(2025, 12, 9)),
        [
            # Week 1: sv paid O1 10,000 + O3 40,000 + O5 7,000 + O11 4,000; settled 9,000 + 40,000;
            # live O4 + O10 = 21,000; share 49/70 = 0.7; daily 49,000 / 7 = 7,000 = 7x baseline;
            # paid share 61/82 (baseline 92,000 of 100,000 paid); O11 (4,000, paid) still to settle: 4/82.
            (
                1,
                D(2025, 11, 22),
                D(2025, 11, 28),
                7,
                61000,
                21000,
                49000,
                21000,
                0.7,
                0.92,
                -22.0,
                None,
                7000,
                7.0,
                61 / 82,
                0.92,
                4 / 82,
            ),
            # Week 2: O8 2,000 + O9 50,000, all settled short video: share 1.0, +30 pp on week 1.
            (
                2,
                D(2025, 11, 29),
                D(2025, 12, 5),
                7,
                52000,
                0,
                52000,
                0,
                1.0,
                0.92,
                8.0,
                30.0,
                7428,
                52 / 7,
                1.0,
                0.92,
                0.0,
            ),
            # Week 3 clipped at 12-09 (4 days): only O6 (shipped, 3,000, all still to settle); O7 is paid 12-10.
            (3, D(2025, 12, 6), D(2025, 12, 9), 4, 3000, 0, 0, 0, None, 0.92, None, None, 0, 0.0, 1.0, 0.92, 1.0),
        ],
    )


def test_paid_share_counts_every_line_paid_whatever_its_status(con: duckdb.DuckDBPyConnection) -> None:
    # Week 1: short video O1 10,000 + O3 40,000 + O5 7,000 (refunded) + O11 4,000 (paid, unsettled)
    # = 61,000; live O4 20,000 + O10 1,000 = 21,000; no other channel: 61/82 of both.
    assert_rows(
        run(con, "paid_share", D(2025, 11, 22), D(2025, 11, 28)),
        [(61000, 21000, 82000, 61 / 82, 61 / 82)],
    )
    # Home (P2) that week: only O4, a live line.
    home = kpi.run(con, "paid_share", D(2025, 11, 22), D(2025, 11, 28), category="home")
    assert_rows(home, [(0, 20000, 20000, 0.0, 0.0)])


def test_weekly_trend_has_six_weeks_and_none_before_the_campaign(con: duckdb.DuckDBPyConnection) -> None:
    weeks = run(con, "weekly_trend", None, D(2026, 1, 10))
    assert weeks["days"].to_list() == [7, 7, 7, 7, 7, 5]
    assert weeks["week_end"][-1] == D(2025, 12, 31)
    assert run(con, "weekly_trend", None, D(2025, 11, 21)).height == 0


def test_eligibility_funnel(con: duckdb.DuckDBPyConnection) -> None:
    # By 12-09: enrolled A1, A2, A3 (local 12-08), A6; all posted in the campaign;
    # sold: A1 (O1) and A2 (O3, O9) — A3's sale O7 is paid 12-10, A6's O11 is unsettled,
    # A4 sells but is not eligible.
    assert_rows(
        run(con, "eligibility_funnel", None, D(2025, 12, 9)),
        [
            ("all", "all", 6, 5, 4, 4, 4, 2),
            ("fan_tier", "<1k", 2, 1, 1, 1, 1, 0),  # A3 (self-operated), A4
            ("fan_tier", "1k-10k", 2, 2, 2, 2, 2, 1),  # A1, A6
            ("fan_tier", "10k-100k", 1, 1, 0, 0, 0, 0),  # A5, not enabled
            ("fan_tier", ">=100k", 1, 1, 1, 1, 1, 1),  # A2
            ("promoter_type", "self_operated", 1, 1, 1, 1, 1, 0),
            ("promoter_type", "independent", 5, 4, 3, 3, 3, 2),
        ],
    )


def test_eligibility_funnel_counts_enrolment_by_local_date(con: duckdb.DuckDBPyConnection) -> None:
    # A1 enrolled 2025-11-21T16:30Z, which is 11-22 in Asia/Shanghai: nobody is enrolled by 11-21.
    funnel = run(con, "eligibility_funnel", None, D(2025, 11, 21))
    assert funnel.row(0) == ("all", "all", 6, 5, 4, 0, 0, 0)


def test_newcomer_time_to_first_sale(con: duckdb.DuckDBPyConnection) -> None:
    # Week 1: A1 (enrolled local 11-22, first sale O1 local 11-22: 0 days) and A6 (no settled sale).
    # Week 3: A3 enrolled local 12-08; by 12-09 no sale, by 12-31 O7 on 12-10: 2 days.
    assert_rows(
        run(con, "newcomer_time_to_first_sale", None, D(2025, 12, 9)),
        [
            (1, 2, 1, 0.0, 0.5),
            (3, 1, 0, None, 0.0),
        ],
    )
    assert_rows(
        run(con, "newcomer_time_to_first_sale", None, CAMPAIGN[1]),
        [
            (1, 2, 1, 0.0, 0.5),
            (3, 1, 1, 2.0, 1.0),
        ],
    )


def test_newcomer_cohorts_curves(con: duckdb.DuckDBPyConnection) -> None:
    short = run(con, "newcomer_cohorts", None, D(2025, 12, 9))
    # Week 1 runs from day 0 (11-22) to 17 (12-09); week 3 from 0 (12-08) to 1.
    assert short.height == 18 + 2
    assert_rows(short.filter(pl.col("cohort_week") == 3), [(3, 1, 0, 0, 0.0), (3, 1, 1, 0, 0.0)])
    assert set(short.filter(pl.col("cohort_week") == 1)["cumulative_share_selling"]) == {0.5}
    full = run(con, "newcomer_cohorts", None, CAMPAIGN[1])
    assert_rows(
        full.filter(pl.col("cohort_week") == 3).head(3),
        [
            (3, 1, 0, 0, 0.0),
            (3, 1, 1, 0, 0.0),
            (3, 1, 2, 1, 1.0),
        ],
    )
    assert full.filter(pl.col("cohort_week") == 3)["days_since_enrollment"].max() == 23  # 12-31 - 12-08


def test_growth_card_summary(con: duckdb.DuckDBPyConnection) -> None:
    # A1: 9,000 fen -> 90 yuan * 1.5% = 1.35; A3: 6,000 -> 0.9; A2 (existing): 90,000 - 1,000 * 40
    # = 50,000 -> 7.5. A6 has no settled sale. p50 1.35; p90 1.35 + 0.8 * (7.5 - 1.35) = 6.27.
    assert_rows(
        run(con, "growth_card_summary", None, CAMPAIGN[1]),
        [
            (3, 2, 1, 9.75, 2.25, 7.5, 0, 0, 1.35, 6.27, 7.5, 40, 9.75),
        ],
    )
    # By 12-09 A3 has no sale yet: 1.35 + 7.5 over 18 days, paced to 40.
    assert_rows(
        run(con, "growth_card_summary", None, D(2025, 12, 9)),
        [
            (2, 1, 1, 8.85, 1.35, 7.5, 0, 0, 4.425, 6.885, 7.5, 18, 8.85 / 18 * 40),
        ],
    )
    assert_rows(
        run(con, "growth_card_summary", None, D(2025, 11, 21)),
        [
            (0, 0, 0, 0.0, 0.0, 0.0, 0, 0, None, None, None, 0, None),
        ],
    )


def test_growth_card_distribution_and_cap(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "growth_card_distribution", None, CAMPAIGN[1]),
        [
            ("0-10", 1, 3, 9.75),
            ("10-100", 2, 0, 0.0),
            ("100-1k", 3, 0, 0.0),
            ("1k-10k", 4, 0, 0.0),
            ("10k-150k", 5, 0, 0.0),
            ("at cap", 6, 0, 0.0),
        ],
    )
    # A card rate of 400 (points per yuan) puts A2's 500 yuan at 200,000 -> capped at 150,000;
    # A1 90 yuan -> 36,000 and A3 60 yuan -> 24,000.
    rich = CampaignConfig(card_rate=400.0)
    assert_rows(
        kpi.run(con, "growth_card_distribution", None, CAMPAIGN[1], rich).tail(2),
        [
            ("10k-150k", 5, 2, 60000.0),
            ("at cap", 6, 1, 150000.0),
        ],
    )
    assert kpi.run(con, "growth_card_summary", None, CAMPAIGN[1], rich)["accounts_at_cap"].item() == 1


def test_growth_card_summary_near_the_cap_and_paced_to_it(con: duckdb.DuckDBPyConnection) -> None:
    # 250 points a yuan: A2's reward base of 500 yuan -> 125,000 points, at least 0.8 of the
    # 150,000 cap (near it); A1 90 yuan -> 22,500, A3 60 yuan -> 15,000.
    near = CampaignConfig(card_rate=250.0)
    summary = kpi.run(con, "growth_card_summary", None, CAMPAIGN[1], near).row(0, named=True)
    assert (summary["accounts_at_cap"], summary["accounts_near_cap"]) == (0, 1)
    # By 12-09 (18 days) A2 already has its 125,000 (O3 and O9 paid by 11-30) and A1 22,500
    # (O1 9,000 fen). Paced to 40 days each account is held to the cap: A1 22,500 / 18 * 40 =
    # 50,000; A2 125,000 / 18 * 40 passes 150,000, so it counts 150,000.
    early = kpi.run(con, "growth_card_summary", None, D(2025, 12, 9), near).row(0, named=True)
    assert early["accounts"] == 2
    assert early["projected_total_points"] == pytest.approx(22_500 / 18 * 40 + 150_000, rel=1e-12)


def test_posting_quota_use(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "posting_quota_use", *CAMPAIGN),
        [
            ("<1k", 1, 1, 1, 2, 2.0, 1.0, 1),  # A3: 2 videos on 12-08 against a quota of 1
            ("1k-10k", 2, 2, 2, 3, 1.5, 0.5, 0),  # A1: 2 on 11-22 (at quota), A6: 1 on 11-26
            ("10k-100k", 5, 1, 1, 1, 1.0, 0.0, 0),  # A5
            (">=100k", 10, 1, 1, 1, 1.0, 0.0, 0),  # A2
        ],
    )


def test_posting_quota_use_takes_the_local_day(con: duckdb.DuckDBPyConnection) -> None:
    # V4 (2025-11-20T20:00Z) is local 11-21; V1 (2025-11-21T16:10Z) is local 11-22.
    assert_rows(
        run(con, "posting_quota_use", D(2025, 11, 21), D(2025, 11, 21)),
        [
            ("<1k", 1, 1, 1, 1, 1.0, 1.0, 0),
            ("1k-10k", 2, 0, 0, 0, None, None, 0),
            ("10k-100k", 5, 0, 0, 0, None, None, 0),
            (">=100k", 10, 0, 0, 0, None, None, 0),
        ],
    )


# Three tiers instead of the default four: A3 (500), A4 (800) and A6 (1,500) are
# under 2k; A1 (5,000) and A5 (20,000) in 2k-100k; A2 (200,000) at 100k and up.
THREE_TIERS = CampaignConfig(quota_tiers=((0, 1), (2_000, 3), (100_000, 8)))


def test_posting_quota_use_follows_the_configured_tiers(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        kpi.run(con, "posting_quota_use", *CAMPAIGN, THREE_TIERS),
        [
            ("<2k", 1, 2, 2, 3, 1.5, 1.0, 1),  # A3: 2 on 12-08 (over 1), A6: 1 on 11-26 (at 1)
            ("2k-100k", 3, 2, 2, 3, 1.5, 0.0, 0),  # A1: 2 on 11-22, A5: 1, both under 3
            (">=100k", 8, 1, 1, 1, 1.0, 0.0, 0),  # A2
        ],
    )


def test_eligibility_funnel_follows_the_configured_tiers(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        kpi.run(con, "eligibility_funnel", None, D(2025, 12, 9), THREE_TIERS),
        [
            ("all", "all", 6, 5, 4, 4, 4, 2),
            ("fan_tier", "<2k", 3, 2, 2, 2, 2, 0),  # A3, A4 (not eligible), A6
            ("fan_tier", "2k-100k", 2, 2, 1, 1, 1, 1),  # A1, A5 (not enabled)
            ("fan_tier", ">=100k", 1, 1, 1, 1, 1, 1),  # A2
            ("promoter_type", "self_operated", 1, 1, 1, 1, 1, 0),
            ("promoter_type", "independent", 5, 4, 3, 3, 3, 2),
        ],
    )


@pytest.mark.parametrize(
    "config",
    [
        DEFAULT,
        THREE_TIERS,
        CampaignConfig(quota_tiers=((100, 1), (1_000, 2), (5_000, 3), (50_000, 6), (1_000_000, 12))),
        CampaignConfig(quota_tiers=((0, 4),)),
    ],
    ids=["four", "three", "five-from-100", "one"],
)
def test_fan_tier_macro_agrees_with_the_config(con: duckdb.DuckDBPyConnection, config: CampaignConfig) -> None:
    # The SQL macros and CampaignConfig.fan_tier / quota_for / quota_tier_labels are the same rule.
    params = {k: v for k, v in config.sql_params().items() if k.startswith("quota_tier_")}
    fans = [0, 1, 99, 100, 999, 1_000, 1_999, 2_000, 4_999, 5_000, 49_999, 50_000, 99_999, 100_000, 10**6, 10**9]
    got = con.sql(
        "select f, fan_tier(f, $quota_tier_min_fans) as tier, "
        "$quota_tier_quotas[fan_tier(f, $quota_tier_min_fans)], $quota_tier_labels[fan_tier(f, $quota_tier_min_fans)] "
        f"from unnest({fans}) as t(f) order by f",
        params=params,
    ).fetchall()
    labels = config.quota_tier_labels
    assert got == [(f, config.fan_tier(f), config.quota_for(f), labels[config.fan_tier(f) - 1]) for f in fans]
    tiers = con.sql(
        "select * from fan_tiers($quota_tier_min_fans, $quota_tier_quotas, $quota_tier_labels)", params=params
    )
    assert tiers.fetchall() == [
        (i, lower, labels[i - 1], videos) for i, (lower, videos) in enumerate(config.quota_tiers, 1)
    ]


def test_traffic_by_tab(con: duckdb.DuckDBPyConnection) -> None:
    # V1: 1 line (O1, 10,000) split 30:10 by clicks. V2: 3 lines (O3, O5, O9: 97,000) split 50:50
    # between 11-23 (A2 not enrolled) and 11-30 (enrolled). V4: no clicks, so by impressions.
    assert_rows(
        run(con, "traffic_by_tab", *CAMPAIGN),
        [
            (True, "recommend", 2000, 900, 0.45, 80, 0.04, 2.25, 56000, 1.125, 28000.0),
            (True, "follow", 500, 0, 0.0, 10, 0.02, 0.25, 2500, 0.5, 5000.0),
            (False, "recommend", 2000, 0, 0.0, 50, 0.025, 1.5, 48500, 0.75, 24250.0),
            (False, "friends", 100, 0, 0.0, 0, 0.0, 1.0, 2000, 10.0, 20000.0),
        ],
    )


def test_category_vs_baseline(con: duckdb.DuckDBPyConnection) -> None:
    # Short video settled: food O1 9,000 + O8 2,000; home O7 6,000; beauty O3 + O9 90,000 (of 107,000).
    # Baseline: short video all food (B1), live all home (B2). O10's product P9 is unknown: other.
    assert_rows(
        run(con, "category_vs_baseline", *CAMPAIGN),
        [
            # Paid adds O11 (food, 4,000, unsettled), O5 (beauty, 7,000, refunded) and O6 (home,
            # 3,000, shipped): food 16,000, home 9,000, beauty 97,000 of 122,000; baseline paid as settled.
            ("short_video", "food", 11000, 11 / 107, 1.0, (11 / 107 - 1) * 100, 16000, 16 / 122, 1.0),
            ("short_video", "home", 6000, 6 / 107, 0.0, 600 / 107, 9000, 9 / 122, 0.0),
            ("short_video", "beauty", 90000, 90 / 107, 0.0, 9000 / 107, 97000, 97 / 122, 0.0),
            ("live", "home", 20000, 20 / 21, 1.0, (20 / 21 - 1) * 100, 20000, 20 / 21, 1.0),
            ("live", "other", 1000, 1 / 21, 0.0, 100 / 21, 1000, 1 / 21, 0.0),
        ],
    )


@pytest.mark.parametrize(
    ("focus", "short_video", "live"),
    [
        (("other", "beauty"), ["beauty", "food", "home"], ["other", "home"]),
        (("home",), ["home", "beauty", "food"], ["home", "other"]),
        ((), ["beauty", "food", "home"], ["home", "other"]),
    ],
)
def test_category_vs_baseline_puts_the_configured_focus_first(
    con: duckdb.DuckDBPyConnection, focus: tuple[str, ...], short_video: list[str], live: list[str]
) -> None:
    rows = kpi.run(con, "category_vs_baseline", *CAMPAIGN, CampaignConfig(focus_categories=focus))
    assert rows["channel"].to_list() == ["short_video"] * 3 + ["live"] * 2
    assert rows["category"].to_list() == short_video + live


def test_category_vs_baseline_in_an_empty_window(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "category_vs_baseline", D(2026, 2, 1), D(2026, 2, 7)),
        [
            ("short_video", "food", 0, None, 1.0, None, 0, None, 1.0),
            ("live", "home", 0, None, 1.0, None, 0, None, 1.0),
        ],
    )


def test_promoter_types(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "promoter_types", *CAMPAIGN),
        [
            # A2, A4, A5, A6: A2 90,000 sv + 21,000 live; A4 2,000 sv.
            ("independent", False, 4, 2, 92000, 21000, 92 / 113),
            ("independent", True, 1, 1, 9000, 0, 1.0),  # A1
            ("self_operated", True, 1, 1, 6000, 0, 1.0),  # A3
        ],
    )
    # On 11-21 only O2 (A1, 5,000) sold.
    assert run(con, "promoter_types", D(2025, 11, 21), D(2025, 11, 21))["selling_accounts"].to_list() == [0, 1, 0]


def test_top_videos_and_products(con: duckdb.DuckDBPyConnection) -> None:
    assert_rows(
        run(con, "top_videos", *CAMPAIGN, limit=2),
        [
            (1, "V2", "A2", "老带货", "P3", "面霜", "beauty", 3, 90000, 97000),
            (2, "V1", "A1", "新手一号", "P1", "坚果礼盒", "food", 1, 9000, 10000),
        ],
    )
    assert_rows(
        run(con, "top_products", *CAMPAIGN, limit=20),
        [
            (1, "P3", "面霜", "beauty", "S2", "二号店", 1, 3, 90000, 97000),
            (2, "P1", "坚果礼盒", "food", "S1", "一号店", 3, 3, 11000, 16000),  # V1, V4, V6
            (3, "P2", "收纳盒", "home", "S1", "一号店", 1, 2, 6000, 9000),  # O6 shipped, O7 settled
        ],
    )


EMPTY_HEIGHTS = {
    "daily_trend": 40,
    "weekly_trend": 6,
    "eligibility_funnel": 7,
    "newcomer_cohorts": 0,
    "newcomer_time_to_first_sale": 0,
    "growth_card_summary": 1,
    "growth_card_distribution": 6,
    "posting_quota_use": 4,
    "traffic_by_tab": 0,
    "category_vs_baseline": 0,
    "promoter_types": 0,
    "top_videos": 0,
    "top_products": 0,
    "paid_share": 1,
    "shop_peers": 0,
}


@pytest.mark.parametrize("name", ANALYST_KPIS)
def test_every_query_answers_on_an_empty_snapshot(empty: duckdb.DuckDBPyConnection, name: str) -> None:
    frame = run(empty, name, CAMPAIGN[0], CAMPAIGN[1], limit=20)
    assert frame.height == EMPTY_HEIGHTS[name]
    money = [c for c in frame.columns if c.endswith("_fen") and frame.schema[c] == pl.Int64]
    assert all(frame[c].sum() == 0 for c in money)


def test_unpartitioned_orders_give_the_same_answers(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    flat = connect(build_snapshot(tmp_path, WORLD, partition_orders=False))
    for name in ANALYST_KPIS:
        assert run(flat, name, *CAMPAIGN, limit=20).equals(run(con, name, *CAMPAIGN, limit=20)), name
