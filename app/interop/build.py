"""Pieces every importer shares: action names by the platform's rule, URLs cut at their first path
parameter, payloads with Variable fields, the action validated into an entry of the report."""
from __future__ import annotations

import json
import re
from typing import Any, Optional
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError

from app.model import Action, error_lines, infer_payload
from app.model.base import only_placeholder
from app.model.payload import Payload, set_mode
from app.model.rules import NAME_MAX
from app.transfer import Imported

# A path parameter: OpenAPI's {id}, Postman's :id (a {{variable}} is not one).
_PATH_PARAM = re.compile(r"(?<!\{)\{(?!\{)[^{}/]+\}(?!\})|/:[A-Za-z_][A-Za-z0-9_]*")


def action_name(text: str, taken: set[str]) -> str:
    """A name the platform accepts (letters, digits, _; at most 30) made from `text`, not in `taken`
    (compared without case); `taken` gets it."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "imported"
    if base[0].isdigit():
        base = "a_" + base
    base = base[:NAME_MAX]
    name, n = base, 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"_{n}"
        name = base[: NAME_MAX - len(suffix)] + suffix
    taken.add(name)
    return name


def cut_path_params(url: str) -> tuple[str, str]:
    """The URL up to its first path parameter, and the rest: the platform's URL is static and the
    dynamic path is supplied per journey (e.g. `_id + '/messages'`)."""
    match = _PATH_PARAM.search(url)
    if match is None:
        return url, ""
    return url[: match.start()].rstrip("/") or url[: match.start()], url[match.start():]


def split_query(url: str) -> tuple[str, list[tuple[str, str]]]:
    """The URL without its query string (and #fragment), and the query's pairs in order."""
    base, _, rest = url.partition("?")
    query = rest.partition("#")[0]
    base = base.partition("#")[0]
    return base, parse_qsl(query, keep_blank_values=True)


def payload_of(data: Any, variables: dict[str, str], where: str) -> Payload:
    """A payload from example data; the fields at the dotted paths of `variables` (path -> label)
    made Variable with that label."""
    payload = infer_payload(json.dumps(data, indent=2, ensure_ascii=False), where)
    for path, label in variables.items():
        field = payload.find(path)
        if field is not None:
            set_mode(field, "variable")
            field.label = label
    return Payload.model_validate(payload.model_dump(by_alias=True))


def secret_or_missing(value: str, path: str, missing: list[str], secret: bool = True) -> Any:
    """A secret the file left empty (as our exports do) becomes a reference to fill in, listed in
    `missing`; a plain value stays (the import moves it to the keyring), as does a {{variable}}.
    `secret` False: an empty value stays empty."""
    if value or not secret:
        return value
    missing.append(path)
    return {"secret": f"missing/{path}"}


def url_host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def validated(data: dict[str, Any], missing: list[str], source: str) -> tuple[Optional[Imported], str]:
    """The action, or why it cannot be one (every field error with its path)."""
    try:
        return Imported(Action.model_validate(data), missing), ""
    except ValidationError as exc:
        return None, "; ".join(error_lines(exc))


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and only_placeholder(value)
