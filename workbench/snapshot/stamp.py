"""The record that a snapshot passed full verification, and the cheap check readers make against it.

Full `verify` hashes every file and runs the data rules: minutes on a large
snapshot, too slow for every `kpi` call, and the old quick check (sizes and
parquet footers) let a roll-up rewritten at the same size through. So the
full check runs once, when a snapshot is published (or when a person asks
with `workbench snapshot verify --fix-stamp`), and its sound result is
written as `_verified.json` beside the manifest: the manifest's SHA-256
and, for every file a reader reads, its size and modification time in
nanoseconds. Readers (`store.resolve`, `OpenedSnapshot`) compare that with
the files on disk, hashing only the small manifest: any rewrite, added,
removed or touched file, or an edited manifest, makes them refuse the
snapshot with one line naming the file and the fix.

What the cheap check cannot see: a file rewritten and then given back its
old size and mtime on purpose (`touch -d`); full `verify` still finds it.
A copy that keeps mtimes (`cp -a`, `rsync -a`) stays trusted, one that does
not must be verified again.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from workbench.errors import WorkbenchError
from workbench.snapshot import aggregates, contract
from workbench.snapshot.layout import shown
from workbench.snapshot.manifest import MANIFEST
from workbench.snapshot.read import table_files
from workbench.snapshot.verify import Problem, blocking, verify

STAMP = "_verified.json"
STAMP_VERSION = 1


def read_files(folder: Path) -> list[Path]:
    """Every file a reader of the snapshot reads besides the manifest: table parts and roll-ups."""
    found = [f for table in contract.TABLES for f in table_files(folder, table)]
    found += [f for name in aggregates.AGGREGATES for f in aggregates.files(folder, name)]
    return found


def _state(folder: Path) -> dict[str, Any]:
    """What the stamp pins: the manifest's SHA-256 and each read file's size and mtime."""
    try:
        manifest = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        manifest = b""
    files = {}
    for path in read_files(folder):
        info = path.stat()
        files[path.relative_to(folder).as_posix()] = {"bytes": info.st_size, "mtime_ns": info.st_mtime_ns}
    return {"manifest_sha256": hashlib.sha256(manifest).hexdigest(), "files": files}


def _write(folder: Path, state: dict[str, Any], notes: list[Problem]) -> None:
    """Write the stamp atomically, so a reader sees the old stamp or the new one."""
    stamp = {
        "stamp_version": STAMP_VERSION,
        "verified_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "checks": "full",
        # Findings that do not change the numbers (workbench.snapshot.verify.Problem.blocking).
        "notes": [str(p) for p in notes],
        **state,
    }
    scratch = folder / f".{STAMP}.{uuid.uuid4().hex[:8]}.tmp"
    scratch.write_text(json.dumps(stamp, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(scratch, folder / STAMP)


def verify_and_record(folder: Path, computed: Mapping[str, pa.Table] | None = None) -> list[Problem]:
    """Run full verification; record the stamp unless a problem blocks it. Returns every problem found.

    The files are looked at before and after the check and the stamp pins
    the state the check saw, so a file changed while it ran is never blessed.
    `computed`: roll-ups just computed from this folder's order lines (verify.verify).
    """
    folder = Path(folder)
    before = _state(folder)
    problems = verify(folder, computed=computed)
    if blocking(problems):
        return problems
    if _state(folder) != before:
        raise WorkbenchError(f"{shown(folder)} changed while it was being verified; run the check again", 1)
    _write(folder, before, problems)
    return problems


def mismatch(folder: Path) -> str | None:
    """What no longer matches the stamp, in a few words; `never verified` if there is none; None if all match."""
    folder = Path(folder)
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "never verified"
    except (OSError, ValueError):
        return f"its stamp {STAMP} is unreadable"
    if not isinstance(stamp, dict) or not isinstance(stamp.get("files"), dict):
        return f"its stamp {STAMP} is unreadable"
    now = _state(folder)
    if now["manifest_sha256"] != stamp.get("manifest_sha256"):
        return f"{MANIFEST} was edited"
    was = stamp["files"]
    for rel in sorted(set(was) | set(now["files"])):
        if rel not in now["files"]:
            return f"{rel} was removed"
        if rel not in was:
            return f"{rel} was added"
        if now["files"][rel] != was[rel]:
            return f"{rel} was rewritten or touched (size or modification time differs from the stamp)"
    return None


def require(folder: Path) -> None:
    """Refuse (exit 2) a snapshot that was never verified or whose files no longer match its stamp."""
    what = mismatch(folder)
    if what is None:
        return
    name = shown(folder)
    if what == "never verified":
        raise WorkbenchError(
            f"snapshot {name} was never verified (it has no {STAMP}: written by another tool, an older workbench "
            f"or without checks); run `workbench snapshot verify {name} --fix-stamp` to check it fully and record it"
        )
    raise WorkbenchError(
        f"snapshot {name} changed after it was verified: {what}; if that was a deliberate repair run "
        f"`workbench snapshot verify {name} --fix-stamp`, otherwise re-ingest or re-simulate it"
    )
