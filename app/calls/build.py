"""The concrete request of an action: URL (+ dynamic path), query, headers and the JSON payload.

`prepare(action, resolver)` resolves everything that is the same for every call once ({{env}}
variables and secrets in the URL, constant headers and query parameters, constant payload strings)
and compiles the payload into a plan; `Prepared.render(values)` then makes one request cheaply,
which is what the bulk path needs. Values are checked (`app.calls.values.check_values`) first.
"""
from __future__ import annotations

import json.encoder
import re
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from app.calls.record import FieldReader
from app.calls.values import LIST_TYPES, Fitter, Input, check_values, fitter, inputs
from app.jsontext import compact_encoder
from app.model import Action, PayloadField
from app.resolve import Resolver

_NOTHING = object()
# Sent unless the action sets them (the same whatever the transport: aiohttp and httpcore differ).
# "no body given" (the _NOTHING below): the payload is built from the fields
DEFAULT_HEADERS = {"User-Agent": "action-studio/0.1", "Accept": "*/*"}


class SetupError(ValueError):
    """The request cannot be built (an undefined {{variable}}, a missing secret, a bad URL)."""


@dataclass(slots=True)  # made per call on the bulk and journey paths: slots make it cheaper
class Outgoing:
    """One request ready to send (credentials are added by the sender)."""

    method: str
    url: str
    headers: dict[str, str]
    body: Optional[bytes]
    values: dict[str, Any] = field(default_factory=dict)
    path_suffix: str = ""
    target: Optional[httpx.URL] = None  # the parsed URL (parsing per call is costly on the bulk path)
    raw_body: Any = None  # the JSON given instead of the built payload, if any

    @property
    def parsed_url(self) -> httpx.URL:
        if self.target is None:
            self.target = httpx.URL(self.url)
        return self.target

    @property
    def body_text(self) -> Optional[str]:
        return None if self.body is None else self.body.decode("utf-8", "replace")


# A compiled payload node: ("const", value) | ("var", key) | ("obj", [(name, node), ...])
# | ("items", base_items, [(name, node), ...]) for a constant list of objects with Variable children.
Node = tuple[Any, ...]


@dataclass
class Prepared:
    """An action resolved for calling; `render` makes one Outgoing from checked values."""

    action: Action
    resolver: Resolver
    url: str
    headers: dict[str, str]
    query: list[tuple[str, str]]
    plan: Optional[Node]
    root: str
    inputs: list[Input]
    _parsed: Optional[httpx.URL] = None
    _parsed_text: str = ""
    _host: str = ""
    _netloc: str = ""
    _reader: Optional[FieldReader] = None
    _template: Any = _NOTHING
    _params: bool = field(init=False)  # whether a Variable header or query parameter is among the inputs
    _fit: Fitter = field(init=False)  # values.fitting for every input, made once

    def __post_init__(self) -> None:
        self._params = any(i.kind != "payload" for i in self.inputs)
        self._fit = fitter(self.inputs)

    @property
    def reader(self) -> FieldReader:
        """Reads the response example's fields from a response (shared by every call)."""
        if self._reader is None:
            self._reader = FieldReader(self.action.response, self.action.error_response)
        return self._reader

    @property
    def host(self) -> str:
        if not self._host:  # asked for every call (the per-host cap): httpx decodes it each time
            self._host = self.parsed_url.host
        return self._host

    @property
    def netloc(self) -> str:
        """The URL's host and port as the Host header gives them (asked for every call)."""
        if not self._netloc:
            self._netloc = self.parsed_url.netloc.decode("ascii")
        return self._netloc

    @property
    def parsed_url(self) -> httpx.URL:
        if self._parsed is None:
            parsed = httpx.URL(self.url)
            self._parsed = parsed.copy_merge_params(tuple(self.query)) if self.query else parsed
            self._parsed_text = str(self._parsed)
        return self._parsed

    def check(self, raw: dict[str, Any], payload: bool = True) -> dict[str, Any]:
        """Values checked against the action's fields (raises ValuesError). With payload=False
        only the Variable headers and query parameters (a raw body replaces the payload)."""
        known = self.inputs if payload else [i for i in self.inputs if i.kind != "payload"]
        found = self._fit(raw) if payload else fitter(known)(raw)  # the common case, without the whole check's work
        if found is not None:
            return found
        return check_values(self.action, raw, known)

    def render(self, values: dict[str, Any], path_suffix: str = "", body: Any = _NOTHING) -> Outgoing:
        """The request for checked values; `body` (any JSON) replaces the built payload if given."""
        headers = self.headers  # shared (never mutated) unless a Variable header is set
        query: list[tuple[str, str]] = []
        for key, value in values.items() if self._params else ():
            kind, _, name = key.partition(":")
            if kind == "header" and name:
                if headers is self.headers:
                    headers = dict(self.headers)
                headers[name] = value
            elif kind == "query" and name:
                query.append((name, value))
        target: Optional[httpx.URL] = None
        if path_suffix or query:
            url = join_path(self.url, self.dynamic_path(path_suffix)) if path_suffix else self.url
            if self.query or query:
                url = str(httpx.URL(url).copy_merge_params([*self.query, *query]))
        else:  # the common case: the URL parsed once for every call
            target = self.parsed_url
            url = self._parsed_text
        raw = None if body is _NOTHING else body
        if body is _NOTHING:
            data = None if self.plan is None else self._payload(values)
        else:
            data = None if body is None else _dumps(body)  # no payload: no body (not "null")
        return Outgoing(self.action.endpoint.method, url, headers, data, values, path_suffix, target, raw)

    def _payload(self, values: dict[str, Any]) -> bytes:
        """The payload's bytes: its constant text with the values' JSON in between (the same bytes
        as encoding the whole payload, at a fraction of the cost); else rendered and encoded."""
        plan = self.plan
        assert plan is not None  # called only for an action with a payload
        if self._template is _NOTHING:
            self._template = _template(plan, self.root == "array")
        if self._template is not None:
            first, pairs = self._template
            parts = [first]  # joined once: adding each piece to the text copied the text so far every time
            add = parts.append
            try:
                for key, after in pairs:  # no comprehension: its own frame per call costs more than the loop
                    value = values[key]  # a text (most values) quoted here: one Python call less
                    add(_quote(value) if type(value) is str else _encode(value))
                    add(after)
                return "".join(parts).encode()
            except KeyError:  # an unfilled optional field is omitted: rendered
                pass
        body = _render(plan, values)
        return _dumps([body] if self.root == "array" else body)

    def dynamic_path(self, suffix: str) -> str:
        """The dynamic path with its {{variables}} resolved; raises SetupError when it would climb
        above the action's URL path (a `.` or `..` segment, encoded or not)."""
        resolved = self._text(suffix, "the dynamic path")
        problem = path_problem(resolved)
        if problem:
            raise SetupError(problem)
        return resolved

    def _text(self, text: str, where: str) -> str:
        try:
            return self.resolver.text(text, where)
        except Exception as exc:  # MissingVariable, a {{variable}} loop
            raise SetupError(str(exc)) from None


