"""Telling people about a run: apprise delivers, the catalogue words it, secrets stay out of every record.

`targets` turns `--notify` / `WORKBENCH_NOTIFY` into checked apprise
services and their privacy forms; `messages` words the success and failure
messages from a report's summary; `send` delivers and reports, per target,
what happened. The family knows nothing of snapshots or reports: it is
handed a summary (the report's `<stem>.json`) and paths.
"""
