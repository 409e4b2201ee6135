"""Benchmark of a local journey run (issue 10), not a test.

1. N profiles (default 10,000) through the sample journey against the sandbox running in its own
   process, with the runner (`app.journeys.runner.JourneyRun`: rows streamed and typed, expressions
   evaluated, values checked, requests built, the call engine with its retries and cap, every step
   and attempt traced to SQLite), compared with a plain aiohttp loop making the same calls (same
   URLs, headers and bodies; the VIP purchases call the second action too) at the same concurrency,
   on the same event loop, in the same run. Targets: the runner at >= 0.8 of the aiohttp loop's calls
   per second (issue 14; issue 10 asked >= 0.5, i.e. 5,000 calls/s where the loop does 10,000), with
   the token fetched once per run. The CPU each spends per call is reported too, the whole process's
   (getrusage: every thread, the trace writer's too; on 2 cores, with the sandbox on one, that is what
   sets the calls per second) and the event loop thread's: unlike calls per second, CPU time hardly
   moves when other work loads the machine.
2. The peak memory (RSS) of a run of M profiles (default 100,000) in a fresh process, against that
   process's memory after start-up (imports, workspace, sandbox connection ready). Target: < 100 MB more.

    python bench/bench_journey.py [--profiles 10000] [--concurrency 16] [--rounds 5]
                                  [--memory-profiles 100000] [--check]
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from bench_batch import aiohttp_loop, counters, sandbox_process  # noqa: E402
from common import report as report_row  # noqa: E402
from sample_profiles import write as write_profiles  # noqa: E402

from app.calls.batch import loop_factory  # noqa: E402
from app.calls.build import prepare  # noqa: E402
from app.journeys.actionplan import Resolvers  # noqa: E402
from app.journeys.files import load_journey  # noqa: E402
from app.journeys.profiles import ProfileSource  # noqa: E402
from app.journeys.runner import JourneyRun, RunOptions  # noqa: E402
from app.journeys.tracereader import TraceReader  # noqa: E402
from app.sample import seed_sample_secrets  # noqa: E402
from app.secrets import MemoryBackend, SecretStore  # noqa: E402
from app.services import SANDBOX_URL_VAR, Services  # noqa: E402

TARGET_RATIO = 0.8  # issue 14
TARGET_RATIO_10 = 0.5  # issue 10: 5,000 calls/s where the loop does 10,000
TARGET_MB = 100


def workspace(tmp: Path) -> tuple[Path, Services]:
    home = tmp / "workspace"
    if not home.exists():
        shutil.copytree(ROOT / "resources" / "sample_workspace", home)
    secrets = SecretStore(MemoryBackend())
    seed_sample_secrets(secrets)
    return home, Services.open(home, secrets)


def plain_requests(services: Services, resolver: Any, journey: Any,
                   profiles: Path) -> list[tuple[str, str, dict[str, str], bytes]]:
    """The calls the sample journey makes for these profiles, as a plain loop would send them."""
    write, vip = (services.workspace.load(n) for n in ("writeJourneyEvent", "airshipCustomEvent"))
    out = []
    for action in (write, vip):
        services.auth.credentials(action.auth, resolver)  # cached: the loop carries the same token
    prepared = {a.name: (prepare(a, resolver), services.auth.credentials(a.auth, resolver)[0]) for a in (write, vip)}
    with profiles.open(newline="") as f:
        for row in csv.DictReader(f):
            calls = [("writeJourneyEvent", {
                "body.xdmEntity._yourOrg.journeyVersionId": journey.version_id,
                "body.xdmEntity._yourOrg.nodeId": "writeEvent",
                "body.xdmEntity._yourOrg.customer_Id": row["event.customerId"],
                "body.xdmEntity.eventType": "journey.step", "body.xdmEntity.timestamp": row["event.timestamp"]})]
            if float(row["event.value"]) > 100:
                calls.append(("airshipCustomEvent", {
                    "user.named_user_id": row["event.customerId"], "body.name": "vip_purchase",
                    "body.value": float(row["event.value"]), "body.transaction": row["event.transaction"]}))
            for name, values in calls:
                p, creds = prepared[name]
                req = p.render(p.check(values))
                out.append((req.method, req.url, {**req.headers, **creds}, req.body or b""))
    return out


def run_once(home: Path, services: Services, resolver: Any, journey: Any, profiles: Path, concurrency: int) -> dict:
    actions = {n: services.workspace.load(n) for n in journey.actions_used()}
    runner = JourneyRun(home, journey, actions, engine=services.auth, resolvers=Resolvers(resolver),
                        options=RunOptions(seed=1, concurrency=concurrency))
    t0, cpu0, thread0 = time.perf_counter(), _process_cpu(), time.thread_time()
    with ProfileSource.open(profiles, journey.entry) as source:
        result = runner.run(source)
    seconds, cpu = time.perf_counter() - t0, _process_cpu() - cpu0  # cpu: every thread (the trace writer's too)
    thread = time.thread_time() - thread0  # the event loop's thread only
    with TraceReader(result.path) as reader:
        calls = sum(c["attempts"] for c in reader.calls().values())
        codes = reader.codes()
    result.path.unlink()
    return {"seconds": seconds, "cpu": cpu, "thread": thread, "calls": calls, "outcomes": result.outcomes,
            "codes": codes}


def _process_cpu() -> float:
    """CPU seconds of this whole process so far, user and system, every thread (getrusage RUSAGE_SELF)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def throughput(args: argparse.Namespace, tmp: Path, base: str) -> dict[str, Any]:
    home, services = workspace(tmp)
    resolver = services.resolver(overrides={SANDBOX_URL_VAR: base})
    journey = load_journey(home, "sampleJourney")
    profiles = tmp / "profiles.csv"
    write_profiles(profiles, args.profiles, seed=2026)
    raw = plain_requests(services, resolver, journey, profiles)
    runner_rates, plain_rates, tokens = [], [], []
    cpu: dict[str, list[float]] = {"runner": [], "plain": [], "runner-thread": [], "plain-thread": []}
    for _ in range(args.rounds):
        with asyncio.Runner(loop_factory=loop_factory()) as loop:
            cpu0, thread0 = _process_cpu(), time.thread_time()
            seconds, ok = loop.run(aiohttp_loop(raw, args.concurrency))
            cpu["plain"].append((_process_cpu() - cpu0) / len(raw))
            cpu["plain-thread"].append((time.thread_time() - thread0) / len(raw))
        assert ok == len(raw), f"aiohttp loop: {ok} of {len(raw)} succeeded"
        plain_rates.append(len(raw) / seconds)
        services.auth.cache.clear()  # each run fetches its own token: counted below
        before = counters(base).get("token", 0)
        done = run_once(home, services, resolver, journey, profiles, args.concurrency)
        tokens.append(counters(base).get("token", 0) - before)
        assert done["calls"] == len(raw), f"the runner made {done['calls']} calls, the loop {len(raw)}"
        assert done["outcomes"] == {"finished": args.profiles}, done
        runner_rates.append(done["calls"] / done["seconds"])
        cpu["runner"].append(done["cpu"] / done["calls"])
        cpu["runner-thread"].append(done["thread"] / done["calls"])
    services.close()
    return {"calls": len(raw), "runner": runner_rates, "plain": plain_rates, "tokens": tokens, "cpu": cpu}


