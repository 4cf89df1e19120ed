"""Promoter accounts, their latent selling behaviour, and who enrols when.

This is where the campaign's causal story is set. Every account gets a
latent short-video demand `sv_rate`; accounts already selling short video
before the baseline ("veterans") enrol with a probability that rises with
that demand (self-selection: enrolled accounts sold more before), while
eligible accounts that never sold short video ("newcomers") mostly start
because they enrol, which is why so many enrolled accounts are newcomers.
The effect of enrolment itself (`true_lift`) is applied later, per day, in
`demand.py`; here only the enrolment times are fixed, once per seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa

from workbench.config import DEFAULT
from workbench.simulate import ids, names
from workbench.simulate.catalog import CATEGORY_WEIGHTS, Catalog
from workbench.simulate.settings import (
    DAY,
    DAY0,
    SHANGHAI,
    WORLD_DAYS,
    Settings,
    day_index,
    epoch,
)
from workbench.snapshot.contract import CATEGORIES, TS

NEVER = np.iinfo(np.int32).max
# Veterans have posted commerce videos since two weeks before the world starts.
VETERAN_START = -14
FOOD_HOME = (CATEGORIES.index("food"), CATEGORIES.index("home"))
ENROL_MEAN_DAYS = 6.0


@dataclass(frozen=True)
class Accounts:
    """Per-account arrays the content and order generators draw from."""

    fans: np.ndarray
    shop: np.ndarray  # shop index of a self-operated account, -1 otherwise
    niche: np.ndarray  # the category the account mostly sells
    has_oa: np.ndarray
    reach: np.ndarray  # general audience weight, drives showcase/share/article sales
    live_rate: np.ndarray  # demand per live session, 0 for accounts that never go live
    live_freq: np.ndarray  # probability of a live session on a given day
    sv_rate: np.ndarray  # latent short-video demand per day (before seasonality and lift)
    sv_start: np.ndarray  # world day of the first commerce video; NEVER if none
    post_rate: np.ndarray  # expected commerce videos per active day
    quota: np.ndarray  # daily commerce-video quota of the fan tier
    enrolled: np.ndarray
    enrol_day: np.ndarray  # world day of enrolment; NEVER if not enrolled
    enrolled_at: np.ndarray  # epoch seconds; 0 if not enrolled
    account_ids: pa.Array
    table: pa.Table


def _enrol_times(rng: np.random.Generator, count: int) -> np.ndarray:
    """Front-loaded enrolment instants: a truncated exponential over the 40 campaign days."""
    days = DEFAULT.campaign_days
    u = rng.random(count)
    offset = -ENROL_MEAN_DAYS * np.log1p(-u * (1 - np.exp(-days / ENROL_MEAN_DAYS)))
    start = DAY0 + day_index(DEFAULT.campaign_start) * DAY
    return np.minimum(start + (offset * DAY).astype(np.int64), start + days * DAY - 1)


def build_accounts(settings: Settings, catalog: Catalog, rng: np.random.Generator) -> Accounts:
    """Accounts with heavy-tailed fans, roles, latent demand and enrolment."""
    n = settings.n_accounts
    n_self = min(len(catalog.shop_ids), n // 5)
    shop = np.full(n, -1, dtype=np.int64)
    self_rows = rng.choice(n, n_self, replace=False)
    shop[self_rows] = rng.choice(len(catalog.shop_ids), n_self, replace=False)
    self_op = shop >= 0
    fans = np.minimum(np.round(rng.lognormal(np.log(np.where(self_op, 800, 400)), 2.0)), 50_000_000).astype(np.int64)
    enabled = rng.random(n) < np.where(self_op, 0.9, np.where(fans >= 1000, 0.8, 0.6))
    has_oa = rng.random(n) < np.where(fans >= 10_000, 0.35, 0.12)
    niche = np.where(
        self_op, catalog.shop_category[np.maximum(shop, 0)], rng.choice(len(CATEGORIES), n, p=CATEGORY_WEIGHTS)
    ).astype(np.int8)
    reach = (fans + 200.0) ** 0.6
    live = rng.random(n) < np.where(self_op, 0.8, 0.5)
    live_rate = np.where(live, rng.lognormal(0.0, 1.0, n) * reach, 0.0)
    live_freq = rng.uniform(0.15, 0.7, n)

    eligible = ((fans >= DEFAULT.eligible_min_fans) | self_op) & enabled
    # Self-selection: existing sellers enrol more the more they sell; newcomers in food/home most.
    veteran = enabled & (rng.random(n) < 0.35)
    latent = rng.lognormal(0.0, 1.0, n) * reach
    z = (np.log(latent) - np.log(latent).mean()) / np.log(latent).std()
    food_home = np.isin(niche, FOOD_HOME)
    p_enrol = np.where(
        veteran, 1 / (1 + np.exp(1.2 - 1.5 * z)) + np.where(food_home, 0.15, 0.0), np.where(food_home, 0.6, 0.3)
    )
    enrolled = eligible & (rng.random(n) < np.minimum(p_enrol, 0.95))
    enrolled_at = np.where(enrolled, _enrol_times(rng, n), 0)
    enrol_day = np.where(enrolled, (enrolled_at - DAY0) // DAY, NEVER).astype(np.int64)

    # Newcomers who enrol start posting that day; a few never make a sale.
    sells = rng.random(n) < 0.7
    organic_start = rng.integers(day_index(DEFAULT.campaign_start), WORLD_DAYS, n)
    organic = enabled & ~veteran & ~enrolled & (rng.random(n) < 0.04)
    sv_start = np.select(
        [veteran, enabled & enrolled, organic], [VETERAN_START, enrol_day, organic_start], NEVER
    ).astype(np.int64)
    sv_rate = np.where(veteran | ((enrolled | organic) & sells), latent, 0.0)
    distinct, which = np.unique(fans, return_inverse=True)
    quota = np.array([DEFAULT.quota_for(int(f)) for f in distinct])[which]
    post_rate = np.minimum(rng.uniform(0.3, 1.5, n), quota)

    account_ids = ids.base62_ids("sph", n, settings.seed * 8 + 2, width=12)
    created = rng.integers(epoch(datetime(2021, 1, 1, tzinfo=SHANGHAI)), DAY0, n)
    table = pa.table(
        {
            "account_id": account_ids,
            "account_name": names.account_names(n, rng),
            "shop_id": catalog.shop_ids.take(pa.array(shop, mask=~self_op)),
            "is_self_operated": pa.array(self_op),
            "effective_fans": pa.array(fans),
            "short_video_commerce_enabled": pa.array(enabled),
            "has_official_account": pa.array(has_oa),
            "created_at": pa.array(created * 1_000_000, TS),
        }
    )
    return Accounts(
        fans=fans,
        shop=shop,
        niche=niche,
        has_oa=has_oa,
        reach=reach,
        live_rate=live_rate,
        live_freq=live_freq,
        sv_rate=sv_rate,
        sv_start=sv_start,
        post_rate=post_rate,
        quota=quota,
        enrolled=enrolled,
        enrol_day=enrol_day,
        enrolled_at=enrolled_at,
        account_ids=account_ids,
        table=table,
    )


def enrollments_table(accounts: Accounts, cutoff_epoch: int) -> pa.Table:
    """Enrolments made by the cutoff instant."""
    keep = accounts.enrolled & (accounts.enrolled_at <= cutoff_epoch)
    rows = np.flatnonzero(keep)
    return pa.table(
        {
            "account_id": accounts.account_ids.take(pa.array(rows)),
            "enrolled_at": pa.array(accounts.enrolled_at[rows] * 1_000_000, TS),
        }
    )
