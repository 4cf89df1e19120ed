"""`snapshot verify`: every way a snapshot can break the contract, one line each.

Checks run in order of cost: the manifest, then each file's size and
checksum, then whether it reads as parquet with the contract's columns and
types, then the data rules (keys, money, statuses, enumerations), and last,
on a snapshot sound so far, whether its stored roll-ups (workbench.snapshot.aggregates)
equal the ones computed from its order lines. A table
whose files are damaged is not data-checked, so one broken file gives one
clear line, not a cascade.

`quick=True` stops after the structural checks and skips the checksums:
it reads only the manifest, file sizes and parquet footers.

Two findings do not make the numbers wrong and are not `blocking`: a
column in another type that the views cast to the contract's exactly
(int64 line numbers, nanosecond UTC timestamps; `_harmless`), and a folder
named other than the snapshot's date. `verify` lists them, so the CLI still objects to them,
but a snapshot whose only problems are these may be stamped as verified
(workbench.snapshot.stamp), and readers then accept it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.errors import WorkbenchError
from workbench.snapshot import aggregates, contract
from workbench.snapshot.checksum import sha256_of
from workbench.snapshot.layout import dated_name
from workbench.snapshot.manifest import MANIFEST, read_raw
from workbench.snapshot.read import bounded, connect, session, table_files, view_sql


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a snapshot: where, and what; `blocking` unless the numbers come out right anyway."""

    where: str
    what: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def blocking(problems: list[Problem]) -> list[Problem]:
    """The problems that make numbers computed from the snapshot untrustworthy."""
    return [p for p in problems if p.blocking]


def _check_manifest(path: Path, manifest: dict[str, Any], quick: bool) -> list[Problem]:
    problems = []
    if manifest.get("schema_version") != contract.SCHEMA_VERSION:
        problems.append(
            Problem(
                MANIFEST, f"schema_version is {manifest.get('schema_version')!r}, expected {contract.SCHEMA_VERSION}"
            )
        )
    for key in ("snapshot_date", "cutoff", "source", "created_at", "tables"):
        if key not in manifest:
            problems.append(Problem(MANIFEST, f"key {key!r} is missing"))
    # A copy in a differently named folder reads correctly, so only the full check objects to it,
    # and not as a blocking problem. A published version folder is named `<date>.<version>`.
    name = dated_name(path)
    if not quick and manifest.get("snapshot_date") and manifest["snapshot_date"] != name:
        problems.append(
            Problem(MANIFEST, f"snapshot_date {manifest['snapshot_date']} differs from the folder name {name}", False)
        )
    tables = manifest.get("tables", {})
    for table in contract.TABLES:
        if table not in tables:
            problems.append(Problem(MANIFEST, f"table {table!r} has no entry"))
    return problems


def _check_listed(
    path: Path, files: list[Path], entry: dict[str, Any], quick: bool
) -> tuple[list[Problem], dict[str, Any]]:
    """Problems of the listed and on-disk `files` of one table or roll-up, and the parquet schema of each sound file."""
    problems = []
    schemas = {}
    listed = {f["path"]: f for f in entry.get("files", [])}
    on_disk = {p.relative_to(path).as_posix() for p in files}
    for rel in sorted(on_disk - set(listed)):
        problems.append(Problem(rel, "file is not listed in the manifest"))
    for rel, info in sorted(listed.items()):
        file = path / rel
        if not file.is_file():
            problems.append(Problem(rel, "listed in the manifest but missing on disk"))
            continue
        size = file.stat().st_size
        if "bytes" in info and size != info["bytes"]:
            problems.append(
                Problem(rel, f"size is {size} bytes, manifest says {info['bytes']} (truncated or replaced)")
            )
            continue
        if not quick and "sha256" in info and sha256_of(file) != info["sha256"]:
            problems.append(
                Problem(rel, "sha256 differs from the manifest (file changed after the snapshot was written)")
            )
            continue
        try:
            schemas[rel] = pq.read_schema(file)
        except Exception as err:  # pyarrow raises several types for damaged footers
            problems.append(Problem(rel, f"cannot be read as parquet: {err}"))
    return problems, schemas


def _check_files(path: Path, table: str, entry: dict[str, Any], quick: bool) -> list[Problem]:
    """Sizes, checksums (unless quick) and parquet footers of one table's files."""
    problems, schemas = _check_listed(path, table_files(path, table), entry, quick)
    for rel, schema in schemas.items():
        problems.extend(_check_schema(rel, table, schema, quick))
    return problems


