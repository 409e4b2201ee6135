"""A real local HTTP server that takes requests and never answers, until the test ends: calls
stay in flight for as long as a test needs (interrupting a batch, say)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Hanging:
    url: str
    _count: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)
    release: threading.Event = field(default_factory=threading.Event)

    def arrived(self) -> None:
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait_for(self, requests: int, timeout: float = 60.0) -> bool:
        """Block until `requests` requests have arrived (True), or the timeout passed (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._count >= requests, timeout)


@contextmanager
def hanging_server() -> Iterator[Hanging]:
    state: list[Hanging] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state[0].arrived()
            state[0].release.wait()

        do_GET = do_PUT = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.append(Hanging(f"http://127.0.0.1:{server.server_address[1]}"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)  # shutdown() waits a poll
    thread.start()
    try:
        yield state[0]
    finally:
        state[0].release.set()
        server.shutdown()
        server.server_close()
        thread.join()
