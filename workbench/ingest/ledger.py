"""The fate of every input record: accepted, rejected, superseded or skipped.

"Nothing lost" is checked by arithmetic: for each table, records read =
accepted + rejected + superseded + skipped. Every record that does not
reach the snapshot is kept here with its source file, its position and its
raw text, so `_rejected/<table>.parquet` can show exactly what was left out
and why.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.ingest.encoding import decoded_name
from workbench.ingest.values import BadValue

T = TypeVar("T")

OUTCOMES = ("accepted", "rejected", "superseded", "skipped")
DEFERRED_BATCH = 50_000  # deferred left-out rows held at once


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file name, 1-based line (JSON) or row (CSV/Excel), and item in a JSON array.

    `sheet` is the worksheet of an Excel row. `file_bytes` is the file name
    as the folder holds it when that is not UTF-8 (a GBK name from a zip
    made on a Chinese Windows): `file` is then its decoded, readable form.
    """

    file: str
    line: int
    item: int | None = None
    sheet: str | None = None
    file_bytes: bytes | None = None

    def __str__(self) -> str:
        where = f"{self.file}[{self.sheet}]:{self.line}" if self.sheet is not None else f"{self.file}:{self.line}"
        return f"{where} item {self.item}" if self.item is not None else where


@dataclass(frozen=True)
class Record:
    """One input record as read, before interpretation.

    `error` is set when the text could not even be parsed (a broken JSON
    line): the record is then rejected with that reason and `raw` is the text.
    """

    origin: Origin
    raw: Any
    error: str | None = None


@dataclass(frozen=True)
class Left:
    """A record that did not reach the snapshot, and why."""

    record: Record
    outcome: str
    reason: str


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable(text: str) -> str:
    """`text` as UTF-8 (and so parquet) can hold it: half a surrogate pair, which JSON can escape, as `\\udXXX`."""
    return text if _encodable(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def raw_text(raw: Any) -> str:
    """The raw record as JSON text, big integers intact, Chinese readable.

    A record holding text UTF-8 cannot store is written with JSON escapes
    instead (`"\\ud800"`), which read back to exactly the same record.
    """
    if isinstance(raw, str):
        return storable(raw)
    text = json.dumps(raw, ensure_ascii=False, default=str)
    return text if _encodable(text) else json.dumps(raw, default=str)


@dataclass
class Ledger:
    """Counts and left-out records of one table (or of after-sales).

    `left` holds records rejected as they were read. Orders decided on
    disk (order_stage) add their superseded and skipped versions as
    `deferred` parquet files instead, never held whole: outcome, reason,
    file_no (in `files`), sheet, line, item, and either the record's text (`raw`) or where its line is
    in the file (`offset`, `length`), read again only when `_rejected/` is
    written, so millions of them cost no memory until then.
    """

    table: str
    read: int = 0
    accepted: int = 0
    left: list[Left] = field(default_factory=list)
    facts: Counter[str] = field(default_factory=Counter)
    # Parts of a file that hold no records of the table (an Excel sheet of notes): (file, why), listed as ignored.
    unread: list[tuple[str, str]] = field(default_factory=list)
    deferred: list[Path] = field(default_factory=list)
    deferred_counts: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)

    def defer(self, rows: Path, outcome: str, count: int) -> None:
        """Add `count` left-out records decided in bulk, all of one outcome, kept as parquet in `rows`."""
        self.defer_counted(rows, {outcome: count})

    def defer_counted(self, rows: Path, counts: Mapping[str, int]) -> None:
        """Add left-out records decided in bulk, `counts` of each outcome, kept as parquet in `rows` in any order."""
        if any(counts.values()):
            self.deferred.append(rows)
            self.deferred_counts.update(counts)

    def deferred_batches(self) -> Iterator[pa.Table]:
        """The deferred rows, a batch at a time (see the class docstring for the columns)."""
        for path in self.deferred:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=DEFERRED_BATCH):
                yield pa.Table.from_batches([batch])

    def all_left(self) -> Iterator[Left]:
        """Every left-out record, the deferred ones with their raw text read back from their files."""
        yield from self.left
        for rows in self.deferred_batches():
            raws = deferred_raw(rows, self.files)
            for row, raw in zip(rows.to_pylist(), raws, strict=True):
                name, raw_name = decoded_name(self.files[row["file_no"]].name)
                origin = Origin(name, row["line"], row["item"], sheet=row["sheet"], file_bytes=raw_name)
                yield Left(Record(origin, raw), row["outcome"], row["reason"])

    def attempt(self, record: Record, parse: Callable[[Any], T]) -> T | None:
        """`parse(record.raw)`, or None after rejecting the record with the reason it failed.

        Any exception rejects the record, not only BadValue: one record no
        converter foresaw (or a bug it meets) must cost that record, kept
        here with the exception as its reason, never the whole run.
        """
        if record.error:
            self.reject(record, record.error)
            return None
        try:
            return parse(record.raw)
        except BadValue as err:
            self.reject(record, str(err))
        except Exception as err:
            self.reject(record, f"could not be read ({type(err).__name__}: {err})")
        return None

    def reject(self, record: Record, reason: str) -> None:
        self.left.append(Left(record, "rejected", reason))

    def supersede(self, record: Record, reason: str) -> None:
        self.left.append(Left(record, "superseded", reason))

    def skip(self, record: Record, reason: str) -> None:
        self.left.append(Left(record, "skipped", reason))

    def counts(self) -> dict[str, int]:
        """read/accepted/rejected/superseded/skipped, as the manifest's `ingest` entry.

        `read` is counted as files are read and the others as records are
        decided, independently, so a record dropped by mistake shows up as
        read != accepted + rejected + superseded + skipped.
        """
        by_outcome = Counter(item.outcome for item in self.left) + self.deferred_counts
        return {"read": self.read, "accepted": self.accepted, **{o: by_outcome[o] for o in OUTCOMES[1:]}}


def deferred_raw(rows: pa.Table, files: list[Path]) -> list[str]:
    """Each row's raw text: as staged, or its line read back from the file at (offset, length)."""
    raws = rows.column("raw").to_pylist()
    missing = [i for i, raw in enumerate(raws) if raw is None]
    if missing:
        file_nos = rows.column("file_no").to_pylist()
        offsets = rows.column("offset").to_pylist()
        lengths = rows.column("length").to_pylist()
        handles: dict[int, BinaryIO] = {}
        try:
            for i in sorted(missing, key=lambda i: (file_nos[i], offsets[i])):
                handle = handles.get(file_nos[i]) or handles.setdefault(file_nos[i], files[file_nos[i]].open("rb"))
                handle.seek(offsets[i])
                raws[i] = handle.read(lengths[i]).decode("utf-8").rstrip("\r\n")
        finally:
            for handle in handles.values():
                handle.close()
    return raws
