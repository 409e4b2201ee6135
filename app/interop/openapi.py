"""Import one operation of an OpenAPI 3.0 / 3.1 document (JSON or YAML) as an action: the server
and path as the URL (cut at the first path parameter: the dynamic path is given per journey), the
method, header and query parameters, the security scheme as the authentication, and a request
payload from the examples, else made from the schema's types, its required properties Variable.

The document is validated by openapi-spec-validator and walked with jsonschema-path, which
resolves every `$ref` (no hand-made resolution here).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Optional

from app.interop import build
from app.interop.openapi_schema import example_of, given_example, required_paths
from app.interop.openapi_security import security_of
from app.interop.report import Entry, InteropError, Report
from app.interop.where import place
from app.model import JsonError, parse_json

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass
class Operation:
    id: str  # the operationId, else "METHOD /path"
    method: str
    path: str
    summary: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "method": self.method, "path": self.path, "summary": self.summary}


def load(text: str, where: str) -> Any:
    """The validated document as a jsonschema-path SchemaPath; InteropError says what and where."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    spec = _parse(text, where)
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3."):
        found = spec.get("swagger") or spec.get("openapi") if isinstance(spec, dict) else None
        raise InteropError(f"{where}: not an OpenAPI 3.0 or 3.1 document (openapi: {found!r})"
                           + ("; convert Swagger 2.0 to OpenAPI 3 first" if found == "2.0" else ""))
    # A $ref to another file or a URL is not followed: an import never reads the disk or the network
    # behind the user's back (the handlers refuse every scheme).
    doc = SchemaPath.from_dict(spec, handlers={scheme: _refuse for scheme in ("<all_urls>", "http", "https", "file")})
    try:
        get_validator_cls(spec)(doc).validate()
    except OpenAPIValidationError as exc:
        at = place(text, list(exc.absolute_path))
        raise InteropError(f"{where}: {getattr(exc, 'json_path', '') or '$'}{f' ({at})' if at else ''}: "
                           f"{exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - the validator raises its own kinds for references and the like
        raise InteropError(f"{where}: invalid OpenAPI document: {_reason(exc)}") from None
    return doc


def _refuse(uri: str) -> Any:
    raise ValueError(f"the $ref {uri} points outside the document; bundle the document into one file first")


def _reason(exc: BaseException) -> str:
    """The deepest cause's message: the resolver wraps ours (a $ref not followed) in its own."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return str(exc)


def _parse(text: str, where: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return parse_json(text, where)
        except JsonError as exc:
            raise InteropError(str(exc)) from None
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs

    try:
        data = _yaml_data(yaml, text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InteropError(f"{where}: {place}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    return _plain(data)


def _yaml_data(yaml: Any, text: str) -> Any:
    """`yaml.safe_load(text)`, read by libyaml when PyYAML was built with it (~6x less CPU: 11 -> 1.8 ms
    for the 3 KB test document); a text libyaml refuses is read again by PyYAML's own parser, whose
    message (what it expected, what it found) is the one we show."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # the safe loader, in C
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _plain(node: Any) -> Any:
    """YAML's extra types made JSON's: keys as text (200: is an int key in YAML), dates as ISO text."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def operations(doc: Any) -> list[Operation]:
    out = []
    for path in (doc / "paths").keys():
        item = doc / "paths" / path
        for method in HTTP_METHODS:
            if method in item:
                op = item / method
                op_id = _str(op, "operationId") or f"{method.upper()} {path}"
                out.append(Operation(op_id, method.upper(), path, _str(op, "summary")))
    return out


class OperationError(InteropError):
    """An error found once the document's operations are known: they come with it (the command
    line lists them) without validating the document a second time (~50 ms of CPU for a small one)."""

    def __init__(self, message: str, operations: list[Operation]) -> None:
        super().__init__(message)
        self.operations = operations


def read_operation(text: str, where: str, operation_id: Optional[str] = None) -> Report:
    """The chosen operation (the only one when there is one) as an action, with its report."""
    doc = load(text, where)
    ops = operations(doc)
    try:
        return _read_chosen(doc, ops, where, operation_id)
    except InteropError as exc:
        raise OperationError(str(exc), ops) from None


def _read_chosen(doc: Any, ops: list[Operation], where: str, operation_id: Optional[str]) -> Report:
    if not ops:
        raise InteropError(f"{where}: the document has no operations")
    if operation_id is None and len(ops) > 1:
        raise InteropError(f"{where}: {len(ops)} operations; choose one with --operation: "
                           + ", ".join(o.id for o in ops))
    chosen = ops[0] if operation_id is None else next((o for o in ops if o.id == operation_id), None)
    if chosen is None:
        raise InteropError(f"{where}: no operation {operation_id!r}; the operations are: "
                           + ", ".join(o.id for o in ops))
    report = Report("openapi", where, title=_str(doc / "info", "title"))
    entry = Entry(f"{chosen.method} {chosen.path}")
    try:
        report.add(entry, _convert(doc, chosen, entry))
    except InteropError:
        raise
    except Exception as exc:  # noqa: BLE001 - jsonschema-path raises its own kinds for unresolvable $refs
        raise InteropError(f"{where}: {chosen.method} {chosen.path}: {_reason(exc)}") from None
    return report


def _str(node: Any, key: str) -> str:
    if key not in node:
        return ""
    value = (node / key).read_value()
    return value if isinstance(value, str) else ""


def _convert(doc: Any, op: Operation, entry: Entry) -> Any:
    if op.method not in ("GET", "POST", "PUT"):
        raise InteropError(f"{op.method} {op.path}: the platform's custom actions use POST, PUT or GET")
    item = doc / "paths" / op.path
    node = item / op.method.lower()
    missing: list[str] = []
    name = build.action_name(op.id, set())
    if name != op.id:
        entry.notes.append(f"named {name} (names are letters, digits and _, at most 30)")
    entry.name = name
    url = _server(doc, item, node, entry).rstrip("/") + op.path
    static, dynamic = build.cut_path_params(url)
    if dynamic:
        entry.notes.append(f"the path parameters {dynamic!r} were cut from the URL: the platform's URL is static, "
                           "the dynamic path is given per journey")
    headers, query = _parameters(item, node, entry)
    auth = security_of(doc, node, entry, missing, headers)
    data: dict[str, Any] = {"name": name, "description": _str(node, "summary") or _str(node, "description"),
                            "endpoint": {"url": static, "method": op.method, "headers": headers, "query": query},
                            "auth": auth}
    body = _body(node, entry)
    if body is not None and op.method == "GET":
        entry.notes.append("the GET operation's request body was left out: the platform sends no body with GET")
    elif body is not None:
        data["request"] = body
    response = _response(node)
    if response is not None:
        data["response"] = response
    imported, problem = build.validated(data, missing, op.id)
    if imported is None:
        raise InteropError(f"{op.method} {op.path}: {problem}")
    return imported


def _server(doc: Any, item: Any, node: Any, entry: Entry) -> str:
    for holder in (node, item, doc):
        servers = (holder / "servers").read_value() if "servers" in holder else []
        if servers:
            server = servers[0]
            url = str(server.get("url", ""))
            for var, spec in (server.get("variables") or {}).items():
                url = url.replace("{" + var + "}", str(spec.get("default", "")))
            if url.startswith("/") or not url:
                entry.notes.append(f"the server URL {url!r} is relative: the action's URL starts with {{{{baseUrl}}}}")
                return "{{baseUrl}}" + url
            return url
    entry.notes.append("the document names no server: the action's URL starts with {{baseUrl}}")
    return "{{baseUrl}}"


def _parameters(item: Any, node: Any, entry: Entry) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    chosen: dict[tuple[str, str], Any] = {}
    for holder in (item, node):  # the operation's override the path's
        if "parameters" in holder:
            for param in holder / "parameters":
                with param.open() as value:
                    chosen[(str(value.get("in")), str(value.get("name")))] = param
    headers: list[dict[str, Any]] = []
    query: list[dict[str, Any]] = []
    for (where, name), param in chosen.items():
        with param.open() as value:
            spec = dict(value)
        if where == "cookie":
            entry.notes.append(f"cookie parameter {name} cannot be sent by a custom action")
            continue
        if where not in ("header", "query"):
            continue
        target = headers if where == "header" else query
        if spec.get("required"):
            target.append({"name": name, "mode": "variable", "label": name})
            continue
        example = spec.get("example")
        if example is None and "schema" in param:  # the schema's own example or default, never a made-up one
            example = given_example(param / "schema")
        if example is None or isinstance(example, (dict, list)):
            entry.notes.append(f"optional {where} parameter {name} was left out (no example value)")
            continue
        target.append({"name": name, "value": json.dumps(example) if not isinstance(example, str) else example})
    return headers, query


def _json_media(node: Any) -> Any:
    if "content" not in node:
        return None
    content = node / "content"
    for media in content.keys():
        if media == "application/json" or media.endswith("+json"):
            return content / media
    return None


def _media_example(media: Any) -> Any:
    """The media type's example, else its first examples entry, else one made from the schema."""
    if "example" in media:
        return (media / "example").read_value()
    if "examples" in media:
        for key in (media / "examples").keys():
            example = media / "examples" / key
            if "value" in example:
                return (example / "value").read_value()
    return example_of(media / "schema") if "schema" in media else None


def _body(node: Any, entry: Entry) -> Optional[dict[str, Any]]:
    if "requestBody" not in node:
        return None
    media = _json_media(node / "requestBody")
    if media is None:
        entry.notes.append("the request body is not JSON: custom actions send a JSON payload; left out")
        return None
    data = _media_example(media)
    variables = required_paths(media / "schema") if "schema" in media else {}
    try:
        return build.payload_of(data, variables, "requestBody").dump()
    except ValueError as exc:
        entry.notes.append(f"the request body example cannot be a payload: {exc}")
        return None


def _response(node: Any) -> Optional[dict[str, Any]]:
    if "responses" not in node:
        return None
    for code in (node / "responses").keys():
        if str(code).startswith("2"):
            media = _json_media(node / "responses" / code)
            if media is None:
                return None
            try:
                return build.payload_of(_media_example(media), {}, "response").dump()
            except ValueError:
                return None
    return None
