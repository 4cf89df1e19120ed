"""Names and text that are not UTF-8: read, shown decoded, never mis-read in silence.

File names: a zip made on a Chinese Windows stores its names in GBK, and
`unzip` on Linux writes those bytes as they are, so a folder of exports
may hold names that are not UTF-8. Python hands them over with the bad
bytes as lone surrogates, which no UTF-8 text (a manifest, a parquet
column, the terminal) can hold. Such a name is decoded for display (as
GB18030, the superset of GBK), and its bytes are kept beside it.
"""

from __future__ import annotations

import os
from pathlib import Path


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
