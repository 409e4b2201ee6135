"""A profiles file read for a run that takes each row's expected-outcome columns out of it (the run never
sees them: a file with them runs exactly as one without) and, with `only`, gives one profile's rows.

    with TappedSource.tap(path, journey.entry) as source:
        source.only = "p-000006"            # optional: replay one profile
        JourneyRun(...).run(source)
        source.expected                     # input row -> Expected (rows that had expectations)
"""
from __future__ import annotations

from typing import IO, Any, Iterator, Optional

from app.journeys.expect import COLUMNS, Expected, split_path
from app.journeys.model import EventNode
from app.journeys.profiles import Item, ProfileRow, ProfileSource, Rejection
from app.journeys.tracerecords import OUTCOMES


class TappedSource(ProfileSource):
    def __init__(self, stream: IO[bytes], event: Optional[EventNode] = None, fmt: Optional[str] = None,
                 name: str = "profiles") -> None:
        super().__init__(stream, event, fmt, name)
        self.only: Optional[str] = None
        self.expected: dict[int, Expected] = {}

    @classmethod
    def tap(cls, path: str, event: Optional[EventNode]) -> "TappedSource":
        """ProfileSource.open as a TappedSource (ProfilesError: the file cannot be read)."""
        source = cls.open(path, event)
        assert isinstance(source, TappedSource)
        return source

    def __iter__(self) -> Iterator[Item]:
        for item in super().__iter__():
            if isinstance(item, ProfileRow):
                if self.only is not None and item.profile_id != self.only:
                    continue
                if any(c in item.attributes for c in COLUMNS):
                    problem = self._take(item)
                    if problem is not None:
                        item = problem
            elif self.only is not None:
                continue  # a rejected row may be anyone's: not the one profile asked for
            yield item

    def _take(self, row: ProfileRow) -> Optional[Rejection]:
        """The row's expectations kept aside (a Rejection when one cannot be read)."""
        found: dict[str, Any] = {c: row.attributes.pop(c) for c in COLUMNS if c in row.attributes}
        path, outcome, end = (found.get(c) for c in COLUMNS)
        for column, value in found.items():
            if not isinstance(value, str) or not value.strip():
                return Rejection(row.row, row.line, column, "expected a text (a path is node ids joined by '>')")
        if outcome is not None and outcome not in OUTCOMES:
            return Rejection(row.row, row.line, "expectedOutcome",
                             f"unknown outcome {outcome!r}; one of {', '.join(OUTCOMES)}")
        self.expected[row.row] = Expected(split_path(path) if path is not None else None, outcome,
                                          end.strip() if end is not None else None)
        return None
