"""Payload examples and their field trees: inference from pasted JSON, modes, type checks."""
from __future__ import annotations

import json
import math
import re
import sys
from typing import Any, Iterator, Literal, Optional

from pydantic import Field, field_validator, model_validator

from app import jsonstrict
from app.model.base import Model

FieldType = Literal[
    "string", "integer", "decimal", "boolean", "dateTime", "dateOnly", "object",
    "listString", "listInteger", "listDecimal", "listBoolean", "listDateTime", "listObject", "listAny",
]
Mode = Literal["constant", "variable"]
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class JsonError(ValueError):
    """Invalid JSON, with the 1-based line and column of the problem."""

    def __init__(self, message: str, line: int, column: int, where: str = "") -> None:
        self.message, self.line, self.column = message, line, column
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}line {line}, column {column}: {message}")


class PayloadField(Model):
    """One field of a payload: its type, Constant value or Variable label, optional flag."""

    name: str
    type: FieldType = "string"
    mode: Mode = "constant"
    value: Any = None
    label: str = ""
    optional: bool = False
    children: list["PayloadField"] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        problem = field_name_problem(name)
        if problem:
            raise ValueError(problem)
        return name


class Payload(Model):
    """An example pasted by the user and the field tree inferred from it (root object or array)."""

    example: str = "{}"
    root: Literal["object", "array"] = "object"
    fields: list[PayloadField] = Field(default_factory=list)

    @field_validator("example")
    @classmethod
    def _example_is_json(cls, text: str) -> str:
        # A full parse is left to the field inference below and to the editors; only the literals
        # Python reads but JSON has not are looked for here, cheaply.
        if "NaN" in text or "Infinity" in text:
            try:
                jsonstrict.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
            except ValueError:
                pass  # not JSON at all: reported where the example is read (inference, editor)
        return text

    @model_validator(mode="after")
    def _fields_from_example(self) -> "Payload":
        """An example without a field list (a hand-written file) gets its fields inferred from the
        example, else it would validate, show the example and send {}; an unreadable one is refused."""
        if self.fields or self.example.strip() in ("", "{}", "[]"):
            return self
        try:
            inferred = infer_payload(self.example, "example")
        except ValueError as exc:
            raise ValueError(f"{exc} (the payload lists no fields, so they are read from the example)") from None
        object.__setattr__(self, "root", inferred.root)  # no re-validation: inference checked them
        object.__setattr__(self, "fields", inferred.fields)
        return self

    def walk(self) -> Iterator[tuple[str, PayloadField]]:
        """Every field with its dotted path, depth first (list items as name[])."""
        yield from _walk(self.fields, "")

    def find(self, path: str) -> Optional[PayloadField]:
        return next((f for p, f in self.walk() if p == path), None)

    def variables(self) -> list[tuple[str, PayloadField]]:
        """The Variable fields a journey author fills, outermost first (children of a variable skip)."""
        out: list[tuple[str, PayloadField]] = []
        skip: tuple[str, ...] = ()
        for path, field in self.walk():
            if skip and path.startswith(skip):
                continue
            if field.mode == "variable":
                out.append((path, field))
                if field.type in ("object", "listObject"):
                    skip = (path + ".", path + "[]")
        return out


def _walk(fields: list[PayloadField], prefix: str) -> Iterator[tuple[str, PayloadField]]:
    for field in fields:
        path = f"{prefix}.{field.name}" if prefix else field.name
        yield path, field
        child_prefix = path + "[]" if field.type == "listObject" else path
        yield from _walk(field.children, child_prefix)


def field_name_problem(name: str) -> Optional[str]:
    if "." in name:
        return f"field name {name!r} contains '.', which the platform refuses"
    if name.startswith("$"):
        return f"field name {name!r} starts with '$', which the platform refuses"
    return None


def parse_json(text: str, where: str = "") -> Any:
    """Parse JSON or raise JsonError naming the line and column."""
    try:
        return jsonstrict.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonError(_friendly(exc.msg), exc.lineno, exc.colno, where) from None
    except RecursionError:
        raise JsonError("nested too deeply", 1, 1, where) from None
    except ValueError:  # an integer past Python's conversion limit (sys.get_int_max_str_digits)
        line, column = _long_number_at(text)
        raise JsonError(f"a number with more than {sys.get_int_max_str_digits()} digits is too long",
                        line, column, where) from None


def _long_number_at(text: str) -> tuple[int, int]:
    """Line and column (1-based) of the first number too long to convert."""
    match = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
    start = match.start() if match else 0
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _friendly(msg: str) -> str:
    hints = {
        "Invalid control character at":
            "a string is not closed before the end of the line (or holds a raw control character)",
        "Unterminated string starting at": "a string is not closed",
        "Expecting property name enclosed in double quotes":
            "expected a property name in double quotes (a trailing comma?)",
        "Expecting ',' delimiter": "expected ',' between items",
        "Expecting ':' delimiter": "expected ':' after a property name",
        "Expecting value": "expected a value",
        "Extra data": "unexpected text after the end of the JSON document",
    }
    for start, hint in hints.items():
        if msg.startswith(start):
            return hint
    return msg


def infer_payload(text: str, where: str = "payload") -> Payload:
    """Build a payload from an example: every field Constant, its type inferred from the value."""
    return payload_of(parse_json(text, where), text, where)


