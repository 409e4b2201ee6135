"""Bad input through the command line (main() as `python -m app` runs it, in process: see
tests/helpers/cli.py; arguments the shell could not decode arrive as Python decodes them): each ends
with a clear message saying what and where and its exit code, never exit 70 or a traceback, and
writes nothing - the workspaces' files and the keyring are byte for byte what they were."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Union

import pytest

from tests.app.auth.file_keyring import FileKeyring
from tests.helpers.cli import Done, run_cli

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample_workspace"
HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000
CURL = "curl -X POST https://t.example/token -d client_id=1 -d client_secret=SEKRIT"
INPUTS = {
    "huge.json": '{"customerId": ' + HUGE + "}",
    "huge.jsonl": '{"customerId": ' + HUGE + "}\n",
    "deep.json": DEEP,
    "deep.jsonl": '{"customerId": ' + DEEP + "}\n",
    "nan.json": '{"customerId": NaN}',
    "paths.jsonl": '{"customerId": "a", "$path": "a\\r\\nb"}\n{"customerId": "b", "$path": "{{nope}}"}\n'
                   '{"customerId": "c", "$path": 7}\n',
    "nul.csv": "Named user,Event name,Value,Transaction id\nu1,op\x00ened,1,t1\n",
    "dupes.csv": "Named user,Event name,Value,Value\nu1,opened,1,2\n",
    "object-param.json": json.dumps({"type": "customAuthorization", "endpoint": "https://t.example/t",
                                     "method": "POST", "body": {"bodyType": "form", "bodyParams": {"a": {"b": 1}}},
                                     "tokenInResponse": "response", "authorizationType": "bearer"}),
    "huge-auth.json": '{"type": "customAuthorization", "endpoint": "https://t.example/t", "method": "GET", '
                      '"tokenInResponse": "response", "cacheDuration": {"duration": ' + HUGE + "}}",
    "broken.json": '{"name": "x",\n  oops}',
}
Arg = Union[str, bytes]
# (arguments, exit code, what the message says); {in} is the inputs folder, {ws2}/{ws3} the other workspaces.
CASES: list[tuple[list[Arg], int, str]] = [
    # 30: once exit 70, now a clear exit 1 naming the file and line
    (["send", "notifyWebhook", "--batch", "{in}/huge.jsonl", "--sandbox"], 1,
     "huge.jsonl: line 1: not valid JSON (column 16: a number with more than 4300 digits is too long)"),
    (["send", "notifyWebhook", "--batch", "{in}/deep.jsonl", "--sandbox"], 1,
     "deep.jsonl: line 1: not valid JSON (column 1: nested too deeply)"),
    (["send", "notifyWebhook", "--values", "{in}/deep.json", "--sandbox"], 1,
     "deep.json: not valid JSON (line 1, column 1: nested too deeply)"),
    (["send", "notifyWebhook", "--body", "{in}/deep.json", "--sandbox"], 1,
     "error: --body {in}/deep.json: not valid JSON (line 1, column 1: nested too deeply)"),
    (["send", "notifyWebhook", "--values", "{in}/nan.json", "--sandbox"], 1,
     "nan.json: not valid JSON (line 1, column 16: NaN at customerId is not JSON (JSON has no NaN or Infinity)"),
    (["send", "notifyWebhook", "--sandbox", "--var", "baseUrl=http://x\r\n/"], 1,
     "error: the URL: the variable {{baseUrl}} holds a line break (CR/LF)"),
    (["send", "notifyWebhook", "--sandbox", "--path", "a\r\nb"], 1, "error: the dynamic path holds a line break"),
    (["send", "notifyWebhook", "--batch", "{in}/paths.jsonl", "--sandbox"], 1,
     "paths.jsonl: line 2: $path: undefined variable in the dynamic path: {{nope}}"),
    (["history", "show", "99999999999999999999"], 1, "error: no recorded call with id 99999999999999999999"),
    (["history", "list", "--action", b"\xff\xfe"], 1, "error: argument 4 is not valid UTF-8 text"),
    (["action", "import", "{in}/huge.json"], 1, "huge.json: line 1, column 16: a number with more than 4300 digits"),
    (["action", "import-auth", "notifyWebhook", "{in}/huge-auth.json"], 1,
     "huge-auth.json: line 1, column 146: a number with more than 4300 digits is too long"),
    (["auth", "test", "writeJourneyEvent", "--timeout", "inf", "--sandbox"], 1,
     "error: --timeout must be between 1 and 30 seconds"),
    (["send", "notifyWebhook", "--timeout", "nan"], 1, "error: --timeout must be between 1 and 30 seconds"),
    (["send", "notifyWebhook", "--path", "x/{{id", "--sandbox"], 1, "error: --path 'x/{{id': malformed {{variable}}"),
    (["action", "export", "--all", "-o", ""], 1, "error: -o needs a file name"),
    # 31: CSV
    (["send", "airshipCustomEvent", "--batch", "{in}/nul.csv", "--sandbox"], 1,
     "nul.csv: line 2: holds a NUL character (is the file UTF-16 or binary? save it as CSV UTF-8)"),
    (["send", "airshipCustomEvent", "--batch", "{in}/dupes.csv", "--sandbox"], 1,
     "dupes.csv: line 1: header: column 'Value' appears twice"),
    # 32: errors are JSON under --json
    (["payload", "fields", "{in}/none.json", "--json"], 1, '"error": "{in}/none.json: no such file"'),
    (["action", "show", "nosuch", "--json"], 1, '"error": "no action named \'nosuch\' in this workspace"'),
    (["send", "nosuch", "--json"], 1, '"exitCode": 1'),
    (["action", "validate", "{in}/broken.json", "--json"], 1, '"valid": false'),
    (["auth", "test", "--json"], 2, '"exitCode": 2'),
    # 33: messages that name what and where
    (["send", "airshipCustomEvent", "--sandbox", "--var", "airshipAppKey=k\r\nX-Injected: 1"], 1,
     "error: header X-UA-Appkey: the variable {{airshipAppKey}} holds a line break (CR/LF)"),
    (["action", "import-auth", "notifyWebhook", "{in}/object-param.json"], 1,
     "body.bodyParams.a: the body parameter is an object; custom authentication sends flat text values"),
    (["payload", "fields", "{in}/huge.json"], 1,
     "error: {in}/huge.json: line 1, column 16: a number with more than 4300 digits is too long"),
    (["send", "notifyWebhook", "--home", "{ws2}"], 1,
     "error: the active environment 'gone' does not exist in environments.json (known: sandbox, production)"),
    (["history", "limit", "500", "--home", "{ws3}"], 1, "settings.json: Input should be an object"),
    (["auth", "from-curl", CURL, "--into", "../evil"], 1, "error: --into '../evil': the name contains '.', '/'"),
    (["auth", "from-curl", CURL, "--into", ""], 1, "error: --into needs an action name"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad-input")
    paths = {"root": root, "in": root / "inputs", "ws": root / "homes" / "ws", "keyring": root / "keyring.json"}
    paths["in"].mkdir()
    for name, text in INPUTS.items():
        (paths["in"] / name).write_text(text, "utf-8")
    assert run(paths, ["sample"]).returncode == 0
    assert run(paths, ["send", "notifyWebhook", "--sandbox"]).returncode == 0  # a history to look into
    for name, change in (("ws2", "environments.json"), ("ws3", "settings.json")):
        home = paths[name] = root / "homes" / name
        shutil.copytree(SAMPLE, home, ignore=shutil.ignore_patterns("sample-secrets.json"))
        if change == "environments.json":
            envs = json.loads((home / change).read_text())
            (home / change).write_text(json.dumps(dict(envs, active="gone")))
        else:
            (home / change).write_text("[]")
    for home in ("ws", "ws2", "ws3"):  # the reads that settle caches (the action index) before snapshots
        run(paths, ["action", "list", "--home", str(paths[home])])
        run(paths, ["history", "list", "--home", str(paths[home])])
    return paths


def run(paths: dict[str, Path], args: list[Arg]) -> Done:
    words = [os.fsdecode(a) if isinstance(a, bytes) else fill(a, paths) for a in args]  # as sys.argv has them
    home = [] if "--home" in args else ["--home", str(paths["ws"])]
    return run_cli(*words, *home, env={"AUTH_TEST_KEYRING": str(paths["keyring"])}, keyring_backend=FileKeyring())


def fill(text: str, paths: dict[str, Path]) -> str:
    for key in ("in", "ws2", "ws3"):
        text = text.replace("{" + key + "}", str(paths.get(key, "")))
    return text


def snapshot(paths: dict[str, Path]) -> dict[str, bytes]:
    files = [p for p in (paths["root"] / "homes").rglob("*") if p.is_file()] + [paths["keyring"]]
    return {str(p.relative_to(paths["root"])): p.read_bytes() for p in files}


@pytest.mark.parametrize("args, code, message", CASES, ids=[" ".join(map(str, c[0]))[:60] for c in CASES])
def test_bad_input_is_a_clear_message_and_writes_nothing(world, args: list[Arg], code: int, message: str) -> None:
    before = snapshot(world)
    done = run(world, args)
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    assert done.returncode == code, output
    assert fill(message, world) in output, output
    if "--json" in args:
        assert json.loads(done.stdout)["exitCode"] == code and done.stderr == ""
    assert snapshot(world) == before
