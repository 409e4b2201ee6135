"""`action import --from postman|openapi|curl` and `action export --to postman|curl|httpx`: the
round trip through Postman on the command line, the report, exit codes and errors with their place."""
from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from openapi_spec_validator import shortcuts

from tests.app.interop.helpers import DATA, postman_errors
from tests.helpers.cli import Done, run_cli


def cli(*args: str, home: Path, stdin: str | None = None) -> Done:
    done = run_cli(*args, "--home", str(home), "--session-secrets", stdin=stdin)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_export_to_postman_and_import_back(sample_home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "sample.postman_collection.json"
    target.parent.mkdir()
    done = cli("action", "export", "--to", "postman", "--all", "-o", str(target), "--environments", home=sample_home)
    assert done.returncode == 0, done.stderr
    collection = json.loads(target.read_text("utf-8"))
    assert postman_errors(collection) == []
    env = json.loads((target.parent / "sandbox.postman_environment.json").read_text("utf-8"))
    assert {v["key"] for v in env["values"]} >= {"baseUrl", "inletId"}
    other = tmp_path / "other"
    done = cli("action", "import", "--from", "postman", str(target), "--json", home=other)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert [i["name"] for i in result["imported"]] == ["airshipCustomEvent", "notifyWebhook", "writeJourneyEvent"]
    assert result["report"]["format"] == "postman"
    done = cli("action", "import", str(target.parent / "production.postman_environment.json"), home=other)
    assert done.returncode == 0 and "variables added to the environment 'production'" in done.stdout
    assert "production" in (other / "environments.json").read_text("utf-8")
    shown = json.loads(cli("action", "show", "notifyWebhook", home=other).stdout)
    original = json.loads(cli("action", "show", "notifyWebhook", home=sample_home).stdout)
    for key in ("endpoint", "auth", "description"):
        assert shown[key] == original[key]


def test_import_a_collection_prints_what_was_not_mapped(tmp_path: Path) -> None:
    done = cli("action", "import", str(DATA / "postman" / "shop.postman_collection.json"), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "imported Create_order" in done.stdout and "note: " in done.stdout
    assert "not imported: method PATCH" in done.stdout
    files = "".join(p.read_text("utf-8") for p in (tmp_path / "actions").glob("*.json"))
    assert "shop-secret-9f2" not in files  # the collection's plain client secret went to the secret store
    # the collection's variables are kept in an environment named after it, its secret in the store
    assert "variables added to the environment 'Shop API': baseUrl, authUrl, clientId, partner_secret" in done.stdout
    envs = (tmp_path / "environments.json").read_text("utf-8")
    assert "https://api.shop.example.com/v2" in envs and "partner-var-secret-7" not in envs
    again = cli("action", "import", str(DATA / "postman" / "shop.postman_collection.json"), "--rename",
                home=tmp_path)
    assert again.returncode == 0 and "variables added" not in again.stdout  # nothing replaced


def test_openapi_needs_an_operation_when_there_are_several(tmp_path: Path) -> None:
    orders = str(DATA / "openapi" / "orders-3.0.yaml")
    done = cli("action", "import", "--from", "openapi", orders, "--json", home=tmp_path)
    assert done.returncode == 1
    error = json.loads(done.stdout)
    assert "choose one with --operation" in error["error"]
    assert [o["id"] for o in error["operations"]][:2] == ["createOrder", "getOrder"]
    done = cli("action", "import", orders, "--operation", "createOrder", home=tmp_path)
    assert done.returncode == 0 and "imported createOrder (enter secrets:" in done.stdout
    assert cli("action", "import", orders, "--operation", "cancelOrder", home=tmp_path).returncode == 1


def test_the_operations_to_choose_from_come_from_the_one_validation(tmp_path: Path) -> None:
    """The operations listed with the error are those the import found: the document (validated by
    openapi-spec-validator, ~50 ms of CPU for this small one) is not validated a second time."""
    orders = str(DATA / "openapi" / "orders-3.0.yaml")
    with mock.patch.object(shortcuts, "get_validator_cls", wraps=shortcuts.get_validator_cls) as validators:
        done = cli("action", "import", orders, "--json", home=tmp_path)
    assert done.returncode == 1 and [o["id"] for o in json.loads(done.stdout)["operations"]][:2] == [
        "createOrder", "getOrder"]
    assert validators.call_count == 1
    one = tmp_path / "one.yaml"  # one operation, not importable: the operation comes with the error too
    one.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    delete:\n"
                   "      operationId: dropX\n      responses: {'200': {description: ok}}\n")
    done = cli("action", "import", str(one), "--json", home=tmp_path)
    assert done.returncode == 1 and "POST, PUT or GET" in json.loads(done.stdout)["error"]
    assert [o["id"] for o in json.loads(done.stdout)["operations"]] == ["dropX"]


def test_curl_from_standard_input_and_back_out(tmp_path: Path) -> None:
    command = "curl -X POST 'https://api.example.com/hooks/order?src=cli' -H 'X-Api-Key: k-123' --json '{\"n\": 1}'"
    done = cli("action", "import", "--from", "curl", "-", home=tmp_path, stdin=command)
    assert done.returncode == 0 and "imported order" in done.stdout
    as_curl = cli("action", "export", "--to", "curl", "order", home=tmp_path).stdout
    assert "curl -X POST 'https://api.example.com/hooks/order?src=cli'" in as_curl
    assert "k-123" not in as_curl and "X-Api-Key: ********" in as_curl
    as_httpx = cli("action", "export", "--to", "httpx", "order", home=tmp_path).stdout
    compile(as_httpx, "order.py", "exec")


@pytest.mark.parametrize("args, stdin, message", [
    (["--from", "postman", "-"], "{\n  \"info\": ,", "line 2, column 11"),
    (["--from", "openapi", "-"], "openapi: 3.0.3\ninfo: {title: x\n", "line 3, column 1"),
    (["--from", "curl", "-"], "curl -X DELETE https://api.example.com/x", "method DELETE"),
    (["--from", "postman", "-"], json.dumps({"info": {"name": "x", "schema":
     "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
     "item": [{"name": "p", "request": {"method": "PATCH", "url": "https://x.example.com"}}]}),
     "nothing could be imported"),
])
def test_bad_input_exits_1_with_where(tmp_path: Path, args: list[str], stdin: str, message: str) -> None:
    done = cli("action", "import", *args, "--json", home=tmp_path, stdin=stdin)
    assert done.returncode == 1
    assert message in json.loads(done.stdout)["error"]


def test_export_usage_errors(sample_home: Path) -> None:
    done = cli("action", "export", "--to", "curl", "notifyWebhook", "--environments", home=sample_home)
    assert done.returncode == 1 and "--environments goes with --to postman" in done.stderr
    assert cli("action", "export", "--to", "yaml", "x", home=sample_home).returncode == 2
