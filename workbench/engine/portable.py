"""The portable subset: DuckDB SQL the Spark translator renders faithfully, checked without Java.

Some DuckDB constructs have no Spark twin, and some sqlglot translates into
Spark SQL that runs and is silently wrong (the feasibility study found
each). A query stays inside the subset, so `problems(sql)` refuses, with a
reason and the portable spelling:

- `ASOF JOIN`: no Spark twin;
- `AT TIME ZONE` and `timezone()`: sqlglot's `from_utc_timestamp` is right
  only when the session zone is UTC; local days are view columns
  (workbench.snapshot.read), never converted in a query;
- `percentile_cont/percentile_disc ... WITHIN GROUP`: becomes the
  approximate `percentile_approx`; `quantile_cont(x, q)` is translated exactly;
- `range(...)` anywhere and `range`/`generate_series` as a table: the
  exclusive end drops the last step (`range(0, n, 7)` -> `sequence(0, n - 7, 7)`),
  and table functions have no twin; `unnest(generate_series(a, b[, step]))`
  in a select list (inclusive in both) is the portable form;
- `date - date`: an INTEGER in DuckDB, an INTERVAL in Spark; use
  `date_diff('day', a, b)`;
- `* EXCLUDE (...)` / `* REPLACE (...)`: Spark SQL has neither.

Then every function in the translated Spark SQL must be one of Spark's
built-ins (spark_functions.txt, frozen from Spark itself), so a DuckDB-only
function is caught here rather than on a cluster.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from workbench.engine.translate import Translator

FUNCTIONS_FILE = Path(__file__).with_name("spark_functions.txt")

# A value is a date when it is one of these columns or parameters, a cast to DATE, or built from them.
_DATE_COLUMNS = re.compile(r"^(date|.*_date|week_start|week_end|first_enrolled)$")
_DATE_PARAMS = re.compile(r"^(start|end|.*_start|.*_end|.*_date)$")


@cache
def spark_functions() -> frozenset[str]:
    """The frozen list of Spark built-in function names, lower case."""
    lines = FUNCTIONS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_date(node: exp.Expression) -> bool:
    """Whether an expression is a date, judged by the names the queries give dates (no schema needed)."""
    if isinstance(node, exp.Paren):
        return _is_date(node.this)
    if isinstance(node, exp.Cast):
        return node.to.this == exp.DataType.Type.DATE
    if isinstance(node, exp.Column):
        return bool(_DATE_COLUMNS.match(node.name))
    if isinstance(node, exp.Placeholder):
        return bool(_DATE_PARAMS.match(node.name or ""))
    if isinstance(node, (exp.Least, exp.Greatest, exp.Coalesce, exp.Min, exp.Max)):
        return _is_date(node.this)
    if isinstance(node, (exp.Add, exp.Sub)):
        return _is_date(node.this) and not _is_date(node.expression)
    return False


def _construct_problems(tree: exp.Expression) -> list[str]:
    found = []
    for node in tree.walk():
        if isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF":
            found.append("ASOF JOIN has no Spark twin; join on the exact key and pick the row with a window function")
        elif isinstance(node, exp.AtTimeZone) or (isinstance(node, exp.Anonymous) and node.name.lower() == "timezone"):
            found.append(
                "time-zone conversion (AT TIME ZONE, timezone()) depends on Spark's session zone; "
                "use the views' local-day columns (paid_date, ...)"
            )
        elif isinstance(node, exp.WithinGroup):
            found.append("percentile ... WITHIN GROUP becomes Spark's approximate percentile; use quantile_cont(x, q)")
        elif isinstance(node, exp.Table) and isinstance(node.this, (exp.GenerateSeries, exp.Anonymous)):
            if isinstance(node.this, exp.GenerateSeries) or node.this.name.lower() in ("range", "generate_series"):
                found.append(
                    "range/generate_series as a table has no Spark twin; "
                    "select unnest(generate_series(a, b[, step])) in a subquery"
                )
        elif (
            isinstance(node, exp.GenerateSeries)
            and node.args.get("is_end_exclusive")
            and not isinstance(node.parent, exp.Table)
        ):
            found.append("range(...) translates with the wrong end; use generate_series(a, b[, step]) (inclusive)")
        elif isinstance(node, exp.Sub) and _is_date(node.this) and _is_date(node.expression):
            found.append(f"date - date ({node.sql('duckdb')}) is an INTERVAL in Spark; use date_diff('day', a, b)")
        elif isinstance(node, exp.Star) and (node.args.get("except_") or node.args.get("replace")):
            found.append("* EXCLUDE/REPLACE is not Spark SQL; list the columns")
    return found


def _function_names(spark_sql: str) -> set[str]:
    """Every function the Spark SQL calls, spelled as Spark reads it."""
    names = set()
    for node in sqlglot.parse_one(spark_sql, read="spark").walk():
        if isinstance(node, exp.Anonymous):
            names.add(node.name.lower())
        elif isinstance(node, exp.Func):
            called = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\(", node.sql(dialect="spark"))
            if called:
                names.add(called.group(1).lower())
    return names


def problems(sql: str, translator: Translator) -> list[str]:
    """Why `sql` (DuckDB, a KPI query or a macro file) is outside the portable subset; empty when it is inside."""
    found = []
    for statement in sqlglot.parse(sql, read="duckdb"):
        if statement is not None:
            found += _construct_problems(statement)
    if found:
        return list(dict.fromkeys(found))
    queries = [sql] if not re.search(r"create\s+(or\s+replace\s+)?macro", sql, re.IGNORECASE) else []
    for query in queries:
        unknown = sorted(_function_names(translator.to_spark(query)) - spark_functions())
        found += [f"{name}() is not a Spark built-in function" for name in unknown]
    return found


def write_functions() -> None:
    """Freeze Spark's built-in function names into spark_functions.txt (needs pyspark and Java)."""
    from workbench.engine.spark import session

    spark = session("local[1]", partitions=1)
    names = sorted(
        {row[0] for row in spark.sql("show system functions").collect() if re.fullmatch(r"[a-z_][a-z0-9_]*", row[0])}
    )
    header = FUNCTIONS_FILE.read_text(encoding="utf-8").splitlines()
    comments = [line for line in header if line.startswith("#")]
    comments[0] = (
        f"# Spark's built-in functions (`show system functions`, Spark {spark.version}), lower case, one a line."
    )
    FUNCTIONS_FILE.write_text("\n".join([*comments, *names]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-functions"]:
        write_functions()
    else:
        sys.exit("usage: python -m workbench.engine.portable --write-functions")
