"""`<stem>.json` beside each report: its identity and headline figures, read back from the page.

The figures are taken from the rendered HTML's `data-metric` attributes,
so the index, notifications and anyone else who reads the summary see
exactly the numbers on the page, never a second computation of them. The
file holds no timestamp: re-rendering the same report gives the same bytes.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from workbench.files import write_atomic
from workbench.report.params import ReportParams


class _Metrics(HTMLParser):
    """Collects every `data-metric` element's name, raw value and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, dict[str, Any]] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if (name := named.get("data-metric")) is not None:
            raw = named.get("data-value") or ""
            self.found[name] = {"value": json.loads(raw) if raw else None, "text": ""}
            self._open = name

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found[self._open]["text"] += data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def metrics(html: str) -> dict[str, dict[str, Any]]:
    """Every headline metric on a page: {name: {"value": raw or None, "text": as shown}}."""
    parser = _Metrics()
    parser.feed(html)
    return parser.found


def summary(params: ReportParams, html: str) -> dict[str, Any]:
    """What the index and notifications need to know about one rendered report."""
    manifest = params.manifest
    return {
        "title": params.title,
        "period": params.period,
        "week": params.week,
        "start": params.start.isoformat(),
        "end": params.end.isoformat(),
        "lang": params.lang,
        "category": params.category,
        "shop": params.shop,
        "snapshot": manifest.snapshot_date.isoformat(),
        "cutoff": manifest.cutoff.isoformat(),
        "html": f"{params.stem}.html",
        "metrics": metrics(html),
    }


def write_summary(folder: Path, params: ReportParams, html: str) -> Path:
    """Write `<folder>/<stem>.json` atomically."""
    text = json.dumps(summary(params, html), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return write_atomic(folder / f"{params.stem}.json", text)


def read_summary(path: Path) -> dict[str, Any] | None:
    """A summary file's content, or None when it is missing or unreadable (an index still lists the report)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
