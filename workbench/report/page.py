"""What the report notebook's cells call: one method per section.

The notebook stays thin (parameters, then one call per cell) so that the
report's logic is ordinary tested Python; each method returns an IPython
HTML object, the only kind of output the `weekly` template puts on the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import polars as pl
from IPython.display import HTML

from workbench.formatting import format_share, format_yuan
from workbench.kpi.opened import OpenedSnapshot
from workbench.kpi.run import check_value
from workbench.report import html
from workbench.report.ahead import Ahead, Attempt
from workbench.report.figures import chart_tiles
from workbench.report.frames import load_frames
from workbench.report.headline import Facts, Line, Nowcast, cards, facts
from workbench.report.methods import unavailable_reason
from workbench.report.narrative import sentences
from workbench.report.params import ReportParams, check_shop, latest, validate
from workbench.report.peers import peers_html
from workbench.text import t

# The snapshot every report opened inside `shared_snapshot` reads through (the shop batch's one connection),
# and the shop_peers frame the batch computed once for all its shops.
_shared: OpenedSnapshot | None = None
_shared_peers: pl.DataFrame | None = None


@contextmanager
def shared_snapshot(snapshot: OpenedSnapshot, peers: pl.DataFrame | None = None) -> Iterator[OpenedSnapshot]:
    """Inside the block, reports of `snapshot`'s folder reuse it instead of opening the snapshot again.

    A batch of shop reports opens the snapshot once; the notebook's own
    `open_report` call then finds it here, so the notebook stays the one
    place that says what a report shows.
    """
    global _shared, _shared_peers
    _shared, _shared_peers = snapshot, peers
    try:
        yield snapshot
    finally:
        _shared, _shared_peers = None, None


def _reused(params: ReportParams) -> OpenedSnapshot | None:
    if _shared is not None and _shared.path.resolve() == params.manifest.path.resolve():
        return _shared
    return None


class WeeklyReport:
    """One report: its checked parameters, the opened snapshot and its KPI frames."""

    def __init__(self, params: ReportParams) -> None:
        self.params = params
        reused = _reused(params)
        self._owns_snapshot = reused is None
        self._shares_peers = reused is not None
        self.snapshot = reused or OpenedSnapshot(params.manifest)
        # The methods learn from every shop's lines, so a shop report has none (and shows settled so far
        # without an estimate); a whole-snapshot report starts them now, to run beside the frames and charts.
        self.ahead = None if params.shop else Ahead(self.snapshot, params)
        try:
            self.frames = load_frames(self.snapshot, params)
            self.nowcasted: Attempt[pl.DataFrame] = (
                self.ahead.nowcast.result() if self.ahead is not None else Attempt(None)
            )
        except BaseException:
            self.close()
            raise
        video_nowcast = (
            Nowcast(None, t("report.shop_no_estimate", params.lang))
            if params.shop
            else _video_nowcast(self.nowcasted, params.lang)
        )
        self.facts: Facts = facts(
            self.frames,
            video_nowcast,
            (params.end - params.start).days + 1,
            self.snapshot.config.baseline_days,
            params.lang,
        )

    def close(self) -> None:
        """Wait for the methods, then let go of the snapshot, unless it is a batch's shared one."""
        if self.ahead is not None:
            self.ahead.close()
        if self._owns_snapshot:
            self.snapshot.close()

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.params.lang

    def _cutoff_text(self) -> str:
        return self.params.manifest.cutoff.strftime("%Y-%m-%d %H:%M")

    def header(self) -> HTML:
        """Programme, period and snapshot line."""
        subtitle = t(
            "report.subtitle", self.lang, snapshot=self.params.manifest.snapshot_date, cutoff=self._cutoff_text()
        )
        shop = self.params.shop
        if shop:
            names = self.snapshot.sql("select shop_name from shops where shop_id = $shop", {"shop": shop})
            name = names["shop_name"][0] if names.height and names["shop_name"][0] else shop
            subtitle += " " + t("report.shop_line", self.lang, name=name, shop=shop)
        return HTML(html.header(t("report.title", self.lang), self.params.period, subtitle))

    def headline(self) -> HTML:
        """The headline cards: paid first, settled so far with its estimate, newcomers, growth cards."""
        start, end = self.params.start.isoformat(), self.params.end.isoformat()
        partial = Line("report.partial_week", {"days": self.facts["window_days"], "start": start, "end": end})
        note = partial if self.facts.partial else None
        body = html.cards(cards(self.facts, self.lang), self.lang, note)
        return HTML(html.section(t("report.section_headline", self.lang), body, "headline-section"))

    def narrative(self) -> HTML:
        """Generated sentences on what moved."""
        return HTML(
            html.section(
                t("report.section_narrative", self.lang),
                html.bullets(sentences(self.frames, self.facts, self.params), "narrative"),
            )
        )

    def peers(self) -> HTML | None:
        """A shop report's peer benchmarks (queries/shop_peers.sql); nothing in a whole-snapshot report."""
        shop = self.params.shop
        if not shop:
            return None
        frame = _shared_peers if self._shares_peers else None
        if frame is None:
            frame = self.snapshot.kpi("shop_peers", self.params.start, self.params.end)
        return HTML(peers_html(frame, shop, self.lang))

    def charts(self) -> HTML:
        """Every chart as inline SVG."""
        return HTML(
            html.section(t("report.section_charts", self.lang), html.chart_grid(chart_tiles(self.frames, self.params)))
        )

    def methods(self) -> HTML:
        """Restatement of last week, nowcast of this window's settled GMV, campaign lift (whole snapshot only)."""
        if self.params.shop:
            note = html.paragraphs([t("report.shop_methods", self.lang)], "note")
            return HTML(html.section(t("report.section_methods", self.lang), note))
        assert self.ahead is not None
        return HTML(self.ahead.section.result())

    def data_note(self) -> HTML:
        """Cutoff, how much of the window's GMV may still settle, and the reward-base rule assumed."""
        settlement = self.frames.settlement.row(0, named=True)
        config = self.snapshot.config
        lines = [
            t("report.note_cutoff", self.lang, cutoff=self._cutoff_text()),
            t(
                "report.note_unsettled",
                self.lang,
                paid=format_yuan(settlement["paid_gmv_fen"], self.lang),
                unsettled=format_yuan(settlement["unsettled_gmv_fen"], self.lang),
                share=format_share(settlement["unsettled_share"]),
            ),
            t(
                "report.note_rule",
                self.lang,
                rate=format_share(config.card_rate),
                cap=f"{config.card_cap_points:,.0f}",
                baseline_start=config.baseline_start,
                baseline_end=config.baseline_end,
                baseline_days=config.baseline_days,
                campaign_days=config.campaign_days,
            ),
        ]
        return HTML(html.section(t("report.section_note", self.lang), html.paragraphs(lines, "note")))


def _video_nowcast(nowcasted: Attempt[pl.DataFrame], lang: str) -> Nowcast:
    """The short-video row of the nowcast, or the reason it is unavailable in `lang`."""
    if nowcasted.error is not None:
        return Nowcast(None, unavailable_reason(nowcasted.error, lang))
    frame = nowcasted.value
    assert frame is not None
    rows = frame if frame.is_empty() else frame.filter(frame["channel"] == "short_video")
    if rows.is_empty():
        return Nowcast(None, t("report.no_data", lang))
    return Nowcast(rows.row(0, named=True), None)


def open_report(
    snapshot: str = "latest",
    week: int | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    lang: str = "zh",
    category: str | None = None,
    shop: str | None = None,
) -> WeeklyReport:
    """The report for a week or window; with neither, the snapshot's last complete week; with `shop`, that shop's."""
    if week is None and start is None and end is None:
        params = latest(snapshot, lang, category)
    else:
        params = validate(snapshot, week=week, start=start, end=end, lang=lang, category=category)
    if shop is not None:
        shared = _reused(params)
        if shared is not None:
            check_value(shared.con, "shop", shop)
        else:
            check_shop(params.manifest, shop)
        params = params.for_shop(shop)
    return WeeklyReport(params)
