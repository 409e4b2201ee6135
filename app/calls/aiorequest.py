"""One request on aiohttp's own pieces (its ClientRequest, connector and ClientResponse), for AioSender.

`ClientSession.request` wraps these in layers the bulk and journey paths never use: the session's
default headers and URL merged again, a cookie jar's filter (an empty SimpleCookie a call even with
DummyCookieJar), netrc and environment proxies (trust_env is off), traces, middlewares, redirects
(app.net.redirects follows them) and a timeout handle of its own (AioSender sets one deadline for the
whole attempt). Skipping them is ~14 % of the instructions a bulk call costs on loopback (callgrind,
docs/benchmarks.md, session 7). What the request sends is aiohttp's ClientRequest as the session would
have made it (the parity tests compare the bytes), and failures come out as the session's would: an
OSError as ClientOSError, and an idempotent request retried once on a fresh connection when a kept-alive
one turns out dead.

A request with a body to a URL and header tuple the sender hands in again (every call of a run or batch)
is made from a never-sent request made by aiohttp for them (`Shapes`): its state copied, its body and
Content-Length set, instead of ClientRequest's ~7 us of setup a call that gives the same state every time.
Each shape is checked once against a request aiohttp makes itself; one that differs (another aiohttp)
is made by aiohttp on every call.

A shape's requests also carry their header block: the first one sent is serialized by aiohttp, and the
block's bytes up to the Content-Length's value are kept (`Wire`); the next ones are those bytes, their own
length and the blank line, when their request line and header count are the first's (aiohttp's send adds
no header then: every other header is the shape's). aiohttp's serializer checked every character of ~10
header lines on each call (~11k instructions, the loop thread's largest C function after the interpreter).
Such a request's small body then goes out with its block in one write made in place (`_sent`), as aiohttp's
writer puts them on the wire on Python 3.12+, not from a task of its own through six coroutines.
"""
from __future__ import annotations

import asyncio
import functools
import inspect
from typing import Any, Optional

from aiohttp import ClientSession, client_exceptions, http_writer
from aiohttp.helpers import TimerNoop
from aiohttp.http_writer import StreamWriter
from aiohttp.payload import TOO_LARGE_BYTES_BODY, BytesPayload
from multidict import CIMultiDict

# What the session retries once (a kept-alive connection the server closed meanwhile), and what it never
# does (a connect failure is not a dead kept-alive connection), as ClientSession._request.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
RETRIED = (client_exceptions.ClientOSError, client_exceptions.ServerDisconnectedError)
NOT_RETRIED = (client_exceptions.ClientConnectorError, client_exceptions.ConnectionTimeoutError)
_NO_TIMER = TimerNoop()  # the deadline is the caller's (asyncio.timeout around the whole attempt)
AT_ONCE = 16 * 1024  # a body up to this is written in place (`_sent`): far below what makes a writer wait
MAX_SHAPES = 64  # (method, URL, headers) a sender keeps a request shape for
Shape = tuple[Any, Any, Optional[tuple[dict[str, Any], Any, dict[str, Any]]]]  # URL, headers, the state or None


class Wire:
    """A shape's header block as aiohttp serialized it for its first request, but for the Content-Length's
    value and the blank line after it; `status` None until learnt, False when the block cannot be kept.
    `at_once`: its requests' small bodies may be written by `_sent` (nothing in the shape that aiohttp's
    send handles otherwise: compression, chunking, 100-continue, traces, an upload tracker, a proxy)."""

    __slots__ = ("status", "count", "prefix", "at_once")

    def __init__(self, at_once: bool = False) -> None:
        self.status: Any = None
        self.count = 0
        self.prefix = b""
        self.at_once = at_once

    def learn(self, status_line: str, headers: "Headers", block: bytes) -> None:
        tail = b"Content-Length: " + headers.length.encode() + b"\r\n\r\n"
        last = next(reversed(list(headers.items())), None)
        if last == ("Content-Length", headers.length) and block.endswith(tail):
            self.status, self.count = status_line, len(headers)
            self.prefix = block[:len(block) - len(tail) + 16]  # up to and with "Content-Length: "
        else:  # send() added a header after it, or the name is not spelled so: aiohttp's serializer each time
            self.status = False


class Headers(CIMultiDict[str]):
    """A shape's request headers: `wire` (a class attribute of each shape's subclass, kept by copy()) and the
    request's Content-Length value, for `_serialized`."""

    __slots__ = ("length",)
    wire: Wire

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.length = ""


def _serialized(status_line: str, headers: Any) -> bytes:
    """aiohttp's header block: a shape's kept bytes with this request's length, or aiohttp's serializer's."""
    if isinstance(headers, Headers):
        wire = headers.wire
        if wire.status == status_line and len(headers) == wire.count:
            return wire.prefix + headers.length.encode() + b"\r\n\r\n"
        block: bytes = _serialize(status_line, headers)
        if wire.status is None:
            wire.learn(status_line, headers, block)
        return block
    return _serialize(status_line, headers)


