"""Expected demand per day, channel and account: where the true effect lives.

An account's short-video demand on day k is

    sv_rate * season(k) * (1 + common_campaign_uplift if k is a campaign day)
            * (1 + true_lift if the account enrolled on or before day k)

so enrolment multiplies expected daily short-video GMV by exactly
(1 + true_lift), the number a difference-in-differences estimate should
recover. Live demand is the day's sessions; the other channels are a fixed
share of the baseline level, following the season. One constant scales all
days so the world has exactly `order_lines_target` lines; it is the same
for every day, so it never distorts the effect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from workbench.config import DEFAULT
from workbench.simulate.accounts import Accounts
from workbench.simulate.content import Content
from workbench.simulate.settings import WORLD_DAYS, Settings, day_index
from workbench.snapshot.contract import CHANNELS

CAMPAIGN = (day_index(DEFAULT.campaign_start), day_index(DEFAULT.campaign_end))
BASELINE = (day_index(DEFAULT.baseline_start), day_index(DEFAULT.baseline_end))
OTHER_CHANNELS = CHANNELS[2:]


@dataclass(frozen=True)
class Demand:
    """Lines per day and the weights that split them over channels and accounts."""

    settings: Settings
    accounts: Accounts
    content: Content
    season: np.ndarray  # factor per world day
    sv_scale: float  # calibration of sv_rate to the baseline short-video share
    other_level: float  # expected other-channel weight per day before the season
    lines: np.ndarray  # order lines per world day, summing to the target
    per_line: float  # expected lines per unit of weight

    def short_video(self, day: int) -> np.ndarray:
        """Short-video weight of every account on a day (0 before its first video's next day)."""
        a, s = self.accounts, self.settings
        selling = a.sv_start < day
        lift = np.where(a.enrolled & (a.enrol_day <= day), 1 + s.true_lift, 1.0)
        common = 1 + s.common_campaign_uplift if CAMPAIGN[0] <= day <= CAMPAIGN[1] else 1.0
        return np.where(selling, a.sv_rate, 0.0) * self.sv_scale * self.season[day] * common * lift

    def live(self, day: int) -> np.ndarray:
        """Live weight of each session of the day, in session order."""
        lo, hi = self.content.session_day_bounds[day : day + 2]
        return self.accounts.live_rate[self.content.session_account[lo:hi]] * self.season[day]

    def channels(self, day: int) -> np.ndarray:
        """Total weight per channel (CHANNELS order) on a day."""
        other = (
            self.other_level
            * self.season[day]
            * np.array([self.settings.other_channel_split[c] for c in OTHER_CHANNELS])
        )
        return np.concatenate([[self.live(day).sum(), self.short_video(day).sum()], other])


def season_factors(settings: Settings) -> np.ndarray:
    """Demand factor of each world day (1 outside the listed periods)."""
    factors = np.ones(WORLD_DAYS)
    for first, last, factor in settings.season:
        factors[day_index(date.fromisoformat(first)) : day_index(date.fromisoformat(last)) + 1] = factor
    return factors


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` summing exactly to `total` (largest remainder)."""
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def build_demand(settings: Settings, accounts: Accounts, content: Content) -> Demand:
    """Calibrate the channel levels on the baseline, then size every day."""
    season = season_factors(settings)
    base_days = range(BASELINE[0], BASELINE[1] + 1)
    draft = Demand(settings, accounts, content, season, sv_scale=1.0, other_level=0.0, lines=np.zeros(0), per_line=0.0)
    live_base = np.mean([draft.live(d).sum() / season[d] for d in base_days])
    sv_base = np.mean([draft.short_video(d).sum() / season[d] for d in base_days])
    sv_scale = live_base * settings.baseline_short_video_share / settings.baseline_live_share / sv_base
    other_share = 1 - settings.baseline_live_share - settings.baseline_short_video_share
    sized = replace(draft, sv_scale=sv_scale, other_level=live_base * other_share / settings.baseline_live_share)
    totals = np.array([sized.channels(d).sum() for d in range(WORLD_DAYS)])
    lines = allocate(settings.order_lines_target, totals)
    return replace(sized, lines=lines, per_line=settings.order_lines_target / totals.sum())
