"""Where the pane gets its Authentication and Payloads sections (written in ui/auth, ui/payload),
and what it needs of them.

`section_classes()` is the one hook, so tests can hand the pane stand-ins that only honour the
interfaces below. The imports are deferred: they pull in the JSON editor and the auth engine.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.model import Action


class SectionPart(Protocol):
    """A QWidget editing its parts of an action; `changed` (a Signal) says an edit is complete."""

    changed: Any

    def set_action(self, action: "Action") -> None:
        """Show the action's parts; not a user edit (no `changed`)."""

    def apply_to(self, action: "Action") -> "Action":
        """A copy of `action` with this section's parts."""

    def pending_secrets(self) -> dict[str, str]:
        """Secrets typed here, not stored yet: ref key -> value."""

    def problems(self) -> list[str]:
        """What blocks saving, as 'where: what'."""


class AuthPart(SectionPart, Protocol):
    def can_test(self) -> bool:
        """Whether a test of the authentication would start now."""

    def test_authentication(self) -> None:
        """Start the test (the result comes by the section's own signal)."""


class PayloadPart(SectionPart, Protocol):
    def set_locked(self, locked: bool, reason: str) -> None:
        """Read-only (used in journeys), with the reason shown."""

    def set_method(self, method: str) -> None:
        """The endpoint's method (GET sends no request body)."""

    def setMinimumHeight(self, height: int) -> None: ...


def section_classes() -> tuple[Any, Any]:
    """(AuthSection, PayloadSection) constructors: (services, parent) -> AuthPart / PayloadPart widget."""
    from ui.auth.section import AuthSection
    from ui.payload.section import PayloadSection

    return AuthSection, PayloadSection