def prepare(action: Action, resolver: Resolver) -> Prepared:
    """Resolve the constant parts of an action once. Raises SetupError naming what is missing."""
    try:
        url = resolver.text(action.endpoint.url, "the URL")
        headers = {p.name: resolver.value(p.value, f"header {p.name}")
                   for p in action.endpoint.headers if p.mode == "constant"}
        names = {h.lower() for h in headers} | {p.name.lower() for p in action.endpoint.headers}
        headers.update({k: v for k, v in DEFAULT_HEADERS.items() if k.lower() not in names})
        query = [(p.name, resolver.value(p.value, f"query parameter {p.name}"))
                 for p in action.endpoint.query if p.mode == "constant"]
        plan = None
        if action.request is not None:
            plan = _compile(action.request.fields, "", resolver, action.allow_null)
    except SetupError:
        raise
    except Exception as exc:  # MissingVariable, MissingSecret, SecretError, a {{variable}} loop
        raise SetupError(str(exc)) from None
    problem = _url_problem(url)
    if problem:
        raise SetupError(f"the URL {url!r} {problem}")
    root = action.request.root if action.request is not None else "object"
    return Prepared(action, resolver, url, headers, query, plan, root, inputs(action))


def build(action: Action, values: dict[str, Any], resolver: Resolver, path_suffix: str = "") -> Outgoing:
    """One request from raw values (checked here). Raises ValuesError or SetupError."""
    prepared = prepare(action, resolver)
    return prepared.render(prepared.check(values), path_suffix)


def payload_body(action: Action, values: dict[str, Any], resolver: Resolver) -> Any:
    """The JSON body built from checked values, without resolving the URL or headers (a preview)."""
    if action.request is None:
        return None
    try:
        plan = _compile(action.request.fields, "", resolver, action.allow_null)
    except Exception as exc:  # MissingVariable, a {{variable}} loop
        raise SetupError(str(exc)) from None
    body = _render(plan, values)
    return [body] if action.request.root == "array" else body


def join_path(url: str, suffix: str) -> str:
    """Append a dynamic path to the URL's path, keeping its query string (`?a=1` stays last)."""
    parts = urlsplit(url)
    suffix_path, _, suffix_query = suffix.partition("?")
    path = parts.path.rstrip("/") + "/" + suffix_path.lstrip("/") if suffix_path else parts.path
    query = "&".join(q for q in (parts.query, suffix_query) if q)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


_SEGMENT_SPLIT = re.compile(r"[/\\]")


