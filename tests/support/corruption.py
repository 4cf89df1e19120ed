"""Random damage to a JSON-like record, for the ingest property and fuzz tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def corrupt(data: st.DataObject, value: Any, leaves: st.SearchStrategy[Any]) -> Any:
    """`value` with one random key deleted or one random leaf or subtree replaced by a value drawn from `leaves`."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        if data.draw(st.booleans()):
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: corrupt(data, value[key], leaves)}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], corrupt(data, value[index], leaves), *value[index + 1 :]]
    return data.draw(leaves)
