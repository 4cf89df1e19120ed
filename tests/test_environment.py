"""pyproject.toml, the locks and environment.yml must describe one environment.

pyproject.toml declares compatible ranges; requirements/lab.lock (core + dev +
lab), requirements/dev.lock (core + dev) and requirements/spark.lock (core +
dev + spark) pin every package, direct and indirect (`make lock`);
environment.yml names the declared packages at the locked versions for conda
users. And everything `workbench/` imports must be declared, or a fresh
install of the wheel breaks: a core dependency, except in the modules an
extra serves (the Spark engine, imported only when asked for).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
DEV_LOCK = ROOT / "requirements" / "dev.lock"
LAB_LOCK = ROOT / "requirements" / "lab.lock"
SPARK_LOCK = ROOT / "requirements" / "spark.lock"
# Modules that may import an extra's packages besides the core (they are imported only when it is used).
EXTRA_MODULES = {"engine/spark.py": ("spark",)}
# conda-forge names that differ from the PyPI name (beyond - versus _).
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}
# Import names whose distribution differs, for when it is not installed here.
IMPORT_TO_DIST = {"IPython": "ipython", "vl_convert": "vl-convert-python", "yaml": "pyyaml"}


# --- reading the four files ---------------------------------------------------


def _declared(groups: tuple[str, ...] | None = None) -> dict[str, Requirement]:
    """pyproject's requirements by canonical name: core plus the given extras (None: all)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    specs = list(project["dependencies"])
    for group in extras if groups is None else groups:
        specs += extras[group]
    reqs = [Requirement(spec) for spec in specs]
    return {canonicalize_name(r.name): r for r in reqs}


