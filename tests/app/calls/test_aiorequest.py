"""The aiohttp sender's requests (app.calls.aiorequest) fail, retry and time out as aiohttp's session does:
real loopback servers, one dropping a kept-alive connection, one trickling its body past the deadline."""
from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
import time
from typing import Iterator, Self

import aiohttp
import httpx
import pytest

from app.calls.aiosender import NOT_ADDED, AioSender
from tests.helpers.recorder import Recorder, _ok, read_request


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


def test_the_deadline_covers_reading_the_body(slow_body_get) -> None:
    """Headers at once, then a byte every 0.2 s (22 s in all): the attempt ends at its deadline, 0.5 s."""
    error, requests = slow_body_get(0.5)
    assert isinstance(error, TimeoutError)
    assert requests == 1


def test_a_url_that_is_not_http_is_refused_as_the_session_refuses_it() -> None:
    async def call() -> None:
        async with AioSender(1) as sender:
            await sender.exchange("GET", httpx.URL("ftp://127.0.0.1/x"), "ftp://127.0.0.1/x", [], None,
                                  time.monotonic() + 10)
    with pytest.raises(aiohttp.NonHttpUrlClientError):
        asyncio.run(call())


def test_requests_made_from_a_shape_send_what_aiohttp_sends_itself() -> None:
    """Every call to one URL with one header tuple is made from the request shape aiohttp made once (not
    ClientRequest's setup each time): bodies of several lengths go out as aiohttp's own session sends
    them (same request line, headers in order, Content-Length, body)."""
    bodies = [b'{"a":1}', b'{"a":1234567}', b"", b'{"a":1}']
    headers = (("X-Trace", "t"), ("Content-Type", "application/json"))

    async def calls(url: str) -> object:
        async with AioSender(1) as sender:
            target = httpx.URL(url)
            for body in bodies:
                sized = (("Host", target.netloc.decode()), *headers, ("Content-Length", str(len(body))))
                assert (await sender.exchange("POST", target, url, sized, body, time.monotonic() + 10)).status == 200
            shapes = list(sender._requester._shapes.values())
        async with aiohttp.ClientSession(skip_auto_headers=NOT_ADDED, auto_decompress=False) as session:
            for body in bodies:
                async with session.post(url, headers=headers, data=body) as response:
                    await response.read()
        return shapes

    with Recorder() as server:
        shapes = asyncio.run(calls(server.url + "/echo"))
        ours, theirs = server.seen[:len(bodies)], server.seen[len(bodies):]
    assert ours == theirs
    assert [dict(raw.headers)["Content-Length"] for raw in ours] == ["7", "13", "0", "7"]
    assert len(shapes) == 1 and shapes[0][2] is not None  # one for the headers whatever the body's length
    assert '"a":1' not in repr(shapes[0][2])  # no body held by the shape (the first made it)


def test_a_given_content_length_gets_no_shape_and_goes_out_as_given() -> None:
    """aiohttp keeps a Content-Length it is given (here not last: the sender leaves it to aiohttp) whatever
    the body: a request made from a shape would carry the body's own, so the request is aiohttp's each time."""
    async def calls(url: str) -> object:
        async with AioSender(1) as sender:
            target, given = httpx.URL(url), (("Content-Length", "2"), ("X-Trace", "t"))
            for _ in range(2):
                await sender.exchange("POST", target, url, given, b"{}", time.monotonic() + 10)
            return list(sender._requester._shapes.values())

    with Recorder() as server:
        shapes = asyncio.run(calls(server.url + "/echo"))
        assert [raw.headers for raw in server.seen] == [(("Host", server.url[7:]), ("Content-Length", "2"),
                                                         ("X-Trace", "t"))] * 2
    assert len(shapes) == 1 and shapes[0][2] is None


class _NoDictRequest(aiohttp.ClientRequest):
    """A request whose state cannot be read as a dict, as an aiohttp with slotted requests would make."""

    @property
    def __dict__(self) -> dict:  # type: ignore[override]
        raise AttributeError("__dict__")


def test_a_request_whose_state_cannot_be_copied_is_made_by_aiohttp_each_time() -> None:
    """The shape is a copy of aiohttp's request state: where that state is not a dict (another aiohttp),
    there is no shape and every call is aiohttp's own request, sent as usual."""
    from yarl import URL

    from app.calls.aiorequest import Requester

    async def calls(url: str) -> list:
        async with aiohttp.ClientSession(skip_auto_headers=NOT_ADDED, auto_decompress=False) as session:
            requester = Requester(session, _NoDictRequest)
            headers = (("Content-Type", "application/json"),)
            for body in (b'{"a":1}', b'{"a":22}'):
                response = await requester.send("POST", URL(url), headers, body)
                await response.read()
                response.release()
            return list(requester._shapes.values())

    with Recorder() as server:
        shapes = asyncio.run(calls(server.url + "/echo"))
        assert [dict(raw.headers)["Content-Length"] for raw in server.seen] == ["7", "8"]
    assert len(shapes) == 1 and shapes[0][2] is None


