"""An action whose payload has an example but no field list: its fields are inferred when it is read,
so it sends the example (not {}); an example that cannot be read is refused with the reason."""
from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_nonfinite_cli import cli

EXAMPLE = {"customerId": "c-7", "score": 4.5, "tags": ["new"]}


def action(example: str) -> str:
    return json.dumps({"name": "exampleOnly", "endpoint": {"url": "{{sandbox.url}}/echo/only", "method": "POST"},
                       "request": {"example": example}})


def test_the_example_is_what_is_sent(sample_home: Path, tmp_path: Path) -> None:
    given = tmp_path / "exampleOnly.json"
    given.write_text(action(json.dumps(EXAMPLE)))
    fields = cli("payload", "fields", str(given), home=sample_home)
    assert fields.returncode == 0 and fields.stdout.split("\n")[:3] == [
        "customerId\tstring\tconstant", "score\tdecimal\tconstant", "tags\tlistString\tconstant"]
    assert cli("action", "import", str(given), home=sample_home).returncode == 0
    sent = cli("send", "exampleOnly", "--sandbox", "--json", home=sample_home)
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["data"]["body"] == EXAMPLE


def test_an_unreadable_example_without_fields_is_refused(sample_home: Path, tmp_path: Path) -> None:
    given = tmp_path / "exampleOnly.json"
    given.write_text(action('{"customerId": "c-7",}'))
    for command in (["action", "validate"], ["action", "import"]):
        done = cli(*command, str(given), home=sample_home)
        assert done.returncode == 1
        assert "request: example: line 1, column 22: expected a property name" in done.stderr
        assert "the payload lists no fields, so they are read from the example" in done.stderr
    assert not (sample_home / "actions" / "exampleOnly.json").exists()
