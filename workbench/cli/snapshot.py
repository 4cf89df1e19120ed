"""`workbench snapshot list|verify`: what snapshots exist, and are they sound."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from workbench.paths import snapshots_dir
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.store import list_snapshots, resolve_path
from workbench.snapshot.verify import verify

app = typer.Typer(no_args_is_help=True, help="List and verify snapshots.")


@app.command("list")
def list_command(root: Path = typer.Option(None, help="Folder of snapshots (default: data/snapshots).")) -> None:
    """List complete snapshots with their cutoff, source and order lines."""
    base = root or snapshots_dir()
    snaps = list_snapshots(base)
    if not snaps:
        typer.echo(f"no snapshots in {base}")
        return
    table = Table("snapshot", "cutoff", "source", "order lines", "path")
    for snap in snaps:
        manifest = Manifest.read(snap)
        rows = manifest.rows("orders")
        table.add_row(
            snap.name, manifest.cutoff.isoformat(), manifest.source, "?" if rows is None else f"{rows:,}", str(snap)
        )
    Console().print(table)


@app.command("verify")
def verify_command(snapshot: str = typer.Argument(..., help="Snapshot folder, date, or `latest`.")) -> None:
    """Check checksums, tables, columns, types, keys and value rules; exit 1 on any problem."""
    path = resolve_path(snapshot)
    problems = verify(path)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{path}: {len(problems)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: ok")
