"""Benchmark of a replay (issue 13), not a test.

N profiles (default 10,000) of the sample journey are recorded once with both action nodes on mock
targets (in-process answers: the recording costs no sandbox), then replayed: the same rows, seed and
virtual start, each call answered from the recording's SQLite file. Reported: the replay's time and
profiles per second, next to the recorded mock run's in the same process (no target: met = None).
The paths of the replay are checked to be the recording's (a wrong replay is no benchmark).

    python bench/bench_replay.py [--profiles 10000] [--concurrency 16]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from common import report  # noqa: E402
from sample_profiles import write as write_profiles  # noqa: E402

from app.journeys.actionplan import Resolvers  # noqa: E402
from app.journeys.diff import diff_runs  # noqa: E402
from app.journeys.files import load_journey  # noqa: E402
from app.journeys.profiles import ProfileSource  # noqa: E402
from app.journeys.replay import ReplaySetup  # noqa: E402
from app.journeys.runner import JourneyRun, RunOptions, RunResult  # noqa: E402
from app.journeys.targets import Target  # noqa: E402
from app.sample import seed_sample_secrets  # noqa: E402
from app.secrets import MemoryBackend, SecretStore  # noqa: E402
from app.services import SANDBOX_URL_VAR, Services  # noqa: E402

MOCKS = {"writeEvent": [{"status": 200, "body": {"inletId": "bench", "xactionId": "x-1"}}],
         "vipEvent": [{"status": 200, "body": {"ok": True, "operation_id": "op-1"}}]}


def timed(home: Path, services: Services, journey: Any, profiles: Path, options: RunOptions) -> tuple[RunResult, float]:
    actions = {n: services.workspace.load(n) for n in journey.actions_used()}
    # The URLs are built from the sample's sandbox environment; nothing is sent to it (mock, replay).
    resolver = services.resolver(overrides={SANDBOX_URL_VAR: "http://127.0.0.1:9"})
    runner = JourneyRun(home, journey, actions, engine=services.auth, resolvers=Resolvers(resolver), options=options)
    t0 = time.perf_counter()
    with ProfileSource.open(profiles, journey.entry) as source:
        result = runner.run(source)
    return result, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-replay-"))
    try:
        home = tmp / "workspace"
        shutil.copytree(ROOT / "resources" / "sample_workspace", home)
        secrets = SecretStore(MemoryBackend())
        seed_sample_secrets(secrets)
        services = Services.open(home, secrets)
        journey = load_journey(home, "sampleJourney")
        profiles = tmp / "profiles.csv"
        write_profiles(profiles, args.profiles)
        targets = {}
        for node, responses in MOCKS.items():
            (tmp / f"{node}.json").write_text(json.dumps(responses))
            targets[node] = Target.parse(f"mock:{node}.json", tmp)
        recorded, record_s = timed(home, services, journey, profiles,
                                   RunOptions(seed=1, concurrency=args.concurrency, targets=targets))
        setup = ReplaySetup.open(home, recorded.run_id, journey)
        try:
            options = RunOptions(setup.preset, setup.seed, args.concurrency, setup.targets(journey), start=setup.start,
                                 notes=setup.notes())
            replayed, replay_s = timed(home, services, journey, profiles, options)
        finally:
            setup.close()
        changed = diff_runs(home, recorded.run_id, replayed.run_id).changed_count
        services.close()
        if changed:
            raise SystemExit(f"the replay changed {changed} profiles: not a faithful replay")
        n = replayed.rows_read
        print(f"{n:,} profiles: recorded (mock targets) in {record_s:.2f} s, replayed in {replay_s:.2f} s "
              f"({n / replay_s:,.0f} profiles/s), outcomes {replayed.outcomes}, paths identical")
        report(f"replay of {n:,} profiles from a recording", f"{replay_s:.2f} s, {n / replay_s:,.0f} profiles/s",
               f"the mock run that recorded them {record_s:.2f} s", record_s / replay_s, "none", None)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
