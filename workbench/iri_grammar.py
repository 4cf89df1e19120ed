"""jsonschema's IRI check with its grammar built when an IRI is checked, not when jsonschema loads.

jsonschema (4.26) imports `rfc3987_syntax` as it loads whenever that package
is installed, and JupyterLab's `jsonschema[format-nongpl]` installs it. That
package builds four Earley parsers of the RFC 3987 grammar at import: about
0.7 s of CPU, paid by every process that loads papermill (nbformat) or
Altair, i.e. twice per rendered report, for a format ("iri") that no schema
we validate uses. `defer()` puts a stand-in in its place until an IRI is
actually checked or any other name of the module is used; then the real
module is imported and takes over, so jsonschema behaves exactly as before.
The upstream request is python-jsonschema/jsonschema#1428.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

NAME = "rfc3987_syntax"


class _StandIn(types.ModuleType):
    """`rfc3987_syntax` until something uses it: `is_valid_syntax` (jsonschema's one use) or any other name."""

    def is_valid_syntax(self, term: str, value: str) -> bool:
        return real().is_valid_syntax(term, value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking (`__path__`, ...) is not a use
            raise AttributeError(name)
        return getattr(real(), name)


def defer() -> None:
    """Stand in for `rfc3987_syntax` if it is installed and neither it nor jsonschema is loaded yet."""
    if NAME in sys.modules or "jsonschema" in sys.modules:
        return
    spec = importlib.util.find_spec(NAME)
    if spec is None:
        return
    stand_in = _StandIn(NAME)
    stand_in.__spec__ = spec
    sys.modules[NAME] = stand_in


def real() -> types.ModuleType:
    """The real module, imported in the stand-in's place on first use."""
    if isinstance(sys.modules.get(NAME), _StandIn):
        del sys.modules[NAME]
    return importlib.import_module(NAME)
