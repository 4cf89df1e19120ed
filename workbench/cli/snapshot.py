"""`workbench snapshot list|verify|gc`: what snapshots exist, are they sound, and clearing what none needs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from workbench.paths import snapshots_dir
from workbench.snapshot import stamp
from workbench.snapshot.cleanup import collect
from workbench.snapshot.layout import shown
from workbench.snapshot.manifest import Manifest
from workbench.snapshot.store import list_snapshots, resolve_path
from workbench.snapshot.verify import blocking, verify

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
def verify_command(
    snapshot: str = typer.Argument(..., help="Snapshot folder, date, or `latest`."),
    fix_stamp: bool = typer.Option(
        False,
        "--fix-stamp",
        help="Record the verification stamp readers check, if nothing found changes the numbers: "
        "after a deliberate repair, or for a snapshot another tool wrote.",
    ),
) -> None:
    """Check checksums, tables, columns, types, keys and value rules; exit 1 on any problem."""
    path = resolve_path(snapshot)
    name = shown(path)
    if fix_stamp:
        _fix_stamp(path)
        return
    problems = verify(path)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{name}: {len(problems)} problem(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name}: ok")
    changed = stamp.mismatch(path)
    if changed:
        typer.echo(
            f"note: readers refuse it as it is ({changed}); "
            f"`workbench snapshot verify {name} --fix-stamp` records its verified state",
            err=True,
        )


def _fix_stamp(path: Path) -> None:
    """Full verification; the stamp is recorded only when no problem blocks it (exit 1 otherwise)."""
    name = shown(path)
    problems = stamp.verify_and_record(path)
    for problem in problems:
        typer.echo(str(problem))
    bad = blocking(problems)
    if bad:
        typer.echo(
            f"{name}: {len(bad)} problem(s), not stamped: readers keep refusing it; repair it or re-ingest it",
            err=True,
        )
        raise typer.Exit(1)
    also = f" ({len(problems)} finding(s) above that the readers' casts make harmless)" if problems else ""
    typer.echo(f"{name}: verified, stamp recorded{also}")


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
