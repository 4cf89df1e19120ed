"""Small HTML builders for the report's sections (escaped, no external assets)."""

from __future__ import annotations

from html import escape

from workbench.report.headline import Card, Line, Metric
from workbench.text import t


def section(title: str, body: str, css_class: str = "") -> str:
    """A titled <section>."""
    cls = f' class="{css_class}"' if css_class else ""
    return f"<section{cls}><h2>{escape(title)}</h2>{body}</section>"


def header(title: str, period: str, subtitle: str) -> str:
    """The page header: programme, period and snapshot line."""
    return f'<header class="report-head"><h1>{escape(title)} · {escape(period)}</h1><p>{escape(subtitle)}</p></header>'


def metric(m: Metric) -> str:
    """A number as shown, carrying its machine name and raw value (`data-metric`, `data-value`; empty when missing)."""
    raw = "" if m.value is None else repr(m.value)
    return f'<span class="m" data-metric="{escape(m.name)}" data-value="{escape(raw)}">{escape(m.text)}</span>'


def line(item: Line, lang: str) -> str:
    """A catalogue sentence with its metrics marked up in place (the sentence text itself escaped)."""
    marks = {name: f"\x00{name}\x00" for name in item.fields}
    out = escape(t(item.key, lang, **marks))
    for name, value in item.fields.items():
        out = out.replace(marks[name], metric(value) if isinstance(value, Metric) else escape(value))
    return out


def cards(items: list[Card], lang: str, note: Line | None = None) -> str:
    """Headline cards in a grid, an optional note (a partial week) above them."""
    tiles = "".join(
        f'<div class="card{" estimate" if c.estimate else ""}">'
        f'<div class="label">{escape(c.label)}'
        + (f' <span class="badge">{escape(t("report.estimate_badge", lang))}</span>' if c.estimate else "")
        + f'</div><div class="value {c.tone}">{metric(c.main)}</div>'
        + "".join(f'<div class="detail">{line(item, lang)}</div>' for item in c.lines)
        + "</div>"
        for c in items
    )
    lead = f'<p class="partial">{line(note, lang)}</p>' if note else ""
    return f'{lead}<div class="headline">{tiles}</div>'


def bullets(lines: list[str], css_class: str) -> str:
    """A bulleted list of sentences."""
    return f'<ul class="{css_class}">' + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def paragraphs(lines: list[str], css_class: str) -> str:
    """A box of short paragraphs."""
    return f'<div class="{css_class}">' + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>"


def chart(title: str, svg: str | None, empty_text: str) -> str:
    """One chart tile: inline SVG, or a visible 'no data' line instead of a blank box."""
    body = svg if svg else f'<div class="empty">{escape(empty_text)}</div>'
    return f'<figure class="chart"><h3>{escape(title)}</h3>{body}</figure>'


def chart_grid(tiles: list[str]) -> str:
    """Charts two to a row."""
    return f'<div class="charts">{"".join(tiles)}</div>'


def details(summary: str, body: str) -> str:
    """A block one click down (`<details>`): statistics an executive may skip, expanded when printed."""
    return f'<details class="more"><summary>{escape(summary)}</summary>{body}</details>'
