"""Running one KPI query with its parameters bound.

The query's header (workbench.kpi.registry) says what it takes; the values
come from the caller's window, the header's defaults and the campaign rules
of `CampaignConfig.sql_params()`. Only the parameters the SQL names are
bound, so each query states exactly what it depends on, and the result's
columns are checked against the header so the metric dictionary cannot lie.

A snapshot file damaged after it was written (a flipped bit in a data
page keeps the file's size and footer, so only the checksum of a full
verify sees it) fails only when a query reads that page; that DuckDB error
becomes one WorkbenchError naming the snapshot and the file
(`damaged_snapshot`), for the CLI, the report and `wb.open(...)` alike.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from workbench.config import DEFAULT, CampaignConfig
from workbench.engine import Engine, as_engine
from workbench.errors import WorkbenchError
from workbench.kpi.registry import Kpi, get
from workbench.snapshot.contract import CATEGORIES
from workbench.snapshot.layout import shown

# DuckDB names the file it failed to read in double quotes.
_QUOTED_PARQUET = re.compile(r'"([^"]+\.parquet)"')
# A file the user may not read is the environment's problem, not damage (workbench.cli.failures says so).
_NOT_DAMAGE = (os.strerror(errno.EACCES), os.strerror(errno.EPERM))


def _damage(err: duckdb.Error, first: str, snapshot: Path | None) -> str | None:
    """What is damaged, from the first line of DuckDB's message; None when the error is not damage."""
    if type(err) is duckdb.Error:
        # C++ errors DuckDB does not classify: its parquet and thrift decoders'
        # ("TProtocolException: Invalid data", "Out of buffer", ...), which name no file.
        return f"a parquet file cannot be decoded ({first})"
    found = _QUOTED_PARQUET.search(first)
    if not isinstance(err, (duckdb.IOException, duckdb.InvalidInputException)) or not found:
        return None
    if any(reason in first for reason in _NOT_DAMAGE):
        return None
    file = Path(found.group(1))
    if snapshot is not None and not file.is_relative_to(snapshot):
        return None
    name = file.relative_to(snapshot).as_posix() if snapshot is not None else str(file)
    reason = first[found.end() :].lstrip(": ") or first[: found.start()].strip()
    return f"{name}: cannot be read ({reason})"


def damaged_snapshot(err: duckdb.Error, snapshot: Path | None = None) -> WorkbenchError | None:
    """The one-line error for DuckDB failing to decode a parquet file of `snapshot`, or None for any other error.

    Translated: an IO or invalid-input error naming a parquet file inside the
    snapshot folder (any parquet file when `snapshot` is not known), and the
    unclassified `duckdb.Error` its parquet and thrift decoders raise (a
    damaged page header), which names no file. Everything else (a mistake
    in a query, a file outside the snapshot, a file this user may not read)
    stays DuckDB's own exception.
    """
    first = (str(err).strip().splitlines() or [type(err).__name__])[0]
    detail = _damage(err, first, snapshot)
    if detail is None:
        return None
    if snapshot is None:
        return WorkbenchError(f"a snapshot file is damaged: {detail}; run `workbench snapshot verify` on its folder")
    name = shown(snapshot)  # the dated name a person knows, not its version folder
    return WorkbenchError(
        f"snapshot {name} is damaged: {detail}; run `workbench snapshot verify {name}` for the full list"
    )


@contextmanager
def damage_as_error(snapshot: Path | None) -> Iterator[None]:
    """Inside the block, DuckDB failing to decode a file of `snapshot` raises its one-line WorkbenchError instead."""
    try:
        yield
    except duckdb.Error as err:
        damaged = damaged_snapshot(err, snapshot)
        if damaged is None:
            raise
        raise damaged from err


