"""`workbench snapshot list|verify|gc`: what snapshots exist, are they sound, and clearing what none needs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from workbench.paths import snapshots_dir
from workbench.snapshot.cleanup import collect
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.store import list_snapshots, resolve_path
from workbench.snapshot.verify import verify

app = typer.Typer(no_args_is_help=True, help="List, verify and clean up snapshots.")


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


@app.command("gc")
def gc_command(root: Path = typer.Option(None, help="Folder of snapshots (default: data/snapshots).")) -> None:
    """Remove versions no snapshot date points to and leftovers of interrupted writes; keep what is in use."""
    base = root or snapshots_dir()
    result = collect(base)
    for path in result.removed:
        typer.echo(f"removed {path}")
    for path, why in result.kept:
        typer.echo(f"kept {path}: {why}")
    if not result.removed and not result.kept:
        typer.echo(f"nothing to remove in {base}")
