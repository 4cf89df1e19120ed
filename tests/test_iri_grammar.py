"""`import workbench` defers rfc3987_syntax until jsonschema checks an IRI (workbench/iri_grammar.py).

The test installs a stand-in `rfc3987_syntax` of its own that records being
imported, so it runs the same whether or not the real package is installed
(JupyterLab's environment has it, the test environment does not).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FAKE = """
import os
with open(os.environ["IRI_MARK"], "a") as mark:
    mark.write("imported\\n")

def is_valid_syntax(term, value):
    return " " not in value
"""

SCRIPT = """
import os, sys
import workbench, papermill, altair, jsonschema
print(os.path.exists(os.environ["IRI_MARK"]))
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
print(checker.conforms("http://example.com/a", "iri"), checker.conforms("not an iri", "iri"))
print(os.path.exists(os.environ["IRI_MARK"]))
"""


def test_the_iri_grammar_loads_only_when_an_iri_is_checked(tmp_path: Path) -> None:
    package = tmp_path / "site" / "rfc3987_syntax"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(FAKE)
    mark = tmp_path / "imported"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "IRI_MARK": str(mark)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    # Not loaded by papermill's or Altair's jsonschema; loaded, and answering, once an IRI is checked.
    assert out.stdout.split("\n")[:3] == ["False", "True False", "True"]
    assert mark.read_text() == "imported\n"
