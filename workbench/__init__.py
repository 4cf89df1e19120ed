"""Analytics workbench for WeChat Mini Shop's short-video incentive campaign.

In a notebook: `import workbench as wb; s = wb.open("latest")`, then
`s.kpi("channel_mix", start="2025-11-22", end="2025-11-28")` or `s.sql(...)`.
"""

from workbench.kpi.opened import OpenedSnapshot
from workbench.kpi.opened import open_snapshot as open

__all__ = ["OpenedSnapshot", "open"]
__version__ = "0.1.0"
