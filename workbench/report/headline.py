"""The four headline figures an executive reads first.

Each figure is a value plus one line of context, taken straight from the
KPI frames: the short-video settled GMV (with live beside it), its share of
video + live with the change on last week and on the baseline, newcomers
selling out of those enrolled, and growth-card points earned so far.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.formatting import (
    direction,
    format_count,
    format_pp,
    format_share,
    format_yuan,
    pp_change,
)
from workbench.report.frames import ReportFrames, channel_paid_fen
from workbench.text import t


@dataclass(frozen=True)
class Figure:
    """One headline tile: label, value, a line of detail and its tone (up/down/flat)."""

    label: str
    value: str
    detail: str
    tone: str = "flat"


def share_changes(frames: ReportFrames) -> tuple[float | None, float | None]:
    """The window's short-video share minus last week's and the baseline's, in pp."""
    share = frames.window["share_of_video_and_live"][0]
    return (
        pp_change(share, frames.previous["share_of_video_and_live"][0]),
        pp_change(share, frames.baseline["share_of_video_and_live"][0]),
    )


def headline_figures(frames: ReportFrames, lang: str) -> list[Figure]:
    """The headline tiles, in reading order."""
    window = frames.window.row(0, named=True)
    uptake = frames.uptake.row(0, named=True)
    card = frames.card.row(0, named=True)
    wow, base = share_changes(frames)
    return [
        Figure(
            t("report.fig_video_gmv", lang),
            format_yuan(window["short_video_settled_gmv_fen"], lang),
            t(
                "report.fig_video_gmv_detail",
                lang,
                paid=format_yuan(channel_paid_fen(frames, "short_video"), lang),
                live=format_yuan(window["live_settled_gmv_fen"], lang),
            ),
        ),
        Figure(
            t("report.fig_share", lang),
            format_share(window["share_of_video_and_live"]),
            t("report.fig_share_detail", lang, wow=format_pp(wow, lang), base=format_pp(base, lang)),
            direction(wow),
        ),
        Figure(
            t("report.fig_newcomers", lang),
            f"{uptake['selling_newcomers']:,} / {uptake['enrolled_newcomers']:,}",
            t("report.fig_newcomers_detail", lang, rate=format_share(uptake["uptake_rate"])),
        ),
        Figure(
            t("report.fig_card", lang),
            format_count(card["total_points"], lang),
            t("report.fig_card_detail", lang, accounts=format_count(card["accounts"], lang)),
        ),
    ]
