"""The report's kernel: started first, so it boots while the command checks its arguments.

Rendering one report is a chain: the command imports its modules and checks
its arguments, papermill starts a kernel, the kernel imports the workbench,
then the cells run. Started before the command does anything else, the
kernel boots and loads what the notebook's first cell imports (PRELOAD) on
one core while the command imports and validates on the other, so the first
cell finds everything loaded. The kernel runs exactly the cells of the
notebook; the preload only imports modules and starts the chart engine.

A kernel started here is handed to papermill (which then leaves it running)
and stopped by `started`'s context when the command is done with it, or at
once when validation refuses the arguments, before any cell ran.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.utils import run_sync
from traitlets import default

from workbench.paths import project_root

# ipykernel's own `python3` kernelspec runs the interpreter that launched
# papermill, i.e. the project's virtualenv when started as .venv/bin/python.
KERNEL = "python3"
# What the notebook's first cell imports, loaded while the kernel starts (see `preload`).
NOTEBOOK_IMPORT = "workbench.report.page"
PRELOAD = "import workbench.report.kernel; workbench.report.kernel.preload()"
# What nbclient passes to every kernel it starts itself: no history file is written.
HISTORY = "--HistoryManager.hist_file=:memory:"


class LocalKernelManager(AsyncKernelManager):
    """A kernel reached over local IPC sockets instead of TCP ports.

    Nothing listens on the network, and the kernel does not print its
    unencrypted-TCP warning into every unattended run's log. Each kernel's
    socket paths get a unique prefix in the temp folder: jupyter_client's
    default (`kernel-ipc` in the working directory) lets two kernels started
    at once (`--all`) pick the same sockets.
    """

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        return str(Path(tempfile.gettempdir()) / f"workbench-kernel-{uuid.uuid4().hex[:12]}")


def preload() -> None:
    """Run in the kernel as it starts: wake vl-convert on a thread, and import what the notebook imports.

    vl-convert's JavaScript engine takes about 0.4 s to start (charts.svg.warm_up)
    without holding Python's lock, and every chart of the page then waits for it:
    started first, it wakes while the rest is imported, and the report's own
    warm-up (report/ahead.py) finds it awake.
    """
    from workbench.charts.svg import warm_up

    threading.Thread(target=warm_up, name="vl-convert-warm-up", daemon=True).start()
    import_module(NOTEBOOK_IMPORT)


@contextmanager
def started() -> Iterator[LocalKernelManager]:
    """A report kernel, booting in the background from now on; shut down when the block ends.

    It starts in the project folder, as papermill's own kernels do
    (render.execute), so relative paths in a notebook mean the same.
    """
    manager = LocalKernelManager(kernel_name=KERNEL)
    run_sync(manager.start_kernel)(
        extra_arguments=[HISTORY, f"--IPKernelApp.exec_lines={[PRELOAD]!r}"], cwd=str(project_root())
    )
    try:
        yield manager
    finally:
        stop(manager)


def stop(manager: LocalKernelManager) -> None:
    """Stop the kernel at once and remove its files; nothing happens if it has stopped already.

    Called when the notebook has run and been saved (render.render, while
    the page is converted), or when the arguments were refused: nothing is
    left for the kernel to do, so it is stopped at once (nbclient's
    `shutdown_kernel="immediate"`) rather than given the third of a second a
    polite shutdown waits.
    """
    try:
        if run_sync(manager.is_alive)():
            run_sync(manager.shutdown_kernel)(now=True)
    finally:
        run_sync(manager.cleanup_resources)()
