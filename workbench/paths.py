"""Where the project's folders are, and how a snapshot argument is resolved.

Notebooks run with their own folder as working directory and cron runs from
anywhere, so the project root is found from `WORKBENCH_HOME` or from the
installed package itself, never from the working directory alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from workbench.errors import WorkbenchError

PACKAGE_ROOT = Path(__file__).resolve().parent
MANIFEST = "_manifest.json"
_SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def project_root() -> Path:
    """The checkout holding `queries/`, `data/` and `reports/`."""
    env = os.environ.get("WORKBENCH_HOME")
    return Path(env).resolve() if env else PACKAGE_ROOT.parent


def queries_dir() -> Path:
    """The folder of KPI SQL files (always the package's own checkout)."""
    return PACKAGE_ROOT.parent / "queries"


def snapshots_dir() -> Path:
    """The default home of snapshots: `data/snapshots/` under the project root."""
    return project_root() / "data" / "snapshots"


def reports_dir() -> Path:
    """The default home of rendered reports."""
    return project_root() / "reports"


def list_snapshots(root: Path | None = None) -> list[Path]:
    """Complete snapshots (named YYYY-MM-DD, with a manifest), oldest first.

    Half-written snapshots live in dot-folders and have no manifest until
    the very end, so they are never listed.
    """
    base = root or snapshots_dir()
    if not base.is_dir():
        return []
    found = [p for p in base.iterdir() if p.is_dir() and _SNAPSHOT_NAME.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name)


def resolve_snapshot(spec: str | Path, root: Path | None = None) -> Path:
    """Turn `latest`, a snapshot date or a path into a snapshot folder.

    Raises WorkbenchError naming the snapshots that do exist when the
    argument matches none of them.
    """
    base = root or snapshots_dir()
    text = str(spec)
    if text == "latest":
        snaps = list_snapshots(base)
        if not snaps:
            raise WorkbenchError(
                f"no snapshot found in {base}; create one with `workbench simulate --seed 42 --scale demo "
                "--cutoff 2025-12-07` or `workbench ingest`"
            )
        return snaps[-1]
    candidates = [Path(text), base / text]
    for cand in candidates:
        if cand.is_dir():
            if not (cand / MANIFEST).is_file():
                raise WorkbenchError(
                    f"{cand} is not a snapshot: it has no {MANIFEST} (an unfinished write leaves none); "
                    "run `workbench snapshot list` to see complete snapshots"
                )
            return cand.resolve()
    known = ", ".join(p.name for p in list_snapshots(base)) or "none"
    raise WorkbenchError(f"snapshot {text!r} not found (looked at {candidates[0]} and {candidates[1]}); known snapshots in {base}: {known}")
