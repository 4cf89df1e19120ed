"""The package's layout keeps the data flow one-way (docs/architecture.md).

Each top-level module or subpackage of `workbench` is a node; an import
from one into another (at module level or inside a function) is an edge.
The graph must have no cycle, and the layers must only look downstream:
a snapshot knows nothing of KPIs, analysis draws nothing.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import workbench

PACKAGE = Path(workbench.__file__).resolve().parent

# What each family may not import: the flow is snapshot -> engine -> kpi -> insights -> charts/report -> run -> cli.
# `notify` words and sends messages from a report's summary: it needs only the foundations.
DOWNSTREAM = {"run", "notify"}
FORBIDDEN = {
    "snapshot": {"engine", "kpi", "insights", "charts", "report", "cli", "ingest", "simulate"} | DOWNSTREAM,
    # Where KPI SQL runs (DuckDB, Spark): it reads snapshots and knows nothing of KPIs above it.
    "engine": {"kpi", "insights", "charts", "report", "cli", "ingest", "simulate", "tables"} | DOWNSTREAM,
    "kpi": {"insights", "charts", "report", "cli", "ingest", "simulate"} | DOWNSTREAM,
    "insights": {"charts", "report", "cli", "ingest", "simulate"} | DOWNSTREAM,
    "charts": {"engine", "kpi", "insights", "report", "cli", "ingest", "simulate"} | DOWNSTREAM,
    # Tables for people take frames, titles and provenance in; kpi.opened calls them (s.show, s.to_excel).
    "tables": {"engine", "kpi", "insights", "charts", "report", "cli", "ingest", "simulate"} | DOWNSTREAM,
    "ingest": {"engine", "kpi", "insights", "charts", "report", "cli", "simulate"} | DOWNSTREAM,
    "simulate": {"engine", "kpi", "insights", "charts", "report", "cli", "ingest"} | DOWNSTREAM,
    "report": {"cli"} | DOWNSTREAM,
    "notify": {
        "snapshot",
        "engine",
        "kpi",
        "insights",
        "charts",
        "tables",
        "report",
        "cli",
        "ingest",
        "simulate",
        "run",
    },
    "run": {"cli"},
}
# Drawing and page-making libraries analysis must not pull in.
PRESENTATION_LIBRARIES = {"altair", "vl_convert", "IPython", "nbconvert", "papermill", "great_tables", "xlsxwriter"}


def _node(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "workbench" and len(parts) > 1 else None


def _imports(path: Path) -> set[str]:
    """Every absolute module name `path` imports (`from a.b import c` gives a.b and a.b.c)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        source = rel.parts[0].removesuffix(".py")
        if source == "__init__":
            continue  # the package root re-exports wb.open; it is the top, not a layer
        targets = {_node(m) for m in _imports(path)} - {None, source}
        # `from workbench import kpi` names a subpackage, `from workbench import text` a module: both are nodes.
        graph.setdefault(source, set()).update(
            t for t in targets if (PACKAGE / t).exists() or (PACKAGE / f"{t}.py").exists()
        )
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_module_families() -> None:
    graph = _graph()
    assert {"snapshot", "engine", "kpi", "insights", "charts", "report", "run", "notify", "cli"} <= set(graph)
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph) or [])}"


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_each_layer_imports_only_downstream() -> None:
    graph = _graph()
    wrong = {family: sorted(graph.get(family, set()) & banned) for family, banned in FORBIDDEN.items()}
    assert not any(wrong.values()), wrong


def test_analysis_draws_nothing() -> None:
    for path in (PACKAGE / "insights").rglob("*.py"):
        libraries = {m.split(".")[0] for m in _imports(path)}
        assert not libraries & PRESENTATION_LIBRARIES, f"{path.name} imports {libraries & PRESENTATION_LIBRARIES}"


def test_the_test_oracle_is_not_in_the_package() -> None:
    assert not list(PACKAGE.rglob("polars_kpis*")), "the Polars twin belongs in tests/support/"


# What a command's start-up must not load: each takes a tenth of a second or more, and only the
# commands that read a snapshot, draw, send or render need it (they import it when they run).
HEAVY_AT_START = ("polars", "duckdb", "pyarrow", "numpy", "apprise", "jupyter_client", "papermill", "altair")


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`workbench report` starts its kernel first, then imports: that overlap needs a light start-up."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, workbench.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [name for name in HEAVY_AT_START if name in loaded] == []


def test_the_notebook_api_loads_on_first_use() -> None:
    """`import workbench` is light, and `wb.open` / `wb.OpenedSnapshot` still work and are the real things."""
    from workbench.kpi import opened

    assert workbench.open is opened.open_snapshot
    assert workbench.OpenedSnapshot is opened.OpenedSnapshot
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = workbench.nope  # type: ignore[attr-defined]
