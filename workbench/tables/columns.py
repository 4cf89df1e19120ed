"""How a KPI column reads, by its name and type: the one rule the terminal table, display and Excel share.

The metric dictionary's conventions (docs/metrics.md) name the kinds:
money is integer fen in `_fen` columns (and fen per thousand impressions in
`_fen_per_mille`), `_pp` columns are differences of shares in percentage
points, shares and rates are decimals in [0, 1].
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from workbench import text

Kind = Literal["money", "pp", "share", "bool", "date", "count", "number", "label"]


def kind(name: str, dtype: pl.DataType) -> Kind:
    """What a column holds: money (fen), pp, share, bool, date, count (integer), number (float) or label (text)."""
    if name.endswith("_fen") or "_fen_per_" in name:
        return "money"
    if name.endswith("_pp"):
        return "pp"
    if "share" in name or name.endswith("_rate") or name == "ctr":
        return "share"
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_temporal():
        return "date"
    if dtype.is_integer():
        return "count"
    if dtype.is_numeric():
        return "number"
    return "label"


def kinds(frame: pl.DataFrame) -> dict[str, Kind]:
    """Every column's kind, in the frame's order."""
    return {name: kind(name, dtype) for name, dtype in frame.schema.items()}


def labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Text columns with contract codes (channels, categories, tabs) replaced by their labels."""
    text_columns = [c for c, k in kinds(frame).items() if k == "label" and frame.schema[c] == pl.String]
    return frame.with_columns(
        pl.col(c).replace({code: text.label(code, lang) for code in frame[c].drop_nulls().unique().to_list()})
        for c in text_columns
    )