def _parse_lock(text: str) -> dict[str, set[Version]]:
    """A `uv pip compile` output: canonical name -> the versions pinned (one per marker branch)."""
    pins: dict[str, set[Version]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith((" ", "#", "-")):
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"not an exact pin: {line}"
        pins.setdefault(canonicalize_name(req.name), set()).add(Version(spec.version))
    return pins


def _lock(path: Path) -> dict[str, set[Version]]:
    return _parse_lock(path.read_text())


def _parse_environment(text: str) -> dict[str, str]:
    """environment.yml's packages (PyPI canonical name -> version string), python and pip left out."""
    pins: dict[str, str] = {}
    for dep in yaml.safe_load(text)["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                name, version = spec.split("==")
                pins[canonicalize_name(name)] = version
            continue
        name, rest = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", dep).groups()
        if name in ("python", "pip"):
            continue
        pin = re.fullmatch(r"=([0-9][^=<>!*,\s]*)", rest)
        assert pin, f"pin {dep} as name=version"
        pins[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = pin[1]
    return pins


def _imports(source: str) -> set[str]:
    """Top-level names of the absolute imports in one module (at any depth: lazy ones count)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _third_party(names: set[str]) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("__future__", "workbench")}


def _distributions(import_name: str) -> set[str]:
    """The distributions that provide an import name (installed ones first)."""
    installed = packages_distributions().get(import_name)
    if installed:
        return {canonicalize_name(d) for d in installed}
    return {canonicalize_name(IMPORT_TO_DIST.get(import_name, import_name))}


# --- the checks, as functions so the tests below can feed them bad input -------


def undeclared(imports: set[str], declared: set[str]) -> list[str]:
    """Third-party imports none of whose distributions is declared."""
    return sorted(n for n in _third_party(imports) if not _distributions(n) & declared)


def out_of_range(locked: dict[str, set[Version]], declared: dict[str, Requirement]) -> list[str]:
    """Declared packages that the lock leaves out or pins outside pyproject's range."""
    problems = []
    for name, req in sorted(declared.items()):
        versions = locked.get(name)
        if not versions:
            problems.append(f"{name}: not in the lock")
        problems += [f"{name}=={v} outside {req.specifier}" for v in sorted(versions or ()) if v not in req.specifier]
    return problems


def not_at_lower_bound(locked: dict[str, set[Version]], declared: dict[str, Requirement]) -> list[str]:
    """Direct dependencies not locked at their lower bound (`make lock` resolves lowest-direct)."""
    problems = []
    for name, req in sorted(declared.items()):
        floors = [Version(s.version) for s in req.specifier if s.operator in (">=", "==")]
        if len(floors) != 1:
            problems.append(f"{name}: give one lower bound (>=) in pyproject.toml")
        elif locked.get(name) != {floors[0]}:
            problems.append(f"{name}: locked {sorted(map(str, locked.get(name, ())))}, lower bound {floors[0]}")
    return problems


def environment_mismatches(conda: dict[str, str], locked: dict[str, set[Version]], declared: set[str]) -> list[str]:
    """environment.yml against the lock: the same packages as pyproject, each at its locked version."""
    problems = [
        f"{n}: declared in pyproject.toml, missing from environment.yml" for n in sorted(declared - conda.keys())
    ]
    problems += [f"{n}: in environment.yml, not declared in pyproject.toml" for n in sorted(conda.keys() - declared)]
    for name in sorted(conda.keys() & declared):
        if {Version(conda[name])} != locked.get(name):
            problems.append(
                f"{name}: environment.yml has {conda[name]}, the lock {sorted(map(str, locked.get(name, ())))}"
            )
    return problems


# --- the project as it is -----------------------------------------------------


def _all_locked() -> dict[str, set[Version]]:
    """lab.lock and spark.lock together: every declared package, core, dev, lab and spark."""
    return {**_lock(SPARK_LOCK), **_lock(LAB_LOCK)}


def test_every_workbench_import_is_a_core_dependency() -> None:
    imports, extra_imports = set(), []
    for path in sorted((ROOT / "workbench").rglob("*.py")):
        rel = path.relative_to(ROOT / "workbench").as_posix()
        if rel in EXTRA_MODULES:
            extra_imports.append((rel, _imports(path.read_text())))
        else:
            imports |= _imports(path.read_text())
    assert _third_party(imports), "the AST walk found no third-party import at all"
    assert undeclared(imports, set(_declared(()))) == []
    for rel, names in extra_imports:
        assert undeclared(names, set(_declared(EXTRA_MODULES[rel]))) == [], rel


def test_dev_lock_satisfies_core_and_dev() -> None:
    assert out_of_range(_lock(DEV_LOCK), _declared(("dev",))) == []


def test_lab_lock_satisfies_core_dev_and_lab() -> None:
    assert out_of_range(_lock(LAB_LOCK), _declared(("dev", "lab"))) == []


def test_spark_lock_satisfies_core_dev_and_spark() -> None:
    assert out_of_range(_lock(SPARK_LOCK), _declared(("dev", "spark"))) == []


def test_locks_agree() -> None:
    dev, lab, spark = _lock(DEV_LOCK), _lock(LAB_LOCK), _lock(SPARK_LOCK)
    assert {n: v for n, v in dev.items() if lab.get(n) != v} == {}
    assert {n: v for n, v in spark.items() if n in lab and lab[n] != v} == {}
    assert {n: v for n, v in dev.items() if spark.get(n) != v} == {}
    assert "jupyterlab" not in dev, "jupyterlab belongs to the lab extra only"
    assert "pyspark" not in dev and "pyspark" not in lab, "pyspark belongs to the spark extra only"


def test_direct_dependencies_are_locked_at_their_lower_bound() -> None:
    # Catches a changed pyproject.toml whose locks were not regenerated.
    assert not_at_lower_bound(_all_locked(), _declared()) == []


def test_environment_yml_matches_the_lock() -> None:
    conda = _parse_environment((ROOT / "environment.yml").read_text())
    assert environment_mismatches(conda, _all_locked(), set(_declared())) == []


# --- the checks can fail ------------------------------------------------------


def test_an_undeclared_import_is_caught() -> None:
    imports = _imports(
        "import os\nimport duckdb\nfrom scipy.stats import norm\nfrom . import x\nimport IPython.display\n"
    )
    assert imports == {"os", "duckdb", "scipy", "IPython"}
    assert undeclared(imports, {"duckdb"}) == ["IPython", "scipy"]
    assert undeclared(imports, {"duckdb", "ipython", "scipy"}) == []


def test_a_lock_outside_the_range_is_caught() -> None:
    locked = _parse_lock("duckdb==1.4.0\n    # via workbench\nnumpy==2.4.6 ; python_version < '3.12'\n")
    declared = {
        n: Requirement(s) for n, s in [("duckdb", "duckdb>=2.0.1,<3"), ("numpy", "numpy>=2.4.6"), ("rich", "rich>=15")]
    }
    assert out_of_range(locked, declared) == ["duckdb==1.4.0 outside <3,>=2.0.1", "rich: not in the lock"]
    assert not_at_lower_bound(locked, {"numpy": declared["numpy"], "duckdb": declared["duckdb"]}) == [
        "duckdb: locked ['1.4.0'], lower bound 2.0.1"
    ]


def test_an_environment_out_of_step_is_caught() -> None:
    conda = _parse_environment(
        "dependencies:\n  - python=3.11\n  - pip\n  - python-duckdb=2.0.0\n  - extra=1\n  - pip:\n      - playwright==1.65.2\n"
    )
    assert conda == {"duckdb": "2.0.0", "extra": "1", "playwright": "1.65.2"}
    locked = {"duckdb": {Version("2.0.1")}, "playwright": {Version("1.65.2")}, "rich": {Version("15.0.0")}}
    assert environment_mismatches(conda, locked, {"duckdb", "playwright", "rich"}) == [
        "rich: declared in pyproject.toml, missing from environment.yml",
        "extra: in environment.yml, not declared in pyproject.toml",
        "duckdb: environment.yml has 2.0.0, the lock ['2.0.1']",
    ]
    with pytest.raises(AssertionError, match="name=version"):
        _parse_environment("dependencies:\n  - numpy>=2\n")
