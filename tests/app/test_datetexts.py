"""The date patterns' verdicts, remembered per text: the same as the patterns', asked once per text."""
from __future__ import annotations

from app import datetexts
from app.datetexts import fits_date, fits_datetime, remembered
from app.model.payload import _DATE, _DATETIME


def test_the_verdicts_are_the_patterns() -> None:
    for text in ("2026-11-28T03:44:12Z", "2026-11-28 03:44", "2026-11-28T03:44:12.123456789+02:00",
                 "2026-11-28", "yesterday", "", "2026-13-45", "٢٠٢٦-11-28T03:44:12Z", "2026-11-28T03:44:12Z "):
        for _ in range(2):  # asked, then remembered
            assert fits_datetime(text) == (_DATETIME.match(text) is not None), text
            assert fits_date(text) == (_DATE.match(text) is not None), text


def test_a_text_is_matched_once_and_the_memory_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(datetexts, "REMEMBERED", 3)
    asked: list[str] = []
    fits = remembered(lambda text: asked.append(text) or (text if text.startswith("2") else None))
    assert [fits(t) for t in ("2026", "2026", "x", "x")] == [True, True, False, False]
    assert asked == ["2026", "x"]
    for text in ("a", "b", "c", "d"):
        fits(text)
    fits("2026")  # forgotten with the others once 3 were remembered: matched again
    assert asked == ["2026", "x", "a", "b", "c", "d", "2026"]
