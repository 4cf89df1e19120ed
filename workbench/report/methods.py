"""What the report and the CLI show of each method: its frame, chart and sentence.

The statistics are in workbench.insights, which returns frames; this module
turns each result into a chart (workbench.charts) and a sentence (the
catalogue), so the weekly report's section and `workbench nowcast|lift|
restatement` say the same thing. A method can be unavailable for a given
snapshot (no earlier snapshot to restate against, too little mature history
to nowcast from, no enrolled accounts yet): the section then says why in one
line instead of failing the whole report, because an unattended weekly run
must still deliver the counted figures.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

import altair as alt
import polars as pl

from workbench import charts
from workbench.charts.svg import to_svg
from workbench.errors import WorkbenchError
from workbench.formatting import format_change, format_count, format_yuan
from workbench.insights.lift import Lift, estimate_lift
from workbench.insights.restatement import HEADLINE, restatement
from workbench.insights.unavailable import MethodUnavailable
from workbench.kpi.opened import OpenedSnapshot
from workbench.report import html
from workbench.report.params import ReportParams
from workbench.text import t

Section = tuple[pl.DataFrame, alt.TopLevelMixin | None, str | None]


def restatement_sentence(frame: pl.DataFrame, lang: str, metric: str = HEADLINE) -> str | None:
    """ "first reported ¥X on D, now ¥Y, +Z%" for a money metric; None with fewer than two snapshots."""
    rows = frame.filter(pl.col("metric") == metric).sort("snapshot_date")
    if rows.height < 2:
        return None
    first, last = rows.row(0, named=True), rows.row(-1, named=True)
    # From a first report of 0 (nothing settled yet) only the absolute change means anything.
    if last["change_rel"] is None:
        change = ("+" if last["change_abs"] >= 0 else "") + format_yuan(round(last["change_abs"]), lang)
    else:
        change = f"{last['change_rel'] * 100:+.1f}%"
    return t(
        "report.say_restated",
        lang,
        first_date=first["snapshot_date"],
        was=format_yuan(round(first["first_value"]), lang),
        last_date=last["snapshot_date"],
        now=format_yuan(round(last["value"]), lang),
        change=change,
    )


def restatement_section(week: int, lang: str, snapshots_root: Path | None = None, as_of: date | None = None) -> Section:
    """Campaign week `week` across snapshots up to `as_of`; the sentence is None until an earlier snapshot exists."""
    return restatement_view(restatement(week, snapshots_root, as_of=as_of), lang)


def restatement_view(frame: pl.DataFrame, lang: str) -> Section:
    """A restatement frame with its chart and sentence."""
    return frame, charts.restatement_chart(frame, HEADLINE, lang), restatement_sentence(frame, lang)


T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """A method's result, or the error that made it unavailable (raised again by `result`)."""

    value: T | None
    error: WorkbenchError | None = None

    def result(self) -> T:
        """The result, or the method's error raised again."""
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def attempt(run: Callable[[], T]) -> Attempt[T]:
    """Run a method; a WorkbenchError (too little data, a bad snapshot) becomes the Attempt's error."""
    try:
        return Attempt(run())
    except WorkbenchError as err:
        return Attempt(None, err)


def nowcast_section(frame: pl.DataFrame, lang: str) -> Section:
    """Per-channel nowcast of the window; the sentence quotes short video, labelled as an estimate."""
    video = frame.filter(pl.col("channel") == "short_video")
    if video.is_empty():
        return frame, charts.nowcast_chart(frame, lang), None
    row = video.row(0, named=True)
    so_far, point, low, high = (
        format_yuan(row[c], lang) for c in ("settled_so_far_fen", "nowcast_settled_fen", "low_fen", "high_fen")
    )
    sentence = t("report.say_nowcast", lang, so_far=so_far, point=point, low=low, high=high)
    return frame, charts.nowcast_chart(frame, lang), sentence


def lift_section(snap: OpenedSnapshot, lang: str) -> Section:
    """DiD lift summary, the event-study chart, and a sentence with the naive comparison beside it."""
    return lift_view(estimate_lift(snap), lang)


def lift_view(lift: Lift, lang: str) -> Section:
    """A lift estimate's summary, event-study chart and sentence."""
    row = lift.summary.row(0, named=True)
    est, low, high, naive = (
        format_change(row[c]) for c in ("relative_lift", "relative_low", "relative_high", "naive_relative")
    )
    sentence = t(
        "report.say_lift",
        lang,
        est=est,
        low=low,
        high=high,
        per_day=format_yuan(round(row["fen_per_day"]), lang),
        naive=naive,
    )
    if row["true_lift"] is not None:
        sentence += t("report.say_lift_truth", lang, truth=format_change(row["true_lift"]))
    return lift.summary, charts.event_study_chart(lift.weeks, lang), sentence


