"""`action limits`: both configurations for an action's endpoint; pasted ones checked by field."""
from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import run_cli


def test_generate_for_the_environments_host(sample_home: Path) -> None:
    done = run_cli("--home", str(sample_home), "action", "limits", "airshipCustomEvent", "--max-calls", "500",
                   "--period-ms", "1000", "--max-connections", "100", "--env", "production", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["capping"][0]["url"] == data["throttling"][0]["urlPattern"] == "https://go.urbanairship.com/*"
    assert data["capping"][0]["services"]["action"]["maxHttpConnections"] == 100
    assert data["throttling"][0]["maxThroughput"] == 500  # the cap's rate by default
    text = run_cli("--home", str(sample_home), "action", "limits", "airshipCustomEvent", "--max-calls", "50",
                   "--period-ms", "1000", "--env", "production")
    assert "Capping configuration:" in text.stdout and "Throttling configuration:" in text.stdout
    assert "throttling cannot go below 200/s" in text.stderr


def test_bad_limits_are_named_by_option(sample_home: Path) -> None:
    done = run_cli("--home", str(sample_home), "action", "limits", "airshipCustomEvent", "--max-calls", "1",
                   "--period-ms", "0", "--max-connections", "401", "--throughput", "100", "--env", "production")
    assert done.returncode == 1
    for line in ("--max-connections (maxHttpConnections): must be a whole number from 1 to 400",
                 "--max-calls (maxCallsCount): must be a whole number greater than 1, not 1",
                 "--period-ms (periodInMs): must be a whole number of milliseconds greater than 0, not 0",
                 "--throughput (maxThroughput): must be a whole number of calls per second from 200 to 5,000"):
        assert line in done.stderr


def test_validate_pasted(sample_home: Path, tmp_path: Path) -> None:
    good = {"urlPattern": "https://api.example.com/*", "methods": ["POST"], "maxThroughput": 200}
    (tmp_path / "good.json").write_text(json.dumps(good))
    ok = run_cli("--home", str(sample_home), "action", "limits", "--validate", str(tmp_path / "good.json"))
    assert ok.returncode == 0 and "valid" in ok.stdout
    (tmp_path / "bad.json").write_text(json.dumps({**good, "maxThroughput": 6000}))
    bad = run_cli("--home", str(sample_home), "action", "limits", "--validate", str(tmp_path / "bad.json"), "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["problems"] == [
        "maxThroughput: must be a whole number of calls per second from 200 to 5,000, not 6000"]
