"""Composers for the send panel: the custom event, the streaming-inlet envelope, raw JSON.

Each produces the JSON body to send (`body()`, raising ValueError when it cannot) and the
client-side problems of that body (`problems()`, from `app.calls.events`), shown inline.
"""
from __future__ import annotations

import json
import uuid
from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app import jsonstrict
from app.calls import events
from app.calls.build import SetupError, payload_body
from app.calls.values import check_values, example_values
from app.model import Action
from ui.jsonedit import JsonEdit


def _json_editor(value: Any, height: int = 140) -> JsonEdit:
    edit = JsonEdit()
    edit.load(json.dumps(value, indent=2, ensure_ascii=False))
    edit.setMinimumHeight(height)
    return edit


def _parse(edit: JsonEdit, what: str) -> Any:
    try:
        return jsonstrict.loads(edit.toPlainText() or "null")
    except ValueError as exc:
        raise ValueError(f"{what}: not valid JSON ({exc})") from None


class Composer(QWidget):
    changed = Signal()
    kind: events.Kind = "raw"

    def body(self) -> Any:
        raise NotImplementedError

    def problems(self) -> list[str]:
        try:
            body = self.body()
        except ValueError as exc:
            return [str(exc)]
        return [str(p) for p in events.check(self.kind, body)]


