"""`journey run --replay | --expect` and `journey diff` as a user runs them on a fresh sample workspace
(no keyring, offline): exit codes, JSON, and bad input named without a traceback."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.e2e.conftest import EXPECT, Installed
from tests.helpers.cli import Done, run_cli


def cli(*args: str, home: Path) -> Done:
    done = run_cli("--home", str(home), *args, keyring_backend=fail.Keyring())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


@pytest.fixture
def fresh(tmp_path: Path, installed_sample: Installed) -> Path:
    """A freshly installed sample workspace, this test's own."""
    return Path(shutil.copytree(installed_sample.fresh, tmp_path / "fresh"))


@pytest.fixture
def recorded(tmp_path: Path, installed_sample: Installed) -> tuple[Path, dict]:
    """A fresh sample workspace of this test's own holding one run (seed 7) and that run's summary."""
    return Path(shutil.copytree(installed_sample.recorded, tmp_path / "fresh")), copy.deepcopy(installed_sample.summary)


def run(home: Path, *extra: str) -> Done:
    return cli("journey", "run", "sampleJourney", *extra, home=home)


def edit_threshold(home: Path, threshold: int) -> None:
    path = home / "journeys" / "sampleJourney.json"
    path.write_text(path.read_text().replace("@event{purchase.value} > 100", f"@event{{purchase.value}} > {threshold}"))


def test_the_sample_expectations_pass_and_a_mismatch_exits_4(fresh: Path, installed_sample: Installed) -> None:
    profiles = str(fresh / "profiles" / "purchases.csv")
    verdict = installed_sample.summary["expectations"]  # the sample's run, checked against them as it ran (exit 0)
    assert verdict["passed"] and verdict["profiles"] == {"checked": 2, "passed": 2, "failed": 0}
    wrong = fresh / "wrong.json"
    wrong.write_text(json.dumps({"nodes": {"vipEvent": 90}, "profiles": {"p-000006": {"end": "callFailed"}}}))
    done = run(fresh, "--profiles", profiles, "--expect", str(wrong))
    assert done.returncode == 4
    assert "expectations: FAILED: 0 of 1 counts, 0 of 1 profiles" in done.stdout
    assert "  nodes vipEvent: expected 90, got 95" in done.stdout
    assert "  profile p-000006 (row 6): end expected callFailed, got done" in done.stdout
    done = run(fresh, "--profiles", profiles, "--expect", str(wrong), "--json")
    assert done.returncode == 4 and json.loads(done.stdout)["expectations"]["mismatchTotal"] == 1


def test_replay_reproduces_the_run_and_an_edit_shows_in_the_diff(recorded: tuple[Path, dict]) -> None:
    fresh, first = recorded
    rid = first["run"]["id"]
    done = run(fresh, "--replay", rid, "--expect", str(fresh / EXPECT), "--json")
    assert done.returncode == 0, done.stdout
    replayed = json.loads(done.stdout)
    assert replayed["run"]["settings"]["replayOf"] == rid and replayed["run"]["seed"] == 7
    for key in ("outcomes", "nodes", "edges", "codes"):
        assert replayed[key] == first[key], key
    diff = json.loads(cli("journey", "diff", rid, "last", "--json", home=fresh).stdout)
    assert diff["changedProfiles"] == 0 and all(d["delta"] == 0 for d in diff["nodes"])
    assert f"replay of {rid}" in cli("journey", "runs", home=fresh).stdout.splitlines()[0]
    edit_threshold(fresh, 150)
    done = run(fresh, "--replay", rid, "--expect", str(fresh / EXPECT))
    assert done.returncode == 4 and "nodes vipEvent: expected 95, got 88" in done.stdout
    diff = json.loads(cli("journey", "diff", rid, "last", "--json", home=fresh).stdout)
    assert diff["changedProfiles"] == 7 and {p["divergesAt"] for p in diff["changed"]} == {"checkValue"}
    assert {d["key"]: d["delta"] for d in diff["nodes"]}["vipEvent"] == -7
    text = cli("journey", "diff", rid, "last", "--limit", "2", home=fresh)
    assert text.returncode == 0 and "changed profiles: 7" in text.stdout and "... 5 more" in text.stdout
    assert "vipEvent" in text.stdout and "(-7)" in text.stdout