_serialize: Any = getattr(http_writer, "_serialize_headers", None)
_serialize = getattr(_serialize, "aiohttps", _serialize)  # this module imported again: aiohttp's, not ours
if _serialize is not None:  # aiohttp's writer calls it by this name when it writes a request's headers
    _serialized.aiohttps = _serialize  # type: ignore[attr-defined]
    http_writer._serialize_headers = _serialized


class Requester:
    """`await requester.send(...)`: the response, its status and headers read, its body not yet."""

    def __init__(self, session: ClientSession, request_class: Any) -> None:
        self._session = session
        self._connector: Any = session.connector
        self._loop = asyncio.get_running_loop()
        self._request_class = request_class
        self._response_class = session._response_class
        self._timeout = session.timeout  # the connector's wait for a free connection: none of its own
        self._shapes: dict[tuple[str, int, int], Shape] = {}  # (method, id(URL), id(headers)) -> see _shape

    async def send(self, method: str, url: Any, headers: Any, body: Optional[bytes],
                   proxy: Any = None, proxy_auth: Any = None, proxy_headers: Any = None) -> Any:
        method = method.upper()  # as the session (and ClientRequest) take it
        retry = method in IDEMPOTENT
        while True:
            request = line = None
            length = 0
            if proxy is None and type(body) is bytes and len(body) <= TOO_LARGE_BYTES_BODY:  # the common case
                shape = self._shapes.get((method, id(url), id(headers)))
                if shape is None or shape[0] is not url or shape[1] is not headers:
                    shape = self._shape(method, url, headers, body)
                if shape[2] is not None:
                    request = _from_shape(self._request_class, shape[2], body)
                    wire = shape[2][1].wire
                    length = len(body)
                    if wire.at_once and length <= AT_ONCE and type(wire.status) is str:
                        line = wire.status
            if request is None:
                request = self._new(method, url, headers, body, proxy, proxy_auth, proxy_headers)
            try:  # the exchange in this coroutine: one frame less for each of aiohttp's waits to resume through
                try:
                    conn = await self._connector.connect(request, [], self._timeout)
                except TimeoutError as exc:
                    raise client_exceptions.ConnectionTimeoutError(
                        f"Connection timeout to host {request.url}") from exc
                conn.protocol.set_response_params(timer=_NO_TIMER, skip_payload=method == "HEAD",
                                                  read_until_eof=True, auto_decompress=False)
                try:
                    if line is None or conn.protocol.writing_paused:
                        response = await request.send(conn)
                    else:
                        response = await _sent(request, conn, line, length)
                    try:
                        await response.start(conn)
                    except BaseException:
                        response.close()
                        raise
                except BaseException:
                    conn.close()
                    raise
                return response
            except NOT_RETRIED:
                raise
            except RETRIED:
                if not retry:
                    raise
                retry = False
                await request.close()
            except client_exceptions.ClientError:
                raise
            except OSError as exc:
                if exc.errno is None and isinstance(exc, TimeoutError):
                    raise
                raise client_exceptions.ClientOSError(*exc.args) from exc

    def _new(self, method: str, url: Any, headers: Any, body: Optional[bytes], proxy: Any = None,
             proxy_auth: Any = None, proxy_headers: Any = None) -> Any:
        """A request made by aiohttp (ClientRequest's own setup)."""
        return self._request_class(
            method, url, headers=headers, data=body, loop=self._loop, session=self._session,
            response_class=self._response_class, timer=_NO_TIMER, proxy=proxy, proxy_auth=proxy_auth,
            proxy_headers=proxy_headers)

    def _shape(self, method: str, url: Any, headers: Any, body: bytes) -> Shape:
        """The state of a request aiohttp made for this method, URL and headers, never sent, for requests
        with any body (`_from_shape`); None in its place when a request made from it is not what aiohttp
        makes itself for another body (its Content-Length not its own, or another aiohttp)."""
        model = self._new(method, url, headers, body)
        try:
            state = self._state_of(model, method, url, headers, body)
        except (TypeError, AttributeError, IndexError):  # an aiohttp whose requests are made otherwise (slots...)
            state = None
        if len(self._shapes) >= MAX_SHAPES:
            self._shapes.clear()
        shape = self._shapes[(method, id(url), id(headers))] = (url, headers, state)  # both held: ids not reused
        return shape

    def _state_of(self, model: Any, method: str, url: Any, headers: Any, body: bytes) -> Optional[tuple[
            dict[str, Any], Any, dict[str, Any]]]:
        """What `_from_shape` needs from `model`, or None where a request made from it would differ."""
        if type(model._body) is not BytesPayload or \
                list(model.headers.items())[-1] != ("Content-Length", str(len(body))):
            return None
        fields, payload_fields = dict(vars(model)), dict(vars(model._body))
        # Each request's own, set by _from_shape: no body held here, but the keys kept in their places (a
        # request's dict then takes its state without growing: a third of the copy's cost).
        fields["_body"], payload_fields["_value"] = None, b""
        at_once = fields.get("compress", 1) is None and fields.get("chunked", 1) is None and \
            fields.get("proxy", 1) is None and fields.get("_traces", 1) == [] and \
            fields.get("_upload_tracker") is None and \
            getattr(model, "_continue", 1) is None and method != "CONNECT" and \
            _sends_as_known(model.__class__, fields.get("response_class"))
        shaped = type("Headers", (Headers,), {"__slots__": (), "wire": Wire(at_once)})  # copies keep the class
        state = (fields, shaped(model.headers), payload_fields)
        other = body + b" "  # another length: the Content-Length must follow
        if not _same(_from_shape(self._request_class, state, other), self._new(method, url, headers, other)):
            return None
        if hasattr(model, "shaped_key"):  # a class that takes the key of its shape (app.calls.aiosender's)
            fields["shaped_key"] = model.connection_key  # made of what a shape's requests share
        return state


