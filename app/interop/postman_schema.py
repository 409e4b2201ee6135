"""A collection checked against Postman's published Collection v2.1 schema (bundled in
resources/schemas), each problem said at its JSON path: the importer then reads only shapes the
format allows, and a request that breaks it is skipped with the reason."""
from __future__ import annotations

import functools
import json
from typing import Any

from app.interop.where import place
from app.paths import resource

SCHEMA_FILE = ("schemas", "postman-collection-v2.1.0.schema.json")


@functools.cache
def _validator() -> Any:
    import jsonschema  # type: ignore[import-untyped]  # no stubs installed

    schema = json.loads(resource(*SCHEMA_FILE).read_text("utf-8"))
    return jsonschema.Draft4Validator(schema)


def problems(collection: Any, text: str = "") -> dict[str, str]:
    """JSON path of the item (a request or a folder; "" for the collection itself) -> the first
    problem found in it, as 'item[0].request.url (line 9, column 5): 5 is not valid ...' (the
    place when the collection's `text` is given)."""
    out: dict[str, str] = {}
    for error in _validator().iter_errors(collection):
        for path, message in _leaves(error):
            at = place(text, path) if text else ""
            out.setdefault(_item_path(path), f"{_dotted(path) or '(collection)'}{f' ({at})' if at else ''}: {message}")
    return out


def _leaves(error: Any) -> list[tuple[list[Any], str]]:
    """(path, message) of the errors that say where: of a oneOf/anyOf failure (a request or a
    folder?), the sub-errors further into the document; when none is, the branches' own reasons
    ("'request' is a required property, or 'item' is ...") rather than "not valid under any"."""
    here = list(error.absolute_path)
    context = error.context or []
    deeper = [sub for sub in context if len(sub.absolute_path) > len(here)]
    if deeper:
        return [leaf for sub in deeper for leaf in _leaves(sub)]
    reasons = list(dict.fromkeys(sub.message for sub in context))
    return [(here, ", or ".join(reasons) if reasons else error.message)]


def _item_path(path: list[Any]) -> str:
    """The longest item[i].item[j]... prefix of a path: the request or folder it is in."""
    parts: list[Any] = []
    i = 0
    while i + 1 < len(path) and path[i] == "item" and isinstance(path[i + 1], int):
        parts += path[i:i + 2]
        i += 2
    return _dotted(parts)


def _dotted(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out
