"""The macros a KPI may call, as the Spark engine sees them, and the translator built on them.

The same macro texts DuckDB defines on a connection (workbench.snapshot.read,
workbench.snapshot.aggregates, queries/shared/definitions.sql), with two
differences: `orders_paid` leaves out DuckDB's row-group-skipping instant
range (it needs `timezone()`), and a roll-up macro reads the engine's view of
the stored roll-up (`<name>_stored`) instead of `read_parquet`. Pure Python,
so the portable-subset lint and the golden files need no Java.
"""

from __future__ import annotations

from functools import cache

from workbench.engine.translate import Translator, parse_macros
from workbench.snapshot import aggregates
from workbench.snapshot.read import definitions_sql, orders_paid_sql


def stored_view(name: str) -> str:
    """The Spark view over a roll-up's stored parquet files."""
    return f"{name}_stored"


def macro_sql(stored: frozenset[str]) -> str:
    """Every macro's text, with the roll-ups in `stored` read from their stored rows and the rest from lines."""
    parts = [orders_paid_sql(instants=False)]
    for name in aggregates.AGGREGATES:
        parts.append(aggregates.definition_sql(name))
        parts.append(aggregates.macro_sql(name, stored_view(name) if name in stored else None) + ";")
    parts.append(definitions_sql())
    return "\n".join(part.strip().rstrip(";") + ";" for part in parts)


@cache
def translator(stored: frozenset[str] = frozenset(aggregates.AGGREGATES)) -> Translator:
    """The translator for a snapshot whose roll-ups in `stored` are on disk (all of them by default)."""
    return Translator(parse_macros(macro_sql(stored)))
