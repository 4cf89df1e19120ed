"""Atomic file writes for report outputs.

Two renders of the same report may run at once (cron plus a user, or
`--all`), so every output is written to a unique temporary file in the
target folder and moved into place with one `os.replace`: a reader sees the
old file or the new one, never a mixture.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def temp_path(target: Path) -> Path:
    """A unique hidden sibling of `target` with its suffix, in the same folder (so rename is atomic)."""
    return target.parent / f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}"


def write_atomic(target: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `target` via a temp file and one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
