"""Small HTML builders for the report's sections (escaped, no external assets)."""

from __future__ import annotations

from html import escape

from workbench.report.headline import Figure


def section(title: str, body: str, css_class: str = "") -> str:
    """A titled <section>."""
    cls = f' class="{css_class}"' if css_class else ""
    return f"<section{cls}><h2>{escape(title)}</h2>{body}</section>"


def header(title: str, period: str, subtitle: str) -> str:
    """The page header: programme, period and snapshot line."""
    return f'<header class="report-head"><h1>{escape(title)} · {escape(period)}</h1><p>{escape(subtitle)}</p></header>'


def figures(items: list[Figure]) -> str:
    """Headline tiles in a grid."""
    tiles = "".join(
        f'<div class="figure"><div class="label">{escape(f.label)}</div>'
        f'<div class="value">{escape(f.value)}</div>'
        f'<div class="detail {f.tone}">{escape(f.detail)}</div></div>'
        for f in items
    )
    return f'<div class="headline">{tiles}</div>'


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
