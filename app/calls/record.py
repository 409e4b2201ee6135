"""What went over the wire and what came back, secrets masked: for display, history and cURL.

Masking (app.masking.Masker, before anything is recorded here): every secret the resolver revealed
and every credential value (tokens, API keys) is replaced by `********` wherever it appears (URL,
headers, bodies); headers whose name says they carry a secret (Authorization, Cookie, X-Api-Key,
*secret*, *token*...) are masked whole.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

MAX_BODY = 256 * 1024  # characters of a body kept for display and history


@dataclass(slots=True)  # made per call on the bulk and journey paths: slots make it cheaper
class RecordedRequest:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: Optional[str] = None

    def to_curl(self) -> str:
        """The request as a curl command (POSIX quoting), secrets already masked."""
        from app.auth.curl import curl_command

        return curl_command(self.method, self.url, self.headers, self.body)


@dataclass(slots=True)  # made per call on the bulk and journey paths: slots make it cheaper
class RecordedResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: str
    elapsed_ms: float
    truncated: bool = False  # the body kept here is shorter than the one read
    cut_at: Optional[int] = None  # the read stopped at this many bytes (the response cap): the rest was never read

    def header(self, name: str) -> Optional[str]:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass(slots=True)  # made per call on the bulk and journey paths: slots make it cheaper
class RecordedExchange:
    """One attempt: the request, and the response or the error that ended it."""

    request: RecordedRequest
    response: Optional[RecordedResponse] = None
    error: Optional[str] = None
    elapsed_ms: float = 0.0


_UNSET: Any = object()


class FieldReader:
    """Reads an action's response fields by path; the paths are walked once per action."""

    def __init__(self, response: Any, error_response: Any) -> None:
        self._ok = _paths(response)
        self._error = _paths(error_response or response)

    def read(self, data: Any, ok: bool) -> dict[str, Any]:
        spec = self._ok if ok else self._error
        if spec is None or data is None:
            return {}
        paths, array = spec
        if array and isinstance(data, list):
            data = data[0] if data else {}
        return fields_of(data, paths)


def _paths(payload: Any) -> Optional[tuple[list[str], bool]]:
    if payload is None:
        return None
    return [p for p, f in payload.walk() if not f.children or f.type == "listObject"], payload.root == "array"


