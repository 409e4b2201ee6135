"""The aiohttp sender's requests (app.calls.aiorequest) fail, retry and time out as aiohttp's session does:
real loopback servers, one dropping a kept-alive connection, one trickling its body past the deadline."""
from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
import time
from typing import Iterator

import aiohttp
import httpx
import pytest

from app.calls.aiosender import AioSender
from tests.helpers.recorder import _ok, read_request
from tests.helpers.servers import Server, trickle


class Dropping:
    """Answers the first request of each connection; drops the connection at its second one, unanswered
    (a server closing a kept-alive connection just as the next request goes out)."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, str]] = []  # (connection number, request line)
        owner, count = self, iter(range(1, 1000))

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                number = next(count)
                for answered in (True, False):
                    got = read_request(self.rfile)
                    if got is None:
                        return
                    owner.requests.append((number, got[1].line.split(" ")[0]))
                    if not answered:
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(_ok())
                    self.wfile.flush()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/x"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def dropping() -> Iterator[Dropping]:
    server = Dropping()
    yield server
    server.close()


def _twice(url: str, method: str) -> list[object]:
    """Two calls over one connection (concurrency 1); each call's status, or the error it raised."""
    async def calls() -> list[object]:
        out: list[object] = []
        async with AioSender(1) as sender:
            target = httpx.URL(url)
            body = None if method in ("GET", "DELETE") else b"{}"
            headers = [("Host", target.netloc.decode())] + ([] if body is None else [("Content-Length", "2")])
            for _ in range(2):
                try:
                    answer = await sender.exchange(method, target, url, headers, body, time.monotonic() + 10)
                    out.append(answer.status)
                except aiohttp.ClientError as exc:
                    out.append(type(exc))
        return out
    return asyncio.run(calls())


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_idempotent_request_on_a_dropped_kept_alive_connection_is_sent_once_more(dropping, method) -> None:
    assert _twice(dropping.url, method) == [200, 200]
    assert dropping.requests == [(1, method), (1, method), (2, method)]  # the second again, on a new connection


def test_a_post_on_a_dropped_kept_alive_connection_is_not_sent_again_by_the_sender(dropping) -> None:
    """As aiohttp's session: the call engine decides (a connection failure is retried there, recorded)."""
    assert _twice(dropping.url, "POST") == [200, aiohttp.ServerDisconnectedError]
    assert dropping.requests == [(1, "POST"), (1, "POST")]


def test_the_deadline_covers_reading_the_body() -> None:
    """Headers at once, then a byte every 0.2 s (22 s in all): the attempt ends at its deadline, 0.5 s."""
    async def call(url: str) -> None:
        async with AioSender(1) as sender:
            target = httpx.URL(url)
            await sender.exchange("GET", target, url, [("Host", target.netloc.decode())], None, time.monotonic() + 0.5)
    with Server(trickle(b'{"slow": "' + b"x" * 100 + b'"}', 0.2)) as server:
        with pytest.raises(TimeoutError):
            asyncio.run(call(server.url + "/slow"))
        assert len(server.requests) == 1


def test_a_url_that_is_not_http_is_refused_as_the_session_refuses_it() -> None:
    async def call() -> None:
        async with AioSender(1) as sender:
            await sender.exchange("GET", httpx.URL("ftp://127.0.0.1/x"), "ftp://127.0.0.1/x", [], None,
                                  time.monotonic() + 10)
    with pytest.raises(aiohttp.NonHttpUrlClientError):
        asyncio.run(call())
