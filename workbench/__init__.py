"""Analytics workbench for WeChat Mini Shop's short-video incentive campaign.

In a notebook: `import workbench as wb; s = wb.open("latest")`, then
`s.kpi("channel_mix", start="2025-11-22", end="2025-11-28")` or `s.sql(...)`.

`open` and `OpenedSnapshot` are loaded on first use (PEP 562): they bring
DuckDB, Polars and PyArrow, which every `workbench` command and module
would otherwise import at start-up, whether it reads a snapshot or not.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from workbench import iri_grammar

iri_grammar.defer()  # before anything loads jsonschema (papermill, Altair): see iri_grammar.py

if TYPE_CHECKING:
    from workbench.kpi.opened import OpenedSnapshot
    from workbench.kpi.opened import open_snapshot as open

__all__ = ["OpenedSnapshot", "open"]
__version__ = "0.1.0"

_LAZY = {"OpenedSnapshot": "OpenedSnapshot", "open": "open_snapshot"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    value = getattr(import_module("workbench.kpi.opened"), _LAZY[name])
    globals()[name] = value
    return value
