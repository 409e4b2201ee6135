"""An expression box: a line edit checked as you type (syntax, references and type, each problem
with its line and column) and completing the word at the cursor from the journey's fields,
profile attributes, upstream action responses, journey properties and function names.

The box only says what is wrong; the editor decides what to do with a text that has errors (it
refuses it and keeps the last good value)."""
from __future__ import annotations

import re
from typing import Callable, Optional

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QWidget

from app.journeys.findings import Finding
from ui.icons import error_color, warning_color

Checker = Callable[[str], list[Finding]]
# Where the word being typed starts: after a space, an operator, a parenthesis or a comma.
_WORD_START = re.compile(r"[^\s(),+\-*/%<>=!]*$")


class ExprBox(QLineEdit):
    committed = Signal(str)  # editing finished on a text without errors

    def __init__(self, text: str, checker: Checker, words: Callable[[], list[str]],
                 parent: Optional[QWidget] = None) -> None:
        super().__init__(text, parent)
        self.checker, self.words = checker, words
        self.findings: list[Finding] = []
        self.problem = QLabel(parent)
        self.problem.setObjectName("journeyExprProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.activated.connect(self.insert_completion)
        self.textEdited.connect(self._complete)
        self.textChanged.connect(self.check)
        self.editingFinished.connect(self._finished)
        self._committed = text
        self.check()

    # -- checking --------------------------------------------------------------------------------
    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def check(self) -> None:
        self.findings = self.checker(self.text())
        shown = self.errors or self.findings
        if not shown:
            self.problem.hide()
            self.setToolTip("")
            return
        lines = [_describe(f) for f in shown]
        self.problem.setText("\n".join(lines))
        palette = self.problem.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color() if self.errors else warning_color())
        self.problem.setPalette(palette)
        self.problem.show()
        self.setToolTip("\n".join(lines + [f.excerpt for f in shown[:1] if f.excerpt]))

    def _finished(self) -> None:
        if not self.errors and self.text() != self._committed:
            self._committed = self.text()
            self.committed.emit(self.text())

    # -- completion -------------------------------------------------------------------------------
    def prefix(self) -> str:
        """The word being typed: from the last separator before the cursor."""
        found = _WORD_START.search(self.text()[: self.cursorPosition()])
        return found.group(0) if found else ""

    def _complete(self) -> None:
        prefix = self.prefix()
        if len(prefix) < 1:
            self.completer_.popup().hide()
            return
        self._model.setStringList(self.words())
        self.completer_.setCompletionPrefix(prefix)
        if self.completer_.completionCount():
            rect = self.cursorRect()
            rect.setWidth(max(360, self.width() // 2))
            self.completer_.complete(rect)
        else:
            self.completer_.popup().hide()

    def insert_completion(self, word: str) -> None:
        """Replace the word being typed by the chosen one."""
        at = self.cursorPosition()
        start = at - len(self.prefix())
        text = self.text()
        self.setText(text[:start] + word + text[at:])
        self.setCursorPosition(start + len(word))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer_.popup()
        if popup.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                                                 Qt.Key.Key_Escape):
            event.ignore()  # the completer's popup takes these
            return
        super().keyPressEvent(event)


def _describe(finding: Finding) -> str:
    where = f"line {finding.line}, column {finding.column}: " if finding.line is not None else ""
    expected = f" (expected {', '.join(finding.expected[:4])})" if finding.expected else ""
    return f"{finding.severity}: {where}{finding.message}{expected}"
