"""The one zh/en catalogue (workbench/catalogue.toml) and what may bypass it."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from workbench import text
from workbench.errors import WorkbenchError

PACKAGE = Path(text.__file__).resolve().parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# Modules whose Chinese strings are data or the ladder itself, not words shown by the tool:
ALLOWED_CJK = {
    "ingest/headers.py": "header names of the platform's back-office exports (input vocabulary)",
    "ingest/values.py": "yes/no values found in exports (input vocabulary)",
    "simulate/names.py": "synthetic shop, account and product names",
    "formatting.py": "the number ladder's units (万, 亿, 元, 个百分点)",
    "kpi/dictionary.py": "docs/metrics.md headings, written in both languages at once for developers",
    "cli/__init__.py": "the programme's name in the --help line",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_entry_speaks_every_language_with_the_same_fields() -> None:
    for section, entries in text.catalogue().items():
        for key, entry in entries.items():
            assert set(entry) == set(text.LANGS), f"{section}.{key} has {sorted(entry)}"
            assert all(entry.values()), f"{section}.{key} has an empty text"
            fields = {lang: _fields(value) for lang, value in entry.items()}
            assert fields["zh"] == fields["en"], f"{section}.{key}: fields differ {fields}"


def _docstring_ids(tree: ast.AST) -> set[int]:
    bodies = (n for n in ast.walk(tree) if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef))
    return {
        id(b.body[0].value)
        for b in bodies
        if b.body and isinstance(b.body[0], ast.Expr) and isinstance(b.body[0].value, ast.Constant)
    }


def _sources() -> list[tuple[str, ast.AST]]:
    return [
        (p.relative_to(PACKAGE).as_posix(), ast.parse(p.read_text(encoding="utf-8"))) for p in PACKAGE.rglob("*.py")
    ]


def test_user_facing_chinese_lives_only_in_the_catalogue() -> None:
    found = []
    for rel, tree in _sources():
        if rel in ALLOWED_CJK:
            continue
        docs = _docstring_ids(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and CJK.search(node.value)
            ):
                found.append(f"{rel}:{node.lineno} {node.value[:40]!r}")
    assert not found, "move these words to workbench/catalogue.toml:\n" + "\n".join(found)


def test_every_literal_key_the_code_asks_for_exists() -> None:
    asked = []
    for rel, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and (getattr(node.func, "id", None) == "t" or getattr(node.func, "attr", None) == "t")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                asked.append((rel, node.args[0].value))
    assert len(asked) > 30
    missing = [f"{rel}: {key}" for rel, key in asked if not text.has(key)]
    assert not missing, missing


def test_labels_and_columns_fall_back_to_the_code() -> None:
    assert text.label("short_video", "zh") == "短视频"
    assert text.label("short_video", "en") == "Short video"
    assert text.label("not_a_code", "zh") == "not_a_code"
    assert text.column("paid_gmv_fen", "zh") == "支付GMV"
    assert text.column("unknown_column", "zh") == "unknown_column"


def test_a_missing_key_or_language_is_an_error() -> None:
    with pytest.raises(KeyError, match=r"report\.nope"):
        text.t("report.nope", "zh")
    with pytest.raises(WorkbenchError, match=r"language 'fr'"):
        text.t("report.title", "fr")
