"""`workbench kpi NAME`: one KPI of one snapshot, as CSV, JSON, parquet or a table.

The command only resolves arguments, refuses a snapshot whose files no
longer match its verification stamp (workbench.snapshot.stamp: sizes and
mtimes, cheap enough for every call), and hands the frame to
`workbench.kpi.export`; the numbers come from the same `kpi.run` a notebook
uses, on DuckDB or, with `--engine spark`, on Spark (docs/scale-out.md).
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from workbench import text
from workbench.dates import campaign_week, complete_weeks, parse_date
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import polars as pl

    from workbench.kpi.opened import OpenedSnapshot
    from workbench.kpi.registry import Kpi

# The KPI machinery (DuckDB, Polars, PyArrow) is imported inside the functions that use it:
# `workbench` starts every command, and most never compute a KPI.

LIST_FORMATS = ("table", "markdown", "json")


def _dictionary_rows() -> list[dict[str, str]]:
    from workbench import kpi

    return [
        {
            "name": k.name,
            "title_zh": k.title_zh,
            "title_en": k.title_en,
            "kind": k.kind,
            "params": ", ".join(k.params),
            "filters": ", ".join(k.filters),
            "columns": ", ".join(k.columns),
            "description": k.description,
        }
        for k in kpi.registry().values()
    ]


def _print_dictionary(fmt: str, verbose: bool = False) -> None:
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
        width = max(60, shutil.get_terminal_size().columns)
        typer.echo("\n".join(_verbose_list(width) if verbose else _compact_list(width)))


def _cells(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(first: str, words: list[str], width: int, indent: int) -> list[str]:
    """`first` followed by `words`, wrapped at `width` cells, continuation lines indented by `indent`."""
    lines, line = [], first
    for word in words:
        if _cells(line) + 1 + _cells(word) <= width or not line.strip():
            line = f"{line} {word}" if line.strip() else line + word
        else:
            lines.append(line)
            line = " " * indent + word
    return [*lines, line]


def _compact_list(width: int) -> list[str]:
    """One KPI a line (wrapped, never cut): name, then its Chinese and English titles, grouped by kind."""
    from workbench import kpi

    kpis = list(kpi.registry().values())
    pad = max(len(k.name) for k in kpis) + 2
    lines = [f"{text.t('table.dictionary', 'zh')} {text.t('table.dictionary', 'en')}"]
    for kind in dict.fromkeys(k.kind for k in kpis):
        lines += ["", f"{kind} KPIs:"]
        for k in (k for k in kpis if k.kind == kind):
            lines += _wrap(f"  {k.name.ljust(pad)}{k.title_zh}", k.title_en.split(), width, pad + 2)
    lines += ["", "details: workbench kpi --list --verbose, or workbench kpi NAME --describe"]
    return lines


def _verbose_list(width: int) -> list[str]:
    """Every KPI's help card, wrapped to the terminal."""
    from workbench import kpi

    lines: list[str] = []
    for k in kpi.registry().values():
        lines += [*_card(k, width), ""]
    return lines


def _card(definition: Kpi, width: int) -> list[str]:
    lines = _wrap(
        f"{definition.name}: {definition.title_zh} /", [*definition.title_en.split(), f"({definition.kind})"], width, 2
    )
    fields = [
        (
            "params",
            ", ".join(f"{p}={definition.defaults[p]}" if p in definition.defaults else p for p in definition.params),
        ),
        ("filters", ", ".join(definition.filters)),
        ("ignores", ", ".join(definition.ignores)),
        ("columns", ", ".join(definition.columns)),
    ]
    for label, value in fields:
        if value:
            lines += _wrap(f"  {label}:", value.split(), width, 4)
    return [*lines, *_wrap("  ", definition.description.split(), width, 2)]


def _open_checked(spec: str, engine: str, spark_master: str | None) -> OpenedSnapshot:
    """The snapshot on its engine, refused unless its files match its verification stamp (store.resolve checks it)."""
    from workbench.engine import ENGINES
    from workbench.kpi.opened import open_snapshot

    if engine not in ENGINES:
        raise WorkbenchError(f"--engine {engine!r} is not one of {', '.join(ENGINES)}")
    if spark_master is not None and engine != "spark":
        raise WorkbenchError("--spark-master is for --engine spark; add --engine spark or drop it")
    return open_snapshot(spec, engine=engine, spark_master=spark_master)


def _window(
    snap: OpenedSnapshot, definition: Kpi, week: int | None, start: str | None, end: str | None
) -> tuple[date | None, date | None]:
    """The window as `s.kpi` resolves it, with --start dropped (and noted) where the contract lets a KPI ignore it."""
    from workbench.kpi import window

    first = parse_date(start, "--start") if start else None
    last = parse_date(end, "--end") if end else None
    if first is not None and "start" not in definition.params and "start" in definition.ignores:
        if first != snap.config.campaign_start:
            typer.echo(
                f"note: {definition.name} counts from the campaign start {snap.config.campaign_start}; "
                f"--start {first} does not limit it",
                err=True,
            )
        first = None
    if first is not None and last is not None and last < first:
        raise WorkbenchError(f"--end {last} is before --start {first}; give a window with start <= end")
    if week is None and first is None and last is None and "end" in definition.params:
        resolved = window.resolve(definition, snap.manifest.last_full_day, snap.config)
        number = complete_weeks(snap.manifest.last_full_day, snap.config)[-1]
        week_start, week_end = campaign_week(number, snap.config)
        typer.echo(
            f"note: no window given: week {number} ({week_start} to {week_end}), "
            "the snapshot's latest complete campaign week",
            err=True,
        )
        return resolved
    return first, last


