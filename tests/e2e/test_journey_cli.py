"""`action-studio journey list | show | validate`, run as a user would: exit codes, JSON, no tracebacks."""
from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import cli


def test_list_and_show_the_sample(sample_home: Path) -> None:
    listed = cli("journey", "list", home=sample_home)
    assert listed.returncode == 0 and "sampleJourney" in listed.stdout and "6 nodes" in listed.stdout
    (entry,) = json.loads(cli("journey", "list", "--json", home=sample_home).stdout)
    assert entry["actions"] == ["writeJourneyEvent", "airshipCustomEvent"] and entry["problem"] is None
    shown = cli("journey", "show", "sampleJourney", home=sample_home)
    assert shown.returncode == 0
    assert "checkValue  condition 'Purchase value'  VIP (over 100) -> vipEvent; other cases -> done" in shown.stdout
    data = json.loads(cli("journey", "show", str(sample_home / "journeys" / "sampleJourney.json"), "--json").stdout)
    assert data["name"] == "sampleJourney" and data["nodes"][1]["timeoutOrError"] == "callFailed"


def test_validate_the_sample_and_a_broken_copy(sample_home: Path, tmp_path: Path) -> None:
    ok = cli("journey", "validate", "sampleJourney", home=sample_home)
    assert ok.returncode == 0 and "sampleJourney: valid (0 errors, 2 warnings)" in ok.stdout
    data = json.loads((sample_home / "journeys" / "sampleJourney.json").read_text())
    data["nodes"][2]["paths"][0]["expression"] = "@event{purchase.value} >"
    data["nodes"][3]["action"] = "airshipCustomEvents"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    bad = cli("journey", "validate", str(broken), home=sample_home)
    assert bad.returncode == 1 and "invalid (2 errors, 2 warnings)" in bad.stdout
    assert "error: node 'checkValue' (Purchase value), paths[0].expression, line 1, column 25:" in bad.stdout
    assert "    @event{purchase.value} >\n                            ^" in bad.stdout
    assert "did you mean 'airshipCustomEvent'" in bad.stdout
    report = json.loads(cli("journey", "validate", str(broken), "--json", home=sample_home).stdout)
    assert report["ok"] is False and report["errors"] == 2
    syntax = next(f for f in report["findings"] if f["code"] == "syntax")
    assert (syntax["node"], syntax["line"], syntax["column"]) == ("checkValue", 1, 25) and syntax["expected"]


def test_missing_and_unloadable_journeys_are_errors_not_tracebacks(sample_home: Path, tmp_path: Path) -> None:
    missing = cli("journey", "show", "nope", home=sample_home)
    assert missing.returncode == 1 and "no journey named 'nope'" in missing.stderr
    (tmp_path / "bad.json").write_text('{"name": "bad", "nodes": [{"id": "x", "type": "wait"}]}')
    bad = json.loads(cli("journey", "validate", str(tmp_path / "bad.json"), "--json", home=sample_home).stdout)
    assert "nodes[0] (id 'x'): a wait needs either a duration" in bad["error"]["message"]
    assert cli("journey", "validate", str(tmp_path / "none.json"), home=sample_home).returncode == 1
    assert cli("journey", "frobnicate", home=sample_home).returncode == 2
