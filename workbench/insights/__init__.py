"""Beyond counting: restatement of past weeks, a nowcast of settled GMV, and the campaign's lift.

Each method's aggregations are SQL in `queries/` (restatement reuses the
contract KPIs); `stats` holds the statistics; docs/methods.md explains the
methods for analysts.
"""
