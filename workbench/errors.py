"""The one exception type the CLI turns into a clear message and exit code."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can fix: the message says what, where and how.

    `exit_code` 2 marks bad input (arguments, parameters, a missing
    snapshot), 1 a failure while doing the work.
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
