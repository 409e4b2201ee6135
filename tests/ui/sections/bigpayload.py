"""A generated 1 MB example with 20,000 fields (shared by the 1 MB test and bench/bench_payload.py)."""
from __future__ import annotations

import json
from typing import Any


def make_example(fields: int = 20_000, size: int = 1_000_000) -> str:
    """An object of sections, each with scalars of every type and an array of objects."""
    doc: dict[str, Any] = {}
    count = section = 0
    pad = "x" * 22
    while count < fields:
        group: dict[str, Any] = {}
        for j in range(44):
            kind = j % 5
            group[f"field_{j}"] = (f"value {section}-{j} {pad}" if kind == 0 else section * 100 + j if kind == 1
                                   else j / 7 if kind == 2 else bool(j % 2) if kind == 3
                                   else "2024-05-01T10:00:00+00:00")
        group["items"] = [{"sku": f"SKU-{section}", "qty": 1, "price": 9.99, "note": pad}]
        doc[f"section_{section}"] = group
        count += 1 + 44 + 1 + 4
        section += 1
    text = json.dumps(doc, indent=2)
    steps = 0
    while len(text.encode()) < size:  # top up with long descriptions to reach the size
        # The first step cuts each description to 20 characters; every later one adds 8 ASCII bytes a
        # section, so the steps left are counted instead of dumped one by one (the same text).
        short = size - len(text.encode())
        steps += 1 if steps == 0 else -(-short // (8 * len(doc)))  # a ceiling division
        for group in doc.values():
            group["field_0"] = group["field_0"][:20] + pad + "y" * 8 * steps
        text = json.dumps(doc, indent=2)
    return text
