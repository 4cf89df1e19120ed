"""The `workbench` command: one sub-command per step of the data flow.

Each sub-command lives in its own module and calls the same Python
functions a notebook would; this module only assembles them and turns a
WorkbenchError, or a failure of the environment (a read-only folder, a full
disk: `workbench.cli.failures`), into one clear line on stderr and an exit
code, never a traceback. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import typer

from workbench.cli import failures, snapshot
from workbench.cli.ingest import ingest_command
from workbench.cli.insights import lift_command, nowcast_command, restatement_command
from workbench.cli.kpi import kpi_command
from workbench.cli.run import report_notify_command, run_command, runs_command
from workbench.cli.simulate import simulate_command
from workbench.errors import WorkbenchError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Analytics workbench for the WeChat Mini Shop short-video incentive campaign (带货短视频激励计划).",
)
app.add_typer(snapshot.app, name="snapshot")
app.command("ingest")(ingest_command)
app.command("kpi")(kpi_command)
app.command("report")(report_notify_command)
app.command("run")(run_command)
app.command("runs")(runs_command)
app.command("simulate")(simulate_command)
app.command("restatement")(restatement_command)
app.command("nowcast")(nowcast_command)
app.command("lift")(lift_command)


def main() -> None:
    """Entry point of the `workbench` script."""
    try:
        try:
            app()
        except Exception as err:  # an OSError or DuckDB's IOException, which failures.translate tells apart
            translated = failures.translate(err)
            if translated is None:
                raise
            raise translated from err
    except WorkbenchError as err:
        typer.echo(f"error: {err}", err=True)
        raise SystemExit(err.exit_code) from None
