"""A rendered report page as an A4 PDF and as one long phone-width PNG, drawn by headless Chromium.

Reports are forwarded in WeChat chats as one long picture and printed or
filed as PDF; both come from the page as a browser lays it out, so they
are drawn by the reader's kind of engine, Chromium, not by a second
renderer that would lay the page out differently.

Chromium is driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: NUL-terminated JSON on file descriptors 3 and
4), so nothing listens on a port and nothing beyond the standard library
is needed. The browser runs headless with a fresh profile and every
background service off, since the machine may have no network; the page
itself loads nothing from anywhere (it is self-contained). Files land next
to the HTML (`<stem>.pdf`, `<stem>.png`), each written atomically.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.files import write_atomic

ENV_BROWSER = "WORKBENCH_CHROMIUM"
# Looked up on PATH in this order when WORKBENCH_CHROMIUM is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
# An iPhone-sized viewport (CSS px) at twice the pixels, as a phone screenshot has.
PHONE_WIDTH, PHONE_HEIGHT, PHONE_SCALE = 390, 844, 2
# A4 in inches, for the DevTools print call (the print style sheet sets the same size and margins).
A4_INCHES = (8.27, 11.69)
TIMEOUT_SECONDS = 120.0
# Run as `python -c _TRAMPOLINE READ WRITE browser args...`: the pipe ends (numbered above 9) become
# descriptors 3 (commands to Chromium) and 4 (its replies), then the browser replaces the process.
_TRAMPOLINE = (
    "import os, sys\n"
    "r, w = int(sys.argv[1]), int(sys.argv[2])\n"
    "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w)\n"
    "os.execv(sys.argv[3], sys.argv[3:])\n"
)


def find_chromium() -> Path:
    """The Chromium to draw with: WORKBENCH_CHROMIUM, else the first of BROWSER_NAMES on PATH (exit 2 if none).

    Called before a report is rendered, so a missing browser costs no time.
    """
    chosen = os.environ.get(ENV_BROWSER)
    if chosen:
        path = Path(chosen)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise WorkbenchError(
            f"{ENV_BROWSER}={chosen} is not an executable file; point it at a Chromium or Chrome binary "
            f"(e.g. /usr/bin/chromium), or unset it to look for {', '.join(BROWSER_NAMES)} on PATH"
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise WorkbenchError(
        f"--pdf and --png need headless Chromium, and none was found on PATH ({', '.join(BROWSER_NAMES)}); "
        f"install it (Debian/Ubuntu: apt-get install chromium) or set {ENV_BROWSER} to a Chromium or Chrome binary"
    )


def export(html: Path, browser: Path, pdf: bool = False, png: bool = False) -> list[Path]:
    """Write `<stem>.pdf` (A4) and/or `<stem>.png` (390 CSS px wide, the whole page) beside `html`."""
    written: list[Path] = []
    if not (pdf or png):
        return written
    try:
        with _Chromium(browser) as chromium:
            page = chromium.open(html.resolve().as_uri())
            if png:
                written.append(write_atomic(html.with_suffix(".png"), chromium.phone_screenshot(page)))
            if pdf:
                written.append(write_atomic(html.with_suffix(".pdf"), chromium.a4_pdf(page)))
    except WorkbenchError as err:
        raise WorkbenchError(f"{html} was written, but not its PDF/PNG: {err}", err.exit_code) from None
    return written


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered above 9, clear of the 3 and 4 they are moved to in the browser."""
    low = os.pipe()
    try:
        return fcntl.fcntl(low[0], fcntl.F_DUPFD_CLOEXEC, 10), fcntl.fcntl(low[1], fcntl.F_DUPFD_CLOEXEC, 10)
    finally:
        os.close(low[0])
        os.close(low[1])


