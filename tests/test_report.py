"""The weekly report: parameter checks, one real render, reruns and failures.

The snapshot below is small enough to work every expected figure out by
hand (amounts in fen):

- baseline: sphOld short video 920,000 settled, live 2,000,000 settled
  -> baseline share 920,000 / 2,920,000 = 31.5%.
- week 1 (11-22..11-28): short video 300,000 (sphNew1, food) + 500,000
  (sphOld, beauty) settled, live 1,000,000 -> share 44.4%.
- week 2 (11-29..12-05): short video 200,000 (sphNew1, home) + 150,000
  (sphNew2, food) settled, 400,000 (sphOld) still paid, a 60,000 refunded
  line, product share 50,000 settled, live 800,000 settled
  -> share 350,000 / 1,150,000 = 30.4%: -14.0 pp on week 1, -1.1 pp on
  the baseline; short video paid 810,000; all channels paid 1,660,000 of
  which 400,000 unsettled (24.1%); food + home are all of the settled
  short-video GMV (0% in the baseline and in live).
- traffic of enrolled accounts' videos in week 2, recommend feed: 10,000 +
  6,000 impressions, 4,000 + 3,000 boosted -> 43.8%.
- newcomers: sphNew1, sphNew2, sphSelf enrolled; sphNew1 sold in week 1,
  sphNew2 in week 2 -> 2 of 3 selling by 12-05, 1 more than a week earlier.
- growth card by 12-05: sphNew1 500,000 fen -> 75 points, sphNew2 150,000
  -> 22.5 points, sphOld 500,000 - 10,000 * 40 = 100,000 -> 15 points:
  112.5 points, 3 accounts, 2 newcomers.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from snapshot_builder import build_snapshot

from workbench.errors import WorkbenchError
from workbench.formatting import format_count, format_pp, pp_change
from workbench.report import params as report_params
from workbench.report.index import write_index
from workbench.report.narrative import change_words
from workbench.report.page import WeeklyReport
from workbench.report.render import render

ROOT = Path(__file__).resolve().parents[1]

ACCOUNTS = [
    # account_id, fans, self-operated, shop
    ("sphNew1", 5_000, False, None),
    ("sphNew2", 2_000, False, None),
    ("sphOld", 200_000, False, None),
    ("sphSelf", 300, True, "shop1"),
    ("sphSmall", 500, False, None),
]
PRODUCTS = [("p_food", "food"), ("p_home", "home"), ("p_beauty", "beauty"), ("p_apparel", "apparel")]
ENROLLED = {
    "sphNew1": "2025-11-22T09:00:00+08:00",
    "sphNew2": "2025-11-30T10:00:00+08:00",
    "sphOld": "2025-11-22T12:00:00+08:00",
    "sphSelf": "2025-11-25T08:00:00+08:00",
}
# order_id, account, channel, product, amount_fen, status, paid_at (Asia/Shanghai), refund_fen
ORDERS = [
    ("3705000000000000001", "sphOld", "short_video", "p_beauty", 920_000, "settled", "2025-09-10T20:00:00", 0),
    ("3705000000000000002", "sphOld", "live", "p_apparel", 2_000_000, "settled", "2025-09-11T20:00:00", 0),
    ("3705000000000000003", "sphNew1", "short_video", "p_food", 300_000, "settled", "2025-11-23T19:00:00", 0),
    ("3705000000000000004", "sphOld", "short_video", "p_beauty", 500_000, "settled", "2025-11-25T21:00:00", 0),
    ("3705000000000000005", "sphOld", "live", "p_apparel", 1_000_000, "settled", "2025-11-26T20:30:00", 0),
    ("3705000000000000006", "sphNew1", "short_video", "p_home", 200_000, "settled", "2025-11-29T00:10:00", 0),
    ("3705000000000000007", "sphNew2", "short_video", "p_food", 150_000, "settled", "2025-12-01T12:00:00", 0),
    ("3705000000000000008", "sphOld", "short_video", "p_beauty", 400_000, "paid", "2025-12-04T22:00:00", 0),
    ("3705000000000000009", "sphNew2", "short_video", "p_food", 60_000, "refunded", "2025-12-02T09:00:00", 60_000),
    ("3705000000000000010", None, "product_share", "p_home", 50_000, "settled", "2025-12-03T15:00:00", 0),
    ("3705000000000000011", "sphOld", "live", "p_apparel", 800_000, "settled", "2025-12-05T20:00:00", 0),
]
VIDEOS = [
    ("v1", "sphNew1", "p_food", "2025-11-23T08:00:00+08:00"),
    ("v2", "sphOld", "p_beauty", "2025-11-24T08:00:00+08:00"),
    ("v3", "sphNew1", "p_home", "2025-11-29T08:00:00+08:00"),
    ("v4", "sphNew2", "p_food", "2025-12-01T08:00:00+08:00"),
]
# video, date, tab, impressions, boosted
TRAFFIC = [
    ("v3", "2025-11-29", "recommend", 10_000, 4_000),
    ("v3", "2025-11-29", "follow", 2_000, 0),
    ("v4", "2025-12-01", "recommend", 6_000, 3_000),
    ("v4", "2025-12-01", "friends", 1_000, 0),
    ("v1", "2025-11-23", "recommend", 8_000, 2_000),
]


def build_report_snapshot(root: Path, snapshot_date: str = "2025-12-07") -> Path:
    """The hand-made snapshot described in this module's docstring (cutoff 2025-12-07).

    An earlier `snapshot_date` gives the same world as known at the end of
    that day: the order lines paid by then (with their final statuses).
    """
    tables = {
        "accounts": [
            {
                "account_id": a,
                "account_name": f"账号{a}",
                "shop_id": shop,
                "is_self_operated": self_op,
                "effective_fans": fans,
                "short_video_commerce_enabled": True,
                "has_official_account": False,
                "created_at": "2025-01-01T00:00:00+08:00",
            }
            for a, fans, self_op, shop in ACCOUNTS
        ],
        "shops": [
            {
                "shop_id": "shop1",
                "shop_name": "小店一号",
                "main_category": "food",
                "opened_at": "2024-05-01T00:00:00+08:00",
            }
        ],
        "products": [
            {"product_id": p, "shop_id": "shop1", "title": f"商品{p}", "category": c, "price_fen": 10_000}
            for p, c in PRODUCTS
        ],
        "enrollments": [{"account_id": a, "enrolled_at": at} for a, at in ENROLLED.items()],
        "videos": [{"video_id": v, "account_id": a, "product_id": p, "published_at": at} for v, a, p, at in VIDEOS],
        "video_traffic": [
            {
                "video_id": v,
                "date": d,
                "tab": tab,
                "impressions": imp,
                "boosted_impressions": boost,
                "product_clicks": imp // 100,
            }
            for v, d, tab, imp, boost in TRAFFIC
        ],
        "live_sessions": [
            {
                "live_id": "live1",
                "account_id": "sphOld",
                "started_at": "2025-09-11T19:00:00+08:00",
                "ended_at": "2025-09-11T23:00:00+08:00",
            }
        ],
        "orders": [
            {
                "order_id": oid,
                "line_no": 1,
                "shop_id": "shop1",
                "product_id": product,
                "account_id": account,
                "channel": channel,
                "content_id": None,
                "buyer_id": f"buyer{oid[-2:]}",
                "quantity": 1,
                "amount_fen": amount,
                "refund_fen": refund,
                "status": status,
                "paid_at": f"{paid}+08:00",
                "settled_at": f"{paid}+08:00" if status == "settled" else None,
            }
            for oid, account, channel, product, amount, status, paid, refund in ORDERS
            if paid[:10] <= snapshot_date
        ],
    }
    return build_snapshot(root, tables, snapshot_date=snapshot_date, cutoff=f"{snapshot_date}T23:59:59+08:00")


WEEK2_FIGURES = (
    # Paid first: short video 200,000 + 150,000 + 400,000 (paid) + 60,000 (refunded) fen.
    "8,100.00元",
    "直播 8,000.00元 · 全渠道 1.66万元",  # live 800,000; all channels add product_share's 50,000
    # Week 1 paid short video 800,000: +1.3%; daily 810,000 / 7 against the baseline's 920,000 / 92.
    "较上周 +1.2% · 日均较基线 +1057.1%",  # 810/800 - 1 = 0.0125, a hair under in binary
    "50.3%",  # paid share of video + live: 810,000 / 1,610,000
    "较上周 +5.9个百分点 · 较基线 +18.8个百分点",  # week 1 800/1,800 = 44.4%; baseline 920/2,920 = 31.5%
    "基线（8–10月）31.5%",
    # Settled so far 350,000; too little history for a nowcast, so no estimate, and the reason.
    "结算中，暂无最终估算：2025-12-07前已满30天的成熟订单不足200行，无法学习结算规律",
    # Two days after its end, week 1 had settled 800,000 (settled the day it was paid): 350/800 - 1.
    "同账龄较上周 -56.2%（上周结束后2天时为 8,000.00元）",
    "2",  # newcomers selling
    "已报名新手 3 个 · 出单率 66.7%",
    "本周新增 1 个",
    "成长卡积分（累计）112",  # growth-card points 112.5, a whole number
    "按目前速度，活动结束时约 321",  # 112.5 over 14 days, paced to 40
    "较上周上升5.9个百分点，较基线上升18.8个百分点",
    "与上周同一账龄（结束后2天）相比：-56.2%",
    "3个已报名新手中有2个已出单（66.7%），本周新增1个",
    "由3个账号获得，其中新手2个",
    # Paid: food 150,000 + 60,000, home 200,000 of 810,000 short-video fen; baseline all beauty.
    "短视频支付GMV中食品、家居日用占50.6%（基线0.0%），直播间为0.0%。",
    "在推荐频道获得曝光1.60万，其中活动加推占43.8%",  # (10,000 + 6,000) impressions, (4,000 + 3,000) boosted
    "本期支付GMV 1.66万元 中尚有 4,000.00元（24.1%）未结算",
    "数据快照 2025-12-07，截至 2025-12-07 23:59",
)
# Seven tiles; the newcomer cohorts (3 accounts) are too small to draw.
CHARTS = 6


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The `workbench` command as cron runs it, in a fresh interpreter."""
    code = "import sys; from workbench.cli import main; sys.argv[0] = 'workbench'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def visible_numbers(page: Path) -> tuple[str, list[str]]:
    """The page's text outside charts, and every chart mark's label (value) in sorted order.

    Mark order inside an SVG may differ between runs (a chart helper groups
    rows without a fixed order), so marks are compared as a sorted list.
    """
    text = page.read_text(encoding="utf-8")
    marks = sorted(re.findall(r'aria-label="([^"]*)"', text))
    return re.sub(r"<svg.*?</svg>", "<svg/>", text, flags=re.S), marks


