"""Where notifications go: apprise URLs from `--notify` or `WORKBENCH_NOTIFY`, checked before any work starts.

An apprise URL carries the webhook key or mail password itself
(`wecombot://KEY`), so the URL as typed must never be printed, logged or
stored. Each target keeps apprise's privacy form (`wecombot://a...z/`) for
anything shown, and the pieces of the typed URL that the privacy form
hides, so that `redact` can scrub them from text that came from elsewhere
(an error message of a library, a log line).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import apprise

ENV = "WORKBENCH_NOTIFY"
HIDDEN = "****"
# Pieces shorter than this are not scrubbed from text: they would match ordinary words.
_MIN_SECRET = 4
_PIECES = re.compile(r"[/:@?&=#,+]")


@dataclass(frozen=True)
class Target:
    """One place a notification goes: the apprise service, its privacy form, what must never be shown."""

    service: apprise.plugins.NotifyBase
    shown: str
    secrets: tuple[str, ...]


def _secrets(url: str, shown: str) -> tuple[str, ...]:
    """The typed URL and every piece of it (and its decoded form) that the privacy form does not show."""
    pieces = {url} if url not in shown else set()
    for piece in _PIECES.split(url):
        for form in (piece, unquote(piece)):
            if len(form) >= _MIN_SECRET and form not in shown:
                pieces.add(form)
    # Longest first, so a secret that contains another is scrubbed whole.
    return tuple(sorted(pieces, key=len, reverse=True))


def target(url: str, position: int) -> Target:
    """One checked target; an unusable URL is refused (exit 2) without repeating it: it may hold a key."""
    import apprise  # here: every command loads this module to check --notify, few send anything

    service = apprise.Apprise.instantiate(url)
    if service is None:
        scheme = url.split("://", 1)[0] if "://" in url else "?"
        raise WorkbenchError(
            f"notification target {position} (scheme {scheme!r}) is not a URL apprise can send to; "
            "check it against https://appriseit.com/services/ (e.g. wecombot://KEY, dingtalk://SECRET@TOKEN/, "
            "feishu://TOKEN, mailtos://user:password@example.com?to=team@example.com)"
        )
    private = service.url(privacy=True)
    # The query holds apprise's defaults (retry, overflow); what identifies the target is before it.
    return Target(service, private.split("?", 1)[0], _secrets(url, private))


def targets(urls: list[str] | None) -> list[Target]:
    """The targets of `--notify` when given, else of `WORKBENCH_NOTIFY` (space-separated); none is fine."""
    given = list(urls) if urls else os.environ.get(ENV, "").split()
    return [target(url, number) for number, url in enumerate(given, start=1)]


def redact(text: str, where: list[Target]) -> str:
    """`text` with every secret of the targets replaced by ****."""
    for one in where:
        for secret in one.secrets:
            text = text.replace(secret, HIDDEN)
    return text
