"""A loopback server that records the exact bytes of every request (request line, header lines in
their order and case, body), for tests that compare what different paths put on the wire.
`Recorder(forward=True)` is an HTTP proxy: it records what it gets and forwards the request to the
host its absolute-form target names, relaying the answer."""
from __future__ import annotations

import json
import socket
import socketserver
import threading
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Raw:
    line: str  # the request line
    headers: tuple[tuple[str, str], ...]  # as sent: names in their case, in their order
    body: bytes

    @property
    def target(self) -> str:
        return self.line.split(" ")[1]


def read_request(stream: "socket.SocketIO | object") -> Optional[tuple[bytes, Raw]]:
    """One request from a buffered reader: its bytes and its parts (None at the end of the connection)."""
    reader = stream
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = reader.readline()  # type: ignore[attr-defined]
        if not line:
            return None
        head += line
    lines = head.decode("latin-1").split("\r\n")[:-2]
    headers = tuple((k, v.strip()) for k, _, v in (h.partition(":") for h in lines[1:]))
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    body = reader.read(length) if length else b""  # type: ignore[attr-defined]
    return head + body, Raw(lines[0], headers, body)


class Recorder:
    """Answers every request 200 with a small JSON body (or forwards it, as a proxy); `seen` lists
    what arrived. Use as a context manager."""

    def __init__(self, forward: bool = False) -> None:
        self.seen: list[Raw] = []
        self.forward = forward
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while True:
                    got = read_request(self.rfile)
                    if got is None:
                        return
                    data, raw = got
                    owner.seen.append(raw)
                    self.wfile.write(owner._relay(raw, data) if owner.forward else _ok())
                    self.wfile.flush()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def _relay(self, raw: Raw, data: bytes) -> bytes:
        url = urlsplit(raw.target)
        method, _, rest = raw.line.partition(" ")
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        head_end = data.index(b"\r\n") + 2
        request = f"{method} {path} {rest.rpartition(' ')[2]}\r\n".encode() + data[head_end:]
        with socket.create_connection((url.hostname, url.port or 80), timeout=10) as upstream:
            upstream.sendall(request)
            reader = upstream.makefile("rb")
            status = reader.readline()
            head = status
            while not head.endswith(b"\r\n\r\n"):
                head += reader.readline()
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            return head + reader.read(length)

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _ok() -> bytes:
    body = json.dumps({"ok": True}).encode()
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode()
            + b"\r\n\r\n" + body)
