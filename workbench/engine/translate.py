"""DuckDB KPI SQL -> Spark SQL, derived at run time so `queries/*.sql` stay the one source.

Plain `sqlglot.transpile(read="duckdb", write="spark")` runs none of the
KPIs: each calls a DuckDB table macro (`sales_daily(...)`,
`growth_cards(...)`) that Spark has no twin for, and a few functions
translate wrongly. So the translator

1. parses the macros (queries/shared/definitions.sql, the roll-ups'
   `<name>_from_lines`, and the few the engine defines itself) with sqlglot;
2. expands every macro call inline, table macros as aliased subqueries and
   scalar ones as parenthesised expressions, substituting the arguments for
   the parameters. Each expansion's CTEs get a unique name: Spark hoists a
   nested `WITH` to the top, where two expansions of one macro would collide;
3. rewrites what sqlglot gets wrong or leaves DuckDB-only (`_REWRITES`):
   list subscripts are 1-based in DuckDB and 0-based in Spark
   (`element_at`), `quantile_cont` is exact in DuckDB and sqlglot makes it
   a function Spark lacks (`percentile`), `list_position` is null when not
   found in DuckDB and 0 in Spark, `len(list)` is `size`, a row tuple is a
   `struct`, `HUGEINT` is `DECIMAL(38, 0)`;
4. writes Spark SQL, `$name` becoming the Spark named parameter `:name`,
   bound by `spark.sql(sql, args=...)`.

What cannot be translated faithfully is refused earlier, by the portable
subset (workbench.engine.portable), which the queries stay inside. The
output for every KPI is kept in tests/golden/spark/, so a sqlglot upgrade
shows up as a reviewed diff.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from workbench.errors import WorkbenchError


@dataclass(frozen=True)
class Macro:
    """One DuckDB macro: its parameters and its body (a query for a table macro, an expression otherwise)."""

    name: str
    params: tuple[str, ...]
    body: exp.Expression
    table: bool


def parse_macros(sql: str) -> dict[str, Macro]:
    """Every `create [or replace] macro` in `sql`, by name; other statements are ignored."""
    macros = {}
    for statement in sqlglot.parse(sql, read="duckdb"):
        if not isinstance(statement, exp.Create) or str(statement.args.get("kind", "")).upper() != "MACRO":
            continue
        signature = statement.this
        name = signature.this.name
        params = tuple(p.name for p in signature.expressions)
        body = statement.expression
        table = isinstance(body, exp.Query)
        macros[name] = Macro(name, params, body, table)
    return macros


def _atom(node: exp.Expression) -> exp.Expression:
    """An argument as it may stand in place of a parameter: wrapped in parentheses unless it is one term."""
    simple = (exp.Column, exp.Literal, exp.Placeholder, exp.Paren, exp.Func, exp.Null, exp.Boolean, exp.Cast)
    return node.copy() if isinstance(node, simple) else exp.Paren(this=node.copy())


class Translator:
    """Expands macros and rewrites DuckDB SQL into Spark SQL; one instance per set of macros."""

    def __init__(self, macros: Mapping[str, Macro]) -> None:
        self.macros = dict(macros)

    # --- expansion ------------------------------------------------------------

    def expand(self, sql: str) -> exp.Expression:
        """The DuckDB AST of `sql` with every macro call inlined."""
        tree = sqlglot.parse_one(sql, read="duckdb")
        return self._expand(tree, itertools.count(1))

    def _expand(self, tree: exp.Expression, counter: itertools.count[int]) -> exp.Expression:
        def visit(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
                macro = self.macros.get(node.this.name.lower())
                if macro is None:
                    return node
                if not macro.table:
                    raise WorkbenchError(f"{macro.name} is a scalar macro, called here as a table")
                body = self._instance(macro, node.this.expressions, counter)
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
                return exp.Subquery(this=body, alias=alias.copy())
            if isinstance(node, exp.Anonymous):
                macro = self.macros.get(node.name.lower())
                if macro is None:
                    return node
                if macro.table:
                    raise WorkbenchError(f"{macro.name} is a table macro, called here as a value")
                return exp.Paren(this=self._instance(macro, node.expressions, counter))
            return node

        return tree.transform(visit, copy=True)

    def _instance(self, macro: Macro, args: list[exp.Expression], counter: itertools.count[int]) -> exp.Expression:
        """One expansion of `macro` with `args`: parameters substituted, CTEs renamed, nested macros expanded."""
        if len(args) != len(macro.params):
            raise WorkbenchError(f"macro {macro.name} takes {len(macro.params)} argument(s), given {len(args)}")
        values = dict(zip(macro.params, args, strict=True))
        number = next(counter)

        def substitute(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Column) and not node.table and node.name in values:
                return _atom(values[node.name])
            return node

        body = macro.body.transform(substitute, copy=True)
        body = _rename_ctes(body, f"{macro.name}_{number}")
        return self._expand(body, counter)

    # --- Spark SQL ----------------------------------------------------------------

    def to_spark(self, sql: str) -> str:
        """`sql` (DuckDB, may call the macros) as one Spark SQL statement with `:name` parameters."""
        tree = self.expand(sql)
        for rewrite in _REWRITES:
            tree = tree.transform(rewrite, copy=False)
        return tree.sql(dialect="spark", pretty=True, comments=False)


def _rename_ctes(body: exp.Expression, suffix: str) -> exp.Expression:
    """Give the CTEs of one macro expansion names no other expansion uses (Spark hoists nested WITHs)."""
    with_ = body.args.get("with_") if isinstance(body, exp.Query) else None
    if not with_:
        return body
    names = {cte.alias_or_name: f"{cte.alias_or_name}__{suffix}" for cte in with_.expressions}
    for cte in with_.expressions:
        cte.set("alias", exp.TableAlias(this=exp.to_identifier(names[cte.alias_or_name])))

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier) and not node.db:
            new = names.get(node.name)
            if new:
                # Keep the old name as the alias, so `cohorts.account_id` still resolves.
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name))
                return exp.Table(this=exp.to_identifier(new), alias=alias.copy())
        return node

    return body.transform(rename, copy=False)


# --- rewrites: what sqlglot translates wrongly or leaves DuckDB-only ---------------


def _is_array(node: exp.Expression) -> bool:
    """Whether an expression is a list in the queries: a bound list parameter or a list function's result."""
    return isinstance(node, (exp.Placeholder, exp.ArrayFilter, exp.Array))


