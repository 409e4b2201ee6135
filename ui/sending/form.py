"""A form generated from an action's inputs (Variable fields, headers, query parameters).

One typed editor per input: text, whole numbers, decimals, a check box, date and date-time
pickers, a JSON editor for objects and lists. Labels as configured; optional inputs carry a
"send" check box (unchecked: the field is left unfilled, so the allowNull rules apply).
Problems from `app.calls.values` are shown under the row they name.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from PySide6.QtCore import QDate, QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import jsonstrict
from app.calls.values import Input
from ui.jsonedit import JsonEdit
from ui.sending.result_view import ERROR_COLOR

INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1
JSON_TYPES = {"object", "listString", "listInteger", "listDecimal", "listBoolean", "listDateTime", "listObject",
              "listAny"}


class FieldEditor(QWidget):
    """One input's editor; `value()` returns (filled, value) or raises ValueError."""

    changed = Signal()

    def __init__(self, item: Input, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.item = item
        self.send_box: Optional[QCheckBox] = None
        self._read: Callable[[], Any]
        self.editor = self._make_editor(item)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        if item.optional:
            self.send_box = QCheckBox("send")
            self.send_box.setToolTip("Optional: unchecked, the field is left unfilled")
            self.send_box.setChecked(item.example is not None)
            self.send_box.toggled.connect(self.editor.setEnabled)
            self.send_box.toggled.connect(self.changed)
            self.editor.setEnabled(self.send_box.isChecked())
            row.addWidget(self.send_box)
        row.addWidget(self.editor, 1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        palette = self.problem.palette()
        palette.setColor(self.problem.foregroundRole(), ERROR_COLOR)
        self.problem.setPalette(palette)
        self.problem.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.problem)
        self.setToolTip(f"{item.key} ({item.type})")

    def _make_editor(self, item: Input) -> QWidget:
        example = item.example
        if item.type == "integer" and (example is None or INT_MIN <= int(example) <= INT_MAX):
            spin = QSpinBox()
            spin.setRange(INT_MIN, INT_MAX)
            spin.setValue(int(example or 0))
            spin.valueChanged.connect(self.changed)
            self._read = spin.value
            return spin
        if item.type == "decimal":
            dspin = _DecimalSpin()
            dspin.setRange(-1e15, 1e15)
            dspin.setDecimals(6)
            dspin.setValue(float(example or 0))
            dspin.valueChanged.connect(self.changed)
            self._read = lambda: _number(dspin.value())
            return dspin
        if item.type == "boolean":
            check = QCheckBox()
            check.setChecked(bool(example))
            check.toggled.connect(self.changed)
            self._read = check.isChecked
            return check
        if item.type == "dateTime":
            return self._date_time(example)
        if item.type == "dateOnly":
            date = QDateEdit(QDate.fromString(str(example or ""), "yyyy-MM-dd") if example else QDate.currentDate())
            date.setDisplayFormat("yyyy-MM-dd")
            date.setCalendarPopup(True)
            date.dateChanged.connect(self.changed)
            self._read = lambda: date.date().toString("yyyy-MM-dd")
            return date
        if item.type in JSON_TYPES:
            edit = JsonEdit()
            edit.load(json.dumps(example if example is not None else ({} if item.type == "object" else []), indent=2))
            edit.setMinimumHeight(90)
            edit.setMaximumHeight(160)
            edit.edited.connect(self.changed)
            self._read = lambda: _json(edit.toPlainText())
            return edit
        line = QLineEdit("" if example is None else str(example))
        line.textChanged.connect(self.changed)
        if item.type == "integer":  # beyond a spin box's range
            self._read = lambda: _integer(line.text())
        else:
            self._read = line.text
        return line

    def _date_time(self, example: Any) -> QWidget:
        """A UTC date-time picker; the value keeps the example's style (Z or +00:00)."""
        edit = QDateTimeEdit()
        edit.setTimeZone(QTimeZone.utc())
        edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss 'UTC'")
        edit.setCalendarPopup(True)
        parsed = QDateTime.fromString(str(example or ""), Qt.DateFormat.ISODate) if example else QDateTime()
        edit.setDateTime(parsed.toUTC() if parsed.isValid() else QDateTime.currentDateTimeUtc())
        suffix = "Z" if str(example or "Z").endswith("Z") else "+00:00"
        edit.dateTimeChanged.connect(self.changed)
        self._read = lambda: edit.dateTime().toUTC().toString("yyyy-MM-ddTHH:mm:ss") + suffix
        return edit

    def value(self) -> tuple[bool, Any]:
        if self.send_box is not None and not self.send_box.isChecked():
            return False, None
        return True, self._read()

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class _DecimalSpin(QDoubleSpinBox):
    """A decimal shown as written (239.85), not with its six places of zeros (239.850000); six
    places are still what a user may type."""

    def textFromValue(self, value: float) -> str:
        locale = self.locale()
        text = locale.toString(value, "f", self.decimals())
        if not self.isGroupSeparatorShown():
            text = text.replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


def _number(value: float) -> Any:
    return int(value) if value.is_integer() else value


def _json(text: str) -> Any:
    try:
        return jsonstrict.loads(text)
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None


def _integer(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {text!r}") from None


class ValuesForm(QWidget):
    """Editors for a list of inputs; `values()` collects them, `show_problems()` marks rows."""

    changed = Signal()

    def __init__(self, inputs: list[Input], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, FieldEditor] = {}
        self.general = QLabel()
        self.general.setWordWrap(True)
        palette = self.general.palette()
        palette.setColor(self.general.foregroundRole(), ERROR_COLOR)
        self.general.setPalette(palette)
        self.general.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for item in inputs:
            editor = FieldEditor(item)
            editor.changed.connect(self.changed)
            self.editors[item.key] = editor
            label = QLabel(item.label + (" (optional)" if item.optional else ""))
            label.setToolTip(item.key)
            label.setBuddy(editor.editor)
            form.addRow(label, editor)
        if not inputs:
            form.addRow(QLabel("This action has no Variable fields: it sends its constants."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.general)

    def values(self) -> dict[str, Any]:
        """The filled values; raises ValueError listing the editors that cannot be read."""
        out: dict[str, Any] = {}
        problems = {}
        for key, editor in self.editors.items():
            try:
                filled, value = editor.value()
            except ValueError as exc:
                problems[key] = str(exc)
                continue
            if filled:
                out[key] = value
        if problems:
            self.show_problems([f"{k}: {v}" for k, v in problems.items()])
            raise ValueError("; ".join(f"{self.editors[k].item.label}: {v}" for k, v in problems.items()))
        return out

    def show_problems(self, problems: list[str]) -> None:
        """Put each problem under the row it names (by key or label); the rest below the form."""
        per_row: dict[str, list[str]] = {}
        general = []
        for problem in problems:
            if problem.startswith("missing value"):
                listed = problem.split(":", 1)[1]
                named = [k for k in self.editors if f" {k} (" in listed or f" {k}," in listed
                         or listed.endswith(f" {k}")]
                for key in named:
                    per_row.setdefault(key, []).append("required: fill it in")
                if named:
                    continue
            key = self._row_of(problem)
            (per_row.setdefault(key, []) if key else general).append(problem)
        for key, editor in self.editors.items():
            editor.set_problem("\n".join(per_row.get(key, [])))
        self.general.setText("\n".join(general))
        self.general.setVisible(bool(general))

    def _row_of(self, problem: str) -> Optional[str]:
        for key in sorted(self.editors, key=len, reverse=True):
            if problem.startswith((key + ":", key + " (", key + "[", key + ".")):
                return key
        return None

    def clear_problems(self) -> None:
        self.show_problems([])
