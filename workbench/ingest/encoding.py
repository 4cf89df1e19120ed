"""Names and text that are not UTF-8: read, shown decoded, never mis-read in silence.

File names: a zip made on a Chinese Windows stores its names in GBK, and
`unzip` on Linux writes those bytes as they are, so a folder of exports
may hold names that are not UTF-8. Python hands them over with the bad
bytes as lone surrogates, which no UTF-8 text (a manifest, a parquet
column, the terminal) can hold. Such a name is decoded for display (as
GB18030, the superset of GBK), and its bytes are kept beside it.

Text: see `open_text`.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError


def decoded_name(name: str) -> tuple[str, bytes | None]:
    """A file name as text, and its bytes when they are not UTF-8 (else None).

    Bytes that are not GB18030 either are shown as `\\xNN` escapes.
    """
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), raw
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw


def shown(path: Path | str) -> str:
    """A path as a person can read it, each name that is not UTF-8 decoded (for messages)."""
    parts = Path(path).parts
    return os.path.join(*(decoded_name(part)[0] for part in parts)) if parts else str(path)


def name_note(raw: bytes | None) -> str:
    """What to add where a name that is not UTF-8 is listed: its bytes, and how it is shown."""
    if raw is None:
        return ""
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"; the name is not UTF-8 nor GB18030 and is shown with its bytes escaped: {raw!r}"
    return f"; the name is not UTF-8 and is shown decoded as GB18030 from its bytes {raw!r}"


# Text: UTF-8 (with or without a BOM), else GB18030 (what Excel on a Chinese
# Windows saves). Valid UTF-8 is always read as UTF-8: GB18030 decodes
# almost any bytes, and UTF-8 Chinese read as GB18030 is mojibake made of
# real characters (订单 -> 璁㈠崟) that no later check notices. A file that
# is not valid UTF-8 is judged line by line (see `open_text`).

# A line of Chinese text: ASCII, Latin-1, general punctuation, CJK punctuation and ideographs, full-width forms, emoji.
_CHINESE_LINE = re.compile(
    r"[\x00-\x7f\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    r"\U0001f300-\U0001faff]*"
)
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Three-byte UTF-8 sequences of punctuation, CJK and full-width forms: what UTF-8 Chinese is made of.
_UTF8_CJK = re.compile(rb"[\xe2-\xe9\xef][\x80-\xbf]{2}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_PREVIEW = 40


def first_flag(flagged: dict[int, str], first: int, last: int) -> str | None:
    """Why one of lines first..last is flagged (the first such line), or None."""
    if flagged:
        for line in range(first, last + 1):
            if line in flagged:
                return flagged[line]
    return None


def escaped(text: str) -> str:
    """Text holding bytes kept by surrogateescape, with those bytes shown as `\\xNN`."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text


# Bytes read and decoded at a time (cut at a newline): a file of any size is read in bounded memory.
CHUNK_BYTES = 8 * 1024 * 1024


def _blocks(path: Path, size: int) -> Iterator[bytes]:
    """The file's bytes, without a UTF-8 BOM, in blocks of `size` (cut anywhere)."""
    with path.open("rb") as fh:
        first = fh.read(len(codecs.BOM_UTF8))
        if first and first != codecs.BOM_UTF8:
            yield first
        while block := fh.read(size):
            yield block


def _byte_chunks(path: Path, size: int) -> Iterator[bytes]:
    """The file's bytes, without a UTF-8 BOM, in pieces of about `size` that each end just after a newline.

    Lines are counted at newlines, so a piece holds whole lines and its
    lines decode the same as they would in the whole file (a piece is as
    long as its longest line).
    """
    rest = b""
    for block in _blocks(path, size):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest


def _utf8(path: Path, size: int) -> Iterator[str]:
    """The text of a file of valid UTF-8, in pieces of `size` bytes cut anywhere; UnicodeDecodeError if it is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for block in _blocks(path, size):
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _split(chunk: bytes) -> list[bytes]:
    """A chunk's lines without their newlines (a chunk ending in a newline has no empty line after it)."""
    lines = chunk.split(b"\n")
    if chunk.endswith(b"\n"):
        lines.pop()
    return lines


def open_text(path: Path, chunk_bytes: int | None = None) -> TextStream:
    """The file as text read piece by piece: UTF-8 (BOM or not) or GB18030, never UTF-8 read as GB18030 unflagged.

    Bytes that are valid UTF-8 are UTF-8. Otherwise each line with
    non-ASCII bytes counts as UTF-8 (valid UTF-8 Chinese, or invalid but
    mostly made of UTF-8 Chinese sequences: a damaged byte) or as GB18030
    (the rest). Random GB18030 text almost never looks like UTF-8 Chinese
    (measured: about 1 line in a million), while UTF-8 Chinese read as
    GB18030 always does.

    - More UTF-8 lines than GB18030 lines, or a UTF-8 BOM: the file is
      UTF-8 with damaged lines. It is read as UTF-8, and every line that is
      not valid UTF-8 is flagged: its records are rejected.
    - Otherwise the file is GB18030, and every line that looks like UTF-8
      Chinese is flagged: as GB18030 it would read as mojibake, and which
      reading is right cannot be told from the bytes alone.

    A line that is neither UTF-8 nor GB18030 in a GB18030 file is flagged
    too; when that is so of most lines with non-ASCII bytes, the file is in
    some other encoding (UTF-16, Shift-JIS) or not text, and it cannot be
    read at all: an error naming the first such line.

    The encoding is judged over the whole file before any text is handed
    on, by a first pass that keeps only counts (a second one, over every
    line, only for a file that is not valid UTF-8); the text is then
    decoded a piece at a time (`chunk_bytes`, default CHUNK_BYTES), so
    memory stays bounded whatever the size.
    """
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    with path.open("rb") as fh:
        bom = fh.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    try:
        for _ in _utf8(path, chunk_bytes):
            pass
    except UnicodeDecodeError:
        pass
    else:
        return TextStream(path, "utf-8", chunk_bytes)
    utf8 = other = non_ascii = undecodable = 0
    first = ""
    number = 0
    for chunk in _byte_chunks(path, chunk_bytes):
        for line in _split(chunk):
            number += 1
            kind = _kind(line)
            non_ascii += not line.isascii()
            if kind in ("utf8", "damaged"):
                utf8 += 1
                continue
            other += kind == "other"
            try:
                line.decode("gb18030")
            except UnicodeDecodeError as err:
                undecodable += 1
                first = first or f"line {number}, {line[err.start : err.end]!r} at byte {err.start + 1}"
    if bom or utf8 > other:
        return TextStream(path, "utf-8", chunk_bytes, damaged=True)
    if 2 * undecodable > non_ascii:
        raise WorkbenchError(
            f"{shown(path)}: cannot be decoded as UTF-8 or GB18030 ({undecodable:,} of its {non_ascii:,} lines"
            f" with non-ASCII bytes are neither, the first {first}); save the file as UTF-8 and ingest again"
        )
    return TextStream(path, "gb18030", chunk_bytes)


