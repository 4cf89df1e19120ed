"""`wb.open(...)`: an opened snapshot, ready for KPIs and ad-hoc SQL in a notebook.

An `OpenedSnapshot` holds three things for as long as it is open: the
snapshot's `Manifest`, a DuckDB connection whose views follow the contract,
and the campaign rules its KPIs are computed under.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import parse_date
from workbench.kpi.run import damaged_snapshot, run
from workbench.snapshot import store
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.read import connect


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(value)


class OpenedSnapshot:
    """A snapshot opened as DuckDB views, with KPI and SQL helpers."""

    def __init__(self, manifest: Manifest, config: CampaignConfig = DEFAULT) -> None:
        self.manifest = manifest
        self.config = config
        self.con = connect(manifest.path)

    @property
    def path(self) -> Path:
        """The snapshot folder."""
        return self.manifest.path

    @property
    def date(self) -> date:
        """The snapshot's date (its folder name)."""
        return self.manifest.snapshot_date

    @property
    def cutoff_date(self) -> date:
        """The Asia/Shanghai day of the cutoff: the last day whose sales the snapshot can know."""
        return self.manifest.cutoff_date

    def kpi(
        self, name: str, start: date | str | None = None, end: date | str | None = None, **extra: object
    ) -> pl.DataFrame:
        """A KPI for the Asia/Shanghai window start..end as a Polars frame."""
        return run(self.con, name, _as_date(start), _as_date(end), self.config, snapshot=self.path, **extra)

    def sql(self, query: str, params: dict[str, object] | None = None) -> pl.DataFrame:
        """Ad-hoc SQL over the snapshot's views (orders, accounts, ...).

        A damaged snapshot file raises WorkbenchError; a mistake in the query stays DuckDB's error.
        """
        try:
            return self.con.sql(query, params=params or None).pl()
        except duckdb.Error as err:
            damaged = damaged_snapshot(err, self.path)
            if damaged is None:
                raise
            raise damaged from err

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()

    def __repr__(self) -> str:
        m = self.manifest
        return f"OpenedSnapshot({m.path}, cutoff={m.cutoff.isoformat()}, source={m.source!r})"


def open_snapshot(spec: str | Path | Manifest = "latest", config: CampaignConfig = DEFAULT) -> OpenedSnapshot:
    """Open `latest`, a snapshot date (YYYY-MM-DD), a snapshot folder or a resolved Manifest."""
    return OpenedSnapshot(store.resolve(spec), config)