class _Served:
    """A threaded loopback server of a handler class, its `url` at `path`, ended on exit."""

    def _serve(self, handler: type[socketserver.StreamRequestHandler], path: str) -> None:
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Bytes(_Served):
    """A loopback server keeping each request's bytes exactly as they arrived (head and body)."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while (got := read_request(self.rfile)) is not None:
                    owner.seen.append(got[0])
                    self.wfile.write(_ok())
                    self.wfile.flush()

        self._serve(Handler, "/echo?q=1")


_BODIES = [b'{"a":1}', b"", b'{"a":1234567}', b"x" * 1000, b"y" * 100_000, b'{"a":1}']


def _ours_and_aiohttps(url: str, force_close: bool) -> list:
    """The bodies sent through a Requester of shapes, then by aiohttp's session; the shapes' wires."""
    from yarl import URL

    from app.calls.aiorequest import Requester
    from app.calls.aiosender import _request_class
    headers = (("X-Trace", "t\u00e9"), ("Content-Type", "application/json"), ("Authorization", "Bearer x"))

    async def calls() -> list:
        connector = aiohttp.TCPConnector(force_close=force_close)
        async with aiohttp.ClientSession(connector=connector, skip_auto_headers=NOT_ADDED,
                                         auto_decompress=False) as session:
            requester, target = Requester(session, _request_class()), URL(url)
            for body in _BODIES:
                response = await requester.send("POST", target, headers, body)
                await response.read()
                response.release()
            for body in _BODIES:
                async with session.post(url, headers=headers, data=body) as response:
                    await response.read()
            return [shape[2][1].wire for shape in requester._shapes.values()]
    return asyncio.run(calls())


def test_a_shapes_header_block_is_kept_and_goes_out_byte_for_byte_as_aiohttps_own() -> None:
    """After the first request of a shape its header block is the kept bytes and the request's own length:
    bodies of 0 to 100,000 bytes (1 to 6 digits) go out exactly as aiohttp's session sends them."""
    with _Bytes() as server:
        wires = _ours_and_aiohttps(server.url, force_close=False)
        ours, theirs = server.seen[:len(_BODIES)], server.seen[len(_BODIES):]
    assert ours == theirs and len(ours) == len(_BODIES)
    assert ours[0].startswith(b"POST /echo?q=1 HTTP/1.1\r\n") and b"Content-Length: 100000\r\n\r\n" in ours[4]
    assert len(wires) == 1 and wires[0].status == "POST /echo?q=1 HTTP/1.1"  # learnt: the block was kept
    assert wires[0].prefix.endswith(b"Content-Length: ") and b"t\xc3\xa9" in wires[0].prefix


def test_a_header_aiohttp_adds_after_the_length_leaves_the_block_to_aiohttp_each_time() -> None:
    """A connector closing every connection makes aiohttp's send add `Connection: close` after the length:
    the block is not kept (the request's own bytes are aiohttp's serializer's), and still the same bytes."""
    with _Bytes() as server:
        wires = _ours_and_aiohttps(server.url, force_close=True)
        ours, theirs = server.seen[:len(_BODIES)], server.seen[len(_BODIES):]
    assert ours == theirs and all(raw.count(b"Connection: close\r\n\r\n") == 1 for raw in ours)
    assert len(wires) == 1 and wires[0].status is False


def test_a_shapes_small_body_is_written_in_place_without_aiohttps_writer_task() -> None:
    """aiohttp's send writes a body from a task of its own (started eagerly on Python 3.12+, where a small
    body is out before send returns). A shape's request whose header block is kept writes a body up to
    AT_ONCE in place, no task; the shape's first request and a larger body go through aiohttp's send."""
    from yarl import URL

    from app.calls.aiorequest import AT_ONCE, Requester
    from app.calls.aiosender import _request_class
    bodies = [b'{"a":1}', b'{"a":22}', b"x" * AT_ONCE, b"y" * (AT_ONCE + 1)]

    async def tasks_per_request(url: str) -> tuple[list[int], list[int]]:
        made = [0]
        loop = asyncio.get_running_loop()

        def counting(loop: asyncio.AbstractEventLoop, coro, **kwargs):  # type: ignore[no-untyped-def]
            made[0] += 1
            return asyncio.Task(coro, loop=loop, **kwargs)

        async def counted(sending) -> int:  # type: ignore[no-untyped-def]
            before = made[0]
            response = await sending
            await response.read()
            response.release()
            return made[0] - before

        headers = (("Content-Type", "application/json"),)
        async with aiohttp.ClientSession(skip_auto_headers=NOT_ADDED, auto_decompress=False) as session:
            requester, target = Requester(session, _request_class()), URL(url)
            loop.set_task_factory(counting)
            try:
                ours = [await counted(requester.send("POST", target, headers, body)) for body in bodies]
                theirs = [await counted(session.post(url, headers=headers, data=body)) for body in bodies]
            finally:
                loop.set_task_factory(None)
        return ours, theirs

    with _Bytes() as server:
        ours, theirs = asyncio.run(tasks_per_request(server.url))
        assert server.seen[:len(bodies)] == server.seen[len(bodies):]
    assert ours == [theirs[0], 0, 0, theirs[3]]


