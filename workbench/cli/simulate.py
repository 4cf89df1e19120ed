"""`workbench simulate`: write a seeded synthetic snapshot at a cutoff date.

Only argument handling lives here; the world comes from
`workbench.simulate.simulate`, the same function a notebook or test calls.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from workbench.cli.failures import writing_to
from workbench.dates import parse_date
from workbench.paths import snapshots_dir
from workbench.simulate.settings import DEFAULT_TRUE_LIFT, parse_scale


def simulate_command(
    seed: int = typer.Option(..., help="World seed; the same seed and scale give the same world at every cutoff."),
    scale: str = typer.Option(
        ..., help="demo (1M order lines), large (100M) or a number of order lines, for 2025-08-01..2026-01-31."
    ),
    cutoff: str = typer.Option(
        ..., help="Snapshot date YYYY-MM-DD (2025-11-01..2026-01-31); statuses as of 23:59:59 Asia/Shanghai."
    ),
    out: Path = typer.Option(
        None,
        help="Snapshot folder to write, named after the cutoff date (default: data/snapshots/<cutoff>); "
        "an existing one must be a snapshot.",
    ),
    true_lift: float = typer.Option(
        DEFAULT_TRUE_LIFT, help="Enrolment multiplies expected daily short-video GMV by 1 + this (0 = no effect)."
    ),
    settle_days: int = typer.Option(7, help="Days from delivery to settlement."),
    progress: bool = typer.Option(
        None, help="Show a progress bar (default: when stdout is a terminal, always for large)."
    ),
) -> None:
    """Generate a synthetic campaign snapshot (accounts, content, traffic, order lines)."""
    from workbench.simulate import simulate  # the generator and its writer, loaded only by this command

    day = parse_date(cutoff, "--cutoff")
    label, _ = parse_scale(scale)
    show = progress if progress is not None else (sys.stdout.isatty() or label == "large")
    with writing_to(out or snapshots_dir() / day.isoformat()):
        path = simulate(seed, label, day, out, true_lift=true_lift, settle_days=settle_days, progress=show)
    typer.echo(f"wrote {path}")
