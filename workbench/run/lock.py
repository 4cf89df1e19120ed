"""One scheduled run at a time per reports folder.

A cron run that overlaps the previous one (a slow ingest, a hung kernel)
would render the same report twice and interleave their history lines, so
a run holds an exclusive `flock` on `<reports>/.run.lock` for its whole
length; a second run does not wait, it stops at once with a message naming
the holder. The lock is the kernel's (workbench.snapshot.hold): it is
released when the process ends, even by a crash, so a stale lock file never
blocks the next run. The file's content (pid and start) is only for that
message.
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.snapshot.hold import Hold

LOCK = ".run.lock"


def hold(folder: Path, started: datetime) -> Hold:
    """The run lock on `folder`, or an error (exit 1) naming the run that holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = path.read_text(encoding="utf-8").strip() or "another process"
        os.close(fd)
        raise WorkbenchError(
            f"another `workbench run` is already working on {folder} ({holder}); this run did nothing. "
            "Let it finish; if runs keep overlapping, schedule them further apart",
            1,
        ) from None
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, started {started.isoformat(timespec='seconds')}\n".encode(), 0)
    return Hold(path, fd)
