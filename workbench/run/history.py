"""`reports/runs.jsonl`: one line per scheduled run, and the health check monitoring asks of it.

Each line is a JSON object: start and end (Asia/Shanghai), the command and
its parameters (notification targets only in their privacy form), the
snapshot and its manifest's SHA-256, the outcome, the failed step and its
error, each step's duration in seconds, and what happened to each
notification. Lines are only ever appended, one `write` each, by the run
that holds the run lock; a line cut short by a crash is skipped when read.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.paths import RUN_HISTORY

HISTORY = RUN_HISTORY
SUCCESS = "success"
FAILED = "failed"
_AGE = re.compile(r"^(\d+)([smhdw])$")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def append(folder: Path, record: dict[str, Any]) -> Path:
    """Add one run's line to `<folder>/runs.jsonl`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / HISTORY
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(line)
    return path


def read(folder: Path) -> list[dict[str, Any]]:
    """Every readable run, oldest first; none when there is no history yet."""
    try:
        text = (folder / HISTORY).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    runs = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            runs.append(record)
    return runs


def latest(folder: Path) -> dict[str, Any] | None:
    """The most recent run, or None."""
    runs = read(folder)
    return runs[-1] if runs else None


def parse_age(text: str) -> timedelta:
    """`8d`, `36h`, `90m`, `2w` or `600s` as a duration; anything else is refused (exit 2)."""
    found = _AGE.match(text.strip())
    if not found:
        raise WorkbenchError(f"--max-age {text!r} is not a duration; give a number and a unit: 8d, 36h, 90m, 2w")
    return timedelta(**{_UNIT[found.group(2)]: int(found.group(1))})


def check(folder: Path, max_age: timedelta, now: datetime) -> tuple[bool, str]:
    """Whether the latest run succeeded no longer than `max_age` before `now`, and one line saying so."""
    last = latest(folder)
    if last is None:
        return False, f"no run recorded in {folder / HISTORY}"
    ended = datetime.fromisoformat(last["end"])
    age = now - ended
    when = f"the latest run (ended {last['end']}, {_hours(age)} ago)"
    if last.get("outcome") != SUCCESS:
        return False, f"{when} failed at {last.get('failed_step')}: {last.get('error')}"
    if age > max_age:
        return False, f"{when} succeeded, but that is longer ago than --max-age {_hours(max_age)}"
    return True, f"ok: {when} succeeded"


def _hours(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
