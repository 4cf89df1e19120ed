"""Generated sentences: what moved this week and by how much.

Sentences are filled from the same frames as the headline, so the text can
never disagree with the figures beside it; a direction word (up, down,
flat) is chosen from the sign of the change rather than written by hand.
"""

from __future__ import annotations

import polars as pl

from workbench.formatting import direction, format_count, format_points, format_pp, format_share
from workbench.report.frames import ReportFrames
from workbench.report.headline import SETTLED_MATURITY, Facts
from workbench.report.params import ReportParams
from workbench.text import label, t


def change_words(delta: float | None, lang: str) -> str:
    """`下降14.0个百分点` / `down 14.0 pp` / `持平`, from the sign of a pp change."""
    return t("report." + direction(delta), lang, pp=format_pp(delta, lang, signed=False))


def _video_sentences(facts: Facts, lang: str) -> list[str]:
    """Paid first (final as soon as the week is over), then settlement: so far, estimate, equal-maturity change."""
    f = facts
    paid = t(
        "report.say_paid",
        lang,
        paid=f["short_video_paid_gmv_fen"].text,
        share=f["short_video_paid_share"].text,
        wow=change_words(f["short_video_paid_share_wow_pp"].value, lang),
        base=change_words(f["short_video_paid_share_baseline_pp"].value, lang),
    )
    common = {
        "settled": f["short_video_settled_gmv_fen"].text,
        "age": f["settlement_age_days"].text,
        "change": f["short_video_settled_wow_equal_maturity_change"].text,
    }
    maturity = f["short_video_settled_maturity"].value
    if f["short_video_settled_wow_equal_maturity_change"].value is None:
        common["change"] = t("report.no_equal_maturity_change", lang)
    if f.nowcast.row is None:
        settled = t("report.say_settled_no_estimate", lang, reason=f.nowcast.unavailable or "", **common)
    elif maturity is not None and maturity >= SETTLED_MATURITY:
        settled = t("report.say_settled_done", lang, **common)
    else:
        settled = t(
            "report.say_settled_estimate",
            lang,
            maturity=f["short_video_settled_maturity"].text,
            estimate=f["short_video_settled_estimate_fen"].text,
            low=f["short_video_settled_estimate_low_fen"].text,
            high=f["short_video_settled_estimate_high_fen"].text,
            **common,
        )
    return [paid, settled]


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
        points=format_points(card["total_points"]),
        accounts=format_count(card["accounts"], lang),
        newcomers=format_count(card["newcomer_accounts"], lang),
        projected=format_points(card["projected_total_points"]),
    )


def _focus_share(category: pl.DataFrame, channel: str, column: str, focus: tuple[str, ...]) -> float | None:
    """The focus categories' combined share of one channel; None when the channel has no share at all."""
    rows = category.filter((pl.col("channel") == channel) & pl.col(column).is_not_null())
    return rows.filter(pl.col("category").is_in(focus))[column].sum() if not rows.is_empty() else None


def _category_sentences(frames: ReportFrames, params: ReportParams) -> list[str]:
    """The focus categories' share of short-video paid GMV against the baseline and live; none before anything sold."""
    focus = params.focus
    share = _focus_share(frames.category, "short_video", "paid_share_within_channel", focus)
    if share is None:
        return []
    joiner = t("report.list_joiner", params.lang)
    return [
        t(
            "report.say_category",
            params.lang,
            focus=joiner.join(label(c, params.lang) for c in focus),
            share=format_share(share),
            baseline_share=format_share(_focus_share(frames.category, "short_video", "baseline_paid_share", focus)),
            live_share=format_share(_focus_share(frames.category, "live", "paid_share_within_channel", focus)),
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


def sentences(frames: ReportFrames, facts: Facts, params: ReportParams) -> list[str]:
    """The report's generated sentences, most important first."""
    return [
        *_video_sentences(facts, params.lang),
        _newcomer_sentence(frames, params),
        _card_sentence(frames, params.lang),
        *_category_sentences(frames, params),
        *_traffic_sentences(frames, params.lang),
    ]
