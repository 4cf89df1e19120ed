"""docs/metrics.md is exactly what the query headers render to, so it stays current."""

from __future__ import annotations

from workbench import kpi
from workbench.kpi import dictionary
from workbench.paths import PACKAGE_ROOT

METRICS_MD = PACKAGE_ROOT.parent / "docs" / "metrics.md"


def test_docs_metrics_md_is_current() -> None:
    assert METRICS_MD.read_text(encoding="utf-8") == dictionary.render(), (
        "docs/metrics.md is stale: run `.venv/bin/python -m workbench.kpi.dictionary > docs/metrics.md`"
    )


def test_every_kpi_has_an_anchor_and_a_section() -> None:
    text = dictionary.render()
    for entry in kpi.registry().values():
        assert f'<a id="{entry.name}"></a>' in text
        assert f"### `{entry.name}` — {entry.title_zh} / {entry.title_en}" in text
        assert f"- columns: {', '.join(f'`{c}`' for c in entry.columns)}" in text
