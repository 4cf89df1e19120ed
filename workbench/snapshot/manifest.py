"""`_manifest.json`: what a snapshot is, parsed once into a `Manifest`.

Every layer above the snapshot (KPIs, insights, the report, the CLI) asks
the same questions of a snapshot: its date, the instant its knowledge ends,
the Asia/Shanghai day of that instant, its source. They used to parse the
JSON themselves, in five slightly different ways; now they receive one
frozen `Manifest` and read its fields. `verify` still reads the raw JSON
(`read_raw`) because its job is to report every broken key, not to stop at
the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from workbench.config import TIMEZONE
from workbench.errors import WorkbenchError
from workbench.snapshot import layout

MANIFEST = "_manifest.json"
LOCAL = ZoneInfo(TIMEZONE)


def cutoff_instant(day: date) -> datetime:
    """23:59:59 Asia/Shanghai on `day`: the instant a snapshot of that date knows statuses as of."""
    return datetime.combine(day, time(23, 59, 59), LOCAL)


def read_raw(path: Path) -> dict[str, Any]:
    """The parsed `_manifest.json` of a snapshot folder as plain JSON, or a clear error."""
    file = Path(path) / MANIFEST
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise WorkbenchError(f"{file} is missing: {path} is not a complete snapshot") from err
    except json.JSONDecodeError as err:
        raise WorkbenchError(f"{file} is not valid JSON (line {err.lineno}: {err.msg}); rewrite the snapshot") from err
    except UnicodeDecodeError as err:
        raise WorkbenchError(
            f"{file} is not UTF-8 text (byte {err.start}: {err.reason}); rewrite the snapshot"
        ) from err
    if not isinstance(raw, dict):
        raise WorkbenchError(f"{file} is not a JSON object; rewrite the snapshot")
    return raw


def _parse_cutoff(file: Path, text: object) -> datetime:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise WorkbenchError(
            f"{file}: cutoff {text!r} is not an ISO timestamp such as 2025-12-07T23:59:59+08:00; rewrite the snapshot"
        ) from None
    if moment.tzinfo is None:
        raise WorkbenchError(f"{file}: cutoff {text!r} has no UTC offset; write it as e.g. 2025-12-07T23:59:59+08:00")
    return moment.astimezone(LOCAL)


def _parse_date(file: Path, text: object) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise WorkbenchError(
            f"{file}: snapshot_date {text!r} is not a date (YYYY-MM-DD); rewrite the snapshot"
        ) from None


@dataclass(frozen=True)
class Manifest:
    """One snapshot folder and what its manifest says about it.

    `path` is the folder actually read: for a published snapshot its
    version folder (workbench.snapshot.layout), so everything handed this
    Manifest reads the version that was resolved, even after a republish.

    `raw` keeps the whole JSON for the keys only some readers need
    (`source_details` of a synthetic world, ingest facts).
    """

    path: Path
    snapshot_date: date
    cutoff: datetime
    source: str
    tables: dict[str, Any] = field(repr=False)
    aggregates: dict[str, Any] = field(repr=False)
    ingest: dict[str, Any] | None = field(repr=False)
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read and check the manifest of the snapshot folder `path`."""
        folder = Path(path).resolve()
        return cls.from_json(folder, read_raw(folder))

    @classmethod
    def from_json(cls, folder: Path, raw: dict[str, Any]) -> Manifest:
        """Check an already parsed `_manifest.json` of the snapshot at `folder` (read elsewhere, e.g. from HDFS)."""
        file = folder / MANIFEST
        missing = [k for k in ("snapshot_date", "cutoff", "source", "tables") if k not in raw]
        if missing:
            raise WorkbenchError(f"{file}: key(s) {', '.join(missing)} missing; rewrite the snapshot")
        return cls(
            path=folder,
            snapshot_date=_parse_date(file, raw["snapshot_date"]),
            cutoff=_parse_cutoff(file, raw["cutoff"]),
            source=str(raw["source"]),
            tables=dict(raw["tables"]),
            aggregates=dict(raw.get("aggregates") or {}),
            ingest=raw.get("ingest"),
            raw=raw,
        )

    @property
    def name(self) -> str:
        """The snapshot's name among the others (its date), also when `path` is its version folder."""
        return layout.dated_name(self.path)

    @property
    def snapshots_root(self) -> Path:
        """The folder holding this snapshot's dated name and its neighbours (data/snapshots/)."""
        return layout.snapshots_root(self.path)

    @property
    def cutoff_date(self) -> date:
        """The Asia/Shanghai day the cutoff falls on: the last day whose sales the snapshot can know."""
        return self.cutoff.date()

    @property
    def last_full_day(self) -> date:
        """The last Asia/Shanghai day wholly before the cutoff (the cutoff day itself when it ends at 23:59:59)."""
        return (self.cutoff + timedelta(seconds=1)).date() - timedelta(days=1)

    @property
    def source_details(self) -> dict[str, Any]:
        """A synthetic world's settings (`true_lift`, ...); empty for real data."""
        return dict(self.raw.get("source_details") or {})

    def rows(self, table: str) -> int | None:
        """The row count the manifest lists for a table, if any."""
        rows = self.tables.get(table, {}).get("rows")
        return rows if isinstance(rows, int) else None
