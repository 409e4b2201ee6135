"""The journey's properties in the editor (objectName `journeyPropertiesForm`): name, description,
the call timeout (1-30 s), time zone, reentrance, and the capping and throttling configurations
in the platform's own JSON (a deployed one pastes as is).

Each finished edit is checked by the model first (app.journeys.editing.property_problems): a value
it refuses is not applied, and the problem shows under the form naming the field (`timeZone:
unknown time zone ...`, `capping[0].services.action.rating.maxCallsCount: ...`); the editor's Save
refuses while one is shown. An accepted edit is one undoable step on the window's stack."""
from __future__ import annotations

import json
import zoneinfo
from functools import cache
from typing import Any, Callable, Optional, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.journeys.editing import property_problems, set_property
from app.model.payload import JsonError, parse_json
from ui import icons

LIMITS_HINT = {
    "capping": '[{"url": "https://api.example.com/*", "methods": ["POST"], "services": {"action": '
               '{"maxHttpConnections": 400, "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}}]',
    "throttling": '[{"urlPattern": "https://api.example.com/*", "methods": ["POST"], "maxThroughput": 200}]',
}


@cache
def time_zones() -> tuple[str, ...]:
    """The time zone names, sorted: read once (zoneinfo opens each of the ~600 files of the tz
    database to list them, ~25 ms, and the form is built again at every journey opened and every
    properties edit)."""
    return tuple(sorted(zoneinfo.available_timezones()))


class PropertyEdits(Protocol):
    """What the form needs of the editor."""

    data: dict[str, Any]

    def commit(self, text: str, change: Callable[[dict[str, Any]], None], rebuild: bool = False) -> None: ...


class PropertiesForm(QWidget):
    node_id = ""  # not a node: the editor's list shows it as its first row

    def __init__(self, edits: PropertyEdits, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyPropertiesForm")
        self.edits = edits
        self.boxes: dict[str, Any] = {}  # no expression box here (the editor's refusals read it)
        self.refused: dict[str, list[str]] = {}  # property -> why its edit was not applied
        data = edits.data
        reentrance = data.get("reentrance", {})
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = self._line(form, "&Name", "journeyPropName", data.get("name", ""), "name")
        self.description = self._line(form, "&Description", "journeyPropDescription", data.get("description", ""),
                                      "description")
        self.timeout = QSpinBox(self)
        self.timeout.setObjectName("journeyPropTimeout")
        self.timeout.setRange(1, 30)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(int(data.get("timeoutSeconds", 30)))
        self.timeout.setToolTip("One timeout for every call of the journey, its retries included (1 to 30 s)")
        self.timeout.editingFinished.connect(lambda: self.apply("timeoutSeconds", self.timeout.value()))
        form.addRow("&Timeout", self.timeout)
        self.zone = QComboBox(self)
        self.zone.setObjectName("journeyPropTimeZone")
        self.zone.setEditable(True)
        self.zone.addItems(time_zones())
        self.zone.setCurrentText(data.get("timeZone", "UTC"))
        self.zone.activated.connect(lambda _i: self.apply("timeZone", self.zone.currentText().strip()))
        line = self.zone.lineEdit()
        if line is not None:
            line.editingFinished.connect(lambda: self.apply("timeZone", self.zone.currentText().strip()))
        form.addRow("Time &zone", self.zone)
        self.reentrance = QCheckBox("Profiles may enter again", self)
        self.reentrance.setObjectName("journeyPropReentrance")
        self.reentrance.setChecked(bool(reentrance.get("allowed", True)))
        self.reentrance.toggled.connect(lambda on: self.apply("reentrance.allowed", on))
        form.addRow("&Reentrance", self.reentrance)
        self.wait_period = self._line(form, "Reentrance &wait", "journeyPropWaitPeriod",
                                      reentrance.get("waitPeriod", "PT5M"), "reentrance.waitPeriod")
        self.wait_period.setToolTip("ISO 8601: a profile returning sooner after entering is discarded (e.g. PT5M)")
        self.wait_period.setEnabled(self.reentrance.isChecked())
        self.problem = QLabel(self)  # above the long JSON boxes: seen without scrolling
        self.problem.setObjectName("journeyPropertiesProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setStyleSheet(f"color: {icons.error_color().name()};")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.limits = {key: self._limits_box(layout, key) for key in ("capping", "throttling")}
        layout.addStretch(1)

    def _line(self, form: QFormLayout, label: str, name: str, value: str, key: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setObjectName(name)
        edit.editingFinished.connect(lambda: self.apply(key, edit.text().strip()))
        form.addRow(label, edit)
        return edit

    def _limits_box(self, layout: QVBoxLayout, key: str) -> QPlainTextEdit:
        box = QGroupBox(key.capitalize() + " (the platform's JSON: a list, or one configuration)", self)
        column = QVBoxLayout(box)
        text = QPlainTextEdit(box)
        text.setObjectName(f"journeyProp{key.capitalize()}")
        text.setFont(icons.monospace_font())
        text.setPlaceholderText(LIMITS_HINT[key])
        current = self.edits.data.get(key) or []
        text.setPlainText(json.dumps(current, indent=2) if current else "")
        text.setMaximumHeight(110)
        apply = QPushButton(f"Apply {key}", box)
        apply.setObjectName(f"journeyProp{key.capitalize()}Apply")
        apply.clicked.connect(lambda: self.apply_limits(key))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(apply)
        column.addWidget(text)
        column.addLayout(row)
        layout.addWidget(box)
        return text

    # -- applying --------------------------------------------------------------------------------------
    def apply(self, key: str, value: Any) -> None:
        """Set a property if the model accepts the value; else show why (the field named)."""
        if key == "reentrance.allowed":
            self.wait_period.setEnabled(bool(value))
        problems = property_problems(self.edits.data, key, value)
        self._say(key, problems)
        if problems:
            return
        self.edits.commit(f"edit journey {key}", lambda data: set_property(data, key, value))

    def apply_limits(self, key: str) -> None:
        text = self.limits[key].toPlainText().strip()
        try:
            value = parse_json(text) if text else []
        except JsonError as exc:
            self._say(key, [f"{key}: not valid JSON: line {exc.line}, column {exc.column}: {exc.message}"])
            return
        if isinstance(value, dict):
            value = [value]  # one deployed configuration pasted as an object
        if not isinstance(value, list):
            self._say(key, [f"{key}: expected a list of configurations (or one configuration as an object)"])
            return
        self.apply(key, value)

    def _say(self, key: str, problems: list[str]) -> None:
        if problems:
            self.refused[key] = problems
        else:
            self.refused.pop(key, None)
        lines = [line for found in self.refused.values() for line in found]
        self.problem.setText("\n".join(lines))
        self.problem.setVisible(bool(lines))

    def has_refused(self) -> list[str]:
        """The problems of the edits not applied (the editor's Save refuses while there are some)."""
        return [line for found in self.refused.values() for line in found]
