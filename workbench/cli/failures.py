"""The environment's failures as one clear line: a read-only folder, a full disk, a file where a folder should be.

Every command writes somewhere (data/snapshots/, reports/, `--out`), and
the operating system's refusal arrives as an OSError from deep inside
Python, pyarrow or polars, or as a DuckDB IOException from a `COPY`. They
are translated here, once, at the command line's boundary, into a
WorkbenchError naming the path and the fix. Only the kinds below are
translated: any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import duckdb

_ELSEWHERE = "or use another folder (--out, --out-dir, or WORKBENCH_HOME for data/ and reports/)"
_AGAIN = "and run the command again; earlier files were left as they were"
# errno -> (what happened, how to fix it, exit code). The shape of a
# path (a folder given for a file, a file inside a path) is the user's input: 2.
_KNOWN: dict[int, tuple[str, str, int]] = {
    errno.EACCES: ("permission denied", f"give this user access to it, {_ELSEWHERE}", 1),
    errno.EPERM: ("operation not permitted", f"give this user access to it, {_ELSEWHERE}", 1),
    errno.EROFS: ("read-only file system", f"remount it read-write, {_ELSEWHERE}", 1),
    errno.ENOSPC: ("no space left on the device", f"free disk space {_AGAIN}", 1),
    errno.EDQUOT: ("disk quota exceeded", f"free space within your quota {_AGAIN}", 1),
    errno.EISDIR: ("a folder where a file was expected", "give a file name instead", 2),
    errno.ENOTDIR: ("part of this path is a file, not a folder", "choose a path made of folders", 2),
}
_WRITE_ONLY = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
# polars reports an OS error as "... (os error 28): path" without setting errno.
_OS_ERROR_NUMBER = re.compile(r"\(os error (\d+)\)")


def _errno(err: OSError) -> int | None:
    if err.errno is not None:
        return err.errno
    if isinstance(err, PermissionError):
        return errno.EACCES
    if isinstance(err, IsADirectoryError):
        return errno.EISDIR
    if isinstance(err, NotADirectoryError):
        return errno.ENOTDIR
    found = _OS_ERROR_NUMBER.search(str(err))
    return int(found.group(1)) if found else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def from_os_error(err: OSError) -> WorkbenchError | None:
    """The one-line error for a refused file operation, or None when it is not one of the known kinds."""
    number = _errno(err)
    if number not in _KNOWN:
        return None
    what, fix, code = _KNOWN[number]
    # pyarrow and polars leave `filename` unset and put the path in the message instead.
    where = os.fsdecode(err.filename) if err.filename is not None else _one_line(str(err))
    return WorkbenchError(f"{what}: {where}; {fix}", code)


def from_duckdb_io(err: duckdb.IOException) -> WorkbenchError | None:
    """The one-line error for DuckDB failing to write a file (full disk, read-only folder), or None."""
    message = _one_line(str(err))
    for number, (what, fix, code) in _KNOWN.items():
        if os.strerror(number) in message:
            return WorkbenchError(f"{what}: {message}; {fix}", code)
    return None


@contextmanager
def writing_to(path: Path) -> Iterator[None]:
    """Name `path` in a write error that names no file (a full disk as pyarrow or write() reports it).

    Only errors that can come from writing alone are given `path`; any other
    may have come from reading an input, and keeps the library's own words.
    """
    try:
        yield
    except OSError as err:
        if err.filename is None and _errno(err) in _WRITE_ONLY:
            err.filename = str(path)
        raise


def translate(err: BaseException) -> WorkbenchError | None:
    """A WorkbenchError for the environment's failures, None for anything else (a bug: show the traceback)."""
    if isinstance(err, OSError):
        return from_os_error(err)
    # Looked up, not imported: a command that never loaded DuckDB cannot have met one of its errors.
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(err, duckdb.IOException):
        return from_duckdb_io(err)
    return None
