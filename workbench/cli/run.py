"""`workbench run`, `workbench runs` and `workbench report --notify`: the scheduled pipeline and who is told.

`run` is what cron calls: under the run lock, ingest an exports folder
(optional), check the snapshot against its verification stamp, render the
report exactly as `workbench report` does (every option of `report` is an
option of `run`, declared once: workbench.cli.options), notify, append the
run to `reports/runs.jsonl` and rebuild the index. Whatever step fails, the
run is recorded, the failure is sent, and the exit code is non-zero; a
notification that cannot be delivered fails the run too, but the report it
announced stays. Webhook keys are shown only in apprise's privacy form.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from workbench.cli import failures
from workbench.cli.ingest import print_summary
from workbench.cli.options import combine, names
from workbench.cli.report import report_command
from workbench.errors import WorkbenchError
from workbench.notify import messages
from workbench.notify.targets import ENV, Target, redact, targets
from workbench.paths import reports_dir, snapshots_dir
from workbench.run import history, lock
from workbench.run.pipeline import Run, now
from workbench.snapshot.manifest import Manifest

if TYPE_CHECKING:
    from workbench.report.params import ReportParams

# The ingest, the snapshot store, the report's modules and apprise's delivery are imported by the
# steps that use them: `workbench` starts every command with this module loaded.

_WINDOW = ("week", "start", "end", "latest_week", "all_weeks")


def _notify_options(
    notify: list[str] = typer.Option(
        None,
        "--notify",
        help=f"Apprise URL to tell (repeatable), e.g. wecombot://KEY; default: ${ENV} (space-separated).",
    ),
    public_url: str = typer.Option(
        None, "--public-url", help="Base URL where the reports folder is served: messages link there."
    ),
    attach: bool = typer.Option(False, "--attach", help="Attach the HTML (and PDF) where the service allows."),
) -> None:
    """Declares the notification options of `run` and `report`."""


def _run_options(
    exports: Path = typer.Option(None, "--exports", help="Ingest this exports folder first (workbench ingest)."),
    cutoff: str = typer.Option(None, help="Cutoff for --exports, YYYY-MM-DD (default: yesterday, Asia/Shanghai)."),
    check: bool = typer.Option(False, "--check", help="Only check: exit 0 if the latest run succeeded recently."),
    max_age: str = typer.Option("8d", "--max-age", help="For --check: how recent, e.g. 8d, 36h."),
) -> None:
    """Declares the options only `run` has."""


# --- the steps ---------------------------------------------------------------------------------


def _ingest(exports: Path, cutoff: str) -> Path:
    """`workbench ingest EXPORTS --cutoff CUTOFF`, its summary printed; the new snapshot's folder."""
    from workbench.ingest import ingest

    with failures.writing_to(snapshots_dir() / cutoff):
        result = ingest(exports, cutoff, None)
    print_summary(result, Console())
    return result.path


def _announced(manifest: Manifest, options: dict[str, Any]) -> ReportParams:
    """The report a run tells people about: the one rendered, or the latest week of `--all`."""
    from workbench.report.params import latest, validate

    lang, category, shop = options["lang"], options["category"], options.get("shop")
    if options["all_weeks"] or options["latest_week"]:
        return latest(manifest, lang, category, shop=shop)
    return validate(
        manifest,
        week=options["week"],
        start=options["start"],
        end=options["end"],
        lang=lang,
        category=category,
        shop=shop,
    )


def _report(manifest: Manifest, options: dict[str, Any]) -> ReportParams:
    """`workbench report` with these options on exactly this snapshot; the parameters of the report to announce."""
    report_command(**{**{k: options[k] for k in names(report_command)}, "snapshot": str(manifest.path)})
    return _announced(manifest, options)


def _where(path: Path, out: Path, public_url: str | None) -> str:
    """Where a file can be opened: a link under --public-url, else its path."""
    if public_url and path.is_relative_to(out):
        return f"{public_url.rstrip('/')}/{path.relative_to(out).as_posix()}"
    return str(path)


