"""House charts as live Vega-Lite in JupyterLab, with an SVG picture beside them.

`use_notebook_renderer()` (or `charts.use_notebook_renderer()`) makes every
Altair chart a notebook shows come out as one mimebundle:

- the spec under the Vega-Lite v5 mimetype, which JupyterLab 4 draws with the
  Vega it ships (no network, no CDN): tooltips on every mark, and on a time
  axis, or a quantitative axis of lines, drag to pan and scroll to zoom the x
  axis (double-click resets). Altair 6 writes Vega-Lite v6, whose mimetype
  this JupyterLab does not draw; the specs the house helpers make use nothing
  v6-only, so only `$schema` changes (tests/test_charts.py compiles each one
  as Vega-Lite 5.8);
- `image/svg+xml`, the report's own SVG (`workbench.charts.svg.spec_to_svg`:
  the shipped measuring font, hover titles), which nbconvert exports,
  GitHub previews and any front end without Vega show instead.

The report does not go through a renderer: it inlines
`workbench.charts.svg.to_svg`, which this module leaves as it is.
"""

from __future__ import annotations

import copy
from typing import Any

import altair as alt

from workbench.charts.svg import spec_to_svg

NAME = "workbench"
VEGALITE_V5 = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
# An identifier only: the front end matches it, nothing is fetched.
SCHEMA_V5 = "https://vega.github.io/schema/vega-lite/v5.json"
ZOOM = "workbench_zoom"
# A quantitative x axis is worth zooming when it carries curves; bars keep their zero baseline.
_CURVES = {"line", "area", "trail"}


def _mark_type(view: dict[str, Any]) -> str | None:
    mark = view.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def _zoomable(view: dict[str, Any]) -> bool:
    """A single view whose x axis is time, or quantities along a curve."""
    x = view.get("encoding", {}).get("x")
    if not isinstance(x, dict) or "field" not in x:
        return False
    return x.get("type") == "temporal" or (x.get("type") == "quantitative" and _mark_type(view) in _CURVES)


def _single_views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The single views of a spec, layers within layers included, in drawing order."""
    if "layer" in spec:
        return [view for layer in spec["layer"] for view in _single_views(layer)]
    return [spec] if "mark" in spec else []


def _add_zoom(spec: dict[str, Any]) -> None:
    """An x interval bound to the scales, on the one view where zoom helps (a curve's, before a shading band's)."""
    candidates = [view for view in _single_views(spec) if _zoomable(view)]
    if candidates:
        view = next((v for v in candidates if _mark_type(v) in _CURVES), candidates[0])
        param = {"name": ZOOM, "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
        view["params"] = [*view.get("params", []), param]


def vega_lite_v5(spec: dict[str, Any]) -> dict[str, Any]:
    """An Altair spec (a dict, data inline) as the Vega-Lite v5 spec JupyterLab draws, with tooltips and zoom."""
    v5 = copy.deepcopy(spec)
    v5["$schema"] = SCHEMA_V5
    config = v5.setdefault("config", {})
    config["mark"] = {**config.get("mark", {}), "tooltip": {"content": "encoding"}}
    _add_zoom(v5)
    return v5


def mimebundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The live v5 spec and the SVG picture of one chart."""
    return {
        VEGALITE_V5: vega_lite_v5(spec),
        SVG: spec_to_svg(spec),
    }


def render(spec: dict[str, Any], **_options: Any) -> dict[str, Any]:
    """The Altair renderer: one mimebundle per chart."""
    return mimebundle(spec)


def use_notebook_renderer() -> None:
    """Show Altair charts in this notebook as live Vega-Lite with an SVG fallback (the `workbench` renderer)."""
    if NAME not in alt.renderers.names():
        alt.renderers.register(NAME, render)
    alt.renderers.enable(NAME)
