"""`workbench report --each-shop`: one report per shop, no kernel and no process per shop.

A kernel start and a papermill run cost seconds each; two hundred of them
cost more than the reports. So the batch runs the report notebook's own
cells in-process, one fresh namespace per shop: the parameters cell, then
the values papermill would inject (`ReportParams.notebook_parameters`),
then every other code cell, each cell's last expression becoming its
`execute_result` exactly as a kernel reports it. The executed notebook goes
through the same nbconvert template as `workbench report` (render.to_html),
so a shop's page is the page the notebook would give; nothing about the
sections is duplicated here.

The snapshot is opened once per chunk of shops (`narrowed`): its orders,
videos and traffic views are narrowed to the chunk's rows in small sorted
tables, and the notebook's `open_report` reuses that connection
(page.shared_snapshot); the peer frame is computed once per batch. A large
batch shares its chunks among two worker processes, one per core. A shop
that fails is listed at the end and the batch goes on; the command then
exits 1.
"""

from __future__ import annotations

import ast
import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import polars as pl
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from workbench.errors import WorkbenchError
from workbench.files import write_atomic
from workbench.kpi.opened import OpenedSnapshot
from workbench.paths import notebooks_dir
from workbench.report.page import shared_snapshot
from workbench.report.params import ReportParams
from workbench.report.render import NOTEBOOK, report_folder, to_html
from workbench.report.summary import write_summary
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.read import connect

# Shops per opened snapshot: bounds the narrowed order lines held in memory (a chunk's share of them).
CHUNK = 200
# Worker processes (one per core of the 2-core machine the batch is measured on), each given a few
# chunks so the faster one takes more; a batch of fewer than MIN_PER_WORKER shops a worker renders here.
WORKERS = 2
TASKS_PER_WORKER = 4
MIN_PER_WORKER = 20


def read_shop_list(path: Path) -> list[str]:
    """Shop ids from a file, one a line; blank lines and `#` comments skipped, duplicates kept once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise WorkbenchError(
            f"cannot read the shop list {path}: {err.strerror}; give a file with one shop id a line"
        ) from None
    shops = [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]
    if not shops:
        raise WorkbenchError(f"the shop list {path} names no shop; put one shop id on each line")
    return list(dict.fromkeys(shops))


def checked_shops(manifest: Manifest, wanted: list[str] | None) -> dict[str, str]:
    """The shops to render with their names: the list given (each checked, the closest ids named), or every shop."""
    from workbench.kpi.run import check_value

    con = connect(manifest.path)
    try:
        query = "select shop_id, any_value(shop_name) from shops where shop_id is not null group by 1 order by 1"
        names: dict[str, str | None] = dict(con.sql(query).fetchall())
        for shop in wanted or []:
            check_value(con, "shop", shop)
        return {shop: names[shop] or shop for shop in (names if wanted is None else wanted)}
    finally:
        con.close()


def _cells(notebook: nbformat.NotebookNode) -> Iterator[nbformat.NotebookNode]:
    return (c for c in notebook.cells if c.cell_type == "code")


def _result(value: Any, count: int) -> nbformat.NotebookNode:
    """A cell's value as a kernel reports it: text/html when it has an HTML form, text/plain always."""
    data = {"text/plain": repr(value)}
    if hasattr(value, "_repr_html_"):
        data["text/html"] = value._repr_html_()
    return nbformat.v4.new_output("execute_result", data=data, execution_count=count)


def execute_in_process(params: ReportParams) -> nbformat.NotebookNode:
    """The report notebook executed for `params` in this process (as papermill would, without a kernel)."""
    notebook = nbformat.read(notebooks_dir() / NOTEBOOK, as_version=4)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        for count, cell in enumerate(_cells(notebook), start=1):
            tree = ast.parse(cell.source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, f"<cell {count}>", "exec"), namespace)
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(params.notebook_parameters())
            cell.execution_count = count
            cell.outputs = []
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f"<cell {count}>", "eval"), namespace)
                if value is not None:
                    cell.outputs = [_result(value, count)]
    finally:
        report = namespace.get("report")
        if report is not None:
            report.close()
    return notebook


def render_in_process(params: ReportParams, out_dir: Path | None = None) -> Path:
    """One shop's report: HTML and summary written atomically; returns the HTML's path."""
    folder = report_folder(params, out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    html = to_html(execute_in_process(params), params)
    write_summary(folder, params, html)
    return write_atomic(folder / f"{params.stem}.html", html)


@dataclass
class ShopBatch:
    """What a batch did: the pages written and, per failed shop, why."""

    pages: list[Path] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)


def _why(err: Exception) -> str:
    if isinstance(err, WorkbenchError):
        return str(err)
    where = traceback.extract_tb(err.__traceback__)[-1]
    return f"{type(err).__name__}: {err} ({Path(where.filename).name}:{where.lineno})"