async def _sent(request: Any, conn: Any, status_line: str, length: int) -> Any:
    """`request.send(conn)` for a request of a shape whose header block is kept (`status_line` its request
    line: aiohttp's send adds no header to it) and whose body is small, as aiohttp sends it on Python 3.12+
    (its body's writer task started eagerly writes headers and body in one go and is done before send
    returns: the response has no writer task), without the task 3.11 makes and runs a loop turn later (its
    registration, the turn and two done callbacks). The block and the body go out as aiohttp's writer
    puts them, one write of both, without its six coroutines (a StreamWriter's write_headers, write,
    write_eof and drain, the payload's write_with_length, the request's write_bytes: ~17k instructions a
    call). A connection that cannot be written to any more gets aiohttp's own write, which sets the error
    on the connection for the response to raise, as from its task."""
    protocol = conn.protocol
    writer = StreamWriter(protocol, request.loop)
    transport = protocol.transport
    if transport is None or transport.is_closing():
        await writer.write_headers(status_line, request.headers)
        await request.write_bytes(writer, conn, length)
    else:
        headers = request.headers
        data = headers.wire.prefix + headers.length.encode() + b"\r\n\r\n" + request._body._value
        writer.buffer_size = writer.output_size = len(data)
        transport.write(data)
        if protocol.writing_paused:  # as write_eof's drain: the transport's buffer over its high-water mark
            await writer.drain()
        protocol.start_timeout()
    response = request.response = request.response_class(
        request.method, request.original_url, writer=None, continue100=None, timer=request._timer,
        request_info=request.request_info, traces=request._traces, loop=request.loop, session=request._session,
        stream_writer=writer)
    return response


@functools.cache
def _sends_as_known(request_class: Any, response_class: Any) -> bool:
    """Whether `_sent` may stand for this request class's send: aiohttp's own send, write_bytes and response
    taking the arguments `_sent` hands them (the aiohttp this module was written against)."""
    from aiohttp import ClientRequest

    def takes(function: Any, names: set[str]) -> bool:
        return names <= set(inspect.signature(function).parameters)

    return request_class.send is ClientRequest.send and takes(request_class.write_bytes, {
        "writer", "conn", "content_length"}) and takes(response_class.__init__, {
            "writer", "continue100", "timer", "request_info", "traces", "loop", "session", "stream_writer"})


def _from_shape(request_class: Any, state: tuple[dict[str, Any], Any, dict[str, Any]], body: bytes) -> Any:
    """A request in the shape's state with this body: what ClientRequest's setup gives for it."""
    fields, headers, payload_fields = state
    payload = object.__new__(BytesPayload)
    payload.__dict__.update(payload_fields)  # its headers (Content-Type) shared: read when the request was made
    payload._value, payload._size = body, len(body)
    request = object.__new__(request_class)
    request.__dict__.update(fields)
    request.headers = headers = headers.copy()  # send() may add to them (Connection)
    headers["Content-Length"] = headers.length = str(len(body))  # in its place: last
    request._body, request._traces = payload, []
    return request


def _same(made: Any, model: Any) -> bool:
    """Whether two requests hold the same state (headers in order, body and its headers included)."""
    mine, theirs = vars(made), vars(model)
    if mine.keys() != theirs.keys() or list(made.headers.items()) != list(model.headers.items()):
        return False
    body, their_body = made._body, model._body
    if type(body) is not type(their_body) or list(body.headers.items()) != list(their_body.headers.items()) \
            or {k: v for k, v in vars(body).items() if k != "_headers"} != \
            {k: v for k, v in vars(their_body).items() if k != "_headers"}:
        return False
    return all(mine[k] is theirs[k] or mine[k] == theirs[k] for k in mine if k not in ("headers", "_body"))
