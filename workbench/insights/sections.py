"""What the weekly report shows of each method: (frame, chart, sentence).

The report notebook calls one function per method and places the three
parts as it places every other KPI, so the methods stay testable without
the notebook and the notebook holds no method logic.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import altair as alt
import polars as pl

from workbench.insights import charts
from workbench.insights.lift import estimate_lift
from workbench.insights.nowcast import nowcast
from workbench.insights.restatement import HEADLINE, restatement, restatement_sentence
from workbench.output_format import format_yuan
from workbench.session import Snapshot

Section = tuple[pl.DataFrame, alt.TopLevelMixin | None, str | None]


def _pct(value: float) -> str:
    return f"{value * 100:+.0f}%"


def restatement_section(week: int, lang: str, snapshots_root: Path | None = None, as_of: date | None = None) -> Section:
    """Campaign week `week` across snapshots up to `as_of`; the sentence is None until an earlier snapshot exists."""
    frame = restatement(week, snapshots_root, as_of=as_of)
    return frame, charts.restatement_chart(frame, HEADLINE, lang), restatement_sentence(frame, lang)


def nowcast_section(snap: Snapshot, start: date, end: date, lang: str) -> Section:
    """Per-channel nowcast of the window; the sentence quotes short video, labelled as an estimate."""
    frame = nowcast(snap, start, end)
    video = frame.filter(pl.col("channel") == "short_video")
    if video.is_empty():
        return frame, charts.nowcast_chart(frame, lang), None
    row = video.row(0, named=True)
    so_far, point, low, high = (format_yuan(row[c], lang) for c in ("settled_so_far_fen", "nowcast_settled_fen", "low_fen", "high_fen"))
    if lang == "zh":
        sentence = f"短视频已结算 {so_far}；估算最终结算约 {point}（95% 区间 {low} 至 {high}），为模型估计，非实际结算。"
    else:
        sentence = f"Short-video settled so far {so_far}; estimated final settled {point} (95% interval {low} to {high}), an estimate, not settled money."
    return frame, charts.nowcast_chart(frame, lang), sentence


def lift_section(snap: Snapshot, lang: str) -> Section:
    """DiD lift summary, the event-study chart, and a sentence with the naive comparison beside it."""
    lift = estimate_lift(snap)
    row = lift.summary.row(0, named=True)
    est, low, high, naive = (_pct(row[c]) for c in ("relative_lift", "relative_low", "relative_high", "naive_relative"))
    per_day = format_yuan(round(row["fen_per_day"]), lang)
    truth = row["true_lift"]
    if lang == "zh":
        sentence = (
            f"报名使已有短视频成交的账号日均短视频成交额变化 {est}（95% 置信区间 {low} 至 {high}），"
            f"约每个报名账号每天 {per_day}；直接比较报名与未报名账号为 {naive}，差距主要来自自选择。"
        )
        sentence += f"（模拟数据的真实效果：{_pct(truth)}）" if truth is not None else ""
    else:
        sentence = (
            f"Enrolment changed an existing seller's daily short-video GMV by {est} (95% CI {low} to {high}), "
            f"about {per_day} a day per enrolled account; the naive enrolled-vs-not comparison shows {naive}, mostly selection."
        )
        sentence += f" (Synthetic data's true effect: {_pct(truth)}.)" if truth is not None else ""
    return lift.summary, charts.event_study_chart(lift.weeks, lang), sentence
