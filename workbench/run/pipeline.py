"""One run, step by step: each step timed, the first failure kept, later steps skipped, all of it recorded.

A scheduled run must always end with a record and a message, whatever
failed, so a step's exception is caught here instead of ending the
process: a WorkbenchError keeps its one-line message and exit code, a
failure of the environment (a full disk) is put in words by the caller's
`explain` (the CLI's translator), and anything else, a bug, is recorded by
its type and message and raised again once the run is on record, so its
traceback is still shown.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from workbench.errors import WorkbenchError
from workbench.run.history import FAILED, SUCCESS
from workbench.snapshot.manifest import LOCAL, MANIFEST, Manifest

T = TypeVar("T")
Explain = Callable[[BaseException], WorkbenchError | None]


def now() -> datetime:
    """The current time in Asia/Shanghai, to the second: what the history and messages show."""
    return datetime.now(LOCAL).replace(microsecond=0)


class Run:
    """The state of one run: steps done and their durations, what failed, what was sent."""

    def __init__(self, command: str, parameters: dict[str, Any], explain: Explain) -> None:
        self.command = command
        self.parameters = parameters
        self.explain = explain
        self.start = now()
        self.steps: dict[str, float] = {}
        self.failed_step: str | None = None
        self.error: WorkbenchError | None = None
        self.bug: Exception | None = None
        self.snapshot: str | None = None
        self.manifest_sha256: str | None = None
        self.report: str | None = None
        self.notifications: list[dict[str, object]] = []

    @property
    def ok(self) -> bool:
        """No step has failed so far."""
        return self.failed_step is None

    def step(self, name: str, action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one step unless an earlier one failed; its result, or None when it failed or was skipped."""
        if not self.ok:
            return None
        began = time.monotonic()
        try:
            return action(*args, **kwargs)
        except WorkbenchError as err:
            self.fail(name, err)
        except Exception as err:  # every failure of a step must reach the record and the message
            known = self.explain(err)
            if known is None:
                self.bug = err
                known = WorkbenchError(f"{type(err).__name__}: {err}", 1)
            self.fail(name, known)
        finally:
            self.steps[name] = round(time.monotonic() - began, 3)
        return None

    def fail(self, name: str, error: WorkbenchError) -> None:
        """Mark step `name` as the run's failure, unless an earlier step already failed."""
        if self.ok:
            self.failed_step, self.error = name, error

    def note_snapshot(self, manifest: Manifest) -> None:
        """The snapshot this run reported on, and its manifest's SHA-256 (as the verification stamp pins it)."""
        self.snapshot = manifest.snapshot_date.isoformat()
        self.manifest_sha256 = hashlib.sha256((Path(manifest.path) / MANIFEST).read_bytes()).hexdigest()

    def record(self) -> dict[str, Any]:
        """The run history's line for this run, ended now."""
        return {
            "start": self.start.isoformat(),
            "end": now().isoformat(),
            "command": self.command,
            "parameters": self.parameters,
            "snapshot": self.snapshot,
            "manifest_sha256": self.manifest_sha256,
            "outcome": SUCCESS if self.ok else FAILED,
            "failed_step": self.failed_step,
            "error": str(self.error) if self.error else None,
            "steps": self.steps,
            "report": self.report,
            "notifications": self.notifications,
        }

    def finish(self) -> None:
        """End the process's part: raise the bug again, or the failure as a one-line error; nothing on success."""
        if self.bug is not None:
            raise self.bug
        if self.error is not None:
            raise self.error