def _params(definition: Kpi, pairs: list[str], filters: dict[str, str | None]) -> dict[str, object]:
    """--shop/--account/--category and each --param NAME=VALUE, typed as the KPI takes them."""
    given: dict[str, object] = {k: v for k, v in filters.items() if v is not None}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise WorkbenchError(f"--param {pair!r} is not NAME=VALUE, e.g. --param limit=10")
        if key in given:
            raise WorkbenchError(f"{key} is given twice; give it once")
        given[key] = _typed(definition, key, value.strip())
    return given


def _typed(definition: Kpi, key: str, value: str) -> object:
    if key in definition.filters:
        return value
    if isinstance(definition.defaults.get(key), int) or value.lstrip("-").isdigit():
        try:
            return int(value)
        except ValueError:
            raise WorkbenchError(f"--param {key}={value!r} is not a whole number") from None
    if len(value) == 10 and value[4:5] == "-":
        return parse_date(value, f"--param {key}")
    return value


def _note_if_no_lines(snap: OpenedSnapshot, start: date, end: date) -> None:
    lines = snap.sql("select count(*) as n from orders_paid($start, $end)", {"start": start, "end": end}).item()
    if lines == 0:
        typer.echo(
            f"note: no order lines were paid on {start}..{end} in {snap.path}; the result has no sales", err=True
        )


def _emit(frame: pl.DataFrame, definition: Kpi, fmt: str, out: Path | None, caption: str) -> None:
    from workbench.kpi import export

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
        help="First Asia/Shanghai paid date (YYYY-MM-DD), with --end. Default: the latest complete week.",
        show_default=False,
    ),
    end: str = typer.Option(
        None,
        "--end",
        help="Last Asia/Shanghai paid date, inclusive. Default: the end of the latest complete campaign week.",
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
    verbose: bool = typer.Option(False, "--verbose", help="With --list: every KPI's parameters, columns, description."),
    describe: bool = typer.Option(False, "--describe", help="Describe the KPI NAME instead of computing it."),
    week: int = typer.Option(None, "--week", help="Campaign week 1-6 instead of --start/--end.", show_default=False),
    shop: str = typer.Option(
        None, "--shop", help="Only this shop's order lines (KPIs with a shop filter).", show_default=False
    ),
    account: str = typer.Option(
        None, "--account", help="Only lines credited to this account (KPIs with an account filter).", show_default=False
    ),
    category: str = typer.Option(
        None, "--category", help="Only this product category (KPIs with a category filter).", show_default=False
    ),
    param: list[str] = typer.Option(
        None, "--param", help="Another parameter as NAME=VALUE, e.g. --param limit=10 (repeatable).", show_default=False
    ),
    engine: str = typer.Option(
        "duckdb", "--engine", help="Where to compute: duckdb, or spark (needs `make spark` and Java 17+)."
    ),
    spark_master: str = typer.Option(
        None,
        "--spark-master",
        help="With --engine spark: the master URL (local[4], spark://host:7077, yarn); default local[*].",
        show_default=False,
    ),
) -> None:
    """Compute one KPI of a snapshot for --week N, an Asia/Shanghai window --start..--end, or neither.

    Neither means the snapshot's latest complete campaign week (noted on
    stderr). CSV has a header row, fen as integers, shares as plain decimals,
    an empty field where a share has no denominator, booleans as true/false.
    KPIs counted from the campaign start take only --end; growth_card and
    newcomer_uptake accept the contract's --start and say on stderr when it
    does not limit them. A parameter or filter a KPI does not take is an error.
    """
    from workbench import kpi
    from workbench.kpi import export
    from workbench.kpi.run import check_names

    if list_kpis:
        fmt = fmt or "table"
        if fmt not in LIST_FORMATS:
            raise WorkbenchError(f"--list takes --format {', '.join(LIST_FORMATS)}, not {fmt!r}")
        _print_dictionary(fmt, verbose)
        return
    if not name:
        raise WorkbenchError("name a KPI, e.g. `workbench kpi channel_mix`, or list them with `workbench kpi --list`")
    definition = kpi.get(name)
    if describe:
        typer.echo("\n".join(_card(definition, max(60, shutil.get_terminal_size().columns))))
        return
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
    extra = _params(definition, param or [], {"shop": shop, "account": account, "category": category})
    check_names(definition, None, None, extra)
    snap = _open_checked(snapshot, engine, spark_master)
    first, last = _window(snap, definition, week, start, end)
    frame = None
    if fmt == "xlsx":
        snap.to_excel(out, name, start=first, end=last, week=week, **extra)
        typer.echo(f"wrote {name} to {out}", err=True)
    else:
        frame = snap.kpi(name, first, last, week=week, **extra)
    if week is not None:
        first, last = campaign_week(week, snap.config)
    if first is not None and last is not None:
        _note_if_no_lines(snap, first, last)
    if frame is None:
        return
    shown_window = f"{first}..{last}" if first is not None else (f"..{last}" if last is not None else "")
    _emit(frame, definition, fmt, out, caption=f"{snap.manifest.name}  {shown_window}".rstrip())
