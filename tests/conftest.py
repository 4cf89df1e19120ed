"""Fixtures shared by test files: one local Spark session for every `spark`-marked test.

Starting Spark costs 5-15 s, so the session is made once per test run; each
SparkEngine takes a new session of it (its own views and settings). Without
Java or the spark extra (`make spark`) the tests that need it skip and say
which is missing.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: run `make spark` (the spark extra)"
    if shutil.which("java") is None:
        return "Java is not installed: the Spark engine needs Java 17+ (Debian: openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session on two cores, bound to 127.0.0.1, no web UI, two shuffle partitions."""
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    from workbench.engine.spark import session

    started = session("local[2]", partitions=2)
    yield started
    started.stop()
