"""KPIs: one `queries/*.sql` file each, its header the metric dictionary.

`registry` reads the query files, `run` binds and runs one, `opened` is the
snapshot handle analysts get from `wb.open`, `export` writes results and
`dictionary` renders docs/metrics.md.
"""

from workbench.kpi.registry import Kpi, get, registry
from workbench.kpi.run import run

__all__ = ["Kpi", "get", "registry", "run"]
