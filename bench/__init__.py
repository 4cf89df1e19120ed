"""The benchmark: `python -m bench.run` from the repository root (`make bench`); see docs/benchmarks.md."""

import sys
from pathlib import Path

# The Polars contestant (bench/kpi_polars.py) runs tests/support/polars_kpis.py, the
# differential tests' independent KPI implementation. It is a test oracle, not part of
# the installed package, so bench/ finds it here, the one place that reaches into tests/
# (pytest finds the same folder through `pythonpath` in pyproject.toml). Appended, so it
# never shadows an installed module.
_TEST_SUPPORT = str(Path(__file__).resolve().parents[1] / "tests" / "support")
if _TEST_SUPPORT not in sys.path:
    sys.path.append(_TEST_SUPPORT)
