"""The pane's four sections as one form: a snapshot of what they show (for undo and the unsaved
marker), the action they describe with every blocker, and the secrets typed into them that are not
stored yet (they go to the keyring when the pane saves)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, cast

from pydantic import TypeAdapter, ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

# app.model before pydantic: importing the bare pydantic package first and its submodules after
# PySide6 trips shiboken's import hook (a circular import inside pydantic's lazy __getattr__).
from app.model import Action, Auth, Payload, error_lines
from ui.pane.names import NameSection
from ui.pane.sections import AuthPart, PayloadPart, section_classes
from ui.pane.url import UrlSection
from ui.undo import Snapshot

if TYPE_CHECKING:
    from app.services import Services

# The action's parts the Authentication and Payloads sections own, as stored ("theirs" in a snapshot).
THEIRS = ("auth", "request", "response", "errorResponse", "allowNull")
_AUTH = TypeAdapter(Auth)


def _mine_of(data: dict[str, Any]) -> dict[str, Any]:
    """The raw field values the pane itself edits (name, description, URL, method, headers, query)."""
    ep = data.get("endpoint", {})
    return {"name": data.get("name", ""), "description": data.get("description", ""),
            "url": ep.get("url", ""), "method": ep.get("method", "POST"),
            "headers": ep.get("headers", []), "query": ep.get("query", [])}


def snapshot_of(action: Action) -> Snapshot:
    """What the form shows for an action as stored."""
    data = action.dump()
    return {"mine": _mine_of(data), "theirs": {k: data.get(k) for k in THEIRS}}


def _root(problem: str) -> str:
    """The field a problem is about: 'endpoint.headers[2].name: ...' -> 'endpoint'."""
    return problem.split(":")[0].split(".")[0].split("[")[0]


class ActionForm(QObject):
    """Owns the four sections (widgets the pane lays out) and the secrets typed in them."""

    edited = Signal()  # a completed edit: one undo step
    typing = Signal()  # a keystroke: the unsaved marker may change
    urlChanged = Signal()
    viewJourneys = Signal()

    def __init__(self, services: "Services", name_taken: Callable[[str], bool], view: QWidget) -> None:
        super().__init__(view)
        self._services = services
        self.pending: dict[str, str] = {}  # secret ref key -> typed value, not in the keyring yet
        self.secret_owner = "new"  # the action id new secret refs are made under
        self._restoring = False
        self.names = NameSection(name_taken, view)
        self.url = UrlSection(self._make_secret, self.pending.get, view)
        auth_cls, payload_cls = section_classes()
        self.auth: AuthPart = auth_cls(services, view)
        self.payload: PayloadPart = payload_cls(services, view)
        self.payload.setMinimumHeight(440)  # editors and the field tree need room to be useful
        for signal in (self.names.edited, self.url.edited, self.auth.changed, self.payload.changed):
            signal.connect(self._on_edited)
        for signal in (self.names.typing, self.url.typing):
            signal.connect(self._on_typing)
        self.names.viewJourneys.connect(self.viewJourneys)
        self.url.urlChanged.connect(self.urlChanged)
        self.url.methodChanged.connect(self.payload.set_method)

    def bodies(self) -> dict[str, QWidget]:
        return {"name": self.names, "url": self.url, "auth": cast(QWidget, self.auth),
                "payload": cast(QWidget, self.payload)}

    def _on_edited(self) -> None:
        if not self._restoring:  # putting a snapshot back is not an edit
            self.edited.emit()

    def _on_typing(self) -> None:
        if not self._restoring:
            self.typing.emit()

    # -- reading ------------------------------------------------------------------------------
    def mine(self) -> dict[str, Any]:
        name, description = self.names.values()
        return {"name": name, "description": description, **self.url.values()}

    def applied(self, base: Action) -> Action:
        """`base` with the Authentication and Payloads sections' parts."""
        return self.payload.apply_to(self.auth.apply_to(base))

    def snapshot(self, base: Action) -> Snapshot:
        applied = self.applied(base).dump()
        self.pending.update(self.auth.pending_secrets())
        self.pending.update(self.payload.pending_secrets())
        return {"mine": self.mine(), "theirs": {k: applied.get(k) for k in THEIRS}}

    def build(self, base: Action) -> tuple[Optional[Action], list[str]]:
        """The action from every section, and every blocker ('where: what')."""
        problems: list[str] = []
        name_problem = self.names.problem()
        if name_problem:
            problems.append(f"name: {name_problem}")
        problems += self.url.problems()
        problems += self.auth.problems()
        problems += self.payload.problems()
        mine = self.mine()
        data = self.applied(base).dump()
        data.update(name=mine["name"], description=mine["description"])
        data["endpoint"] = {k: mine[k] for k in ("url", "method", "headers", "query")}
        try:
            action = Action.model_validate(data)
        except ValidationError as exc:
            covered = {_root(p) for p in problems}  # a field a section already explained is not listed twice
            problems += [line for line in error_lines(exc) if _root(line) not in covered and line not in problems]
            return None, problems or error_lines(exc)
        return (None if problems else action), problems

    def secrets_for(self, action: Action) -> dict[str, str]:
        """The typed secrets `action` refers to (ref key -> value): what a save puts in the keyring."""
        refs = {ref.secret for ref in action.secret_refs()}
        return {k: v for k, v in self.pending.items() if k in refs}

    # -- showing ------------------------------------------------------------------------------
    def action_of(self, snapshot: Snapshot, base: Action) -> Action:
        """`base` with the sections' parts a snapshot holds (to put it back: undo, redo)."""
        theirs = snapshot["theirs"]
        return base.model_copy(update={
            "auth": _AUTH.validate_python(theirs["auth"]) if theirs.get("auth") else base.auth,
            "request": Payload.model_validate(theirs["request"]) if theirs.get("request") else None,
            "response": Payload.model_validate(theirs["response"]) if theirs.get("response") else None,
            "error_response": Payload.model_validate(theirs["errorResponse"]) if theirs.get("errorResponse") else None,
            "allow_null": bool(theirs.get("allowNull", False)),
        })

    def show(self, snapshot: Snapshot, action: Action, stored_name: str, used_in: list[str]) -> None:
        """Put a snapshot into every section; no section says it was edited meanwhile."""
        mine = snapshot["mine"]
        self._restoring = True
        try:
            self.names.set_values(mine["name"], mine["description"], stored_name, used_in)
            self.url.set_values(mine["url"], mine["method"], mine["headers"], mine["query"])
            self.payload.set_method(mine["method"])
            self.auth.set_action(action)
            self.payload.set_action(action)
        finally:
            self._restoring = False

    def set_locked(self, locked: bool, reason: str) -> None:
        """Used in journeys: only the name, description, URL and authentication can change."""
        self.url.set_locked(locked)
        self.payload.set_locked(locked, reason)

    # -- secrets typed in the tables ----------------------------------------------------------
    def _make_secret(self, plain: str, hint: str) -> str:
        key = self._services.secrets.new_ref(f"{self.secret_owner}/{hint or 'header'}").secret
        self.pending[key] = plain
        return key
