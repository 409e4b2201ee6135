"""The date patterns of type_problem (app.model.payload), their verdict remembered per text (an LRU cache).

A run's date-times are each checked where its row is read (app.journeys.cells) and again where a call's
values are (app.calls.values: the same text), and the pattern costs ~1 us a match (sre with Unicode
digits); a verdict remembered is a dict lookup. Its own module: both paths import it, and neither pulls
in the other's package.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from app.model.payload import _DATE, _DATETIME

REMEMBERED = 4096  # texts a matcher remembers: a run's come and go, the memory stays bounded


def remembered(match: Callable[[str], Any]) -> Callable[[str], bool]:
    """Whether a text matches (`match(text) is not None`), remembered per text."""
    @functools.lru_cache(maxsize=REMEMBERED)
    def fits(text: str) -> bool:
        return match(text) is not None
    return fits


fits_datetime, fits_date = remembered(_DATETIME.match), remembered(_DATE.match)
