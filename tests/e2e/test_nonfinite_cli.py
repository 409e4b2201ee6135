"""NaN, Infinity and overflowing numbers are refused where JSON enters, with the path, and nothing is
sent or written: every case through the command line (in process, as `python -m app` runs it: see
tests/helpers/cli.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.helpers.cli import Done, run_cli

GOOD = '{"Named user": "u1", "Event name": "opened", "Transaction id": "t1", "Value": %s}'
ACTION = ('{"name": "priced", "endpoint": {"url": "https://x.example/e", "method": "POST"}, "request": '
          '{"example": "{\\"price\\": 1.5}", "fields": [{"name": "price", "type": "decimal", "value": %s}]}}')
EXAMPLE = ('{"name": "priced", "endpoint": {"url": "https://x.example/e", "method": "POST"}, "request": '
           '{"example": "{\\"price\\": %s}", "fields": [{"name": "price", "type": "decimal", "value": 1.5}]}}')


def cli(*args: str, home: Path) -> Done:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


CASES = [
    # (command, file name, file text, what the message says)
    (["send", "airshipCustomEvent", "--sandbox", "--values"], "v.json", GOOD % "NaN",
     "--values {file}: not valid JSON (line 1, column 79: NaN at Value is not JSON"),
    (["send", "airshipCustomEvent", "--sandbox", "--values"], "v.json", GOOD % "-Infinity",
     "-Infinity at Value is not JSON (JSON has no NaN or Infinity): use a number or null"),
    (["send", "airshipCustomEvent", "--sandbox", "--values"], "v.json", GOOD % "1e999",
     "the number 1e999 at Value is too large for a JSON number"),
    (["send", "airshipCustomEvent", "--sandbox", "--batch"], "b.jsonl", GOOD % "Infinity",
     "{file}: line 1: not valid JSON (column 79: Infinity at Value is not JSON"),
    (["send", "airshipCustomEvent", "--sandbox", "--batch"], "b.csv",
     "Named user,Event name,Value,Transaction id\nu1,opened,NaN,t1\n", "{file}: line 2: Value: expected a number, got 'NaN'"),
    (["action", "import"], "a.json", ACTION % "NaN",
     "line 1, column 182: NaN at request.fields[0].value is not JSON"),
    (["action", "validate"], "a.json", ACTION % "Infinity", "Infinity at request.fields[0].value is not JSON"),
    (["action", "import"], "a.json", EXAMPLE % "NaN",
     "request.example: line 1, column 11: NaN at price is not JSON"),
    (["payload", "fields"], "p.json", '{"items": [{"price": NaN}]}', "NaN at items[0].price is not JSON"),
]


@pytest.mark.parametrize("command, name, text, says", CASES, ids=[f"{c[0][0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_non_json_numbers_are_refused_where_they_enter(sample_home: Path, tmp_path: Path, command, name, text, says):
    given = tmp_path / name
    given.write_text(text)
    before = sorted(p.name for p in (sample_home / "actions").iterdir())
    done = cli(*command, str(given), home=sample_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert says.format(file=given) in done.stderr
    assert sorted(p.name for p in (sample_home / "actions").iterdir()) == before  # nothing imported
    history = cli("history", "list", "--json", home=sample_home)  # nothing sent
    assert history.returncode == 1 and "no history" in json.loads(history.stdout)["error"] or json.loads(history.stdout) == []
