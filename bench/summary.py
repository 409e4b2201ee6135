"""The end of `make bench`: every reported row as one table, with met / not met per target.

`python -m bench.summary --markdown` prints the same rows as the Markdown table of docs/benchmarks.md.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

VERDICT = {True: "met", False: "NOT MET", None: "-"}


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ratio_text(row: dict[str, Any]) -> str:
    return "" if row["ratio"] is None else f"{row['ratio']:.2f}"


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| what | now | same-run baseline | ratio | target | |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['what']} | {r['now']} | {r['baseline']} | {ratio_text(r)} | {r['target']} | {VERDICT[r['met']]} |"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(os.environ.get("BENCH_RESULTS", ""))
    if not path.is_file():
        print("no benchmark rows were reported (BENCH_RESULTS unset or empty)")
        return 0
    rows = rows_of(path)
    if "--markdown" in argv:
        print(markdown(rows))
        return 0
    width = max(len(r["what"]) for r in rows)
    print("\n== Summary (same-run baselines)")
    print(f"  {'what'.ljust(width)}  {'now':>22}  {'baseline':>22}  {'ratio':>6}  target")
    for r in rows:
        print(f"  {r['what'].ljust(width)}  {r['now']:>22}  {r['baseline']:>22}  {ratio_text(r):>6}  "
              f"{r['target']} [{VERDICT[r['met']]}]")
    missed = sum(1 for r in rows if r["met"] is False)
    met = sum(1 for r in rows if r["met"] is True)
    print(f"\n  {met} target(s) met, {missed} not met, on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
