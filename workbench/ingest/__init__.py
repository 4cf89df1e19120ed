"""`workbench ingest`: real WeChat Mini Shop exports -> a validated snapshot.

See docs/ingest.md for the files it reads and what it does with each record.
"""

from workbench.ingest.pipeline import IngestResult, ingest

__all__ = ["IngestResult", "ingest"]
