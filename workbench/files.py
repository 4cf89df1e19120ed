"""Atomic file writes: a reader sees the old file or the new one, never a mixture.

Two renders of the same report may run at once (cron plus a user, or
`--all`), and `workbench kpi --out` may be pointed at a file another tool
reads; a full disk or a crash halfway must not leave a truncated file
either. So every output is written to a unique temporary file in the
target folder and moved into place with one `os.replace`; when anything
fails the temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def temp_path(target: Path) -> Path:
    """A unique hidden sibling of `target` with its suffix, in the same folder (so rename is atomic)."""
    return target.parent / f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}"


def write_atomic(target: Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8, or bytes) to `target` via a temp file and one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    except OSError as err:
        # A full disk is reported by write() with no file name, a read-only
        # folder names the hidden temp file: either way it is `target` that
        # could not be written, and the error message should say so.
        if err.filename is None or err.filename == str(tmp):
            err.filename, err.filename2 = str(target), None
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return target
