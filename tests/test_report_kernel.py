"""The report kernel started ahead of papermill (workbench/report/kernel.py).

It must have loaded the notebook's first import by the time a client
connects, run cells like any kernel, and never outlive the command: stopped after a run and when the command fails
(a refused argument), its connection file removed either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyter_client.utils import run_sync

from workbench.report.kernel import NOTEBOOK_IMPORT, started


def _run(manager, code: str) -> str:  # type: ignore[no-untyped-def]
    """Run `code` in the kernel and return what it printed."""
    client = manager.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=60)
        printed: list[str] = []
        reply = run_sync(client.execute_interactive)(
            code, timeout=60, output_hook=lambda msg: printed.append(msg["content"].get("text", ""))
        )
        assert reply["content"]["status"] == "ok"
        return "".join(printed)
    finally:
        client.stop_channels()


def test_the_kernel_has_loaded_the_notebooks_first_import_and_is_stopped_after() -> None:
    with started() as manager:
        connection = Path(manager.connection_file)
        assert connection.is_file()
        assert _run(manager, f"import sys; print({NOTEBOOK_IMPORT!r} in sys.modules)").strip() == "True"
    assert not run_sync(manager.is_alive)()
    assert not connection.exists()


def test_a_failing_command_kills_its_kernel() -> None:
    with pytest.raises(RuntimeError, match="refused"), started() as manager:
        connection = Path(manager.connection_file)
        raise RuntimeError("refused")
    assert not run_sync(manager.is_alive)()
    assert not connection.exists()