def test_a_call_the_recording_lacks_is_not_recorded_and_one_profile_replays(recorded: tuple[Path, dict]) -> None:
    fresh, summary = recorded
    rid = summary["run"]["id"]
    edit_threshold(fresh, 90)  # profiles between 90 and 100 now reach vipEvent, which they never called
    done = run(fresh, "--replay", rid, "--json")
    assert done.returncode == 0
    summary = json.loads(done.stdout)
    assert summary["codes"]["vipEvent"]["notRecorded"] == summary["outcomes"]["error"] > 0
    one = json.loads(run(fresh, "--replay", rid, "--profile", "p-000006", "--json").stdout)
    assert one["run"]["rowsRead"] == 1 and one["nodes"]["vipEvent"] == 1


def test_replay_against_the_sandbox_sends_the_same_rows_for_real(recorded: tuple[Path, dict]) -> None:
    fresh, summary = recorded
    rid = summary["run"]["id"]
    done = run(fresh, "--replay", rid, "--target", "sandbox", "--json")
    assert done.returncode == 0, done.stdout
    summary = json.loads(done.stdout)
    assert summary["run"]["targets"] == {"writeEvent": "sandbox", "vipEvent": "sandbox"}
    assert summary["run"]["settings"]["replayTarget"] == "sandbox" and summary["calls"]["writeEvent"]["targets"] == [
        "sandbox"]
    assert summary["outcomes"] == {"discarded": 3, "finished": 288, "rejected": 12}


def test_bad_input_is_named_as_json(recorded: tuple[Path, dict]) -> None:
    fresh, summary = recorded
    rid = summary["run"]["id"]
    other = json.loads((fresh / "journeys" / "sampleJourney.json").read_text())
    other.update(name="otherJourney", id="other00000000000000000000journey1")
    (fresh / "journeys" / "otherJourney.json").write_text(json.dumps(other))
    cases = [
        (("journey", "run", "sampleJourney", "--replay", "nope"), "no run 'nope'"),
        (("journey", "run", "otherJourney", "--replay", rid), "is a run of journey 'sampleJourney', not 'otherJourney'"),
        (("journey", "run", "sampleJourney", "--replay", rid, "--profile", "ghost"), "has no profile 'ghost'"),
        (("journey", "run", "sampleJourney", "--replay", rid, "--expect", str(fresh / "nope.json")), "no such file"),
        (("journey", "diff", rid, "nope"), "no run 'nope'"),
    ]
    bad = fresh / "bad.json"
    bad.write_text('{"nodes": {"vipEvent": 1')
    cases.append((("journey", "run", "sampleJourney", "--replay", rid, "--expect", str(bad)),
                  f"expectations file {bad}: not valid JSON: line 1"))
    for args, message in cases:
        done = cli(*args, "--json", home=fresh)
        assert done.returncode == 1, (args, done.stdout)
        assert message in json.loads(done.stdout)["error"]["message"], (args, done.stdout)
        assert json.loads(done.stdout)["exitCode"] == 1  # as every command's --json error says it
    done = cli("journey", "run", "sampleJourney", "--json", home=fresh)
    assert done.returncode == 2 and "--profiles FILE is required" in json.loads(done.stdout)["error"]["message"]
    assert json.loads(done.stdout)["exitCode"] == 2
    done = cli("journey", "run", "sampleJourney", "--replay", "nope", home=fresh)
    assert done.returncode == 1 and "error: no run 'nope'" in done.stderr


def test_expected_columns_alone_make_the_run_a_check(fresh: Path, tmp_path: Path) -> None:
    rows = tmp_path / "expected.csv"
    rows.write_text("profileId,event.customerId,event.value,expectedPath,expectedOutcome\n"
                    "a,c-1,50,purchase>writeEvent>checkValue>done,finished\n"
                    "b,c-2,150,purchase>writeEvent>checkValue>done,\n")
    done = run(fresh, "--profiles", str(rows), "--json")
    assert done.returncode == 4
    verdict = json.loads(done.stdout)["expectations"]
    assert verdict["profiles"] == {"checked": 2, "passed": 1, "failed": 1}
    (mismatch,) = verdict["mismatches"]
    assert mismatch["profileId"] == "b" and mismatch["actual"][-2:] == ["vipEvent", "done"]
    help_text = cli("journey", "run", "--help", home=fresh).stdout
    assert "4 the run completed but an expectation did not hold" in help_text
