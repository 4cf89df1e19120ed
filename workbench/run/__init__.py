"""Unattended runs: one at a time (`lock`), each step timed and its first failure kept (`pipeline`), every run on record (`history`).

The steps themselves (ingest, the snapshot check, the report) are the same
functions the other commands call; `workbench.cli.run` strings them
together. This family only holds what a scheduled run adds around them.
"""
