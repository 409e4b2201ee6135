"""Import a Postman Collection (v2.1, v2.0 read alike) as actions: folders walked (their auth and
variables inherited), raw JSON / urlencoded / form-data bodies, auth types mapped where the platform
has them; every request gets an entry in the report saying what could not be mapped."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from app.interop import build, postman_schema
from app.interop.postman import EXPORT_MARK, PARAM_MARK, SETTING_PREFIX
from app.interop.postman_auth import auth_of, custom_auth_script
from app.interop.postman_body import body_of, description_text, response_into
from app.interop.report import Entry, InteropError, Report
from app.model import JsonError, parse_json

METHODS = ("POST", "PUT", "GET")


@dataclass
class _Scope:
    """What a folder passes down: its path of names and its auth (None: no auth given yet)."""

    folders: list[str] = field(default_factory=list)
    auth: Optional[dict[str, Any]] = None
    ours: bool = False  # a collection we exported


def read_collection(text: str, where: str = "collection") -> Report:
    """Every request of the collection as an action (or an entry saying why not)."""
    try:
        data = parse_json(text, where)
    except JsonError as exc:
        raise InteropError(str(exc)) from None
    check_collection(data, where)
    found = postman_schema.problems(data, text)
    if "" in found:
        raise InteropError(f"{where}: {found['']}")
    report = Report("postman", where, title=str(data["info"].get("name") or ""))
    for var in data.get("variable") or []:
        if isinstance(var, dict) and not var.get("disabled"):
            report.variables[str(var.get("key") or var.get("id") or "")] = str(var.get("value") or "")
    if report.variables:
        report.notes.append("collection variables (kept in the environment named after the collection; the "
                            "actions keep the {{names}}): " + ", ".join(sorted(report.variables)))
    root_auth = data.get("auth") if isinstance(data.get("auth"), dict) else None
    taken: set[str] = set()
    ours = description_text(data["info"].get("description")).startswith(EXPORT_MARK)
    _walk(data["item"], "item", _Scope([], root_auth, ours), report, taken, found)
    if not report.entries:
        report.notes.append("the collection holds no request")
    return report


def read_environment(text: str, where: str = "environment") -> Report:
    """A Postman environment: its enabled values, to add to the environment of the same name
    (`secret` ones to the keyring); it holds no request."""
    try:
        data = parse_json(text, where)
    except JsonError as exc:
        raise InteropError(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise InteropError(f"{where}: not a Postman environment (expected an object with name and values)")
    report = Report("postman-environment", where, title=str(data.get("name") or ""))
    secret: set[str] = set()
    for i, value in enumerate(data["values"]):
        if not isinstance(value, dict) or not isinstance(value.get("key"), str):
            report.notes.append(f"values[{i}] has no key and was left out")
        elif value.get("enabled", True) is not False:
            report.variables[value["key"]] = "" if value.get("value") is None else str(value["value"])
            if value.get("type") == "secret":
                secret.add(value["key"])
                if not report.variables[value["key"]]:
                    report.notes.append(f"the secret {value['key']} is empty (as our exports leave it): "
                                        "enter it in Environments")
    report.secret_variables = frozenset(secret)
    return report


def check_collection(data: Any, where: str) -> None:
    """A Postman collection's shape, or InteropError naming the JSON path that is wrong."""
    if not isinstance(data, dict) or "info" not in data:
        raise InteropError(f"{where}: not a Postman collection (expected an object with info and item)")
    info = data["info"]
    schema = info.get("schema", "") if isinstance(info, dict) else ""
    if "/v2." not in str(schema):
        raise InteropError(f"{where}: info.schema is {schema!r}; export the collection as Collection v2.1")
    if not isinstance(data.get("item"), list):
        raise InteropError(f"{where}: item must be a list of requests and folders")


def _walk(items: list[Any], path: str, scope: _Scope, report: Report, taken: set[str],
          found: dict[str, str]) -> None:
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        if not isinstance(item, dict):
            report.add(Entry(here, skipped=f"{here} is not an object"))
            continue
        folder = isinstance(item.get("item"), list) and "request" not in item
        if folder and here not in found:
            auth = item["auth"] if isinstance(item.get("auth"), dict) else scope.auth
            _walk(item["item"], f"{here}.item", _Scope([*scope.folders, str(item.get("name", ""))], auth, scope.ours),
                  report, taken, found)
            continue
        entry = Entry(f"{here} " + " / ".join([*scope.folders, str(item.get("name", "?"))]))
        if here in found:  # the schema's word on it: where it breaks the format
            entry.skipped = ("the folder breaks the Collection v2.1 format: " if folder else "") + found[here]
            report.add(entry)
            continue
        try:
            report.add(entry, _request(item, here, scope, entry, taken))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # a shape the schema allows, not foreseen
            entry.skipped, entry.name = f"{here}: cannot be read ({exc})", ""
            report.add(entry)


