"""Where the project's folders are, and where the package's own files are.

Notebooks run with their own folder as working directory and cron runs from
anywhere, so the project folder is `WORKBENCH_HOME` or, failing that, the
current working directory when it is a checkout (it has `queries/`), else
the checkout the package was imported from. The KPI queries and the report
notebook are package data: an installed wheel carries copies under
`workbench/_data/`, built from the repository's top-level `queries/` and
`notebooks/`, which stay the one source.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
# Where a wheel puts the top-level queries/ and notebooks/ (see pyproject.toml).
_SHIPPED = PACKAGE_ROOT / "_data"
_CHECKOUT = PACKAGE_ROOT.parent
# The run history in the reports folder: written by `workbench run`, flagged by the index.
RUN_HISTORY = "runs.jsonl"


def _package_file(name: str) -> Path:
    """A shipped folder (`queries`, `notebooks`): the wheel's copy, else the checkout's."""
    shipped = _SHIPPED / name
    return shipped if shipped.is_dir() else _CHECKOUT / name


def project_root() -> Path:
    """The project folder holding `data/` and `reports/`: WORKBENCH_HOME, else the checkout, else the working directory."""
    env = os.environ.get("WORKBENCH_HOME")
    if env:
        return Path(env).resolve()
    if (_CHECKOUT / "queries").is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return _CHECKOUT
    return Path.cwd().resolve()


def queries_dir() -> Path:
    """The folder of KPI SQL files shipped with the package."""
    return _package_file("queries")


def notebooks_dir() -> Path:
    """The folder of the report notebook shipped with the package."""
    return _package_file("notebooks")


def snapshots_dir() -> Path:
    """The default home of snapshots: `data/snapshots/` under the project root."""
    return project_root() / "data" / "snapshots"


def reports_dir() -> Path:
    """The default home of rendered reports."""
    return project_root() / "reports"
