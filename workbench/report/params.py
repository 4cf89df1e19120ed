"""Report parameters, checked before any kernel starts.

A kernel start costs seconds and a failure inside it leaves a half-run
notebook, so every mistake a user can make on the command line (week 0 or
7, a bad date, an unknown snapshot or language) is caught here and reported
as a WorkbenchError with exit code 2. The snapshot is resolved once into a
`Manifest` that the parameters carry; the kernel receives its folder and
never resolves `latest` again.

A report speaks only for days its snapshot knows in full: a window that
ends after the snapshot's last full day (the cutoff's Asia/Shanghai day,
or the day before when the cutoff falls inside it) is refused, not drawn
from the days that happen to be there, and so is one that starts before the
baseline, the earliest day any report reads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from workbench import dates
from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import campaign_week, campaign_week_count, parse_date
from workbench.errors import WorkbenchError
from workbench.snapshot import store
from workbench.snapshot.contract import CATEGORIES
from workbench.snapshot.manifest import LOCAL, Manifest
from workbench.text import check_lang, t


@dataclass(frozen=True)
class ReportParams:
    """Everything one report depends on; equal params give an identical report."""

    manifest: Manifest
    start: date
    end: date
    week: int | None
    lang: str = "zh"
    category: str | None = None
    # The campaign's focus categories (CampaignConfig.focus_categories), set
    # against the rest by the category chart and sentence unless `category` is given.
    campaign_focus: tuple[str, ...] = DEFAULT.focus_categories
    # One shop's report (its lines, its accounts, its self-operated accounts' cards), or the whole snapshot.
    shop: str | None = None

    @property
    def focus(self) -> tuple[str, ...]:
        """The categories the report sets against the rest: the user's --category, or the campaign's focus."""
        return (self.category,) if self.category else self.campaign_focus

    @property
    def slug(self) -> str:
        """The report's folder under the snapshot date: `week-NN` or `START_END`."""
        return f"week-{self.week:02d}" if self.week else f"{self.start}_{self.end}"

    @property
    def stem(self) -> str:
        """File name stem, so languages and category views sit side by side."""
        return "-".join(p for p in (self.slug, self.lang, self.category) if p)

    @property
    def period(self) -> str:
        """`第3周（2025-12-06 至 2025-12-12）` or the plain window."""
        if self.week:
            return t("report.title_week", self.lang, week=self.week, start=self.start, end=self.end)
        return t("report.title_window", self.lang, start=self.start, end=self.end)

    @property
    def title(self) -> str:
        """The page title: programme name, the shop of a shop report, and period."""
        shop = f" · {self.shop}" if self.shop else ""
        return f"{t('report.title', self.lang)}{shop} · {self.period}"

    def notebook_parameters(self) -> dict[str, Any]:
        """The values papermill injects into the notebook's `parameters` cell."""
        window: dict[str, Any] = (
            {"week": self.week} if self.week else {"start": self.start.isoformat(), "end": self.end.isoformat()}
        )
        scope = {"shop": self.shop} if self.shop else {}
        return {"snapshot": str(self.manifest.path), **window, "lang": self.lang, "category": self.category, **scope}

    def for_shop(self, shop: str) -> ReportParams:
        """The same report scoped to one shop (the shop is checked by `check_shop`)."""
        return replace(self, shop=shop)


def last_full_day(cutoff: datetime) -> date:
    """The last Asia/Shanghai day wholly known at `cutoff` (its own day when it is 23:59:59), as `Manifest.last_full_day`."""
    return (cutoff.astimezone(LOCAL) + timedelta(seconds=1)).date() - timedelta(days=1)


def complete_weeks(cutoff: datetime, config: CampaignConfig = DEFAULT) -> list[int]:
    """Campaign weeks whose last day is on or before the last full day at the cutoff."""
    return dates.complete_weeks(last_full_day(cutoff), config)


