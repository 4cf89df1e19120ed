"""environment.yml and pyproject.toml must describe the same environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from the PyPI name.
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}


def _pypi_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    pins = {}
    for spec in specs:
        name, version = spec.split("==")
        pins[name.lower()] = version
    return pins


def _conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                name, version = spec.split("==")
                pins[name.lower()] = version
            continue
        if dep.startswith(("python", "pip")) and not re.match(r"python-\w", dep):
            continue
        name, version = dep.split("=")
        pins[CONDA_TO_PYPI.get(name, name).lower()] = version
    return pins


def test_every_dependency_is_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for g in project["optional-dependencies"].values() for d in g]
    loose = [s for s in specs if "==" not in s]
    assert not loose, f"pin these with ==: {loose}"


def test_environment_yml_matches_pyproject() -> None:
    assert _conda_pins() == _pypi_pins()
