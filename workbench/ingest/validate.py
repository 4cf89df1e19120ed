"""Rules every ingested record must pass, beyond having readable fields.

Timestamps must lie inside the data's possible range (nothing can have
happened after the cutoff the snapshot is "as of"; no order was paid on
Channels before its commerce started in 2020, and no account or shop
predates WeChat itself, 2011), enumerations must be contract values, and keys must be unique:
of several versions of one record the latest wins and the others are kept
as superseded, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from workbench.ingest.ledger import Ledger, Record
from workbench.ingest.values import LOCAL, BadValue

EARLIEST_ORDER = datetime(2020, 1, 1, tzinfo=LOCAL)
EARLIEST_RECORD = datetime(2011, 1, 1, tzinfo=LOCAL)

T = TypeVar("T")


def in_range(moment: datetime, what: str, cutoff: datetime, earliest: datetime = EARLIEST_RECORD) -> datetime:
    """`moment` if it lies between `earliest` and the cutoff, else BadValue."""
    if moment < earliest:
        raise BadValue(f"{what} {moment.isoformat()} is before {earliest.date()}, outside the data's range")
    if moment > cutoff:
        raise BadValue(f"{what} {moment.astimezone(LOCAL).isoformat()} is after the cutoff {cutoff.isoformat()}")
    return moment


def day_in_range(value: date, what: str, cutoff: datetime) -> date:
    """A calendar date between 2011-01-01 and the cutoff's Asia/Shanghai date."""
    if not EARLIEST_RECORD.date() <= value <= cutoff.astimezone(LOCAL).date():
        raise BadValue(
            f"{what} {value} is outside {EARLIEST_RECORD.date()}..{cutoff.astimezone(LOCAL).date()} (the cutoff)"
        )
    return value


def row_rules(table: str, row: dict[str, Any]) -> None:
    """Cross-field rules of the contract tables that `snapshot verify` also checks."""
    if table == "video_traffic":
        for col in ("impressions", "boosted_impressions", "product_clicks"):
            if row[col] < 0:
                raise BadValue(f"{col} {row[col]} is negative")
        if row["boosted_impressions"] > row["impressions"]:
            raise BadValue(f"boosted_impressions {row['boosted_impressions']} exceed impressions {row['impressions']}")
    if table == "live_sessions" and row["ended_at"] < row["started_at"]:
        raise BadValue(f"ended_at {row['ended_at'].isoformat()} is before started_at {row['started_at'].isoformat()}")
    for col in ("price_fen", "effective_fans"):
        if col in row and row[col] is not None and row[col] < 0:
            raise BadValue(f"{col} {row[col]} is negative")


@dataclass(frozen=True)
class Version(Generic[T]):
    """One version of a keyed record: `updated` orders versions (-1 when unknown)."""

    record: Record
    key: str
    updated: int
    value: T


def latest_versions(versions: Iterable[Version[T]], ledger: Ledger, what: str) -> list[Version[T]]:
    """One version per key: the latest `updated`, the later one read on a tie.

    Every other version is recorded in the ledger as superseded, naming the
    version that replaced it.
    """
    winners: dict[str, Version[T]] = {}
    for version in versions:
        old = winners.get(version.key)
        if old is None:
            winners[version.key] = version
            continue
        newer, older = (version, old) if version.updated >= old.updated else (old, version)
        ledger.supersede(older.record, f"{what} {version.key} has a later version at {newer.record.origin}")
        winners[version.key] = newer
    return list(winners.values())
