"""Peer benchmarks (queries/shop_peers.sql, issue 18 item 3) against numbers worked out by hand.

The world is tests/support/peer_world.py (its docstring tabulates every
shop's lines). Percentiles are DuckDB's quantile_cont: over n sorted values
v0..v(n-1), the q-th is read at position (n - 1) * q, interpolating between
the two values either side.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from peer_world import WINDOW, WORLD
from snapshot_builder import build_snapshot
from test_kpi_analyst import assert_rows

from workbench import kpi
from workbench.config import CampaignConfig
from workbench.snapshot.read import connect

START, END = (date.fromisoformat(d) for d in WINDOW)
METRICS = ("short_video_share", "newcomer_uptake", "points_per_10k_yuan", "video_conversion")


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return connect(build_snapshot(tmp_path_factory.mktemp("peers"), WORLD))


# Each shop: main category, size band, paid GMV in the window, and its four values
# (short_video_share, newcomer_uptake, points_per_10k_yuan, video_conversion).
SHOPS = {
    # share 200,000 / 400,000. Uptake: F1's newcomers are N1 (video VN1a, sold 100,000); N3 also posted
    # a video of PF1 but enrolled 12-05, after end; X1 is not eligible: 1 / 1. Points: N1's card is
    # 400,000 (F1 100,000 + F2 300,000) / 100 * 0.015 = 60 points, a quarter (15) earned at F1, whose
    # settled short video is 200,000 fen (X1's line earns none) = 0.2 of 10,000 yuan: 15 / 0.2 = 75.
    # Conversion: lines of VN1a and VX1 = 2, their clicks 40 + 60 (VN3's are after the window): 0.02.
    "F1": ("food", "<10k", 400_000, (0.5, 1.0, 75.0, 0.02)),
    # 300,000 / 400,000; N1 sells: 1 / 1; N1's other 45 points over 0.3: 150; 1 line / 25 clicks.
    "F2": ("food", "<10k", 400_000, (0.75, 1.0, 150.0, 0.04)),
    # 200,000 / 800,000. Uptake: E1 is not a newcomer; N2 posted VN2 of PF3 on 11-24, enrolled 11-25,
    # sold nothing: 0 / 1. Points: E1's base 200,000 - 92,000 / 92 * 40 = 160,000 -> 24 points, all
    # from F3's 0.2: 120. Conversion: VE1's line / (VE1 10 + VN2 10 clicks; the 11-21 ones are outside).
    "F3": ("food", "<10k", 800_000, (0.25, 0.0, 120.0, 0.05)),
    # Only short video (not settled): share 1. Uptake: S4, its self-operated newcomer, sells nothing:
    # 0 / 1. No settled short video: no points value. VS4 had 0 clicks: no conversion.
    "F4": ("food", "<10k", 100_000, (1.0, 0.0, None, None)),
    "F5": ("food", "<10k", 50_000, (0.0, None, None, None)),
    # Q1 is not eligible: no newcomers, and its settled short video earns 0 points. 1 line / clicks.
    "B1": ("beauty", "<10k", 40_000, (0.25, None, 0.0, 0.1)),
    "B2": ("beauty", "<10k", 40_000, (0.5, None, 0.0, 0.05)),
    "B3": ("beauty", "<10k", 40_000, (0.75, None, 0.0, 0.025)),
    # 1,000,000 fen is 10,000 yuan, the second band's lower bound: 10k-100k.
    "B4": ("beauty", "10k-100k", 1_000_000, (1.0, None, 0.0, 0.02)),
    "B5": ("beauty", "10k-100k", 2_000_000, (0.25, None, 0.0, 0.01)),
    "B6": ("beauty", "10k-100k", 1_000_000, (0.0, None, None, None)),
    "H1": ("home", "<10k", 100_000, (0.4, None, 0.0, 0.125)),
    # No line at all: still listed, in the lowest band, with no values.
    "H2": ("home", "<10k", 0, (None, None, None, None)),
    # In the orders, not in shops: main category `other`.
    "Z9": ("other", "<10k", 10_000, (0.0, None, None, None)),
}

# The group used, its size and percentiles, by (metric, group of shops).
ALL_SHARE = ("all", 13, 0.25, 0.4, 0.75)
PEERS = {
    # food <10k holds F1..F5, all with a share: 5 >= k. Sorted 0, 0.25, 0.5, 0.75, 1: positions 1, 2, 3.
    ("short_video_share", "food"): ("category_band", 5, 0.25, 0.5, 0.75),
    # Beauty's bands hold 3 shops each (< 5): merged into the category, 6 shops, sorted
    # 0, 0.25, 0.25, 0.5, 0.75, 1. Positions 1.25 -> 0.25; 2.5 -> 0.25 + 0.5 * 0.25 = 0.375;
    # 3.75 -> 0.5 + 0.75 * 0.25 = 0.6875.
    ("short_video_share", "beauty"): ("category", 6, 0.25, 0.375, 0.6875),
    # Home has one shop with a share, other one: all 13 shops with a share (H2 has none), sorted
    # 0, 0, 0 (F5, B6, Z9), 0.25 x3 (F3, B1, B5), 0.4, 0.5 x2, 0.75 x2, 1 x2: positions 3, 6, 9.
    ("short_video_share", "home"): ALL_SHARE,
    ("short_video_share", "other"): ALL_SHARE,
    # Only F1..F4 have newcomer promoters: 4 in their band, category and overall, all < 5: nothing shown.
    **{("newcomer_uptake", c): ("all", 4, None, None, None) for c in ("food", "beauty", "home", "other")},
    # Points: beauty B1..B5 have a value (0), bands of 3 and 2: the category, 5 = k exactly.
    ("points_per_10k_yuan", "beauty"): ("category", 5, 0.0, 0.0, 0.0),
    # Food has 3 values (< 5 in band and category): all 9 shops with a value, sorted
    # 0 x6 (B1..B5, H1), 75, 120, 150: positions 2, 4, 6.
    **{("points_per_10k_yuan", c): ("all", 9, 0.0, 0.0, 75.0) for c in ("food", "home", "other")},
    # Conversion: beauty B1..B5 (bands 3 and 2): category of 5, sorted 0.01, 0.02, 0.025, 0.05, 0.1.
    ("video_conversion", "beauty"): ("category", 5, 0.02, 0.025, 0.05),
    # Everyone else: all 9 shops with clicks, sorted 0.01, 0.02, 0.02, 0.025, 0.04, 0.05, 0.05, 0.1,
    # 0.125: positions 2, 4, 6.
    **{("video_conversion", c): ("all", 9, 0.02, 0.04, 0.05) for c in ("food", "home", "other")},
}


def test_every_shop_against_its_peers(con: duckdb.DuckDBPyConnection) -> None:
    frame = kpi.run(con, "shop_peers", START, END)
    assert frame.columns == list(kpi.get("shop_peers").columns)
    expected = [
        (shop, category, band, paid, metric, value, *PEERS[(metric, category)])
        for shop, (category, band, paid, values) in sorted(SHOPS.items())
        for metric, value in zip(METRICS, values, strict=True)
    ]
    assert_rows(frame, expected)


def test_a_smaller_k_shows_the_finer_groups(con: duckdb.DuckDBPyConnection) -> None:
    frame = kpi.run(con, "shop_peers", START, END, config=CampaignConfig(peer_min_shops=3))
    f1 = {row[4]: row[6:] for row in frame.filter(pl.col("shop_id") == "F1").rows()}
    # food <10k now shows with 3: points of F1, F2, F3 sorted 75, 120, 150: positions 0.5, 1, 1.5.
    assert f1["points_per_10k_yuan"] == pytest.approx(("category_band", 3, 97.5, 120.0, 135.0))
    # uptake of F1..F4 sorted 0, 0, 1, 1: positions 0.75 -> 0, 1.5 -> 0.5, 2.25 -> 1.
    assert f1["newcomer_uptake"] == ("category_band", 4, 0.0, 0.5, 1.0)


def test_the_size_bands_are_configured_in_yuan(con: duckdb.DuckDBPyConnection) -> None:
    config = CampaignConfig(peer_size_bands_yuan=(0, 4_000))
    bands = dict(kpi.run(con, "shop_peers", START, END, config=config).select("shop_id", "size_band").unique().rows())
    # 400,000 fen is 4,000 yuan, the upper band's bound: F1 and F2 reach it, F5's 50,000 fen does not.
    assert [bands[s] for s in ("F1", "F2", "F3", "F5", "H2")] == [">=4k", ">=4k", ">=4k", "<4k", "<4k"]


def test_an_empty_snapshot_has_no_rows(tmp_path: Path) -> None:
    assert kpi.run(connect(build_snapshot(tmp_path, {})), "shop_peers", START, END).height == 0
