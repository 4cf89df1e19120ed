"""`workbench report`: render the weekly report notebook to offline HTML.

Arguments are checked (workbench.report.params) before any kernel starts,
so a typo or a snapshot that no longer matches its verification stamp
costs no time and exits 2; the printed HTML path is the one thing cron or
`make report` needs. The snapshot's version folder is held until the last
kernel is done, so a republish meanwhile cannot remove what they read.
`--pdf` and `--png` need headless Chromium (workbench.report.export),
which is looked for before anything is rendered.
"""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.errors import WorkbenchError
from workbench.report.export import export, find_chromium
from workbench.report.index import write_index
from workbench.report.params import every_complete_week, latest, validate
from workbench.snapshot.hold import keep


def report_command(
    week: int = typer.Option(None, "--week", help="Campaign week 1-6 (7-day windows from 2025-11-22)."),
    start: str = typer.Option(None, help="Window start YYYY-MM-DD (Asia/Shanghai), instead of --week."),
    end: str = typer.Option(None, help="Window end YYYY-MM-DD, inclusive."),
    latest_week: bool = typer.Option(False, "--latest", help="The last complete week of the snapshot."),
    all_weeks: bool = typer.Option(False, "--all", help="Every complete week of the snapshot, two at a time."),
    snapshot: str = typer.Option("latest", help="Snapshot folder, date, or `latest`."),
    lang: str = typer.Option("zh", help="Report language: zh or en."),
    category: str = typer.Option(None, help="A category to set against the rest, e.g. food."),
    out_dir: Path = typer.Option(None, "--out-dir", help="Folder for reports (default: reports/)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print each page to <stem>.pdf (A4) with headless Chromium."),
    png: bool = typer.Option(False, "--png", help="Also save each page as <stem>.png, one long phone-width image."),
) -> None:
    """Render reports/<snapshot_date>/week-NN/ (.ipynb and .html) and print the HTML path."""
    if latest_week + all_weeks + (week is not None or start is not None or end is not None) != 1:
        raise WorkbenchError("choose one of --week N, --start/--end, --latest or --all")
    browser = find_chromium() if pdf or png else None  # a missing browser is told before any kernel starts
    # Imported here: papermill and nbconvert take a second to import, which
    # every other workbench command would otherwise pay at start-up.
    from workbench.report.batch import render_all
    from workbench.report.render import render

    if all_weeks:
        reports = every_complete_week(snapshot, lang, category)
        with keep(reports[0].manifest.path):
            pages = render_all(reports, out_dir)
    else:
        if latest_week:
            params = latest(snapshot, lang, category)
        else:
            params = validate(snapshot, week=week, start=start, end=end, lang=lang, category=category)
        with keep(params.manifest.path):
            pages = [render(params, out_dir)]
            typer.echo(str(pages[0]))
    write_index(out_dir)
    if browser is not None:
        for page in pages:
            for written in export(page, browser, pdf=pdf, png=png):
                typer.echo(str(written))
