"""Which history rows: the filter and the SQL it becomes, the text search through the full-text index.

The search text is split into words; a row matches when it holds every one of them, each as a
word or the start of one (`cust-4` finds cust-42), in any case. Each word is quoted for FTS5, so
its syntax characters (`"`, `*`, `(`, `:`, `-`, AND...) are searched for, never interpreted. The
index skips punctuation: a word that has some (`cust-4`, `100%`) must also appear as written
(a literal LIKE, run only on the rows the index found), and one with nothing else (`%`, `{`) is
searched for as written in every row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

_WORD = re.compile(r"[^\W_]+")  # what the index keeps of a text (unicode61: letters and digits)
_COLUMNS = ("action", "url", "outcome", "detail")  # the indexed columns of `calls`


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
        if self.tables != "calls" and all("MATCH" in c for c in self.conditions):
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

    def query(self, before: Optional[int] = None, after: Optional[int] = None) -> Query:
        """The rows as SQL; `before`/`after`: only ids below/above that one (paging by key)."""
        clauses: list[str] = []
        args: list[Any] = []
        searched = bool(self.text) and _search(self.text or "", clauses, args)
        key = "calls_text.rowid" if searched else "calls.id"
        if self.action:
            clauses.append("calls.action = ?")
            args.append(self.action)
        if self.outcome == "error":
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


def _search(text: str, clauses: list[str], args: list[Any]) -> bool:
    """Add the conditions of a search text; True when they use the full-text index."""
    words = text.split()
    indexed = [w for w in words if _WORD.search(w)]
    if indexed:
        clauses.append("calls_text MATCH ?")
        args.append(match_query(indexed))
    for word in words:
        if not _WORD.fullmatch(word):  # punctuation the index does not keep: as written
            like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(" + " OR ".join(f"calls.{c} LIKE ? ESCAPE '\\'" for c in _COLUMNS) + ")")
            args += [like] * len(_COLUMNS)
    return bool(indexed)


def match_query(words: list[str]) -> str:
    """An FTS5 query matching rows that hold every word (as a word or a word's start), each quoted."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)