def _request(item: dict[str, Any], here: str, scope: _Scope, entry: Entry, taken: set[str]) -> Any:
    req = item.get("request")
    if isinstance(req, str):
        req = {"url": req, "method": "GET"}
    if not isinstance(req, dict):
        entry.skipped = f"{here}.request is missing or not an object"
        return None
    method = str(req.get("method") or "GET").upper()
    if method not in METHODS:
        entry.skipped = f"method {method}: the platform's custom actions use POST, PUT or GET"
        return None
    missing: list[str] = []
    data: dict[str, Any] = {"name": build.action_name(str(item.get("name") or "request"), taken)}
    if data["name"] != item.get("name"):
        entry.notes.append(f"named {data['name']} (names are letters, digits and _, at most 30)")
    entry.name = data["name"]
    description = description_text(req.get("description")) or description_text(item.get("description"))
    if description:
        data["description"] = description
    url, query = _url(req.get("url"), f"{here}.request.url", entry)
    headers = _params(req.get("header"), f"{here}.request.header", entry)
    for header in headers:
        if header["name"].lower() == "content-type" and "json" not in str(header.get("value", "")).lower():
            entry.notes.append(f"Content-Type {header.get('value')} became application/json: custom actions send JSON")
            header["value"] = "application/json"
    auth = req["auth"] if isinstance(req.get("auth"), dict) else scope.auth
    data["auth"] = auth_of(auth, entry, missing, headers)
    custom = custom_auth_script(item, entry, missing)
    if custom is not None:
        data["auth"] = custom
    data["endpoint"] = {"url": url, "method": method, "headers": headers, "query": query}
    body = body_of(req.get("body"), item, entry, scope.ours)
    if body is not None and method == "GET":
        entry.notes.append("the GET request's body was left out: the platform sends no body with GET")
    elif body is not None:
        data["request"] = body
    for response in item.get("response") or []:
        response_into(response, data, entry)
    _apply_settings(item, data)
    imported, problem = build.validated(data, missing, here)
    if imported is None:
        entry.skipped, entry.name = problem, ""
    return imported


def _apply_settings(item: dict[str, Any], data: dict[str, Any]) -> None:
    """The settings our export keeps in item variables: timeout, allow-NULL, optional fields."""
    for var in item.get("variable") or []:
        key = str(var.get("key", "")) if isinstance(var, dict) else ""
        if not key.startswith(SETTING_PREFIX):
            continue
        name, value = key[len(SETTING_PREFIX):], var.get("value")
        if name == "timeoutSeconds":
            data["timeoutSeconds"] = value
        elif name == "allowNull":
            data["allowNull"] = value is True
        elif name.endswith(".optional") and isinstance(data.get(name[: -len(".optional")]), dict):
            _mark_optional(data[name[: -len(".optional")]]["fields"], "", set(map(str, value or [])))


def _mark_optional(fields: list[dict[str, Any]], prefix: str, paths: set[str]) -> None:
    for each in fields:
        path = f"{prefix}.{each['name']}" if prefix else each["name"]
        each["optional"] = path in paths
        child = path + "[]" if each.get("type") == "listObject" else path
        _mark_optional(each.get("children", []), child, paths)


def _url(value: Any, where: str, entry: Entry) -> tuple[str, list[dict[str, Any]]]:
    raw = value.get("raw") if isinstance(value, dict) else value
    if not isinstance(raw, str) and isinstance(value, dict):
        host = value.get("host", "")
        host = ".".join(host) if isinstance(host, list) else str(host)
        path = value.get("path", "")
        path = "/".join(p if isinstance(p, str) else str(p.get("value", "")) for p in path) \
            if isinstance(path, list) else str(path)
        raw = (f"{value['protocol']}://" if value.get("protocol") else "") + host + ("/" + path if path else "")
    if not isinstance(raw, str) or not raw.strip():
        entry.notes.append(f"{where} is missing")
        return "https://", []  # refused with its path when the action is validated
    base, pairs = build.split_query(raw.strip())
    if isinstance(value, dict) and isinstance(value.get("query"), list):
        # The listed parameters become the action's; the rest of the raw query stays in the URL.
        query = _params(value["query"], f"{where}.query", entry)
        listed = {(str(q.get("key")), str(q.get("value") or "")) for q in value["query"] if isinstance(q, dict)}
        rest = [f"{k}={v}" for k, v in pairs if (k, v) not in listed]
        base = base + ("?" + "&".join(rest) if rest else "")
    else:
        query = [{"name": k, "value": v} for k, v in pairs]
    if "://" not in base and not base.startswith("{{"):
        base = "https://" + base
        entry.notes.append("the URL had no scheme; https:// was added")
    static, dynamic = build.cut_path_params(base)
    if dynamic:
        entry.notes.append(f"the path parameters {dynamic!r} were cut from the URL: the platform's URL is "
                           "static, the dynamic path is given per journey")
    return static, query


def _params(values: Any, where: str, entry: Entry) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(values, str):  # v2.0's "Name: value\n" text
        values = [{"key": k.strip(), "value": v.strip()} for k, _, v in
                  (line.partition(":") for line in values.splitlines() if ":" in line)]
    for i, param in enumerate(values or []):
        if not isinstance(param, dict) or not param.get("key"):
            continue
        if param.get("disabled"):
            entry.notes.append(f"{where}[{i}] {param['key']} is disabled in Postman and was left out")
            continue
        value = "" if param.get("value") is None else str(param["value"])
        note = description_text(param.get("description"))
        if note.startswith(PARAM_MARK) and build.is_placeholder(value):
            out.append({"name": param["key"], "mode": "variable", "label": note[len(PARAM_MARK):].strip()})
        else:
            out.append({"name": str(param["key"]), "value": value})
    return out
