"""`workbench restatement | nowcast | lift`: the beyond-counting methods from the shell.

Each command prints the method's frame as CSV (the contract's CSV rules)
and, unless --format csv, the one-line summary the weekly report shows.
The frames, charts and sentences come from `workbench.report.methods`, the
same calls the report makes.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from workbench.dates import parse_date
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.kpi.opened import OpenedSnapshot
    from workbench.report import methods

FORMATS = ("text", "csv")
_FORMAT = typer.Option("text", "--format", help="text: the frame as CSV plus a summary line; csv: the frame only.")
_LANG = typer.Option("zh", "--lang", help="Language of the summary line: zh or en.")
_SNAPSHOT = typer.Option("latest", "--snapshot", help="Snapshot folder, date, or `latest`.")


def _methods():
    """The methods module, imported only when a method runs: it pulls in
    Altair, vl-convert and the statistics, which would slow every other command."""
    return import_module("workbench.report.methods")


def _opened(snapshot: str) -> OpenedSnapshot:
    from workbench.kpi.opened import open_snapshot

    return open_snapshot(snapshot)


def _show(section: methods.Section, fmt: str) -> None:
    if fmt not in FORMATS:
        raise WorkbenchError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    frame, _, sentence = section
    from workbench.kpi import export

    typer.echo(export.to_csv(frame), nl=False)
    if fmt == "text" and sentence:
        typer.echo(sentence)


def restatement_command(
    week: int = typer.Option(..., "--week", help="Campaign week 1..6."),
    root: Path = typer.Option(None, "--root", help="Folder of snapshots (default: data/snapshots)."),
    fmt: str = _FORMAT,
    lang: str = _LANG,
) -> None:
    """A campaign week's KPIs in every snapshot since the week began: first reported, each later cutoff, now."""
    _show(_methods().restatement_section(week, lang, root), fmt)


def nowcast_command(
    start: str = typer.Option(..., "--start", help="First paid day YYYY-MM-DD (Asia/Shanghai)."),
    end: str = typer.Option(..., "--end", help="Last paid day YYYY-MM-DD, on or before the snapshot's cutoff day."),
    snapshot: str = _SNAPSHOT,
    fmt: str = _FORMAT,
    lang: str = _LANG,
) -> None:
    """Estimate the final settled GMV of a window by channel, with a 95% interval (fen)."""
    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    if last < first:
        raise WorkbenchError(f"--end {last} is before --start {first}; give a window with start <= end")
    from workbench.insights.nowcast import nowcast

    _show(_methods().nowcast_section(nowcast(_opened(snapshot), first, last), lang), fmt)


def lift_command(snapshot: str = _SNAPSHOT, fmt: str = _FORMAT, lang: str = _LANG) -> None:
    """Campaign lift on enrolled accounts' daily short-video GMV (ratio DiD, 95% bootstrap CI) and the naive gap."""
    _show(_methods().lift_section(_opened(snapshot), lang), fmt)
