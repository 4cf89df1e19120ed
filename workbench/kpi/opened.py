"""`wb.open(...)`: an opened snapshot, ready for KPIs and ad-hoc SQL in a notebook.

An `OpenedSnapshot` holds three things for as long as it is open: the
snapshot's `Manifest`, a DuckDB connection whose views follow the contract,
and the campaign rules its KPIs are computed under. It also holds its
version folder (workbench.snapshot.hold) so a republish of the date and the
cleanup after it leave the files it reads in place until `close()`, and it
opens only a snapshot whose files still match its verification stamp.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import parse_date
from workbench.kpi import window
from workbench.kpi.registry import get
from workbench.kpi.run import check_names, damaged_snapshot, run
from workbench.snapshot import hold, stamp, store
from workbench.snapshot.layout import shown
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
        self._hold = hold.keep(manifest.path)
        try:
            stamp.require(manifest.path)
            self.con = connect(manifest.path)
        except BaseException:
            self._hold.release()
            raise

    @property
    def path(self) -> Path:
        """The snapshot folder."""
        return self.manifest.path

    @property
    def date(self) -> date:
        """The snapshot's date (its name under data/snapshots/)."""
        return self.manifest.snapshot_date

    @property
    def cutoff_date(self) -> date:
        """The Asia/Shanghai day of the cutoff: the last day whose sales the snapshot can know."""
        return self.manifest.cutoff_date

    def kpi(
        self,
        name: str,
        start: date | str | None = None,
        end: date | str | None = None,
        *,
        week: int | None = None,
        **extra: object,
    ) -> pl.DataFrame:
        """A KPI as a Polars frame, for `week=N`, the Asia/Shanghai window start..end, or neither.

        Neither means the snapshot's latest complete campaign week. A KPI
        counted from the campaign start (growth_card, ...) takes only `end`
        (or `week`, whose last day it uses). Filters and other parameters
        are keywords (`shop=`, `account=`, `category=`, `limit=`); a name the
        KPI does not take is an error naming the closest one it does
        (`s.help(name)` lists them).
        """
        definition = get(name)
        check_names(definition, None, None, extra)
        first, last = window.resolve(
            definition, self.manifest.last_full_day, self.config, week=week, start=_as_date(start), end=_as_date(end)
        )
        return run(self.con, name, first, last, self.config, snapshot=self.path, **extra)

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
        """Close the DuckDB connection and let go of the snapshot's folder."""
        self.con.close()
        self._hold.release()

    def __repr__(self) -> str:
        m = self.manifest
        return f"OpenedSnapshot({shown(m.path)}, cutoff={m.cutoff.isoformat()}, source={m.source!r})"


def open_snapshot(spec: str | Path | Manifest = "latest", config: CampaignConfig = DEFAULT) -> OpenedSnapshot:
    """Open `latest`, a snapshot date (YYYY-MM-DD), a snapshot folder or a resolved Manifest."""
    return OpenedSnapshot(store.resolve(spec), config)
