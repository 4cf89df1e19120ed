"""Finding export files by name and reading their records.

Files are recognised by the prefix of their name, so a folder of exports
named `orders-2025-12.jsonl`, `accounts_视频号.xlsx` and so on needs no
configuration. Text encodings are detected, never asked for (UTF-8, else
GB18030, with lines that are in neither flagged: `encoding.open_text`).
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
from workbench.ingest import xlsx
from workbench.ingest.encoding import TextStream, decoded_name, escaped, name_note, open_text, shown
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

    Both are read a piece at a time, in bounded memory: a document twice,
    once to check it holds and once to hand on its records.
    """
    name, raw_name = decoded_name(path.name)
    stream = open_text(path)
    if path.suffix.lower() != ".json":
        yield from line_records(name, raw_name, _stream_lines(stream), stream.flagged)
        return
    try:
        for _ in _document_records(name, raw_name, stream):
            pass  # the whole document is read once, and must hold, before any of its records is used
    except _Broken as err:
        if not _is_json_lines(_stream_lines(stream)):
            for _ in stream.chunks():
                pass  # every line's encoding flag, for the message
            # Bytes in the wrong encoding outside a string break the syntax: say so, it is the likelier cause.
            encoding = f"; {stream.flagged[min(stream.flagged)]}" if stream.flagged else ""
            raise WorkbenchError(
                f"{shown(path)}: not one JSON document ({err}); a .json file is read whole, so none of it"
                f" is used; fix or re-export the file{encoding}"
            ) from None
        yield from line_records(name, raw_name, _stream_lines(stream), stream.flagged)
    else:
        yield from _document_records(name, raw_name, stream)


class _Broken(Exception):
    """The text is not one JSON document: the message says where."""