def _window(
    week: int | str | None, start: str | date | None, end: str | date | None, config: CampaignConfig
) -> tuple[int | None, date, date]:
    if week is not None:
        if start is not None or end is not None:
            raise WorkbenchError("give either --week or --start/--end, not both")
        try:
            number = int(week)
        except ValueError:
            raise WorkbenchError(
                f"week {week!r} is not a number; weeks are 1 to {campaign_week_count(config)}"
            ) from None
        first, last = campaign_week(number, config)
        return number, first, last
    if start is None or end is None:
        raise WorkbenchError("say which week: --week N (1 to 6), --start and --end (YYYY-MM-DD), --latest or --all")
    first = start if isinstance(start, date) else parse_date(start, "start")
    last = end if isinstance(end, date) else parse_date(end, "end")
    if last < first:
        raise WorkbenchError(f"end {last} is before start {first}; give a window with start <= end")
    if first < config.baseline_start:
        # Also keeps date arithmetic (a week before the start) far from date.min.
        raise WorkbenchError(
            f"start {first} is before the baseline start {config.baseline_start}, the earliest day a report reads; "
            f"give --start {config.baseline_start} or later"
        )
    return None, first, last


def _check_covered(manifest: Manifest, week: int | None, first: date, last: date, config: CampaignConfig) -> None:
    """Refuse (exit 2) a window that ends after the snapshot's last full day, saying what to ask for instead."""
    full = manifest.last_full_day
    if last <= full:
        return
    window = f"week {week} ({first} to {last})" if week else f"{first} to {last}"
    weeks = complete_weeks(manifest.cutoff, config)
    instead = [f"--start {first} --end {full}"] if first <= full else []
    instead += [f"--latest (week {weeks[-1]})"] if weeks else []
    ask = f"ask for {' or '.join(instead)}, or " if instead else ""
    raise WorkbenchError(
        f"{window} ends after {full}, the last full day of snapshot {manifest.snapshot_date} "
        f"(cutoff {manifest.cutoff.isoformat()}); {ask}use a snapshot taken after {last}"
    )


def _check_choices(lang: str, category: str | None) -> None:
    check_lang(lang)
    if category is not None and category not in CATEGORIES:
        raise WorkbenchError(f"category {category!r} is unknown; use one of {', '.join(CATEGORIES)}")


def check_shop(manifest: Manifest, shop: str) -> None:
    """Refuse (exit 2) a shop the snapshot's shops table does not know, naming the closest ids."""
    from workbench.kpi.run import check_value
    from workbench.snapshot.read import connect

    con = connect(manifest.path)
    try:
        check_value(con, "shop", shop)
    finally:
        con.close()


def validate(
    snapshot: str | Path | Manifest = "latest",
    week: int | str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    lang: str = "zh",
    category: str | None = None,
    root: Path | None = None,
    config: CampaignConfig = DEFAULT,
    shop: str | None = None,
) -> ReportParams:
    """Checked parameters for one report, or a WorkbenchError (exit 2) saying what to fix."""
    _check_choices(lang, category)
    number, first, last = _window(week, start, end, config)
    manifest = store.resolve(snapshot, root)
    _check_covered(manifest, number, first, last, config)
    if shop is not None:
        check_shop(manifest, shop)
    return ReportParams(manifest, first, last, number, lang, category, config.focus_categories, shop)


def latest(
    snapshot: str | Path | Manifest = "latest",
    lang: str = "zh",
    category: str | None = None,
    root: Path | None = None,
    config: CampaignConfig = DEFAULT,
    shop: str | None = None,
) -> ReportParams:
    """The last complete campaign week of a snapshot (default: the newest one), optionally of one shop."""
    params = every_complete_week(snapshot, lang, category, root, config)[-1]
    if shop is None:
        return params
    check_shop(params.manifest, shop)
    return params.for_shop(shop)


def every_complete_week(
    snapshot: str | Path | Manifest = "latest",
    lang: str = "zh",
    category: str | None = None,
    root: Path | None = None,
    config: CampaignConfig = DEFAULT,
) -> list[ReportParams]:
    """Parameters for every complete campaign week of a snapshot, oldest first."""
    _check_choices(lang, category)
    manifest = store.resolve(snapshot, root)
    weeks = complete_weeks(manifest.cutoff, config)
    if not weeks:
        first_end = campaign_week(1, config)[1]
        raise WorkbenchError(
            f"snapshot {manifest.name} (cutoff {manifest.cutoff.isoformat()}) has no complete campaign week: "
            f"week 1 ends {first_end}; use a later snapshot or ask for a partial window with "
            f"--start {config.campaign_start} --end {manifest.last_full_day}"
        )
    return [
        ReportParams(manifest, *campaign_week(w, config), w, lang, category, config.focus_categories) for w in weeks
    ]
