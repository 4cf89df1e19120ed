"""Finding export files by name and reading their records.

Files are recognised by the prefix of their name, so a folder of exports
named `orders-2025-12.jsonl`, `accounts_视频号.xlsx` and so on needs no
configuration. Text encodings are detected, never asked for: back-office
CSV downloads come as UTF-8, UTF-8 with a BOM, or GB18030 (what Excel on a
Chinese Windows saves), and UTF-8 is tried strictly first because GB18030
would decode almost any bytes into the wrong characters.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.ingest.ledger import Origin, Record

API_TABLES = ("orders", "aftersales")
TABULAR_TABLES = ("accounts", "shops", "products", "enrollments", "videos", "video_traffic", "live_sessions")
API_SUFFIXES = (".json", ".jsonl")
TABULAR_SUFFIXES = (".csv", ".xlsx")
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Found:
    """Files of a source folder by table, and the files that were not used (with why)."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    ignored: list[tuple[str, str]] = field(default_factory=list)


def _table_of(name: str) -> str | None:
    lowered = name.lower()
    for table in sorted(API_TABLES + TABULAR_TABLES, key=len, reverse=True):
        if lowered.startswith(table):
            return table
    return None


def discover(source_dir: Path) -> Found:
    """Sort the files of `source_dir` into tables by name prefix and suffix."""
    if not source_dir.is_dir():
        raise WorkbenchError(
            f"source folder {source_dir} does not exist or is not a folder; give the folder holding the export files"
        )
    found = Found()
    for path in sorted(source_dir.iterdir()):
        if path.name.startswith("."):
            continue
        table = _table_of(path.name)
        suffixes = API_SUFFIXES if table in API_TABLES else TABULAR_SUFFIXES
        if not path.is_file():
            found.ignored.append((path.name, "not a file"))
        elif table is None:
            found.ignored.append((path.name, "name starts with no known table prefix"))
        elif path.suffix.lower() not in suffixes:
            found.ignored.append((path.name, f"{table} files must be {' or '.join(suffixes)}"))
        else:
            found.files.setdefault(table, []).append(path)
    return found


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM) or else GB18030."""
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WorkbenchError(f"{path}: cannot be decoded as UTF-8 or GB18030; save it as UTF-8 and ingest again")


def json_records(path: Path) -> Iterator[Record]:
    """Every record of a JSON or JSON Lines file, with its line (and array item).

    A JSON array's elements are records of their own; a `.json` file that
    is really JSON Lines is read as such. Integers are parsed exactly
    (Python's json never turns them into floats), so 19-digit order ids
    survive.
    """
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            if not _any_line_parses(text):
                raise WorkbenchError(
                    f"{path}: not JSON ({err.msg} at line {err.lineno}, column {err.colno}) nor JSON Lines; fix or re-export the file"
                ) from err
        else:
            yield from _document_records(path.name, text, value)
            return
    yield from _line_records(path.name, text)


def _lines(text: str) -> list[str]:
    """Lines split at newlines only: str.splitlines() would also split inside JSON strings holding U+0085 or U+2028."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _any_line_parses(text: str) -> bool:
    for line in _lines(text):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            continue
        return True
    return False


def _document_records(name: str, text: str, value: Any) -> Iterator[Record]:
    """Records of a whole-file JSON document, with the line each element starts on."""
    if not isinstance(value, list):
        yield Record(Origin(name, 1), value)
        return
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    for item in range(1, len(value) + 1):
        pos = _skip(text, pos, " \t\r\n")
        element, end = decoder.raw_decode(text, pos)
        yield Record(Origin(name, text.count("\n", 0, pos) + 1, item), element)
        pos = _skip(text, end, " \t\r\n,")


def _skip(text: str, pos: int, chars: str) -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def _line_records(name: str, text: str) -> Iterator[Record]:
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield Record(Origin(name, number), line, error=f"invalid JSON: {err.msg} at column {err.colno}")
            continue
        if isinstance(value, list):
            for item, element in enumerate(value, start=1):
                yield Record(Origin(name, number, item), element)
        else:
            yield Record(Origin(name, number), value)


@dataclass
class Sheet:
    """A CSV file or the first worksheet of an Excel file: header and numbered rows."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_sheet(path: Path) -> Sheet:
    """Header (first non-blank row) and data rows, numbered as a spreadsheet shows them."""
    if path.suffix.lower() == ".xlsx":
        raw_rows = _xlsx_rows(path)
    else:
        raw_rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    numbered = [(n, row) for n, row in enumerate(raw_rows, start=1) if any(_filled(v) for v in row)]
    if not numbered:
        return Sheet([], [])
    header = [str(h).replace("\ufeff", "").strip() if h is not None else "" for h in numbered[0][1]]
    return Sheet(header, numbered[1:])


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise WorkbenchError(
            f"{path}: cannot be opened as an Excel .xlsx workbook ({err}); re-save it from Excel as .xlsx"
        ) from err
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
