"""`reports/index.html`: every rendered report, newest snapshot first.

The index is rebuilt from the folders on disk after each render (not kept
as state), so it can never list a report that is gone or miss one another
process rendered; like the reports it is self-contained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from workbench.config import TIMEZONE
from workbench.files import write_atomic
from workbench.paths import reports_dir
from workbench.text import t

INDEX = "index.html"
# <snapshot_date>/<slug>/<stem>.html, stem = slug-lang[-category]
_REPORT = re.compile(r"^(\d{4}-\d{2}-\d{2})/([^/]+)/([^/.]+)\.html$")

_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2329; margin: 0; }}
main {{ max-width: 860px; margin: 0 auto; padding: 32px 24px; }}
h1 {{ font-size: 24px; border-bottom: 3px solid #07c160; padding-bottom: 8px; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 8px 10px; border-bottom: 1px solid #e4e6eb; }}
th {{ color: #646a73; font-weight: 500; }}
a {{ color: #0a58ca; }}
</style>
</head>
<body><main>
<h1>{heading}</h1>
<table>
<tr>{header}</tr>
{rows}
</table>
</main></body>
</html>
"""


@dataclass(frozen=True)
class Entry:
    """One rendered report on disk."""

    snapshot_date: str
    slug: str
    stem: str
    path: str
    rendered: datetime


def entries(root: Path) -> list[Entry]:
    """Rendered reports under `root`, newest snapshot and latest week first."""
    found = []
    for file in root.glob("*/*/*.html"):
        rel = file.relative_to(root).as_posix()
        if m := _REPORT.match(rel):
            rendered = datetime.fromtimestamp(file.stat().st_mtime, ZoneInfo(TIMEZONE))
            found.append(Entry(m.group(1), m.group(2), m.group(3), rel, rendered))
    return sorted(found, key=lambda e: (e.snapshot_date, e.slug, e.stem), reverse=True)


def _row(entry: Entry) -> str:
    return (
        f"<tr><td>{escape(entry.snapshot_date)}</td><td>{escape(entry.slug)}</td>"
        f'<td><a href="{escape(entry.path)}">{escape(entry.stem)}</a></td>'
        f"<td>{entry.rendered:%Y-%m-%d %H:%M}</td></tr>"
    )


def _both(key: str) -> str:
    """An index word in Chinese, then English: the index serves readers of either report language."""
    return f"{t(f'index.{key}', 'zh')} {t(f'index.{key}', 'en')}"


def write_index(root: Path | None = None) -> Path:
    """Rebuild `<root>/index.html` (root defaults to reports/)."""
    base = root or reports_dir()
    rows = "\n".join(_row(e) for e in entries(base))
    page = _PAGE.format(
        title=escape(f"{t('index.title', 'zh')} · {t('index.title', 'en')}"),
        heading=escape(t("index.heading", "zh")),
        header="".join(f"<th>{escape(_both(key))}</th>" for key in ("snapshot", "week", "report", "rendered")),
        rows=rows,
    )
    return write_atomic(base / INDEX, page)
