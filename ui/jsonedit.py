"""A JSON text editor: monospace, line numbers, the error marked on its line, validation on pause.

Validation runs when typing pauses (a ~250 ms debounce) and off the UI thread, so even a 1 MB
document never makes typing stutter. A validator may return any value (a parsed payload...) that
comes back through `validated`; it raises `JsonError` (line, column, message) to mark a line.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRect, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QWidget

from app.model.payload import JsonError, parse_json
from ui import icons
from ui.naming import name_parts

DEBOUNCE_MS = 250
Validator = Callable[[str], Any]
_UNCHECKED = object()


class Problem:
    """What is wrong with the text: a message and, when known, the 1-based line and column."""

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None) -> None:
        self.message, self.line, self.column = message, line, column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column or 1}: {self.message}"


def problem_of(exc: BaseException) -> Problem:
    """Turn a validator's exception into a Problem (JsonError and friends carry line/column)."""
    line = getattr(exc, "line", None)
    if isinstance(line, int):
        return Problem(getattr(exc, "message", str(exc)), line, getattr(exc, "column", 1))
    return Problem(str(exc))


def key_position(text: str, key: str) -> Optional[tuple[int, int]]:
    """The 1-based (line, column) of the first `"key":` in a JSON text, or None."""
    match = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)
    if match is None:
        match = re.search(re.escape(json.dumps(key)) + r"\s*:", text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return line, column


def pretty(text: str) -> str:
    """The same JSON indented by two spaces, key order kept; raises JsonError when invalid."""
    return json.dumps(parse_json(text), indent=2, ensure_ascii=False) + "\n"


# -- off-thread validation -------------------------------------------------------------------
class _Signals(QObject):
    # generation, result, Problem or None, and the text validated (an object: no copy of 1 MB)
    finished = Signal(int, object, object, object)


class _ValidateTask(QRunnable):
    def __init__(self, generation: int, text: str, validator: Validator, signals: _Signals) -> None:
        super().__init__()
        self._generation, self._text, self._validator, self._signals = generation, text, validator, signals

    def run(self) -> None:
        try:
            result, problem = self._validator(self._text), None
        except Exception as exc:  # the validator's refusal is the point: report it, never crash
            result, problem = None, problem_of(exc)
        try:
            self._signals.finished.emit(self._generation, result, problem, self._text)
        except RuntimeError:
            pass  # the editor was closed while this ran: nobody is waiting for the answer


# -- the gutter ------------------------------------------------------------------------------
class _Gutter(QWidget):
    def __init__(self, editor: "JsonEdit") -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class JsonEdit(QPlainTextEdit):
    """JSON editor with a line-number gutter, an error marker and a message strip at the bottom."""

    edited = Signal()  # the user changed the text (not emitted by load())
    # the validator's result and the text it was given (object: a 1 MB str is passed, not converted twice)
    validated = Signal(object, object)
    problemChanged = Signal(str)  # "" when the text became valid

    def __init__(self, parent: Optional[QWidget] = None, validator: Validator = parse_json) -> None:
        super().__init__(parent)
        self._validator = validator
        self._generation = 0
        self._checked_generation = -1
        self._loading = False
        self._problem: Optional[Problem] = None
        self._last_result: Any = None
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_validated)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_validation)
        self._gutter = _Gutter(self)
        self._message = QLabel(self)
        name_parts(self, {"Error": self._message})
        self._message.setWordWrap(True)
        self._message.setAutoFillBackground(True)
        # The palette, not a style sheet: a widget with one is polished, measured and painted through
        # a style sheet style of its own.
        icons.tint(self._message, "error")
        self._message.setMargin(2)  # the strip's padding: 2 px around, 4 at the start of its lines
        self._message.setIndent(2)
        self._message.hide()
        self.setFont(icons.monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.textChanged.connect(self._on_text_changed)
        self._pretty_action = QAction("Pretty-print JSON", self)
        self._pretty_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self._pretty_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._pretty_action.triggered.connect(self.pretty_print)
        self.addAction(self._pretty_action)
        self._update_margins()

    # -- public ----------------------------------------------------------------------------
    def set_validator(self, validator: Validator) -> None:
        self._validator = validator

    def load(self, text: str, known_result: Any = _UNCHECKED) -> None:
        """Show a text without emitting `edited`.

        With `known_result` (e.g. the stored payload of that very text) the text counts as valid
        and is not parsed again; otherwise it is validated at once (still off-thread).
        """
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        if known_result is _UNCHECKED:
            self._start_validation()
            return
        self._checked_generation = self._generation
        self._last_result = known_result
        if self._problem is not None:
            self.set_problem(None)

    def problem(self) -> Optional[Problem]:
        """The current problem, after validating now if the text changed since the last check."""
        self.flush()
        return self._problem

    def result(self) -> Any:
        """The validator's result for the current text (None when invalid), validating now if stale."""
        self.flush()
        return self._last_result

    def is_pending(self) -> bool:
        """Whether the current text has not been checked yet (typing pause or worker in flight)."""
        return self._checked_generation != self._generation

    def flush(self) -> None:
        """Validate the current text synchronously if that has not happened yet (e.g. on Save)."""
        if not self.is_pending():
            return
        self._timer.stop()
        text = self.toPlainText()
        try:
            result, problem = self._validator(text), None
        except Exception as exc:
            result, problem = None, problem_of(exc)
        self._on_validated(self._generation, result, problem, text)

    def set_problem(self, problem: Optional[Problem]) -> None:
        """Mark a problem found by the caller (e.g. a schema error) on its line, or clear it."""
        self._problem = problem
        self._show_problem()
        self.problemChanged.emit(str(problem) if problem else "")

    def pretty_print(self) -> None:
        """Re-indent the document (one undoable step); invalid JSON is left alone, error shown."""
        if self.isReadOnly():
            return
        try:
            text = pretty(self.toPlainText())
        except JsonError as exc:
            self.set_problem(problem_of(exc))
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    def keyPressEvent(self, event: Any) -> None:
        # Normally the action's shortcut fires first; this covers a key sent while not shown.
        if QKeySequence(event.keyCombination()) == self._pretty_action.shortcut():
            self.pretty_print()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: Any) -> None:
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction(self._pretty_action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- validation ------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        self._generation += 1
        if self._loading:
            return
        self._timer.start()
        self.edited.emit()

    def _start_validation(self) -> None:
        self._timer.stop()
        task = _ValidateTask(self._generation, self.toPlainText(), self._validator, self._signals)
        QThreadPool.globalInstance().start(task)

    def _on_validated(self, generation: int, result: Any, problem: Optional[Problem],
                      text: Optional[str] = None) -> None:
        if generation != self._generation or self._checked_generation == generation:
            return  # stale (the user kept typing) or already done synchronously by flush()
        self._checked_generation = generation
        self._last_result = result
        if problem is not None:
            self.set_problem(problem)
            return
        had_problem = self._problem is not None
        self._problem = None
        self._show_problem()
        if had_problem:
            self.problemChanged.emit("")
        self.validated.emit(result, self.toPlainText() if text is None else text)  # None: not from a worker

    # -- drawing the problem ---------------------------------------------------------------
    def _show_problem(self) -> None:
        problem = self._problem
        selections = []
        if problem is not None and problem.line is not None:
            block = self.document().findBlockByNumber(problem.line - 1)
            if block.isValid():
                selections += self._error_selections(block, problem.column or 1)
        self.setExtraSelections(selections)
        self._message.setText("⚠ " + str(problem) if problem else "")
        self._message.setVisible(problem is not None)
        self.setToolTip(str(problem) if problem else "")
        self._update_margins()
        self._gutter.update()

    def _error_selections(self, block: Any, column: int) -> list[QTextEdit.ExtraSelection]:
        text = block.text()
        start = len(text) - len(text.lstrip())
        underline = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(icons.error_color())
        fmt.setToolTip(str(self._problem))
        underline.format = fmt
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + max(len(text), start + 1), QTextCursor.MoveMode.KeepAnchor)
        underline.cursor = cursor
        line = QTextEdit.ExtraSelection()
        line_fmt = QTextCharFormat()
        tint = QColor(icons.error_color())
        tint.setAlpha(28)
        line_fmt.setBackground(tint)
        line_fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        line.format = line_fmt
        line.cursor = QTextCursor(block)
        out = [line, underline]
        if 1 <= column <= len(text):
            spot = QTextEdit.ExtraSelection()
            spot_fmt = QTextCharFormat()
            spot_tint = QColor(icons.error_color())
            spot_tint.setAlpha(90)
            spot_fmt.setBackground(spot_tint)
            spot.format = spot_fmt
            spot_cursor = QTextCursor(block)
            spot_cursor.setPosition(block.position() + column - 1)
            spot_cursor.setPosition(block.position() + column, QTextCursor.MoveMode.KeepAnchor)
            spot.cursor = spot_cursor
            out.append(spot)
        return out

    def error_line(self) -> Optional[int]:
        """The 1-based line carrying the error marker (None when there is none)."""
        return self._problem.line if self._problem is not None else None

    def message_text(self) -> str:
        return self._message.text()

    # -- gutter and layout -----------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * (digits + 1)

    def _message_height(self) -> int:
        if self._problem is None:
            return 0
        width = max(50, self.contentsRect().width())
        return min(self._message.heightForWidth(width), 4 * self.fontMetrics().height())

    def _update_margins(self, *_: Any) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, self._message_height())
        self._place_children()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._problem is not None:
            self._update_margins()
        else:
            self._place_children()

    def _place_children(self) -> None:
        # The gutter sits left of the viewport, the message strip below it (above any scroll bar).
        area = self.contentsRect()
        viewport = self.viewport().geometry()
        self._gutter.setGeometry(QRect(area.left(), viewport.top(), self.gutter_width(), viewport.height()))
        self._message.setGeometry(QRect(area.left(), viewport.bottom() + 1, area.width(), self._message_height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        error_line = self.error_line()
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                if number + 1 == error_line:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(icons.error_color())
                    radius = max(3, height // 4)
                    painter.drawEllipse(3, top + height // 2 - radius, radius * 2, radius * 2)
                    painter.setPen(icons.error_color())
                else:
                    painter.setPen(palette.placeholderText().color())
                painter.drawText(0, top, width - 4, height, Qt.AlignmentFlag.AlignRight, str(number + 1))
            block = block.next()
            top = bottom
            number += 1
        painter.end()
