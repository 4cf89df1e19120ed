"""`wb.open(...)`: one snapshot, ready for KPIs and ad-hoc SQL in a notebook."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from workbench import kpi
from workbench.config import DEFAULT, TIMEZONE, CampaignConfig
from workbench.dates import parse_date
from workbench.paths import resolve_snapshot
from workbench.snapshot_read import connect, read_manifest


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(value)


class Snapshot:
    """A snapshot opened as DuckDB views, with KPI and SQL helpers."""

    def __init__(self, path: Path, config: CampaignConfig = DEFAULT) -> None:
        self.path = Path(path)
        self.config = config
        self.manifest: dict[str, Any] = read_manifest(self.path)
        self.con = connect(self.path)

    @property
    def date(self) -> date:
        """The snapshot's date (its folder name)."""
        return date.fromisoformat(self.manifest["snapshot_date"])

    @property
    def cutoff_date(self) -> date:
        """The Asia/Shanghai day of the cutoff: the last day whose sales the snapshot can know."""
        cutoff = datetime.fromisoformat(self.manifest["cutoff"].replace("Z", "+00:00"))
        return cutoff.astimezone(ZoneInfo(TIMEZONE)).date()

    def kpi(self, name: str, start: date | str | None = None, end: date | str | None = None, **extra: object) -> pl.DataFrame:
        """A KPI for the Asia/Shanghai window start..end as a Polars frame."""
        return kpi.run(self.con, name, _as_date(start), _as_date(end), self.config, **extra)

    def sql(self, query: str, params: dict[str, object] | None = None) -> pl.DataFrame:
        """Ad-hoc SQL over the snapshot's views (orders, accounts, ...)."""
        return self.con.sql(query, params=params or None).pl()

    def __repr__(self) -> str:
        return f"Snapshot({self.path}, cutoff={self.manifest.get('cutoff')}, source={self.manifest.get('source')!r})"


def open_snapshot(spec: str | Path = "latest", config: CampaignConfig = DEFAULT) -> Snapshot:
    """Open `latest`, a snapshot date (YYYY-MM-DD) or a snapshot folder."""
    return Snapshot(resolve_snapshot(spec), config)
