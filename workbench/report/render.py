"""Execute the report notebook with papermill and convert it to offline HTML.

Unattended runs must never leave a broken report behind: the notebook is
executed into a temporary file; on failure that file becomes
`<stem>.failed.ipynb` (so the traceback can be read) and the last good
`.html` stays untouched; on success the executed `.ipynb` and the `.html`
are each moved into place atomically.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import papermill

from workbench.errors import WorkbenchError
from workbench.files import temp_path, write_atomic
from workbench.paths import notebooks_dir, project_root, reports_dir
from workbench.report.kernel import KERNEL, LocalKernelManager, stop
from workbench.report.params import ReportParams
from workbench.report.summary import write_summary

if TYPE_CHECKING:
    from nbconvert import TemplateExporter

NOTEBOOK = "weekly_report.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parent / "template"


def report_folder(params: ReportParams, out_dir: Path | None = None) -> Path:
    """`<out_dir>/<snapshot_date>/<slug>/` (a shop's: `.../shops/<shop_id>/<slug>/`), out_dir defaulting to reports/."""
    base = (out_dir or reports_dir()) / params.manifest.snapshot_date.isoformat()
    return (base / "shops" / params.shop if params.shop else base) / params.slug


@cache
def _exporter() -> TemplateExporter:
    """The `weekly` template's exporter, made once per process (a batch of shop pages reuses it).

    The plain template exporter, not nbconvert's HTMLExporter: that one parses
    its output again with BeautifulSoup to add alt texts and tab stops to
    notebook markup this page does not have, which took longer than the rest
    of the conversion and only re-spelled the page's own HTML. nbconvert is
    imported here, not with the module: `render` loads it while the kernel runs.
    """
    from nbconvert import TemplateExporter

    return TemplateExporter(
        extra_template_basedirs=[str(TEMPLATE_DIR)], template_name="weekly", template_file="index.html.j2"
    )


def to_html(notebook: nbformat.NotebookNode, params: ReportParams) -> str:
    """The executed notebook as one self-contained page (template `weekly`)."""
    resources = {"report_title": params.title, "report_lang": params.lang}
    html, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return html


def execute(params: ReportParams, folder: Path, kernel: LocalKernelManager | None = None) -> nbformat.NotebookNode:
    """Run the notebook for `params`; on failure keep `<stem>.failed.ipynb` and raise (exit 1).

    `kernel` is one already started (kernel.started); without it papermill starts its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    failed = folder / f"{params.stem}.failed.ipynb"
    scratch = temp_path(folder / f"{params.stem}.ipynb")
    how = {"km": kernel} if kernel is not None else {"kernel_manager_class": LocalKernelManager}
    try:
        papermill.execute_notebook(
            str(notebooks_dir() / NOTEBOOK),
            str(scratch),
            parameters=params.notebook_parameters(),
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            cwd=str(project_root()),
            **how,
        )
    except Exception as err:  # papermill, nbclient and the kernel raise many types; all mean "this run failed"
        kept = scratch.exists()
        if kept:
            os.replace(scratch, failed)
        where = f"the executed notebook is kept at {failed}; " if kept else ""
        raise WorkbenchError(
            f"report {params.stem} for snapshot {params.manifest.snapshot_date} failed {_describe(err)}; "
            f"{where}the last good HTML was left as it was",
            1,
        ) from None
    notebook = nbformat.read(scratch, as_version=4)
    scratch.unlink()
    return notebook


def _describe(err: Exception) -> str:
    if isinstance(err, papermill.PapermillExecutionError):
        return f"in cell {err.cell_index}: {err.ename}: {err.evalue}"
    return f"({type(err).__name__}: {err})"


def render(params: ReportParams, out_dir: Path | None = None, kernel: LocalKernelManager | None = None) -> Path:
    """Execute and convert one report (in `kernel` if one was started for it); returns the path of its HTML.

    A stale `.failed.ipynb` of the same report is removed once a run succeeds,
    so the folder always tells whether the latest attempt worked.
    """
    folder = report_folder(params, out_dir)
    # nbconvert's import and templates take about half a second, paid while the kernel starts and runs.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-exporter") as pool:
        exporter = pool.submit(_exporter)
        notebook = execute(params, folder, kernel)
        exporter.result()
        if kernel is not None:  # done with it: it stops while the page is converted and written
            pool.submit(stop, kernel)
        html = to_html(notebook, params)
        write_atomic(folder / f"{params.stem}.ipynb", nbformat.writes(notebook))
        write_summary(folder, params, html)
        target = write_atomic(folder / f"{params.stem}.html", html)
    (folder / f"{params.stem}.failed.ipynb").unlink(missing_ok=True)
    return target
