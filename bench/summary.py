"""The end of `make bench`: every reported row as one table, with met / not met per target."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> int:
    path = Path(os.environ.get("BENCH_RESULTS", ""))
    if not path.is_file():
        print("no benchmark rows were reported (BENCH_RESULTS unset or empty)")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    width = max(len(r["what"]) for r in rows)
    print("\n== Summary (same-run baselines)")
    print(f"  {'what'.ljust(width)}  {'now':>22}  {'baseline':>22}  {'ratio':>6}  target")
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        verdict = {True: "met", False: "NOT MET", None: "-"}[r["met"]]
        print(f"  {r['what'].ljust(width)}  {r['now']:>22}  {r['baseline']:>22}  {ratio:>6}  "
              f"{r['target']} [{verdict}]")
    missed = sum(1 for r in rows if r["met"] is False)
    met = sum(1 for r in rows if r["met"] is True)
    print(f"\n  {met} target(s) met, {missed} not met, on {os.cpu_count()} cores.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
