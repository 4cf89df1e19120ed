"""CSV and Excel exports of the dimension tables -> contract rows.

A file is usable only if every required (non-null) contract column can be
found in its header; otherwise the run stops and names the file, the
column and the closest header present, because a missing column is a
wrong export, not a bad record. Row by row, a value that does not convert
rejects that row only.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from workbench.errors import WorkbenchError
from workbench.ingest import values
from workbench.ingest.encoding import decoded_name, shown
from workbench.ingest.headers import column_of, enum_value, header_map, normalise
from workbench.ingest.ledger import Ledger, Origin, Record
from workbench.ingest.progress import Progress, Quiet
from workbench.ingest.sources import read_sheets
from workbench.ingest.validate import (
    Version,
    day_in_range,
    in_range,
    latest_versions,
    row_rules,
)
from workbench.snapshot import contract


def _positions(table: str, header: list[str]) -> dict[str, int]:
    """Contract column -> index in the file's header."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        column = column_of(table, name)
        if column and column not in positions:
            positions[column] = index
    return positions


def _missing(table: str, header: list[str]) -> str | None:
    """Why `header` is not one of `table` (the first required column it lacks), or None."""
    positions = _positions(table, header)
    for col in contract.TABLES[table]:
        if not col.nullable and col.name not in positions:
            return f"required column {col.name!r} is missing; {_closest(table, col.name, header)}"
    return None


def _closest(table: str, column: str, header: list[str]) -> str:
    aliases = [alias for alias, col in header_map(table).items() if col == column]

    def likeness(name: str) -> float:
        return max(difflib.SequenceMatcher(None, normalise(name), alias).ratio() for alias in aliases)

    if not header:
        return "the file has no header row"
    best = max(header, key=likeness)
    return f"closest header found: {best!r}; name the column {column!r} or one of {sorted(aliases)}"


Converter = Callable[[Any], Any]


def _converter(table: str, col: contract.Column, cutoff: datetime) -> Converter:
    """The function turning one cell into the column's contract value, chosen once per column."""
    what = col.name
    if col.arrow == contract.TS:
        return lambda raw: _checked(values.timestamp(raw, what), lambda m: in_range(m, what, cutoff))
    if col.arrow == pa.date32():
        return lambda raw: _checked(values.day(raw, what), lambda d: day_in_range(d, what, cutoff))
    if col.arrow in (pa.int64(), pa.int32()):
        bits = col.arrow.bit_width
        return lambda raw: values.integer(raw, what, bits)
    if col.arrow == pa.bool_():
        return lambda raw: values.boolean(raw, what)
    allowed = contract.ENUMS.get((table, col.name))
    if allowed:
        return lambda raw: _checked(values.identifier(raw, what), lambda v: _enum(allowed, v, what))
    return lambda raw: values.identifier(raw, what)


def _checked(value: Any, check: Converter) -> Any:
    return None if value is None else check(value)


def _enum(allowed: tuple[str, ...], value: str, what: str) -> str:
    code = enum_value(allowed, value)
    if code is None:
        raise values.BadValue(f"{what} {value!r} is not one of {', '.join(allowed)} (or their Chinese labels)")
    return code


@dataclass(frozen=True)
class Plan:
    """How to read one file's rows: per contract column, its cell index (or None) and converter."""

    table: str
    columns: tuple[tuple[contract.Column, int | None, Converter], ...]

    def convert(self, cells: list[Any]) -> dict[str, Any]:
        """One spreadsheet row as a contract row; BadValue names the first bad field."""
        row: dict[str, Any] = {}
        for col, index, convert in self.columns:
            value = convert(cells[index] if index is not None and index < len(cells) else None)
            if value is None and not col.nullable:
                raise values.BadValue(f"{col.name} is empty")
            row[col.name] = value
        row_rules(self.table, row)
        return row


def plan(table: str, path: Path, header: list[str], cutoff: datetime) -> Plan:
    """The reading plan of a file with this header (WorkbenchError if a required column is absent)."""
    missing = _missing(table, header)
    if missing:
        raise WorkbenchError(f"{shown(path)}: {missing}")
    positions = _positions(table, header)
    return Plan(
        table, tuple((col, positions.get(col.name), _converter(table, col, cutoff)) for col in contract.TABLES[table])
    )


def read_tables(
    table: str, paths: list[Path], cutoff: datetime, progress: Progress | None = None
) -> tuple[list[dict[str, Any]], Ledger]:
    """Accepted contract rows of `table` from its files, and the ledger of every row read.

    Every sheet of a workbook is read when its first row is a header of
    the table (rows often go on on a second sheet); a sheet that is not
    is listed in `ledger.unread` with its row count, never dropped unseen.
    The first sheet must be the table's.
    """
    ledger = Ledger(table)
    versions: list[Version[dict[str, Any]]] = []
    progress = progress or Quiet()
    for path in paths:
        name, raw_name = decoded_name(path.name)
        progress.start(name, path.stat().st_size)
        before = ledger.read
        for index, sheet in enumerate(read_sheets(path)):
            missing = None if index == 0 else _missing(table, sheet.header)
            if missing is not None:
                count = sum(1 for _ in sheet.rows)
                ledger.unread.append(
                    (
                        name,
                        f"sheet {sheet.name!r} not read, {count + 1:,} non-blank rows: its first row is"
                        f" not a {table} header ({missing})",
                    )
                )
                continue
            reading = plan(table, path, sheet.header, cutoff)
            for line in sheet.rows:
                ledger.read += 1
                cells = line.cells
                raw = (
                    line.text
                    if line.error is not None
                    else {
                        label or f"column {i + 1}": cell
                        for i, (label, cell) in enumerate(zip(sheet.header, cells, strict=False))
                    }
                )
                record = Record(Origin(name, line.number, sheet=sheet.name, file_bytes=raw_name), raw, error=line.error)
                row = ledger.attempt(record, lambda _raw, cells=cells, reading=reading: reading.convert(cells))
                if row is None:
                    continue
                key = "|".join(str(row[k]) for k in contract.KEYS[table])
                versions.append(Version(record, key, -1, row))
        progress.advance(0, ledger.read - before)
        progress.finish()
    accepted = [v.value for v in latest_versions(versions, ledger, f"{table} key")]
    ledger.accepted = len(accepted)
    return accepted, ledger
