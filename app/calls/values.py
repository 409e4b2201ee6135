"""Values for an action's Variable fields: which inputs exist, checks against their types, allowNull.

Values are a mapping keyed by:
- the payload path of an outermost Variable field, as `Payload.variables()` names it
  (`body.name`, `user.named_user_id`, list items as `items[].text`);
- `header:<Name>` for a Variable header and `query:<name>` for a Variable query parameter.
A key may also be the input's label (case-insensitive), as journey authors see it.

The allowNull rules (the platform's): with "allow NULL values" a null is sent as null, null items
inside arrays are dropped and a null array is sent as []; an optional field left unfilled is then
sent as null (or []). Without it, an optional unfilled (or null) field is omitted, and a null for a
required field is an error.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Mapping, Optional

from app.datetexts import fits_date, fits_datetime
from app.model import Action, JsonError, PayloadField, parse_json
from app.model.payload import type_problem

Kind = Literal["payload", "header", "query"]
LIST_TYPES = frozenset({"listString", "listInteger", "listDecimal", "listBoolean", "listDateTime",
                        "listObject", "listAny"})
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class ValuesError(ValueError):
    """The values cannot be sent; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Input:
    """One value a caller supplies: a Variable payload field, header or query parameter."""

    key: str
    label: str
    type: str
    optional: bool
    kind: Kind
    example: Any = None
    field: Optional[PayloadField] = None

    @property
    def shown(self) -> str:
        """`key (label)` for messages."""
        return f"{self.key} ({self.label})" if self.label and self.label != self.key else self.key


def inputs(action: Action) -> list[Input]:
    """Every value the action needs, payload fields first, then headers and query parameters."""
    out: list[Input] = []
    if action.request is not None:
        for path, field in action.request.variables():
            out.append(Input(path, field.label or field.name, field.type, field.optional, "payload",
                             example_of(field), field))
    for kind, params in (("header", action.endpoint.headers), ("query", action.endpoint.query)):
        for param in params:
            if param.mode == "variable":
                example = param.value if isinstance(param.value, str) else ""
                out.append(Input(f"{kind}:{param.name}", param.label or param.name, "string", False,
                                 kind, example))  # type: ignore[arg-type]
    return out


def example_of(field: PayloadField) -> Any:
    """A field's example value (objects rebuilt from their children)."""
    if field.type == "object":
        return {c.name: example_of(c) for c in field.children}
    if field.type == "listObject" and not isinstance(field.value, list):
        return [{c.name: example_of(c) for c in field.children}]
    return field.value


def example_values(action: Action) -> dict[str, Any]:
    """Values taken from the example payload (what a form is prefilled with)."""
    return {i.key: i.example for i in inputs(action)}


