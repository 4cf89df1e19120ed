"""Keeping a snapshot folder from being removed while it is read or written.

Publishing a newer snapshot of a date retires the old version folder, and
`workbench snapshot gc` (also run after every publish) removes retired
folders. A reader that opened the old version (a notebook's `wb.open`, a
report mid-render) must keep reading exactly it, so every reader and writer
holds a shared `flock` on the folder for as long as it uses it, and gc
removes a folder only after taking an exclusive lock without waiting. The
lock is the kernel's, so it covers every process on the machine and is
released when its process ends, even by a crash; it is advisory, so tools
outside the workbench are not covered (they read the dated name, not a
version).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from workbench.errors import WorkbenchError


class Hold:
    """A lock on one folder, released by `release()`, at the end of a `with` block, or when collected."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self._fd: int | None = fd

    def release(self) -> None:
        """Let go of the folder (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Hold:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()


def _lock(folder: Path, operation: int) -> Hold | None:
    """Open `folder` and lock it; None if it is gone (or, without waiting, locked by someone else).

    The folder may be removed between opening and locking it (gc holds the
    exclusive lock while it moves a folder away), so after the lock is
    granted the open folder must still be the one at that path.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fcntl.flock(fd, operation)
        same = os.path.samestat(os.fstat(fd), os.stat(folder))
    except (BlockingIOError, FileNotFoundError):
        same = False
    except BaseException:
        os.close(fd)
        raise
    if not same:
        os.close(fd)
        return None
    return Hold(Path(folder), fd)


def shared(folder: Path) -> Hold | None:
    """A shared hold for reading or writing `folder`, waiting while gc removes it; None if it is gone."""
    return _lock(folder, fcntl.LOCK_SH)


def exclusive(folder: Path) -> Hold | None:
    """The exclusive hold gc needs to remove `folder`, only if nobody holds it now; None otherwise."""
    return _lock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)


def keep(folder: Path) -> Hold:
    """A shared hold on a snapshot that must exist, e.g. for the length of a report run."""
    held = shared(folder)
    if held is None:
        raise WorkbenchError(
            f"snapshot {folder} was replaced by a newer one and cleaned up before it could be opened; run again", 1
        )
    return held
