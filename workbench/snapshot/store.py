"""Which snapshots exist, and turning what a user typed into one of them.

A snapshot is named by its folder (`data/snapshots/2026-01-10/`), by its
date, or as `latest`; every command and `wb.open` resolves that once, here,
into a `Manifest` that is passed down from then on. Resolving follows the
dated link to the version folder published at that moment
(workbench.snapshot.layout).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import snapshots_dir
from workbench.snapshot import stamp
from workbench.snapshot.manifest import MANIFEST, Manifest

_SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _has_manifest(folder: Path) -> bool:
    """Whether `folder` holds a manifest; True when it cannot be told (e.g. no permission to look).

    Such a folder is listed so that reading it reports what is wrong; leaving
    it out would make `latest` silently fall back to an older snapshot.
    """
    try:
        return stat.S_ISREG((folder / MANIFEST).stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def list_snapshots(root: Path | None = None) -> list[Path]:
    """Complete snapshots (named YYYY-MM-DD, with a manifest), oldest first.

    Half-written snapshots live in dot-folders and have no manifest until
    the very end, so they are never listed. A listed snapshot's manifest may
    still be unreadable or damaged: `Manifest.read` says so when it is read.
    """
    base = root or snapshots_dir()
    if not base.is_dir():
        return []
    found = [p for p in base.iterdir() if p.is_dir() and _SNAPSHOT_NAME.match(p.name) and _has_manifest(p)]
    return sorted(found, key=lambda p: p.name)


def resolve_path(spec: str | Path, root: Path | None = None) -> Path:
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
        return snaps[-1].resolve()
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
    raise WorkbenchError(
        f"snapshot {text!r} not found (looked at {candidates[0]} and {candidates[1]}); known snapshots in {base}: {known}"
    )


def resolve(spec: str | Path | Manifest, root: Path | None = None) -> Manifest:
    """The snapshot a user named, read once and found unchanged since it was verified; a Manifest passes through.

    Every reader that computes numbers starts here (`kpi`, `wb.open`, the
    report's parameters before a kernel starts), so a snapshot that was
    never verified or whose files no longer match its stamp is refused
    (workbench.snapshot.stamp) before any number is computed.
    """
    if isinstance(spec, Manifest):
        return spec
    manifest = Manifest.read(resolve_path(spec, root))
    stamp.require(manifest.path)
    return manifest
