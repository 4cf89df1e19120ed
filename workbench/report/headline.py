"""The headline: what is known about the week at the moment the report is read.

Settlement trails payment by one to three weeks, so on the Monday after a
week its settled GMV is close to nothing. The headline therefore leads with
paid GMV and the short-video share of it (final as soon as the day is
over), then gives settled GMV *so far* with its maturity (settled so far /
estimated final) and the nowcast of the final figure, labelled as an
estimate, and compares settled GMV with last week only at equal maturity:
last week as it stood the same number of days after its end
(`settled_at_age`), never a mature week against an immature one.

Every figure is a `Metric`: a stable machine name (listed in docs/report.md
and written as `data-metric`/`data-value` on the page), its raw value and
its text, so tests, notifications and people read the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from workbench.formatting import (
    FLAT_RELATIVE,
    direction,
    format_change,
    format_count,
    format_points,
    format_pp,
    format_share,
    format_yuan,
    pp_change,
    relative_change,
)
from workbench.report.frames import ReportFrames
from workbench.text import t

# A week counts as settled (no estimate shown) once this share of its estimated final GMV has settled.
SETTLED_MATURITY = 0.995


@dataclass(frozen=True)
class Metric:
    """One headline number: its machine name, raw value (fen, count, share or ratio) and display text."""

    name: str
    value: float | int | None
    text: str


@dataclass(frozen=True)
class Line:
    """A line of a card: a catalogue sentence (`report.<key>`) whose fields are metrics."""

    key: str
    # A plain string is shown as it is (a reason, not a number).
    fields: dict[str, Metric | str]


@dataclass(frozen=True)
class Card:
    """One headline card: label, main figure, the lines under it, its tone and whether it is an estimate."""

    label: str
    main: Metric
    lines: tuple[Line, ...]
    tone: str = "flat"
    estimate: bool = False


@dataclass(frozen=True)
class Nowcast:
    """The short-video nowcast row (insights.nowcast), or why there is none."""

    row: dict[str, int | float] | None
    unavailable: str | None = None


def _row(frame: pl.DataFrame, channel: str) -> dict[str, int | float | None]:
    if frame.is_empty():  # no lines at all: the channel column may not even be typed
        return {}
    rows = frame.filter(pl.col("channel") == channel)
    return rows.row(0, named=True) if rows.height else {}


def _ratio(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else part / whole


@dataclass(frozen=True)
class Facts:
    """The headline's numbers, computed once from the KPI frames and the nowcast."""

    metrics: dict[str, Metric]
    nowcast: Nowcast

    @property
    def partial(self) -> bool:
        """Whether the window is shorter than a week (the campaign's last week has five days)."""
        return self["window_days"].value < 7

    def __getitem__(self, name: str) -> Metric:
        return self.metrics[name]


def _metric_makers(lang: str) -> dict[str, Callable[[float | int | None], str]]:
    """How each kind of value reads, by the suffix of its metric name (one format per kind)."""
    return {
        "_fen": lambda v: format_yuan(None if v is None else round(v), lang),
        "_pp": lambda v: format_pp(v, lang),
        "_change": format_change,
        "_share": format_share,
        "_maturity": format_share,
        "_rate": format_share,
        "_points": format_points,
        "_days": lambda v: format_count(v, lang),
        "": lambda v: format_count(v, lang),
    }


def _metric(name: str, value: float | int | None, lang: str) -> Metric:
    makers = _metric_makers(lang)
    suffix = next(s for s in makers if name.endswith(s))
    return Metric(name, value, makers[suffix](value))


def facts(frames: ReportFrames, nowcast: Nowcast, window_days: int, baseline_days: int, lang: str) -> Facts:
    """Every headline number of the report's window (names are docs/report.md's list)."""
    paid, before, base = (f.row(0, named=True) for f in (frames.paid, frames.paid_previous, frames.paid_baseline))
    settled = frames.window.row(0, named=True)["short_video_settled_gmv_fen"]
    equal = _row(frames.settled_previous_equal, "short_video").get("settled_gmv_fen", 0)
    row = nowcast.row or {}
    estimate = row.get("nowcast_settled_fen")
    maturity = _ratio(settled, estimate)
    uptake, uptake_before = frames.uptake.row(0, named=True), frames.uptake_previous.row(0, named=True)
    card = frames.card.row(0, named=True)
    values: dict[str, float | int | None] = {
        "short_video_paid_gmv_fen": paid["short_video_paid_gmv_fen"],
        "live_paid_gmv_fen": paid["live_paid_gmv_fen"],
        "total_paid_gmv_fen": paid["total_paid_gmv_fen"],
        "short_video_paid_gmv_wow_change": relative_change(
            paid["short_video_paid_gmv_fen"], before["short_video_paid_gmv_fen"]
        ),
        "short_video_paid_daily_vs_baseline_change": relative_change(
            paid["short_video_paid_gmv_fen"] / window_days, base["short_video_paid_gmv_fen"] / baseline_days
        ),
        "short_video_paid_share": paid["share_of_video_and_live"],
        "short_video_paid_share_wow_pp": pp_change(paid["share_of_video_and_live"], before["share_of_video_and_live"]),
        "short_video_paid_share_baseline_pp": pp_change(
            paid["share_of_video_and_live"], base["share_of_video_and_live"]
        ),
        "baseline_paid_share": base["share_of_video_and_live"],
        "short_video_settled_gmv_fen": settled,
        "short_video_settled_maturity": maturity,
        "short_video_settled_estimate_fen": estimate,
        "short_video_settled_estimate_low_fen": row.get("low_fen"),
        "short_video_settled_estimate_high_fen": row.get("high_fen"),
        "settlement_age_days": frames.settlement_age_days,
        "previous_short_video_settled_equal_maturity_fen": equal,
        "short_video_settled_wow_equal_maturity_change": relative_change(settled, equal),
        "newcomers_selling": uptake["selling_newcomers"],
        "newcomers_enrolled": uptake["enrolled_newcomers"],
        "newcomers_uptake_rate": uptake["uptake_rate"],
        "newcomers_new_selling": uptake["selling_newcomers"] - uptake_before["selling_newcomers"],
        "growth_card_points": card["total_points"],
        "growth_card_projected_points": card["projected_total_points"],
        "growth_card_accounts": card["accounts"],
        "growth_card_accounts_near_cap": card["accounts_near_cap"],
        "growth_card_accounts_at_cap": card["accounts_at_cap"],
        "window_days": window_days,
    }
    metrics = {name: _metric(name, value, lang) for name, value in values.items()}
    return Facts(metrics, nowcast)


