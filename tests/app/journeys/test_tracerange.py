"""A profile's steps and attempts are a range of ids (tracereader.rows_of): found by searching the rowid,
whatever the profiles' sizes, gaps in the ids, or the search's guesses."""
from __future__ import annotations

import sqlite3
from contextlib import closing

from hypothesis import given, settings
from hypothesis import strategies as st

from app.journeys.tracereader import rows_of


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=400), st.lists(st.integers(0, 3), max_size=400),
       st.lists(st.integers(0, 450), min_size=1, max_size=12))
def test_a_profiles_rows_are_the_range_the_search_finds(sizes: list[int], gaps: list[int], asked: list[int]) -> None:
    """Profiles of 0-9 rows each, ids with gaps between profiles (a batch rolled back), any profile asked,
    one or a span of them: the range holds exactly their rows."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE step (id INTEGER PRIMARY KEY, profile_seq INTEGER NOT NULL)")
        rows, at = [], 0
        for seq, size in enumerate(sizes, 1):
            at += gaps[seq - 1] if seq <= len(gaps) else 0
            for _ in range(size):
                at += 1
                rows.append((at, seq))
        db.executemany("INSERT INTO step VALUES (?, ?)", rows)
        for first, last in zip(asked, asked[1:] + asked[:1], strict=True):
            lo, hi = rows_of(db, "step", first, last)
            wanted = [i for i, seq in rows if first <= seq <= last]
            assert [i for (i,) in db.execute("SELECT id FROM step WHERE id BETWEEN ? AND ?", (lo, hi))] == wanted
