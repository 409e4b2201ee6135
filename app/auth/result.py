"""What "test authentication" reports: the token request and response (masked), token, expiry, timing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Optional

from app.masking import MASK, is_secret_header, mask_all, response_secrets

if TYPE_CHECKING:
    from app.auth.token import Exchange


@dataclass(frozen=True)
class RecordedRequest:
    """The token request as sent, with every secret replaced by ********."""

    method: str
    url: str
    headers: dict[str, str]
    body: str

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "headers": dict(self.headers), "body": self.body}


@dataclass(frozen=True)
class RecordedResponse:
    """The token endpoint's answer, with the token (and any known secret) replaced by ********."""

    status: int
    headers: dict[str, str]
    body: str
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "headers": dict(self.headers), "body": self.body,
                "truncated": self.truncated}


@dataclass(frozen=True)
class AuthTestResult:
    """The outcome of a test: `ok`, or `reason` saying what went wrong and what to do.

    Nothing here holds a plain secret or token: `token_preview` shows only the first four
    characters and the length; `applied` shows what an action call would carry, masked.
    """

    ok: bool
    reason: str = ""
    mode: str = "none"
    request: Optional[RecordedRequest] = None
    response: Optional[RecordedResponse] = None
    token_preview: str = ""
    expires_at: Optional[datetime] = None
    expires_in_s: Optional[float] = None
    elapsed_ms: float = 0.0
    applied: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "mode": self.mode,
            "request": self.request.to_dict() if self.request else None,
            "response": self.response.to_dict() if self.response else None,
            "tokenPreview": self.token_preview,
            "expiresAt": self.expires_at.isoformat() if self.expires_at else None,
            "expiresInS": self.expires_in_s,
            "elapsedMs": round(self.elapsed_ms, 1),
            "applied": {k: dict(v) for k, v in self.applied.items()},
        }


def recorded_response(exchange: "Exchange", sensitive: Iterable[str], limit: int) -> RecordedResponse:
    """The token endpoint's answer as a person may see it: the known secrets and every credential
    the body shows (access_token, id_token, refresh_token...: the extraction may have missed them,
    as with a wrong tokenInResponse path) masked, the body cut at `limit` characters."""
    body = exchange.text
    hidden = set(sensitive) | response_secrets(body)
    headers: dict[str, str] = {}
    for name, value in exchange.headers:
        shown = MASK if is_secret_header(name) else mask_all(value, hidden)
        headers[name] = f"{headers[name]}, {shown}" if name in headers else shown
    # Masked before the cut, so a token the cut would split is still found whole.
    # Also truncated when the read stopped at the token response cap (the rest was never read).
    truncated = len(body) > limit or exchange.cut_at is not None
    return RecordedResponse(exchange.status, headers, mask_all(body, hidden)[:limit], truncated)


def preview(token: str) -> str:
    """First four characters and the length: enough to compare tokens, not to use one."""
    return f"{token[:4]}… ({len(token)} chars)"
