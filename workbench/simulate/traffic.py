"""Daily traffic of each commerce video by feed tab, with the campaign's boost.

A video's traffic is drawn from the RNG of its publication day, for its
whole life at once, so later snapshots only add dates. Expected clicks
follow the sales the video's account is expected to make (orders/clicks
of a few per cent) and impressions follow the clicks (click rate of a few
per cent); the recommend tab is the largest. The campaign's traffic support
adds `boosted_impressions` to the recommend tab of enrolled accounts'
videos on campaign dates from the enrolment date on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pyarrow as pa

from workbench.simulate.accounts import VETERAN_START
from workbench.simulate.demand import CAMPAIGN, Demand
from workbench.simulate.settings import DAY, DAY0, WORLD_START
from workbench.snapshot.contract import TABS

TRAFFIC_STREAM = 3_000_000
MAX_LIFE_DAYS = 10
EPOCH_DAY0 = (WORLD_START - date(1970, 1, 1)).days
RECOMMEND = TABS.index("recommend")
PART_ROWS = 2_000_000


def _day_traffic(demand: Demand, videos: np.ndarray, day: int, last_day: int) -> pa.Table:
    """Rows of the videos published on `day`, for dates up to `last_day`."""
    rng = np.random.default_rng([demand.settings.seed, TRAFFIC_STREAM + day - VETERAN_START])
    accounts, content = demand.accounts, demand.content
    n = len(videos)
    account = content.video_account[videos]
    expected_lines = demand.per_line * demand.short_video(max(day, 0))[account] / accounts.post_rate[account]
    clicks = expected_lines / rng.uniform(0.02, 0.06, n) + accounts.reach[account] * rng.uniform(0.005, 0.02, n)
    impressions = clicks / rng.uniform(0.015, 0.05, n)
    life = np.minimum(rng.geometric(0.35, n), MAX_LIFE_DAYS)
    recommend = rng.uniform(0.55, 0.75, n)
    follow = (1 - recommend) * rng.uniform(0.55, 0.75, n)
    shares = np.stack([recommend, follow, 1 - recommend - follow], axis=1)
    boost_rate = rng.uniform(0.2, 0.5, n)

    video_row = np.repeat(np.arange(n), life)
    age = np.arange(len(video_row)) - np.repeat(np.cumsum(life) - life, life)
    decay = 0.55**age / ((1 - 0.55 ** life[video_row]) / (1 - 0.55))
    row = np.repeat(np.arange(len(video_row)), len(TABS))
    tab = np.tile(np.arange(len(TABS)), len(video_row))
    v = video_row[row]
    on = day + age[row]
    organic = rng.poisson(impressions[v] * decay[row] * shares[v, tab]) + 1
    a = account[v]
    boosted_day = (
        (tab == RECOMMEND)
        & accounts.enrolled[a]
        & (on >= accounts.enrol_day[a])
        & (on >= CAMPAIGN[0])
        & (on <= CAMPAIGN[1])
    )
    boosted = np.where(boosted_day, rng.binomial(organic, boost_rate[v]), 0)
    total = organic + boosted
    click_rate = np.minimum(clicks[v] / impressions[v], 0.5)
    product_clicks = np.minimum(rng.binomial(total, click_rate), total - 1)
    keep = np.flatnonzero(on <= last_day)
    return pa.table(
        {
            "video_id": content.video_ids.take(pa.array(videos[v[keep]])),
            "date": pa.array((EPOCH_DAY0 + on[keep]).astype(np.int32), pa.date32()),
            "tab": pa.array(TABS).take(pa.array(tab[keep])),
            "impressions": pa.array(total[keep]),
            "boosted_impressions": pa.array(boosted[keep]),
            "product_clicks": pa.array(product_clicks[keep]),
        }
    )


def traffic_parts(demand: Demand, last_day: int) -> Iterator[pa.Table]:
    """Traffic of videos published up to `last_day` (a world day), in parts of about PART_ROWS rows."""
    pub_day = (demand.content.video_time - DAY0) // DAY
    by_day = np.argsort(pub_day, kind="stable")
    bounds = np.searchsorted(pub_day[by_day], np.arange(VETERAN_START, last_day + 2))
    pending: list[pa.Table] = []
    rows = 0
    for offset, day in enumerate(range(VETERAN_START, last_day + 1)):
        videos = by_day[bounds[offset] : bounds[offset + 1]]
        if len(videos):
            part = _day_traffic(demand, videos, day, last_day)
            pending.append(part)
            rows += part.num_rows
        if rows >= PART_ROWS:
            yield pa.concat_tables(pending)
            pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)
