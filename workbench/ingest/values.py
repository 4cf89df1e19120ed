"""Turning loosely typed export values into the contract's types.

Exports disagree about types: ids arrive as strings or bare JSON numbers,
epoch seconds as ints or digit strings, Excel hands back floats for whole
numbers and naive datetimes in local time. Each converter accepts every
shape seen in real files and raises BadValue with a reason a person can act
on for anything else, so one bad field rejects one record, never the run.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workbench.config import TIMEZONE

LOCAL = ZoneInfo(TIMEZONE)
_DIGITS = re.compile(r"^-?\d+$")
_MAX_DIGITS = 20  # a 64-bit integer has at most 19 digits (20 unsigned)
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


class BadValue(ValueError):
    """A field that cannot be read as its contract type; the message is the reason."""


def required(value: Any, what: str) -> Any:
    """`value`, or BadValue saying that `what` is missing."""
    if value is None:
        raise BadValue(f"{what} is missing")
    return value


def text(value: Any, what: str = "text") -> str | None:
    """A trimmed string, or None for missing/empty values."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    return _unicode(result, what) or None


def _unicode(value: str, what: str) -> str:
    """`value` if it is text; BadValue for half a UTF-16 surrogate pair (JSON can escape one: "\\ud800")."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise BadValue(
                f"{what} {value!r} holds {value[err.start]!r}, half of a UTF-16 surrogate pair, which is not text"
            ) from None
    return value


def identifier(value: Any, what: str) -> str | None:
    """An id exactly as the API gives it: strings as they are, JSON integers as digits.

    A JSON float cannot be an id: a 19-digit order id that went through a
    float has already lost its last digits, so it is refused, not rounded.
    """
    if isinstance(value, str):
        return _unicode(value.strip(), what) or None
    if isinstance(value, (bool, dict, list)):
        raise BadValue(f"{what} is {type(value).__name__} {value!r}, expected a string or an integer")
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= 2**53):
        raise BadValue(f"{what} {value!r} is a floating-point number; its digits may be lost, export ids as strings")
    return text(value, what)


def integer(value: Any, what: str, bits: int = 64) -> int | None:
    """An integer from an int, a whole float (Excel) or a digit string (commas allowed).

    It must fit a signed integer of `bits` bits (the contract's BIGINT or
    INTEGER), so an absurd value is a rejected record, not a failed write.
    """
    number = _integer(value, what)
    if number is not None and not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
        raise BadValue(f"{what} {number} does not fit a {bits}-bit integer")
    return number


def _integer(value: Any, what: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(f"{what} is a boolean, expected an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise BadValue(f"{what} {value!r} is not a whole number")
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "")
        if _DIGITS.match(cleaned):
            digits = len(cleaned.lstrip("-").lstrip("0"))
            if digits > _MAX_DIGITS:
                # int() would refuse beyond 4300 digits anyway, with a ValueError that is not a reason.
                raise BadValue(f"{what} has {digits} digits, too many for a 64-bit integer")
            return int(cleaned)
    raise BadValue(f"{what} {value!r} is not an integer")


def epoch(value: Any, what: str) -> datetime | None:
    """Epoch seconds (int or digit string) as an aware UTC datetime."""
    seconds = integer(value, what)
    if seconds is None:
        return None
    if not 0 <= seconds < 10**11:
        raise BadValue(f"{what} {seconds} is not epoch seconds (milliseconds are not used by the API)")
    return datetime.fromtimestamp(seconds, UTC)


def timestamp(value: Any, what: str) -> datetime | None:
    """A table timestamp: ISO text (naive means Asia/Shanghai), epoch seconds or an Excel datetime."""
    if value is None or isinstance(value, datetime):
        return _aware(value) if value is not None else None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=LOCAL)
    raw = text(value, what)
    if raw is None:
        return None
    if _DIGITS.match(raw):
        return epoch(raw, what)
    try:
        return _aware(datetime.fromisoformat(raw.replace("/", "-").replace("Z", "+00:00")))
    except ValueError:
        raise BadValue(
            f"{what} {raw!r} is not a time; write 2025-11-22 10:00:00 (Asia/Shanghai) or ISO with an offset"
        ) from None


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=LOCAL) if moment.tzinfo is None else moment


def day(value: Any, what: str) -> date | None:
    """A calendar date from YYYY-MM-DD (or YYYY/MM/DD) text or an Excel date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value is None:
        return value
    raw = text(value, what)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        raise BadValue(f"{what} {raw!r} is not a date; write it as YYYY-MM-DD") from None


def boolean(value: Any, what: str) -> bool | None:
    """true/false, 1/0, yes/no or 是/否."""
    if value is None or isinstance(value, bool):
        return value
    raw = text(value, what)
    if raw is None:
        return None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise BadValue(f"{what} {raw!r} is not a yes/no value (true/false, 1/0, 是/否)")
