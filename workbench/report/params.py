"""Report parameters, checked before any kernel starts.

A kernel start costs seconds and a failure inside it leaves a half-run
notebook, so every mistake a user can make on the command line (week 0 or
7, a bad date, an unknown snapshot or language) is caught here and reported
as a WorkbenchError with exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from workbench.config import DEFAULT, TIMEZONE, CampaignConfig
from workbench.contract import CATEGORIES
from workbench.dates import campaign_week, campaign_week_count, parse_date
from workbench.errors import WorkbenchError
from workbench.paths import resolve_snapshot
from workbench.snapshot_read import read_manifest

LANGS = ("zh", "en")


@dataclass(frozen=True)
class ReportParams:
    """Everything one report depends on; equal params give an identical report."""

    snapshot: Path
    snapshot_date: date
    cutoff: datetime
    start: date
    end: date
    week: int | None
    lang: str = "zh"
    category: str | None = None

    @property
    def slug(self) -> str:
        """The report's folder under the snapshot date: `week-NN` or `START_END`."""
        return f"week-{self.week:02d}" if self.week else f"{self.start}_{self.end}"

    @property
    def stem(self) -> str:
        """File name stem, so languages and category views sit side by side."""
        return "-".join(p for p in (self.slug, self.lang, self.category) if p)

    def notebook_parameters(self) -> dict[str, Any]:
        """The values papermill injects into the notebook's `parameters` cell."""
        window: dict[str, Any] = {"week": self.week} if self.week else {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"snapshot": str(self.snapshot), **window, "lang": self.lang, "category": self.category}


def snapshot_facts(snapshot: Path) -> tuple[date, datetime]:
    """The manifest's snapshot date and cutoff instant, or a clear error if unreadable."""
    manifest = read_manifest(snapshot)
    try:
        return date.fromisoformat(str(manifest.get("snapshot_date"))), datetime.fromisoformat(str(manifest.get("cutoff")))
    except ValueError:
        raise WorkbenchError(
            f"{snapshot}: manifest snapshot_date {manifest.get('snapshot_date')!r} or cutoff {manifest.get('cutoff')!r} "
            "is not ISO formatted; rewrite the snapshot"
        ) from None


def cutoff_day(cutoff: datetime) -> date:
    """The Asia/Shanghai calendar day of a cutoff instant."""
    return cutoff.astimezone(ZoneInfo(TIMEZONE)).date()


def complete_weeks(cutoff: datetime, config: CampaignConfig = DEFAULT) -> list[int]:
    """Campaign weeks whose last day is on or before the cutoff's local day."""
    day = cutoff_day(cutoff)
    return [w for w in range(1, campaign_week_count(config) + 1) if campaign_week(w, config)[1] <= day]


def _window(week: int | str | None, start: str | date | None, end: str | date | None, config: CampaignConfig) -> tuple[int | None, date, date]:
    if week is not None:
        if start is not None or end is not None:
            raise WorkbenchError("give either --week or --start/--end, not both")
        try:
            number = int(week)
        except ValueError:
            raise WorkbenchError(f"week {week!r} is not a number; weeks are 1 to {campaign_week_count(config)}") from None
        first, last = campaign_week(number, config)
        return number, first, last
    if start is None or end is None:
        raise WorkbenchError("say which week: --week N (1 to 6), --start and --end (YYYY-MM-DD), --latest or --all")
    first = start if isinstance(start, date) else parse_date(start, "start")
    last = end if isinstance(end, date) else parse_date(end, "end")
    if last < first:
        raise WorkbenchError(f"end {last} is before start {first}; give a window with start <= end")
    return None, first, last


def validate(
    snapshot: str | Path = "latest",
    week: int | str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    lang: str = "zh",
    category: str | None = None,
    root: Path | None = None,
    config: CampaignConfig = DEFAULT,
) -> ReportParams:
    """Checked parameters for one report, or a WorkbenchError (exit 2) saying what to fix."""
    if lang not in LANGS:
        raise WorkbenchError(f"language {lang!r} is not supported; use one of {', '.join(LANGS)}")
    if category is not None and category not in CATEGORIES:
        raise WorkbenchError(f"category {category!r} is unknown; use one of {', '.join(CATEGORIES)}")
    number, first, last = _window(week, start, end, config)
    path = resolve_snapshot(snapshot, root)
    snapshot_date, cutoff = snapshot_facts(path)
    return ReportParams(path, snapshot_date, cutoff, first, last, number, lang, category)


def latest(
    snapshot: str | Path = "latest", lang: str = "zh", category: str | None = None, root: Path | None = None, config: CampaignConfig = DEFAULT
) -> ReportParams:
    """The last complete campaign week of a snapshot (default: the newest one)."""
    return every_complete_week(snapshot, lang, category, root, config)[-1]


def every_complete_week(
    snapshot: str | Path = "latest", lang: str = "zh", category: str | None = None, root: Path | None = None, config: CampaignConfig = DEFAULT
) -> list[ReportParams]:
    """Parameters for every complete campaign week of a snapshot, oldest first."""
    path = resolve_snapshot(snapshot, root)
    cutoff = snapshot_facts(path)[1]
    weeks = complete_weeks(cutoff, config)
    if not weeks:
        first_end = campaign_week(1, config)[1]
        raise WorkbenchError(
            f"snapshot {path.name} (cutoff {cutoff.isoformat()}) has no complete campaign week: week 1 ends {first_end}; "
            f"use a later snapshot or ask for a partial window with --start {config.campaign_start} --end {cutoff_day(cutoff)}"
        )
    return [validate(path, week=w, lang=lang, category=category, root=root, config=config) for w in weeks]
