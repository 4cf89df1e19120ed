"""notebooks/explore.ipynb runs top to bottom on a generated world and is committed clean.

The kernel starts in notebooks/ (where `make lab` opens it) with this
checkout first on PYTHONPATH, so it imports the code under test, and takes
its snapshot from WORKBENCH_SNAPSHOT as an analyst would set it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from workbench.paths import PACKAGE_ROOT
from workbench.simulate import simulate

ROOT = PACKAGE_ROOT.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
SVG = "image/svg+xml"
VEGALITE_V5 = "application/vnd.vegalite.v5+json"


def test_explore_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "explore.ipynb has no code cells"
    assert all(not c.outputs and c.execution_count is None for c in code), "run `make strip` before committing"


@pytest.mark.slow
def test_explore_runs_top_to_bottom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = simulate(seed=7, scale=30_000, cutoff=date(2025, 12, 21), out=tmp_path / "2025-12-21")
    monkeypatch.setenv("WORKBENCH_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    charts = [o for o in outputs if SVG in o.get("data", {})]
    drawn = [c for c in nb.cells if c.cell_type == "code" and "charts." in c.source.replace("charts.use_", "")]
    assert len(charts) == len(drawn) == 8
    # The workbench renderer: live Vega-Lite v5 for JupyterLab beside the SVG.
    assert all(VEGALITE_V5 in o["data"] for o in charts)
    first = nb.cells[1].outputs[0]["data"]["text/plain"]
    assert str(snapshot) in first
