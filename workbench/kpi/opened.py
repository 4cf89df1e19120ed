"""`wb.open(...)`: an opened snapshot, ready for KPIs and ad-hoc SQL in a notebook.

An `OpenedSnapshot` holds three things for as long as it is open: the
snapshot's `Manifest`, the engine its KPIs and SQL run on (a DuckDB
connection whose views follow the contract, or with `engine="spark"` the
same views on Spark, workbench.engine), and the campaign rules its KPIs are
computed under. It also holds its version folder (workbench.snapshot.hold)
so a republish of the date and the cleanup after it leave the files it
reads in place until `close()`, and it opens only a snapshot whose files
still match its verification stamp. A snapshot in a cluster's store
(`hdfs://...`, `s3a://...`) opens only on Spark; its verification is the
store's business (docs/scale-out.md).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.dates import parse_date
from workbench.engine import ENGINES, Engine, as_engine
from workbench.errors import WorkbenchError
from workbench.files import write_atomic
from workbench.kpi import describe, window
from workbench.kpi.registry import get
from workbench.kpi.run import check_names, damage_as_error, run
from workbench.snapshot import hold, stamp, store
from workbench.snapshot.contract import TABLES
from workbench.snapshot.layout import shown
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.read import connect, session

if TYPE_CHECKING:
    from great_tables import GT


def _nullable(contract: dict[str, bool], column: str) -> bool:
    """The contract's nullability; a view's local day (`paid_date`) is as nullable as its timestamp (`paid_at`)."""
    if column in contract:
        return contract[column]
    return contract.get(column.removesuffix("_date") + "_at", True)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(value)


def _spark_engine(location: str | Path, spark: Any, spark_master: str | None) -> Engine:
    """The Spark engine over a snapshot folder or URI (pyspark imported only here)."""
    from workbench.engine.spark import SparkEngine

    return SparkEngine.open(location, spark, spark_master)


class OpenedSnapshot:
    """A snapshot opened as views on an engine (DuckDB by default, or Spark), with KPI and SQL helpers."""

    def __init__(
        self,
        manifest: Manifest,
        config: CampaignConfig = DEFAULT,
        *,
        engine: str = "duckdb",
        spark: Any = None,
        spark_master: str | None = None,
        uri: str | None = None,
    ) -> None:
        """`engine="spark"` runs on `spark` (an existing SparkSession) or a session started for `spark_master`.

        `uri` is where a snapshot outside the local disk is (its manifest already read into `manifest`).
        """
        if engine not in ENGINES:
            raise WorkbenchError(f"unknown engine {engine!r}; engines are {', '.join(ENGINES)}")
        if uri is not None and engine != "spark":
            raise WorkbenchError(f"{uri} is not on this machine's disk: open it with engine='spark' (--engine spark)")
        self.manifest = manifest
        self.config = config
        self.uri = uri
        self._hold = hold.keep(manifest.path) if uri is None else None
        try:
            if uri is None:
                stamp.require(manifest.path)
            self.con = connect(manifest.path) if uri is None else None
            if engine == "spark":
                self.engine = _spark_engine(uri or manifest.path, spark, spark_master)
            else:
                self.engine = as_engine(self.con)
        except BaseException:
            if self._hold is not None:
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
        return run(self.engine, name, first, last, self.config, snapshot=self.path, **extra)

    def kpis(self) -> pl.DataFrame:
        """The metric dictionary as a frame: one row per KPI with its parameters, filters and columns."""
        return describe.dictionary_frame()

    def help(self, name: str) -> describe.KpiHelp:
        """One KPI's title, description, parameters and columns (rich in Jupyter, plain with print)."""
        return describe.KpiHelp(get(name))

    def tables(self) -> pl.DataFrame:
        """The contract's tables with their row counts in this snapshot."""
        return pl.DataFrame(
            {"table": list(TABLES), "rows": [self.manifest.rows(t) for t in TABLES]},
            schema={"table": pl.String, "rows": pl.Int64},
        )

    def schema(self, table: str) -> pl.DataFrame:
        """A table's columns as the snapshot's views give them (local-day columns included): name, type, nullable."""
        if table not in TABLES:
            close = difflib.get_close_matches(table, list(TABLES), n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise WorkbenchError(f"no table {table!r}; {hint}tables are {', '.join(TABLES)}")
        contract = {c.name: c.nullable for c in TABLES[table]}
        if self.con is None:
            raise WorkbenchError(f"schema() describes the DuckDB views; {self.uri} is read on Spark only")
        described = self.con.sql(f"describe {table}").fetchall()
        return pl.DataFrame(
            [(name, kind, _nullable(contract, name)) for name, kind, *_ in described],
            schema={"name": pl.String, "type": pl.String, "nullable": pl.Boolean},
            orient="row",
        )

    def sql(self, query: str, params: dict[str, object] | None = None) -> pl.DataFrame:
        """Ad-hoc SQL over the snapshot's views (orders, accounts, ...), in DuckDB's dialect on either engine.

        A damaged snapshot file raises WorkbenchError; a mistake in the query stays the engine's error.
        """
        with damage_as_error(self.path):
            return self.engine.query(query, params or None)

    def cursor(self) -> OpenedSnapshot:
        """The same snapshot on a DuckDB cursor of its own, for KPIs run from another thread.

        A DuckDB connection serves one thread at a time; a cursor is a second
        connection to the same in-memory database, so it sees the same views
        and macros. It shares this snapshot's hold: close it before this one.
        """
        if self.con is None or self.engine.name != "duckdb":
            raise WorkbenchError("cursor() needs a snapshot opened on DuckDB; Spark sessions are shared as they are")
        twin = copy.copy(self)
        twin.con = session(self.con.cursor())
        twin.engine = as_engine(twin.con)
        twin._hold = None
        return twin

    def close(self) -> None:
        """Close the engine and the DuckDB connection and let go of the snapshot's folder."""
        if self.engine.name != "duckdb":
            self.engine.close()
        if self.con is not None:
            self.con.close()
        if self._hold is not None:
            self._hold.release()

    def __repr__(self) -> str:
        m = self.manifest
        engine = "" if self.engine.name == "duckdb" else f", engine {self.engine.name}"
        return (
            f"OpenedSnapshot(snapshot {m.snapshot_date}, cutoff {m.cutoff.isoformat()}, "
            f"source {m.source!r}, path {self.uri or shown(m.path)}{engine})"
        )

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
                k: v
                for k, v in used.items()
                if v is not None and (k in definition.accepts or k in ("start", "end", "week"))
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


def open_snapshot(
    spec: str | Path | Manifest = "latest",
    config: CampaignConfig = DEFAULT,
    *,
    engine: str = "duckdb",
    spark: Any = None,
    spark_master: str | None = None,
) -> OpenedSnapshot:
    """Open `latest`, a snapshot date (YYYY-MM-DD), a snapshot folder or a resolved Manifest.

    `engine="spark"` computes on Spark: `spark` is an existing SparkSession
    (a notebook's, or spark-submit's), else one is started for
    `spark_master` (default `local[*]`). On Spark `spec` may also be an
    `hdfs://`, `s3a://` or `s3://` URI, read with the cluster's own
    filesystem configuration (docs/scale-out.md).
    """
    if isinstance(spec, str) and "://" in spec:
        from workbench.engine.spark import read_manifest

        if engine != "spark":
            raise WorkbenchError(f"{spec} is not on this machine's disk: open it with engine='spark' (--engine spark)")
        raw = read_manifest(spec)
        return OpenedSnapshot(
            Manifest.from_json(Path(spec.rstrip("/")), raw),
            config,
            engine=engine,
            spark=spark,
            spark_master=spark_master,
            uri=spec.rstrip("/"),
        )
    return OpenedSnapshot(store.resolve(spec), config, engine=engine, spark=spark, spark_master=spark_master)
