"""Engines: where a KPI's SQL runs. DuckDB (the default) or Spark, behind one small interface.

`queries/*.sql` are DuckDB SQL and stay the one source. The DuckDB engine
runs them as they are (`duckdb_engine`); the Spark engine (`spark`, imported only
when asked for) runs them translated (`translate`, with the macros of
`macros`), inside a portable subset that `portable` checks. Either returns
Polars frames, so export, tables and the report work unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import duckdb
import polars as pl

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    """What `workbench.kpi.run` needs of an engine: DuckDB SQL in, a Polars frame out."""

    name: str

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pl.DataFrame:
        """Run one DuckDB SQL statement (it may call the KPI macros) with named parameters bound."""
        ...

    def close(self) -> None:
        """Let go of what the engine holds for its snapshot."""
        ...


def as_engine(con: duckdb.DuckDBPyConnection | Engine) -> Engine:
    """A DuckDB connection (what workbench.snapshot.read.connect makes) wrapped as an Engine; an engine as it is."""
    from workbench.engine.duckdb_engine import DuckDBEngine

    return DuckDBEngine(con) if isinstance(con, duckdb.DuckDBPyConnection) else con