def _check_aggregates(path: Path, manifest: dict[str, Any], quick: bool) -> list[Problem]:
    """Files of the roll-ups (workbench.snapshot.aggregates) the manifest lists, checked like a table's.

    A snapshot without roll-ups is sound: the KPIs then compute them from
    the order lines. Roll-up files the manifest does not list are an error,
    because the KPIs would read them.
    """
    problems = []
    listed = manifest.get("aggregates", {})
    for name in aggregates.AGGREGATES:
        found, _ = _check_listed(path, aggregates.files(path, name), listed.get(name, {}), quick)
        problems.extend(found)
    return problems


def _stale_aggregates(path: Path, computed: Mapping[str, pa.Table] | None = None) -> list[Problem]:
    """Roll-ups whose stored rows differ from the ones computed from the order lines.

    Compared inside DuckDB as multisets (EXCEPT ALL both ways), not row by
    row in Python: a roll-up is keyed by its group columns, so that is the
    same test, without turning every row of both sides into Python tuples.
    `computed` holds roll-ups already computed from this snapshot's order
    lines (the writer's, moments before): those are compared as they are,
    the others computed here.
    """
    computed = computed or {}
    con = bounded(connect(path, use_aggregates=False))
    problems = []
    try:
        for name in aggregates.AGGREGATES:
            stored = aggregates.files(path, name)
            if not stored:
                continue
            con.execute(aggregates.macro_sql(f"stored_{name}", aggregates.source_sql(stored)))
            if name in computed:
                con.register(f"computed_{name}", computed[name])
                source = f"computed_{name}"
            else:
                source = f"{name}({aggregates.ALL_DAYS})"
            # Each side computed once (materialized), then compared both ways.
            differing = con.execute(
                f"""with stored as materialized (from stored_{name}({aggregates.ALL_DAYS})),
                    computed as materialized (from {source})
                select count(*) from ((from stored except all from computed)
                                      union all (from computed except all from stored))"""
            ).fetchone()[0]
            if differing:
                problems.append(
                    Problem(
                        f"{aggregates.FOLDER}/{name}/",
                        "differs from the order lines it summarises; rewrite the snapshot",
                    )
                )
    finally:
        con.close()
    return problems