def canonical(action: Action, raw: Mapping[str, Any], known: Optional[list[Input]] = None) -> dict[str, Any]:
    """Values keyed by input key; labels are accepted too. Unknown keys are an error."""
    known = known if known is not None else inputs(action)
    keys = {i.key for i in known}
    if keys.issuperset(raw):  # every name an input key, as the bulk and journey paths give them
        return dict(raw)
    by_key = {i.key: i.key for i in known}
    by_label = {i.label.lower(): i.key for i in known}
    by_lower = {i.key.lower(): i.key for i in known}
    out: dict[str, Any] = {}
    unknown = []
    for name, value in raw.items():
        key = by_key.get(name) or by_lower.get(name.lower()) or by_label.get(name.strip().lower())
        if key is None:
            unknown.append(name)
        else:
            out[key] = value
    if unknown:
        names = ", ".join(i.key for i in known) or "none (the action has no Variable fields)"
        raise ValuesError([f"unknown value{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                           f"the action's inputs are: {names}"])
    return out


def check_values(action: Action, raw: Mapping[str, Any], known: Optional[list[Input]] = None) -> dict[str, Any]:
    """The values to send, null rules applied (a key absent from the result means: omit).

    Raises ValuesError listing every type error (naming the field path) and, in one line, every
    missing required value.
    """
    known = known if known is not None else inputs(action)
    values = canonical(action, raw, known)
    problems: list[str] = []
    missing: list[str] = []
    out: dict[str, Any] = {}
    for item in known:
        present = item.key in values and values[item.key] is not None
        if item.kind != "payload":
            if not present:
                missing.append(item.shown)
            else:
                out[item.key] = _param_text(values[item.key], item, problems)
            continue
        assert item.field is not None
        if not present and item.key not in values and not item.optional:
            missing.append(item.shown)
            continue
        found: list[str] = []
        keep, value = _check(item.field, values.get(item.key), item.key, action.allow_null, found, missing)
        if found:  # the outer field is named with its label too: "body.value (Value): expected a number..."
            problems += [item.shown + p[len(item.key):] if p.startswith(item.key + ":") else p for p in found]
        if keep:
            out[item.key] = value
    if missing:
        problems.insert(0, "missing value" + ("s" if len(missing) > 1 else "") + " for: " + ", ".join(missing))
    if problems:
        raise ValuesError(problems)
    return out


def fitting(known: list[Input], raw: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """What check_values(action, raw, known) returns, made without its work in the common case of
    the bulk and journey paths: every input given by key, each a value its type takes as it is (a
    scalar of the field's type, a parameter's one-line text). None otherwise: check_values then
    checks it all and names each problem."""
    return fitter(known)(raw)


Fitter = Callable[[Mapping[str, Any]], Optional[dict[str, Any]]]


def fitter(known: list[Input]) -> Fitter:
    """fitting(known, ·) as one function made once for these inputs (an action's: every call of a run or
    batch asks it): each input's exact types that fit at sight looked up without a call, the few values
    that need more (a finite float, a date's pattern, a parameter's single line) checked by their own test."""
    checks: list[tuple[str, frozenset[type], Callable[[Any], bool]]] = []
    for item in known:
        if item.kind != "payload":
            checks.append((item.key, frozenset(), _one_line))
        else:
            exact = frozenset(kind for ftype, kind in _FITS if ftype == item.type)
            checks.append((item.key, exact, _test_at_sight(item.type)))
    count = len(known)

    def fit(raw: Mapping[str, Any]) -> Optional[dict[str, Any]]:
        if len(raw) != count:
            return None
        out: dict[str, Any] = {}
        for key, exact, test in checks:
            value = raw.get(key)
            if type(value) not in exact and not test(value):
                return None
            out[key] = value
        return out
    return fit


def _one_line(value: Any) -> bool:
    """A header or query parameter's value as it is: one line of text."""
    return type(value) is str and "\r" not in value and "\n" not in value


def _param_text(value: Any, item: Input, problems: list[str]) -> str:
    if isinstance(value, (dict, list)):
        problems.append(f"{item.shown}: a {item.kind} value must be text, got {type(value).__name__}")
        return ""
    text = value if isinstance(value, str) else json.dumps(value)
    if "\r" in text or "\n" in text:
        problems.append(f"{item.shown}: a {item.kind} value cannot contain a line break")
    return text


def _check(field: PayloadField, value: Any, where: str, allow_null: bool, problems: list[str],
           missing: list[str]) -> tuple[bool, Any]:
    """(keep, value): whether the field is sent, and the value after the null rules."""
    if _fits_at_sight(field.type, value):  # the common scalar case: type_problem would say None
        return True, value
    is_list = field.type in LIST_TYPES
    if value is None:
        if allow_null:
            return True, [] if is_list else None
        if field.optional:
            return False, None
        problems.append(f"{where}: null is not allowed (the action does not allow NULL values)")
        return False, None
    if is_list and isinstance(value, list):
        value = _list_items(value, where, allow_null, problems)
    checked = [x for x in value if x is not None] if is_list and isinstance(value, list) else value
    problem = type_problem(field.type, checked)
    if problem:
        problems.append(f"{where}: {problem}")
        return False, None
    if field.type == "object" and field.children:
        value = _object(field.children, value, where, allow_null, problems, missing)
    elif field.type == "listObject" and field.children:
        value = [_object(field.children, item, f"{where}[{i}]", allow_null, problems, missing)
                 if isinstance(item, dict) else item for i, item in enumerate(value)]
    return True, value


# (field type, exact value type) pairs that always fit: bool is not int here (type() is exact);
# a float fits a decimal only when finite (JSON has no NaN), checked apart.
_FITS = frozenset({("string", str), ("integer", int), ("decimal", int), ("boolean", bool)})


# Text types judged by their pattern alone (type_problem's own test, remembered): the dates of an event.
_TEXT_FORMATS = {"dateTime": fits_datetime, "dateOnly": fits_date}


def _fits_at_sight(ftype: str, value: Any) -> bool:
    kind = type(value)
    if (ftype, kind) in _FITS:
        return True
    if kind is float:
        return ftype == "decimal" and math.isfinite(value)
    fits = _TEXT_FORMATS.get(ftype) if kind is str else None
    return fits is not None and fits(value)


def _test_at_sight(ftype: str) -> Callable[[Any], bool]:
    """_fits_at_sight(ftype, ·) for a value whose exact type is not among ftype's `_FITS`: the one test left
    for a decimal (a finite float) and a date (a text of its pattern) made without the general one's lookups."""
    if ftype == "decimal":
        return lambda value: type(value) is float and math.isfinite(value)
    fits = _TEXT_FORMATS.get(ftype)
    if fits is not None:
        return lambda value: type(value) is str and fits(value)
    return functools.partial(_fits_at_sight, ftype)


def _list_items(items: list[Any], where: str, allow_null: bool, problems: list[str]) -> list[Any]:
    if allow_null:
        return [x for x in items if x is not None]
    for i, item in enumerate(items):
        if item is None:
            problems.append(f"{where}[{i}]: null item (the action does not allow NULL values)")
    return items


def _object(children: Iterable[PayloadField], obj: dict[str, Any], where: str, allow_null: bool,
            problems: list[str], missing: list[str]) -> dict[str, Any]:
    """An object value checked against its child fields; unknown keys pass through as given."""
    out = dict(obj)
    for child in children:
        path = f"{where}.{child.name}"
        if child.name not in obj:
            if allow_null:
                out[child.name] = [] if child.type in LIST_TYPES else None
            elif not child.optional:
                missing.append(path)
            continue
        keep, value = _check(child, obj[child.name], path, allow_null, problems, missing)
        if keep:
            out[child.name] = value
        else:
            out.pop(child.name, None)
    return out


# -- text input (CSV cells, form fields) ----------------------------------------------------------
def coerce_text(ftype: str, text: str) -> Any:
    """A value of the field's type from text (CSV): numbers, booleans, JSON for lists and objects.

    An empty text is None (unfilled); the literal `null` is None too. Raises ValueError.
    """
    stripped = text.strip()
    if stripped == "" or stripped == "null":
        return None
    if ftype in ("string", "dateTime", "dateOnly"):
        return text
    # Plain ASCII digits only: Python's int() and float() also take "1_000", "nan", "inf" and other scripts' digits.
    if ftype == "integer":
        if not _INTEGER.match(stripped):
            raise ValueError(f"expected an integer, got {text[:40]!r}")
        return int(stripped)
    if ftype == "decimal":
        if not _NUMBER.match(stripped) or not math.isfinite(number := float(stripped)):
            raise ValueError(f"expected a number, got {text[:40]!r}")
        return int(number) if number.is_integer() and "." not in stripped and "e" not in stripped.lower() else number
    if ftype == "boolean":
        lowered = stripped.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError(f"expected true or false, got {text!r}")
    try:
        return parse_json(stripped)
    except JsonError:
        if ftype == "listString":
            return [part.strip() for part in stripped.split("|")]
        raise ValueError(f"expected JSON ({ftype}), got {text[:40]!r}") from None
