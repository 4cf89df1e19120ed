"""Altair charts in the house theme, for notebooks and the report.

`theme` is the look (registered on import), `kpis` one helper per KPI
frame, `methods` the restatement, nowcast and lift charts, `svg` the
offline rendering the report inlines, `notebook` the JupyterLab renderer
(live Vega-Lite, SVG fallback) that `charts.use_notebook_renderer()`
enables. `from workbench import charts` gives every helper:
`charts.daily_gmv(s.kpi("daily_trend", ...))`.
"""

from workbench.charts.kpis import (
    category_mix,
    cohort_curves,
    daily_gmv,
    funnel,
    growth_card_distribution,
    posting_quota_use,
    share_trend,
    traffic_by_tab,
)
from workbench.charts.methods import event_study_chart, nowcast_chart, restatement_chart
from workbench.charts.notebook import use_notebook_renderer
from workbench.charts.theme import CATEGORY_COLOURS, CHANNEL_COLOURS, FONT, words

__all__ = [
    "CATEGORY_COLOURS",
    "CHANNEL_COLOURS",
    "FONT",
    "category_mix",
    "cohort_curves",
    "daily_gmv",
    "event_study_chart",
    "funnel",
    "growth_card_distribution",
    "nowcast_chart",
    "posting_quota_use",
    "restatement_chart",
    "share_trend",
    "traffic_by_tab",
    "use_notebook_renderer",
    "words",
]
