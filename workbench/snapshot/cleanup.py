"""`workbench snapshot gc`: remove what no published snapshot needs, never what someone is using.

Runs after every publish and on demand. It removes

- version folders under `.versions/` that no dated link refers to: the
  version a republish retired, a write that failed or died before its
  link was swapped (`.versions/` is the workbench's own: anything else put
  there is removed too);
- leftovers in the snapshots folder of interrupted publishes: `.<date>.link-*`
  (a link never swapped in, or a pre-version folder swapped out),
  and the `.<date>.tmp-*` / `.<date>.old-*` folders the writer before
  versioned snapshots left behind when it crashed.

A folder is removed only after taking its exclusive lock without waiting
(workbench.snapshot.hold), so one that an open snapshot or a running
writer holds, in any process, is kept for a later run; a version is also
checked again, under the lock, to be unreferenced. A leftover that holds a
complete snapshot of a date with no published snapshot is the only copy
of that date (the old writer's crash between its two renames hid it); it is
kept and reported with how to restore it.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from workbench.snapshot import hold
from workbench.snapshot.layout import VERSIONS, dated_name, version_of
from workbench.snapshot.manifest import MANIFEST

_LEFTOVER = re.compile(r"^\.(\d{4}-\d{2}-\d{2})\.(?:tmp|old|link)-[0-9a-f]+$")
_TRASH = ".trash-"


@dataclass
class Collected:
    """What one gc run removed, and what it kept with the reason."""

    removed: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)


def _published(root: Path) -> set[str]:
    """Dates whose dated name shows a complete snapshot now."""
    return {p.name for p in root.iterdir() if not p.name.startswith(".") and (p / MANIFEST).is_file()}


def _referenced(version: Path) -> bool:
    """Whether the dated link of `version`'s date refers to it."""
    root = version.parent.parent
    return version_of(root / dated_name(version)) == version.name


def _remove(folder: Path, versions: Path, result: Collected, still_needed: bool = False) -> None:
    """Move `folder` to a trash name in `versions` under its lock, then delete it; keep it if it is in use.

    After the move nothing can reach the folder by its old name, so a
    reader waiting for its lock finds it gone and resolves the date again;
    a delete cut short leaves only a `.trash-*` folder, which the next run
    removes.
    """
    held = hold.exclusive(folder)
    if held is None:
        if os.path.lexists(folder):
            result.kept.append((folder, "in use by an open snapshot or a running write; run gc again later"))
        return
    with held:
        if still_needed and _referenced(folder):
            return
        trash = versions / f"{_TRASH}{folder.name}-{uuid.uuid4().hex[:8]}"
        try:
            versions.mkdir(exist_ok=True)
            os.rename(folder, trash)
        except OSError as err:
            result.kept.append((folder, f"could not be removed: {err}"))
            return
    _delete(trash, folder, result)


def _delete(trash: Path, shown_as: Path, result: Collected) -> None:
    try:
        shutil.rmtree(trash)
    except OSError as err:
        result.kept.append((trash, f"could not be removed: {err}"))
        return
    result.removed.append(shown_as)


def _versions(root: Path, result: Collected) -> None:
    versions = root / VERSIONS
    if not versions.is_dir():
        return
    for entry in sorted(versions.iterdir()):
        if entry.is_symlink():
            continue
        if entry.name.startswith(_TRASH):
            _delete(entry, entry, result)
        elif not _referenced(entry):
            _remove(entry, versions, result, still_needed=True)


def _leftovers(root: Path, result: Collected) -> None:
    published = _published(root)
    for entry in sorted(root.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if not match:
            continue
        if entry.is_symlink():
            try:
                os.unlink(entry)
            except OSError as err:
                result.kept.append((entry, f"could not be removed: {err}"))
            else:
                result.removed.append(entry)
            continue
        day = match.group(1)
        if day not in published and (entry / MANIFEST).is_file():
            result.kept.append(
                (
                    entry,
                    f"the only copy of {day}, which has no published snapshot; rename it to {root / day} "
                    f"and run `workbench snapshot verify {root / day} --fix-stamp` to restore it, or delete it",
                )
            )
            continue
        _remove(entry, root / VERSIONS, result)


def collect(root: Path) -> Collected:
    """Remove unreferenced versions and leftovers under the snapshots folder `root`."""
    root = Path(root)
    result = Collected()
    if root.is_dir():
        _versions(root, result)
        _leftovers(root, result)
    return result
