"""Per-shop reports (issue 18): scope, isolation, the batch.

A world built to tempt leaks: three shops with look-alike names, a promoter
account (sphShared) that sells for shopA and shopB, each shop's own
self-operated account, and shopC, whose only peer in its category is shopA.
Every shop's report is rendered (the in-process batch and, for shopA, the
papermill path of `workbench report --shop`), and every file written for a
shop is searched for every other shop's ids, names, products, videos and
own accounts, and for figures only another shop or the whole snapshot has.

Amounts (fen), campaign week 2 (2025-11-29..12-05) unless said:

    shopA  sphShared short video 111,111 settled (pA1), sphSelfA short video 22,222 settled (pA1),
           live 333,333 settled (sphSelfA); baseline: sphSelfA short video 40,000 settled
    shopB  sphShared short video 555,555 settled (pB1), sphSelfB live 666,666 settled;
           week 1: sphShared short video 70,000 settled (pB1)
    shopC  sphSelfC short video 88,888 paid (pC1)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from snapshot_builder import build_snapshot

from workbench.errors import WorkbenchError
from workbench.formatting import format_count, format_yuan
from workbench.report import params as report_params
from workbench.report.shops import checked_shops, read_shop_list, render_shops

SHOPS = {
    # shop: (name, main category, self-operated account, its name, product, video)
    "shopA": ("甜心食品旗舰店", "food", "sphSelfA", "甜心食品官方号", "pA1", "vA1"),
    "shopB": ("甜心食品二店", "food", "sphSelfB", "甜心二店官方号", "pB1", "vB1"),
    "shopC": ("甜心小厨", "food", "sphSelfC", "小厨自营号", "pC1", "vC1"),
}
PRODUCT_TITLES = {"pA1": "椰子脆片A款", "pB1": "芒果干B款", "pC1": "辣条C款"}
# order id, shop, product, account, channel, amount, status, paid (Asia/Shanghai)
ORDERS = [
    ("9100000000000000001", "shopA", "pA1", "sphShared", "short_video", 111_111, "settled", "2025-11-30T20:00:00"),
    ("9100000000000000002", "shopA", "pA1", "sphSelfA", "short_video", 22_222, "settled", "2025-12-01T20:00:00"),
    ("9100000000000000003", "shopA", "pA1", "sphSelfA", "live", 333_333, "settled", "2025-12-02T20:00:00"),
    ("9100000000000000004", "shopA", "pA1", "sphSelfA", "short_video", 40_000, "settled", "2025-09-02T20:00:00"),
    ("9100000000000000005", "shopB", "pB1", "sphShared", "short_video", 555_555, "settled", "2025-12-01T21:00:00"),
    ("9100000000000000006", "shopB", "pB1", "sphSelfB", "live", 666_666, "settled", "2025-12-03T21:00:00"),
    ("9100000000000000007", "shopB", "pB1", "sphShared", "short_video", 70_000, "settled", "2025-11-25T21:00:00"),
    ("9100000000000000008", "shopC", "pC1", "sphSelfC", "short_video", 88_888, "paid", "2025-12-04T21:00:00"),
]
VIDEOS = {"vA1": ("sphShared", "pA1"), "vB1": ("sphShared", "pB1"), "vC1": ("sphSelfC", "pC1")}


def _account(account_id: str, name: str, fans: int, shop: str | None) -> dict:
    return {
        "account_id": account_id,
        "account_name": name,
        "shop_id": shop,
        "is_self_operated": shop is not None,
        "effective_fans": fans,
        "short_video_commerce_enabled": True,
        "has_official_account": False,
        "created_at": "2025-01-01T00:00:00+08:00",
    }


def build_shops_snapshot(root: Path) -> Path:
    """The three-shop world of this module's docstring, cut 2025-12-07."""
    tables = {
        "shops": [
            {"shop_id": s, "shop_name": n, "main_category": c, "opened_at": "2024-05-01T00:00:00+08:00"}
            for s, (n, c, *_) in SHOPS.items()
        ],
        "accounts": [
            _account("sphShared", "甜心带货达人", 50_000, None),
            *(_account(acc, name, 300, s) for s, (_, _, acc, name, *_) in SHOPS.items()),
        ],
        "products": [
            {"product_id": p, "shop_id": s, "title": PRODUCT_TITLES[p], "category": "food", "price_fen": 10_000}
            for s, (*_, p, _) in SHOPS.items()
        ],
        "enrollments": [
            {"account_id": a, "enrolled_at": "2025-11-22T09:00:00+08:00"}
            for a in ("sphShared", "sphSelfA", "sphSelfB", "sphSelfC")
        ],
        "videos": [
            {"video_id": v, "account_id": a, "product_id": p, "published_at": "2025-11-23T08:00:00+08:00"}
            for v, (a, p) in VIDEOS.items()
        ],
        "video_traffic": [
            {
                "video_id": v,
                "date": "2025-12-01",
                "tab": "recommend",
                "impressions": imp,
                "boosted_impressions": imp // 4,
                "product_clicks": imp // 100,
            }
            for v, imp in (("vA1", 12_300), ("vB1", 45_600), ("vC1", 78_900))
        ],
        "live_sessions": [],
        "orders": [
            {
                "order_id": oid,
                "line_no": 1,
                "shop_id": shop,
                "product_id": product,
                "account_id": account,
                "channel": channel,
                "content_id": next((v for v, (a, p) in VIDEOS.items() if a == account and p == product), None)
                if channel == "short_video"
                else None,
                "buyer_id": None,
                "quantity": 1,
                "amount_fen": amount,
                "refund_fen": 0,
                "status": status,
                "paid_at": f"{paid}+08:00",
                "settled_at": f"{paid}+08:00" if status == "settled" else None,
            }
            for oid, shop, product, account, channel, amount, status, paid in ORDERS
        ],
    }
    return build_snapshot(root, tables, snapshot_date="2025-12-07", cutoff="2025-12-07T23:59:59+08:00")


