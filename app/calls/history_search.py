"""Which history rows: the filter and the SQL it becomes, the text search through the full-text index.

The search text is split into words; a row matches when it holds every one of them, each as a
word or the start of one (`cust-4` finds cust-42), in any case. Each word is quoted for FTS5, so
its syntax characters (`"`, `*`, `(`, `:`, `-`, AND...) are searched for, never interpreted. The
index skips punctuation: a word that has some (`cust-4`, `100%`) must also appear as written
(a literal LIKE, run only on the rows the index found), and one with nothing else (`%`, `{`) is
searched for as written in every row.

With a text search, a filter on action or outcome is given to the full-text index too (a column
filter: `outcome : ^"http 503"`) when that picks exactly the wanted values among the ones the
history holds (`Values`, read in the same transaction): the count then comes from the index alone
instead of looking up each of 50,000 matches in `calls` (issue 14: 67 ms, now a few).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Optional

_WORD = re.compile(r"[^\W_]+")  # what the index keeps of a text (unicode61: letters and digits)
_COLUMNS = ("action", "url", "outcome", "detail")  # the indexed columns of `calls`
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+")  # unicode61's tokens of an ASCII text (other characters separate)
_PLAIN = re.compile(r"[\x20-\x7e]*")  # text whose tokens _ASCII_TOKEN finds exactly as the index does


@dataclass(frozen=True)
class Values:
    """The distinct actions and outcomes the history holds (what a column filter could also match)."""

    actions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


def distinct(db: Any, column: str) -> tuple[str, ...]:
    """The distinct values of an indexed column (action, outcome), one index seek per value."""
    found: list[str] = []
    row = db.execute(f"SELECT MIN({column}) FROM calls").fetchone()
    while row is not None and row[0] is not None:
        found.append(row[0])
        row = db.execute(f"SELECT MIN({column}) FROM calls WHERE {column} > ?", (row[0],)).fetchone()
    return tuple(found)


def column_match(column: str, wanted: set[str], present: tuple[str, ...]) -> Optional[str]:
    """An FTS5 column filter matching exactly the rows whose `column` is one of `wanted`, given the
    values present; None when the index cannot tell them apart (then SQL compares the column)."""
    if not all(_PLAIN.fullmatch(v) for v in present):
        return None
    tokens = {v: tuple(t.lower() for t in _ASCII_TOKEN.findall(v)) for v in present}
    phrases = {tokens[v] for v in present if v in wanted}
    if not phrases or () in phrases:
        return None  # none held (SQL finds none at once), or a value with no word for the index
    # `^"a b"` matches a value whose tokens start with a, b: exact only if no other value's do.
    caught = {v for v in present if any(tokens[v][:len(p)] == p for p in phrases)}
    if caught != wanted & set(present):
        return None
    return f"{column} : (" + " OR ".join('^"' + " ".join(p) + '"' for p in sorted(phrases)) + ")"


@dataclass(frozen=True)
class Query:
    """A filter as SQL: the tables, the conditions and their arguments, the key rows are ordered by.

    With a text search the full-text index drives the query (joined to `calls` by id), so a page of
    the newest matches is read in key order and stops at its limit instead of collecting every match.
    Columns are named with their table (`calls.action`): the index has columns of the same names.
    """

    tables: str
    conditions: tuple[str, ...]
    args: tuple[Any, ...]
    key: str

    def select(self, columns: str, order: str = "DESC", limit: Optional[int] = None) -> tuple[str, list[Any]]:
        sql = f"SELECT {columns} FROM {self.tables}{self._where()} ORDER BY {self.key} {order}"
        return (sql + " LIMIT ?", [*self.args, limit]) if limit is not None else (sql, list(self.args))

    def count(self) -> tuple[str, list[Any]]:
        if self.tables != "calls" and all(c.startswith("calls_text") for c in self.conditions):
            return "SELECT COUNT(*) FROM calls_text" + self._where(), list(self.args)  # the index alone
        return f"SELECT COUNT(*) FROM {self.tables}{self._where()}", list(self.args)

    def _where(self) -> str:
        return (" WHERE " + " AND ".join(self.conditions)) if self.conditions else ""


@dataclass(frozen=True)
class Filter:
    """Which rows: by action, outcome (exact code, or `error` for every non-2xx), source, text."""

    action: Optional[str] = None
    outcome: Optional[str] = None
    source: Optional[str] = None
    text: Optional[str] = None

    def indexed_words(self) -> list[str]:
        """The searched words the full-text index looks up (the others are matched as written)."""
        return [w for w in words(self.text or "") if _WORD.search(w)]

    def query(self, before: Optional[int] = None, after: Optional[int] = None,
              values: Optional[Values] = None, upto: Optional[int] = None) -> Query:
        """The rows as SQL; `before`/`after`: only ids below/above that one (paging by key);
        `values`: what the history holds, to let the full-text index filter action and outcome;
        `upto`: with a text search, only the rows the index holds (ids up to that one)."""
        clauses: list[str] = []
        args: list[Any] = []
        searched = bool(self.text) and _search(self.text or "", clauses, args)
        key = "calls_text.rowid" if searched else "calls.id"
        if searched and upto is not None:
            clauses.append("calls_text.rowid <= ?")
            args.append(upto)
        by_index = self._by_index(values) if searched and values is not None else {}
        if by_index:  # the index matches the text and the columns together: one MATCH
            at = clauses.index("calls_text MATCH ?")
            args[at] = "(" + args[at] + ") AND " + " AND ".join(by_index.values())
        if self.action and "action" not in by_index:
            clauses.append("calls.action = ?")
            args.append(self.action)
        if "outcome" in by_index:
            pass
        elif self.outcome == "error":
            # A range rather than NOT LIKE 'http_2%': the same rows, and the outcome index can serve it.
            clauses.append("(calls.outcome < 'http_2' OR calls.outcome >= 'http_3')")
        elif self.outcome:
            clauses.append("calls.outcome = ?")
            args.append(self.outcome)
        if self.source:
            clauses.append("calls.source = ?")
            args.append(self.source)
        if before is not None:
            clauses.append(f"{key} < ?")
            args.append(before)
        if after is not None:
            clauses.append(f"{key} > ?")
            args.append(after)
        # CROSS JOIN: the index drives (SQLite keeps the order given); driven by an outcome index instead,
        # SQLite would run the whole text query once per row (seconds).
        tables = "calls_text CROSS JOIN calls ON calls.id = calls_text.rowid" if searched else "calls"
        return Query(tables, tuple(clauses), tuple(args), key)

    def tail_query(self, mark: int, before: Optional[int] = None, after: Optional[int] = None) -> Query:
        """A text search over the rows past the index's mark, without the index: `tail_match`
        (app.calls.history_tail, the index's rule) on each of them."""
        base = replace(self, text=None).query(before, after)
        words = " ".join(self.indexed_words())
        clauses = [*base.conditions, "calls.id > ?",  # COALESCE reads the row only if the answer is not known
                   "COALESCE(tail_known(?, calls.id, calls.time), "
                   "tail_match(?, calls.id, calls.time, calls.action, calls.url, calls.outcome, calls.detail))"]
        args = [*base.args, mark, words, words]
        _likes(self.text or "", clauses, args)
        return Query("calls", tuple(clauses), tuple(args), "calls.id")

    def _by_index(self, values: Values) -> dict[str, str]:
        """The column filters the index can apply exactly (action, outcome), by column."""
        found: dict[str, str] = {}
        if self.action:
            match = column_match("action", {self.action}, values.actions)
            if match:
                found["action"] = match
        if self.outcome:
            wanted = ({v for v in values.outcomes if is_error(v)} if self.outcome == "error" else {self.outcome})
            match = column_match("outcome", wanted, values.outcomes)
            if match:
                found["outcome"] = match
        return found


def is_error(outcome: str) -> bool:
    """The `error` filter's rule (any outcome but a 2xx answer), as its SQL range says it."""
    return not "http_2" <= outcome < "http_3"


def _search(text: str, clauses: list[str], args: list[Any]) -> bool:
    """Add the conditions of a search text; True when they use the full-text index."""
    indexed = [w for w in words(text) if _WORD.search(w)]
    if indexed:
        clauses.append("calls_text MATCH ?")
        args.append(match_query(indexed))
    _likes(text, clauses, args)
    return bool(indexed)


def _likes(text: str, clauses: list[str], args: list[Any]) -> None:
    """The conditions of the words with punctuation the index does not keep: each as written."""
    for word in words(text):
        if not _WORD.fullmatch(word):  # punctuation the index does not keep: as written
            like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(" + " OR ".join(f"calls.{c} LIKE ? ESCAPE '\\'" for c in _COLUMNS) + ")")
            args += [like] * len(_COLUMNS)


def words(text: str) -> list[str]:
    """The words of a search text: split at white space and at NUL (which FTS5's query parser
    reads as the end of the query: a word holding one made the search fail)."""
    return text.replace("\0", " ").split()


def match_query(words: list[str]) -> str:
    """An FTS5 query matching rows that hold every word (as a word or a word's start), each quoted."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)
