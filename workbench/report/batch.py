"""`workbench report --all`: several reports, two kernels at a time.

Renders run in separate processes (each starts its own kernel anyway) so a
crash or hang in one cannot take the others down; a failed report is
listed at the end instead of stopping the batch, and the batch exits 1.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from workbench.errors import WorkbenchError
from workbench.report.params import ReportParams
from workbench.report.render import render

PARALLEL = 2


def _render_one(params: ReportParams, out_dir: Path | None) -> tuple[Path | None, str]:
    """Render in a worker; errors come back as text (exceptions lose exit codes when pickled)."""
    try:
        return render(params, out_dir), ""
    except WorkbenchError as err:
        return None, str(err)


def render_all(reports: list[ReportParams], out_dir: Path | None = None, workers: int = PARALLEL) -> list[Path]:
    """Render every report with a progress bar; raise (exit 1) listing failures after all have run."""
    done: list[Path] = []
    failures: list[str] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    context = multiprocessing.get_context("spawn")
    with Progress(*columns, transient=False) as progress, ProcessPoolExecutor(workers, mp_context=context) as pool:
        task = progress.add_task("rendering reports", total=len(reports))
        futures = {pool.submit(_render_one, p, out_dir): p for p in reports}
        for future in as_completed(futures):
            path, error = future.result()
            if path is None:
                failures.append(error)
            else:
                done.append(path)
                progress.console.print(str(path))
            progress.advance(task)
    if failures:
        raise WorkbenchError(f"{len(failures)} of {len(reports)} report(s) failed:\n" + "\n".join(failures), 1)
    return sorted(done)