@dataclass
class TextStream:
    """A file's text in pieces (`chunks()`), its encoding, and its flagged lines (line -> why) as decoded so far.

    A record on a flagged line is rejected with that reason; the line's
    undecodable bytes are in the text as surrogate escapes (`escaped()`
    shows them as `\\xNN`). Each piece ends at a newline, so by the time
    a record's last line has been handed on, its flags are known (`flag`).
    """

    path: Path
    encoding: str
    chunk_bytes: int = CHUNK_BYTES
    damaged: bool = False
    flagged: dict[int, str] = field(default_factory=dict)

    def flag(self, first: int, last: int) -> str | None:
        """Why one of lines first..last is flagged (the first such line), or None."""
        return first_flag(self.flagged, first, last)

    def chunks(self, whole_lines: bool = True) -> Iterator[str]:
        """The text, a piece at a time, undecodable bytes kept as surrogate escapes.

        Each piece ends at a newline, unless `whole_lines` is False and the file
        is valid UTF-8 (no line is flagged): then pieces are cut anywhere,
        so a file that is one long line (a JSON document without newlines)
        is read in bounded memory too.
        """
        if self.encoding == "utf-8" and not self.damaged:
            if whole_lines:
                yield from (chunk.decode("utf-8") for chunk in _byte_chunks(self.path, self.chunk_bytes))
            else:
                yield from _utf8(self.path, self.chunk_bytes)
            return
        number = 0
        for chunk in _byte_chunks(self.path, self.chunk_bytes):
            lines = _split(chunk)
            if self.encoding == "utf-8":
                for n, line in enumerate(lines, number + 1):
                    if _kind(line) in ("damaged", "other"):
                        self.flagged[n] = _not_utf8(n, line)
                yield chunk.decode("utf-8", "surrogateescape")
            else:
                yield self._gb18030(lines, number) + ("\n" if chunk.endswith(b"\n") else "")
            number += len(lines)

    def _gb18030(self, lines: list[bytes], number: int) -> str:
        parts: list[str] = []
        for n, line in enumerate(lines, number + 1):
            kind = _kind(line)
            if kind in ("utf8", "damaged"):
                parts.append(line.decode("utf-8", "surrogateescape"))
                self.flagged[n] = _utf8_in_gb18030(n, line, kind)
                continue
            try:
                parts.append(line.decode("gb18030"))
            except UnicodeDecodeError as err:
                parts.append(line.decode("gb18030", "surrogateescape"))
                where = f"{line[err.start : err.end]!r} at byte {err.start + 1}"
                self.flagged[n] = (
                    f"line {n} is neither UTF-8 nor GB18030 ({where}) in a file of GB18030 text;"
                    " fix the line or re-export the file"
                )
        return "\n".join(parts)


def _kind(line: bytes) -> str | None:
    """ "utf8" (valid UTF-8 Chinese), "damaged" (invalid, yet mostly UTF-8 Chinese), "other" (invalid), or None (ASCII, other UTF-8)."""
    if line.isascii():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        high = len(line) - len(line.translate(None, _HIGH_BYTES))
        sequences = len(_UTF8_CJK.findall(line))
        return "damaged" if sequences >= 2 and 3 * sequences * 3 >= 2 * high else "other"
    return "utf8" if _CHINESE_LINE.fullmatch(text) and _IDEOGRAPH.search(text) else None


def _preview(text: str) -> str:
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"


def _not_utf8(number: int, line: bytes) -> str:
    where = "invalid bytes"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as err:
        where = f"{line[err.start : err.end]!r} at byte {err.start + 1}"
    try:
        other = f"; as GB18030 it would read {_preview(line.decode('gb18030').rstrip())!r}"
    except UnicodeDecodeError:
        other = ""
    return f"line {number} is not valid UTF-8 ({where}) in a file that is otherwise UTF-8{other}; fix the line or re-export the file"


def _utf8_in_gb18030(number: int, line: bytes, kind: str) -> str:
    utf8 = _preview(line.decode("utf-8", "backslashreplace").rstrip())
    gb18030 = _preview(line.decode("gb18030", "replace").rstrip())
    what = "UTF-8 text" if kind == "utf8" else "UTF-8 text with damaged bytes"
    return (
        f"line {number} is {what} ({utf8!r}) in a file of GB18030 text, where it would read as mojibake"
        f" ({gb18030!r}); save the file in one encoding"
    )