@pytest.fixture(scope="module")
def shops_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shops_snapshot(tmp_path_factory.mktemp("snapshots"))


@pytest.fixture(scope="module")
def batch_out(shops_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    base = report_params.validate(shops_snapshot, week=2)
    for lang in ("zh", "en"):
        batch = render_shops(report_params.validate(shops_snapshot, week=2, lang=lang), list(SHOPS), out)
        assert batch.failures == {}
        assert len(batch.pages) == 3
    assert base.manifest.snapshot_date.isoformat() == "2025-12-07"
    return out


def _foreign_words(shop: str) -> list[str]:
    """Every identifier and name that belongs to another shop (its own accounts, products, videos)."""
    words: list[str] = []
    for other, (name, _, acc, acc_name, product, video) in SHOPS.items():
        if other != shop:
            words += [other, name, acc, acc_name, product, PRODUCT_TITLES[product], video]
    return words


def _foreign_figures(shop: str) -> list[str]:
    """Amounts only another shop or the whole snapshot has, as raw fen and as the page writes them."""
    mine = {o[0] for o in ORDERS if o[1] == shop}
    amounts = {o[5] for o in ORDERS if o[0] not in mine}
    week2 = [o for o in ORDERS if "2025-11-29" <= o[7][:10] <= "2025-12-05"]
    amounts.add(sum(o[5] for o in week2))  # the snapshot's paid GMV of the week
    amounts.add(sum(o[5] for o in week2 if o[4] == "short_video"))
    figures = []
    for amount in amounts:
        figures += [f'data-value="{amount}"', format_yuan(amount, "zh"), format_yuan(amount, "en")]
    impressions = {"vA1": 12_300, "vB1": 45_600, "vC1": 78_900}
    for video, count in impressions.items():
        if video != SHOPS[shop][5]:
            figures += [format_count(count, "zh"), format_count(count, "en")]
    return figures


def _shop_files(out: Path, shop: str) -> list[Path]:
    files = [p for p in (out / "2025-12-07" / "shops" / shop).rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".html", ".json"}
    return files


@pytest.mark.parametrize("shop", list(SHOPS))
def test_a_shop_report_names_nothing_of_another_shop(batch_out: Path, shop: str) -> None:
    for file in _shop_files(batch_out, shop):
        text = file.read_text(encoding="utf-8")
        for word in _foreign_words(shop) + _foreign_figures(shop):
            assert word not in text, f"{file.name} of {shop} shows {word!r}"
        assert SHOPS[shop][0] in text or file.suffix == ".json"  # its own name is on its page


def _metrics(out: Path, shop: str, lang: str = "zh") -> dict:
    summary = json.loads((out / "2025-12-07" / "shops" / shop / "week-02" / f"week-02-{lang}.json").read_text())
    assert summary["shop"] == shop
    return {k: v["value"] for k, v in summary["metrics"].items()}


def test_shop_figures_are_the_shops_own(batch_out: Path) -> None:
    a = _metrics(batch_out, "shopA")
    assert a["short_video_paid_gmv_fen"] == 111_111 + 22_222  # the shared promoter's shopA sale included
    assert a["live_paid_gmv_fen"] == 333_333
    assert "short_video_settled_estimate_fen" not in a  # no nowcast for one shop
    # sphShared (sold its products) is its newcomer; sphSelfA sold in the baseline; sphSelfB is not its account
    assert (a["newcomers_enrolled"], a["newcomers_selling"]) == (1, 1)
    # sphSelfA's card only: (22,222 * 92 - 40,000 * 40) // 92 = 4,830 fen -> 0.7245 points
    assert a["growth_card_points"] == pytest.approx(0.7245)
    b = _metrics(batch_out, "shopB")
    assert b["short_video_paid_gmv_fen"] == 555_555
    assert b["short_video_paid_gmv_wow_change"] == pytest.approx(555_555 / 70_000 - 1)
    # sphSelfB sold nothing by short video: shopB has no growth-card points, whatever sphShared earned elsewhere
    assert b["growth_card_points"] == 0
    c = _metrics(batch_out, "shopC")
    assert c["short_video_paid_gmv_fen"] == 88_888
    assert c["short_video_settled_gmv_fen"] == 0


def test_snapshot_wide_sections_are_left_out(batch_out: Path) -> None:
    page = (batch_out / "2025-12-07" / "shops" / "shopA" / "week-02" / "week-02-en.html").read_text()
    assert "computed for the whole snapshot and are left out of shop reports" in page
    assert "no settlement estimate for a single shop" in page
    assert "Newcomer cohorts" not in page and "posting quota" not in page.lower()
    # three shops in all: no peer group reaches 5, so the peer table names no percentile
    peers = page.split("Against comparable shops")[1].split("</section>")[0]
    assert peers.count("fewer than 5 comparable shops: not shown") == 4


def test_unknown_shop_is_refused_with_the_closest_ids(shops_snapshot: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"^shop 'shopA1' is not in the snapshot; did you mean 'shopA'"):
        report_params.latest(shops_snapshot, shop="shopA1")
    listed = tmp_path / "shops.txt"
    listed.write_text("shopA\n# a comment\n\nshopX\n", encoding="utf-8")
    manifest = report_params.latest(shops_snapshot).manifest
    with pytest.raises(WorkbenchError, match=r"^shop 'shopX' is not in the snapshot; did you mean"):
        checked_shops(manifest, read_shop_list(listed))
    assert checked_shops(manifest, None) == {s: name for s, (name, *_) in SHOPS.items()}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from workbench.cli import main; sys.argv[0] = 'workbench'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def test_cli_shop_report_is_the_batch_page(shops_snapshot: Path, batch_out: Path, tmp_path: Path) -> None:
    """`workbench report --shop` (papermill, a kernel) gives the page the in-process batch gives."""
    done = _cli(
        "report", "--week", "2", "--shop", "shopA", "--snapshot", str(shops_snapshot), "--out-dir", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    page = Path(done.stdout.strip().splitlines()[0])
    assert page == tmp_path / "2025-12-07" / "shops" / "shopA" / "week-02" / "week-02-zh.html"
    batch_page = batch_out / "2025-12-07" / "shops" / "shopA" / "week-02" / "week-02-zh.html"
    assert page.read_text() == batch_page.read_text()
    refused = _cli("report", "--latest", "--shop", "shopZ", "--snapshot", str(shops_snapshot))
    assert refused.returncode == 2
    assert re.search(r"shop 'shopZ' is not in the snapshot", refused.stderr)


def test_each_shop_lists_failures_and_goes_on(shops_snapshot: Path, tmp_path: Path, monkeypatch) -> None:
    from workbench.report import shops as shops_module

    real = shops_module.render_in_process

    def flaky(params, out_dir=None):  # shopB's report breaks; the others must still be written
        if params.shop == "shopB":
            raise RuntimeError("boom")
        return real(params, out_dir)

    monkeypatch.setattr(shops_module, "render_in_process", flaky)
    batch = render_shops(report_params.validate(shops_snapshot, week=2), list(SHOPS), tmp_path)
    assert [p.parts[-3] for p in batch.pages] == ["shopA", "shopC"]
    assert list(batch.failures) == ["shopB"] and "RuntimeError: boom" in batch.failures["shopB"]


# --- the portfolio page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio(shops_snapshot: Path, batch_out: Path) -> tuple[Path, Path]:
    from workbench.report.portfolio import write_portfolio

    base = report_params.validate(shops_snapshot, week=2)
    return write_portfolio(base, {s: name for s, (name, *_) in SHOPS.items()}, batch_out)


def _ranked_ids(page: str, metric: str) -> list[str]:
    section = page.split(f'id="by-{metric}"')[1].split("</section>")[0]
    return re.findall(r'<span class="meta">(shop[A-C])</span>', section)


def test_portfolio_ranks_every_metric_without_script(portfolio: tuple[Path, Path], batch_out: Path) -> None:
    html = portfolio[0]
    assert html == batch_out / "2025-12-07" / "portfolio-week-02.html"
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page
    # short-video paid GMV: B 555,555 > A 133,333 > C 88,888; share: C 100% > A, B (B: 555,555 / 1,222,221)
    assert _ranked_ids(page, "short_video_paid_gmv_fen") == ["shopB", "shopA", "shopC"]
    assert _ranked_ids(page, "short_video_paid_share") == ["shopC", "shopB", "shopA"]
    assert _ranked_ids(page, "growth_card_points") == ["shopA", "shopB", "shopC"]  # A 0.7245, then 0 by id
    for shop in SHOPS:
        link = f'href="shops/{shop}/week-02/week-02-zh.html"'
        assert page.count(link) == 5  # one row in each ranking
        assert (html.parent / f"shops/{shop}/week-02/week-02-zh.html").exists()


def test_portfolio_workbook_has_chinese_headers_and_yuan(portfolio: tuple[Path, Path]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(portfolio[1])
    sheet = book["portfolio"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["店铺ID", "店铺", "短视频支付GMV（元）"] or header[2].startswith("短视频支付GMV")
    first = [c.value for c in sheet[2]]
    assert first[0] == "shopB" and first[2] == pytest.approx(5_555.55)
    assert sheet.cell(2, 3).number_format == "#,##0.00"


ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")
@pytest.mark.parametrize("which", ["portfolio", "shop"])
def test_portfolio_and_shop_page_offline_quiet_and_phone_sized(
    which: str, portfolio: tuple[Path, Path], batch_out: Path
) -> None:
    """The offline Chromium checks of the weekly report: no request, no console error, nothing scrolls sideways."""
    from playwright.sync_api import Route, sync_playwright
    from test_report_browser import ARGS, CHROMIUM, PHONE

    target = portfolio[0] if which == "portfolio" else batch_out / "2025-12-07/shops/shopA/week-02/week-02-zh.html"
    url = target.as_uri()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.split("#")[0] == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", route)
            page.goto(url, wait_until="load")
            page.screenshot(path=str(ARTIFACTS / f"{which}-report.png"), full_page=True)
            phone = browser.new_page(viewport=PHONE)
            phone.route("**/*", route)
            phone.goto(url, wait_until="load")
            widths = phone.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
            phone.screenshot(path=str(ARTIFACTS / f"{which}-report-phone.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert blocked == []
    assert max(widths) <= PHONE["width"], widths


def test_peer_section_reads_only_its_own_shops_rows() -> None:
    """With a group of 5 or more the percentiles are shown; the other shops' rows never are."""
    import polars as pl

    from workbench.report.peers import peers_html

    def row(shop: str, value: float) -> dict:
        return {
            "shop_id": shop,
            "main_category": "food",
            "size_band": "10k-100k",
            "paid_gmv_fen": 1,
            "metric": "short_video_share",
            "value": value,
            "peer_level": "category_band",
            "peer_shops": 6,
            "peer_p25": 0.125,
            "peer_p50": 0.25,
            "peer_p75": 0.375,
        }

    frame = pl.DataFrame([row("shopA", 0.5), row("shopB", 0.875)])
    page = peers_html(frame, "shopA", "en")
    assert (
        "<td>50.0%</td><td>12.5%</td><td>25.0%</td><td>37.5%</td><td>Same category and size (10k-100k), 6 shops" in page
    )
    assert "87.5%" not in page and "shopB" not in page


def test_worker_processes_write_the_same_pages(shops_snapshot: Path, batch_out: Path, tmp_path: Path) -> None:
    """Shared among two spawned workers (one chunk each here), the batch writes the pages the one-process batch does."""
    batch = render_shops(report_params.validate(shops_snapshot, week=2), list(SHOPS), tmp_path, min_per_worker=1)
    assert batch.failures == {}
    assert [p.parts[-3] for p in batch.pages] == list(SHOPS)
    for page in batch.pages:
        same = batch_out / page.relative_to(tmp_path)
        assert page.read_text(encoding="utf-8") == same.read_text(encoding="utf-8")
