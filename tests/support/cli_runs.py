"""Running the `workbench` command for tests of its error lines.

`run_cli` runs it in-process through `workbench.cli.main`, the script's
entry point, so the `error:` line and exit code are what a user gets.

`run_script_in_namespace` runs the installed script in a subprocess inside
a private user and mount namespace (`unshare -rm`), where a folder can be
made genuinely read-only (a read-only bind mount: EROFS from the kernel) or
genuinely full (a tiny tmpfs: ENOSPC), or a machine made to have no
fonts (`hide_system_fonts`). The tests run as root, for whom
`chmod 0o500` blocks nothing, so this is the honest way to get those
errors without faking them; where unshare is not allowed the tests skip.
"""

from __future__ import annotations

import functools
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from workbench.cli import main

SCRIPT = Path(sys.executable).parent / "workbench"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `workbench ARGS` in-process: (exit code, stdout, stderr)."""
    sys.argv = ["workbench", *args]
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@functools.cache
def namespaces_work() -> bool:
    """Whether this machine lets us make a private mount namespace with a tmpfs in it."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            done = subprocess.run(
                ["unshare", "-rm", "sh", "-c", f"{tiny_tmpfs(Path(folder))} && {read_only(Path(folder))}"],
                capture_output=True,
                check=False,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            return False
    return done.returncode == 0


def read_only(folder: Path) -> str:
    """Shell lines making `folder` a read-only bind mount of itself."""
    f = shlex.quote(str(folder))
    return f"mount --bind {f} {f} && mount -o remount,bind,ro {f}"


def tiny_tmpfs(folder: Path, size: str = "64k") -> str:
    """Shell lines mounting an empty tmpfs of `size` over `folder`."""
    return f"mount -t tmpfs -o size={size} tmpfs {shlex.quote(str(folder))}"


# Where fontconfig and vl-convert's font database look for system fonts on Linux.
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


def hide_system_fonts() -> str:
    """Shell lines covering every system font folder that exists with an empty tmpfs: a machine with no fonts."""
    return " && ".join(f"{{ [ ! -d {shlex.quote(d)} ] || {tiny_tmpfs(Path(d))}; }}" for d in SYSTEM_FONT_DIRS)


def run_script_in_namespace(
    setup: str, args: list[str], after: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`setup`, then the installed `workbench ARGS` (its stderr captured apart), then `after`, in one namespace.

    Whatever `after` prints comes after the script's stdout; the exit code is the script's.
    """
    if not namespaces_work():
        pytest.skip("unshare -rm with mounts is not allowed here")
    command = " ".join(shlex.quote(a) for a in [str(SCRIPT), *args])
    script = f"set -e\n{setup}\nset +e\n{command}\nrc=$?\n{after}\nexit $rc\n"
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