def _readable_as(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Whether the views' cast turns `actual` into `expected` without loss.

    Other tools write int64 line numbers, nanosecond or naive timestamps
    (read as UTC) or dictionary-encoded strings; the KPIs read those
    correctly, so the quick check accepts them and only full `verify`
    insists on the contract's exact types.
    """
    if pa.types.is_dictionary(actual):
        actual = actual.value_type
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(actual)
    if pa.types.is_integer(expected):
        return pa.types.is_integer(actual)
    if pa.types.is_string(expected):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual) or pa.types.is_integer(actual)
    if pa.types.is_floating(expected):
        return pa.types.is_floating(actual) or pa.types.is_integer(actual)
    if pa.types.is_date(expected):
        return pa.types.is_date(actual)
    return actual == expected


def _harmless(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Whether the views' cast gives exactly the values meant: other integer widths, integers for a
    DOUBLE, another unit of a UTC timestamp, dictionary or large strings. Not integers for text (an id
    `007` read back as `7` joins nothing) nor a timestamp without a zone (which zone was meant is unknown)."""
    if pa.types.is_dictionary(actual):
        actual = actual.value_type
    if pa.types.is_timestamp(expected) or pa.types.is_string(expected):
        return _same_contract_type(actual, expected)
    return _readable_as(actual, expected)


def _same_contract_type(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Arrow types that are the contract's type in parquet: any UTC timestamp
    unit, and large or view strings (polars writes those) for VARCHAR."""
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(actual) and actual.tz in ("UTC", "+00:00")
    if pa.types.is_string(expected):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual) or pa.types.is_string_view(actual)
    return False


def _check_schema(rel: str, table: str, schema: Any, quick: bool) -> list[Problem]:
    problems = []
    for col in contract.TABLES[table]:
        idx = schema.get_field_index(col.name)
        if idx < 0:
            problems.append(Problem(rel, f"column {col.name} is missing"))
            continue
        actual = schema.field(idx).type
        expected = col.arrow
        exact = actual == expected or _same_contract_type(actual, expected)
        if not (_readable_as(actual, expected) if quick else exact):
            what = f"column {col.name} is {actual}, contract says {col.duckdb_type} ({expected})"
            problems.append(Problem(rel, what, quick or not _harmless(actual, expected)))
    return problems


def _data_rules(table: str) -> list[tuple[str, str]]:
    """(description, SQL counting violating rows) for one table."""
    rules = []
    keys = ", ".join(contract.KEYS[table])
    rules.append(
        (
            f"duplicate key ({keys})",
            f"select count(*) from (select {keys} from {table} group by {keys} having count(*) > 1)",
        )
    )
    for col in contract.TABLES[table]:
        if not col.nullable:
            rules.append((f"{col.name} is null", f"select count(*) from {table} where {col.name} is null"))
    for (t, column), allowed in contract.ENUMS.items():
        if t == table:
            values = ", ".join(f"'{v}'" for v in allowed)
            rules.append(
                (
                    f"{column} outside {{{', '.join(allowed)}}}",
                    f"select count(*) from {table} where {column} not in ({values})",
                )
            )
    if table == "orders":
        rules += [
            (
                "refund_fen outside 0..amount_fen",
                "select count(*) from orders where refund_fen < 0 or refund_fen > amount_fen",
            ),
            ("amount_fen < 0", "select count(*) from orders where amount_fen < 0"),
            ("quantity < 1", "select count(*) from orders where quantity < 1"),
            ("line_no < 1", "select count(*) from orders where line_no < 1"),
            (
                "settled_at set but status is not settled, or status settled without settled_at",
                "select count(*) from orders where (status = 'settled') <> (settled_at is not null)",
            ),
            (
                "refunded line with refund_fen < amount_fen",
                "select count(*) from orders where status = 'refunded' and refund_fen <> amount_fen",
            ),
        ]
    if table == "video_traffic":
        rules += [
            (
                "negative traffic counts",
                "select count(*) from video_traffic where impressions < 0 or boosted_impressions < 0 or product_clicks < 0",
            ),
            (
                "boosted_impressions > impressions",
                "select count(*) from video_traffic where boosted_impressions > impressions",
            ),
        ]
    return rules


def verify(path: Path, quick: bool = False, computed: Mapping[str, pa.Table] | None = None) -> list[Problem]:
    """All problems found in the snapshot at `path`; empty means it is sound.

    `quick` checks structure only (manifest, folders, sizes, columns and
    types), skipping checksums, data rules and the folder-name check.
    `computed`: roll-ups (name -> rows) the caller computed from this
    snapshot's order lines with aggregates.write, so their stored files are
    compared with those rows rather than computed from the lines again.
    """
    path = Path(path)
    if not path.is_dir():
        return [Problem(str(path), "no such snapshot folder")]
    try:
        manifest = read_raw(path)
    except WorkbenchError as err:
        return [Problem(MANIFEST, str(err))]
    problems = _check_manifest(path, manifest, quick)
    tables = manifest.get("tables", {})
    sound = []
    for table in contract.TABLES:
        if not (path / table).is_dir():
            problems.append(Problem(f"{table}/", "table folder is missing"))
            continue
        file_problems = _check_files(path, table, tables.get(table, {}), quick)
        problems.extend(file_problems)
        if not blocking(file_problems):
            sound.append(table)
    problems.extend(_check_aggregates(path, manifest, quick))
    if quick or not sound:
        return problems
    con = connect_sound(path, sound, problems)
    for table in sound:
        rows = con.execute(f"select count(*) from {table}").fetchone()[0]
        expected = tables.get(table, {}).get("rows")
        if expected is not None and rows != expected:
            problems.append(Problem(f"{table}/", f"has {rows} rows, manifest says {expected}"))
        for what, sql in _data_rules(table):
            bad = con.execute(sql).fetchone()[0]
            if bad:
                problems.append(Problem(f"{table}/", f"{what}: {bad} row(s)"))
    if not blocking(problems):
        problems.extend(_stale_aggregates(path, computed))
    return problems


def connect_sound(path: Path, tables: list[str], problems: list[Problem]) -> duckdb.DuckDBPyConnection:
    """Views over the tables whose files passed; damaged tables are left out."""
    try:
        return bounded(connect(path))
    except WorkbenchError:
        con = bounded(session(duckdb.connect()))
        for table in tables:
            con.execute(view_sql(path, table))
        return con
