"""Altair charts as inline SVG, drawn without any network access.

vl-convert renders the Vega-Lite spec to SVG in-process, so the page needs
no JavaScript and no CDN. Text stays as <text> elements whose font-family
is the house theme's Chinese-first stack (workbench.charts), so labels
render with the reader's CJK fonts.
"""

from __future__ import annotations

import re

import altair as alt
import vl_convert

_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*")


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an <svg> element to inline in the page."""
    return strip_declaration(vl_convert.vegalite_to_svg(chart.to_json()))


def strip_declaration(svg: str) -> str:
    """An SVG document as an element to inline: without its <?xml ...?> declaration."""
    return _XML_DECLARATION.sub("", svg)