class _Parts(_Served):
    """Answers each request of a connection with the next of `answers`: the bytes to write, in parts
    written 50 ms apart (a body after its headers, or cut in two)."""

    def __init__(self, answers: list[list[bytes]]) -> None:
        self.connections = 0
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner.connections += 1
                for parts in answers:
                    if read_request(self.rfile) is None:
                        return
                    for i, part in enumerate(parts):
                        if i:
                            time.sleep(0.05)
                        self.wfile.write(part)
                        self.wfile.flush()

        self._serve(Handler, "/x")


def test_a_body_read_whole_with_its_headers_or_after_them_and_the_connection_kept() -> None:
    """A body that came in with its headers is taken at once, one that follows them (or comes in two parts)
    is waited for: the same bodies either way, and every answer leaves the connection for the next call."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    answers = [[head + b"9\r\n\r\n{\"a\":\"1\"}"], [head + b"9\r\n\r\n", b'{"a":"2"}'],
               [head + b"9\r\n\r\n{\"a\"", b':"3"}'], [head + b"0\r\n\r\n"], [head + b"9\r\n\r\n{\"a\":\"5\"}"]]

    async def calls(url: str) -> list[tuple[int, bytes]]:
        async with AioSender(1) as sender:
            target, out = httpx.URL(url), []
            for _ in answers:
                answer = await sender.exchange("POST", target, url, [("Content-Length", "2")], b"{}",
                                               time.monotonic() + 10)
                out.append((answer.status, answer.body))
            return out

    with _Parts(answers) as server:
        got = asyncio.run(calls(server.url))
        assert server.connections == 1
    assert got == [(200, b'{"a":"1"}'), (200, b'{"a":"2"}'), (200, b'{"a":"3"}'), (200, b""), (200, b'{"a":"5"}')]


def test_a_request_written_in_place_on_a_connection_closing_fails_as_aiohttps_write() -> None:
    """A connection whose transport closes before the request goes out: the request written in place fails
    as aiohttp's own write fails it (on Python 3.12+, where it writes at once: its error set on the
    connection, raised by the response), an error the sender retries as it retries aiohttp's 3.11 one (the
    connection found lost a loop turn later)."""
    from yarl import URL

    from app.calls.aiorequest import _NO_TIMER, RETRIED, Requester, _from_shape, _sent
    from app.calls.aiosender import _request_class

    async def failures(url: str) -> list[BaseException]:
        async with aiohttp.ClientSession(skip_auto_headers=NOT_ADDED, auto_decompress=False) as session:
            requester, target = Requester(session, _request_class()), URL(url)
            headers = (("Content-Type", "application/json"),)
            response = await requester.send("POST", target, headers, b'{"a":1}')  # the shape's block learnt
            await response.read()
            response.release()
            state = next(iter(requester._shapes.values()))[2]
            assert state is not None and state[1].wire.at_once
            out = []
            for ours in (True, False):
                request = _from_shape(requester._request_class, state, b'{"a":22}')
                conn = await session.connector.connect(request, [], session.timeout)
                conn.protocol.set_response_params(timer=_NO_TIMER, read_until_eof=True, auto_decompress=False)
                conn.protocol.transport.close()
                response = await (_sent(request, conn, state[1].wire.status, 8) if ours else request.send(conn))
                with pytest.raises(aiohttp.ClientConnectionError) as caught:
                    await response.start(conn)
                conn.close()
                out.append(caught.value)
            return out

    with _Bytes() as server:
        ours, theirs = asyncio.run(failures(server.url))
    assert type(ours) is aiohttp.ClientOSError and str(ours).endswith(f"Can not write request body for {server.url}")
    assert isinstance(ours.__cause__, aiohttp.ClientConnectionResetError)
    assert isinstance(ours, RETRIED) and isinstance(theirs, RETRIED)


def test_a_shapes_requests_share_the_connection_key_aiohttp_makes_for_them() -> None:
    """The connector asks every request its connection key (host, port, TLS, proxy: what a shape's requests
    share): a shape's requests give the one aiohttp made for the shape, equal to its own request's."""
    from yarl import URL

    from app.calls.aiorequest import Requester, _from_shape
    from app.calls.aiosender import _request_class

    async def keys(url: str) -> tuple[object, object, object]:
        async with aiohttp.ClientSession(skip_auto_headers=NOT_ADDED, auto_decompress=False) as session:
            requester, target = Requester(session, _request_class()), URL(url)
            headers = (("Content-Type", "application/json"),)
            response = await requester.send("POST", target, headers, b'{"a":1}')
            await response.read()
            response.release()
            state = next(iter(requester._shapes.values()))[2]
            assert state is not None
            first, second = (_from_shape(requester._request_class, state, body) for body in (b"{}", b"[1]"))
            theirs = aiohttp.ClientRequest("POST", target, headers=headers, data=b"{}", loop=asyncio.get_running_loop(),
                                           session=session)
            return first.connection_key, second.connection_key, theirs.connection_key

    with _Bytes() as server:
        first, second, theirs = asyncio.run(keys(server.url))
    assert first is second and first == theirs
