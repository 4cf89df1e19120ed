"""The two messages a run sends: the week's headline when it worked, what failed and where to look when not.

Every figure is the report's own text, read from its summary (`<stem>.json`,
written from the page's `data-metric` elements), so the message says
exactly what the page says, in the page's language, and nothing here
formats a number. Words come from the catalogue (`notify.*`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.text import t


@dataclass(frozen=True)
class Message:
    """A notification: title, body, whether it reports success, files to attach where the service allows."""

    title: str
    body: str
    success: bool
    attach: tuple[Path, ...] = field(default=())


def _text(metrics: dict[str, Any], name: str) -> str | None:
    """A metric's text as shown on the page, or None when the page has no value for it."""
    metric = metrics.get(name)
    if not metric or metric.get("value") is None:
        return None
    return metric["text"]


def _settled(metrics: dict[str, Any], lang: str) -> list[str]:
    """The estimated final settled GMV with its interval, or, without a nowcast, what has settled so far."""
    estimate = _text(metrics, "short_video_settled_estimate_fen")
    if estimate is None:
        so_far = _text(metrics, "short_video_settled_gmv_fen")
        return [t("notify.settled_so_far", lang, value=so_far)] if so_far else []
    low = _text(metrics, "short_video_settled_estimate_low_fen")
    high = _text(metrics, "short_video_settled_estimate_high_fen")
    if low is None or high is None:
        return [t("notify.estimate", lang, value=estimate)]
    return [t("notify.estimate_interval", lang, value=estimate, low=low, high=high)]


def success(summary: dict[str, Any], where: str, attach: tuple[Path, ...] = ()) -> Message:
    """The headline of a rendered report: paid GMV and share, settled estimate, maturity, newcomers, where it is."""
    lang = summary.get("lang", "zh")
    metrics = summary.get("metrics", {})
    lines = []
    for key, name in (("paid_gmv", "short_video_paid_gmv_fen"), ("paid_share", "short_video_paid_share")):
        if (value := _text(metrics, name)) is not None:
            lines.append(t(f"notify.{key}", lang, value=value))
    lines += _settled(metrics, lang)
    for key, name in (("maturity", "short_video_settled_maturity"), ("newcomers", "newcomers_selling")):
        if (value := _text(metrics, name)) is not None:
            lines.append(t(f"notify.{key}", lang, value=value))
    lines.append(t("notify.snapshot", lang, snapshot=summary.get("snapshot", "?")))
    lines.append(t("notify.report_at", lang, where=where))
    title = t("notify.success_title", lang, title=summary.get("title", ""))
    return Message(title, "\n".join(lines), True, attach)


def portfolio(
    title: str, shops: int, listed: int, snapshot: str, where: str, lang: str, attach: tuple[Path, ...] = ()
) -> Message:
    """A batch of shop reports (`--each-shop`): how many were written and where the portfolio page is.

    It names no shop and quotes no shop's figure: the group it goes to may not be
    every client's, and the portfolio page behind the link holds the figures.
    """
    lines = [
        t("notify.shops_written", lang, shops=shops, listed=listed),
        t("notify.snapshot", lang, snapshot=snapshot),
        t("notify.portfolio_at", lang, where=where),
    ]
    return Message(t("notify.portfolio_title", lang, title=title), "\n".join(lines), True, attach)


def failure(step: str, error: str, lang: str, notebooks: list[str], history: str | None) -> Message:
    """What failed (the step and its one-line error) and where to look: failed notebooks, the run history (`run` keeps one)."""
    step_name = t(f"notify.step_{step}", lang)
    lines = [t("notify.failed_step", lang, step=step_name), t("notify.error", lang, error=error)]
    lines += [t("notify.failed_notebook", lang, where=where) for where in notebooks]
    if history is not None:
        lines.append(t("notify.history", lang, where=history))
    lines.append(t("notify.last_good", lang))
    return Message(t("notify.failure_title", lang, step=step_name), "\n".join(lines), False)
