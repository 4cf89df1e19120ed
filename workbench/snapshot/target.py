"""What `--out` may replace: nothing but a snapshot the workbench can account for.

`simulate --out` and `ingest --out` name the dated snapshot they publish.
Replacing it retires whatever was there, and gc later deletes it, so a
target that exists must be a snapshot: our link to a version folder, or a
plain snapshot folder holding only its manifest, its stamp, the files its
manifest lists and ingest's `_rejected/` records. Anything else (someone's
thesis, a stray file in a table folder) is refused before any work starts,
and the folder is left exactly as it was.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.snapshot.layout import version_of
from workbench.snapshot.manifest import MANIFEST, read_raw
from workbench.snapshot.stamp import STAMP

# Folders a snapshot may carry that its manifest does not list: ingest's
# left-out records (workbench.ingest.quarantine) and the state its next
# incremental load starts from (workbench.ingest.pipeline.STATE).
UNLISTED_FOLDERS = ("_rejected", "_ingest")
_KEEP = "it was left untouched: move it away or choose another --out"


def check_target(out: Path, snapshot_date: date) -> None:
    """Refuse (exit 2) an `--out` that is not named after the date or holds anything but a snapshot."""
    out = Path(out)
    name = snapshot_date.isoformat()
    if out.name != name:
        raise WorkbenchError(
            f"--out {out} must be a folder named after the cutoff date, e.g. {out.parent / name}; "
            "readers and `snapshot verify` know a snapshot by that name"
        )
    if not os.path.lexists(out):
        return
    if out.is_symlink():
        if version_of(out) is None:
            raise WorkbenchError(f"--out {out} is a link to {os.readlink(out)}, not a published snapshot; {_KEEP}")
        return
    if not out.is_dir():
        raise WorkbenchError(f"--out {out} is a file, not a workbench snapshot; {_KEEP}")
    why = _not_a_snapshot(out)
    if why:
        raise WorkbenchError(f"--out {out} {why}; {_KEEP}")


def _listed(raw: dict[str, Any]) -> set[str]:
    """Every file path the manifest lists, tables and roll-ups, read defensively (the JSON may be odd)."""
    paths = set()
    for group in ("tables", "aggregates"):
        entries = raw.get(group)
        for entry in entries.values() if isinstance(entries, dict) else []:
            files = entry.get("files") if isinstance(entry, dict) else None
            for info in files if isinstance(files, list) else []:
                if isinstance(info, dict) and isinstance(info.get("path"), str):
                    paths.add(info["path"])
    return paths


def _not_a_snapshot(folder: Path) -> str | None:
    """Why the real folder `folder` may not be replaced, or None when it holds a snapshot and nothing else."""
    try:
        raw = read_raw(folder)
    except WorkbenchError:
        return f"exists and is not a workbench snapshot (no readable {MANIFEST})"
    allowed = _listed(raw) | {MANIFEST, STAMP}
    for here, folders, files in os.walk(folder):
        rel = Path(here).relative_to(folder)
        if rel.parts and rel.parts[0] in UNLISTED_FOLDERS:
            continue
        links = [name for name in folders if (Path(here) / name).is_symlink()]
        for name in sorted(files + links):
            path = (rel / name).as_posix()
            if path not in allowed:
                return f"holds {path}, which is not part of the snapshot there"
    return None
