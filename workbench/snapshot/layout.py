"""Where a published snapshot's files live, and publishing in one atomic step.

`data/snapshots/<date>` is a symbolic link to an immutable version folder,
`data/snapshots/.versions/<date>.<version>/`, which holds `_manifest.json`
and the table folders exactly as the contract lays out a snapshot folder.
Anything that opens the dated path (DuckDB, pyarrow, polars, `ls`) sees the
contract's folder through the link.

Publishing writes a new version folder, which nothing refers to until it is
complete, and then replaces the link: `os.replace` of a new link over the
old one is one atomic rename on POSIX, so at every instant the date names a
whole snapshot, the old or the new, and there is no moment without one.
A reader resolves the link once (workbench.snapshot.read.connect) and keeps
reading its version even after a republish, until it closes; old versions
are removed by workbench.snapshot.cleanup when nobody holds them.

A dated real folder (written before versions existed, or by another tool)
is replaced by swapping it with the new link in one `renameat2` exchange
where Linux offers it; elsewhere by two renames, undone if the second fails.
"""

from __future__ import annotations

import ctypes
import errno
import os
import uuid
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.snapshot import hold

VERSIONS = ".versions"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def is_version(folder: Path) -> bool:
    """Whether `folder` is a version folder under `.versions/`."""
    return Path(folder).parent.name == VERSIONS


def dated_name(folder: Path) -> str:
    """The snapshot name a folder stands for: `2026-01-10` for `.versions/2026-01-10.<version>`, else its own name."""
    folder = Path(folder)
    return folder.name.split(".", 1)[0] if is_version(folder) else folder.name


def snapshots_root(folder: Path) -> Path:
    """The folder that holds the dated snapshot names, for a version folder or a plain snapshot folder."""
    folder = Path(folder)
    return folder.parent.parent if is_version(folder) else folder.parent


def shown(folder: Path) -> Path:
    """The path to show a person: the dated name `data/snapshots/<date>` rather than its version folder."""
    return snapshots_root(folder) / dated_name(folder) if is_version(folder) else Path(folder)


def new_version(out: Path) -> Path:
    """A fresh version folder path for the snapshot that will be published as `out` (not created)."""
    made = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(out).parent / VERSIONS / f"{Path(out).name}.{made}-{uuid.uuid4().hex[:8]}"


def version_of(pointer: Path) -> str | None:
    """The version folder name the dated link `pointer` refers to, if it is such a link."""
    try:
        target = Path(os.readlink(pointer))
    except OSError:
        return None
    if len(target.parts) == 2 and target.parts[0] == VERSIONS and dated_name(target) == Path(pointer).name:
        return target.name
    return None


def exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step (Linux `renameat2(RENAME_EXCHANGE)`); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def point(pointer: Path, version: Path) -> None:
    """Make the dated name `pointer` refer to the finished `version` folder, in one atomic step."""
    pointer = Path(pointer)
    link = pointer.parent / f".{pointer.name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(Path(VERSIONS) / Path(version).name, link)
    try:
        if pointer.is_dir() and not pointer.is_symlink():
            _replace_folder(link, pointer)
        else:
            os.replace(link, pointer)
    except BaseException:
        if link.is_symlink():
            with suppress(OSError):
                os.unlink(link)
        raise


def _replace_folder(link: Path, folder: Path) -> None:
    """Put `link` where the real folder `folder` is; the folder ends up under a dot name that gc removes.

    Readers of such a folder read it by its dated path, so it must not be
    swapped while one has it open: that is refused instead.
    """
    held = hold.exclusive(folder)
    if held is None:
        raise WorkbenchError(
            f"{folder} is open in another process (a notebook or a report reading it); close it and publish again", 1
        )
    with held:
        if exchange(link, folder):
            return
        aside = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex[:8]}"
        os.rename(folder, aside)
        try:
            os.replace(link, folder)
        except BaseException:
            os.rename(aside, folder)
            raise