@dataclass(slots=True)  # made per call on the bulk and journey paths: slots make it cheaper
class CallResult:
    """The outcome of one action call (all attempts), ready to show, record and branch on.

    `outcome` is the platform's status code for branches: `http_<code>`, `timedout`, `capped`,
    `internalError`. `data` is the response body parsed as JSON (masked), `fields` the values of
    the response example's fields (the error-response example's after an error) by path.
    """

    action: str
    outcome: str
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    duration_ms: float = 0.0
    exchanges: list[RecordedExchange] = field(default_factory=list)
    error: Optional[str] = None
    source: str = "manual"
    values: dict[str, Any] = field(default_factory=dict)
    path_suffix: str = ""
    body: Any = None  # the JSON sent instead of the built payload (manual sending), masked
    reader: Optional["FieldReader"] = field(default=None, repr=False, compare=False)
    # Parsed lazily: the bulk path records thousands of results nobody reads field by field.
    _data: Any = field(default=_UNSET, repr=False, compare=False)
    _fields: Optional[dict[str, Any]] = field(default=None, repr=False, compare=False)

    @property
    def data(self) -> Any:
        """The response body as JSON (masked), or None."""
        if self._data is _UNSET:
            response = self.response
            self._data = parse_body(response.body, response.header("content-type") or "") if response else None
        return self._data

    @property
    def fields(self) -> dict[str, Any]:
        """The response example's fields by path (the error-response example's after an error)."""
        if self._fields is None:
            self._fields = self.reader.read(self.data, self.ok) if self.reader is not None else {}
        return self._fields

    @property
    def ok(self) -> bool:
        return self.outcome.startswith("http_2")

    @property
    def status(self) -> Optional[int]:
        response = self.response
        return response.status if response else None

    @property
    def request(self) -> Optional[RecordedRequest]:
        return self.exchanges[-1].request if self.exchanges else None

    @property
    def response(self) -> Optional[RecordedResponse]:
        return self.exchanges[-1].response if self.exchanges else None

    @property
    def attempts(self) -> int:
        return len(self.exchanges)

    def field(self, name: str) -> Any:
        """A response field by path (`details.path`) or by its last name when that is unique;
        `jo_status_code` is the outcome. Raises KeyError."""
        if name == "jo_status_code":
            return self.outcome
        if name in self.fields:
            return self.fields[name]
        matches = [k for k in self.fields if k.rsplit(".", 1)[-1] == name]
        if len(matches) == 1:
            return self.fields[matches[0]]
        raise KeyError(name)

    def to_curl(self) -> str:
        return self.request.to_curl() if self.request else ""

    def summary(self) -> str:
        """One line: outcome, status, time, and why it failed."""
        parts = [self.outcome]
        if self.response is not None:
            parts.append(f"{self.response.status} {self.response.reason}".strip())
        parts.append(f"in {self.duration_ms:.0f} ms")
        if self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        if self.response is not None and self.response.cut_at is not None:
            parts.append(f"(response truncated at {self.response.cut_at:,} bytes)")
        line = " ".join(parts)
        reason = self.error or (failure_reason(self.data, self.response.body) if self.response and not self.ok else "")
        return f"{line}: {reason}" if reason else line

    def to_dict(self, parsed: bool = True) -> dict[str, Any]:
        """JSON-ready (camelCase keys); built by hand: dataclasses.asdict is slow on the bulk path.
        parsed=False leaves out `data` and `fields` (the history keeps the body they come from)."""
        out = {
            "action": self.action, "outcome": self.outcome, "ok": self.ok, "status": self.status,
            "startedAt": self.started_at.isoformat(), "durationMs": round(self.duration_ms, 2),
            "source": self.source, "error": self.error, "values": self.values, "pathSuffix": self.path_suffix,
            "body": self.body, "exchanges": [_exchange_dict(ex) for ex in self.exchanges],
        }
        if parsed:
            out["data"], out["fields"] = self.data, self.fields
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CallResult":
        exchanges = []
        for ex in data.get("exchanges", []):
            req = RecordedRequest(ex["request"]["method"], ex["request"]["url"],
                                  [tuple(h) for h in ex["request"]["headers"]], ex["request"].get("body"))
            resp = None
            if ex.get("response"):
                r = ex["response"]
                resp = RecordedResponse(r["status"], r.get("reason", ""), [tuple(h) for h in r["headers"]],
                                        r.get("body", ""), r.get("elapsedMs", 0.0), r.get("truncated", False),
                                        r.get("truncatedAt"))
            exchanges.append(RecordedExchange(req, resp, ex.get("error"), ex.get("elapsedMs", 0.0)))
        return cls(
            action=data["action"], outcome=data["outcome"],
            started_at=datetime.fromisoformat(data["startedAt"]), duration_ms=data.get("durationMs", 0.0),
            exchanges=exchanges, error=data.get("error"), source=data.get("source", "manual"),
            values=data.get("values", {}), path_suffix=data.get("pathSuffix", ""), body=data.get("body"),
            _data=data["data"] if "data" in data else _UNSET, _fields=data.get("fields"),
        )


def _exchange_dict(ex: RecordedExchange) -> dict[str, Any]:
    req, resp = ex.request, ex.response
    # Header pairs stay tuples: JSON writes them as [name, value] arrays all the same.
    return {
        "request": {"method": req.method, "url": req.url, "headers": req.headers, "body": req.body},
        "response": None if resp is None else {
            "status": resp.status, "reason": resp.reason, "headers": resp.headers,
            "body": resp.body, "elapsedMs": round(resp.elapsed_ms, 2), "truncated": resp.truncated,
            "truncatedAt": resp.cut_at},
        "error": ex.error, "elapsedMs": round(ex.elapsed_ms, 2),
    }


def failure_reason(data: Any, body: str) -> str:
    """A short reason from an error body: the endpoints' own fields, with the JSON path if given."""
    if isinstance(data, dict):
        details, report = _object(data.get("details")), _object(data.get("report"))
        text = details.get("error") or report.get("message") or data.get("error_description") \
            or data.get("error") or data.get("title") or data.get("message")
        path = details.get("path")
        if text:
            return f"{text} (at {path})" if path else str(text)
    return body.strip().splitlines()[0][:200] if body.strip() else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_body(text: str, content_type: str) -> Any:
    """JSON when the body is JSON (by type or by look), else None."""
    stripped = text.lstrip()
    if "json" in content_type.lower() or stripped[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return None


def fields_of(data: Any, paths: Iterable[str]) -> dict[str, Any]:
    """The values at the given dotted paths (list items as `name[]` give the list of values)."""
    out: dict[str, Any] = {}
    for path in paths:
        value = _at(data, path.split("."))
        if value is not _ABSENT:
            out[path] = value
    return out


_ABSENT = object()


def _at(data: Any, parts: list[str]) -> Any:
    if not parts:
        return data
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        items = data.get(head[:-2]) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return _ABSENT
        values = [_at(item, rest) for item in items]
        return [v for v in values if v is not _ABSENT]
    if isinstance(data, dict) and head in data:
        return _at(data[head], rest)
    return _ABSENT