def payload_of(data: Any, text: str, where: str = "payload") -> Payload:
    """`infer_payload` of a text already parsed to `data` (the editor's worker keeps the document)."""
    # model_construct: the text was just parsed and the fields built from it, nothing to re-check.
    if isinstance(data, dict):
        return Payload.model_construct(example=text, root="object", fields=_fields_of(data, ""))
    if isinstance(data, list):
        first = next((x for x in data if isinstance(x, dict)), None)
        if first is None:
            raise ValueError(f"{where}: a top-level array must hold objects")
        return Payload.model_construct(example=text, root="array", fields=_fields_of(first, "[]"))
    raise ValueError(f"{where}: the example must be a JSON object or an array of objects")


def _fields_of(obj: dict[str, Any], path: str) -> list[PayloadField]:
    out = []
    for name, value in obj.items():
        here = f"{path}.{name}" if path else name
        out.append(infer_field(name, value, here))
    return out


def infer_field(name: str, value: Any, path: str) -> PayloadField:
    """The field inferred from `"name": value` at `path` (its children too); ValueError for a refused name."""
    problem = field_name_problem(name)
    if problem:
        raise ValueError(f"{path}: {problem}")
    ftype = infer_type(value)
    children: list[PayloadField] = []
    if ftype == "object":
        children = _fields_of(value, path)
        value = None
    elif ftype == "listObject":
        first = next(x for x in value if isinstance(x, dict))
        children = _fields_of(first, path + "[]")
    return build_field(name, ftype, value, value is None and ftype == "string", children)


_new_instance = object.__new__
_set = object.__setattr__
# Every field is given when inferring, so every inferred field's fields-set is all of them. One set
# is shared: pydantic only ever adds a name to it (on assignment), and every name is in it already.
_ALL_SET = set(PayloadField.model_fields)


def build_field(name: str, ftype: FieldType, value: Any, optional: bool, children: list[PayloadField],
                mode: Mode = "constant", label: str = "") -> PayloadField:
    """What `PayloadField.model_construct` builds, without its per-field loop over aliases: a 1 MB
    example makes 20,000 fields in a worker that shares the GIL with the UI thread (issue 14), and
    each object tracked by the garbage collector counts towards a collection that pauses every
    thread (a shared fields-set: three such objects per field instead of four)."""
    field = _new_instance(PayloadField)
    _set(field, "__dict__", {"name": name, "type": ftype, "mode": mode, "value": value, "label": label,
                             "optional": optional, "children": children})
    _set(field, "__pydantic_fields_set__", _ALL_SET)
    _set(field, "__pydantic_extra__", None)
    _set(field, "__pydantic_private__", None)
    return field


def infer_type(value: Any) -> FieldType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, str):
        return "dateTime" if _DATETIME.match(value) else "dateOnly" if _DATE.match(value) else "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return _list_type([x for x in value if x is not None])
    return "string"  # null in an example: the type is unknown; treated as an optional string


def _list_type(items: list[Any]) -> FieldType:
    if not items:
        return "listAny"
    kinds = {infer_type(x) for x in items}
    if kinds == {"object"}:
        return "listObject"
    if kinds <= {"integer"}:
        return "listInteger"
    if kinds <= {"integer", "decimal"}:
        return "listDecimal"
    if kinds == {"boolean"}:
        return "listBoolean"
    if kinds == {"dateTime"}:
        return "listDateTime"
    if kinds <= {"string", "dateTime", "dateOnly"}:
        return "listString"
    return "listAny"


# Built once: type_problem runs for every value of every call on the bulk and journey paths.
_SCALAR: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "decimal": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "dateTime": lambda v: isinstance(v, str) and bool(_DATETIME.match(v)),
    "dateOnly": lambda v: isinstance(v, str) and bool(_DATE.match(v)),
    "object": lambda v: isinstance(v, dict),
}


def type_problem(ftype: FieldType, value: Any) -> Optional[str]:
    """Why a value does not fit a field type, or None (null is judged by the caller)."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a JSON number (JSON has no NaN or Infinity): use a number or null"
    check = _SCALAR.get(ftype)
    if check is not None:
        ok = check(value)
        return None if ok else f"expected {_article(ftype)}, got {_describe(value)}"
    if not isinstance(value, list):
        return f"expected a list ({ftype}), got {_describe(value)}"
    if ftype == "listAny":
        return None
    item_type = {"listObject": "object"}.get(ftype, ftype[4].lower() + ftype[5:])
    for i, item in enumerate(value):
        problem = type_problem(item_type, item)  # type: ignore[arg-type]
        if problem:
            return f"item {i}: {problem}"
    return None


def _article(ftype: str) -> str:
    words = {"dateTime": "a date-time (ISO 8601)", "dateOnly": "a date (YYYY-MM-DD)", "integer": "an integer",
             "object": "an object", "decimal": "a number", "boolean": "true or false", "string": "a string"}
    return words.get(ftype, ftype)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    names = {int: "an integer", float: "a decimal", dict: "an object", list: "a list"}
    return names.get(type(value), type(value).__name__)


def set_mode(field: PayloadField, mode: Mode) -> None:
    """Toggle a field; an array of objects (or an object) carries its children along."""
    field.mode = mode
    if field.type in ("listObject", "object") and mode == "variable":
        for child in field.children:
            set_mode(child, mode)
