"""Whether two engines gave the same frame: the one rule the Spark tests and the benchmark check equality by.

Integers, text, dates and booleans must be equal exactly; floats within
1e-12 relative (a sum of doubles may add its parts in another order on
another engine). The dtypes may differ where the engines' SQL types do
(DuckDB's HUGEINT sum against Spark's BIGINT); the values may not.
"""

from __future__ import annotations

import math

import polars as pl

RELATIVE = 1e-12


def _close(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        a, b = float(left), float(right)  # type: ignore[arg-type]
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or abs(a - b) <= RELATIVE * max(abs(a), abs(b))
    return left == right


def differences(expected: pl.DataFrame, got: pl.DataFrame) -> list[str]:
    """Where `got` differs from `expected`: columns, row count, then the first differing value of each column."""
    if expected.columns != got.columns:
        return [f"columns {got.columns}, expected {expected.columns}"]
    if expected.height != got.height:
        return [f"{got.height} rows, expected {expected.height}"]
    found = []
    for column in expected.columns:
        for row, (a, b) in enumerate(zip(expected[column].to_list(), got[column].to_list(), strict=True)):
            if not _close(a, b):
                found.append(f"{column} row {row}: {b!r}, expected {a!r}")
                break
    return found