@pytest.fixture(scope="session")
def report_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report_snapshot(tmp_path_factory.mktemp("snapshots"))


@pytest.fixture(scope="session")
def rendered(
    report_snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`workbench report --latest` on the hand-made snapshot: its out dir and the finished process."""
    out = tmp_path_factory.mktemp("reports")
    done = run_cli("report", "--latest", "--snapshot", str(report_snapshot), "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.fixture(scope="session")
def report_html(rendered: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    """The HTML file of the session's one successful render (week 2)."""
    out, _ = rendered
    return out / "2025-12-07" / "week-02" / "week-02-zh.html"


# --- parameters, checked before any kernel starts ---------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"week": 0}, "week 0 is outside the campaign; weeks are 1 to 6"),
        ({"week": 7}, "week 7 is outside the campaign; weeks are 1 to 6"),
        ({"start": "2025-11-31", "end": "2025-12-05"}, "start '2025-11-31' is not a date"),
        ({"start": "2025-12-05", "end": "2025-12-01"}, "end 2025-12-01 is before start 2025-12-05"),
        ({"week": 2, "start": "2025-11-29"}, "either --week or --start/--end, not both"),
        ({}, "say which week"),
        ({"week": 2, "lang": "fr"}, "language 'fr' is not supported"),
        ({"week": 2, "category": "toys"}, "category 'toys' is unknown"),
        ({"start": "0001-01-01", "end": "2025-11-28"}, "start 0001-01-01 is before the baseline start 2025-08-01"),
        ({"start": "2025-07-31", "end": "2025-08-06"}, "start 2025-07-31 is before the baseline start 2025-08-01"),
        # The snapshot's data ends with 2025-12-07: no window may claim a day after it.
        (
            {"week": 3},
            "week 3 (2025-12-06 to 2025-12-12) ends after 2025-12-07, the last full day of snapshot 2025-12-07 "
            "(cutoff 2025-12-07T23:59:59+08:00); ask for --start 2025-12-06 --end 2025-12-07",
        ),
        (
            {"week": 6},
            "week 6 (2025-12-27 to 2025-12-31) ends after 2025-12-07, the last full day of snapshot 2025-12-07 "
            "(cutoff 2025-12-07T23:59:59+08:00); ask for --latest (week 2), or use a snapshot taken after 2025-12-31",
        ),
        (
            {"start": "2025-12-01", "end": "2025-12-08"},
            "2025-12-01 to 2025-12-08 ends after 2025-12-07, the last full day of snapshot 2025-12-07",
        ),
        ({"start": "2025-12-01", "end": "9999-12-31"}, "ask for --start 2025-12-01 --end 2025-12-07"),
    ],
)
def test_bad_parameters_are_refused_with_exit_code_2(report_snapshot: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(WorkbenchError) as err:
        report_params.validate(report_snapshot, **kwargs)
    assert message in str(err.value)
    assert err.value.exit_code == 2


def test_unknown_snapshot_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="snapshot '2099-01-01' not found") as err:
        report_params.validate("2099-01-01", week=1, root=tmp_path)
    assert err.value.exit_code == 2


