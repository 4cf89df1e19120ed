"""The seeded synthetic campaign generator behind `workbench simulate`.

`simulate(seed, scale, cutoff)` writes a snapshot of a deterministic world:
the same seed and scale give the same accounts, content and order lines at
every cutoff, and a later cutoff only moves statuses forward. Modules, in
the order a world is built: settings, catalog, accounts, content, demand,
orders (with lifecycle), traffic; run ties them to the snapshot writer.
"""

from workbench.simulate.run import simulate
from workbench.simulate.settings import DEFAULT_TRUE_LIFT, NAMED_SCALES

__all__ = ["DEFAULT_TRUE_LIFT", "NAMED_SCALES", "simulate"]