def path_problem(suffix: str) -> Optional[str]:
    """Why a dynamic path may not be used, or None. URLs resolve `..` (and servers decode `%2e%2e`,
    some treat `\\` as `/`), so a dot segment would reach paths beside or above the action's own
    (the sandbox's control API was reached that way): refused, not encoded, so the mistake shows."""
    path = unquote(suffix.partition("?")[0])
    for segment in _SEGMENT_SPLIT.split(path):
        if segment in (".", ".."):
            return (f"the dynamic path {suffix!r} has a {segment!r} segment: a dynamic path is appended "
                    "to the action's URL path and may not climb above it")
    return None


def _url_problem(url: str) -> Optional[str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.netloc:
        return "has no host"
    return None


_encode = compact_encoder()  # one encoder for every call (app.jsontext)
_quote = json.encoder.encode_basestring  # a text's JSON as _encode gives it (non-ASCII kept)


def _dumps(body: Any) -> bytes:
    return _encode(body).encode("utf-8")


# -- the payload plan ------------------------------------------------------------------------------
def _compile(fields: list[PayloadField], prefix: str, resolver: Resolver, allow_null: bool) -> Node:
    members: list[tuple[str, Node]] = []
    for f in fields:
        path = f"{prefix}.{f.name}" if prefix else f.name
        node = _compile_field(f, path, resolver, allow_null)
        if node is not None:
            members.append((f.name, node))
    if all(node[0] == "const" for _, node in members):
        return ("const", {name: node[1] for name, node in members})
    return ("obj", members)


def _compile_field(f: PayloadField, path: str, resolver: Resolver, allow_null: bool) -> Optional[Node]:
    if f.mode == "variable":
        return ("var", path)
    if f.type == "object":
        return _compile(f.children, path, resolver, allow_null)
    if f.type == "listObject" and _has_variable(f.children):
        base = f.value if isinstance(f.value, list) and f.value else [{}]
        # Only the Variable parts are set in each item; the items' own constants stay as they are.
        item = [(c.name, _compile_field(c, f"{path}[].{c.name}", resolver, allow_null))
                for c in f.children if c.mode == "variable" or _has_variable(c.children)]
        return ("items", _resolved(base, resolver, path), ("obj", item))
    if f.value is None:
        if allow_null:
            return ("const", [] if f.type in LIST_TYPES else None)
        return None if f.optional else ("const", None)
    return ("const", _resolved(f.value, resolver, path))


def _has_variable(fields: list[PayloadField]) -> bool:
    return any(f.mode == "variable" or _has_variable(f.children) for f in fields)


def _resolved(value: Any, resolver: Resolver, path: str) -> Any:
    """Constant values with {{variables}} in their strings resolved."""
    if isinstance(value, str):
        return resolver.text(value, f"payload field {path}") if "{{" in value else value
    if isinstance(value, list):
        return [_resolved(v, resolver, path) for v in value]
    if isinstance(value, dict):
        return {k: _resolved(v, resolver, f"{path}.{k}") for k, v in value.items()}
    return value


_MISSING = object()


def _template(plan: Node, array: bool) -> Optional[tuple[str, list[tuple[str, str]]]]:
    """The payload's JSON as its first constant text, then each variable's key with the constant text
    after it; None when a list of objects has Variable parts (merged into each item: rendered instead)."""
    pieces: list[Any] = ["["] if array else []
    if not _pieces(plan, pieces):
        return None
    pieces += ["]"] if array else []
    texts, keys = [""], []
    for piece in pieces:
        if isinstance(piece, str):
            texts[-1] += piece
        else:
            keys.append(piece[0])
            texts.append("")
    return texts[0], list(zip(keys, texts[1:], strict=True))


def _pieces(node: Node, out: list[Any]) -> bool:
    """Appends a node's constant texts and its variables (as 1-tuples of their key)."""
    kind = node[0]
    if kind == "const":
        out.append(_encode(node[1]))
    elif kind == "var":
        out.append((node[1],))
    elif kind == "obj":
        out.append("{")
        for i, (name, child) in enumerate(node[1]):
            out.append(("," if i else "") + _encode(name) + ":")
            if not _pieces(child, out):
                return False
        out.append("}")
    else:
        return False
    return True


def _render(node: Node, values: dict[str, Any]) -> Any:
    kind = node[0]
    if kind == "const":
        return node[1]
    if kind == "var":
        return values.get(node[1], _MISSING)
    if kind == "obj":
        out = {}
        for name, child in node[1]:
            value = _render(child, values)
            if value is not _MISSING:  # an unfilled optional field is omitted
                out[name] = value
        return out
    base, item = node[1], node[2]
    rendered = _render(item, values)
    return [{**x, **rendered} if isinstance(x, dict) else x for x in base]

