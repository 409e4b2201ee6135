"""Benchmark (not a test): a keystroke in the action list's search over 10,000 actions (issue 14:
one frame, 16 ms), worst and median, against the QSortFilterProxyModel it replaced (same run).

The real `ActionListWidget` is shown (560x850, its share of the window), keys are typed into its search
box with QTest and each keystroke is timed until the event loop has run once more, which paints what
changed (the line edit, the table, the count; the paints are counted): narrowing ("generatedaction_0042"
typed letter by letter), widening (backspaces), a description word and a URL.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_filter.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import report  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.listing import ActionSummary  # noqa: E402

TARGET_MS = 16.0
COUNT = 10_000
TYPED = ["generatedaction_0042", "\b" * 20, "number 77", "\b" * 9, "echo/notify", "\b" * 11]


class OldProxy(QSortFilterProxyModel):
    """The proxy before issue 14 (ui/actionlist/model.py): Qt asks filterAcceptsRow per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_text(self, text: str) -> None:
        needle = text.strip().lower()
        if needle == self._needle:
            return
        self.beginFilterChange() if hasattr(self, "beginFilterChange") else None
        self._needle = needle
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def text(self) -> str:
        return self._needle

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        if not self._needle:
            return True
        s = self.sourceModel().summary(source_row)
        return any(self._needle in text.lower() for text in (s.name, s.description, s.url))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def proxy_row_of(self, name: str) -> int:
        src = self.sourceModel().row_of(name)
        return -1 if src < 0 else self.mapFromSource(self.sourceModel().index(src, 0)).row()


class PaintCounter(QObject):
    count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def summaries() -> list[ActionSummary]:
    return [ActionSummary(name=f"generatedAction_{i:05d}", method="POST", auth="none",
                          description=f"Generated action number {i} for the start-up benchmark",
                          modified="2026-11-23T12:00:00+00:00", url=f"{{{{baseUrl}}}}/echo/notify/{i}")
            for i in range(COUNT)]


def keystrokes(app: QApplication, proxy_class: Any) -> tuple[list[float], list[str]]:
    """Per keystroke, ms until the list has repainted; and what the list showed after each word."""
    import ui.actionlist.view as view

    original, view.ActionFilterProxy = view.ActionFilterProxy, proxy_class
    try:
        widget = view.ActionListWidget()
    finally:
        view.ActionFilterProxy = original
    widget.resize(560, 850)
    widget.model.set_summaries(summaries())
    widget.show()
    widget.select("generatedAction_00420")
    app.processEvents()
    widget.search.setFocus()
    paints = PaintCounter()
    widget.table.viewport().installEventFilter(paints)
    times, seen = [], []
    for word in TYPED:
        for char in word:
            started = time.perf_counter()
            if char == "\b":
                QTest.keyClick(widget.search, Qt.Key.Key_Backspace)
            else:
                QTest.keyClicks(widget.search, char)
            app.processEvents()  # the paint: Qt repaints what the keystroke changed
            times.append((time.perf_counter() - started) * 1000)
        seen.append(f"{widget.search.text()!r}: {widget.proxy.rowCount()} rows")
    widget.close()
    assert paints.count >= len(TYPED) - 1, f"the table was painted {paints.count} times: not measuring paints"
    return times, seen


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from ui.actionlist.filterproxy import ActionFilterProxy

    keystrokes(app, ActionFilterProxy)  # warm-up: imports, enum types, fonts
    old, old_seen = keystrokes(app, OldProxy)
    new, new_seen = keystrokes(app, ActionFilterProxy)
    assert old_seen == new_seen, (old_seen, new_seen)
    print(f"{len(new)} keystrokes in the search of {COUNT:,} actions: " + "; ".join(new_seen))
    for label, times in (("before (QSortFilterProxyModel)", old), ("after (ActionFilterProxy)", new)):
        print(f"  {label:<32} worst {max(times):6.1f} ms   median {statistics.median(times):5.1f} ms")
    report("filter keystroke on 10,000 actions, worst", f"{max(new):.1f} ms", f"old proxy {max(old):.1f} ms",
           max(new) / max(old), f"<= {TARGET_MS:.0f} ms", max(new) <= TARGET_MS)
    report("filter keystroke on 10,000 actions, median", f"{statistics.median(new):.1f} ms",
           f"old proxy {statistics.median(old):.1f} ms", statistics.median(new) / statistics.median(old),
           f"<= {TARGET_MS:.0f} ms", statistics.median(new) <= TARGET_MS)


if __name__ == "__main__":
    main()
