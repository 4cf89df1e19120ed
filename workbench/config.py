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
from pathlib import Path

from workbench.errors import WorkbenchError

TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class CampaignConfig:
    """The rule set of the short-video incentive campaign (带货短视频激励计划)."""

    campaign_start: date = date(2025, 11, 22)
    campaign_end: date = date(2025, 12, 31)
    baseline_start: date = date(2025, 8, 1)
    baseline_end: date = date(2025, 10, 31)
    card_rate: float = 0.015
    card_cap_points: float = 150_000.0
    eligible_min_fans: int = 1000
    # Posting quota by fan tier: (lower bound of effective fans, videos a day).
    quota_tiers: tuple[tuple[int, int], ...] = ((0, 1), (1_000, 2), (10_000, 5), (100_000, 10))
    # The categories short video is said to fit best (食品, 家居日用): charts and
    # sentences set them against the rest unless a report focuses on another.
    focus_categories: tuple[str, ...] = ("food", "home")

    @property
    def baseline_days(self) -> int:
        """Days in the baseline window (92 with the defaults)."""
        return (self.baseline_end - self.baseline_start).days + 1

    @property
    def campaign_days(self) -> int:
        """Days in the campaign window (40 with the defaults)."""
        return (self.campaign_end - self.campaign_start).days + 1

    def quota_for(self, effective_fans: int) -> int:
        """Daily commerce-video quota of an account with these fans."""
        quota = self.quota_tiers[0][1]
        for lower, videos in self.quota_tiers:
            if effective_fans >= lower:
                quota = videos
        return quota

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
            "eligible_min_fans": self.eligible_min_fans,
            "tier2_min_fans": self.quota_tiers[1][0],
            "tier3_min_fans": self.quota_tiers[2][0],
            "tier4_min_fans": self.quota_tiers[3][0],
            "tier1_quota": self.quota_tiers[0][1],
            "tier2_quota": self.quota_tiers[1][1],
            "tier3_quota": self.quota_tiers[2][1],
            "tier4_quota": self.quota_tiers[3][1],
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
        if "focus_categories" in raw:
            raw["focus_categories"] = tuple(raw["focus_categories"])
        return cls(**raw)


DEFAULT = CampaignConfig()
