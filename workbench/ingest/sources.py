"""Finding export files by name and reading their records.

Files are recognised by the prefix of their name, so a folder of exports
named `orders-2025-12.jsonl`, `accounts_视频号.xlsx` and so on needs no
configuration. Text encodings are detected, never asked for (UTF-8, else
GB18030, with lines that are in neither flagged: `encoding.read_text`).
What cannot be read of one record (a JSON line, an array element, a CSV
row) is that record's error; what cannot be read of a whole file is a
WorkbenchError naming the file.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.ingest.encoding import Text, decoded_name, escaped, name_note, read_text, shown
from workbench.ingest.ledger import Origin, Record

API_TABLES = ("orders", "aftersales")
TABULAR_TABLES = ("accounts", "shops", "products", "enrollments", "videos", "video_traffic", "live_sessions")
# Orders and after-sales come as API JSON or as back-office spreadsheets (sheets.py).
API_SUFFIXES = (".json", ".jsonl", ".csv", ".xlsx")
TABULAR_SUFFIXES = (".csv", ".xlsx")


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
            f"source folder {shown(source_dir)} does not exist or is not a folder; give the folder holding the export files"
        )
    found = Found()
    for path in sorted(source_dir.iterdir()):
        name, raw_name = decoded_name(path.name)
        if name.startswith("."):
            continue
        table = _table_of(name)
        suffixes = API_SUFFIXES if table in API_TABLES else TABULAR_SUFFIXES
        if not path.is_file():
            found.ignored.append((name, "not a file" + name_note(raw_name)))
        elif table is None:
            found.ignored.append((name, "name starts with no known table prefix" + name_note(raw_name)))
        elif path.suffix.lower() not in suffixes:
            found.ignored.append((name, f"{table} files must be {' or '.join(suffixes)}" + name_note(raw_name)))
        else:
            found.files.setdefault(table, []).append(path)
    return found


# Deeper than this a record is refused: API objects nest a few levels, and
# a record near Python's recursion limit could be read yet not written back
# as JSON text into `_rejected/`.
MAX_DEPTH = 100
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (an API record nests a few levels)"
_WHITESPACE = " \t\r\n"
# What the end of an array or object is found by when json cannot read it
# (too deep to parse, a number too long): strings, skipped whole, and runs of brackets.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]+|[\]}]+', re.S)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def json_records(path: Path) -> Iterator[Record]:
    """Every record of a JSON or JSON Lines file, with its line (and array item).

    A `.json` file is one document: an array's elements are records of
    their own. A document that is broken anywhere (a truncated download)
    is refused whole, with an error, before any of it is used, unless
    every line of it is a JSON object or array of its own: that is JSON
    Lines saved as `.json`, read as such. Integers are parsed exactly
    (Python's json never turns them into floats), so 19-digit order ids
    survive. A record json cannot read (nested too deep, a number of
    thousands of digits) is a record with an error, its text as raw.
    """
    name, raw_name = decoded_name(path.name)
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            records = _document_records(name, raw_name, text)
        except _Broken as err:
            if not _is_json_lines(text.text):
                # Bytes in the wrong encoding outside a string break the syntax: say so, it is the likelier cause.
                encoding = f"; {text.flagged[min(text.flagged)]}" if text.flagged else ""
                raise WorkbenchError(
                    f"{shown(path)}: not one JSON document ({err}); a .json file is read whole, so none of it"
                    f" is used; fix or re-export the file{encoding}"
                ) from None
        else:
            yield from records
            return
    yield from _line_records(name, raw_name, text)


class _Broken(Exception):
    """The text is not one JSON document: the message says where."""


def _lines(text: str) -> list[str]:
    """Lines split at newlines only: str.splitlines() would also split inside JSON strings holding U+0085 or U+2028."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _is_json_lines(text: str) -> bool:
    """Whether every non-blank line is one whole JSON object or array (only brackets and strings are checked).

    A pretty-printed document never is: its first line is a lone `[` or `{`,
    and that is what tells a truncated document from JSON Lines, even when
    some of its lines would parse on their own.
    """
    lines = [line.strip() for line in _lines(text) if line.strip()]
    return bool(lines) and all(line[0] in "[{" and _value_end(line, 0) == len(line) for line in lines)


def _parse(text: str) -> tuple[Any, str | None]:
    """The JSON value of one line, or None and the reason it cannot be read."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        return None, f"invalid JSON: {err.msg} at column {err.colno}"
    except (RecursionError, ValueError) as err:
        return None, _unreadable(err)
    if _deeper_than(value, text, 0, len(text)):
        return None, _TOO_DEEP
    return value, None


def _unreadable(err: RecursionError | ValueError) -> str:
    """The reason for a value json could not read although its syntax may be fine."""
    if isinstance(err, RecursionError):
        return _TOO_DEEP
    # The one such ValueError: an integer longer than int() reads (sys.get_int_max_str_digits()).
    return f"unreadable number: {str(err).split(';')[0]}"


def _deeper_than(value: Any, text: str, start: int, end: int) -> bool:
    """Whether `value` (read from text[start:end]) nests deeper than MAX_DEPTH.

    Counting brackets in the text is a cheap upper bound; only a record with
    more than MAX_DEPTH of them is walked, without recursion.
    """
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return False
    if not isinstance(value, (dict, list)):
        return False
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = current.values() if isinstance(current, dict) else current
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _value_end(text: str, pos: int) -> int | None:
    """Where the array, object or number starting at text[pos] ends, found without recursion (None: never)."""
    if text[pos] not in "[{":
        number = _NUMBER.match(text, pos)
        return number.end() if number else None
    depth = 0
    for token in _TOKEN.finditer(text, pos):  # runs of brackets are one token: 10^5 `[` cost one step
        start = token.start()
        if text[start] == '"':
            continue
        size = token.end() - start
        if text[start] in "[{":
            depth += size
        elif size >= depth:
            return start + depth
        else:
            depth -= size
    return None


def _document_records(name: str, raw_name: bytes | None, source: Text) -> list[Record]:
    """Records of a whole-file JSON document, each array element with the line it starts on.

    Elements are decoded one by one, so an element json cannot read is
    one rejected record (its text kept) and the others are still read;
    anything that breaks the document's syntax raises _Broken, before a
    single record is used.
    """
    decoder = json.JSONDecoder()
    reader = _Elements(name, raw_name, source, decoder)
    text = source.text
    pos = _skip(text, 0, _WHITESPACE)
    if text.startswith("[", pos):
        records = []
        pos = _skip(text, pos + 1, _WHITESPACE)
        if text.startswith("]", pos):
            end = pos + 1
        else:
            for item in itertools.count(1):
                record, end = reader.read(pos, item)
                records.append(record)
                pos = _skip(text, end, _WHITESPACE)
                if text.startswith(",", pos):
                    pos = _skip(text, pos + 1, _WHITESPACE)
                    continue
                if not text.startswith("]", pos):
                    raise _Broken(_at(text, pos, "expected ',' or ']'"))
                end = pos + 1
                break
    else:
        if pos == len(text):
            raise _Broken("the file is empty")
        record, end = reader.read(pos, None)
        records = [record]
    if _skip(text, end, _WHITESPACE) != len(text):
        raise _Broken(_at(text, _skip(text, end, _WHITESPACE), "more data after the document"))
    return records


def _at(text: str, pos: int, what: str) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"{what} at line {line}, column {pos - text.rfind(chr(10), 0, pos)}"


@dataclass
class _Elements:
    """Reads a document's values one at a time, counting lines as it goes (not from the start each time)."""

    name: str
    raw_name: bytes | None
    source: Text
    decoder: json.JSONDecoder
    line: int = 1
    counted: int = 0

    def read(self, pos: int, item: int | None) -> tuple[Record, int]:
        """The record whose value starts at `pos`, and where the value ends."""
        text = self.source.text
        self.line += text.count("\n", self.counted, pos)
        self.counted = pos
        origin = Origin(self.name, self.line, item, file_bytes=self.raw_name)
        error = None
        try:
            value, end = self.decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise _Broken(f"{err.msg} at line {err.lineno}, column {err.colno}") from None
        except (RecursionError, ValueError) as err:
            end = _value_end(text, pos)
            if end is None:
                raise _Broken(_at(text, pos, "a value that never ends")) from None
            error = _unreadable(err)
        else:
            error = _TOO_DEEP if _deeper_than(value, text, pos, end) else None
        error = self.source.flag(self.line, self.line + text.count("\n", pos, end)) or error
        if error is not None:
            return Record(origin, escaped(text[pos:end]), error=error), end
        return Record(origin, value), end


def _skip(text: str, pos: int, chars: str) -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def _line_records(name: str, raw_name: bytes | None, source: Text) -> Iterator[Record]:
    lines = enumerate(_lines(source.text), start=1)
    yield from line_records(name, raw_name, lines, source.flagged)


def line_records(
    name: str, raw_name: bytes | None, lines: Iterable[tuple[int, str]], flagged: dict[int, str] | None = None
) -> Iterator[Record]:
    """The records of numbered JSON Lines: a line's value, each element of a line's array, or its error.

    Lines come without their newline; blank lines hold no record.
    """
    for number, line in lines:
        if not line.strip():
            continue
        flag = flagged.get(number) if flagged else None
        value, error = (None, flag) if flag else _parse(line)
        if error is not None:
            yield Record(Origin(name, number, file_bytes=raw_name), escaped(line), error=error)
        elif isinstance(value, list):
            for item, element in enumerate(value, start=1):
                yield Record(Origin(name, number, item, file_bytes=raw_name), element)
        else:
            yield Record(Origin(name, number, file_bytes=raw_name), value)


@dataclass(frozen=True)
class Row:
    """One spreadsheet row as read: its number, its cells, or why it could not be split into cells (and its text)."""

    number: int
    cells: list[Any]
    error: str | None = None
    text: str | None = None


@dataclass
class Sheet:
    """A CSV file or one worksheet of an Excel file: header and numbered rows, and the worksheet's name."""

    header: list[str]
    rows: list[Row]
    name: str | None = None


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet with a non-blank row: the CSV file, or each worksheet of a workbook in its order.

    A sheet's header is its first non-blank row, and rows are numbered as
    a spreadsheet shows them. A file without any non-blank row gives one
    empty sheet.
    """
    xlsx = path.suffix.lower() == ".xlsx"
    tables: list[tuple[str | None, list[Row]]] = [*_xlsx_sheets(path)] if xlsx else [(None, _csv_rows(read_text(path)))]
    sheets = [sheet for name, rows in tables if (sheet := _sheet(path, name, rows)) is not None]
    return sheets or [Sheet([], [], tables[0][0] if tables else None)]


def _sheet(path: Path, name: str | None, raw_rows: list[Row]) -> Sheet | None:
    rows = [row for row in raw_rows if row.error is not None or any(_filled(v) for v in row.cells)]
    if not rows:
        return None
    if rows[0].error is not None:
        raise WorkbenchError(f"{shown(path)}: the header row cannot be read: {rows[0].error}")
    header = [str(h).replace("\ufeff", "").strip() if h is not None else "" for h in rows[0].cells]
    return Sheet(header, rows[1:], name)


class _Lines:
    """The lines csv.reader takes, kept until the row they make is done (its text, if it cannot be read)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def _csv_rows(source: Text) -> list[Row]:
    """Every CSV row; one that csv cannot read (a cell beyond csv's size limit) or on a flagged line has an error."""
    lines = _Lines(source.text)
    reader = csv.reader(lines)
    rows = []
    first = 1  # the line (counted at newlines, as Text.flagged is) the next row starts on
    for number in itertools.count(1):
        lines.taken.clear()
        try:
            cells = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as err:
            if not lines.taken:
                break
            cells, error = [], f"cannot be read as CSV: {err}"
        taken = "".join(lines.taken)
        newlines = taken.count("\n")
        error = source.flag(first, first + newlines - taken.endswith("\n")) or error
        rows.append(Row(number, cells) if error is None else Row(number, cells, error, escaped(taken)))
        first += newlines
    return rows


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _xlsx_sheets(path: Path) -> list[tuple[str, list[Row]]]:
    """Each worksheet's title and rows.

    Anything going wrong inside the workbook (not a zip, broken XML, a
    value openpyxl cannot convert) makes the whole file unreadable: one
    error naming it, whatever openpyxl raised.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                (sheet.title, [Row(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)])
                for sheet in book.worksheets
            ]
        finally:
            book.close()
    except Exception as err:
        why = " ".join(f"{type(err).__name__}: {err}".split())
        raise WorkbenchError(
            f"{shown(path)}: cannot be opened as an Excel .xlsx workbook ({why}); re-save it from Excel as .xlsx"
        ) from err
