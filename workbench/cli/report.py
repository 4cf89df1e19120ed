"""`workbench report`: render the weekly report notebook to offline HTML.

Arguments are checked (workbench.report.params) while the kernel boots
(report/kernel.py), and a typo or a snapshot that no longer matches its
verification stamp kills it at once and exits 2; the printed HTML path is the one thing cron or
`make report` needs. The snapshot's version folder is held until the last
kernel is done, so a republish meanwhile cannot remove what they read.
`--pdf` and `--png` need headless Chromium (workbench.report.export),
which is looked for before anything is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from workbench.errors import WorkbenchError
from workbench.report.export import export, find_chromium
from workbench.snapshot.hold import keep

if TYPE_CHECKING:
    from workbench.report.params import ReportParams


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
    shop: str = typer.Option(None, "--shop", help="One shop's report: its orders, its promoters, its own accounts."),
    each_shop: bool = typer.Option(
        False, "--each-shop", help="A report per shop under <snapshot>/shops/<shop_id>/, one process, no kernel."
    ),
    shops_file: Path = typer.Option(None, "--shops", help="With --each-shop: a file of shop ids, one a line."),
) -> None:
    """Render reports/<snapshot_date>/week-NN/ (.ipynb and .html) and print the HTML path."""
    if latest_week + all_weeks + (week is not None or start is not None or end is not None) != 1:
        raise WorkbenchError("choose one of --week N, --start/--end, --latest or --all")
    if each_shop and (shop is not None or all_weeks):
        raise WorkbenchError("--each-shop renders every shop of one week; give it without --shop and --all")
    if shops_file is not None and not each_shop:
        raise WorkbenchError("--shops FILE lists the shops of --each-shop; add --each-shop")
    browser = find_chromium() if pdf or png else None  # a missing browser is told before any kernel starts
    if not (each_shop or all_weeks):
        pages = [_one(snapshot, latest_week, week, start, end, lang, category, shop, out_dir)]
        typer.echo(str(pages[0]))
    else:
        # Imported here, as everywhere in the CLI: they bring DuckDB, Polars and PyArrow.
        from workbench.report.params import every_complete_week, latest, validate

        if each_shop:
            base = (
                latest(snapshot, lang, category)
                if latest_week
                else validate(snapshot, week=week, start=start, end=end, lang=lang, category=category)
            )
            with keep(base.manifest.path):
                pages = _each_shop(base, shops_file, out_dir)
            if browser is not None:
                for page in pages:
                    export(page, browser, pdf=pdf, png=png)
            return
        if shop is not None:
            raise WorkbenchError("--all renders the whole snapshot's weeks; give --week N or --latest with --shop")
        # papermill and nbconvert take a second to import, which every other command would pay at start-up.
        from workbench.report.batch import render_all

        reports = every_complete_week(snapshot, lang, category)
        with keep(reports[0].manifest.path):
            pages = render_all(reports, out_dir)
    from workbench.report.index import write_index

    write_index(out_dir)
    if browser is not None:
        for page in pages:
            for written in export(page, browser, pdf=pdf, png=png):
                typer.echo(str(written))


def _one(
    snapshot: str,
    latest_week: bool,
    week: int | None,
    start: str | None,
    end: str | None,
    lang: str,
    category: str | None,
    shop: str | None,
    out_dir: Path | None,
) -> Path:
    """One report. Its kernel is started first (report/kernel.py): it boots on another core while
    the modules below are imported and the arguments checked, and is killed if they are refused."""
    from workbench.report.kernel import started

    with started() as kernel:
        from workbench.report.params import latest, validate
        from workbench.report.render import render

        if latest_week:
            params = latest(snapshot, lang, category, shop=shop)
        else:
            params = validate(snapshot, week=week, start=start, end=end, lang=lang, category=category, shop=shop)
        with keep(params.manifest.path):
            return render(params, out_dir, kernel)


def _each_shop(base: ReportParams, shops_file: Path | None, out_dir: Path | None) -> list[Path]:
    """Every shop's report (or the listed ones'); failures listed at the end, exit 1 if any."""
    from workbench.report.portfolio import write_portfolio
    from workbench.report.shops import checked_shops, read_shop_list, render_shops

    shops = checked_shops(base.manifest, read_shop_list(shops_file) if shops_file else None)
    batch = render_shops(base, list(shops), out_dir)
    typer.echo(f"{len(batch.pages)} of {len(shops)} shop report(s) written under {_shops_root(base, out_dir)}")
    for written in write_portfolio(base, shops, out_dir):
        typer.echo(str(written))
    if batch.failures:
        listed = "\n".join(f"  {shop}: {why}" for shop, why in batch.failures.items())
        raise WorkbenchError(f"{len(batch.failures)} of {len(shops)} shop report(s) failed:\n{listed}", 1)
    return batch.pages


def _shops_root(base: ReportParams, out_dir: Path | None) -> Path:
    from workbench.paths import reports_dir

    return (out_dir or reports_dir()) / base.manifest.snapshot_date.isoformat() / "shops"
