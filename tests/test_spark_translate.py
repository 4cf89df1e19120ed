"""The Spark translation, checked without Java: golden files, the portable subset, the translator's rewrites.

tests/golden/spark/<kpi>.sql is the Spark SQL every KPI translates to (the
snapshot's stored roll-ups read), and aggregates/<name>.sql the roll-up
built from the order lines; a sqlglot upgrade or a query edit shows up as a
diff of these files, to be reviewed. After a deliberate change regenerate
them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_spark_translate.py

and review `git diff tests/golden/`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from workbench import kpi
from workbench.engine import portable
from workbench.engine.macros import translator
from workbench.engine.translate import Translator, parse_macros
from workbench.paths import queries_dir
from workbench.snapshot import aggregates

GOLDEN = Path(__file__).parent / "golden" / "spark"
KPIS = list(kpi.registry())
MACRO_FILES = ["shared/definitions.sql", *(f"aggregates/{name}.sql" for name in aggregates.AGGREGATES)]


def _golden(path: Path, text: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name}: the Spark SQL changed; review it, then run UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    )


def _header(source: str) -> str:
    return f"-- Spark SQL generated from {source} by workbench.engine.translate; do not edit (see tests/test_spark_translate.py).\n"


@pytest.mark.parametrize("name", KPIS)
def test_kpi_translation_matches_its_golden_file(name: str) -> None:
    spark_sql = translator().to_spark(kpi.get(name).sql)
    _golden(GOLDEN / f"{name}.sql", _header(f"queries/{name}.sql") + spark_sql + "\n")


@pytest.mark.parametrize("name", list(aggregates.AGGREGATES))
def test_rollup_build_translation_matches_its_golden_file(name: str) -> None:
    spark_sql = translator().to_spark(f"select * from {name}_from_lines({aggregates.ALL_DAYS})")
    _golden(GOLDEN / "aggregates" / f"{name}.sql", _header(f"queries/aggregates/{name}.sql") + spark_sql + "\n")


def test_every_golden_file_belongs_to_a_kpi() -> None:
    stale = {p.stem for p in GOLDEN.glob("*.sql")} - set(KPIS)
    assert not stale, f"golden files of KPIs that no longer exist: {sorted(stale)}"


# --- the portable subset ------------------------------------------------------


@pytest.mark.parametrize("name", KPIS)
def test_every_kpi_is_inside_the_portable_subset(name: str) -> None:
    assert portable.problems(kpi.get(name).sql, translator()) == []


@pytest.mark.parametrize("file", MACRO_FILES)
def test_the_shared_macros_are_inside_the_portable_subset(file: str) -> None:
    assert portable.problems((queries_dir() / file).read_text(encoding="utf-8"), translator()) == []


def test_an_injected_asof_join_fails_the_lint() -> None:
    sql = kpi.get("lift_daily").sql
    injected = sql.replace(
        "semi join eligible using (account_id)", "asof join eligible on account_id >= eligible.account_id"
    )
    assert injected != sql
    assert portable.problems(injected, translator()) == [
        "ASOF JOIN has no Spark twin; join on the exact key and pick the row with a window function"
    ]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("select paid_date - enrolled_date as days from t", "date - date"),
        ("select $end - $start as days", "date - date"),
        ("select least($end, $campaign_end) - $campaign_start + 1 as days", "date - date"),
        ("select i from range(0, 40, 7) as t(i)", "as a table"),
        ("select unnest(range(0, 40, 7)) as i", "wrong end"),
        ("select d from generate_series(date '2025-01-01', date '2025-01-09', interval 1 day) as t(d)", "as a table"),
        ("select percentile_cont(0.5) within group (order by x) from t", "WITHIN GROUP"),
        ("select paid_at at time zone 'Asia/Shanghai' from orders", "session zone"),
        ("select timezone('Asia/Shanghai', paid_at) from orders", "session zone"),
        ("select * exclude (paid_at) from orders", "EXCLUDE"),
        ("select regexp_full_match(a, b) from t", "regexp_full_match() is not a Spark built-in function"),
    ],
)
def test_constructs_outside_the_subset_are_refused(sql: str, reason: str) -> None:
    found = portable.problems(sql, translator())
    assert len(found) == 1 and reason in found[0], found


def test_portable_spellings_pass() -> None:
    for sql in [
        "select date_diff('day', enrolled_date, paid_date) as days, $end - 1 as day_before from t",
        "select unnest(generate_series(0, $campaign_days - 1, 7)) as week_offset",
        "select quantile_cont(x, 0.5) from t",
    ]:
        assert portable.problems(sql, translator()) == [], sql


def test_the_function_list_is_spark_s() -> None:
    names = portable.spark_functions()
    assert {"convert_timezone", "percentile", "element_at", "sequence", "explode", "max_by"} <= names
    assert not {"list_position", "quantile_cont", "timezone", "arg_max"} & names


# --- the translator's rewrites ------------------------------------------------------


def test_each_macro_expansion_gets_its_own_cte_names() -> None:
    # growth_card_summary expands growth_cards once; its CTEs must not collide with the query's own `points`.
    spark_sql = translator().to_spark(kpi.get("growth_card_summary").sql)
    ctes = re.findall(r"(?m)^(?:WITH |, )?(\w+) AS \(", spark_sql)
    assert len(ctes) == len(set(ctes)), ctes
    assert "reward_bases__growth_cards_1" in spark_sql


def test_two_expansions_of_one_macro_do_not_collide() -> None:
    macros = parse_macros("create macro pairs(n) as table with base as (select n as v) select v from base;")
    spark_sql = Translator(macros).to_spark("select * from pairs(1) as a cross join pairs(2) as b")
    assert "base__pairs_1" in spark_sql and "base__pairs_2" in spark_sql


def test_arguments_replace_parameters_with_their_precedence() -> None:
    macros = parse_macros("create macro twice(x) as x * 2;")
    spark_sql = " ".join(Translator(macros).to_spark("select twice(1 + 2) as y").split())
    assert "( ( 1 + 2 ) * 2 )" in spark_sql


@pytest.mark.parametrize(
    ("duckdb_sql", "spark_piece"),
    [
        ("select $labels[2] as label", "ELEMENT_AT(:labels, 2)"),  # 1-based both ways
        ("select quantile_cont(x, 0.9) from t", "PERCENTILE(x, 0.9)"),  # exact, not percentile_approx
        ("select list_position($focus, c) from t", "NULLIF(ARRAY_POSITION(:focus, c), 0)"),  # null when absent
        ("select len($tiers) as n", "SIZE(:tiers)"),
        ("select arg_max(c, (a, b)) from t", "MAX_BY(c, STRUCT(a, b))"),
        ("select cast(x as HUGEINT) from t", "CAST(x AS DECIMAL(38, 0))"),
        ("select unnest(generate_series(0, $n - 1, 7)) as w", "EXPLODE(SEQUENCE(0, :n - 1, 7))"),
    ],
)
def test_rewrites(duckdb_sql: str, spark_piece: str) -> None:
    assert spark_piece in Translator({}).to_spark(duckdb_sql)


def test_a_scalar_macro_called_as_a_table_is_an_error() -> None:
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="scalar macro"):
        translator().to_spark("select * from fan_tier(1, [1])")


# --- the equality rule the Spark tests and the benchmark use ------------------------


def test_engine_comparison_is_exact_for_integers_and_close_for_floats() -> None:
    import polars as pl

    from workbench.engine.compare import differences

    expected = pl.DataFrame({"n": [1, 2], "share": [0.1 + 0.2, None], "name": ["a", "b"]})
    assert differences(expected, expected.with_columns(pl.col("share") * (1 + 1e-15))) == []
    assert differences(expected, expected.with_columns(pl.col("n").cast(pl.Int32))) == []  # dtypes may differ
    off = differences(expected, expected.with_columns(pl.col("share") * (1 + 1e-9)))
    assert len(off) == 1 and off[0].startswith("share row 0: 0.3000000003"), off
    assert differences(expected, expected.with_columns(pl.Series("n", [1, 3]))) == ["n row 1: 3, expected 2"]
    assert differences(expected, expected.with_columns(pl.Series("share", [0.3, 0.0]))) == [
        "share row 1: 0.0, expected None"
    ]
    assert differences(expected, expected.head(1)) == ["1 rows, expected 2"]
    assert differences(expected, expected.select("name", "n", "share")) == [
        "columns ['name', 'n', 'share'], expected ['n', 'share', 'name']"
    ]
