"""Where the pane gets its Authentication and Payloads sections (written in ui/auth, ui/payload).

`section_classes()` is the one hook, so tests can hand the pane stand-ins that only honour the
sections' interface. The imports are deferred: they pull in the JSON editor and the auth engine.
"""
from __future__ import annotations

from typing import Any


def section_classes() -> tuple[Any, Any]:
    """(AuthSection, PayloadSection) constructors: (services, parent) -> widget."""
    from ui.auth.section import AuthSection
    from ui.payload.section import PayloadSection

    return AuthSection, PayloadSection