def test_cli_refuses_week_7_before_starting_a_kernel(report_snapshot: Path, tmp_path: Path) -> None:
    done = run_cli("report", "--week", "7", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == "error: week 7 is outside the campaign; weeks are 1 to 6"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "6"), "error: week 6 (2025-12-27 to 2025-12-31) ends after 2025-12-07"),
        (("--start", "0001-01-01", "--end", "2025-11-28"), "error: start 0001-01-01 is before the baseline start"),
    ],
)
def test_cli_refuses_a_window_outside_the_data_before_starting_a_kernel(
    report_snapshot: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = run_cli("report", *args, "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_cutoff_inside_a_day_leaves_that_day_out(tmp_path: Path) -> None:
    # Cutoff at noon: 2025-12-07 is only half known, so the data's last full day is 2025-12-06.
    snap = build_snapshot(tmp_path, {}, snapshot_date="2025-12-07", cutoff="2025-12-07T12:00:00+08:00")
    assert report_params.validate(snap, start="2025-12-01", end="2025-12-06").end.isoformat() == "2025-12-06"
    with pytest.raises(WorkbenchError, match="ends after 2025-12-06, the last full day of snapshot 2025-12-07") as err:
        report_params.validate(snap, start="2025-12-01", end="2025-12-07")
    assert err.value.exit_code == 2


def test_window_parameters_reach_the_notebook_as_given(report_snapshot: Path) -> None:
    week = report_params.validate(report_snapshot, week=2)
    window = report_params.validate(report_snapshot, start="2025-12-01", end="2025-12-03", lang="en", category="food")
    assert (week.start.isoformat(), week.end.isoformat(), week.slug, week.stem) == (
        "2025-11-29",
        "2025-12-05",
        "week-02",
        "week-02-zh",
    )
    assert window.slug == "2025-12-01_2025-12-03"
    assert window.stem == "2025-12-01_2025-12-03-en-food"
    # The kernel gets the version folder that was validated, never the date to resolve again.
    assert window.notebook_parameters() == {
        "snapshot": str(report_snapshot.resolve()),
        "start": "2025-12-01",
        "end": "2025-12-03",
        "lang": "en",
        "category": "food",
    }


@pytest.mark.parametrize(
    ("cutoff", "weeks"),
    [
        ("2025-12-07T23:59:59+08:00", [1, 2]),
        ("2025-12-05T16:00:00+00:00", [1, 2]),  # 2025-12-06 00:00 in Asia/Shanghai
        ("2025-12-05T15:59:59+00:00", [1, 2]),  # 2025-12-05 23:59:59 local: week 2's last day
        ("2025-12-04T23:00:00+08:00", [1]),
        ("2025-12-05T20:00:00+08:00", [1]),  # week 2's last day is not over at the cutoff
        ("2025-11-27T23:00:00+08:00", []),
        ("2026-01-10T23:59:59+08:00", [1, 2, 3, 4, 5, 6]),
    ],
)
def test_complete_weeks_end_on_or_before_the_cutoff_day(cutoff: str, weeks: list[int]) -> None:
    from datetime import datetime

    assert report_params.complete_weeks(datetime.fromisoformat(cutoff)) == weeks


def test_latest_without_a_complete_week_says_so(tmp_path: Path) -> None:
    snap = build_snapshot(tmp_path, {}, snapshot_date="2025-11-27", cutoff="2025-11-27T23:59:59+08:00")
    with pytest.raises(WorkbenchError, match="has no complete campaign week: week 1 ends 2025-11-28") as err:
        report_params.latest(snap)
    assert err.value.exit_code == 2


# --- one real render (session fixture), its rerun and a failing run -------------------------


@pytest.mark.slow
def test_latest_renders_week_2_and_prints_the_html_path(
    rendered: tuple[Path, subprocess.CompletedProcess[str]], report_html: Path
) -> None:
    _, done = rendered
    assert done.stdout.strip() == str(report_html)
    assert done.stderr == ""
    folder = report_html.parent
    assert sorted(p.name for p in folder.iterdir()) == ["week-02-zh.html", "week-02-zh.ipynb", "week-02-zh.json"]
    executed = json.loads((folder / "week-02-zh.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["week"] == 2


# A chart as vl-convert draws it: an <svg> element of class "marks" (attributes in any order).
CHART_SVG = re.compile(r'<svg\b[^>]*\bclass="marks"')


def visible_text(html: str) -> str:
    """What a reader sees outside the charts: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", re.sub(r"<svg.*?</svg>", "", html, flags=re.S)))


@pytest.mark.slow
def test_html_shows_the_weeks_figures_and_sentences(report_html: Path) -> None:
    page = visible_text(report_html.read_text(encoding="utf-8"))
    for figure in WEEK2_FIGURES:
        assert figure in page, figure
    page = report_html.read_text(encoding="utf-8")
    assert len(CHART_SVG.findall(page)) == CHARTS


@pytest.mark.slow
def test_html_is_self_contained_without_code_or_logs(report_html: Path) -> None:
    page = report_html.read_text(encoding="utf-8")
    assert "<script" not in page
    assert " src=" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    for leftover in (
        "open_report",
        "report.headline()",
        "In&nbsp;[",
        "Warning",
        "WARNING",
        "Traceback",
        "[IPKernelApp]",
    ):
        assert leftover not in page, leftover
    assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' in page
    assert report_html.stat().st_size < 3_000_000


@pytest.mark.slow
def test_index_lists_the_report(rendered: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a class="week" href="2025-12-07/week-02/week-02-zh.html">' in index
    text = visible_text(index)
    assert "第2周（2025-11-29 至 2025-12-05）最新 · latest" in text  # the period, the newest week marked
    assert "短视频支付GMV 8,100.00元" in text and "支付占比 50.3%" in text  # from the page's summary
    assert "数据快照 2025-12-07 · zh" in text
    summary = json.loads((out / "2025-12-07" / "week-02" / "week-02-zh.json").read_text(encoding="utf-8"))
    assert summary["metrics"]["short_video_paid_gmv_fen"] == {"value": 810000, "text": "8,100.00元"}


def test_index_flags_a_week_whose_latest_refresh_failed(tmp_path: Path) -> None:
    """The last good page stays linked; a newer failed notebook beside it is flagged."""
    folder = tmp_path / "2025-12-07" / "week-02"
    folder.mkdir(parents=True)
    (folder / "week-02-zh.html").write_text("<html></html>", encoding="utf-8")
    assert "刷新失败" not in write_index(tmp_path).read_text(encoding="utf-8")
    failed = folder / "week-02-zh.failed.ipynb"
    failed.write_text("{}", encoding="utf-8")
    os.utime(failed, ns=(folder.joinpath("week-02-zh.html").stat().st_mtime_ns + 1,) * 2)
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert "最近一次刷新失败，显示上次成功的版本" in index
    assert 'href="2025-12-07/week-02/week-02-zh.html"' in index


@pytest.mark.slow
def test_rerun_is_identical_and_a_failed_run_keeps_the_last_good_html(
    report_snapshot: Path, report_html: Path, tmp_path: Path
) -> None:
    params = report_params.validate(report_snapshot, week=2)
    good = render(params, tmp_path)
    assert visible_numbers(good) == visible_numbers(report_html)
    assert good.read_bytes() == report_html.read_bytes()
    before = (good.read_bytes(), good.stat().st_mtime_ns)
    broken = dataclasses.replace(
        params, manifest=dataclasses.replace(params.manifest, path=tmp_path / "vanished")
    )  # a bad value that got past validation
    with pytest.raises(WorkbenchError) as err:
        render(broken, tmp_path)
    failed = good.parent / "week-02-zh.failed.ipynb"
    assert err.value.exit_code == 1
    assert f"the executed notebook is kept at {failed}" in str(err.value)
    assert "WorkbenchError" in str(err.value)
    assert (good.read_bytes(), good.stat().st_mtime_ns) == before
    assert json.loads(failed.read_text(encoding="utf-8"))["metadata"]["papermill"]["exception"] is True
    assert sorted(p.name for p in good.parent.iterdir()) == [
        "week-02-zh.failed.ipynb",
        "week-02-zh.html",
        "week-02-zh.ipynb",
        "week-02-zh.json",
    ]


@pytest.mark.slow
def test_first_render_in_a_fresh_home_equals_a_later_one_in_any_time_zone_and_locale(tmp_path: Path) -> None:
    # A project home as a fresh clone has it after `make report` made its snapshots: nothing
    # rendered yet, no reports/ folder, no IPython or Jupyter state in the user's home. Two
    # snapshots, so the page also draws the restatement of week 1 on a time axis.
    home = tmp_path / "home"
    build_report_snapshot(home / "data" / "snapshots", "2025-12-01")
    build_report_snapshot(home / "data" / "snapshots")
    pages = []
    for n, machine in enumerate(
        ({"TZ": "America/New_York", "LANG": "de_DE.UTF-8"}, {"TZ": "UTC", "LC_ALL": "C.UTF-8"}), start=1
    ):
        env = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "LC_TIME", "WORKBENCH_HOME")}
        env |= {"WORKBENCH_HOME": str(home), "HOME": str(tmp_path / f"user{n}"), **machine}
        code = "import sys; from workbench.cli import main; sys.argv[0] = 'workbench'; main()"
        done = subprocess.run(
            [sys.executable, "-c", code, "report", "--latest"], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        page = Path(done.stdout.strip())
        assert page == home / "reports" / "2025-12-07" / "week-02" / "week-02-zh.html"
        pages.append(page.read_bytes())
    assert "第1周短视频结算GMV：2025-12-01 首次报告" in pages[0].decode("utf-8")
    assert len(CHART_SVG.findall(pages[0].decode("utf-8"))) == CHARTS + 1  # the restatement chart too
    assert pages[0] == pages[1]


# --- sections in-process (no kernel): other languages, windows without sales ----------------


def test_english_sections_with_a_category(report_snapshot: Path) -> None:
    report = WeeklyReport(report_params.validate(report_snapshot, week=2, lang="en", category="food"))
    headline = visible_text(report.headline().data)
    narrative = visible_text(report.narrative().data)
    assert "Short-video paid GMV¥8.10K" in headline
    assert "+5.9 pp vs last week · +18.8 pp vs baseline" in headline
    assert "-56.2% vs last week at equal maturity (¥8.00K, 2 days after its end)" in headline
    assert (
        "Short-video paid GMV was ¥8.10K, 50.3% of video + live paid GMV: up 5.9 pp on last week and up 18.8 pp "
        "on the baseline." in narrative
    )
    assert "By 2025-12-05, 2 of 3 enrolled newcomers were selling (66.7%), 1 more than a week earlier." in narrative
    # food: 210,000 of 810,000 paid short-video fen; a category reads as a word, never as its code
    assert "Food: 25.9% of short-video paid GMV (baseline 0.0%), 0.0% in live rooms." in narrative


def test_headline_metrics_are_machine_readable(report_snapshot: Path) -> None:
    """Every number on a card carries its name and raw value; names are the ones docs/report.md lists."""
    headline = WeeklyReport(report_params.validate(report_snapshot, week=2)).headline().data
    found = dict(re.findall(r'data-metric="([^"]+)" data-value="([^"]*)"', headline))
    assert found["short_video_paid_gmv_fen"] == "810000"
    assert found["short_video_settled_gmv_fen"] == "350000"
    assert found["previous_short_video_settled_equal_maturity_fen"] == "800000"
    assert found["settlement_age_days"] == "2"
    assert float(found["short_video_paid_share"]) == pytest.approx(810 / 1610)
    assert found["growth_card_points"] == "112.5"
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "report.md").read_text(encoding="utf-8"), re.M))
    assert set(found) <= documented, set(found) - documented


@pytest.mark.parametrize(
    ("lang", "nowcast", "lift"),
    [
        (
            "zh",
            "已结算与预计最终结算（估算）：暂无法计算（2025-12-07前已满30天的成熟订单不足200行，无法学习结算规律）",
            "报名效果：逐周对比（活动前应接近 0）：暂无法计算（截至2025-12-07，1个符合条件的账号中有1个已报名；"
            "需要同时有已报名和未报名的账号）",
        ),
        (
            "en",
            "Settled so far and nowcast (estimate): not available (fewer than 200 mature order lines, "
            "paid 30+ days before 2025-12-07, to learn settlement from)",
            "Enrolment effect by week (flat at 0 before the campaign): not available (1 of 1 eligible accounts "
            "enrolled by 2025-12-07; the lift needs both enrolled and non-enrolled accounts)",
        ),
    ],
    ids=["zh", "en"],
)
def test_unavailable_methods_say_why_in_the_pages_language(
    report_snapshot: Path, lang: str, nowcast: str, lift: str
) -> None:
    # The hand-made snapshot has too little history to nowcast and no control accounts for the lift.
    methods = WeeklyReport(report_params.validate(report_snapshot, week=2, lang=lang)).methods().data
    assert nowcast in methods
    assert lift in methods
    if lang == "zh":  # no English words (the insights' terminal messages) in a Chinese page
        assert re.findall(r"[A-Za-z]{3,}", re.sub(r"<[^>]*>", "", methods)) == []


def test_every_unavailable_reason_has_words() -> None:
    from workbench.insights.unavailable import REASONS
    from workbench.text import has

    assert [r for r in (*REASONS, "failed") if not has(f"report.unavailable_{r}")] == []


def test_window_without_sales_says_nothing_settled_and_shows_empty_charts(report_snapshot: Path) -> None:
    report = WeeklyReport(report_params.validate(report_snapshot, start="2025-12-06", end="2025-12-07"))
    narrative = report.narrative().data
    assert "短视频支付GMV为0.00元，占短视频与直播支付合计的—" in visible_text(narrative)
    assert "食品" not in narrative  # no category sentence without settled short-video GMV
    assert "推荐频道" not in narrative  # no traffic in the window
    charts = report.charts().data
    assert charts.count('<div class="empty">本期无数据</div>') == 2  # traffic and quota have no rows
    assert "本期支付GMV 0.00元 中尚有 0.00元（—）未结算" in report.data_note().data


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (None, "zh", "—"),
        (112.5, "zh", "112.5"),
        (3, "zh", "3"),
        (16_000, "zh", "1.60万"),
        (123_456_789, "zh", "1.23亿"),
        (16_000, "en", "16.00K"),
    ],
)
def test_format_count(value: float | None, lang: str, text: str) -> None:
    assert format_count(value, lang) == text


def test_pp_change_words() -> None:
    assert change_words(pp_change(0.304348, 0.444444), "zh") == "下降14.0个百分点"
    assert change_words(pp_change(0.5, 0.4), "en") == "up 10.0 pp"
    assert change_words(pp_change(0.3, 0.3004), "zh") == "持平"
    assert format_pp(None, "zh") == "—"


def test_all_without_a_complete_week_exits_2(tmp_path: Path) -> None:
    snap = build_snapshot(tmp_path / "snaps", {}, snapshot_date="2025-11-25", cutoff="2025-11-25T23:59:59+08:00")
    done = run_cli("report", "--all", "--snapshot", str(snap), "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "has no complete campaign week: week 1 ends 2025-11-28" in done.stderr
    assert not (tmp_path / "out").exists()
