"""Commerce videos and live sessions for the whole world, fixed per seed.

Both are generated for every day up front (one RNG per day), so a snapshot
at any cutoff shows a prefix of the same content and order lines can point
at a video published before them or a live session that was running. Video
counts per account and day never exceed the fan tier's posting quota.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from workbench.simulate import ids
from workbench.simulate.accounts import VETERAN_START, Accounts
from workbench.simulate.catalog import CATEGORY_WEIGHTS, Catalog
from workbench.simulate.settings import DAY, DAY0, WORLD_DAYS, Settings
from workbench.snapshot.contract import CATEGORIES, TS

VIDEO_STREAM = 2_000_000
LIVE_STREAM = 4_000_000
# Keys (account << 32) + seconds since KEY_EPOCH order videos by account, then time.
KEY_EPOCH = DAY0 + (VETERAN_START - 1) * DAY
ENROLLED_POSTING_BOOST = 1.5


@dataclass(frozen=True)
class Content:
    """Videos (sorted by account, then publication time) and live sessions (by day)."""

    video_account: np.ndarray
    video_time: np.ndarray  # epoch seconds
    video_product: np.ndarray
    video_ids: pa.Array
    video_keys: np.ndarray
    session_account: np.ndarray
    session_start: np.ndarray
    session_end: np.ndarray
    session_day_bounds: np.ndarray  # sessions of world day k are [bounds[k], bounds[k+1])
    live_ids: pa.Array

    def latest_videos(self, account: np.ndarray, before: np.ndarray) -> np.ndarray:
        """Index of each account's latest video published strictly before `before`."""
        keys = (account.astype(np.int64) << 32) + (before - 1 - KEY_EPOCH)
        return np.searchsorted(self.video_keys, keys, side="right") - 1

    def first_videos(self, account: np.ndarray) -> np.ndarray:
        """Index of each account's first video."""
        return np.searchsorted(self.video_keys, account.astype(np.int64) << 32, side="left")


def pick_products(accounts: Accounts, catalog: Catalog, account: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What an account promotes: its own shop's goods if self-operated, else mostly its niche."""
    count = len(account)
    category = np.where(
        rng.random(count) < 0.8, accounts.niche[account], rng.choice(len(CATEGORIES), count, p=CATEGORY_WEIGHTS)
    )
    u = rng.random(count)
    shop = accounts.shop[account]
    own = catalog.draw_from_shops(np.maximum(shop, 0), u)
    return np.where(shop >= 0, own, catalog.draw_products(category, u))


def _videos_of_day(
    day: int, settings: Settings, accounts: Accounts, catalog: Catalog
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng([settings.seed, VIDEO_STREAM + day - VETERAN_START])
    active = accounts.sv_start <= day
    boosted = accounts.enrolled & (accounts.enrol_day <= day)
    rate = accounts.post_rate * np.where(boosted, ENROLLED_POSTING_BOOST, 1.0)
    posts = np.where(active, np.minimum(rng.poisson(rate), accounts.quota), 0)
    posts = np.where(accounts.sv_start == day, np.maximum(posts, 1), posts)
    account = np.repeat(np.arange(len(posts)), posts)
    time = DAY0 + day * DAY + rng.integers(0, DAY, len(account))
    return account, time, pick_products(accounts, catalog, account, rng)


def _live_of_day(day: int, settings: Settings, accounts: Accounts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng([settings.seed, LIVE_STREAM + day])
    account = np.flatnonzero((accounts.live_rate > 0) & (rng.random(len(accounts.live_rate)) < accounts.live_freq))
    start = DAY0 + day * DAY + rng.integers(9 * 3600, 22 * 3600, len(account))
    end = np.minimum(start + rng.integers(3600, 4 * 3600, len(account)), DAY0 + (day + 1) * DAY - 1)
    return account, start, end


def build_content(settings: Settings, accounts: Accounts, catalog: Catalog) -> Content:
    """Every video and live session of the world."""
    days = [_videos_of_day(d, settings, accounts, catalog) for d in range(VETERAN_START, WORLD_DAYS)]
    v_account, v_time, v_product = (np.concatenate(parts) for parts in zip(*days, strict=True))
    keys = (v_account.astype(np.int64) << 32) + (v_time - KEY_EPOCH)
    order = np.argsort(keys, kind="stable")
    lives = [_live_of_day(d, settings, accounts) for d in range(WORLD_DAYS)]
    s_account, s_start, s_end = (np.concatenate(parts) for parts in zip(*lives, strict=True))
    bounds = np.concatenate([[0], np.cumsum([len(p[0]) for p in lives])])
    return Content(
        video_account=v_account[order],
        video_time=v_time[order],
        video_product=v_product[order],
        video_ids=ids.base62_ids("export/UzFfAgtgekIEAQAAAAAA", len(order), settings.seed * 8 + 3, width=16),
        video_keys=keys[order],
        session_account=s_account,
        session_start=s_start,
        session_end=s_end,
        session_day_bounds=bounds,
        live_ids=ids.base62_ids("export/UzFfAgtg", len(s_account), settings.seed * 8 + 4, width=24),
    )


def videos_table(content: Content, accounts: Accounts, catalog: Catalog, cutoff_epoch: int) -> pa.Table:
    """Videos published by the cutoff, in publication order."""
    rows = np.flatnonzero(content.video_time <= cutoff_epoch)
    rows = rows[np.argsort(content.video_time[rows], kind="stable")]
    return pa.table(
        {
            "video_id": content.video_ids.take(pa.array(rows)),
            "account_id": accounts.account_ids.take(pa.array(content.video_account[rows])),
            "product_id": catalog.product_ids.take(pa.array(content.video_product[rows])),
            "published_at": pa.array(content.video_time[rows] * 1_000_000, TS),
        }
    )


def live_sessions_table(content: Content, accounts: Accounts, cutoff_epoch: int) -> pa.Table:
    """Live sessions started by the cutoff."""
    rows = np.flatnonzero(content.session_start <= cutoff_epoch)
    return pa.table(
        {
            "live_id": content.live_ids.take(pa.array(rows)),
            "account_id": accounts.account_ids.take(pa.array(content.session_account[rows])),
            "started_at": pa.array(content.session_start[rows] * 1_000_000, TS),
            "ended_at": pa.array(content.session_end[rows] * 1_000_000, TS),
        }
    )
