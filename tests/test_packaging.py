"""The wheel works on its own: built from the checkout, installed into a fresh
venv outside it (the locked dependencies, then the wheel), and run from a
project folder that is not a checkout.

It must carry the KPI queries and the report notebook (copied from the
top-level queries/ and notebooks/ under workbench/_data/), the catalogue and
the report template, and nothing of tests/, bench/ or the polars test oracle.
The venv install is most of the time (about 40 s of about 55 s, with a warm
pip cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHANNEL_MIX_HEADER = "channel,order_lines,paid_gmv_fen,settled_gmv_fen,settled_share"
# 50k order lines: the smallest round scale whose weekly report renders
# (at 20k the lift chart of a two-day campaign week has no values).
SIMULATE = ["simulate", "--seed", "3", "--scale", "50000", "--cutoff", "2025-12-14"]


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env(extra_path: Path | None = None) -> dict[str, str]:
    """The environment minus anything that points back at the checkout or its venv."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("WORKBENCH_HOME", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder that is not inside the checkout."""
    tmp = tmp_path_factory.mktemp("packaging")
    assert ROOT not in tmp.resolve().parents, f"{tmp} is inside the checkout"
    return tmp


@pytest.fixture(scope="module")
def wheel(outside: Path) -> Path:
    # The locked hatchling in this venv builds it, so nothing is fetched.
    out = outside / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out, ROOT],
        cwd=outside,
        env=_clean_env(),
    )
    (built,) = out.glob("workbench-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(outside: Path, wheel: Path) -> Path:
    """A fresh venv (no system site-packages) with the locked deps and the wheel; returns its bin/."""
    venv = outside / "venv"
    env = _clean_env()
    _run([sys.executable, "-m", "venv", venv], cwd=outside, env=env)
    bin_dir = venv / "bin"
    # No .pyc compiling: the venv is thrown away, and compiling is a third of the install.
    pip = [bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-compile"]
    _run([*pip, "-r", ROOT / "requirements" / "dev.lock"], cwd=outside, env=env, timeout=900)
    _run([*pip, "--no-deps", wheel], cwd=outside, env=env)
    return bin_dir


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_sql = {
        f"workbench/_data/queries/{p.relative_to(ROOT / 'queries')}" for p in (ROOT / "queries").rglob("*.sql")
    }
    template = {
        f"workbench/{p.relative_to(ROOT / 'workbench')}" for p in (ROOT / "workbench/report/template").rglob("*")
    }
    expected = {
        "workbench/_data/queries/channel_mix.sql",
        "workbench/_data/queries/shared/definitions.sql",
        "workbench/_data/queries/aggregates/sales_daily.sql",
        *(f"workbench/_data/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")),
        "workbench/catalogue.toml",
        "workbench/engine/spark_functions.txt",
        "workbench/report/template/weekly/index.html.j2",
        "workbench/cli/__init__.py",
        *shipped_sql,
        *(t for t in template if (ROOT / t).is_file()),
    }
    assert expected - names == set()
    unwanted = [
        n
        for n in names
        if n.startswith(("tests/", "bench/", "workbench/tests/", "workbench/bench/"))
        or Path(n).name.startswith("polars_kpis")
        or "__pycache__" in n
        or n.endswith(".pyc")
    ]
    assert unwanted == []


def test_installed_wheel_runs_outside_the_checkout(installed: Path, outside: Path) -> None:
    project = outside / "project"
    project.mkdir()
    env = _clean_env(installed)
    python, workbench = installed / "python", installed / "workbench"

    # The wheel's own copies are what the package reads, not the checkout's.
    where = _run(
        [python, "-c", "import workbench.paths as p; print(p.queries_dir()); print(p.notebooks_dir())"],
        cwd=project,
        env=env,
    ).split()
    site = installed.parent / "lib"
    assert all(Path(w).is_relative_to(site) and "_data" in Path(w).parts for w in where), where

    _run([workbench, *SIMULATE], cwd=project, env=env)
    assert (project / "data" / "snapshots" / "2025-12-14" / "_manifest.json").is_file()

    csv = _run(
        [workbench, "kpi", "channel_mix", "--start", "2025-11-22", "--end", "2025-11-28", "--format", "csv"],
        cwd=project,
        env=env,
    ).splitlines()
    assert csv[0] == CHANNEL_MIX_HEADER
    assert len(csv) > 1

    html = Path(_run([workbench, "report", "--latest"], cwd=project, env=env).strip().splitlines()[-1])
    assert html.suffix == ".html"
    assert html.is_file()
    assert html.resolve().is_relative_to((project / "reports").resolve())
