"""`wb.open(...)`: an opened snapshot, ready for KPIs and ad-hoc SQL in a notebook.

An `OpenedSnapshot` holds three things for as long as it is open: the
snapshot's `Manifest`, a DuckDB connection whose views follow the contract,
and the campaign rules its KPIs are computed under. It also holds its
version folder (workbench.snapshot.hold) so a republish of the date and the
cleanup after it leave the files it reads in place until `close()`, and it
opens only a snapshot whose files still match its verification stamp.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import parse_date
from workbench.files import write_atomic
from workbench.kpi.registry import get
from workbench.kpi.run import damaged_snapshot, run
from workbench.snapshot import hold, stamp, store
from workbench.snapshot.layout import shown
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.read import connect

if TYPE_CHECKING:
    from great_tables import GT


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
        """Close the DuckDB connection and let go of the snapshot's folder."""
        self.con.close()
        self._hold.release()

    def __repr__(self) -> str:
        m = self.manifest
        return f"OpenedSnapshot({shown(m.path)}, cutoff={m.cutoff.isoformat()}, source={m.source!r})"

    # --- for people: the display form and Excel (workbench.tables, imported when first used) ---

    def show(
        self,
        name: str,
        start: date | str | None = None,
        end: date | str | None = None,
        lang: str = "zh",
        **extra: object,
    ) -> GT:
        """A KPI in the analyst's units: a great_tables table with yuan or 万元, percentages and Chinese titles.

        The numbers are `kpi(name, start, end, **extra)`'s, which keeps exact integer fen; only how they read changes.
        """
        from workbench.tables import display

        definition = get(name)
        frame = self.kpi(name, start, end, **extra)
        title = definition.title_zh if lang == "zh" else definition.title_en
        return display(frame, title=title, subtitle=self._caption(start, end, extra), lang=lang)

    def to_excel(
        self,
        path: str | Path,
        *names: str | Mapping[str, Mapping[str, object]],
        start: date | str | None = None,
        end: date | str | None = None,
        lang: str = "zh",
        **extra: object,
    ) -> Path:
        """Write KPIs to one .xlsx, a sheet each plus an about sheet (snapshot, window, filters); returns the path.

        `s.to_excel("w1.xlsx", "channel_mix", "category_mix", start=..., end=...)` gives every KPI the same
        window and parameters; a dict gives each its own, `{"channel_mix": {"start": ..., "end": ...}}`,
        and the keyword arguments fill in what an entry leaves out. The file is replaced in one rename.
        """
        from workbench.tables import Sheet, Source, workbook

        shared: dict[str, object] = {"start": start, "end": end, **extra}
        wanted: list[tuple[str, dict[str, object]]] = []
        for item in names:
            if isinstance(item, str):
                wanted.append((item, dict(shared)))
            else:
                wanted += [(name, {**shared, **params}) for name, params in item.items()]
        sheets = []
        for name, params in wanted:
            definition = get(name)
            frame = self.kpi(name, **params)  # type: ignore[arg-type]
            used = {k: _as_date(v) if k in ("start", "end") else v for k, v in params.items()}
            used = {
                k: v for k, v in used.items() if v is not None and (k in definition.params or k in ("start", "end"))
            }
            sheets.append(
                Sheet(name, name, definition.title_zh, definition.title_en, frame, {**definition.defaults, **used})
            )
        m = self.manifest
        source = Source(m.snapshot_date, m.cutoff.isoformat(), m.source, str(shown(m.path)))
        return write_atomic(Path(path), workbook(sheets, source, lang))

    @staticmethod
    def _caption(start: date | str | None, end: date | str | None, extra: Mapping[str, object]) -> str:
        """`start..end` and any other parameters, under a displayed table's title."""
        window = f"{_as_date(start) or ''}..{_as_date(end) or ''}" if start or end else ""
        return "  ".join([window, *(f"{k}={v}" for k, v in extra.items())]).strip()


def open_snapshot(spec: str | Path | Manifest = "latest", config: CampaignConfig = DEFAULT) -> OpenedSnapshot:
    """Open `latest`, a snapshot date (YYYY-MM-DD), a snapshot folder or a resolved Manifest."""
    return OpenedSnapshot(store.resolve(spec), config)
