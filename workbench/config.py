"""Campaign rules as configuration.

The contract says the rates, cap, windows and tiers are configuration with
defaults, so a revised rule is a config change, not a code change. Every KPI
query receives these values as bound parameters; nothing else in the code
base hard-codes them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from workbench.errors import WorkbenchError

TIMEZONE = "Asia/Shanghai"


def _fans_text(fans: int) -> str:
    """A fan count as tier labels write it, exactly: 1000 -> 1k, 2500 -> 2.5k, 1000000 -> 1M, 500 -> 500."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if fans >= size:
            return f"{(Decimal(fans) / size).normalize():f}{suffix}"
    return str(fans)


def _band_labels(bounds: list[int]) -> tuple[str, ...]:
    """One label per band of lower bounds: `<1k`, `1k-10k`, `>=10k` for (0, 1000, 10000); `all` for one band.

    The first band also holds everything below the second band's bound, the
    last everything from its own bound up.
    """
    if len(bounds) == 1:
        return ("all",)
    first = f"<{_fans_text(bounds[1])}"
    middle = [f"{_fans_text(lo)}-{_fans_text(hi)}" for lo, hi in pairwise(bounds[1:])]
    return (first, *middle, f">={_fans_text(bounds[-1])}")


@dataclass(frozen=True)
class CampaignConfig:
    """The rule set of the short-video incentive campaign (带货短视频激励计划)."""

    campaign_start: date = date(2025, 11, 22)
    campaign_end: date = date(2025, 12, 31)
    baseline_start: date = date(2025, 8, 1)
    baseline_end: date = date(2025, 10, 31)
    card_rate: float = 0.015
    card_cap_points: float = 150_000.0
    # An account this close to the cap (a share of it) is "near the cap" in the
    # growth-card summary and the report's headline.
    card_near_cap_share: float = 0.8
    eligible_min_fans: int = 1000
    # Posting quota by fan tier: (lower bound of effective fans, videos a day).
    quota_tiers: tuple[tuple[int, int], ...] = ((0, 1), (1_000, 2), (10_000, 5), (100_000, 10))
    # The categories short video is said to fit best (食品, 家居日用): charts and
    # sentences set them against the rest unless a report focuses on another.
    focus_categories: tuple[str, ...] = ("food", "home")
    # Peer benchmarks (queries/shop_peers.sql): shops are compared within their
    # main category and size band, a band being a range of paid GMV in the
    # window (lower bounds in yuan, lowest first); a peer group of fewer than
    # peer_min_shops shops is merged up and never shown (k-anonymity).
    peer_size_bands_yuan: tuple[int, ...] = (0, 10_000, 100_000, 1_000_000)
    peer_min_shops: int = 5

    @property
    def baseline_days(self) -> int:
        """Days in the baseline window (92 with the defaults)."""
        return (self.baseline_end - self.baseline_start).days + 1

    @property
    def campaign_days(self) -> int:
        """Days in the campaign window (40 with the defaults)."""
        return (self.campaign_end - self.campaign_start).days + 1

    def __post_init__(self) -> None:
        bounds = [lower for lower, _ in self.quota_tiers]
        if not bounds or any(b >= a for b, a in pairwise(bounds)):
            raise WorkbenchError(
                f"quota_tiers {list(self.quota_tiers)}: give at least one (min_fans, videos) tier, "
                "lower bounds strictly increasing"
            )
        bands = self.peer_size_bands_yuan
        if not bands or any(b >= a for b, a in pairwise(bands)):
            raise WorkbenchError(
                f"peer_size_bands_yuan {list(bands)}: give at least one lower bound in yuan, strictly increasing"
            )
        if self.peer_min_shops < 1:
            raise WorkbenchError(f"peer_min_shops {self.peer_min_shops}: give at least 1 (5 is the default)")

    @property
    def quota_tier_labels(self) -> tuple[str, ...]:
        """One label per fan tier, from its bounds: `<1k`, `1k-10k`, `10k-100k`, `>=100k` with the defaults.

        The first tier holds every account below the second tier's bound
        (as quota_for does), the last every account from its own bound up.
        """
        return _band_labels([lower for lower, _ in self.quota_tiers])

    @property
    def peer_size_band_labels(self) -> tuple[str, ...]:
        """One label per peer size band, in yuan of paid GMV: `<10k`, `10k-100k`, `100k-1M`, `>=1M` with the defaults."""
        return _band_labels(list(self.peer_size_bands_yuan))

    def fan_tier(self, effective_fans: int) -> int:
        """The 1-based posting-quota tier of an account with these fans, as the SQL macro fan_tier computes it.

        It is the number of tier lower bounds the fans reach, at least 1: the
        first tier also holds accounts below its own bound.
        """
        return max(1, sum(1 for lower, _ in self.quota_tiers if effective_fans >= lower))

    def quota_for(self, effective_fans: int) -> int:
        """Daily commerce-video quota of an account with these fans."""
        return self.quota_tiers[self.fan_tier(effective_fans) - 1][1]

    def sql_params(self) -> dict[str, object]:
        """The rule values every query may bind, by parameter name."""
        return {
            "campaign_start": self.campaign_start,
            "campaign_end": self.campaign_end,
            "baseline_start": self.baseline_start,
            "baseline_end": self.baseline_end,
            "baseline_days": self.baseline_days,
            "campaign_days": self.campaign_days,
            "card_rate": self.card_rate,
            "card_cap_points": self.card_cap_points,
            "card_near_cap_share": self.card_near_cap_share,
            "eligible_min_fans": self.eligible_min_fans,
            # The posting-quota tiers as parallel lists, lowest tier first; the
            # macros fan_tier and fan_tiers (queries/shared/definitions.sql)
            # read them, so any number of tiers works.
            "quota_tier_min_fans": [lower for lower, _ in self.quota_tiers],
            "quota_tier_quotas": [videos for _, videos in self.quota_tiers],
            "quota_tier_labels": list(self.quota_tier_labels),
            "focus_categories": list(self.focus_categories),
            # Peer size bands as fen lower bounds and their labels (macro tier_index).
            "peer_band_min_fen": [yuan * 100 for yuan in self.peer_size_bands_yuan],
            "peer_band_labels": list(self.peer_size_band_labels),
            "peer_min_shops": self.peer_min_shops,
        }

    @classmethod
    def from_toml(cls, path: Path) -> CampaignConfig:
        """Read a rule file whose keys are this class's field names."""
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise WorkbenchError(f"{path}: unknown campaign setting(s) {unknown}; known: {sorted(known)}")
        if "quota_tiers" in raw:
            raw["quota_tiers"] = tuple(tuple(t) for t in raw["quota_tiers"])
        for name in ("focus_categories", "peer_size_bands_yuan"):
            if name in raw:
                raw[name] = tuple(raw[name])
        return cls(**raw)


DEFAULT = CampaignConfig()
