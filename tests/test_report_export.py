"""`workbench report --pdf/--png` (workbench.report.export), the print style sheet and hover titles in Chromium.

The PDF and PNG are drawn by the Debian Chromium the CI installs; the
files land in test-artifacts/ for a human look (git-ignored): the phone
screenshot as weekly-report-phone.png, the A4 print as weekly-report.pdf.
A missing browser is told before any report is rendered, with how to get one.
"""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pytest
from cli_runs import run_cli
from test_report import rendered, report_html, report_snapshot  # noqa: F401 - shared session fixtures

from workbench.errors import WorkbenchError
from workbench.report.export import ENV_BROWSER, PHONE_SCALE, PHONE_WIDTH, export, find_chromium
from workbench.report.render import TEMPLATE_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium (CI installs it)"
)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (Chromium writes them uncompressed)."""
    assert data.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


# --- the files ------------------------------------------------------------------------------


@pytest.mark.browser
@needs_chromium
def test_a_page_becomes_an_a4_pdf_and_one_long_phone_png(report_html: Path, tmp_path: Path) -> None:  # noqa: F811
    page = tmp_path / report_html.name
    shutil.copy(report_html, page)
    written = export(page, CHROMIUM, pdf=True, png=True)
    assert written == [page.with_suffix(".png"), page.with_suffix(".pdf")]
    png = page.with_suffix(".png").read_bytes()
    width, height = png_size(png)
    assert width == PHONE_WIDTH * PHONE_SCALE
    assert height > 3 * width  # the whole page, not one screenful
    pdf = page.with_suffix(".pdf").read_bytes()
    assert pdf_pages(pdf) >= 2
    # A4 (595 x 842 pt) from the print style sheet's @page rule.
    assert re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        page.name,
        page.with_suffix(".pdf").name,
        page.with_suffix(".png").name,
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(page.with_suffix(".png"), ARTIFACTS / "weekly-report-phone.png")
    shutil.copy(page.with_suffix(".pdf"), ARTIFACTS / "weekly-report.pdf")


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_report_all_with_pdf_and_png_writes_both_beside_every_page(
    report_snapshot: Path,  # noqa: F811 - fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_BROWSER, str(CHROMIUM))
    code, out, err = run_cli(
        capsys, "report", "--all", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path), "--pdf", "--png"
    )
    assert code == 0, err
    for week in ("week-01", "week-02"):
        html = tmp_path / "2025-12-07" / week / f"{week}-zh.html"
        assert f"{html.with_suffix('.png')}\n" in out
        assert f"{html.with_suffix('.pdf')}\n" in out
        assert png_size(html.with_suffix(".png").read_bytes())[0] == PHONE_WIDTH * PHONE_SCALE
        assert pdf_pages(html.with_suffix(".pdf").read_bytes()) >= 1
    # Written atomically: no temporary file is left behind.
    assert not list(tmp_path.rglob(".*.tmp*"))


# --- no browser: told before any kernel starts --------------------------------------------------


def test_a_browser_path_that_is_not_there_is_refused_before_rendering(
    report_snapshot: Path,  # noqa: F811 - fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_BROWSER, str(tmp_path / "no-such-chromium"))
    code, out, err = run_cli(
        capsys, "report", "--latest", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path / "out"), "--pdf"
    )
    assert code == 2
    assert err.strip() == (
        f"error: {ENV_BROWSER}={tmp_path / 'no-such-chromium'} is not an executable file; point it at a Chromium or "
        "Chrome binary (e.g. /usr/bin/chromium), or unset it to look for chromium, chromium-browser, google-chrome, "
        "google-chrome-stable on PATH"
    )
    assert out == ""
    assert not (tmp_path / "out").exists()  # nothing was rendered


def test_no_chromium_on_path_says_how_to_install_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_BROWSER, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(WorkbenchError) as err:
        find_chromium()
    assert "apt-get install chromium" in str(err.value)
    assert ENV_BROWSER in str(err.value)
    assert err.value.exit_code == 2


def test_the_print_style_sheet_is_inlined_in_the_page(report_html: Path) -> None:  # noqa: F811 - fixture
    page = report_html.read_text(encoding="utf-8")
    sheet = (TEMPLATE_DIR / "weekly" / "print.css").read_text(encoding="utf-8")
    assert sheet.strip() in page
    assert "@page" in page and "<link" not in page


# --- in Chromium: the print layout and hover titles ------------------------------------------------

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
@needs_chromium
def test_printing_opens_details_and_keeps_charts_whole(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    styles = "".join(
        (TEMPLATE_DIR / "weekly" / name).read_text(encoding="utf-8") for name in ("report.css", "print.css")
    )
    page_html = tmp_path / "print.html"
    page_html.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{styles}</style></head><body><main class='report'>"
        "<figure class='chart'><h3>图</h3><svg width='400' height='200'></svg></figure>"
        "<details><summary>统计细节</summary><p id='inside'>置信区间</p></details>"
        "</main></body></html>",
        encoding="utf-8",
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(page_html.as_uri())
            on_screen = page.eval_on_selector("#inside", "p => p.checkVisibility()")
            page.emulate_media(media="print")
            printed = page.eval_on_selector("#inside", "p => p.checkVisibility()")
            keeps_whole = page.eval_on_selector("figure.chart", "f => getComputedStyle(f).breakInside")
        finally:
            browser.close()
    assert (on_screen, printed) == (False, True)
    assert keeps_whole == "avoid"


@pytest.mark.browser
@needs_chromium
def test_hovering_a_bar_in_chromium_lands_on_an_element_with_its_title(report_html: Path) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844})
            page.goto(report_html.as_uri())
            # The middle of every bar: is the element under the pointer there titled, and with what?
            hovered = page.eval_on_selector_all(
                "svg .mark-rect path",
                """bars => bars.map(bar => {
                    bar.scrollIntoView({block: "center"});
                    const box = bar.getBoundingClientRect();
                    if (box.width < 2 || box.height < 2) return null;
                    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
                    const title = hit && hit.querySelector(":scope > title");
                    return title ? title.textContent : "";
                }).filter(t => t !== null)""",
            )
        finally:
            browser.close()
    assert hovered, "no bar large enough to hover"
    assert all(hovered), hovered
    # "field: value" pairs, or a settling band's sentence (结算中：…)
    assert all(": " in text or "：" in text for text in hovered), hovered