def _failed_notebooks(run: Run, out: Path) -> list[Path]:
    """Notebooks this run's report step left as `*.failed.ipynb`."""
    since = run.start.timestamp() - 1
    found = [p for p in out.glob("*/*/*.failed.ipynb") if p.stat().st_mtime >= since]
    return sorted(found)


def _message(
    run: Run, params: ReportParams | None, out: Path, options: dict[str, Any], recorded: bool
) -> messages.Message:
    """The success message with the report's headline, or the failure message with the error and where to look."""
    public_url = options["public_url"]
    if run.ok and params is not None and options.get("each_shop"):
        return _batch_message(run, params, out, options)
    if run.ok and params is not None:
        dated = out / params.manifest.snapshot_date.isoformat()
        folder = (dated / "shops" / params.shop if params.shop else dated) / params.slug
        html = folder / f"{params.stem}.html"
        run.report = str(html)
        from workbench.report.summary import read_summary

        summary = read_summary(folder / f"{params.stem}.json") or {"title": params.title, "lang": params.lang}
        pdf = html.with_suffix(".pdf")
        attach = (html, *((pdf,) if pdf.exists() else ())) if options["attach"] else ()
        return messages.success(summary, _where(html, out, public_url), attach)
    notebooks = [_where(p, out, public_url) for p in _failed_notebooks(run, out)]
    where = str(out / history.HISTORY) if recorded else None
    return messages.failure(run.failed_step or "report", str(run.error), options["lang"], notebooks, where)


def _batch_message(run: Run, params: ReportParams, out: Path, options: dict[str, Any]) -> messages.Message:
    """`--each-shop`: how many shop pages this run wrote, and the portfolio page (the account team's view)."""
    # Imported here, as in cli/report.py: the batch modules pull in papermill and Altair.
    from workbench.report.portfolio import stem as portfolio_stem
    from workbench.report.shops import checked_shops, read_shop_list

    dated = out / params.manifest.snapshot_date.isoformat()
    page = dated / f"{portfolio_stem(params)}.html"
    since = run.start.timestamp() - 1
    written = [p for p in dated.glob(f"shops/*/{params.slug}/{params.stem}.html") if p.stat().st_mtime >= since]
    listed = read_shop_list(options["shops_file"]) if options.get("shops_file") else None
    shops = len(checked_shops(params.manifest, listed))
    attach = (page, page.with_suffix(".xlsx")) if options["attach"] else ()
    where = _where(page, out, options["public_url"])
    snapshot = params.manifest.snapshot_date.isoformat()
    return messages.portfolio(params.title, len(written), shops, snapshot, where, params.lang, attach)


def _notify(run: Run, message: messages.Message, sent_to: list[Target]) -> None:
    """Send, say what happened to each target, and fail the run (step `notify`) if any was not delivered."""
    from workbench.notify.send import deliver

    deliveries = deliver(message, sent_to)
    run.notifications = [d.as_record() for d in deliveries]
    for delivery in deliveries:
        if delivery.ok:
            typer.echo(f"notified {delivery.target}")
        else:
            typer.echo(f"notification to {delivery.target} failed: {delivery.error}", err=True)
    lost = [d for d in deliveries if not d.ok]
    if lost:
        detail = "; ".join(f"{d.target}: {d.error}" for d in lost)
        kept = f"; the report was kept: {run.report}" if run.report else ""
        run.fail(
            "notify",
            WorkbenchError(f"{len(lost)} of {len(deliveries)} notification(s) not delivered ({detail}){kept}", 1),
        )


def _scrubbed(value: Any, sent_to: list[Target]) -> Any:
    """`value` (a history record) with every secret of the targets removed from its strings."""
    if isinstance(value, str):
        return redact(value, sent_to)
    if isinstance(value, dict):
        return {k: _scrubbed(v, sent_to) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, sent_to) for v in value]
    return value


