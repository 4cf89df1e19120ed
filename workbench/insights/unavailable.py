"""Why a method cannot run on a snapshot, as a key a page can put into words.

The terminal gets the English message of the WorkbenchError; a report page
in another language cannot use that text, so the error also carries a
reason (one of REASONS) and the facts it names. The words live in the
catalogue (`report.unavailable_<reason>`), not here: insights stays free
of presentation.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError

REASONS = ("nowcast_history", "nowcast_open", "lift_before_campaign", "lift_groups")


class MethodUnavailable(WorkbenchError):
    """A method has too little to work with on this snapshot (exit 2: use another snapshot or window)."""

    def __init__(self, message: str, reason: str, **facts: object) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}; add it to REASONS and the catalogue")
        super().__init__(message)
        self.reason = reason
        self.facts = facts
