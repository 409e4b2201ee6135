"""Copy as httpx: the snippet is Python that sends the same request (run here against a real local
server); an action's template keeps its {{variables}}, masks its secrets and fetches its token first."""
from __future__ import annotations

import json

from app.calls.record import RecordedRequest
from app.interop.snippets import action_snippet, httpx_snippet
from app.masking import MASK
from app.model import Action
from tests.app.interop.helpers import sample_actions
from tests.helpers.servers import Server, answer


def test_httpx_snippet_sends_the_recorded_request(capsys) -> None:
    with Server(answer(200, {"ok": True})) as server:
        call = RecordedRequest("POST", server.url + "/events?x=1", [("Content-Type", "application/json"),
                                                                    ("X-Quote", "it's \"quoted\"")],
                               json.dumps({"name": "purchased", "value": 1.5}))
        code = httpx_snippet(call.method, call.url, call.headers, call.body)
        exec(compile(code, "snippet.py", "exec"), {})  # noqa: S102 - the snippet is the product under test
    [seen] = server.requests
    assert seen.method == "POST" and seen.target == "/events?x=1"
    assert seen.headers["x-quote"] == "it's \"quoted\"" and json.loads(seen.body) == {"name": "purchased", "value": 1.5}
    assert capsys.readouterr().out.startswith("200 ")


def test_action_templates_keep_variables_and_mask_secrets() -> None:
    by_name = {a.name: a for a in sample_actions()}
    writer = action_snippet(by_name["writeJourneyEvent"], "curl")
    token_call, _, call = writer.partition("\n# writeJourneyEvent: Write")
    assert "curl -X POST '{{imsUrl}}/ims/token/v3'" in token_call and f"client_secret={MASK}" in token_call
    assert "'Authorization: Bearer $TOKEN'" in call and "{{inletId}}" in call
    airship = action_snippet(by_name["airshipCustomEvent"], "httpx")
    assert f"'Authorization': '{MASK}'" in airship and "'X-UA-Appkey': '{{airshipAppKey}}'" in airship
    compile(airship.split("\n", 1)[1], "snippet.py", "exec")  # valid Python after the comment line


def test_a_literal_secret_header_is_masked_too() -> None:
    action = Action.model_validate({"name": "lit", "endpoint": {
        "url": "https://api.example.com/x", "headers": [{"name": "X-Api-Key", "value": "plain-key-123"}],
        "query": [{"name": "lang", "mode": "variable", "label": "Language"}]}})
    text = action_snippet(action, "curl")
    assert "plain-key-123" not in text and "lang={{lang}}" in text
