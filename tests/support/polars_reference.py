"""The independent Polars implementation of the contract KPIs, for the differential tests.

It lives in workbench/polars_kpis.py because the benchmark runs it too;
this module only gives the tests their short import.
"""

from workbench.polars_kpis import KPIS

__all__ = ["KPIS"]
