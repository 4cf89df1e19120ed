"""Generated sentences: what moved this week and by how much.

Sentences are filled from the same frames as the headline, so the text can
never disagree with the figures beside it; a direction word (up, down,
flat) is chosen from the sign of the change rather than written by hand.
"""

from __future__ import annotations

import polars as pl

from workbench.formatting import (
    direction,
    format_count,
    format_pp,
    format_share,
    format_yuan,
)
from workbench.report.frames import ReportFrames, channel_paid_fen
from workbench.report.headline import share_changes
from workbench.report.params import ReportParams
from workbench.text import label, t


def change_words(delta: float | None, lang: str) -> str:
    """`下降14.0个百分点` / `down 14.0 pp` / `持平`, from the sign of a pp change."""
    return t("report." + direction(delta), lang, pp=format_pp(delta, lang, signed=False))


def _video_sentence(frames: ReportFrames, lang: str) -> str:
    window = frames.window.row(0, named=True)
    wow, base = share_changes(frames)
    video = format_yuan(window["short_video_settled_gmv_fen"], lang)
    share = format_share(window["share_of_video_and_live"])
    if window["share_of_video_and_live"] is None:
        return t(
            "report.say_video_unsettled",
            lang,
            video=video,
            paid=format_yuan(channel_paid_fen(frames, "short_video"), lang),
        )
    if wow is None or base is None:
        return t("report.say_video_gmv_no_prior", lang, video=video, share=share)
    return t(
        "report.say_video_gmv",
        lang,
        video=video,
        share=share,
        wow=change_words(wow, lang),
        base=change_words(base, lang),
    )


def _newcomer_sentence(frames: ReportFrames, params: ReportParams) -> str:
    now = frames.uptake.row(0, named=True)
    before = frames.uptake_previous.row(0, named=True)
    return t(
        "report.say_newcomers",
        params.lang,
        end=params.end,
        enrolled=format_count(now["enrolled_newcomers"], params.lang),
        selling=format_count(now["selling_newcomers"], params.lang),
        rate=format_share(now["uptake_rate"]),
        new_selling=format_count(now["selling_newcomers"] - before["selling_newcomers"], params.lang),
    )


def _card_sentence(frames: ReportFrames, lang: str) -> str:
    card = frames.card.row(0, named=True)
    return t(
        "report.say_card",
        lang,
        points=format_count(card["total_points"], lang),
        accounts=format_count(card["accounts"], lang),
        newcomers=format_count(card["newcomer_accounts"], lang),
    )


def _focus_share(category: pl.DataFrame, channel: str, column: str, focus: tuple[str, ...]) -> float | None:
    """The focus categories' combined share of one channel; None when the channel has no share at all."""
    rows = category.filter((pl.col("channel") == channel) & pl.col(column).is_not_null())
    return rows.filter(pl.col("category").is_in(focus))[column].sum() if not rows.is_empty() else None


def _category_sentences(frames: ReportFrames, params: ReportParams) -> list[str]:
    """The focus categories' share of short video against the baseline and live; none before anything settled."""
    focus = params.focus
    share = _focus_share(frames.category, "short_video", "share_within_channel", focus)
    if share is None:
        return []
    joiner = t("report.list_joiner", params.lang)
    return [
        t(
            "report.say_category",
            params.lang,
            focus=joiner.join(label(c, params.lang) for c in focus),
            share=format_share(share),
            baseline_share=format_share(_focus_share(frames.category, "short_video", "baseline_share", focus)),
            live_share=format_share(_focus_share(frames.category, "live", "share_within_channel", focus)),
        )
    ]


def _traffic_sentences(frames: ReportFrames, lang: str) -> list[str]:
    """The campaign boost in the recommend feed of enrolled accounts, if they had any traffic."""
    rows = frames.traffic.filter(pl.col("enrolled") & (pl.col("tab") == "recommend") & (pl.col("impressions") > 0))
    return [
        t(
            "report.say_traffic",
            lang,
            impressions=format_count(row["impressions"], lang),
            boosted_share=format_share(row["boosted_share"]),
        )
        for row in rows.iter_rows(named=True)
    ]


def sentences(frames: ReportFrames, params: ReportParams) -> list[str]:
    """The report's generated sentences, most important first."""
    return [
        _video_sentence(frames, params.lang),
        _newcomer_sentence(frames, params),
        _card_sentence(frames, params.lang),
        *_category_sentences(frames, params),
        *_traffic_sentences(frames, params.lang),
    ]
