"""`reports/index.html`: the weeks an executive can open, newest first, with their answer.

The index is rebuilt from the folders on disk after each render (not kept
as state), so it can never list a report that is gone or miss one another
process rendered. For every week (and language or category view) it shows
the report of the newest snapshot with its dates and headline figures, read
from the report's summary (`<stem>.json`, written from the page itself), and
its settlement maturity; the newest week is marked. A week whose latest
refresh failed (a `<stem>.failed.ipynb` newer than its HTML) is flagged,
while its last good page stays linked, and a banner on top says when the
latest scheduled run (`reports/runs.jsonl`, written by `workbench run`)
failed, at which step and why. Earlier snapshots' versions are one click
down. Like the reports it is self-contained and readable on a phone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from workbench.files import write_atomic
from workbench.paths import RUN_HISTORY, reports_dir
from workbench.report.headline import SETTLED_MATURITY
from workbench.report.summary import read_summary
from workbench.text import t

INDEX = "index.html"
# <snapshot_date>/<slug>/<stem>.html, stem = slug-lang[-category]
_REPORT = re.compile(r"^(\d{4}-\d{2}-\d{2})/([^/]+)/([^/.]+)\.html$")
# The headline figures an index row repeats, in order.
FIGURES = ("short_video_paid_gmv_fen", "short_video_paid_share", "newcomers_selling")

_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2329; margin: 0; }}
main {{ max-width: 860px; margin: 0 auto; padding: 28px 20px; }}
h1 {{ font-size: 22px; border-bottom: 3px solid #07c160; padding-bottom: 8px; }}
.week {{ display: block; border: 1px solid #e4e6eb; border-radius: 8px; padding: 12px 14px; margin: 10px 0;
  color: inherit; text-decoration: none; }}
.week:hover {{ border-color: #07c160; }}
.week .head {{ display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: baseline; }}
.week .name {{ font-size: 17px; font-weight: 600; }}
.week .dates, .week .meta {{ color: #646a73; font-size: 13px; }}
.figs {{ display: flex; flex-wrap: wrap; gap: 4px 18px; margin-top: 6px; font-size: 14px; }}
.figs b {{ font-size: 16px; }}
.tag {{ font-size: 12px; border-radius: 9px; padding: 0 7px; }}
.latest {{ background: #e8f8ef; color: #067d3f; }}
.failed {{ background: #fdecea; color: #b42318; }}
.run-failed {{ background: #fdecea; color: #b42318; border-radius: 8px; padding: 10px 14px; }}
.estimate {{ background: #fff3e0; color: #b25e00; }}
details {{ margin-top: 24px; color: #646a73; }}
details li {{ margin: 4px 0; }}
a {{ color: #0a58ca; }}
</style>
</head>
<body><main>
<h1>{heading}</h1>
{run}{weeks}
{older}
</main></body>
</html>
"""


@dataclass(frozen=True)
class Entry:
    """One rendered report on disk, with its summary when it has one."""

    snapshot_date: str
    slug: str
    stem: str
    path: str
    failed: bool
    summary: dict[str, Any] | None

    @property
    def view(self) -> str:
        """The stem without its slug: language and category, one row per view of a week."""
        return self.stem[len(self.slug) :]


def entries(root: Path) -> list[Entry]:
    """Rendered reports under `root`, latest week and newest snapshot first."""
    found = []
    for file in root.glob("*/*/*.html"):
        rel = file.relative_to(root).as_posix()
        if m := _REPORT.match(rel):
            failed_run = file.with_name(f"{m.group(3)}.failed.ipynb")
            failed = failed_run.exists() and failed_run.stat().st_mtime_ns >= file.stat().st_mtime_ns
            summary = read_summary(file.with_suffix(".json"))
            found.append(Entry(m.group(1), m.group(2), m.group(3), rel, failed, summary))
    return sorted(found, key=lambda e: (e.slug, e.snapshot_date, e.stem), reverse=True)


def _both(key: str, **fields: object) -> str:
    """An index word in Chinese, then English: the index serves readers of either report language."""
    return f"{t(f'index.{key}', 'zh', **fields)} · {t(f'index.{key}', 'en', **fields)}"


def _figure(summary: dict[str, Any], name: str, lang: str) -> str:
    metric = summary.get("metrics", {}).get(name)
    if metric is None:
        return ""
    return f"<span>{escape(t(f'index.fig_{name}', lang))} <b>{escape(metric['text'])}</b></span>"


def _maturity(summary: dict[str, Any], lang: str) -> str:
    """Settled so far as a share of the estimate, while a week is still settling."""
    metrics = summary.get("metrics", {})
    maturity = metrics.get("short_video_settled_maturity")
    estimate = metrics.get("short_video_settled_estimate_fen")
    if not maturity or maturity["value"] is None or estimate is None or maturity["value"] >= SETTLED_MATURITY:
        return ""
    text = t("index.settling", lang, estimate=estimate["text"], maturity=maturity["text"])
    return f'<span class="tag estimate">{escape(text)}</span>'


def _card(entry: Entry, latest: bool) -> str:
    summary = entry.summary or {}
    lang = summary.get("lang", "zh")
    name = summary.get("period") or entry.slug
    tags = [f'<span class="tag latest">{escape(_both("latest"))}</span>'] if latest else []
    if entry.failed:
        tags.append(f'<span class="tag failed">{escape(_both("failed"))}</span>')
    figures = "".join(_figure(summary, n, lang) for n in FIGURES) + _maturity(summary, lang)
    meta = t("index.snapshot_line", lang, snapshot=entry.snapshot_date, view=entry.view.strip("-") or lang)
    return (
        f'<a class="week" href="{escape(entry.path)}"><div class="head">'
        f'<span class="name">{escape(name)}</span>{"".join(tags)}</div>'
        f'<div class="figs">{figures}</div><div class="meta">{escape(meta)}</div></a>'
    )


def _run_banner(base: Path) -> str:
    """A warning when the latest scheduled run failed (its step and error), else nothing."""
    try:
        lines = (base / RUN_HISTORY).read_text(encoding="utf-8").splitlines()
        last = json.loads(lines[-1]) if lines else {}
    except (OSError, ValueError):
        return ""
    if not isinstance(last, dict) or last.get("outcome") != "failed":
        return ""
    fields = {"end": str(last.get("end", "?"))[:16].replace("T", " "), "step": last.get("failed_step")}
    return f'<p class="run-failed">{escape(_both("run_failed", **fields))}<br>{escape(str(last.get("error")))}</p>\n'


def write_index(root: Path | None = None) -> Path:
    """Rebuild `<root>/index.html` (root defaults to reports/)."""
    base = root or reports_dir()
    shown: dict[tuple[str, str], Entry] = {}
    older: list[Entry] = []
    for entry in entries(base):
        key = (entry.slug, entry.view)
        if key in shown:
            older.append(entry)
        else:
            shown[key] = entry
    newest_slug = max((e.slug for e in shown.values() if e.slug.startswith("week-")), default=None)
    cards = "\n".join(_card(e, e.slug == newest_slug) for e in shown.values())
    earlier = "".join(
        f'<li><a href="{escape(e.path)}">{escape(e.snapshot_date)} · {escape(e.stem)}</a></li>' for e in older
    )
    page = _PAGE.format(
        title=escape(_both("title")),
        heading=escape(t("index.heading", "zh")),
        run=_run_banner(base),
        weeks=cards or f"<p>{escape(_both('empty'))}</p>",
        older=f"<details><summary>{escape(_both('older'))}</summary><ul>{earlier}</ul></details>" if older else "",
    )
    return write_atomic(base / INDEX, page)