def _unknown(kpi: Kpi, given: str, accepted: list[str]) -> WorkbenchError:
    close = difflib.get_close_matches(given, accepted, n=1, cutoff=0.6)
    if not close:  # `acount_id` is closest to `account` once the id suffix is set aside
        close = difflib.get_close_matches(given.removesuffix("_id"), accepted, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    takes = ", ".join(kpi.accepts) or "no parameters"
    return WorkbenchError(f"{kpi.name} takes no parameter {given!r}; {hint}it takes {takes}")


def check_names(kpi: Kpi, start: object, end: object, extra: dict[str, object]) -> None:
    """Refuse a parameter the KPI does not take, naming the closest one it does.

    A KPI takes its header's params, filters and ignored parameters, and may
    have any campaign rule its SQL binds overridden (`min_controls`,
    `card_rate`); nothing else, so a misspelt or misplaced name is an error
    rather than silently dropped.
    """
    accepted = [*kpi.accepts, *(p for p in kpi.bound_names if p not in kpi.accepts)]
    given = [*(["start"] if start is not None else []), *(["end"] if end is not None else []), *extra]
    for name in given:
        if name not in accepted:
            raise _unknown(kpi, name, accepted)


_ID_COLUMNS = {"shop": ("shops", "shop_id"), "account": ("accounts", "account_id")}


def _known_values(engine: Engine, name: str) -> list[str]:
    if name == "category":
        return list(CATEGORIES)
    table, column = _ID_COLUMNS[name]
    return (
        engine.query(f"select distinct {column} from {table} where {column} is not null order by 1")
        .to_series()
        .to_list()
    )


def check_value(con: duckdb.DuckDBPyConnection | Engine, name: str, value: object) -> None:
    """Refuse a `shop`, `account` or `category` the snapshot does not know, naming the closest ones it does."""
    if not isinstance(value, str):
        raise WorkbenchError(f"{name} must be an id (text), not {value!r}")
    engine = as_engine(con)
    if name != "category":
        # One indexed lookup, not the whole list: a batch checks its shop on every KPI of every report.
        table, column = _ID_COLUMNS[name]
        if engine.query(f"select 1 from {table} where {column} = $value limit 1", {"value": value}).height:
            return
    known = _known_values(engine, name)
    if value in known:
        return
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    listed = ", ".join(known) if len(known) <= 10 else f"{len(known)} of them, see s.sql(...)"
    raise WorkbenchError(f"{name} {value!r} is not in the snapshot; {hint}known: {listed}")


def check_filters(con: duckdb.DuckDBPyConnection | Engine, kpi: Kpi, extra: dict[str, object]) -> None:
    """Refuse a filter value the snapshot does not know, naming the closest ones it does."""
    for name in kpi.filters:
        value = extra.get(name)
        if value is not None:
            check_value(con, name, value)


def run(
    con: duckdb.DuckDBPyConnection | Engine,
    name: str,
    start: date | None = None,
    end: date | None = None,
    config: CampaignConfig = DEFAULT,
    *,
    snapshot: Path | None = None,
    **extra: object,
) -> pl.DataFrame:
    """Run a KPI on a connection made by `workbench.snapshot.read.connect`, or on another engine (workbench.engine).

    `start`/`end` are Asia/Shanghai dates, both inclusive. `snapshot`, the
    folder the connection reads, lets a damaged file be named in the error.
    """
    kpi = get(name)
    check_names(kpi, start, end, extra)
    if start is not None and end is not None and end < start:
        raise WorkbenchError(f"end {end} is before start {start}; give a window with start <= end")
    engine = as_engine(con)
    check_filters(engine, kpi, extra)
    filters = dict.fromkeys(kpi.filters)
    available: dict[str, object] = {
        **config.sql_params(),
        **kpi.defaults,
        **filters,
        "start": start,
        "end": end,
        **extra,
    }
    missing = [p for p in kpi.bound_names if available.get(p) is None and p not in filters]
    if missing:
        raise WorkbenchError(f"KPI {name} needs parameter(s) {', '.join(missing)}")
    params = {p: available[p] for p in kpi.bound_names}
    with damage_as_error(snapshot):
        frame = engine.query(kpi.sql, params)
    if tuple(frame.columns) != kpi.columns:
        raise WorkbenchError(f"{kpi.path}: query returned columns {frame.columns}, header says {list(kpi.columns)}", 1)
    return frame
