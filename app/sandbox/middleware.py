"""The ASGI layer in front of the routes: counting, the request log, and fault injection.

Pure ASGI (no ``BaseHTTPMiddleware``): it only wraps ``receive``/``send`` to see the body and
the status, so the hot path stays cheap.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.masking import mask_body, mask_raw_headers, masked_query
from app.sandbox.faults import FaultSpec
from app.sandbox.requestlog import LogEntry, now
from app.sandbox.state import SandboxState

logger = logging.getLogger(__name__)
_POLL = 0.05  # How often a delayed or hung request checks whether it should let go.


def classify(path: str) -> str | None:
    """The endpoint a path belongs to; None for the control API (not logged)."""
    if path.startswith("/_sandbox/"):
        return None
    if path == "/ims/token/v3":
        return "token"
    if path.startswith("/collection/"):
        return "inlet"
    if path in ("/api/custom-events", "/api/custom-events/"):
        return "custom_events"
    if path == "/echo" or path.startswith("/echo/"):
        return "echo"
    return "other"


class SandboxMiddleware:
    """Counts and records every request and applies the endpoint's fault, if any."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = classify(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        recorder = _Recorder(self.state, scope, endpoint)
        self.state.log.count(endpoint)
        try:
            fault = self.state.faults.fire(endpoint)
            if fault is None or not await self._apply(fault, recorder, receive, send):
                await self.app(scope, recorder.wrap_receive(receive), recorder.wrap_send(send))
        except ClientDisconnect:
            pass  # The client left mid-body: nothing to answer, nothing wrong with the server.
        except Exception:
            # Starlette has already answered 500 and re-raises for the server to log; log it
            # here once instead, so a sandbox bug never kills the connection handler.
            logger.exception("sandbox error while serving %s %s", scope["method"], scope["path"])
        finally:
            recorder.finish()

    async def _apply(self, fault: FaultSpec, recorder: _Recorder, receive: Receive, send: Send) -> bool:
        """Apply ``fault``; True when it answered (or dropped) the request itself."""
        recorder.fault = fault.kind
        receive = recorder.wrap_receive(receive)
        # Latency does not watch for a disconnect: that would consume the body the route needs.
        if fault.latency_ms and not await self._wait(fault.latency_ms / 1000, None):
            await _drop(send, receive)
            return True
        if fault.hang:
            await self._wait(self.state.config.hang_seconds, receive)
            await _drop(send, receive)
            return True
        if fault.drop:
            await _drop(send, receive)
            return True
        if fault.status is not None:
            await _fault_response(fault, recorder.endpoint, recorder.wrap_send(send))
            return True
        return False

    async def _wait(self, seconds: float, receive: Receive | None) -> bool:
        """Sleep ``seconds``; False if the sandbox stopped (or, given ``receive``, the client left)."""
        deadline = time.monotonic() + seconds
        gone = asyncio.ensure_future(_disconnected(receive)) if receive is not None else None
        try:
            while not (gone is not None and gone.done()) and not self.state.closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    return True
                if gone is None:
                    await asyncio.sleep(min(left, _POLL))
                else:
                    await asyncio.wait({gone}, timeout=min(left, _POLL))
            return False
        finally:
            if gone is not None:
                gone.cancel()


async def _disconnected(receive: Receive) -> None:
    """Read (and discard) the body until the client goes away."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _drop(send: Send, receive: Receive) -> None:
    """Close the connection without answering: the client sees a connection error, not a 500.

    ASGI has no "abort" message, so this reaches uvicorn's transport through the ``send``
    bound method of its request cycle (both the h11 and httptools protocols keep it there).
    Waiting for the disconnect afterwards stops uvicorn from logging "returned without
    starting response" and sending a 500 of its own.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        # Not under uvicorn: start a response and never finish it, the closest equivalent.
        await send({"type": "http.response.start", "status": 500, "headers": []})
        return
    transport.close()
    try:
        await asyncio.wait_for(_disconnected(receive), timeout=1.0)
    except (TimeoutError, asyncio.CancelledError):
        pass


async def _fault_response(fault: FaultSpec, endpoint: str, send: Send) -> None:
    """An injected error status, in the endpoint's own error shape."""
    status = fault.status or 500
    body: dict[str, Any]
    if endpoint == "custom_events":
        body = {"ok": False, "error": "Injected fault", "error_code": status * 100}
    elif endpoint == "inlet":
        body = {"type": "http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet",
                "status": status, "title": "Injected fault", "report": {"message": "Injected fault"}}
    elif endpoint == "token":
        body = {"error": "server_error", "error_description": "Injected fault"}
    else:
        body = {"error": "Injected fault", "status": status}
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class _Recorder:
    """Collects what the log needs about one request while it is served."""

    __slots__ = ("state", "scope", "endpoint", "started", "chunks", "kept", "size", "status", "fault",
                 "_receive", "_send", "_done")

    def __init__(self, state: SandboxState, scope: Scope, endpoint: str) -> None:
        self.state = state
        self.scope = scope
        self.endpoint = endpoint
        self.started = time.perf_counter()
        self.chunks: list[bytes] = []
        self.kept = 0
        self.size = 0
        self.status: int | None = None
        self.fault: str | None = None
        self._receive: Receive | None = None
        self._send: Send | None = None
        self._done = False

    def wrap_receive(self, receive: Receive) -> Receive:
        if self._receive is not None:
            return self._receive
        limit = self.state.config.log_body_limit

        async def recording_receive() -> Message:
            message = await receive()
            chunk = message.get("body", b"")
            if chunk:
                self.size += len(chunk)
                # Keep references only up to the limit: no copy of huge bodies.
                if self.kept < limit:
                    self.chunks.append(chunk)
                    self.kept += len(chunk)
            return message

        self._receive = recording_receive
        return recording_receive

    def wrap_send(self, send: Send) -> Send:
        if self._send is not None:
            return self._send

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                # Record before the last byte leaves, so a client that reads the log right
                # after its response always finds its request there.
                self.finish()
            await send(message)

        self._send = recording_send
        return recording_send

    def finish(self) -> None:
        """Mask and store the entry (once)."""
        if self._done:
            return
        self._done = True
        scope = self.scope
        limit = self.state.config.log_body_limit
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        headers = mask_raw_headers(scope["headers"])
        body = mask_body(body[:limit], _content_type(headers))
        log = self.state.log
        log.add(LogEntry(
            id=log.next_id(),
            time=now(),
            method=scope["method"],
            path=scope["path"],
            query=masked_query(scope["query_string"].decode("latin-1")) if scope["query_string"] else {},
            headers=headers,
            body=body,
            body_size=self.size,
            endpoint=self.endpoint,
            status=self.status,
            duration_ms=(time.perf_counter() - self.started) * 1000,
            fault=self.fault,
        ))


def _content_type(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"content-type":
            return value.decode("latin-1")
    return ""
