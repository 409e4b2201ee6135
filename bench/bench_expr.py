"""Benchmark (not a test): expression evaluations per second, as the runner does them for 100,000 profiles.

Prints the cost of a first parse (uncached), then evaluations per second of a typical condition, of a
mapping, through evaluate() (typed Value) and through explain() (the operands recorded for the trace).
Run: .venv/bin/python bench/bench_expr.py
"""
from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.journeys.expr import Context, evaluate, explain, parse  # noqa: E402
from app.journeys.expr.parser import parse as cached_parse  # noqa: E402

CONDITION = ('@event{purchase.value} > 100 and #{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier} != "banned"'
             ' and @action{writeJourneyEvent.jo_status_code} == "http_200"')
MAPPING = '"vip_" + @event{purchase.customerId}'
COLLECTION = 'count(@event{purchase.items.all(currentEventField.price > 20).sku}) > 0'
PROFILES = 100_000


def contexts(n: int) -> list[Context]:
    rng = random.Random(1)
    now = datetime(2024, 3, 10, tzinfo=timezone.utc)
    return [Context(events={"purchase": {"value": rng.randint(1, 300), "customerId": f"c-{i}",
                                         "items": [{"sku": "A", "price": 10},
                                                   {"sku": "B", "price": rng.randint(1, 60)}]}},
                    profile={"loyalty.tier": rng.choice(["gold", "banned", "silver"])},
                    actions={"writeJourneyEvent": {"jo_status_code": "http_200"}}, now=now, tz="Europe/Paris", rng=rng)
            for i in range(n)]


def rate(label: str, run: Callable[[Context], Any], ctxs: list[Context]) -> None:
    start = time.perf_counter()
    for ctx in ctxs:
        run(ctx)
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {len(ctxs) / elapsed:12,.0f} per second  ({elapsed * 1e6 / len(ctxs):.2f} µs each)")


def main() -> None:
    start = time.perf_counter()
    parse("1 + 1")
    print(f"  {'grammar load + first parse':<52} {(time.perf_counter() - start) * 1000:12.1f} ms")
    start = time.perf_counter()
    for i in range(1000):
        cached_parse.__wrapped__(f"{CONDITION} and {i} > 0")  # type: ignore[attr-defined]
    print(f"  {'parse + build a condition (uncached)':<52} {(time.perf_counter() - start) * 1000:12.3f} µs each")
    ctxs = contexts(PROFILES)
    condition, mapping, collection = parse(CONDITION).compiled, parse(MAPPING).compiled, parse(COLLECTION).compiled
    rate("condition, compiled closure", condition, ctxs)
    rate("mapping (string +), compiled closure", mapping, ctxs)
    rate("collection .all() + count(), compiled closure", collection, ctxs)
    rate("condition through evaluate(text) (cache lookup, Value)", lambda c: evaluate(CONDITION, c), ctxs)
    rate("condition through explain() (operands for the trace)", lambda c: explain(CONDITION, c), ctxs)


if __name__ == "__main__":
    main()