def _lines(text: str) -> list[str]:
    """Lines split at newlines only: str.splitlines() would also split inside JSON strings holding U+0085 or U+2028."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _is_json_lines(lines: Iterable[tuple[int, str]]) -> bool:
    """Whether every non-blank line is one whole JSON object or array (only brackets and strings are checked).

    A pretty-printed document never is: its first line is a lone `[` or `{`,
    and that is what tells a truncated document from JSON Lines, even when
    some of its lines would parse on their own.
    """
    seen = False
    for _, line in lines:
        line = line.strip()
        if line:
            if not (line[0] in "[{" and _value_end(line, 0) == len(line)):
                return False
            seen = True
    return seen


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


def _document_records(name: str, raw_name: bytes | None, stream: TextStream) -> Iterator[Record]:
    """Records of a whole-file JSON document, each array element with the line it starts on.

    Elements are decoded one by one, so an element json cannot read is
    one rejected record (its text kept) and the others are still read;
    anything that breaks the document's syntax raises _Broken (json_records
    reads the whole document once before it hands on a single record).
    The text is held a piece at a time (`_Document`), never whole.
    """
    doc = _Document(stream)
    pos = doc.skip(0)
    if doc.text.startswith("[", pos):
        pos = doc.skip(pos + 1)
        if doc.text.startswith("]", pos):
            end = pos + 1
        else:
            for item in itertools.count(1):
                record, end = doc.record(name, raw_name, pos, item)
                yield record
                pos = doc.skip(end)
                if doc.text.startswith(",", pos):
                    pos = doc.forget(doc.skip(pos + 1))
                    continue
                if not doc.text.startswith("]", pos):
                    raise _Broken(doc.at(pos, "expected ',' or ']'"))
                end = pos + 1
                break
    else:
        if pos == len(doc.text):
            raise _Broken("the file is empty")
        record, end = doc.record(name, raw_name, pos, None)
        yield record
    pos = doc.skip(end)
    if pos != len(doc.text):
        raise _Broken(doc.at(pos, "more data after the document"))


# Text of a document already read is let go once this much of it is behind the reader.
_FORGET_CHARS = 1024 * 1024
# A value still unfinished after this much text is not waited for further: its error is the document's.
MAX_VALUE_CHARS = 64 * 1024 * 1024


class _Document:
    """A JSON document's text, read on as the reader needs it and let go behind it; lines counted as it goes.

    Positions are in `text`, which starts at line `line`, column `column`
    of the file.
    """

    def __init__(self, stream: TextStream) -> None:
        self.stream = stream
        self._chunks = stream.chunks(whole_lines=False)
        self.text = ""
        self.line = 1
        self.column = 1
        self._done = False
        self._counted = 0  # a position in text, and the line it is on
        self._counted_line = 1
        self._decoder = json.JSONDecoder()

    def _more(self) -> bool:
        """Read the next piece of the file onto `text`; False at its end."""
        chunk = None if self._done else next(self._chunks, None)
        if chunk is None:
            self._done = True
            return False
        self.text += chunk
        return True

    def skip(self, pos: int) -> int:
        """The first position from `pos` that is not whitespace, reading on (len(text) only at the end of the file)."""
        while True:
            pos = _skip(self.text, pos, _WHITESPACE)
            if pos < len(self.text) or not self._more():
                return pos

    def line_at(self, pos: int) -> int:
        """The line `pos` is on (positions asked for only move forward)."""
        self._counted_line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self._counted_line

    def at(self, pos: int, what: str) -> str:
        """`what` at line L, column C: where `pos` is in the file."""
        line = self.line + self.text.count("\n", 0, pos)
        newline = self.text.rfind("\n", 0, pos)
        return f"{what} at line {line}, column {pos - newline if newline >= 0 else self.column + pos}"

    def forget(self, pos: int) -> int:
        """Let go of the text before `pos` (once there is enough of it); where `pos` is now."""
        if pos < _FORGET_CHARS:
            return pos
        newline = self.text.rfind("\n", 0, pos)
        self.line, self.column = self.line_at(pos), pos - newline if newline >= 0 else self.column + pos
        self.text = self.text[pos:]
        self._counted, self._counted_line = 0, self.line
        return 0

    def _wait(self, pos: int) -> bool:
        """Read on for a value starting at `pos` that may go on in the next piece; False if it cannot.

        _Broken if the value is longer than MAX_VALUE_CHARS and the file goes on.
        """
        if len(self.text) - pos < MAX_VALUE_CHARS:
            return self._more()
        if self._done:
            return False
        raise _Broken(
            self.at(pos, f"a value of more than {MAX_VALUE_CHARS // 2**20} MB (the most one record may hold)")
        )

    def record(self, name: str, raw_name: bytes | None, pos: int, item: int | None) -> tuple[Record, int]:
        """The record whose value starts at `pos`, and where the value ends."""
        line = self.line_at(pos)
        origin = Origin(name, line, item, file_bytes=raw_name)
        while True:
            error = None
            try:
                value, end = self._decoder.raw_decode(self.text, pos)
            except json.JSONDecodeError as err:
                if self._wait(pos):
                    continue
                raise _Broken(self.at(err.pos, err.msg)) from None
            except (RecursionError, ValueError) as err:
                end = _value_end(self.text, pos)
                if (end is None or end == len(self.text)) and self._wait(pos):
                    continue
                if end is None:
                    raise _Broken(self.at(pos, "a value that never ends")) from None
                error = _unreadable(err)
            else:
                if end == len(self.text) and self._wait(pos):
                    continue  # a number cut at the end of a piece would read as a shorter one
                error = _TOO_DEEP if _deeper_than(value, self.text, pos, end) else None
            break
        error = self.stream.flag(line, line + self.text.count("\n", pos, end)) or error
        if error is not None:
            return Record(origin, escaped(self.text[pos:end]), error=error), end
        return Record(origin, value), end


def _skip(text: str, pos: int, chars: str) -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def _stream_lines(stream: TextStream) -> Iterator[tuple[int, str]]:
    """Numbered lines of a text read a piece at a time, split as `_lines` splits them."""
    number = 0
    for chunk in stream.chunks():
        lines = _lines(chunk)
        if chunk.endswith("\n"):
            lines.pop()
        yield from enumerate(lines, number + 1)
        number += len(lines)


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
    """A CSV file or one worksheet of an Excel file: header, numbered rows, and the worksheet's name.

    `rows` is read once, as the file is read (never held whole): a sheet's
    rows are taken before the next sheet is read.
    """

    header: list[str]
    rows: Iterable[Row]
    name: str | None = None


def read_sheets(path: Path) -> Iterator[Sheet]:
    """Every sheet with a non-blank row: the CSV file, or each worksheet of a workbook in its order.

    A sheet's header is its first non-blank row, and rows are numbered as
    a spreadsheet shows them. A file without any non-blank row gives one
    empty sheet. Sheets and their rows are read as they are taken, in
    bounded memory: a CSV file a piece at a time (encoding.open_text), a
    workbook a worksheet at a time (xlsx.py).
    """
    tables: Iterator[tuple[str | None, Iterator[Row]]] = (
        ((name, (Row(n, list(cells)) for n, cells in enumerate(rows, 1))) for name, rows in xlsx.worksheets(path))
        if path.suffix.lower() == ".xlsx"
        else iter([(None, _csv_rows(open_text(path)))])
    )
    first_name: str | None = None
    found = False
    for index, (name, rows) in enumerate(tables):
        first_name = name if index == 0 else first_name
        sheet = _sheet(path, name, rows)
        if sheet is not None:
            found = True
            yield sheet
    if not found:
        yield Sheet([], [], first_name)


def _sheet(path: Path, name: str | None, raw_rows: Iterator[Row]) -> Sheet | None:
    rows = (row for row in raw_rows if row.error is not None or any(_filled(v) for v in row.cells))
    first = next(rows, None)
    if first is None:
        return None
    if first.error is not None:
        raise WorkbenchError(f"{shown(path)}: the header row cannot be read: {first.error}")
    header = [str(h).replace("\ufeff", "").strip() if h is not None else "" for h in first.cells]
    return Sheet(header, rows, name)


class _Lines:
    """The lines csv.reader takes, kept until the row they make is done (its text, if it cannot be read)."""

    def __init__(self, source: TextStream) -> None:
        self._lines = (line for chunk in source.chunks() for line in io.StringIO(chunk, newline=""))
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def _csv_rows(source: TextStream) -> Iterator[Row]:
    """Every CSV row; one that csv cannot read (a cell beyond csv's size limit) or on a flagged line has an error."""
    lines = _Lines(source)
    reader = csv.reader(lines)
    first = 1  # the line (counted at newlines, as TextStream.flagged is) the next row starts on
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
        yield Row(number, cells) if error is None else Row(number, cells, error, escaped(taken))
        first += newlines


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""