def memory(args: argparse.Namespace, tmp: Path, base: str) -> dict[str, Any]:
    profiles = tmp / "profiles-memory.csv"
    write_profiles(profiles, args.memory_profiles, seed=7)
    done = subprocess.run([sys.executable, __file__, "--memory-child", base, str(profiles), str(tmp),
                           "--concurrency", str(args.concurrency)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"the memory run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_child(base: str, profiles: Path, tmp: Path, concurrency: int) -> int:
    """In a fresh process: memory after start-up, then the peak during a run of every profile."""
    home, services = workspace(tmp / "memory")
    resolver = services.resolver(overrides={SANDBOX_URL_VAR: base})
    journey = load_journey(home, "sampleJourney")
    services.auth.credentials(services.workspace.load("writeJourneyEvent").auth, resolver)  # connected, token cached
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak: what follows is the run's
    except OSError:
        pass
    startup = _status_kb("VmRSS")
    done = run_once(home, services, resolver, journey, profiles, concurrency)
    peak = _status_kb("VmHWM")
    print(json.dumps({"startupMb": startup / 1024, "peakMb": peak / 1024, "seconds": done["seconds"],
                      "calls": done["calls"], "outcomes": done["outcomes"]}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--memory-profiles", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=16)
    # Five rounds: on a 2-core VM one round's ratio moves 0.43-0.77 with the neighbours; the median of
    # three read 0.49-0.59 run to run at the same code, of five 0.55-0.58.
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--memory-child", nargs=3, metavar=("BASE", "PROFILES", "TMP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        base, profiles, tmp = args.memory_child
        return memory_child(base, Path(profiles), Path(tmp), args.concurrency)
    tmp = Path(tempfile.mkdtemp(prefix="bench-journey-"))
    try:
        with sandbox_process() as base:
            speed = throughput(args, tmp, base)
            mem = memory(args, tmp, base) if args.memory_profiles else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report(speed, mem, args)


def report(speed: dict[str, Any], mem: Any, args: argparse.Namespace) -> int:
    best_runner, best_plain = max(speed["runner"]), max(speed["plain"])
    ratio = best_runner / best_plain
    print(f"{args.profiles} profiles through sampleJourney ({speed['calls']} calls), concurrency {args.concurrency}, "
          f"sandbox in a separate process, {args.rounds} rounds; "
          f"event loop: {'uvloop' if loop_factory() else 'asyncio'}")
    print(f"  runner (traced)  {best_runner:8.0f} calls/s  (rounds: {', '.join(f'{r:.0f}' for r in speed['runner'])})")
    print(f"  aiohttp loop     {best_plain:8.0f} calls/s  (rounds: {', '.join(f'{r:.0f}' for r in speed['plain'])})")
    print(f"  ratio {ratio:.2f}; token fetches per run: {speed['tokens']}")
    # Each round's runner against the loop just before it (a busy machine slows rounds, not one side),
    # and the CPU each spends per call (this process only: the sandbox runs apart).
    rounds = [r / p for r, p in zip(speed["runner"], speed["plain"], strict=True)]
    cpu_us = {k: statistics.median(v) * 1e6 for k, v in speed["cpu"].items()}
    print(f"  per round: {', '.join(f'{r:.2f}' for r in rounds)} (median {statistics.median(rounds):.2f}); "
          f"CPU per call: runner {cpu_us['runner']:.0f} us ({cpu_us['runner-thread']:.0f} on the loop's thread), "
          f"aiohttp loop {cpu_us['plain']:.0f} us")
    # The verdict: the median of the rounds' ratios. A best-of-3 on each side read 1.06 on a loaded
    # machine when one runner round fell in a quiet moment; a round against the loop just before it
    # is the honest pairing.
    ratio = statistics.median(rounds)
    what = f"journey runner ({args.profiles} profiles, sample journey) vs a plain aiohttp loop, concurrency " \
           f"{args.concurrency}, median of the rounds' ratios"
    now = f"{statistics.median(speed['runner']):.0f} calls/s"
    baseline = f"{statistics.median(speed['plain']):.0f} calls/s"
    report_row(what, now, baseline, ratio, f">= {TARGET_RATIO} (issue 14)", ratio >= TARGET_RATIO)
    report_row("journey runner calls/s where the loop does 10,000 (scaled: loop here "
               f"{statistics.median(speed['plain']):.0f})", f"{10_000 * ratio:.0f} calls/s", "10000 calls/s", ratio,
               f">= 5000 calls/s, i.e. >= {TARGET_RATIO_10} (issue 10)", ratio >= TARGET_RATIO_10)
    report_row("journey runner: CPU per call, whole process (getrusage, every thread)", f"{cpu_us['runner']:.0f} us",
               f"{cpu_us['plain']:.0f} us (aiohttp loop)", cpu_us["plain"] / cpu_us["runner"],
               "none (what sets the calls per second on 2 cores; hardly moved by other load)", None)
    report_row("journey runner: CPU per call on the event loop's thread", f"{cpu_us['runner-thread']:.0f} us",
               f"{cpu_us['plain-thread']:.0f} us (aiohttp loop)", cpu_us["plain-thread"] / cpu_us["runner-thread"],
               "none (the throughput the CPU allows, load-independent)", None)
    missed = ratio < TARGET_RATIO or any(t != 1 for t in speed["tokens"])
    if mem is not None:
        more = mem["peakMb"] - mem["startupMb"]
        print(f"\n{args.memory_profiles} profiles in a fresh process ({mem['calls']} calls in {mem['seconds']:.0f} s): "
              f"after start-up {mem['startupMb']:.0f} MB, peak {mem['peakMb']:.0f} MB: {more:+.0f} MB")
        report_row(f"journey run of {args.memory_profiles} profiles: peak memory over start-up", f"{more:+.0f} MB",
                   f"{mem['startupMb']:.0f} MB after start-up", None, f"< {TARGET_MB} MB more (issue 10)",
                   more < TARGET_MB)
        missed |= more >= TARGET_MB
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