class _Chromium:
    """One headless Chromium and its DevTools pipe; closed (and, if need be, killed) on exit."""

    def __init__(self, browser: Path) -> None:
        self.browser = browser
        self.profile = tempfile.TemporaryDirectory(prefix="workbench-chromium-")
        self.deadline = time.monotonic() + TIMEOUT_SECONDS
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.buffer = b""

    def __enter__(self) -> _Chromium:
        commands_r, self.commands = _high_pipe()
        self.replies, replies_w = _high_pipe()
        profile = Path(self.profile.name)
        args = [str(self.browser), *ARGS, f"--user-data-dir={profile / 'profile'}", "about:blank"]
        # A file, not a pipe: nobody reads Chromium's chatter while it works, and a full pipe would stall it.
        self.log = (profile / "stderr.log").open("wb")

        # Chromium wants its pipe ends as descriptors 3 and 4. A small Python trampoline moves them
        # there and execs the browser (subprocess closes whatever a preexec_fn sets up, and a
        # POSIX shell cannot name descriptors above 9).
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _TRAMPOLINE, str(commands_r), str(replies_w), *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
                pass_fds=(commands_r, replies_w),
            )
        except OSError as err:
            self.log.close()
            self.profile.cleanup()
            raise WorkbenchError(
                f"could not start {self.browser}: {err.strerror}; set {ENV_BROWSER} to a working Chromium", 1
            ) from None
        finally:
            os.close(commands_r)
            os.close(replies_w)
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            if self.process.poll() is None:
                self._send("Browser.close", {})
                self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired, WorkbenchError):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self.commands)
            os.close(self.replies)
            self.log.close()
            self.profile.cleanup()

    # --- the pages ----------------------------------------------------------------

    def open(self, url: str) -> str:
        """A new tab showing `url` at phone size, loaded: its DevTools session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", {}, session)
        self._phone(session, PHONE_HEIGHT)
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session)
        self._wait_for("Page.loadEventFired", session)
        return session

    def phone_screenshot(self, session: str) -> bytes:
        """The whole page at phone width as one PNG (PHONE_SCALE device pixels per CSS px)."""
        self._phone(session, PHONE_HEIGHT)
        height = self.call("Page.getLayoutMetrics", {}, session)["cssContentSize"]["height"]
        self._phone(session, max(PHONE_HEIGHT, round(height)))
        shot = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
        return base64.b64decode(shot["data"])

    def a4_pdf(self, session: str) -> bytes:
        """The page printed on A4 with its print style sheet (page size and margins from its @page rule)."""
        self.call("Emulation.clearDeviceMetricsOverride", {}, session)
        width, height = A4_INCHES
        printed = self.call(
            "Page.printToPDF",
            {"paperWidth": width, "paperHeight": height, "preferCSSPageSize": True, "printBackground": True},
            session,
        )
        return base64.b64decode(printed["data"])

    def _phone(self, session: str, height: int) -> None:
        metrics = {"width": PHONE_WIDTH, "height": height, "deviceScaleFactor": PHONE_SCALE, "mobile": True}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session)

    # --- the protocol ---------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any], session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its reply (events meanwhile are kept for _wait_for)."""
        sent = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") != sent:
                self.events.append(message)
                continue
            if "error" in message:
                raise WorkbenchError(
                    f"Chromium ({self.browser}) refused {method}: {message['error'].get('message')}", 1
                )
            return message.get("result", {})

    def _wait_for(self, event: str, session: str) -> None:
        while True:
            for message in self.events:
                if message.get("method") == event and message.get("sessionId") == session:
                    return
            self.events.append(self._receive())

    def _send(self, method: str, params: dict[str, Any], session: str | None = None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode("utf-8") + b"\0")
        return self.next_id

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            ready, _, _ = select.select([self.replies], [], [], max(left, 0))
            if not ready:
                raise WorkbenchError(f"Chromium ({self.browser}) did not finish within {TIMEOUT_SECONDS:.0f} s", 1)
            chunk = os.read(self.replies, 1 << 20)
            if not chunk:
                raise WorkbenchError(f"Chromium ({self.browser}) exited early: {self._stderr_tail()}", 1)
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def _stderr_tail(self) -> str:
        self.log.flush()
        lines = Path(self.log.name).read_text("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {self.process.poll()}"