def _fact(value: object, lang: str) -> str:
    """A fact of an unavailability reason as the page shows it: counts on the number ladder, dates as ISO."""
    return format_count(value, lang) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def unavailable_reason(err: WorkbenchError, lang: str) -> str:
    """Why a method could not run, in `lang`: its catalogue reason, never the English terminal message."""
    if isinstance(err, MethodUnavailable):
        facts = {k: _fact(v, lang) for k, v in err.facts.items()}
        return t(f"report.unavailable_{err.reason}", lang, **facts)
    # Anything else is unexpected: the page says so, the kernel's stderr (kept in the executed notebook) says what.
    print(f"{type(err).__name__}: {err}", file=sys.stderr)
    return t("report.unavailable_failed", lang)


def plain_nowcast(frame: pl.DataFrame, lang: str) -> str | None:
    """The nowcast in one plain sentence for an executive: where short-video settled GMV should land."""
    video = frame.filter(pl.col("channel") == "short_video") if not frame.is_empty() else frame
    if video.is_empty():
        return None
    row = video.row(0, named=True)
    return t(
        "report.plain_nowcast",
        lang,
        point=format_yuan(row["nowcast_settled_fen"], lang),
        so_far=format_yuan(row["settled_so_far_fen"], lang),
    )


def plain_lift(summary: pl.DataFrame, lang: str) -> str:
    """The lift in one plain sentence: how much enrolment changed sales, and whether that is clear of chance."""
    row = summary.row(0, named=True)
    clear = row["relative_low"] > 0 or row["relative_high"] < 0
    return t(
        "report.plain_lift",
        lang,
        est=format_change(row["relative_lift"]),
        certainty=t("report.lift_clear" if clear else "report.lift_unclear", lang),
    )


@dataclass(frozen=True)
class Told:
    """What the methods section says of one method: a plain line, the statistics, the chart tile."""

    plain: str | None
    detail: str | None = None
    tile: str | None = None


def _tell(title: str, run: Callable[[], Section], plain: Callable[[pl.DataFrame], str | None], lang: str) -> Told:
    """One method told plainly, with its statistics and chart for the details; unavailable, its reason."""
    try:
        frame, chart, sentence = run()
    except WorkbenchError as err:
        return Told(t("report.method_unavailable", lang, method=title, reason=unavailable_reason(err, lang)))
    tile = html.chart(title, to_svg(chart), "") if chart is not None else None
    return Told(plain(frame), sentence, tile)


def methods_html(
    params: ReportParams,
    nowcasted: Attempt[pl.DataFrame],
    lifted: Attempt[Lift],
    restated: Attempt[pl.DataFrame] | None,
) -> str:
    """Restatement of the previous week (None from week 1), nowcast of this window, campaign lift.

    The methods ran before (workbench.report.ahead); this tells them. The
    section speaks plainly first (one line per method); intervals, method
    notes and charts sit one click down in a <details> block, which opens
    for print.
    """
    lang = params.lang
    told: list[Told] = []
    if restated is not None and params.week:
        previous = params.week - 1
        lead = t("report.say_restatement", lang, week=previous)
        restatement_told = _tell(
            t("report.chart_restatement", lang, week=previous),
            lambda: restatement_view(restated.result(), lang),
            lambda frame: (lead + sentence) if (sentence := restatement_sentence(frame, lang)) else None,
            lang,
        )
        if restatement_told.plain:
            told.append(Told(restatement_told.plain, None, restatement_told.tile))
    told.append(
        _tell(
            t("report.chart_nowcast", lang),
            lambda: nowcast_section(nowcasted.result(), lang),
            lambda frame: plain_nowcast(frame, lang),
            lang,
        )
    )
    told.append(
        _tell(
            t("report.chart_lift", lang), lambda: lift_view(lifted.result(), lang), lambda f: plain_lift(f, lang), lang
        )
    )
    plain = [x.plain for x in told if x.plain]
    details = [x.detail for x in told if x.detail]
    tiles = [x.tile for x in told if x.tile]
    inner = (html.bullets(details, "narrative") if details else "") + html.chart_grid(tiles)
    body = html.bullets(plain, "narrative") + html.details(t("report.methods_details", lang), inner)
    return html.section(t("report.section_methods", lang), body)
