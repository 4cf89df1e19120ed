"""The DuckDB engine: a connection made by workbench.snapshot.read.connect, queries run as written."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl


class DuckDBEngine:
    """A DuckDB connection over a snapshot's views, as an Engine."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pl.DataFrame:
        return self.con.sql(sql, params=dict(params) if params is not None else None).pl()

    def close(self) -> None:
        self.con.close()
