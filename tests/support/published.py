"""What a snapshots folder holds after a run, for tests that check nothing was left behind."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.snapshot.layout import VERSIONS


def published(root: Path) -> list[str]:
    """The dated snapshots in `root`, after checking its version store holds nothing unreferenced.

    Publishing keeps each snapshot's files in `.versions/` behind the dated
    link; a failed or unfinished run must leave no version there that no
    date points to (and no other entry in `root`).
    """
    names = sorted(os.listdir(root))
    dated = [n for n in names if n != VERSIONS]
    versions = Path(root) / VERSIONS
    referenced = {Path(os.readlink(Path(root) / n)).name for n in dated if (Path(root) / n).is_symlink()}
    stored = set(os.listdir(versions)) if versions.is_dir() else set()
    assert stored <= referenced, f"versions nothing points to: {sorted(stored - referenced)}"
    return dated
