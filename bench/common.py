"""Helpers shared by the benchmarks: timing whole processes, generated workspaces."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "sample_workspace"


def median_seconds(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process, from spawn to exit."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return statistics.median(times)


def median_stamps(cmd: list[str], runs: int, env: dict[str, str] | None = None,
                  names: tuple[str, ...] = ("LISTED", "READY")) -> dict[str, float]:
    """Median time from spawning a process to each 'ACTION_STUDIO_<NAME> <epoch>' line it prints."""
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(runs):
        start = time.time()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        stamps = dict(line.split()[:2] for line in done.stdout.splitlines() if line.startswith("ACTION_STUDIO_"))
        if done.returncode != 0 or any(f"ACTION_STUDIO_{name}" not in stamps for name in names):
            raise SystemExit(f"{' '.join(cmd)} did not report {names}:\n{done.stdout}\n{done.stderr}")
        for name in names:
            times[name].append(float(stamps[f"ACTION_STUDIO_{name}"]) - start)
    return {name: statistics.median(values) for name, values in times.items()}


def copy_sample(target: Path) -> Path:
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("sample-secrets.json", ".index.json"))
    return target


def generate_workspace(target: Path, count: int) -> Path:
    """A workspace of `count` realistic actions (the sample's, renamed), written without fsync."""
    copy_sample(target)
    template = json.loads((SAMPLE / "actions" / "notifyWebhook.json").read_text())
    actions = target / "actions"
    for i in range(count):
        template["id"] = f"gen{i:029d}"
        template["name"] = f"generatedAction_{i:05d}"
        template["description"] = f"Generated action number {i} for the start-up benchmark"
        (actions / f"{template['name']}.json").write_text(json.dumps(template, indent=2))
    return target


def python_env() -> dict[str, str]:
    env = dict(os.environ)
    # Installed apps run from compiled bytecode; this machine sets PYTHONDONTWRITEBYTECODE, which
    # would make every start recompile every module and measure the compiler instead of the app.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(REPO)
    return env


PY = sys.executable


def precompile() -> None:
    """Write bytecode for the project and its libraries once, as an installation does."""
    import site

    paths = [str(REPO / "app"), str(REPO / "ui"), *site.getsitepackages()]
    subprocess.run([PY, "-m", "compileall", "-q", "-j", "0", *paths], env=python_env(), capture_output=True)


# The targets table (issue 14): every benchmark reports its rows through `report`, which prints the
# row and, when `make bench` set BENCH_RESULTS, appends it there; `python -m bench.summary` then
# prints the newcomer-readable met / not met table at the end of the run.
def report(what: str, now: str, baseline: str, ratio: float | None, target: str, met: bool | None) -> None:
    """One row of the targets table: what was measured, the value, the same-run baseline, the ratio."""
    ratio_text = "" if ratio is None else f"  ratio {ratio:.2f}"
    verdict = {True: "met", False: "NOT met", None: "no target"}[met]
    print(f"  [{verdict}] {what}: {now} (baseline {baseline}){ratio_text}; target {target}")
    path = os.environ.get("BENCH_RESULTS")
    if path:
        row = {"what": what, "now": now, "baseline": baseline, "ratio": ratio, "target": target, "met": met}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")