def _recorded_parameters(options: dict[str, Any], sent_to: list[Target]) -> dict[str, Any]:
    """The options as the history keeps them: paths as text, notification targets in their privacy form."""
    kept = {k: str(v) if isinstance(v, Path) else v for k, v in options.items() if k not in ("notify", "check")}
    kept["notify"] = [t.shown for t in sent_to]
    return kept


# --- the commands ------------------------------------------------------------------------------


@combine(report_command, _notify_options)
def report_notify_command(**options: Any) -> None:
    sent_to = targets(options.pop("notify"))
    public_url, attach = options.pop("public_url"), options.pop("attach")
    if not sent_to:
        report_command(**options)
        return
    run = Run("report", _recorded_parameters(options, sent_to), failures.translate)
    out = options["out_dir"] or reports_dir()
    from workbench.snapshot import store

    manifest = run.step("verify", store.resolve, options["snapshot"])
    params = run.step("report", _report, manifest, options) if manifest else None
    message = _message(run, params, out, {**options, "public_url": public_url, "attach": attach}, recorded=False)
    _notify(run, message, sent_to)
    run.finish()


report_notify_command.__doc__ = f"{report_command.__doc__} With --notify, tell people how it went."


@combine(report_command, _notify_options, _run_options)
def run_command(**options: Any) -> None:
    """The scheduled pipeline in one command: ingest (with --exports), check, report, notify, record (reports/runs.jsonl), index."""
    out = options["out_dir"] or reports_dir()
    if options["check"]:
        ok, line = history.check(out, history.parse_age(options["max_age"]), now())
        typer.echo(line)
        raise typer.Exit(0 if ok else 1)
    sent_to = targets(options["notify"])
    if not any(options[k] for k in _WINDOW):
        options["latest_week"] = True
    if options["exports"] is not None and options["cutoff"] is None:
        options["cutoff"] = (now().date() - timedelta(days=1)).isoformat()
    run = Run("run", _recorded_parameters(options, sent_to), failures.translate)
    from workbench.report.index import write_index
    from workbench.snapshot import store

    with lock.hold(out, run.start):
        snapshot = options["snapshot"]
        if options["exports"] is not None:
            ingested = run.step("ingest", _ingest, options["exports"], options["cutoff"])
            snapshot = ingested if options["snapshot"] == "latest" else snapshot
        manifest = run.step("verify", store.resolve, snapshot)
        if manifest is not None:
            run.note_snapshot(manifest)
        params = run.step("report", _report, manifest, options)
        _notify(run, _message(run, params, out, options, recorded=True), sent_to)
        history.append(out, _scrubbed(run.record(), sent_to))
        write_index(out)
    run.finish()


def runs_command(
    limit: int = typer.Option(10, "--limit", min=1, help="How many of the latest runs to show."),
    out_dir: Path = typer.Option(None, "--out-dir", help="Folder for reports (default: reports/)."),
) -> None:
    """The latest scheduled runs from reports/runs.jsonl: when, outcome, snapshot, steps, notifications."""
    base = out_dir or reports_dir()
    runs = history.read(base)[-limit:]
    if not runs:
        typer.echo(f"no run recorded in {base / history.HISTORY}")
        return
    table = Table("start", "outcome", "snapshot", "steps (s)", "notified", "error", title=str(base / history.HISTORY))
    for record in reversed(runs):
        steps = " ".join(f"{name} {seconds:.1f}" for name, seconds in record.get("steps", {}).items())
        sent = record.get("notifications", [])
        notified = f"{sum(1 for n in sent if n.get('ok'))}/{len(sent)}" if sent else "-"
        failed = f"{record.get('failed_step')}: {record.get('error')}" if record.get("failed_step") else ""
        outcome = record.get("outcome", "?")
        style = "green" if outcome == history.SUCCESS else "red"
        cells = (
            str(record.get("start", "?"))[:16].replace("T", " "),
            record.get("snapshot") or "-",
            steps,
            notified,
            failed,
        )
        table.add_row(escape(cells[0]), f"[{style}]{escape(outcome)}[/]", *(escape(c) for c in cells[1:]))
    Console().print(table)
