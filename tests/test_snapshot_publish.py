"""Publishing a snapshot: one atomic step, no gap, and an open snapshot keeps reading its own version.

Issue 12, item 2. A crash is modelled exactly: from the n-th filesystem
call on (rename, replace, symlink, unlink, rmdir, rmtree) every call fails,
so nothing after it reaches the disk, and the test walks n over every call a
republish makes. Whatever n, the date stays visible, `latest` never falls
back to an older date, what is visible is a whole verified snapshot (the old
world or the new), and `workbench snapshot gc` leaves no leftovers.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from outside_snapshot import write_snapshot
from snapshot_builder import build_snapshot

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.kpi.opened import open_snapshot
from workbench.snapshot import layout
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.read import connect
from workbench.snapshot.stamp import verify_and_record
from workbench.snapshot.store import list_snapshots, resolve_path

DATE = "2026-01-10"
OLDER = "2026-01-03"
WINDOW = ("2025-11-22", "2025-12-31")
FS_CALLS = ("rename", "replace", "symlink", "unlink", "rmdir")


def world(*amounts: int, day: int = 1) -> dict[str, list[dict[str, Any]]]:
    """Settled short-video lines of the given amounts (fen), paid on 2025-12-`day`."""
    lines = [
        {
            "order_id": f"37134757526562{day:02d}{i:03d}",
            "line_no": 1,
            "shop_id": "shop1",
            "product_id": "p1",
            "account_id": "sphA",
            "channel": "short_video",
            "content_id": "v1",
            "buyer_id": "b1",
            "quantity": 1,
            "amount_fen": amount,
            "refund_fen": 0,
            "status": "settled",
            "paid_at": f"2025-12-{day:02d}T04:00:00Z",
            "settled_at": "2025-12-09T04:00:00Z",
        }
        for i, amount in enumerate(amounts)
    ]
    return {"orders": lines}


def utc(text: str) -> datetime:
    """An ISO instant as the datetime an outside tool's writer takes."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


OLD_WORLD = world(1_000, day=1)
NEW_WORLD = world(2_000, 3_000, day=2)


def figures(spec: str | Path, root: Path | None = None) -> tuple[int, int]:
    """(short-video settled GMV, order lines) of a snapshot, through `wb.open`."""
    snap = open_snapshot(resolve_path(spec, root))
    try:
        return snap_figures(snap)
    finally:
        snap.close()


def snap_figures(snap: Any) -> tuple[int, int]:
    gmv = snap.kpi("short_video_share", *WINDOW)["short_video_settled_gmv_fen"].item()
    return gmv, snap.sql("select count(*) as n from orders").item()


OLD_FIGURES = (1_000, 1)
NEW_FIGURES = (5_000, 2)


def run_cli(*args: str) -> tuple[int, str, str]:
    """`workbench ARGS` in-process: (exit code, stdout, stderr), captured by hand (used inside loops)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["workbench", *args]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


class Crash(BaseException):
    """The process dies at this call: no `except Exception` cleanup runs, nothing after it reaches the disk."""


def crash_from(monkeypatch: pytest.MonkeyPatch, allowed: int) -> dict[str, int]:
    """Let `allowed` filesystem calls through, then fail every later one with Crash.

    The calls are the os and shutil functions that change names or remove
    anything, and the one-step exchange of a name the publisher uses to
    replace a real folder.
    """
    state = {"calls": 0, "crashed": 0}

    def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if state["calls"] >= allowed:
                state["crashed"] = 1
                raise Crash(fn.__name__)
            state["calls"] += 1
            return fn(*args, **kwargs)

        return inner

    for name in FS_CALLS:
        monkeypatch.setattr(os, name, guard(getattr(os, name)))
    monkeypatch.setattr(shutil, "rmtree", guard(shutil.rmtree))
    monkeypatch.setattr(layout, "exchange", guard(layout.exchange))
    return state


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshots folder with an older date and the date about to be republished."""
    root = tmp_path_factory.mktemp("template") / "snapshots"
    build_snapshot(root, world(700, day=1), snapshot_date=OLDER)
    build_snapshot(root, OLD_WORLD, snapshot_date=DATE)
    return root


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, but DATE is a plain folder, as an outside tool or the writer before versions left it."""
    root = tmp_path_factory.mktemp("plain") / "snapshots"
    build_snapshot(root, world(700, day=1), snapshot_date=OLDER)
    instants = [
        {**line, "paid_at": utc(line["paid_at"]), "settled_at": utc(line["settled_at"])} for line in OLD_WORLD["orders"]
    ]
    plain = write_snapshot(root, {"orders": instants}, DATE)
    assert not [p for p in verify_and_record(plain) if p.blocking]
    return root


def fresh_copy(template: Path, where: Path) -> Path:
    """A copy of the template, links kept as links and mtimes kept (so its stamps still hold)."""
    root = where / "snapshots"
    shutil.copytree(template, root, symlinks=True)
    return root


def republish(root: Path, monkeypatch: pytest.MonkeyPatch, allowed: int) -> bool:
    """Republish DATE with NEW_WORLD, dying after `allowed` filesystem calls; whether it died."""
    with monkeypatch.context() as patched:
        state = crash_from(patched, allowed)
        with contextlib.suppress(Crash):
            build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    return bool(state["crashed"])


def assert_sound_after(root: Path) -> None:
    """The date is visible and is the latest, whole and verified; gc then leaves only the current versions."""
    assert [p.name for p in list_snapshots(root)] == [OLDER, DATE]
    seen = figures("latest", root)
    assert seen in (OLD_FIGURES, NEW_FIGURES)
    code, _, err = run_cli("snapshot", "gc", "--root", str(root))
    assert code == 0, err
    assert sorted(p.name for p in root.iterdir() if p.name != ".versions") == [OLDER, DATE]
    versions = root / ".versions"
    held = sorted(p.name for p in versions.iterdir()) if versions.is_dir() else []
    current = [resolve_path(name, root) for name in (OLDER, DATE)]
    pointed = sorted(path.name for path in current if layout.is_version(path))
    assert held == pointed or not versions.is_dir()
    assert figures(DATE, root) == seen


@pytest.mark.parametrize("kind", ["version", "plain folder"])
def test_a_crash_at_any_step_of_a_republish_never_hides_the_date(
    template: Path, plain_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    allowed = 0
    while True:
        root = fresh_copy(template if kind == "version" else plain_template, tmp_path / f"crash-{allowed:03d}")
        died = republish(root, monkeypatch, allowed)
        assert_sound_after(root)
        if not died:
            assert figures(DATE, root) == NEW_FIGURES
            break
        allowed += 1
        assert allowed < 200, "the republish never finished"


def test_an_exception_while_publishing_leaves_the_old_version_current(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary error (disk full, permission) in the swap: the old world stays, the error reaches the caller."""
    root = fresh_copy(template, tmp_path)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", refuse)
        patched.setattr(os, "rename", refuse)
        with pytest.raises(OSError, match="No space left"):
            build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    assert figures("latest", root) == OLD_FIGURES
    assert run_cli("snapshot", "gc", "--root", str(root))[0] == 0
    assert sorted(p.name for p in root.iterdir()) == [".versions", OLDER, DATE]


