"""The settings of one synthetic world, and the checks on what users type.

A world is fixed by (seed, scale) plus the behavioural settings below; the
cutoff only decides how much of it a snapshot shows. Every setting lands in
the manifest's `source_details`, so an analysis can compare an estimate with
the effect that was put in (e.g. `true_lift` for difference-in-differences).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from workbench.errors import WorkbenchError

SHANGHAI = timezone(timedelta(hours=8))
# The world runs from the baseline start to the latest allowed cutoff.
WORLD_START = date(2025, 8, 1)
WORLD_END = date(2026, 1, 31)
WORLD_DAYS = (WORLD_END - WORLD_START).days + 1
EARLIEST_CUTOFF = date(2025, 11, 1)
# Epoch seconds of 00:00 Asia/Shanghai on WORLD_START; day k starts at DAY0 + k * 86400.
DAY0 = int(datetime(WORLD_START.year, WORLD_START.month, WORLD_START.day, tzinfo=SHANGHAI).timestamp())
DAY = 86_400
NAMED_SCALES = {"demo": 1_000_000, "large": 100_000_000}
MIN_SCALE = 10_000
MAX_SCALE = 1_000_000_000
DEFAULT_TRUE_LIFT = 0.6

# (first day, last day, factor): demand of every channel on those days, e.g. Double 11 / Double 12.
SEASON = (
    ("2025-11-01", "2025-11-09", 1.2),
    ("2025-11-10", "2025-11-11", 2.0),
    ("2025-12-10", "2025-12-12", 1.5),
    ("2025-12-24", "2026-01-01", 1.1),
    ("2026-01-02", "2026-01-31", 0.9),
)


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a world besides the cutoff."""

    seed: int
    scale: str
    order_lines_target: int
    true_lift: float = DEFAULT_TRUE_LIFT
    settle_days: int = 7
    # Campaign-wide uplift of every account's short-video demand (platform attention), not tied to enrolment.
    common_campaign_uplift: float = 0.15
    # Target shares of order lines in the baseline; live dominates, short video is small.
    baseline_live_share: float = 0.78
    baseline_short_video_share: float = 0.055
    # Split of the remaining lines among the other channels.
    other_channel_split: dict[str, float] = field(
        default_factory=lambda: {"product_share": 0.45, "showcase": 0.30, "article": 0.08, "other": 0.17}
    )
    season: tuple[tuple[str, str, float], ...] = SEASON

    @property
    def size_factor(self) -> float:
        """Entity counts grow with the square root of the order lines (1.0 at demo scale)."""
        return (self.order_lines_target / NAMED_SCALES["demo"]) ** 0.5

    @property
    def n_shops(self) -> int:
        return max(40, round(1_000 * self.size_factor))

    @property
    def n_products(self) -> int:
        return max(800, round(20_000 * self.size_factor))

    @property
    def n_accounts(self) -> int:
        return max(400, round(4_000 * self.size_factor))

    @property
    def n_buyers(self) -> int:
        return max(5_000, round(200_000 * self.size_factor))

    @property
    def source(self) -> str:
        """The manifest's `source`, e.g. `synthetic:seed=42,scale=demo`."""
        return f"synthetic:seed={self.seed},scale={self.scale}"

    def details(self) -> dict[str, object]:
        """The manifest's `source_details`: every setting plus the entity counts."""
        return {
            "generator": "workbench.simulate",
            **asdict(self),
            "season": [list(s) for s in self.season],
            "world_start": WORLD_START.isoformat(),
            "world_end": WORLD_END.isoformat(),
            "accounts": self.n_accounts,
            "shops": self.n_shops,
            "products": self.n_products,
            "buyers": self.n_buyers,
        }


def parse_scale(scale: str | int) -> tuple[str, int]:
    """`demo`, `large` or a number of order lines (`2000000`, `2_000_000`) -> (label, lines)."""
    text = str(scale).strip().lower()
    if text in NAMED_SCALES:
        return text, NAMED_SCALES[text]
    if not re.fullmatch(r"\d[\d_]*", text):
        raise WorkbenchError(
            f"scale {scale!r} is not demo, large or a whole number of order lines; e.g. --scale demo or --scale 200000"
        )
    lines = int(text.replace("_", ""))
    if not MIN_SCALE <= lines <= MAX_SCALE:
        raise WorkbenchError(
            f"scale {lines} order lines is outside {MIN_SCALE:,}..{MAX_SCALE:,}; pick a number in that range or demo/large"
        )
    return str(lines), lines


def check_cutoff(cutoff: date) -> date:
    """The cutoff must fall where the synthetic world has both history and campaign."""
    if isinstance(cutoff, datetime) or not isinstance(cutoff, date):
        raise WorkbenchError(f"cutoff {cutoff!r} must be a date (YYYY-MM-DD), e.g. 2025-12-07")
    if not EARLIEST_CUTOFF <= cutoff <= WORLD_END:
        raise WorkbenchError(
            f"cutoff {cutoff.isoformat()} is outside {EARLIEST_CUTOFF.isoformat()}..{WORLD_END.isoformat()}, "
            "the range the synthetic world covers; pick a date in it, e.g. 2025-12-07"
        )
    return cutoff


def make_settings(seed: int, scale: str | int, *, true_lift: float, settle_days: int) -> Settings:
    """Validated settings, or a WorkbenchError naming the bad value."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise WorkbenchError(f"seed {seed!r} must be a whole number >= 0, e.g. --seed 42")
    if not 0.0 <= true_lift <= 10.0:
        raise WorkbenchError(f"true_lift {true_lift} must be between 0 and 10 (0 = enrolment has no effect)")
    if not 0 <= settle_days <= 60:
        raise WorkbenchError(f"settle_days {settle_days} must be between 0 and 60 days after delivery")
    label, lines = parse_scale(scale)
    return Settings(
        seed=seed, scale=label, order_lines_target=lines, true_lift=float(true_lift), settle_days=settle_days
    )


def day_index(day: date) -> int:
    """Index of a local date in the world (0 = WORLD_START)."""
    return (day - WORLD_START).days


def day_of(index: int) -> date:
    """The local date of a world day index."""
    return WORLD_START + timedelta(days=index)


def epoch(moment: datetime) -> int:
    """Epoch seconds of an aware datetime."""
    return int(moment.astimezone(UTC).timestamp())
