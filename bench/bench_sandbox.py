"""Benchmark of the embedded sandbox against a bare Starlette sink (not a test).

Measures requests/s of the echo sink and of the custom-events endpoint (full validation) with
a keep-alive aiohttp client at 1 and 16 connections on loopback, and the same for a bare
Starlette app served with the same uvicorn settings, measured in the same run; prints the
ratios. Each server runs in its own subprocess so the client does not share its GIL.

    python bench/bench_sandbox.py [--seconds 2] [--rounds 3] [--max-requests 30000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
URL_LINE = re.compile(rb"(http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 15.0


# -- the bare sink (bench-only runner) --------------------------------------------------

def serve_bare() -> None:
    """A minimal Starlette app under uvicorn, configured like the sandbox's server."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def sink(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/{path:path}", sink, methods=["GET", "POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, http="auto", loop="auto", lifespan="off",
                            log_level="warning", access_log=False, proxy_headers=False, server_header=False)
    server = uvicorn.Server(config)
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY, as the sandbox
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"Bare sink running at http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])


# -- servers in subprocesses ------------------------------------------------------------

@contextmanager
def server_process(args: list[str]) -> Iterator[str]:
    """Start a server subprocess, yield its base URL (read from its first line), stop it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        line = proc.stdout.readline()
        match = URL_LINE.search(line)
        if match is None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {line!r}")
        yield match.group(1).decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


# -- the client -------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    """One request shape to send over and over."""

    name: str
    path: str
    body: bytes
    headers: dict[str, str]


def scenarios() -> list[Scenario]:
    occurred = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    event = [{
        "occurred": occurred,
        "user": {"named_user_id": "hugh.manbeing"},
        "body": {"name": "purchased", "value": 239.85, "transaction": "886f53d4",
                 "interaction_type": "url", "session_id": "22404b07",
                 "properties": {"brand": "Victory Sneakers", "colors": ["red", "blue"],
                                "items": [{"text": "New Line Sneakers", "price": "$ 79.95"}]}},
    }]
    json_headers = {"Content-Type": "application/json"}
    return [
        Scenario("echo", "/echo/hook", json.dumps({"profile": "p-1", "amount": 12.5}).encode(), json_headers),
        Scenario("custom_events", "/api/custom-events", json.dumps(event).encode(), {
            **json_headers,
            "Authorization": "Bearer sandbox-airship-token",
            "X-UA-Appkey": "SandboxDemoAppKey00001",
            "Accept": "application/vnd.urbanairship+json; version=3",
        }),
    ]


async def measure(url: str, scenario: Scenario, connections: int, seconds: float, max_requests: int) -> float:
    """Requests/s over a keep-alive pool of ``connections``, bounded in time and count."""
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        target = url + scenario.path

        async def one() -> None:
            async with session.post(target, data=scenario.body, headers=scenario.headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{scenario.name}: HTTP {response.status}: {await response.text()}")

        for _ in range(connections * 20):  # Warm-up: open the connections, settle the server.
            await one()
        done = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while done < max_requests and time.perf_counter() < deadline:
                done += 1
                await one()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return done / (time.perf_counter() - started)


def stack_description() -> str:
    """Which HTTP parser and event loop uvicorn's "auto" picks in the server processes."""
    probe = "import importlib.util as u; print(bool(u.find_spec('httptools')), bool(u.find_spec('uvloop')))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    found = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True).stdout.split()
    httptools, uvloop = (flag == "True" for flag in found)
    return f"{'httptools' if httptools else 'h11'} + {'uvloop' if uvloop else 'asyncio'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per server and case (best kept)")
    parser.add_argument("--max-requests", type=int, default=30000, help="request cap per measurement")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare()
        return 0
    print(f"server stack: {stack_description()}", flush=True)
    results: dict[tuple[str, str, int], float] = {}
    with server_process([__file__, "--serve-bare"]) as bare_url, \
            server_process(["-m", "app.sandbox", "--port", "0"]) as sandbox_url:
        urls = {"bare": bare_url, "sandbox": sandbox_url}
        for scenario in scenarios():
            for connections in (1, 16):
                # Alternate the two servers and keep each one's best round: on a shared
                # 2-core machine, other load only ever lowers a measurement.
                for _ in range(args.rounds):
                    for label, url in urls.items():
                        rate = asyncio.run(measure(url, scenario, connections, args.seconds, args.max_requests))
                        key = (label, scenario.name, connections)
                        results[key] = max(results.get(key, 0.0), rate)
    print(f"{'endpoint':<15}{'conns':>6}{'bare req/s':>12}{'sandbox req/s':>15}{'ratio':>8}")
    for scenario in scenarios():
        for connections in (1, 16):
            bare = results[("bare", scenario.name, connections)]
            sandbox = results[("sandbox", scenario.name, connections)]
            print(f"{scenario.name:<15}{connections:>6}{bare:>12.0f}{sandbox:>15.0f}{sandbox / bare:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
