"""How far an ingest has got, told to whoever shows it (the CLI's bar), or to no one.

Reading a few GB of orders takes minutes, so the command line shows a bar
per file with records/s; a notebook or a test gets nothing. The ingest
only calls these methods; how (or whether) they are drawn is the caller's.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Told when a file starts and, as it is read, how many bytes and records are done."""

    def start(self, name: str, size: int) -> None:
        """A file of `size` bytes starts."""

    def advance(self, size: int, records: int) -> None:
        """`size` more bytes and `records` more records of the current file are read."""

    def finish(self) -> None:
        """The current file is read."""


class Quiet:
    """Progress told to no one."""

    def start(self, name: str, size: int) -> None:
        """Nothing to show."""

    def advance(self, size: int, records: int) -> None:
        """Nothing to show."""

    def finish(self) -> None:
        """Nothing to show."""