def test_an_open_snapshot_keeps_reading_its_own_version(tmp_path: Path) -> None:
    root = tmp_path / "snapshots"
    build_snapshot(root, OLD_WORLD, snapshot_date=DATE)
    opened = open_snapshot(resolve_path(DATE, root))
    raw = connect(root / DATE)  # the views of a plain connection are pinned too
    assert snap_figures(opened) == OLD_FIGURES

    build_snapshot(root, NEW_WORLD, snapshot_date=DATE)

    assert snap_figures(opened) == OLD_FIGURES
    assert raw.sql("select sum(amount_fen), count(*) from orders").fetchall() == [(1_000, 1)]
    assert figures(DATE, root) == NEW_FIGURES
    # While it is open its version survives gc; once closed, gc removes it.
    assert run_cli("snapshot", "gc", "--root", str(root))[0] == 0
    assert snap_figures(opened) == OLD_FIGURES
    opened.close()
    raw.close()
    assert run_cli("snapshot", "gc", "--root", str(root))[0] == 0
    assert len(list((root / ".versions").iterdir())) == 1
    assert figures(DATE, root) == NEW_FIGURES


def test_gc_removes_leftovers_of_earlier_writers_and_keeps_a_lone_copy(tmp_path: Path) -> None:
    """`.tmp-*` and `.old-*` folders of a date that is published go; one that is the only copy of its date stays."""
    root = tmp_path / "snapshots"
    build_snapshot(root, OLD_WORLD, snapshot_date=DATE)
    for name in (f".{DATE}.tmp-0a1b2c3d", f".{DATE}.old-4e5f6a7b"):
        write_snapshot(root, {}, name)
    (root / f".{DATE}.tmp-9c8d7e6f").mkdir()  # a writer that died before its manifest
    lone = write_snapshot(root, {}, f".{OLDER}.old-11112222")  # the only copy of OLDER: a crash hid it
    code, out, err = run_cli("snapshot", "gc", "--root", str(root))
    assert code == 0, err
    assert sorted(p.name for p in root.iterdir()) == [f".{OLDER}.old-11112222", ".versions", DATE]
    assert "removed" in out and f"kept {lone}" in out and f"rename it to {root / OLDER}" in out
    assert figures(DATE, root) == OLD_FIGURES


def test_gc_without_snapshots_says_so(tmp_path: Path) -> None:
    code, out, _ = run_cli("snapshot", "gc", "--root", str(tmp_path))
    assert code == 0 and "nothing to remove" in out


def test_without_an_exchange_a_failed_swap_puts_the_plain_folder_back(
    plain_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot swap two names in one step, the folder is renamed aside and back on failure."""
    root = fresh_copy(plain_template, tmp_path)
    monkeypatch.setattr(layout, "exchange", lambda first, second: False)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", refuse)
        with pytest.raises(OSError, match="No space left"):
            build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    assert (root / DATE).is_dir() and not (root / DATE).is_symlink()
    assert figures(DATE, root) == OLD_FIGURES
    build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    assert (root / DATE).is_symlink() and figures(DATE, root) == NEW_FIGURES
    assert sorted(p.name for p in root.iterdir()) == [".versions", OLDER, DATE]


def test_a_plain_folder_open_in_a_reader_is_not_swapped_away(plain_template: Path, tmp_path: Path) -> None:
    """Its readers read it by the dated path itself, so replacing it under them would mix two worlds."""
    root = fresh_copy(plain_template, tmp_path)
    opened = open_snapshot(resolve_path(DATE, root))
    with pytest.raises(WorkbenchError, match="open in another process") as err:
        build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    assert err.value.exit_code == 1
    assert snap_figures(opened) == OLD_FIGURES
    assert Manifest.read(root / DATE).source == "outside-checker:layout=flat"
    opened.close()
    build_snapshot(root, NEW_WORLD, snapshot_date=DATE)
    assert figures(DATE, root) == NEW_FIGURES
