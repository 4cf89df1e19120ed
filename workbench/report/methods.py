"""The report's section on restatement, nowcast and lift (docs/methods.md).

Each method can be unavailable for a given snapshot (no earlier snapshot to
restate against, too little mature history to nowcast from, no enrolled
accounts yet): the section then says why in one line instead of failing
the whole report, because an unattended weekly run must still deliver the
counted figures.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.errors import WorkbenchError
from workbench.insights.sections import Section, lift_section, nowcast_section, restatement_section
from workbench.report import html
from workbench.report.params import ReportParams
from workbench.report.svg import to_svg
from workbench.report.text import t
from workbench.session import Snapshot


def _attempt(title: str, run: Callable[[], Section], lang: str) -> tuple[str | None, str | None]:
    """(sentence, chart tile) of one method; an unavailable method gives its reason and no tile."""
    try:
        _, chart, sentence = run()
    except WorkbenchError as err:
        return t("method_unavailable", lang, method=title, reason=str(err)), None
    return sentence, html.chart(title, to_svg(chart), "") if chart is not None else None


def methods_html(snapshot: Snapshot, params: ReportParams) -> str:
    """Restatement of the previous week, nowcast of this window, campaign lift."""
    lang = params.lang
    parts = []
    if params.week and params.week > 1:
        previous = params.week - 1
        sentence, tile = _attempt(
            t("chart_restatement", lang, week=previous),
            lambda: restatement_section(previous, lang, params.snapshot.parent, as_of=params.snapshot_date),
            lang,
        )
        if sentence:
            parts.append((t("say_restatement", lang, week=previous) + sentence, tile))
    parts.append(_attempt(t("chart_nowcast", lang), lambda: nowcast_section(snapshot, params.start, params.end, lang), lang))
    parts.append(_attempt(t("chart_lift", lang), lambda: lift_section(snapshot, lang), lang))
    lines = [sentence for sentence, _ in parts if sentence]
    tiles = [tile for _, tile in parts if tile]
    return html.section(t("section_methods", lang), html.bullets(lines, "narrative") + html.chart_grid(tiles))
