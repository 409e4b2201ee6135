"""The run's live counts: what the board counts per profile and what a snapshot gives."""
from __future__ import annotations

from app.journeys.progress import ProgressBoard, RunProgress


def test_the_board_counts_outcomes_and_last_nodes_in_plain_dicts_and_snapshots_copy_them() -> None:
    seen: list[RunProgress] = []
    board = ProgressBoard(seen.append, interval_s=3600.0)
    for outcome, last in (("finished", "end"), ("finished", "end"), ("error", "call"), ("rejected", None)):
        board.finished(outcome, last)
    # Plain dicts: a Counter's `+=` on every profile cost ~3x a dict's get and set on the run's loop.
    assert type(board.outcomes) is dict and all(type(v) is dict for v in board.stopped.values())
    assert board.outcomes == {"finished": 2, "error": 1, "rejected": 1} and board.done == 4
    assert board.stopped == {"end": {"finished": 2}, "call": {"error": 1}}
    board.publish(final=True)
    final = seen[-1]
    assert final.final and final.outcomes == board.outcomes and final.stopped == board.stopped
    board.finished("finished", "end")  # a snapshot is a copy: later counts do not change it
    assert final.outcomes["finished"] == 2 and final.stopped["end"] == {"finished": 2}
    assert len(seen) == 2  # the first profile published (none before), then the final one only
