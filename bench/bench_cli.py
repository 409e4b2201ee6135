"""Benchmark (not a test): what a command costs before its own work, in CPU time (the machine may be loaded).

- The parser of one command, in process: only the parsers of the command's path (`action list`: the
  program's, `action`'s and `list`'s) against every parser of the command's module, as each command
  built them before (the baseline, same run).
- A command name not known, as a process: its error lists the names without loading any command's
  module; the baseline is `--help`, which loads them all (as a wrong name did before).
Run: .venv/bin/python bench/bench_cli.py
"""
from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PY, precompile, python_env, report  # noqa: E402

from app.cli.main import build_parser, modules_for  # noqa: E402

RUNS = 300
PROCESS_RUNS = 5
# The commands with many verbs carry the target; history's four verbs are printed for information.
COMMANDS = ((["action", "list"], True), (["journey", "list"], True), (["history", "list"], False))


def parse_cpu(argv: list[str], words: list[str] | None) -> float:
    """CPU seconds to build the parser for argv (`words` None: every parser of its module) and parse it."""
    build_parser(modules_for(argv), False, words).parse_args(argv)  # the modules imported before timing
    start = time.process_time()
    for _ in range(RUNS):
        build_parser(modules_for(argv), False, words).parse_args(argv)
    return (time.process_time() - start) / RUNS


def process_cpu(args: list[str]) -> float:
    """Median CPU seconds (user + system) of `python -m app ARGS` as a whole process."""
    env = python_env()
    times = []
    for _ in range(PROCESS_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([PY, "-m", "app", *args], env=env, capture_output=True, timeout=120)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return sorted(times)[len(times) // 2]


def main() -> None:
    precompile()
    print(f"a command's parser, in process (CPU, mean of {RUNS})")
    for argv, targeted in COMMANDS:
        now, whole = parse_cpu(argv, list(argv)), parse_cpu(argv, None)
        report(f"parser of `{' '.join(argv)}`", f"{now * 1000:.2f} ms CPU",
               f"every parser of its module {whole * 1000:.2f} ms", now / whole,
               "<= 0.5x" if targeted else "none (for information)", now / whole <= 0.5 if targeted else None)
    print(f"a command name not known, whole process (CPU, median of {PROCESS_RUNS})")
    wrong, every = process_cpu(["nope"]), process_cpu(["--help"])
    report("`action-studio nope` (usage error)", f"{wrong * 1000:.0f} ms CPU",
           f"--help, every command loaded {every * 1000:.0f} ms", wrong / every, "<= 0.5x", wrong / every <= 0.5)


if __name__ == "__main__":
    main()