def _settled_card(f: Facts, lang: str) -> Card:
    """Settled so far and maturity; the estimate of the final figure while the week is still settling."""
    comparable = f["short_video_settled_wow_equal_maturity_change"].value is not None
    comparison = Line(
        "report.card_settled_wow" if comparable else "report.card_settled_wow_none",
        {
            "change": f["short_video_settled_wow_equal_maturity_change"],
            "previous": f["previous_short_video_settled_equal_maturity_fen"],
            "age": f["settlement_age_days"],
        },
    )
    maturity = f["short_video_settled_maturity"].value
    if f.nowcast.row is None:
        why = Line("report.card_settled_no_estimate", {"reason": f.nowcast.unavailable or ""})
        return Card(t("report.card_settled", lang), f["short_video_settled_gmv_fen"], (why, comparison), "flat")
    if maturity is not None and maturity >= SETTLED_MATURITY:
        done = Line("report.card_settled_done", {"maturity": f["short_video_settled_maturity"]})
        return Card(t("report.card_settled", lang), f["short_video_settled_gmv_fen"], (done, comparison))
    lines = (
        Line(
            "report.card_settled_so_far",
            {"settled": f["short_video_settled_gmv_fen"], "maturity": f["short_video_settled_maturity"]},
        ),
        Line(
            "report.card_settled_interval",
            {"low": f["short_video_settled_estimate_low_fen"], "high": f["short_video_settled_estimate_high_fen"]},
        ),
        comparison,
    )
    return Card(
        t("report.card_settled_estimate", lang),
        f["short_video_settled_estimate_fen"],
        lines,
        direction(f["short_video_settled_wow_equal_maturity_change"].value, FLAT_RELATIVE),
        estimate=True,
    )


def cards(f: Facts, lang: str) -> list[Card]:
    """The headline cards in reading order: paid first, then settled, newcomers and growth cards."""
    return [
        Card(
            t("report.card_paid", lang),
            f["short_video_paid_gmv_fen"],
            (
                Line("report.card_paid_channels", {"live": f["live_paid_gmv_fen"], "total": f["total_paid_gmv_fen"]}),
                Line(
                    "report.card_paid_changes",
                    {
                        "wow": f["short_video_paid_gmv_wow_change"],
                        "base": f["short_video_paid_daily_vs_baseline_change"],
                    },
                ),
            ),
            direction(f["short_video_paid_gmv_wow_change"].value, FLAT_RELATIVE),
        ),
        Card(
            t("report.card_share", lang),
            f["short_video_paid_share"],
            (
                Line(
                    "report.card_share_changes",
                    {"wow": f["short_video_paid_share_wow_pp"], "base": f["short_video_paid_share_baseline_pp"]},
                ),
                Line("report.card_share_baseline", {"baseline": f["baseline_paid_share"]}),
            ),
            direction(f["short_video_paid_share_wow_pp"].value),
        ),
        _settled_card(f, lang),
        Card(
            t("report.card_newcomers", lang),
            f["newcomers_selling"],
            (
                Line(
                    "report.card_newcomers_of",
                    {"enrolled": f["newcomers_enrolled"], "rate": f["newcomers_uptake_rate"]},
                ),
                Line("report.card_newcomers_new", {"new": f["newcomers_new_selling"]}),
            ),
        ),
        Card(
            t("report.card_points", lang),
            f["growth_card_points"],
            (
                Line("report.card_points_projected", {"projected": f["growth_card_projected_points"]}),
                Line(
                    "report.card_points_cap",
                    {"near": f["growth_card_accounts_near_cap"], "at": f["growth_card_accounts_at_cap"]},
                ),
            ),
        ),
    ]


def values(f: Facts) -> dict[str, float | int | None]:
    """Every headline metric's raw value by name (what `data-value` holds), for notifications and tests."""
    return {name: metric.value for name, metric in f.metrics.items()}
