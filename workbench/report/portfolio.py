"""The portfolio page: every shop of a batch in one league table, for the account team.

`reports/<snapshot>/portfolio-week-NN.html` (and `.xlsx`) is built from the
shop reports' summaries (`<stem>.json`, read from each page's
`data-metric` attributes), so a figure in the league table is the figure on
that shop's page, never a second computation. Sorting needs no script: the
table is pre-rendered once per ranking metric, each behind an anchor; a
reader jumps between rankings with the links on top, and each row links to
the shop's report. The page is for the account team, never sent to a shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

from workbench.files import write_atomic
from workbench.report.params import ReportParams
from workbench.report.render import report_folder
from workbench.report.summary import read_summary
from workbench.text import t

# The ranking metrics, in the order of the page's links; each is a headline metric of docs/report.md.
RANKINGS = (
    "short_video_paid_gmv_fen",
    "short_video_paid_share",
    "short_video_paid_share_wow_pp",
    "newcomers_selling",
    "growth_card_points",
)
# The table's figure columns, in order (total paid GMV is shown, not ranked).
COLUMNS = (
    "short_video_paid_gmv_fen",
    "total_paid_gmv_fen",
    "short_video_paid_share",
    "short_video_paid_share_wow_pp",
    "newcomers_selling",
    "growth_card_points",
)

_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2329; margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 16px; }
h1 { font-size: 22px; border-bottom: 3px solid #07c160; padding-bottom: 8px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 10px; }
nav a { border: 1px solid #e4e6eb; border-radius: 14px; padding: 3px 10px; font-size: 14px;
  color: #0a58ca; text-decoration: none; }
.meta { color: #646a73; font-size: 13px; }
.wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 14px; min-width: 100%; }
th, td { padding: 6px 8px; border-bottom: 1px solid #eef0f3; text-align: right; white-space: nowrap; }
th { background: #f6f7f9; font-weight: 600; }
td.shop, th.shop { text-align: left; white-space: normal; min-width: 8em; }
th.ranked { color: #067d3f; }
section:target h2 { color: #067d3f; }
a { color: #0a58ca; }
@media print { nav { display: none; } section { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class ShopRow:
    """One shop of the portfolio: its id, name, report link (relative) and headline metrics."""

    shop: str
    name: str
    link: str | None
    metrics: dict[str, dict[str, Any]]

    def value(self, name: str) -> float | None:
        metric = self.metrics.get(name)
        return None if metric is None else metric.get("value")

    def text(self, name: str) -> str:
        metric = self.metrics.get(name)
        return "–" if metric is None or not metric.get("text") else str(metric["text"])


def stem(params: ReportParams) -> str:
    """`portfolio-week-NN` (Chinese) or `portfolio-week-NN-en`."""
    return f"portfolio-{params.slug}" + ("" if params.lang == "zh" else f"-{params.lang}")


def shop_rows(base: ReportParams, shops: dict[str, str], out_dir: Path | None = None) -> list[ShopRow]:
    """Every shop's row from its report summary; a shop without one (its report failed) keeps its name, no figures."""
    root = report_folder(base, out_dir).parent
    rows = []
    for shop, name in shops.items():
        params = base.for_shop(shop)
        folder = report_folder(params, out_dir)
        summary = read_summary(folder / f"{params.stem}.json")
        html = folder / f"{params.stem}.html"
        link = html.relative_to(root).as_posix() if summary is not None and html.exists() else None
        rows.append(ShopRow(shop, name or shop, link, (summary or {}).get("metrics", {})))
    return rows


def ranked(rows: list[ShopRow], metric: str) -> list[ShopRow]:
    """Highest first; shops without the figure last, then by shop id."""
    return sorted(rows, key=lambda r: (r.value(metric) is None, -(r.value(metric) or 0), r.shop))


