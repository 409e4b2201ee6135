"""Profiles for the sample journey: the committed sample file, and any number for benchmarks.

    python bench/sample_profiles.py                       # rewrites the sample workspace's file
    python bench/sample_profiles.py --rows 100000 -o FILE # a big one (no bad rows unless --bad)

Rows are CSV with the columns the runner reads (app.journeys.profiles): `profileId`, the
`purchase` event's fields as `event.<path>`, profile attributes and `audiences`. Deterministic
(seeded), so the committed file only changes when this script does.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import uuid
from pathlib import Path
from typing import Iterator

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "sample_workspace" / "profiles" / "purchases.csv"
HEADER = ["profileId", "event.customerId", "event.value", "event.transaction", "event.timestamp",
          "person.name.firstName", "person.name.lastName", "loyalty.tier", "loyalty.points:integer", "audiences"]
FIRST = ["Hugh", "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Linus", "Margaret", "Tim", "Frances"]
LAST = ["Manbeing", "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Hamilton"]
TIERS = ["bronze", "silver", "gold", "platinum"]
# What a real export gets wrong, one kind per bad row: the sample shows each rejection once or twice.
BAD = [
    ("event.value", "abc"), ("event.value", "1,299.00"), ("event.value", "12.5.3"), ("event.value", "NaN"),
    ("event.timestamp", "yesterday"), ("event.timestamp", "2026-13-45"), ("loyalty.points:integer", "12.5"),
    ("loyalty.points:integer", "lots"), ("audiences", '["vip", '), ("cells", ""),
]


def rows(count: int, seed: int = 2026, bad_every: int = 0) -> Iterator[list[str]]:
    """count data rows; with bad_every=N, one row in N carries one of the BAD values."""
    rng = random.Random(seed)
    for i in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        customer = f"{first.lower()}.{last.lower()}.{i}"
        # Mostly under 100 (other cases), a third over it (the VIP path).
        value = round(rng.uniform(5, 99), 2) if rng.random() < 0.66 else round(rng.uniform(100.01, 900), 2)
        day, second = rng.randrange(1, 29), rng.randrange(86400)
        stamp = f"2026-11-{day:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
        tier = rng.choice(TIERS)
        audiences = "|".join(a for a, p in (("newsletter", 0.5), ("vip", 0.2 if tier != "platinum" else 0.9))
                             if rng.random() < p)
        row = [f"p-{i:06d}", customer, f"{value:.2f}", str(uuid.UUID(int=rng.getrandbits(128), version=4)), stamp,
               first, last, tier, str(rng.randrange(0, 5000)), audiences]
        if bad_every and i % bad_every == 0:
            column, text = BAD[(i // bad_every - 1) % len(BAD)]
            if column == "cells":
                row = row[:4]  # a truncated line: fewer cells than the header
            else:
                row[HEADER.index(column)] = text
        yield row


def write(path: Path, count: int, seed: int = 2026, bad_every: int = 0, repeats: int = 0) -> None:
    """Write the CSV; `repeats` profiles enter a second time at the end (reentrance)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        kept: list[list[str]] = []
        for row in rows(count, seed, bad_every):
            writer.writerow(row)
            if len(kept) < repeats and len(row) == len(HEADER) and row[2].replace(".", "", 1).isdigit():
                kept.append(row)
        for row in kept:
            writer.writerow([*row[:3], str(uuid.uuid5(uuid.NAMESPACE_URL, row[3])), *row[4:]])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bad", type=int, default=None, metavar="N", help="one bad row in N (sample: 25)")
    parser.add_argument("--repeats", type=int, default=None, help="profiles entering twice (sample: 3)")
    parser.add_argument("-o", "--output", type=Path, default=None)
    args = parser.parse_args(argv)
    sample = args.output is None
    write(args.output or SAMPLE, args.rows, args.seed,
          args.bad if args.bad is not None else (25 if sample else 0),
          args.repeats if args.repeats is not None else (3 if sample else 0))
    print(f"wrote {args.output or SAMPLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
