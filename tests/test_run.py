"""`workbench run`, `workbench runs`, `report --notify`: the scheduled pipeline, its messages and its record.

Notifications go to a webhook on 127.0.0.1 (tests/support/webhook_receiver.py)
through apprise's `json://` target, so what is asserted is the message as a
service receives it. One real `workbench run` (a subprocess, as cron starts
it) renders the hand-made week-2 snapshot of tests/test_report.py and is
shared by the tests of success; failures that need no render (a failed
ingest, an overlapping run, a bad URL) run in-process. Its figures: short
video paid 810,000 fen, 50.3% of short video + live, 350,000 settled with no
nowcast (too little history), 2 newcomers selling.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_runs import run_cli
from test_report import report_snapshot  # noqa: F401 - the shared session fixture
from test_report_shops import SHOPS, shops_snapshot  # noqa: F401 - the shops world and its fixture
from webhook_receiver import Receiver, closed_port, receiving

from workbench.cli import app
from workbench.cli.options import names
from workbench.cli.report import report_command
from workbench.cli.run import run_command
from workbench.notify import messages
from workbench.notify.targets import redact, target
from workbench.run import history, lock
from workbench.run.pipeline import now
from workbench.snapshot.manifest import LOCAL

ROOT = Path(__file__).resolve().parents[1]
SECRET = "s3cr3tWebhookKey0042"
PUBLIC = "https://reports.example.com/weekly/"
WEEK2_TITLE = "带货短视频激励计划 · 周报 · 第2周（2025-11-29 至 2025-12-05）"
WEEK2_MESSAGE = "\n".join(
    [
        "短视频支付GMV：8,100.00元",
        "短视频支付占比：50.3%",
        "已结算GMV：3,500.00元（暂无最终估算）",  # no nowcast for this tiny world: settled so far instead
        "已出单新手：2",
        "数据快照：2025-12-07",
        "报告：https://reports.example.com/weekly/2025-12-07/week-02/week-02-zh.html",
    ]
)


@pytest.fixture(scope="module")
def receiver() -> Receiver:
    with receiving() as webhook:
        yield webhook


@pytest.fixture(scope="module")
def scheduled(
    report_snapshot: Path,  # noqa: F811 - the shared fixture imported above
    receiver: Receiver,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`workbench run` as cron runs it, notifying two targets named in WORKBENCH_NOTIFY: (reports folder, process)."""
    home = tmp_path_factory.mktemp("home")
    out = home / "reports"
    urls = f"{receiver.url('/ok', f'bot:{SECRET}')} {receiver.url('/second')}"
    env = {**os.environ, "WORKBENCH_HOME": str(home), "WORKBENCH_NOTIFY": urls}
    code = "import sys; from workbench.cli import main; sys.argv[0] = 'workbench'; main()"
    args = ["run", "--snapshot", str(report_snapshot), "--out-dir", str(out), "--public-url", PUBLIC, "--attach"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return out, done


def _only(records: list) -> object:
    assert len(records) == 1, records
    return records[0]


# --- a successful run --------------------------------------------------------------------------


@pytest.mark.slow
def test_success_message_carries_the_headline_figures(scheduled: tuple, receiver: Receiver) -> None:
    out, _ = scheduled
    post = _only(receiver.at("/ok"))
    assert post.body["type"] == "success"
    assert post.body["title"] == f"【周报已更新】{WEEK2_TITLE}"
    assert post.body["message"] == WEEK2_MESSAGE
    # --attach: the HTML itself, as the page on disk.
    (attached,) = post.body["attachments"]
    html = out / "2025-12-07" / "week-02" / "week-02-zh.html"
    assert attached["filename"] == "week-02-zh.html"
    assert base64.b64decode(attached["base64"]) == html.read_bytes()
    assert _only(receiver.at("/second")).body["message"] == WEEK2_MESSAGE


@pytest.mark.slow
def test_the_run_is_recorded(scheduled: tuple, report_snapshot: Path, receiver: Receiver) -> None:  # noqa: F811
    out, done = scheduled
    record = _only(history.read(out))
    manifest = (report_snapshot / "_manifest.json").read_bytes()
    assert record["command"] == "run"
    assert (record["outcome"], record["failed_step"], record["error"]) == ("success", None, None)
    assert (record["snapshot"], record["manifest_sha256"]) == ("2025-12-07", hashlib.sha256(manifest).hexdigest())
    assert list(record["steps"]) == ["verify", "report"]
    assert record["report"] == str(out / "2025-12-07" / "week-02" / "week-02-zh.html")
    shown = [f"json://bot:****@127.0.0.1:{receiver.port}/ok", f"json://127.0.0.1:{receiver.port}/second"]
    assert record["notifications"] == [{"target": t, "ok": True, "error": None} for t in shown]
    assert record["parameters"]["notify"] == shown
    assert record["parameters"]["latest_week"] is True  # no window given: the latest complete week
    assert datetime.fromisoformat(record["start"]) <= datetime.fromisoformat(record["end"])
    assert done.stdout.splitlines()[-3:] == [record["report"], *(f"notified {t}" for t in shown)]


@pytest.mark.slow
def test_the_secret_appears_nowhere(scheduled: tuple) -> None:
    out, done = scheduled
    assert SECRET not in done.stdout + done.stderr
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_runs_lists_it_and_the_check_passes(scheduled: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = scheduled
    code, stdout, _ = run_cli(capsys, "runs", "--out-dir", str(out), "--limit", "5")
    assert code == 0
    assert "success" in stdout and "2025-12-07" in stdout and "2/2" in stdout
    code, stdout, _ = run_cli(capsys, "run", "--check", "--max-age", "8d", "--out-dir", str(out))
    assert code == 0, stdout
    assert stdout.startswith("ok: the latest run (ended ")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "最近一次定时运行失败" not in index and 'class="run-failed"' not in index


# --- failures ----------------------------------------------------------------------------------


def test_a_failed_ingest_is_recorded_and_notified(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    out = tmp_path / "reports"
    exports = tmp_path / "exports"  # never created
    url = receiver.url("/ingest-failed", f"bot:{SECRET}")
    code, stdout, stderr = run_cli(
        capsys, "run", "--exports", str(exports), "--cutoff", "2025-12-07", "--notify", url, "--out-dir", str(out)
    )
    assert code != 0
    assert stderr.startswith("error: ") and stderr.count("\n") == 1 and "Traceback" not in stderr
    error = stderr.removeprefix("error: ").strip()
    assert str(exports) in error
    record = _only(history.read(out))
    assert (record["outcome"], record["failed_step"], record["error"]) == ("failed", "ingest", error)
    assert list(record["steps"]) == ["ingest"]  # nothing after a failed step runs
    assert record["parameters"]["cutoff"] == "2025-12-07"
    post = _only(receiver.at("/ingest-failed"))
    assert post.body["type"] == "failure"
    assert post.body["title"] == "【周报运行失败】导入数据失败"
    assert post.body["message"] == "\n".join(
        [
            "失败步骤：导入数据",
            f"错误：{error}",
            f"运行记录：{out / 'runs.jsonl'}（workbench runs 查看）",
            "上次成功的周报未被覆盖。",
        ]
    )
    # The index says so on top, in both languages, with the error.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "最近一次定时运行失败" in index and "step ingest" in index and str(exports) in index
    code, stdout, _ = run_cli(capsys, "run", "--check", "--max-age", "8d", "--out-dir", str(out))
    assert code == 1
    assert f"failed at ingest: {error}" in stdout
    for text in (stdout, stderr, (out / "runs.jsonl").read_text(encoding="utf-8"), index):
        assert SECRET not in text


def test_a_refused_report_is_recorded_and_notified(
    report_snapshot: Path,  # noqa: F811
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Week 7 does not exist: the report step fails before a kernel starts; message, record and exit code say so."""
    args = ["run", "--week", "7", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path)]
    code, _, stderr = run_cli(capsys, *args, "--lang", "en", "--notify", receiver.url("/week7"))
    error = "week 7 is outside the campaign; weeks are 1 to 6"
    assert (code, stderr) == (2, f"error: {error}\n")
    record = _only(history.read(tmp_path))
    assert (record["failed_step"], record["error"], record["snapshot"]) == ("report", error, "2025-12-07")
    assert list(record["steps"]) == ["verify", "report"]
    post = _only(receiver.at("/week7"))
    assert (post.body["type"], post.body["title"]) == ("failure", "[Report run FAILED] report failed")
    assert post.body["message"].splitlines()[:2] == ["Failed step: report", f"Error: {error}"]


@pytest.mark.slow
def test_an_each_shop_run_announces_the_portfolio_and_names_no_shop(
    shops_snapshot: Path,  # noqa: F811
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The account team hears how many shop pages were written and where the portfolio is; no shop is named."""
    args = ["run", "--week", "2", "--each-shop", "--snapshot", str(shops_snapshot), "--out-dir", str(tmp_path)]
    code, _, stderr = run_cli(capsys, *args, "--public-url", PUBLIC, "--attach", "--notify", receiver.url("/shops"))
    assert code == 0, stderr
    post = _only(receiver.at("/shops"))
    assert post.body["title"] == f"【店铺周报已更新】{WEEK2_TITLE}"
    assert post.body["message"] == "\n".join(
        ["已生成店铺周报：3/3家", "数据快照：2025-12-07", f"店铺总览：{PUBLIC}2025-12-07/portfolio-week-02.html"]
    )
    assert [a["filename"] for a in post.body["attachments"]] == ["portfolio-week-02.html", "portfolio-week-02.xlsx"]
    said = post.body["title"] + post.body["message"]
    assert [s for s, (name, *_) in SHOPS.items() if s in said or name in said] == []
    assert _only(history.read(tmp_path))["outcome"] == history.SUCCESS


def test_the_cutoff_of_an_ingest_defaults_to_yesterday_in_shanghai(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    before = now().date()
    code, _, _ = run_cli(capsys, "run", "--exports", str(tmp_path / "none"), "--out-dir", str(tmp_path / "reports"))
    assert code != 0
    cutoff = _only(history.read(tmp_path / "reports"))["parameters"]["cutoff"]
    assert cutoff in {(day - timedelta(days=1)).isoformat() for day in (before, now().date())}


def test_an_overlapping_run_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run holding the lock in another process: the second run stops at once, does nothing and says why."""
    out = tmp_path / "reports"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from workbench.run import lock, pipeline;"
            f"held = lock.hold(Path({str(out)!r}), pipeline.now()); print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        code, stdout, stderr = run_cli(capsys, "run", "--out-dir", str(out))
    finally:
        holder.communicate("", timeout=30)
    assert (code, stdout) == (1, "")
    assert stderr.startswith(f"error: another `workbench run` is already working on {out} (pid {holder.pid}, started ")
    assert "this run did nothing" in stderr
    assert not (out / "runs.jsonl").exists()
    # Once the holder has ended, its lock is gone with it.
    with lock.hold(out, now()):
        pass


@pytest.mark.slow
def test_an_undeliverable_notification_fails_the_run_but_keeps_the_report(
    report_snapshot: Path,  # noqa: F811
    tmp_path: Path,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`report --notify` to a closed port and to the receiver: the one delivered, the other logged, exit 1."""
    dead = f"json://bot:{SECRET}@127.0.0.1:{closed_port()}/gone"
    args = ["report", "--latest", "--snapshot", str(report_snapshot), "--out-dir", str(tmp_path), "--lang", "en"]
    code, stdout, stderr = run_cli(capsys, *args, "--notify", dead, "--notify", receiver.url("/alive"))
    html = tmp_path / "2025-12-07" / "week-02" / "week-02-en.html"
    assert code == 1
    assert html.is_file() and (tmp_path / "index.html").is_file()
    assert stdout.splitlines()[0] == str(html)
    shown = f"json://bot:****@127.0.0.1:{dead.rsplit(':', 1)[1].split('/')[0]}/gone"
    assert f"notification to {shown} failed: A Connection error occurred" in stderr
    assert stderr.splitlines()[-1].startswith(f"error: 1 of 2 notification(s) not delivered ({shown}: ")
    assert stderr.splitlines()[-1].endswith(f"; the report was kept: {html}")
    assert SECRET not in stdout + stderr
    post = _only(receiver.at("/alive"))
    assert post.body["type"] == "success"
    assert (
        post.body["title"]
        == "[Report ready] Short-video commerce incentive · weekly report · Week 2 (2025-11-29 to 2025-12-05)"
    )
    assert post.body["message"].splitlines()[:2] == [
        "Short-video paid GMV: ¥8.10K",  # the page's own text (week-02-en.json)
        "Short-video share of paid GMV: 50.3%",
    ]
    assert "attachments" not in post.body or not post.body["attachments"]


def test_a_bad_notification_url_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A URL no apprise service takes (here an unknown scheme; never a real service's host: tests send nowhere)."""
    args = ["--notify", f"json://127.0.0.1:{closed_port()}/x", "--notify", f"wecom-bot://{SECRET}"]
    code, stdout, stderr = run_cli(capsys, "run", "--out-dir", str(tmp_path), *args)
    assert (code, stdout) == (2, "")
    assert stderr.startswith("error: notification target 2 (scheme 'wecom-bot') is not a URL apprise can send to")
    assert SECRET not in stderr
    assert list(tmp_path.iterdir()) == []


# --- the health check --------------------------------------------------------------------------


def _recorded(out: Path, outcome: str, ended: datetime) -> None:
    record = {"start": ended.isoformat(), "end": ended.isoformat(), "outcome": outcome, "failed_step": None}
    if outcome == "failed":
        record.update(failed_step="report", error="report week-02-zh failed")
    history.append(out, record)


@pytest.mark.parametrize(
    ("outcome", "age", "code", "says"),
    [
        ("success", timedelta(days=7, hours=23), 0, "ok: the latest run (ended "),
        ("success", timedelta(days=8, hours=1), 1, "succeeded, but that is longer ago than --max-age 8.0 days"),
        ("failed", timedelta(hours=1), 1, "failed at report: report week-02-zh failed"),
    ],
)
def test_check_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outcome: str, age: timedelta, code: int, says: str
) -> None:
    _recorded(tmp_path, "success", now() - timedelta(days=30))
    _recorded(tmp_path, outcome, now() - age)
    got, stdout, _ = run_cli(capsys, "run", "--check", "--max-age", "8d", "--out-dir", str(tmp_path))
    assert got == code
    assert says in stdout


def test_check_without_history_or_with_a_bad_age(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run_cli(capsys, "run", "--check", "--out-dir", str(tmp_path))
    assert (code, stdout.strip()) == (1, f"no run recorded in {tmp_path / 'runs.jsonl'}")
    code, _, stderr = run_cli(capsys, "run", "--check", "--max-age", "8 days", "--out-dir", str(tmp_path))
    assert code == 2
    assert stderr.startswith("error: --max-age '8 days' is not a duration")


def test_history_skips_a_line_cut_short(tmp_path: Path) -> None:
    ended = datetime(2026, 1, 12, 6, 15, tzinfo=LOCAL)
    _recorded(tmp_path, "success", ended)
    with (tmp_path / "runs.jsonl").open("a", encoding="utf-8") as file:
        file.write('{"start": "2026-01-19T06:1')
    assert [r["end"] for r in history.read(tmp_path)] == [ended.isoformat()]
    assert history.check(tmp_path, timedelta(days=8), ended + timedelta(days=1)) == (
        True,
        f"ok: the latest run (ended {ended.isoformat()}, 24.0 hours ago) succeeded",
    )


# --- messages, targets and options -------------------------------------------------------------


def _summary(lang: str, estimate: bool) -> dict:
    metric = {
        "short_video_paid_gmv_fen": (81_000_000, "81.00万元"),
        "short_video_paid_share": (0.503, "50.3%"),
        "short_video_settled_gmv_fen": (35_000_000, "35.00万元"),
        "newcomers_selling": (12, "12"),
        "short_video_settled_maturity": (0.7 if estimate else None, "70.0%" if estimate else "—"),
    }
    if estimate:
        metric |= {
            "short_video_settled_estimate_fen": (50_000_000, "50.00万元"),
            "short_video_settled_estimate_low_fen": (46_000_000, "46.00万元"),
            "short_video_settled_estimate_high_fen": (54_000_000, "54.00万元"),
        }
    metrics = {name: {"value": value, "text": text} for name, (value, text) in metric.items()}
    return {"title": "T", "lang": lang, "snapshot": "2026-01-10", "metrics": metrics}


def test_success_message_with_an_estimate_says_maturity() -> None:
    message = messages.success(_summary("zh", estimate=True), "/r/week-06-zh.html")
    assert (message.title, message.success) == ("【周报已更新】T", True)
    assert message.body.splitlines() == [
        "短视频支付GMV：81.00万元",
        "短视频支付占比：50.3%",
        "预计最终结算GMV：50.00万元（95%区间 46.00万元–54.00万元）",
        "结算成熟度：70.0%",
        "已出单新手：12",
        "数据快照：2026-01-10",
        "报告：/r/week-06-zh.html",
    ]


def test_failure_message_names_the_failed_notebook() -> None:
    message = messages.failure("report", "report week-06-en failed in cell 7", "en", ["/r/x.failed.ipynb"], None)
    assert (message.title, message.success) == ("[Report run FAILED] report failed", False)
    assert message.body.splitlines() == [
        "Failed step: report",
        "Error: report week-06-en failed in cell 7",
        "Failed notebook: /r/x.failed.ipynb",
        "The last good report was left as it was.",
    ]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"wecombot://{SECRET}", "wecombot://s...2/"),
        (f"dingtalk://{SECRET}@TOKENabc123/", "dingtalk://****@T...3//"),
        (f"feishu://{SECRET}", "feishu://s...2/"),
        (
            f"mailtos://reports:{SECRET}@example.com?to=team@example.com",
            "mailtos://reports:****@example.com/team%40example.com",
        ),
    ],
)
def test_targets_show_only_their_privacy_form(url: str, shown: str) -> None:
    one = target(url, 1)
    assert one.shown == shown
    assert redact(f"could not reach {url} with key {SECRET}", [one]) == "could not reach **** with key ****"


def test_run_takes_every_option_of_report() -> None:
    report = names(report_command)
    assert set(report) < set(names(run_command))
    registered = {c.name: c.callback for c in app.registered_commands}
    assert set(report) | {"notify", "public_url", "attach"} == set(names(registered["report"]))


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert "run" in commands and "runs" in commands
    missing = [name for name in commands if f"`workbench {name}" not in readme]
    assert not missing, missing