def narrowed(manifest: Manifest, shops: list[str]) -> OpenedSnapshot:
    """The snapshot opened once for a chunk of shops, its `orders`, `videos` and `video_traffic` narrowed to them.

    Every KPI of a shop report reads order lines, videos and their traffic
    only through its `shop` filter (the roll-ups, account-wide newcomer
    tests and growth cards keep reading the snapshot's files), so narrowing
    those views to the chunk's shops changes no figure of their reports
    (tests/test_report_shops.py compares with the papermill page); it turns
    each report's scans of every order line into lookups in small tables.
    """
    snap = OpenedSnapshot(manifest)
    try:
        snap.con.execute(
            "create temp table chunk_orders as select * from orders "
            "where shop_id in (select unnest($shops)) order by shop_id, paid_at",
            {"shops": shops},
        )
        snap.con.execute("create or replace view orders as select * from chunk_orders")
        # Likewise the videos of the chunk's products and their traffic (read only through the shop filter too).
        snap.con.execute(
            "create temp table chunk_videos as select v.* from videos as v "
            "join products as p using (product_id) where p.shop_id in (select unnest($shops))",
            {"shops": shops},
        )
        snap.con.execute(
            "create temp table chunk_traffic as select * from video_traffic "
            "where video_id in (select video_id from chunk_videos) order by video_id, date"
        )
        snap.con.execute("create or replace view videos as select * from chunk_videos")
        snap.con.execute("create or replace view video_traffic as select * from chunk_traffic")
    except BaseException:
        snap.close()
        raise
    return snap


def shop_peers(base: ReportParams) -> pl.DataFrame:
    """Every shop's peer benchmarks for the window, once per batch, on the whole (never a narrowed) snapshot."""
    snap = OpenedSnapshot(base.manifest)
    try:
        return snap.kpi("shop_peers", base.start, base.end)
    finally:
        snap.close()


# A shop's outcome as a worker reports it: (shop, its HTML's path or None, why it failed or None).
Outcome = tuple[str, str | None, str | None]


def render_chunk(
    base: ReportParams,
    part: list[str],
    out_dir: Path | None,
    peers: pl.DataFrame | None,
    report: Callable[[Outcome], None],
) -> None:
    """Render a chunk of shops on one narrowed snapshot, reporting each shop's outcome as it is done."""
    snap = narrowed(base.manifest, part)
    try:
        with shared_snapshot(snap, peers):
            for shop in part:
                try:
                    report((shop, str(render_in_process(base.for_shop(shop), out_dir)), None))
                except Exception as err:  # one shop's failure of any kind must not stop the others
                    report((shop, None, _why(err)))
    finally:
        snap.close()


def _in_worker(
    base: ReportParams, part: list[str], out_dir: Path | None, peers: pl.DataFrame | None, outcomes: Any
) -> None:
    render_chunk(base, part, out_dir, peers, outcomes.put)


def _parts(shops: list[str], size: int) -> list[list[str]]:
    return [shops[i : i + size] for i in range(0, len(shops), size)]


def render_shops(
    base: ReportParams,
    shops: list[str],
    out_dir: Path | None = None,
    console: Console | None = None,
    workers: int = WORKERS,
    min_per_worker: int = MIN_PER_WORKER,
) -> ShopBatch:
    """Render `base` for every shop, with a progress bar (done, failures, ETA) on a terminal.

    Every shop is attempted; a failure is recorded (shop -> reason) and the
    next shop goes on. The caller decides the exit code. With enough shops
    the chunks are shared among `workers` processes (spawned, so each
    imports the workbench once), one per core; a few shops render here.
    """
    out = console or Console(stderr=True)
    batch = ShopBatch()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=out, disable=not out.is_terminal, transient=False) as progress:
        task = progress.add_task("shop reports", total=len(shops), failed=0)

        def record(outcome: Outcome) -> None:
            shop, path, error = outcome
            if path is not None:
                batch.pages.append(Path(path))
            else:
                batch.failures[shop] = error or "failed"
            progress.update(task, advance=1, failed=len(batch.failures))

        peers = shop_peers(base)
        used = max(1, min(workers, len(shops) // max(1, min_per_worker)))
        if used == 1:
            for part in _parts(shops, CHUNK):
                render_chunk(base, part, out_dir, peers, record)
        else:
            _in_workers(base, shops, out_dir, peers, used, record)
    batch.pages.sort(key=lambda p: shops.index(p.parts[-3]))
    return batch


def _in_workers(
    base: ReportParams,
    shops: list[str],
    out_dir: Path | None,
    peers: pl.DataFrame,
    workers: int,
    record: Callable[[Outcome], None],
) -> None:
    """Chunks spread over worker processes; outcomes come back shop by shop through a queue."""
    size = min(CHUNK, max(1, -(-len(shops) // (workers * TASKS_PER_WORKER))))
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        outcomes = manager.Queue()
        futures = {pool.submit(_in_worker, base, part, out_dir, peers, outcomes): part for part in _parts(shops, size)}
        seen: set[str] = set()
        while len(seen) < len(shops):
            try:
                outcome = outcomes.get(timeout=0.5)
            except queue.Empty:
                # A chunk that failed as a whole (its snapshot did not open, a worker died): its shops fail.
                for future, part in futures.items():
                    if future.done() and future.exception() is not None:
                        for shop in part:
                            if shop not in seen:
                                seen.add(shop)
                                record((shop, None, _why(future.exception())))
                continue
            seen.add(outcome[0])
            record(outcome)
