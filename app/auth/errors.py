"""Errors of the authentication engine and the cURL importer: each message is actionable."""
from __future__ import annotations


class AuthError(Exception):
    """Authentication could not be done; `reason` is a sentence a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class CurlError(ValueError):
    """A pasted cURL command could not be read; the message says what and where."""


class AuthTimeout(AuthError):
    """No token within the time allowed (the call's timeout, the token call and the action call
    together; or the test's): the call's outcome is `timedout`."""


class AuthCancelled(AuthError):
    """The token call was cancelled (a test stopped in the window)."""
