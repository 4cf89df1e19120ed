"""The guided notebooks compare_weeks.ipynb and drill_shop.ipynb run headless on a generated world.

Like tests/test_notebooks_explore.py: the kernel (`python3`, this interpreter,
named explicitly so the notebooks' `workbench` kernelspec need not be
installed) starts in notebooks/ with this checkout first on PYTHONPATH and
takes its snapshot from WORKBENCH_SNAPSHOT. A world cut off on 2026-01-10 has
every campaign week complete, so the weeks compared have settled GMV.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from workbench.charts.notebook import SVG, VEGALITE_V5
from workbench.paths import PACKAGE_ROOT
from workbench.simulate import simulate

ROOT = PACKAGE_ROOT.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "workbench", "display_name": "Python (workbench)", "language": "python"}


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_notebook_uses_the_workbench_kernel_and_is_committed_clean(notebook: str) -> None:
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    assert dict(nb.metadata.kernelspec) == KERNELSPEC
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "run `make strip` before committing"
    assert not any('renderers.enable("svg")' in c.source for c in code), "use charts.use_notebook_renderer()"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(seed=7, scale=30_000, cutoff=date(2026, 1, 10), out=tmp_path_factory.mktemp("world") / "2026-01-10")


def _run(name: str, world: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Execute a notebook; its namespace's frames come back through one last cell."""
    monkeypatch.setenv("WORKBENCH_SNAPSHOT", str(world))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    probe = "import json\nimport polars as pl\n\nframes = {k: v.to_dicts() for k, v in dict(globals()).items() if isinstance(v, pl.DataFrame)}\nprint(json.dumps(frames, default=str))"
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for c in nb.cells[:-1] if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    frames = json.loads(nb.cells[-1].outputs[0]["text"])
    return {"frames": frames, "outputs": outputs}


@pytest.mark.slow
def test_compare_weeks_sets_two_weeks_side_by_side_at_equal_age(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run("compare_weeks.ipynb", world, monkeypatch)
    weeks, change = run["frames"]["weeks"], run["frames"]["change"]
    assert {r["week"] for r in weeks} == {"earlier", "later"}
    later = {r["channel"]: r for r in weeks if r["week"] == "later"}
    earlier = {r["channel"]: r for r in weeks if r["week"] == "earlier"}
    # The later week's age is today: its settled GMV at that age is its settled GMV now.
    assert all(r["settled_at_age_fen"] == r["settled_today_fen"] for r in later.values())
    # The earlier week at the same age has settled no more than it has by now, and something in short video.
    assert all(r["settled_at_age_fen"] <= r["settled_today_fen"] for r in earlier.values())
    assert 0 < earlier["short_video"]["settled_at_age_fen"] < earlier["short_video"]["settled_today_fen"]
    sv = next(r for r in change if r["channel"] == "short_video")
    assert sv["paid_gmv_fen_later"] == later["short_video"]["paid_gmv_fen"]
    assert sv["settled_at_age_change"] == pytest.approx(
        later["short_video"]["settled_at_age_fen"] / earlier["short_video"]["settled_at_age_fen"] - 1
    )
    charts = [o for o in run["outputs"] if VEGALITE_V5 in o.get("data", {})]
    assert len(charts) == 1 and SVG in charts[0]["data"]


@pytest.mark.slow
def test_drill_shop_shows_the_top_short_video_shop(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = _run("drill_shop.ipynb", world, monkeypatch)["frames"]
    mix = {r["channel"]: r for r in frames["shop_mix"]}
    assert mix["short_video"]["paid_gmv_fen"] > 0
    products, videos, cards = frames["top_products"], frames["top_videos"], frames["cards"]
    assert 0 < len(products) <= 10 and 0 < len(videos) <= 10 and cards
    settled = [r["settled_gmv_fen"] for r in products]
    assert settled == sorted(settled, reverse=True)
    assert sum(r["settled_gmv_fen"] for r in products) <= mix["short_video"]["settled_gmv_fen"]
    # Accounts credited with the shop's short-video sales; lines credited to no account are not anyone's.
    assert all(r["shop_paid_gmv_fen"] > 0 for r in cards)
    assert sum(r["shop_paid_gmv_fen"] for r in cards) <= mix["short_video"]["paid_gmv_fen"]
