"""The Sandbox runner: uvicorn serving the sandbox app on a background thread.

The socket is bound before the thread starts, so ``base_url`` is known at once (port 0 picks
a free port), and ``stop()`` lets hung requests go, joins the thread and frees the port.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from types import TracebackType
from typing import Any

import uvicorn

from app.masking import Masker
from app.sandbox.accounts import Accounts
from app.sandbox.appfactory import build_app
from app.sandbox.config import SandboxConfig
from app.sandbox.errors import SandboxError
from app.sandbox.faults import FaultSpec
from app.sandbox.state import SandboxState
from app.sandbox.tokens import TokenRegistry

logger = logging.getLogger(__name__)

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
TICK_S = 1.0  # how often the server's main loop wakes with nothing to do
TICKS_PER_WAKE = 10  # uvicorn's ticks (0.1 s each) that one wake stands for


class _ThreadServer(uvicorn.Server):
    """A uvicorn server whose main loop wakes as soon as it is asked to stop.

    Off the main thread uvicorn installs no signal handlers (``capture_signals`` checks the
    thread), so the owner stops it through :meth:`request_exit`.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        # uvicorn polls should_exit every 0.1 s; waiting on an event instead makes stop()
        # (and so every test fixture teardown) return quickly. Nothing else needs the 0.1 s tick:
        # uvicorn refreshes the Date header on every 10th, so one tick a second, counted as ten,
        # keeps that and wakes an idle sandbox (the window's, or a test's) once a second, not ten times.
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + TICKS_PER_WAKE) % 864000
            try:
                await asyncio.wait_for(self._wake.wait(), TICK_S)
            except TimeoutError:
                pass

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn pauses 0.1 s after asking the open connections to close, even when none is open:
        # every stop paid it. With none open (nor any request running) there is nothing to wait for.
        if self.server_state.connections or self.server_state.tasks or self.force_exit:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()

    def request_exit(self) -> None:
        """Ask the server to shut down; callable from any thread."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:
                pass  # The loop closed in between: it is exiting anyway.


def _uvicorn_config(app: Any) -> uvicorn.Config:
    # "auto" picks httptools and uvloop when they are installed, else h11 and asyncio.
    return uvicorn.Config(
        app,
        http="auto",
        loop="auto",
        lifespan="off",
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=1,
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it Nagle + delayed ACKs cost 40 ms per keep-alive request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise SandboxError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.setblocking(False)
    return sock


class Sandbox:
    """A running (or startable) sandbox server; see the package docstring.

    Usable as a context manager or through ``start()``/``stop()``.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.state = SandboxState(self.config)
        self._server: _ThreadServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Start serving and wait until connections are accepted; no-op if already running."""
        with self._lock:
            if self._thread is not None:
                return self
            if not self.config.is_loopback:
                logger.warning("sandbox listening on %s: reachable from other machines", self.config.host)
            sock = _bind(self.config.host, self.config.port)
            self._port = sock.getsockname()[1]
            self.state.closing = False
            server = _ThreadServer(_uvicorn_config(build_app(self.state)))
            thread = threading.Thread(target=self._serve, args=(server, sock), name=f"sandbox-{self._port}",
                                      daemon=True)
            self._server, self._thread, self._socket = server, thread, sock
            thread.start()
            self._wait_started(server, thread)
            return self

    def _serve(self, server: _ThreadServer, sock: socket.socket) -> None:
        try:
            with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
                runner.run(server.serve(sockets=[sock]))
        except BaseException:  # noqa: BLE001 - a dying server thread must say why.
            logger.exception("sandbox server stopped unexpectedly")
        finally:
            sock.close()

    def _wait_started(self, server: _ThreadServer, thread: threading.Thread) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self._teardown()
                raise SandboxError("the sandbox server did not start")
            time.sleep(0.002)

    def stop(self) -> None:
        """Stop serving: release hung requests, join the thread, free the port."""
        with self._lock:
            self._teardown()

    def _teardown(self) -> None:
        server, thread = self._server, self._thread
        self.state.closing = True
        if server is not None:
            server.request_exit()
        if thread is not None:
            thread.join(STOP_TIMEOUT)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(STOP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        """The port listened on (known once started)."""
        if self._port is None:
            raise SandboxError("the sandbox has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://host:port`` with no trailing slash."""
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}"

    # -- identities --------------------------------------------------------------------

    def add_client(self, client_id: str, client_secret: str, scopes: Iterable[str] | None = None) -> None:
        """Accept these credentials at the token endpoint (``scopes=None``: any scope)."""
        self.state.accounts.add_client(client_id, client_secret, scopes)

    def add_inlet(self, inlet_id: str, authenticated: bool = True) -> None:
        """Declare an inlet; once one is declared, unknown inlet ids answer 404."""
        self.state.accounts.add_inlet(inlet_id, authenticated)

    def add_airship_app(self, app_key: str, static_tokens: Iterable[str] = ()) -> None:
        """Accept this custom-events app key, with static bearer tokens besides issued ones."""
        self.state.accounts.add_app(app_key, static_tokens)

    # -- log, counters, faults ---------------------------------------------------------

    def requests(self, path: str | None = None,
                 since: int | float | str | datetime | None = None) -> list[dict[str, Any]]:
        """Logged requests, oldest first (see ``RequestLog.entries`` for the filters)."""
        return self.state.log.entries(path, since)

    def counters(self) -> dict[str, int]:
        """Requests per endpoint since start or the last clear()."""
        return self.state.log.counters()

    def mask_values(self, values: Iterable[str]) -> None:
        """Mask these values (secrets the caller resolved) wherever they appear in the request log,
        whatever the name of the parameter or header that carried them."""
        self.state.log.masker.add(values)

    def clear(self) -> None:
        """Empty the request log and reset the counters."""
        self.state.log.clear()

    def reset(self) -> None:
        """Back to a fresh sandbox: log, counters, masked values, faults, identities and tokens (for fixtures)."""
        self.state.log.clear()
        self.state.log.masker = Masker()
        self.state.faults.clear()
        self.state.faults.seed = self.config.seed
        self.state.accounts = Accounts.with_defaults()
        self.state.tokens = TokenRegistry()

    def set_fault(self, endpoint: str, latency_ms: float = 0, status: int | None = None,
                  times: int | None = None, rate: float | None = None, retry_after: int | None = None,
                  drop: bool = False, hang: bool = False, seed: int | None = None) -> FaultSpec:
        """Inject a fault into one endpoint (replacing its previous one); returns it."""
        spec = FaultSpec(endpoint, latency_ms, status, times, rate, retry_after, drop, hang)
        self.state.faults.set(spec, seed)
        return spec

    def clear_faults(self, endpoint: str | None = None) -> None:
        """Remove the faults of one endpoint, or all of them."""
        self.state.faults.clear(endpoint)

    def expire_tokens(self) -> int:
        """Make every issued token expired now; returns how many were valid."""
        return self.state.tokens.expire_all()
