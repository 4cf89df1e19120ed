"""The rendered weekly report in headless Chromium: drawn, quiet and offline.

Every request other than the page's own file is aborted and counted, so a
stray CDN script, web font or image fails the test instead of silently
needing the network. The screenshot lands in test-artifacts/ for a human
look (the folder is git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report import CHARTS, rendered, report_html, report_snapshot  # noqa: F401 - shared session fixtures

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "test-artifacts" / "weekly-report.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium (CI installs it)"
    ),
]


def test_report_draws_every_chart_offline_without_console_errors(report_html: Path) -> None:  # noqa: F811 - fixture
    from playwright.sync_api import Route, sync_playwright

    page_url = report_html.as_uri()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url == page_url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", route)
            page.goto(page_url, wait_until="load")
            drawn = page.eval_on_selector_all(
                "figure.chart",
                "figs => figs.map(f => f.querySelectorAll('svg .mark-line path, svg .mark-rect path, svg .mark-symbol path,"
                " svg .mark-tick line, svg .mark-rule line, svg .mark-text text').length)",
            )
            title = page.title()
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert len(drawn) == CHARTS + 1  # and the cohort tile, which says why it draws nothing
    assert sorted(marks > 0 for marks in drawn) == [False] + [True] * CHARTS, drawn
    assert errors == []
    assert blocked == []
    assert title == "带货短视频激励计划 · 周报 · 第2周（2025-11-29 至 2025-12-05）"


PHONE = {"width": 390, "height": 844}
PHONE_SCREENSHOT = SCREENSHOT.with_name("weekly-report-phone.png")
# Each chart text element's size on screen: its font size times the SVG's scale.
_TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart svg text')]
  .filter(t => t.textContent.trim() && t.getBBox().width > 0)
  .map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""


def test_phone_first_screen_holds_the_headline_and_nothing_scrolls_sideways(
    report_html: Path,  # noqa: F811 - fixture
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(report_html.as_uri(), wait_until="load")
            widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
            headline_bottom = page.evaluate(
                "() => document.querySelector('section.headline-section').getBoundingClientRect().bottom"
            )
            sizes = page.evaluate(_TEXT_SIZES)
            PHONE_SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert max(widths) <= PHONE["width"], widths
    assert headline_bottom <= PHONE["height"], headline_bottom
    assert sizes and min(sizes) >= 11, sorted(sizes)[:5]
