"""What is read of a response is capped (real servers: a huge body, an endless one, a gzip bomb):
reading stops at the cap, the connection is dropped, the result says where the body was cut."""
from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from app.auth import AuthEngine
from app.calls import send
from app.calls.batch import BatchItem, run_batch
from app.calls.history import History
from app.model import Action, Endpoint, infer_payload
from app.net import NetConfig
from app.resolve import Resolver
from tests.helpers.servers import Server, answer, endless, huge

CAP = 64 * 1024
BIG = 64 * 1024 * 1024


def _action(url: str) -> Action:
    return Action(name="hook", endpoint=Endpoint(url=url + "/hook", method="POST"), request=infer_payload('{"a": 1}'))


def _engine(secrets: Any, cap: int = CAP) -> AuthEngine:
    return AuthEngine(secrets, net=NetConfig(response_max_bytes=cap))


def _cut_at_the_cap(result: Any) -> None:
    assert result.outcome == "http_200" and result.attempts == 1
    assert result.response.cut_at == CAP and result.response.truncated
    assert "(response truncated at 65,536 bytes)" in result.summary()
    assert result.to_dict()["exchanges"][0]["response"]["truncatedAt"] == CAP


@functools.cache
def _bomb() -> bytes:
    """64 MB once decoded, ~290 KB on the wire. Made on first use, not at import: every xdist worker
    collects this module, and one or two of them send the bomb. Level 1: 0.14 s of CPU instead of
    0.36 at the default level (which makes ~64 KB); either is a bomb against a 64 KB cap."""
    return gzip.compress(b"0" * BIG, compresslevel=1)


def gzip_bomb(handler: Any, seen: Any) -> None:
    answer(200, _bomb(), {"Content-Encoding": "gzip", "Content-Type": "text/plain"})(handler, seen)


RESPONDERS = [huge(BIG), endless, gzip_bomb]
IDS = ["huge", "endless", "gzip-bomb"]


@pytest.mark.parametrize("respond", RESPONDERS, ids=IDS)
def test_a_single_call_reads_up_to_the_cap(secrets, respond) -> None:
    with Server(respond) as server:
        result = send(_action(server.url), {}, engine=_engine(secrets), resolver=Resolver(secrets), timeout=10)
    _cut_at_the_cap(result)
    assert all(sent < BIG // 2 for sent in server.sent)  # reading stopped: the rest was never sent


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
@pytest.mark.parametrize("respond", RESPONDERS, ids=IDS)
def test_a_batch_reads_up_to_the_cap(secrets, respond, transport) -> None:
    results: list[Any] = []
    with Server(respond) as server:
        summary = run_batch(_action(server.url), [BatchItem(i, {}) for i in range(4)], engine=_engine(secrets),
                            resolver=Resolver(secrets), timeout=10, concurrency=4, transport=transport,
                            on_result=lambda item, result: results.append(result))
    assert summary.ok == 4
    for result in results:
        _cut_at_the_cap(result)
    assert all(sent < BIG // 2 for sent in server.sent)


def test_a_body_within_the_cap_is_whole(secrets) -> None:
    with Server(answer(200, {"n": "x" * 1000})) as server:
        result = send(_action(server.url), {}, engine=_engine(secrets, 2048), resolver=Resolver(secrets))
    assert result.ok and result.response.cut_at is None and result.data == {"n": "x" * 1000}
    assert "truncated" not in result.summary()


def test_the_cap_comes_from_the_workspace_settings_and_is_kept_in_the_history(services, tmp_path: Path) -> None:
    home = services.workspace.home
    (home / "settings.json").write_text(json.dumps({"responseMaxBytes": CAP}))
    assert services.auth.net.response_max_bytes == CAP
    with Server(huge(BIG)) as server, History(tmp_path / "h.sqlite3") as history:
        result = send(_action(server.url), {}, services=services, history=history)
        stored = history.result(history.rows(limit=1)[0].id)
    _cut_at_the_cap(result)
    assert stored.response.cut_at == CAP and "truncated at 65,536 bytes" in stored.summary()
