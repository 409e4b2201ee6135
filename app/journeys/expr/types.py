"""The expression language's types: names as the platform writes them, a value's type, what fits where."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Optional

DATES = frozenset({"dateOnly", "dateTimeOnly", "dateTime"})
NUMBERS = frozenset({"integer", "decimal"})
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1


@dataclass(frozen=True)
class TypeInfo:
    """A type by the platform's name: "string" ... "duration", "object", "null", or "list<Item>"
    ("listString", "listObject"; "listAny" when the items are unknown)."""

    name: str

    @property
    def is_list(self) -> bool:
        return self.name.startswith("list")

    @property
    def item(self) -> Optional["TypeInfo"]:
        """The item type of a list type (None for listAny or a non-list)."""
        if not self.is_list or self.name == "listAny":
            return None
        rest = self.name[4:]
        return TypeInfo(rest[0].lower() + rest[1:])

    @property
    def is_number(self) -> bool:
        return self.name in NUMBERS

    @property
    def is_date(self) -> bool:
        return self.name in DATES

    def __str__(self) -> str:
        return self.name


def list_of(item: Optional[TypeInfo]) -> TypeInfo:
    if item is None or item.name == "null":
        return TypeInfo("listAny")
    return TypeInfo("list" + item.name[0].upper() + item.name[1:])


STRING, INTEGER, DECIMAL, BOOLEAN = TypeInfo("string"), TypeInfo("integer"), TypeInfo("decimal"), TypeInfo("boolean")
DATE_ONLY, DATE_TIME_ONLY, DATE_TIME = TypeInfo("dateOnly"), TypeInfo("dateTimeOnly"), TypeInfo("dateTime")
DURATION, OBJECT, NULL, LIST_ANY = TypeInfo("duration"), TypeInfo("object"), TypeInfo("null"), TypeInfo("listAny")


def type_name(value: Any) -> str:
    """The type of a runtime value (bool before int: a bool is an int in Python)."""
    kind = type(value)
    if kind is str:
        return "string"
    if kind is bool:
        return "boolean"
    if kind is int:
        return "integer"
    if kind is float:
        return "decimal"
    if value is None:
        return "null"
    if kind is datetime:
        return "dateTime" if value.tzinfo is not None else "dateTimeOnly"
    if kind is date:
        return "dateOnly"
    if kind is timedelta:
        return "duration"
    if kind is dict:
        return "object"
    if kind is list:
        return list_type_name(value)
    return kind.__name__


def list_type_name(items: list[Any]) -> str:
    """listInteger, listDecimal (integers mixed with decimals), listAny (empty, or mixed kinds)."""
    kinds = {type_name(v) for v in items if v is not None}
    if kinds == {"integer", "decimal"}:
        kinds = {"decimal"}
    if len(kinds) != 1:
        return "listAny"
    return list_of(TypeInfo(kinds.pop())).name


def merge(a: Optional[TypeInfo], b: Optional[TypeInfo]) -> Optional[TypeInfo]:
    """The type of a value that is either a or b (if/else branches, list items); None if they differ."""
    if a is None or b is None:
        return None
    if a == b or b == NULL:
        return a
    if a == NULL:
        return b
    if {a.name, b.name} == {"integer", "decimal"}:
        return DECIMAL
    return None


# Payload field types (app.model.payload.FieldType) an expression of each type may fill.
_FITS = {
    "decimal": {"integer", "decimal"},
    "string": {"string", *DATES},  # dates travel as ISO 8601 strings
    "dateTime": {"dateTime", "dateTimeOnly"},
    "listDecimal": {"listInteger", "listDecimal"},
    "listString": {"listString", "listDateTime", "listDateOnly", "listDateTimeOnly"},
}


def fits(expr_type: Optional[TypeInfo], field_type: str) -> bool:
    """Whether an expression of expr_type can fill a payload field of field_type ("string", "listInteger",
    "object", ...). Unknown (None) and null fit anything; an integer fits a decimal field."""
    if expr_type is None or expr_type == NULL:
        return True
    if field_type == "listAny":
        return expr_type.is_list
    if expr_type.name == "listAny":
        return field_type.startswith("list")
    return expr_type.name in _FITS.get(field_type, {field_type})