def _table(rows: list[ShopRow], metric: str, lang: str) -> str:
    # The ranking's own figure comes first after the shop, so a phone shows it without scrolling the table.
    columns = (metric, *(c for c in COLUMNS if c != metric))
    heads = "".join(
        f'<th class="{"ranked" if c == metric else ""}">{escape(t(f"portfolio.col_{c}", lang))}</th>' for c in columns
    )
    body = []
    for rank, row in enumerate(ranked(rows, metric), start=1):
        name = escape(row.name)
        shop = (
            f'<a href="{escape(row.link)}">{name}</a>'
            if row.link
            else f"{name} ({escape(t('portfolio.failed', lang))})"
        )
        cells = "".join(f"<td>{escape(row.text(c))}</td>" for c in columns)
        body.append(
            f'<tr><td>{rank}</td><td class="shop">{shop}<br><span class="meta">{escape(row.shop)}</span></td>{cells}</tr>'
        )
    head = f'<tr><th>#</th><th class="shop">{escape(t("portfolio.col_shop", lang))}</th>{heads}</tr>'
    return f'<div class="wrap"><table><thead>{head}</thead><tbody>{"".join(body)}</tbody></table></div>'


def page(base: ReportParams, rows: list[ShopRow]) -> str:
    """The portfolio page: links to each ranking, then one ranked table per metric."""
    lang = base.lang
    title = t("portfolio.title", lang, period=base.period)
    nav = "".join(f'<a href="#by-{m}">{escape(t(f"portfolio.by_{m}", lang))}</a>' for m in RANKINGS)
    sections = "".join(
        f'<section id="by-{m}"><h2>{escape(t(f"portfolio.by_{m}", lang))}</h2>{_table(rows, m, lang)}</section>'
        for m in RANKINGS
    )
    manifest = base.manifest
    meta = t(
        "portfolio.meta",
        lang,
        shops=len(rows),
        snapshot=manifest.snapshot_date,
        cutoff=manifest.cutoff.strftime("%Y-%m-%d %H:%M"),
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body><main><h1>{escape(title)}</h1><p class="meta">{escape(meta)}</p><nav>{nav}</nav>{sections}</main></body>\n'
        "</html>\n"
    )


def frame(rows: list[ShopRow]) -> pl.DataFrame:
    """The league table as a frame (raw values: fen, shares, pp, counts, points), by short-video paid GMV."""
    ordered = ranked(rows, RANKINGS[0])
    data: dict[str, list[Any]] = {"shop_id": [r.shop for r in ordered], "shop_name": [r.name for r in ordered]}
    for column in COLUMNS:
        data[column] = [r.value(column) for r in ordered]
    schema = {
        "shop_id": pl.String,
        "shop_name": pl.String,
        "short_video_paid_gmv_fen": pl.Int64,
        "total_paid_gmv_fen": pl.Int64,
        "short_video_paid_share": pl.Float64,
        "short_video_paid_share_wow_pp": pl.Float64,
        "newcomers_selling": pl.Int64,
        "growth_card_points": pl.Float64,
    }
    return pl.DataFrame(data, schema=schema)


def write_portfolio(base: ReportParams, shops: dict[str, str], out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write `portfolio-<slug>.html` and `.xlsx` beside the snapshot's report folders; returns both paths."""
    from workbench.snapshot.layout import shown
    from workbench.tables import Sheet, Source, workbook

    rows = shop_rows(base, shops, out_dir)
    root = report_folder(base, out_dir).parent
    name = stem(base)
    html = write_atomic(root / f"{name}.html", page(base, rows))
    m = base.manifest
    sheet = Sheet("portfolio", "portfolio", t("portfolio.sheet", "zh"), t("portfolio.sheet", "en"), frame(rows))
    source = Source(m.snapshot_date, m.cutoff.isoformat(), m.source, str(shown(m.path)))
    xlsx = write_atomic(root / f"{name}.xlsx", workbook([sheet], source, base.lang))
    return html, xlsx
