"""The pane's two banners: what blocks saving (each problem a link to its field) and the lock of an
action used in journeys (with "Duplicate to change")."""
from __future__ import annotations

import html
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QTextDocumentFragment
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui import icons
from ui.wraplabel import WrapLabel


class ProblemsBanner(QFrame):
    """Lists the blockers ('where: what'); clicking a 'where' asks for its field."""

    pathClicked = Signal(str)  # e.g. "endpoint.headers[2].name"

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveProblems")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        icon = QLabel(self)
        icon.setPixmap(icons.icon("error", "error").pixmap(20, 20))
        self.label = QLabel(self)
        self.label.setObjectName("saveProblemsText")
        self.label.setAccessibleName("What blocks saving")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self.pathClicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        """List the problems; none hides the banner."""
        if not problems:
            self.hide()
            return
        lines = []
        for p in problems:
            where, _, what = p.partition(": ")
            lines.append(f'<a href="{html.escape(where)}">{html.escape(where)}</a>: {html.escape(what)}'
                         if what else html.escape(p))
        n = len(problems)
        head = f"<b>{n} problem{'s' if n > 1 else ''} block{'s' if n == 1 else ''} saving</b>"
        self.label.setText(head + "<br>" + "<br>".join(lines))
        self.show()

    def lines(self) -> list[str]:
        """The problems shown, as plain text ([] when the banner is hidden)."""
        if self.isHidden():
            return []
        return QTextDocumentFragment.fromHtml(self.label.text()).toPlainText().splitlines()[1:]


NAME_CHARS = 20  # about the longest journey name the lock's reason shows whole (with its "(" and ",")


class LockBanner(QFrame):
    """Says why an action used in journeys is partly read-only, and offers to duplicate it."""

    duplicateRequested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lock = QLabel(self)
        lock.setPixmap(icons.icon("lock").pixmap(18, 18))
        self.text = WrapLabel(parent=self)
        self.text.setObjectName("lockReason")
        # As wide at least as a word of NAME_CHARS characters, whatever the journeys' names (longer
        # ones are elided to it): the banner's least width, hence the pane's and the window's
        # divider, follows no name.
        self._bold = self.text.font()
        self._bold.setBold(True)
        self._word = QFontMetrics(self._bold).averageCharWidth() * NAME_CHARS
        self.text.setMinimumWidth(self._word)
        duplicate = QPushButton(icons.icon("duplicate"), "Duplicate to change", self)
        duplicate.setObjectName("lockDuplicateButton")
        duplicate.setAccessibleName("Duplicate this action to change its locked parts")
        duplicate.clicked.connect(self.duplicateRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(lock, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(duplicate)
        self.hide()

    def show_lock(self, used_in: list[str]) -> str:
        """Shown when `used_in` names journeys; returns the reason ("" when not locked)."""
        reason = ""
        if used_in:
            n = len(used_in)
            more = "…" if n > 3 else ""
            used = f"Used in {n} journey{'s' if n > 1 else ''}"
            reason = f"{used} ({', '.join(used_in[:3])}{more})"
            shown = f"{used} ({', '.join(self._elided(name) for name in used_in[:3])}{more})"
            self.text.setText(f"<b>{html.escape(shown)}</b>: only the name, description, URL and "
                              "authentication can change. To change the rest, duplicate it.")
        self.text.setToolTip(reason)
        self.setVisible(bool(used_in))
        return reason

    def _elided(self, name: str) -> str:
        """A journey's name cut to the reason's least width, with the "(" and "," around it."""
        metrics = QFontMetrics(self._bold)
        return metrics.elidedText(name, Qt.TextElideMode.ElideRight, self._word - metrics.horizontalAdvance("(,"))
