"""Campaign rules are configuration: defaults from the contract, overridable from TOML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import campaign_week, campaign_week_count
from workbench.errors import WorkbenchError


def test_defaults_are_the_contracts() -> None:
    assert (DEFAULT.baseline_days, DEFAULT.campaign_days) == (92, 40)
    assert (DEFAULT.card_rate, DEFAULT.card_cap_points) == (0.015, 150_000.0)


@pytest.mark.parametrize(
    ("fans", "quota"), [(0, 1), (999, 1), (1_000, 2), (9_999, 2), (10_000, 5), (99_999, 5), (100_000, 10)]
)
def test_posting_quota_by_fan_tier(fans: int, quota: int) -> None:
    assert DEFAULT.quota_for(fans) == quota


def test_tier_labels_are_made_from_the_bounds() -> None:
    assert DEFAULT.quota_tier_labels == ("<1k", "1k-10k", "10k-100k", ">=100k")
    three = CampaignConfig(quota_tiers=((0, 1), (2_500, 3), (1_000_000, 8)))
    assert three.quota_tier_labels == ("<2.5k", "2.5k-1M", ">=1M")
    assert CampaignConfig(quota_tiers=((0, 1),)).quota_tier_labels == ("all",)


def test_tiers_are_bound_as_lists_of_any_length() -> None:
    params = CampaignConfig(quota_tiers=((0, 1), (2_500, 3), (1_000_000, 8))).sql_params()
    assert params["quota_tier_min_fans"] == [0, 2_500, 1_000_000]
    assert params["quota_tier_quotas"] == [1, 3, 8]
    assert params["quota_tier_labels"] == ["<2.5k", "2.5k-1M", ">=1M"]
    assert not [name for name in params if name.startswith("tier")]


def test_focus_categories_are_bound_as_a_list() -> None:
    assert DEFAULT.sql_params()["focus_categories"] == ["food", "home"]
    assert CampaignConfig(focus_categories=("beauty",)).sql_params()["focus_categories"] == ["beauty"]


@pytest.mark.parametrize("tiers", [(), ((0, 1), (1_000, 2), (1_000, 5)), ((1_000, 2), (0, 1))])
def test_tier_bounds_must_increase(tiers: tuple[tuple[int, int], ...]) -> None:
    with pytest.raises(WorkbenchError, match="lower bounds strictly increasing"):
        CampaignConfig(quota_tiers=tiers)


def test_weeks_are_seven_days_and_the_last_is_clipped() -> None:
    assert campaign_week_count() == 6
    assert campaign_week(1) == (date(2025, 11, 22), date(2025, 11, 28))
    assert campaign_week(6) == (date(2025, 12, 27), date(2025, 12, 31))
    with pytest.raises(WorkbenchError, match="week 7 is outside the campaign; weeks are 1 to 6"):
        campaign_week(7)


def test_a_revised_rule_is_a_config_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "card_rate = 0.02\ncampaign_end = 2026-01-10\nquota_tiers = [[0, 1], [1000, 3], [10000, 6], [100000, 12]]\n"
    )
    config = CampaignConfig.from_toml(rules)
    assert (config.card_rate, config.campaign_days, config.quota_for(5_000)) == (0.02, 50, 3)
    assert config.sql_params()["card_rate"] == 0.02


def test_an_unknown_rule_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("card_rat = 0.02\n")
    with pytest.raises(WorkbenchError, match=r"unknown campaign setting\(s\) \['card_rat'\]"):
        CampaignConfig.from_toml(rules)
