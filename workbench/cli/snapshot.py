"""`workbench snapshot list|verify|gc`: what snapshots exist, are they sound, and clearing what none needs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from workbench.cli.failures import from_os_error
from workbench.errors import WorkbenchError
from workbench.paths import snapshots_dir
from workbench.snapshot.cleanup import collect
from workbench.snapshot.layout import shown
from workbench.snapshot.manifest import Manifest

# The store, the stamp and verification (PyArrow, DuckDB) are imported by the commands that use them:
# `workbench` starts every command with this module loaded.

app = typer.Typer(no_args_is_help=True, help="List, verify and clean up snapshots.")


def _row(folder: Path) -> tuple[list[str], str | None]:
    """A listing row for one snapshot folder, and what is wrong with it (None when nothing is)."""
    try:
        manifest = Manifest.read(folder)
    except WorkbenchError as err:
        return [folder.name, "?", "damaged", "?", str(folder)], f"damaged: {err}"
    except OSError as err:
        translated = from_os_error(err)
        if translated is None:
            raise
        return [folder.name, "?", "unreadable", "?", str(folder)], f"unreadable: {translated}"
    rows = manifest.rows("orders")
    lines = "?" if rows is None else f"{rows:,}"
    return [folder.name, manifest.cutoff.isoformat(), manifest.source, lines, str(folder)], None


@app.command("list")
def list_command(root: Path = typer.Option(None, help="Folder of snapshots (default: data/snapshots).")) -> None:
    """List complete snapshots with their cutoff, source and order lines.

    A snapshot whose manifest is damaged or unreadable is listed as such,
    with the reason on its own line on stderr, and the command exits 1 after
    listing the others: the listing is complete, but something needs fixing
    (and `latest` may be that snapshot).
    """
    from workbench.snapshot.store import list_snapshots

    base = root or snapshots_dir()
    snaps = list_snapshots(base)
    if not snaps:
        typer.echo(f"no snapshots in {base}")
        return
    table = Table("snapshot", "cutoff", "source", "order lines", "path")
    problems = []
    for snap in snaps:
        row, problem = _row(snap)
        table.add_row(*row)
        if problem:
            problems.append(problem)
    Console().print(table)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)


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
    from workbench.snapshot import stamp
    from workbench.snapshot.store import resolve_path
    from workbench.snapshot.verify import verify

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
    from workbench.snapshot import stamp
    from workbench.snapshot.verify import blocking

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
