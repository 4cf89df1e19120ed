"""The benchmark's Polars contestant: the KPI calls of bench/kpi_set.py, lazy, on the streaming engine.

The KPIs themselves are tests/support/polars_kpis.py (the differential tests'
independent implementation), which scans the raw order lines with the
same day-folder pruning the DuckDB views get; this module only runs a
sequence of calls the way the benchmark runs the workbench's.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars_kpis import KPIS  # tests/support/, put on sys.path by bench/__init__.py

from bench.kpi_set import Call


def run(snapshot: Path, call: Call) -> pl.DataFrame:
    """One KPI call on Polars; `start` defaults to `end` for the cumulative KPIs, which ignore it."""
    return KPIS[call.name](snapshot, call.start or call.end, call.end)
