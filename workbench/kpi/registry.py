"""The KPI registry: every `queries/*.sql` file is one KPI.

A query's header comment is its entry in the metric dictionary, so the
dictionary (`workbench kpi --list`, docs/metrics.md) and the SQL can never
disagree. Header lines are `-- key: value`; the keys are

    name       the KPI's name (must equal the file name)
    title_zh   Chinese title, shown first in reports
    title_en   English title
    kind       `contract` (defined in the shared contract) or `analyst`
    params     parameters besides the campaign rules, e.g. `start, end`;
               `name=value` gives a default (`limit=20`)
    filters    optional filters (`shop, account, category`), bound as
               parameters that are null when not given (no filter); the
               values a snapshot knows are checked before the query runs
    ignores    parameters the contract's window passes that the KPI accepts
               and does not use (`start` of a KPI counted from the campaign
               start); only `workbench.kpi.run` accepts them, `s.kpi` refuses
    columns    output columns, in order
    order      key columns the rows are ordered by
    description  one or more lines saying what it computes and why

followed by the SQL. Parameters are DuckDB named parameters (`$start`),
bound at run time, never formatted into the text. Besides the caller's
`start` and `end`, a query may use any campaign rule of
`CampaignConfig.sql_params()` (`$campaign_start`, `$card_rate`, ...).

`queries/shared/definitions.sql` (not a KPI: it sits in a sub-folder) holds
the contract's shared definitions (eligible account, newcomer, enrolled by a
date) as table macros; `workbench.snapshot.read.connect` defines them once per
connection, so every query may call them. Running a KPI is `workbench.kpi.run`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from workbench.errors import WorkbenchError
from workbench.paths import queries_dir

# The filters a query may declare, and what each one selects.
FILTERS = {
    "shop": "this shop: its order lines (orders.shop_id); a KPI of accounts says which accounts are the shop's",
    "account": "order lines credited to this promoter account (orders.account_id)",
    "category": "order lines of products in this category (products.category; a missing product is `other`)",
}

_HEADER = re.compile(r"^--\s*(\w+):\s?(.*)$")
_CONTINUATION = re.compile(r"^--\s{2,}(.*)$")


@dataclass(frozen=True)
class Kpi:
    """One KPI: its dictionary entry and its SQL."""

    name: str
    title_zh: str
    title_en: str
    kind: str
    params: tuple[str, ...]
    defaults: dict[str, object]
    filters: tuple[str, ...]
    ignores: tuple[str, ...]
    columns: tuple[str, ...]
    order: tuple[str, ...]
    description: str
    sql: str
    path: Path = field(compare=False)

    @property
    def bound_names(self) -> tuple[str, ...]:
        """The named parameters the SQL binds, sorted.

        DuckDB's own parser finds them, so a `$name` inside a string literal
        or a comment is never mistaken for a parameter.
        """
        return _named_parameters(self.sql)

    @property
    def accepts(self) -> tuple[str, ...]:
        """Every parameter a caller may give: the header's params, filters and ignored ones."""
        return (*self.params, *self.filters, *self.ignores)


@cache
def _named_parameters(sql: str) -> tuple[str, ...]:
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise WorkbenchError(f"a KPI query must be one SQL statement, found {len(statements)}", 1)
    return tuple(sorted(statements[0].named_parameters))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _param_defaults(params: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, object]]:
    """Split `limit=20` style header params into names and typed defaults."""
    names, defaults = [], {}
    for param in params:
        name, _, default = param.partition("=")
        names.append(name.strip())
        if default:
            text = default.strip()
            defaults[name.strip()] = int(text) if text.lstrip("-").isdigit() else text
    return tuple(names), defaults


def parse(path: Path) -> Kpi:
    """Read one query file into a Kpi, checking its header is complete."""
    meta: dict[str, str] = {}
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        if (cont := _CONTINUATION.match(line)) and last:
            meta[last] += " " + cont.group(1).strip()
        elif m := _HEADER.match(line):
            last = m.group(1)
            meta[last] = m.group(2).strip()
    required = ("name", "title_zh", "title_en", "kind", "columns", "description")
    missing = [k for k in required if k not in meta]
    if missing:
        raise WorkbenchError(
            f"{path}: header lacks {', '.join(missing)} (see workbench/kpi/registry.py for the header format)", 1
        )
    if meta["name"] != path.stem:
        raise WorkbenchError(f"{path}: header name {meta['name']!r} differs from the file name", 1)
    params, defaults = _param_defaults(_split(meta.get("params", "")))
    filters = _split(meta.get("filters", ""))
    unknown = [f for f in filters if f not in FILTERS]
    if unknown:
        raise WorkbenchError(f"{path}: unknown filter(s) {', '.join(unknown)}; filters are {', '.join(FILTERS)}", 1)
    return Kpi(
        name=meta["name"],
        title_zh=meta["title_zh"],
        title_en=meta["title_en"],
        kind=meta["kind"],
        params=params,
        defaults=defaults,
        filters=filters,
        ignores=_split(meta.get("ignores", "")),
        columns=_split(meta["columns"]),
        order=_split(meta.get("order", "")),
        description=meta["description"],
        sql=path.read_text(encoding="utf-8"),
        path=path,
    )


@cache
def _registry(folder: Path) -> dict[str, Kpi]:
    return {k.name: k for k in (parse(p) for p in sorted(folder.glob("*.sql")))}


def registry() -> dict[str, Kpi]:
    """Every KPI by name, contract KPIs first, then analysts' by name."""
    kpis = _registry(queries_dir())
    return dict(sorted(kpis.items(), key=lambda kv: (kv[1].kind != "contract", kv[0])))


def get(name: str) -> Kpi:
    """The KPI called `name`, or an error that suggests the closest names."""
    kpis = registry()
    if name in kpis:
        return kpis[name]
    close = difflib.get_close_matches(name, list(kpis), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise WorkbenchError(f"unknown KPI {name!r}{hint} (`workbench kpi --list` shows all {len(kpis)})")
