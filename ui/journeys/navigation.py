"""Keyboard moves between the diagram's nodes, over the layout only (no Qt): right follows an edge,
left goes back along one, up / down stay in the column, next / previous read column by column."""
from __future__ import annotations

from typing import Optional

from app.journeys.layout import Layout


def neighbour(result: Layout, current: Optional[str], move: str) -> Optional[str]:
    """The node a move lands on, None when there is none that way (no current: the first node)."""
    reading = sorted(result.nodes.values(), key=lambda p: (p.layer, p.order))
    if not reading:
        return None
    if current is None or current not in result.nodes:
        return reading[0].id if move != "previous" else reading[-1].id
    here = result.nodes[current]
    if move in ("next", "previous"):
        index = [p.id for p in reading].index(current) + (1 if move == "next" else -1)
        return reading[index].id if 0 <= index < len(reading) else None
    if move in ("up", "down"):
        column = [p for p in reading if p.layer == here.layer]
        index = column.index(here) + (1 if move == "down" else -1)
        return column[index].id if 0 <= index < len(column) else None
    ends = [r.target for r in result.edges if r.source == current] if move == "right" else \
        [r.source for r in result.edges if r.target == current]
    # Of several, the one closest in height: arrows follow the eye.
    ends = sorted(set(ends), key=lambda n: (abs(result.nodes[n].center[1] - here.center[1]), result.nodes[n].order))
    return ends[0] if ends else None
