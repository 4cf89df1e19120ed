"""Delivering a message through apprise, one target at a time, and saying what happened to each.

Each target is sent on its own so that one unreachable webhook neither hides
nor blocks the others, and the result names which one failed and why
(apprise's own warning, e.g. a connection error). Everything that comes
back is passed through `redact`, so no key reaches a log, the run history
or the terminal. Attachments go only to services that take them (e-mail, a
JSON webhook); the others get the message without them.
"""

from __future__ import annotations

from dataclasses import dataclass

import apprise

from workbench.notify.messages import Message
from workbench.notify.targets import Target, redact

# Seconds for one target, connection and answer together: a hung webhook must not hold the run.
TIMEOUT = 60


@dataclass(frozen=True)
class Delivery:
    """What happened to one message at one target (shown in its privacy form)."""

    target: str
    ok: bool
    error: str | None = None

    def as_record(self) -> dict[str, object]:
        """The run history's form."""
        return {"target": self.target, "ok": self.ok, "error": self.error}


def _one(message: Message, target: Target, timeout: float) -> Delivery:
    sender = apprise.Apprise()
    sender.add(target.service)
    attach = [str(p) for p in message.attach] if message.attach and target.service.attachment_support else None
    result = sender.notify(
        body=message.body,
        title=message.title,
        notify_type=apprise.NotifyType.SUCCESS if message.success else apprise.NotifyType.FAILURE,
        body_format=apprise.NotifyFormat.TEXT,
        attach=attach,
        timeout=timeout,
    )
    if result:
        return Delivery(target.shown, True)
    said = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")]
    why = "; ".join(said) or f"not delivered ({result.status.name.lower()})"
    return Delivery(target.shown, False, redact(why, [target]))


def deliver(message: Message, targets: list[Target], timeout: float = TIMEOUT) -> list[Delivery]:
    """Send `message` to every target; never raises for a target that cannot be reached."""
    return [_one(message, target, timeout) for target in targets]
