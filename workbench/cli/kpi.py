"""`workbench kpi NAME`: one KPI of one snapshot, as CSV, JSON, parquet or a table.

The command only resolves arguments, refuses a snapshot whose files no
longer match its verification stamp (workbench.snapshot.stamp: sizes and
mtimes, cheap enough for every call), and hands the frame to
`workbench.kpi.export`; the numbers come from the same `kpi.run` a notebook
uses.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from workbench import kpi, text
from workbench.dates import parse_date
from workbench.errors import WorkbenchError
from workbench.kpi import export
from workbench.kpi.opened import OpenedSnapshot
from workbench.snapshot import store

LIST_FORMATS = ("table", "markdown", "json")


def _dictionary_rows() -> list[dict[str, str]]:
    return [
        {
            "name": k.name,
            "title_zh": k.title_zh,
            "title_en": k.title_en,
            "kind": k.kind,
            "params": ", ".join(k.params),
            "columns": ", ".join(k.columns),
            "description": k.description,
        }
        for k in kpi.registry().values()
    ]


def _print_dictionary(fmt: str) -> None:
    """The metric dictionary: every KPI's name, titles, kind, params, columns and description."""
    rows = _dictionary_rows()
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        keys = list(rows[0]) if rows else []
        typer.echo("| " + " | ".join(keys) + " |")
        typer.echo("|" + " --- |" * len(keys))
        for row in rows:
            typer.echo("| " + " | ".join(row[k].replace("|", "\\|") for k in keys) + " |")
    else:
        title = f"{text.t('table.dictionary', 'zh')} {text.t('table.dictionary', 'en')}"
        table = Table(
            "name", text.t("table.kpi_title", "zh"), "title", "kind", "params", "columns", "description", title=title
        )
        for row in rows:
            table.add_row(*row.values())
        Console().print(table)


def _open_checked(spec: str) -> OpenedSnapshot:
    """The snapshot, refused unless its files match its verification stamp (store.resolve checks it)."""
    return OpenedSnapshot(store.resolve(spec))


def _window(snap: OpenedSnapshot, start: str | None, end: str | None) -> tuple[date, date]:
    """The given dates, or the campaign window clipped to the snapshot's cutoff day."""
    first = parse_date(start, "--start") if start else snap.config.campaign_start
    last = parse_date(end, "--end") if end else min(snap.config.campaign_end, snap.cutoff_date)
    if last < first:
        what = f"--end {last}" if end else f"the default end {last} (campaign end or the snapshot's cutoff day)"
        raise WorkbenchError(f"{what} is before --start {first}; give a window with start <= end")
    return first, last


def _note_if_no_lines(snap: OpenedSnapshot, start: date, end: date) -> None:
    lines = snap.sql("select count(*) as n from orders_paid($start, $end)", {"start": start, "end": end}).item()
    if lines == 0:
        typer.echo(
            f"note: no order lines were paid on {start}..{end} in {snap.path}; the result has no sales", err=True
        )


def _emit(frame: pl.DataFrame, definition: kpi.Kpi, fmt: str, out: Path | None, caption: str) -> None:
    if out is not None:
        export.write_file(frame, fmt, out)
        typer.echo(f"wrote {len(frame)} row(s) of {definition.name} to {out}", err=True)
    elif fmt == "table":
        Console().print(export.to_table(frame, definition, caption))
    elif fmt == "json":
        typer.echo(export.to_json(frame), nl=False)
    else:
        typer.echo(export.to_csv(frame), nl=False)


def kpi_command(
    name: str = typer.Argument(None, help="KPI name, e.g. channel_mix (see --list).", show_default=False),
    snapshot: str = typer.Option("latest", "--snapshot", help="Snapshot folder, its date (YYYY-MM-DD), or `latest`."),
    start: str = typer.Option(
        None,
        "--start",
        help="First Asia/Shanghai paid date (YYYY-MM-DD). Default: the campaign start.",
        show_default=False,
    ),
    end: str = typer.Option(
        None,
        "--end",
        help="Last Asia/Shanghai paid date, inclusive. Default: the campaign end or the snapshot's cutoff day, whichever is earlier.",
        show_default=False,
    ),
    fmt: str = typer.Option(
        None,
        "--format",
        help="csv, table, json, parquet or xlsx (default table); with --list: table, markdown or json.",
        show_default=False,
    ),
    out: Path = typer.Option(
        None, "--out", help="Write to this file instead of stdout (required for parquet and xlsx).", show_default=False
    ),
    list_kpis: bool = typer.Option(False, "--list", help="Print the metric dictionary instead of a KPI."),
) -> None:
    """Compute one KPI for an Asia/Shanghai window [start, end] of a snapshot.

    CSV has a header row, fen as integers, shares as plain decimals, an empty
    field where a share has no denominator, booleans as true/false. KPIs that
    do not use a parameter (growth_card and newcomer_uptake ignore --start)
    accept and ignore it.
    """
    if list_kpis:
        fmt = fmt or "table"
        if fmt not in LIST_FORMATS:
            raise WorkbenchError(f"--list takes --format {', '.join(LIST_FORMATS)}, not {fmt!r}")
        _print_dictionary(fmt)
        return
    if not name:
        raise WorkbenchError("name a KPI, e.g. `workbench kpi channel_mix`, or list them with `workbench kpi --list`")
    definition = kpi.get(name)
    fmt = fmt or "table"
    if fmt not in export.FORMATS:
        raise WorkbenchError(f"--format {fmt!r} is not one of {', '.join(export.FORMATS)}")
    if fmt == "parquet" and out is None:
        raise WorkbenchError("--format parquet writes binary data: give a file with --out FILE.parquet")
    if fmt == "xlsx" and out is None:
        raise WorkbenchError("--format xlsx writes a workbook: give a file with --out FILE.xlsx")
    if out is not None and out.is_dir():
        example = out / f"{name}.{fmt if fmt in export.FILE_FORMATS else 'csv'}"
        raise WorkbenchError(f"--out {out} is a folder; give a file name, e.g. --out {example}")
    snap = _open_checked(snapshot)
    first, last = _window(snap, start, end)
    if fmt == "xlsx":
        snap.to_excel(out, name, start=first, end=last)
        typer.echo(f"wrote {name} to {out}", err=True)
        _note_if_no_lines(snap, first, last)
        return
    frame = snap.kpi(name, first, last)
    _note_if_no_lines(snap, first, last)
    _emit(frame, definition, fmt, out, caption=f"{snap.manifest.name}  {first}..{last}")
