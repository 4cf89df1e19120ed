"""The `workbench` command: one sub-command per step of the data flow.

Each sub-command lives in its own module and calls the same Python
functions a notebook would; this module only assembles them and turns a
WorkbenchError into one clear line on stderr and an exit code, never a
traceback.
"""

from __future__ import annotations

import typer

from workbench.cli import snapshot
from workbench.errors import WorkbenchError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Analytics workbench for the WeChat Mini Shop short-video incentive campaign (带货短视频激励计划).",
)
app.add_typer(snapshot.app, name="snapshot")


def main() -> None:
    """Entry point of the `workbench` script."""
    try:
        app()
    except WorkbenchError as err:
        typer.echo(f"error: {err}", err=True)
        raise SystemExit(err.exit_code) from None
