"""The whole report page is the same bytes on a machine without any system font, and its marks hover.

The session's one real render (tests/test_report.py) is the machine as it
is; here `workbench report` runs again inside a private mount namespace
where every system font folder is an empty tmpfs (the kernel it starts
inherits the namespace), and the page must be byte-identical.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_runs import hide_system_fonts, run_script_in_namespace
from test_report import rendered, report_html, report_snapshot  # noqa: F401 - shared session fixtures


@pytest.mark.slow
def test_report_is_the_same_bytes_without_any_system_font(
    report_snapshot: Path,  # noqa: F811 - fixture
    report_html: Path,  # noqa: F811 - fixture
    tmp_path: Path,
) -> None:
    args = ["report", "--latest", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path)]
    done = run_script_in_namespace(hide_system_fonts(), args)
    assert done.returncode == 0, done.stderr
    page = Path(done.stdout.strip())
    assert page == tmp_path / report_html.relative_to(report_html.parents[2])
    assert page.read_bytes() == report_html.read_bytes()


def test_every_data_mark_of_the_report_has_a_hover_title(report_html: Path) -> None:  # noqa: F811 - fixture
    page = report_html.read_text(encoding="utf-8")
    # nbconvert writes attributes in its own order; a mark is any element with role graphics-symbol.
    marks = []
    for tag in re.finditer(r'<\w+((?:\s+[\w:-]+="[^"]*")*)\s*/?>(<title>)?', page):
        attrs = dict(re.findall(r'([\w:-]+)="([^"]*)"', tag[1]))
        role = attrs.get("aria-roledescription", "")
        if attrs.get("role") == "graphics-symbol" and role not in ("axis", "legend", "title"):
            marks.append((role, attrs.get("aria-label"), tag[2]))
    single = [m for m in marks if m[0].split(" ")[0] not in ("line", "area", "trail")]
    assert single, "the report draws no bars or points"
    assert all(title for _, _, title in single), [m for m in single if not m[2]][:3]
    assert "<script" not in page