def _subscript(node: exp.Expression) -> exp.Expression:
    # DuckDB lists are 1-based, Spark's `a[i]` is 0-based; element_at is 1-based like DuckDB. sqlglot's
    # DuckDB parser already made a literal index 0-based (and only a literal), so that one goes back up.
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and not isinstance(node.expressions[0], exp.Slice):
        index = node.expressions[0]
        if isinstance(index, exp.Literal) and index.is_int:
            index = exp.Literal.number(int(index.name) + 1)
        return exp.Anonymous(this="element_at", expressions=[node.this, index])
    return node


def _quantile(node: exp.Expression) -> exp.Expression:
    # quantile_cont(x, q) is exact and interpolates; so is Spark's percentile (percentile_approx is not).
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        return exp.Anonymous(this="percentile", expressions=[node.this, node.expression])
    return node


def _list_position(node: exp.Expression) -> exp.Expression:
    # DuckDB: null when absent; Spark's array_position: 0 when absent (and 0 sorts first).
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
        found = exp.Anonymous(this="array_position", expressions=node.expressions)
        return exp.Nullif(this=found, expression=exp.Literal.number(0))
    return node


def _list_length(node: exp.Expression) -> exp.Expression:
    # len(list) is DuckDB's; Spark's length() counts characters, size() counts elements.
    if isinstance(node, exp.Length) and _is_array(node.this):
        return exp.Anonymous(this="size", expressions=[node.this])
    return node


def _row(node: exp.Expression) -> exp.Expression:
    # A row tuple `(a, b, c)` (an arg_max key) compares field by field: a struct in Spark.
    if isinstance(node, exp.Tuple) and not isinstance(node.parent, (exp.In, exp.Values)):
        return exp.Anonymous(this="struct", expressions=node.expressions)
    return node


def _hugeint(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.INT128:
        return exp.DataType.build("DECIMAL(38, 0)")
    return node


_REWRITES: tuple[Callable[[exp.Expression], exp.Expression], ...] = (
    _subscript,
    _quantile,
    _list_position,
    _list_length,
    _row,
    _hugeint,
)
