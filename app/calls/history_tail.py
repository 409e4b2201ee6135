"""The text search of the rows the full-text index does not hold yet (history format 4), by the index's rule.

A row matches when each searched word, as the index reads it (its tokens, the last one a prefix:
app.calls.history_search.match_query), is in one of the columns action, url, outcome, detail.
The words' tokens come from FTS5 itself (a private in-memory index and its vocabulary), so they are
folded exactly as the real index folds them. A row of plain ASCII text is then matched by a regular
expression on its lowered text: its tokens are the runs of ASCII letters and digits, lowered
(unicode61's rule for ASCII); any other row is put in the private index once, its tokens read back
by column (the index's own folding), and each word is then a phrase of those tokens, its last one a
prefix: FTS5's rule for `"word"*`. SQLite calls `TailMatcher.match` as the SQL function `tail_match`.

Answers are remembered by words and row (its id and time: an id is reused only after a clear):
a search asks for its count and its page, and a window refreshing during a burst asks again with
more rows, so each row is read once per search text (`tail_known`, asked first, gives what is known).
"""
from __future__ import annotations

import re
import sqlite3
import threading
from typing import Optional

from app.calls.history_search import match_query

_COLUMNS = "action, url, outcome, detail"  # those of calls_text, with the same (default) tokenizer
_Word = tuple[list[str], Optional["re.Pattern[str]"]]


_REMEMBERED = 200_000  # answers kept (~20 MB at most), then forgotten all at once
# Rows whose tokens are kept (a tail's rows are asked again by each search text), then forgotten at once.
_ROWS_KEPT = 5_000
_COLUMN_AT = {"action": 0, "url": 1, "outcome": 2, "detail": 3}


class TailMatcher:
    """`match(words, id, time, action, url, outcome, detail)`: 1 when the row holds every word
    (space-separated); `known(words, id, time)`: that answer if given before, else None."""

    def __init__(self) -> None:
        self._private: Optional[sqlite3.Connection] = None  # made at the first tail search (see _db)
        self._opening = threading.Lock()
        self._patterns: dict[str, Optional[list[_Word]]] = {}
        self._answers: dict[tuple[str, int, str], int] = {}
        self._rows: dict[tuple[int, str], list[list[str]]] = {}

    def known(self, words: str, row: int, time: str) -> Optional[int]:
        return self._answers.get((words, row, time))

    def match(self, words: str, row: int, time: str, action: str, url: str, outcome: str, detail: str) -> int:
        if len(self._answers) >= _REMEMBERED:
            self._answers.clear()
        found = self._answers[words, row, time] = self._match(words, (row, time), (action, url, outcome, detail))
        return found

    def _match(self, words: str, row: tuple[int, str], columns: tuple[str, str, str, str]) -> int:
        patterns = self._patterns_of(words)
        # One text for the four columns: a NUL (which no pattern crosses) between two.
        text = "\0".join(columns)
        if patterns is None or text.count("\0") != 3:  # (a NUL of its own: rare)
            return self._by_index(words, columns)
        if not text.isascii():
            held = self._row_tokens(row, columns)
            return int(all(_phrase_in(held, tokens) for tokens, _ in patterns))
        lowered = text.lower()
        for tokens, pattern in patterns:
            # Each token as a substring first (a fast search that rejects most rows), then the phrase.
            if pattern is None or not all(t in lowered for t in tokens) or not pattern.search(lowered):
                return 0
        return 1

    def close(self) -> None:
        with self._opening:
            if self._private is not None:
                self._private.close()

    @property
    def _db(self) -> sqlite3.Connection:
        """The private index, made when first asked: every History has a matcher, and most never search
        a tail (an in-memory database and four virtual tables: ~1 ms of CPU at each history opened)."""
        if self._private is None:
            with self._opening:
                if self._private is None:
                    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                    db.execute(f"CREATE VIRTUAL TABLE one USING fts5({_COLUMNS})")
                    db.execute("CREATE VIRTUAL TABLE words USING fts5(word)")
                    db.execute("CREATE VIRTUAL TABLE words_terms USING fts5vocab(words, instance)")
                    db.execute("CREATE VIRTUAL TABLE one_terms USING fts5vocab(one, instance)")
                    self._private = db
        return self._private

    def _patterns_of(self, words: str) -> Optional[list[_Word]]:
        """Per word, its tokens and the pattern for ASCII rows (None: a word no ASCII row holds);
        None when a word has no token (only the index itself knows what it matches)."""
        if words not in self._patterns:
            if len(self._patterns) > 64:
                self._patterns.clear()
            patterns: Optional[list[_Word]] = []
            for word in words.split(" "):
                tokens = self._tokens(word)
                if not tokens:
                    patterns = None
                    break
                assert patterns is not None
                # A token starts where no letter or digit precedes; the phrase's tokens follow each other
                # within a column.
                ascii_only = all(t.isascii() and t.isalnum() for t in tokens)
                patterns.append((tokens, re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9\0]+".join(tokens), re.ASCII)
                                 if ascii_only else None))
            self._patterns[words] = patterns
        return self._patterns[words]

    def _tokens(self, word: str) -> list[str]:
        """The word's tokens as the index folds them, in order."""
        self._db.execute("INSERT INTO words (word) VALUES (?)", (word,))
        try:
            return [t for (t,) in self._db.execute("SELECT term FROM words_terms ORDER BY offset")]
        finally:
            self._db.execute("DELETE FROM words")

    def _row_tokens(self, row: tuple[int, str], columns: tuple[str, str, str, str]) -> list[list[str]]:
        """The row's tokens by column, in order, as the index folds them; read once per row (by its id and
        time), where asking the index each search text cost three statements a row."""
        found = self._rows.get(row)
        if found is None:
            if len(self._rows) >= _ROWS_KEPT:
                self._rows.clear()
            found = [[], [], [], []]
            self._db.execute(f"INSERT INTO one (rowid, {_COLUMNS}) VALUES (1, ?, ?, ?, ?)", columns)
            try:
                for term, column in self._db.execute("SELECT term, col FROM one_terms ORDER BY col, offset"):
                    found[_COLUMN_AT[column]].append(term)
            finally:
                self._db.execute("DELETE FROM one")
            self._rows[row] = found
        return found

    def _by_index(self, words: str, columns: tuple[str, ...]) -> int:
        self._db.execute(f"INSERT INTO one (rowid, {_COLUMNS}) VALUES (1, ?, ?, ?, ?)", columns)
        try:
            query = match_query(words.split(" "))
            return self._db.execute("SELECT COUNT(*) FROM one WHERE one MATCH ?", (query,)).fetchone()[0]
        finally:
            self._db.execute("DELETE FROM one")


def _phrase_in(columns: list[list[str]], tokens: list[str]) -> bool:
    """Whether a column holds the tokens one after the other, the last one as a token's start (FTS5's
    `"word"*` for a word with these tokens)."""
    *whole, last = tokens
    n = len(whole)
    for column in columns:
        for i in range(len(column) - n):
            if column[i + n].startswith(last) and column[i:i + n] == whole:
                return True
    return False