class CustomEventComposer(Composer):
    """User (one key), name, value, transaction, interaction, session, occurred, properties."""

    kind = "custom_event"

    def __init__(self, action: Optional[Action] = None, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        example = _first_event(action)
        user = example.get("user") if isinstance(example.get("user"), dict) else {}
        body = example.get("body") if isinstance(example.get("body"), dict) else {}
        self.user_key = QComboBox()
        self.user_key.addItems(list(events.USER_KEYS))
        key = next(iter(user), "named_user_id")
        self.user_key.setCurrentText(key if key in events.USER_KEYS else "named_user_id")
        self.user_value = QLineEdit(str(user.get(key, "")))
        self.name = QLineEdit(str(body.get("name", "")))
        self.value = QLineEdit("" if body.get("value") is None else str(body["value"]))
        self.value.setPlaceholderText("a number, optional")
        self.transaction = QLineEdit(str(body.get("transaction", "")))
        self.interaction_id = QLineEdit(str(body.get("interaction_id", "")))
        self.interaction_type = QLineEdit(str(body.get("interaction_type", "")))
        self.session_id = QLineEdit(str(body.get("session_id", "")))
        self.occurred = QLineEdit(str(example.get("occurred", "")))
        self.occurred.setPlaceholderText("YYYY-MM-DDThh:mm:ss (UTC), empty = now")
        now = QPushButton("Now")
        now.clicked.connect(lambda: self.occurred.setText(events.now_utc().strftime("%Y-%m-%dT%H:%M:%S")))
        self.properties = _json_editor(body.get("properties") or {})
        user_row = QHBoxLayout()
        user_row.addWidget(self.user_key)
        user_row.addWidget(self.user_value, 1)
        occurred_row = QHBoxLayout()
        occurred_row.addWidget(self.occurred, 1)
        occurred_row.addWidget(now)
        form = QFormLayout(self)
        form.addRow("User", user_row)
        form.addRow("Event name", self.name)
        form.addRow("Value", self.value)
        form.addRow("Transaction", self.transaction)
        form.addRow("Interaction id", self.interaction_id)
        form.addRow("Interaction type", self.interaction_type)
        form.addRow("Session id", self.session_id)
        form.addRow("Occurred", occurred_row)
        form.addRow("Properties", self.properties)
        for line in (self.user_value, self.name, self.value, self.transaction, self.interaction_id,
                     self.interaction_type, self.session_id, self.occurred):
            line.textChanged.connect(self.changed)
        self.user_key.currentTextChanged.connect(self.changed)
        self.properties.edited.connect(self.changed)

    def body(self) -> Any:
        value: Optional[float] = None
        if self.value.text().strip():
            try:
                value = float(self.value.text())
            except ValueError:
                raise ValueError(f"Value: expected a number, got {self.value.text()!r}") from None
            value = int(value) if value.is_integer() and "." not in self.value.text() else value
        properties = _parse(self.properties, "Properties")
        event = events.custom_event(
            self.user_key.currentText(), self.user_value.text(), self.name.text(), value,
            self.transaction.text(), self.interaction_id.text(), self.interaction_type.text(),
            self.session_id.text(), None, self.occurred.text().strip())
        if properties not in (None, {}):
            event["body"]["properties"] = properties
        return [event]


def _first_event(action: Optional[Action]) -> dict[str, Any]:
    example = events._example(action) if action is not None else None
    first = example[0] if isinstance(example, list) and example else example
    return first if isinstance(first, dict) else {}


class InletComposer(Composer):
    """The envelope's header values and the xdmEntity: _id, timestamp, eventType, other fields."""

    kind = "inlet"

    def __init__(self, action: Optional[Action] = None, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.action = action
        entity = events.inlet_entity(action)
        envelope = events.inlet_envelope(entity, action)
        header = envelope["header"]
        self.schema_id = QLineEdit(header["schemaRef"]["id"])
        self.org = QLineEdit(header.get("imsOrgId", ""))
        self.dataset = QLineEdit(header.get("datasetId", ""))
        self.record_id = QLineEdit(str(entity.pop("_id", "")))
        new_id = QPushButton("New id")
        new_id.clicked.connect(lambda: self.record_id.setText(uuid.uuid4().hex))
        self.timestamp = QLineEdit(str(entity.pop("timestamp", "")))
        now = QPushButton("Now")
        now.clicked.connect(lambda: self.timestamp.setText(events.now_utc().isoformat()))
        self.event_type = QLineEdit(str(entity.pop("eventType", "")))
        self.others = _json_editor(entity)
        id_row = QHBoxLayout()
        id_row.addWidget(self.record_id, 1)
        id_row.addWidget(new_id)
        time_row = QHBoxLayout()
        time_row.addWidget(self.timestamp, 1)
        time_row.addWidget(now)
        form = QFormLayout(self)
        form.addRow("Schema id", self.schema_id)
        form.addRow("IMS org id", self.org)
        form.addRow("Dataset id", self.dataset)
        form.addRow("xdmEntity._id", id_row)
        form.addRow("xdmEntity.timestamp", time_row)
        form.addRow("xdmEntity.eventType", self.event_type)
        form.addRow("Other xdmEntity fields", self.others)
        for line in (self.schema_id, self.org, self.dataset, self.record_id, self.timestamp, self.event_type):
            line.textChanged.connect(self.changed)
        self.others.edited.connect(self.changed)

    def body(self) -> Any:
        others = _parse(self.others, "Other xdmEntity fields")
        if not isinstance(others, dict):
            raise ValueError("Other xdmEntity fields: expected a JSON object")
        entity = {"_id": self.record_id.text(), **others, "timestamp": self.timestamp.text()}
        if self.event_type.text():
            entity["eventType"] = self.event_type.text()
        return events.inlet_envelope(entity, self.action, self.schema_id.text(), self.org.text(), self.dataset.text())


class RawComposer(Composer):
    """Any JSON, prefilled with the body the action would build from its example values."""

    kind = "raw"

    def __init__(self, action: Optional[Action] = None, body: Any = None, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.editor = _json_editor(default_body(action) if body is None else body, 240)
        self.editor.edited.connect(self.changed)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.editor)

    def body(self) -> Any:
        return _parse(self.editor, "Body")


def default_body(action: Optional[Action], resolver: Any = None) -> Any:
    """The body the action would build from its example values (resolving them may read the
    environments or start the sandbox: call it in a worker); its example as a fallback."""
    if action is None or action.request is None:
        return {}
    if resolver is not None:
        try:
            return payload_body(action, check_values(action, example_values(action)), resolver)
        except (SetupError, ValueError):
            pass
    try:
        return json.loads(action.request.example)
    except ValueError:
        return {}


def composer_for(action: Action, body: Any = None) -> Composer:
    """The composer for the action's endpoint; `body` prefills raw JSON (see `default_body`)."""
    kind = events.kind_of(action)
    if kind == "custom_event":
        return CustomEventComposer(action)
    if kind == "inlet":
        return InletComposer(action)
    return RawComposer(action, body)
