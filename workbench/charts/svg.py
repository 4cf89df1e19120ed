"""Altair charts as inline SVG, drawn without any network access, the same on every machine.

vl-convert renders the Vega-Lite spec to SVG in-process, so the page needs
no JavaScript and no CDN. Two things are done around it:

- **Fonts.** Vega lays text out (axis widths, label clipping, legend
  spacing) by measuring it with whatever fonts vl-convert finds. Measured
  with the machine's fonts, the page came out different on a machine
  without CJK fonts (Chinese labels clipped, as if each character were
  half as wide), and no warning said so. So text is measured with one
  font shipped as a Python package, Noto Sans SC (`pylopdf-fonts-zh-cn`,
  registered once per process), whose metrics are those of Noto Sans CJK
  SC / Source Han Sans SC, close to PingFang SC and Microsoft YaHei; then
  the `<text>` elements are given back the house stack (theme.FONT), so
  readers' machines still draw with their own fonts. The same chart gives
  the same bytes with or without system CJK fonts.
- **Hover values.** Vega-Lite describes every mark for screen readers
  (`aria-label`: each encoded field's title and value, tooltip fields
  included, or the `description` channel when a chart sets one). Each
  such mark gets that text as an SVG `<title>` child too, which browsers
  show on hover: values on hover with no script. Lines and areas are one
  path for many data, and their label describes only the first datum, so
  they get no title; their points (`mark_line(point=True)`) do.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import altair as alt
import pylopdf_fonts_zh_cn
import vl_convert

from workbench.charts.theme import FONT

# The family name inside the shipped font file (pylopdf_fonts_zh_cn.sans_path()).
MEASURE_FAMILY = "Noto Sans SC"
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*")
# A start tag with its attributes (values never hold a raw `"`, they may hold `>`).
_START_TAG = re.compile(r'<(?P<name>[a-zA-Z]+)(?P<attrs>(?:\s+[\w:-]+="[^"]*")*)\s*(?P<empty>/?)>')
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
# Vega marks drawn as one element for many data: their aria-label is the first datum's.
_MANY_DATA = ("line", "area", "trail")


@functools.cache
def register_measuring_font() -> None:
    """Let vl-convert find the shipped Noto Sans SC (once per process; registering again would add it twice)."""
    vl_convert.register_font_directory(str(pylopdf_fonts_zh_cn.sans_path().parent))


@functools.cache
def warm_up() -> None:
    """Start vl-convert's JavaScript engine (its first drawing takes most of a second) ahead of the first chart.

    Once per process: the report kernel's preload (report/kernel.py) and each report's methods
    (report/ahead.py) both ask, and a second drawing would only queue behind the page's charts.
    """
    spec_to_svg(
        {"data": {"values": [{"x": 0}]}, "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    )


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an <svg> element to inline in the page."""
    # Not validated again: the chart helpers build valid specs, and validating costs more than drawing.
    return spec_to_svg(chart.to_dict(validate=False))


def spec_to_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec (data inline) as an <svg> element: measured with the shipped font, with hover titles."""
    register_measuring_font()
    svg = vl_convert.vegalite_to_svg(measured_with_shipped_font(spec))
    return hover_titles(reader_fonts(strip_declaration(svg)))


def measured_with_shipped_font(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the house stack swapped for the shipped family, which every text then defaults to."""
    swapped = _swap_font(spec)
    config = swapped.setdefault("config", {})
    config.setdefault("font", MEASURE_FAMILY)
    return swapped


def _swap_font(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _swap_font(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap_font(v) for v in value]
    return MEASURE_FAMILY if value == FONT else value


def reader_fonts(svg: str) -> str:
    """Text measured with the shipped family, drawn with the house stack the reader's machine has."""
    return svg.replace(f'font-family="{MEASURE_FAMILY}"', f'font-family="{html.escape(FONT, quote=True)}"')


def hover_titles(svg: str) -> str:
    """Every data mark that carries a description gets it as a `<title>` child, shown on hover."""

    def titled(tag: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(tag["attrs"]))
        role = attrs.get("aria-roledescription", "")
        label = attrs.get("aria-label")
        if attrs.get("role") != "graphics-symbol" or not label or role in ("axis", "legend", "title"):
            return tag[0]
        if role.split(" ")[0] in _MANY_DATA:
            return tag[0]
        # The attribute value is already escaped (&quot; &amp; &lt;), which is valid text content as it is.
        title = f"<title>{label}</title>"
        if tag["empty"]:
            return f"<{tag['name']}{tag['attrs']}>{title}</{tag['name']}>"
        return f"{tag[0]}{title}"

    return _START_TAG.sub(titled, svg)


def strip_declaration(svg: str) -> str:
    """An SVG document as an element to inline: without its <?xml ...?> declaration."""
    return _XML_DECLARATION.sub("", svg)
