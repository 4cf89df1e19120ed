"""Snapshots: one dated folder of contract tables as parquet plus `_manifest.json`.

`contract` describes the tables, `manifest` parses what a snapshot says
about itself, `store` lists and resolves snapshots, `write` publishes one,
`read` opens it as DuckDB views, `aggregates` keeps its daily roll-ups and
`verify` finds every way it can break the contract.
"""
