"""Small real loopback servers for the network tests, each on a free port in its own thread.

`Server(respond)` records every request (`requests`) and answers with `respond(handler, seen)`.
The answers below cover what the network paths must survive: a redirect to another origin, a
huge or endless body, a server trickling its answer, one that never answers, and a forwarding
HTTP proxy. `tls/` holds a throwaway self-signed certificate for 127.0.0.1 (test use only).
Every handler that waits gives up when the server closes, so no test outlives its server.
"""
from __future__ import annotations

import http.client
import http.server
import json
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

TLS = Path(__file__).resolve().parent / "tls"
CERT, KEY = TLS / "localhost.pem", TLS / "localhost.key"
HOLD_S = 20.0  # the longest a waiting handler holds a connection


@dataclass
class Seen:
    """A request as the server received it (header names lowercased)."""

    method: str
    target: str  # the request line's target: a path, or an absolute URL for a proxy
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)


Respond = Callable[["_Handler", Seen], None]


class Server:
    """A threading HTTP server on 127.0.0.1 answering with `respond`; `tls=True` serves HTTPS with
    the test certificate. Use as a context manager (or call close)."""

    def __init__(self, respond: Respond, tls: bool = False) -> None:
        self.respond = respond
        self.requests: list[Seen] = []
        self.sent: list[int] = []  # body bytes written by each `huge` / `endless` answer
        self.stopping = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(CERT, KEY)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class _Handler(http.server.BaseHTTPRequestHandler):
    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"")
        owner: Server = self.server.owner  # type: ignore[attr-defined]
        owner.requests.append(seen)
        try:
            owner.respond(self, seen)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a capped reader does

    do_GET = do_POST = do_PUT = _any

    @property
    def stopping(self) -> threading.Event:
        return self.server.owner.stopping  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass


# -- answers ---------------------------------------------------------------------------------------
def answer(status: int = 200, body: object = None, headers: Optional[dict[str, str]] = None) -> Respond:
    """A fixed answer; a body that is not bytes is sent as JSON."""
    data = body if isinstance(body, bytes) else json.dumps({} if body is None else body).encode()

    def respond(handler: _Handler, seen: Seen) -> None:
        handler.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    return respond


def echo(handler: _Handler, seen: Seen) -> None:
    """200 with what arrived: {"path", "headers", "body"}."""
    answer(200, {"path": seen.target, "headers": seen.headers, "body": seen.body.decode("utf-8", "replace")})(
        handler, seen)


def redirect(target: str, status: int = 307) -> Respond:
    """`status` to the same path and query on `target` (another origin when it is another server)."""
    return lambda handler, seen: answer(status, b"", {"Location": target + seen.target})(handler, seen)


def huge(size: int, chunk: int = 64 * 1024) -> Respond:
    """200 announcing and sending `size` bytes (of a JSON-looking body), or until the client stops."""
    def respond(handler: _Handler, seen: Seen) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        _stream(handler, size, chunk)
    return respond


ENDLESS = 256 * 1024 * 1024  # where an "endless" body stops after all: a reader without a cap stays bounded


def endless(handler: _Handler, seen: Seen) -> None:
    """200 without a length, the body going on until the client stops reading (HTTP/1.0: the
    body ends when the connection closes)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    _stream(handler, ENDLESS, 64 * 1024)


def _stream(handler: _Handler, size: int, chunk: int) -> None:
    owner: Server = handler.server.owner  # type: ignore[attr-defined]
    sent, block = 0, b"x" * chunk
    try:
        while sent < size and not handler.stopping.is_set():
            part = block[: min(chunk, size - sent)]
            handler.wfile.write(part)
            sent += len(part)
    finally:
        owner.sent.append(sent)


def trickle(body: bytes, every_s: float) -> Respond:
    """200 with `body` sent one byte every `every_s` seconds: no single read ever waits long."""
    def respond(handler: _Handler, seen: Seen) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for i in range(len(body)):
            if handler.stopping.wait(every_s):
                return
            handler.wfile.write(body[i:i + 1])
            handler.wfile.flush()
    return respond


def hang(handler: _Handler, seen: Seen) -> None:
    """Never answers (until the server closes)."""
    handler.stopping.wait(HOLD_S)


def forward(handler: _Handler, seen: Seen) -> None:
    """A forwarding HTTP proxy: the request line holds the absolute URL to fetch."""
    url = urlsplit(seen.target)
    upstream = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)
    try:
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {k: v for k, v in seen.headers.items() if k not in ("proxy-connection", "connection")}
        upstream.request(seen.method, path or "/", body=seen.body or None, headers=headers)
        response = upstream.getresponse()
        data = response.read()
        handler.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    finally:
        upstream.close()
