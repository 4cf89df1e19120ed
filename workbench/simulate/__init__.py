"""The seeded synthetic campaign generator behind `workbench simulate`.

`simulate(seed, scale, cutoff)` writes a snapshot of a deterministic world:
the same seed and scale give the same accounts, content and order lines at
every cutoff, and a later cutoff only moves statuses forward. Modules, in
the order a world is built: settings, catalog, accounts, content, demand,
orders (with lifecycle), traffic; run ties them to the snapshot writer.
`simulate` is loaded on first use (PEP 562), so that reading the settings
(the CLI's option defaults) does not import the generator and its writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.simulate.settings import DEFAULT_TRUE_LIFT, NAMED_SCALES

if TYPE_CHECKING:
    from workbench.simulate.run import simulate

__all__ = ["DEFAULT_TRUE_LIFT", "NAMED_SCALES", "simulate"]


def __getattr__(name: str) -> Any:
    if name != "simulate":
        raise AttributeError(f"module 'workbench.simulate' has no attribute {name!r}")
    from workbench.simulate.run import simulate

    return simulate
