"""The shop report's peer benchmarks (同行对比): the shop against anonymous percentiles of comparable shops.

The frame is queries/shop_peers.sql (`OpenedSnapshot.kpi("shop_peers", start,
end)`), one row per shop and measure for every shop of the snapshot; this
section shows only the report's own shop's rows: its values, its peer
group's level and size, and the group's P25/P50/P75, which the query never
gives for a group below `peer_min_shops` (k-anonymity). No other shop's
id, name or figure reaches the page. A batch computes the frame once for
all its shops (workbench.report.shops); a single report computes it itself.
"""

from __future__ import annotations

from html import escape

import polars as pl

from workbench.formatting import MISSING, format_share
from workbench.report import html
from workbench.text import label, t


def _value(metric: str, value: float | None) -> str:
    """Shares and rates as percentages; points per 10k yuan with one decimal."""
    if value is None:
        return MISSING
    return f"{value:,.1f}" if metric == "points_per_10k_yuan" else format_share(value)


def peers_html(frame: pl.DataFrame, shop: str, lang: str) -> str:
    """The peer section of `shop`'s report from the shop_peers frame (only that shop's rows are read)."""
    rows = frame.filter(pl.col("shop_id") == shop).sort("metric")
    title = t("report.section_peers", lang)
    if rows.is_empty():
        return html.section(title, html.paragraphs([t("report.no_data", lang)], "note"))
    order = ("short_video_share", "newcomer_uptake", "points_per_10k_yuan", "video_conversion")
    by_metric = {r["metric"]: r for r in rows.iter_rows(named=True)}
    head = "".join(
        f"<th>{escape(t(f'report.peers_col_{c}', lang))}</th>"
        for c in ("measure", "shop", "p25", "p50", "p75", "group")
    )
    body = []
    for metric in order:
        row = by_metric.get(metric)
        if row is None:
            continue
        hidden = row["peer_p50"] is None
        group = (
            t("report.peers_group_hidden", lang)
            if hidden
            else t(
                "report.peers_group",
                lang,
                level=label(row["peer_level"], lang),
                band=row["size_band"] or "",
                shops=row["peer_shops"],
            )
        )
        cells = [label(metric, lang), _value(metric, row["value"])]
        cells += [_value(metric, row[c]) for c in ("peer_p25", "peer_p50", "peer_p75")] + [group]
        body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    table = f'<div class="peers"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    note = html.paragraphs([t("report.peers_note", lang)], "note")
    return html.section(title, table + note)
