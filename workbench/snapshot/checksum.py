"""SHA-256 of a snapshot file, the checksum the manifest lists for every file.

Its own module because both the writer (which records checksums) and
`verify` (which recomputes them) need it, and `verify` runs inside the
writer before a snapshot is published.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks so large parts stay out of memory."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
