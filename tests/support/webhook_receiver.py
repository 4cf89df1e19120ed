"""A webhook on 127.0.0.1 that keeps what it is sent: apprise's `json://` target posts here in tests.

`json://127.0.0.1:PORT/PATH` posts `{"version", "title", "message", "type",
"attachments"}`; each post is kept with its path and headers. Nothing
leaves the machine: the server listens on the loopback address only, on a
port the system picks, and is shut down when the test module ends.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Post:
    """One request the webhook received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """The running webhook: where to send, and what arrived."""

    port: int
    posts: list[Post] = field(default_factory=list)

    def url(self, path: str, credentials: str = "") -> str:
        """An apprise URL for `path` (e.g. `/ok`), with `user:password@` when given."""
        at = f"{credentials}@" if credentials else ""
        return f"json://{at}127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Post]:
        """The posts that arrived at `path`, oldest first."""
        return [p for p in self.posts if p.path == path]


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A webhook receiving on 127.0.0.1 for the length of the block."""
    received: list[Post] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            received.append(Post(self.path, dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            """Quiet: pytest shows what the test asserts, not an access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(server.server_address[1], received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
