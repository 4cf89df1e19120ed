"""Unwrapping API responses: the full response, the bare object, or a clear refusal.

People save what the API returned (`{"errcode": 0, "order": {...}}`), just
the object, or data re-wrapped by a service provider. The first two are
read; a failed call (`errcode != 0`) and any other wrapper are rejected
with a reason that names what was found, so the user can tell a provider's
format from a broken file.
"""

from __future__ import annotations

from typing import Any

from workbench.ingest.values import BadValue


def unwrap(raw: Any, inner: str, id_key: str) -> dict[str, Any]:
    """The API object inside `raw`: `raw[inner]` of a successful response, or `raw` itself."""
    if not isinstance(raw, dict):
        raise BadValue(f"record is a JSON {type(raw).__name__}, expected an object")
    if "errcode" in raw:
        if raw["errcode"] not in (0, "0"):
            raise BadValue(f"API call failed: errcode {raw['errcode']!r}, errmsg {raw.get('errmsg')!r}")
        if not isinstance(raw.get(inner), dict):
            raise BadValue(f"response has errcode 0 but no {inner!r} object")
        return raw[inner]
    if id_key in raw:
        return raw
    raise BadValue(
        f"unknown envelope, keys: {', '.join(sorted(map(str, raw)))} (expected a bare object with {id_key!r} or an API response with {inner!r})"
    )


def section(obj: dict[str, Any], *path: str) -> Any:
    """obj[path[0]][path[1]]..., or None where any level is missing or not an object."""
    current: Any = obj
    for key in path:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current
