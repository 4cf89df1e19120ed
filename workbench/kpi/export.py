"""Rendering a KPI frame as CSV, JSON, parquet or a Chinese-first table.

CSV is the contract's exchange format and is compared byte for byte by
other tools, so it is written here by rule rather than by a library
default: fen as integers, shares in positional notation with every digit
Python's repr keeps (never `1e-07`), an empty field for null, booleans as
`true`/`false`. The table format is for people: money in yuan with 万/亿,
shares as percent, enumeration values with their Chinese labels, all
through the one formatting ladder (workbench.formatting) and catalogue
(workbench.text).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import polars as pl
from rich.table import Table

from workbench import text
from workbench.errors import WorkbenchError
from workbench.files import write_atomic
from workbench.formatting import MISSING, format_share, format_yuan
from workbench.kpi.registry import Kpi

FORMATS = ("csv", "table", "json", "parquet", "xlsx")
FILE_FORMATS = ("csv", "json", "parquet")
# xlsx is written by OpenedSnapshot.to_excel (workbench.tables.excel): its about sheet needs the snapshot and window.


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return np.format_float_positional(value, trim="0")
    return str(value)


def to_csv(frame: pl.DataFrame) -> str:
    """The contract's CSV: header row, then rows as the query ordered them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def to_json(frame: pl.DataFrame) -> str:
    """A JSON list of row objects (null for an empty share), one KPI row each."""
    return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2) + "\n"


def _is_share(column: str) -> bool:
    return "share" in column or column.endswith("_rate")


def _cell(column: str, value: object) -> str:
    if column.endswith("_fen"):
        return format_yuan(value)  # type: ignore[arg-type]
    if _is_share(column):
        return format_share(value)  # type: ignore[arg-type]
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return text.t("table.yes" if value else "table.no", "zh")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return text.label(str(value), "zh")


def to_table(frame: pl.DataFrame, kpi: Kpi, caption: str = "") -> Table:
    """A rich table titled in Chinese first, with money in yuan and shares in percent."""
    table = Table(title=f"{kpi.title_zh} {kpi.title_en}", caption=caption or None)
    for column in frame.columns:
        numeric = frame.schema[column].is_numeric()
        table.add_column(f"{text.column(column, 'zh')}\n{column}", justify="right" if numeric else "left")
    for row in frame.iter_rows(named=True):
        table.add_row(*(_cell(c, v) for c, v in row.items()))
    return table


def to_parquet(frame: pl.DataFrame) -> bytes:
    """The frame as the bytes of a parquet file (KPI frames are small)."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def write_file(frame: pl.DataFrame, fmt: str, out: Path) -> None:
    """Write the frame to `out` in `fmt` (csv, json or parquet), atomically.

    Another tool may be reading `out`, and a full disk may stop the write
    halfway: the file is replaced in one rename or, on any error, left as it was.
    """
    if fmt not in FILE_FORMATS:
        raise WorkbenchError(f"--out takes csv, json or parquet, not {fmt!r}; the table format prints to the terminal")
    write_atomic(out, {"csv": to_csv, "json": to_json, "parquet": to_parquet}[fmt](frame))
