"""Aggregation and list functions. Aggregations skip null items, as the platform's count/distinct do
(listSize counts them)."""
from __future__ import annotations

from typing import Any, Callable, Optional

from app.journeys.expr.functions.registry import ArgTypes, expect, function
from app.journeys.expr.types import DECIMAL, INT_MAX, INT_MIN, INTEGER, TypeInfo, merge, type_name
from app.journeys.expr.values import ValueProblem, to_text


def key(value: Any) -> tuple[str, Any]:
    """A hashable identity for equality: 1 and 1.0 are equal, true and 1 are not, objects by content."""
    kind = type(value)
    if kind is bool:
        return ("b", value)
    if kind is int or kind is float:
        return ("n", value)
    if kind is dict or kind is list:
        return ("j", to_text(value))
    return (type_name(value), value)


def _list(value: Any, fn: str) -> list[Any]:
    return expect(value, list, fn, "a list")


def _items(args: tuple[Any, ...], fn: str) -> list[Any]:
    """The non-null items: of one list argument, or of several scalar arguments."""
    values = _list(args[0], fn) if len(args) == 1 else list(args)
    return [v for v in values if v is not None]


def _numbers(args: tuple[Any, ...], fn: str) -> list[Any]:
    items = _items(args, fn)
    for v in items:
        if type(v) not in (int, float):
            raise ValueProblem(f"{fn} expects numbers, got {type_name(v)}")
    return items


def _first(args: ArgTypes) -> Optional[TypeInfo]:
    return args[0]


def _item(args: ArgTypes) -> Optional[TypeInfo]:
    return args[0].item if args and args[0] and args[0].is_list else None


def _scalars(args: ArgTypes) -> Optional[TypeInfo]:
    merged = args[0]
    for t in args[1:]:
        merged = merge(merged, t)
    return merged


def _sum_type(args: ArgTypes) -> Optional[TypeInfo]:
    kind = _item(args) if len(args) == 1 else _scalars(args)
    return kind if kind in (INTEGER, DECIMAL) else None


_NUMS: list[tuple[tuple[str, ...], Any]] = [(("listDecimal",), "decimal"), (("number", "number", "..."), "decimal")]
_ORDERED = [(("scalarList",), _item), (("number", "number", "..."), _scalars), (("date", "date", "..."), _scalars)]


@function("avg", _NUMS, "the mean of the numbers (null for none)")
def avg(*args: Any) -> Optional[float]:
    items = _numbers(args, "avg")
    return sum(items) / len(items) if items else None


@function("count", [(("list",), "integer")], "how many items are not null")
def count(values: Any) -> int:
    return sum(1 for v in _list(values, "count") if v is not None)


def _extreme(args: tuple[Any, ...], fn: str, pick: Callable[..., Any]) -> Any:
    items = _items(args, fn)
    try:
        return pick(items) if items else None
    except TypeError:
        kinds = sorted({type_name(v) for v in items})
        raise ValueProblem(f"{fn}: cannot order {' and '.join(kinds)} together") from None


@function("max", _ORDERED, "the largest item (numbers, dates or strings)")
def maximum(*args: Any) -> Any:
    return _extreme(args, "max", max)


@function("min", _ORDERED, "the smallest item (numbers, dates or strings)")
def minimum(*args: Any) -> Any:
    return _extreme(args, "min", min)


@function("sum", [(("listDecimal",), _sum_type), (("number", "number", "..."), _sum_type)],
          "the total: an integer when every item is one")
def total(*args: Any) -> Any:
    items = _numbers(args, "sum")
    result = sum(items) if items else 0
    if type(result) is int and not INT_MIN <= result <= INT_MAX:
        raise ValueProblem("sum: integer overflow (64 bits)")
    return result


@function("distinct", [(("list",), _first)], "the items without repeats, in their first order, nulls left out")
def distinct(values: Any) -> list[Any]:
    seen: set[tuple[str, Any]] = set()
    out = []
    for v in _list(values, "distinct"):
        k = key(v)
        if v is not None and k not in seen:
            seen.add(k)
            out.append(v)
    return out


@function("filter", [(("listObject", "string", "scalarList"), "listObject")],
          "the objects whose attribute (second argument) is one of the values (third)")
def filter_objects(objects: Any, attribute: Any, wanted: Any) -> list[Any]:
    keys = {key(v) for v in _list(wanted, "filter")}
    name = expect(attribute, str, "filter", "an attribute name")
    return [o for o in _list(objects, "filter") if type(o) is dict and key(o.get(name)) in keys]


@function("getListItem", [(("list", "integer"), _item)], "the item at a 0-based index (null past the end)")
def get_list_item(values: Any, index: Any) -> Any:
    values, index = _list(values, "getListItem"), expect(index, int, "getListItem", "an integer index")
    return values[index] if 0 <= index < len(values) else None


@function("in", [(("any", "list"), "boolean")], "whether the value is one of the list's items")
def is_in(value: Any, values: Any) -> bool:
    wanted = key(value)
    return any(key(v) == wanted for v in _list(values, "in"))


@function("intersect", [(("list", "list"), _first)], "the items of the first list that are also in the second")
def intersect(first: Any, second: Any) -> list[Any]:
    keys = {key(v) for v in _list(second, "intersect")}
    return distinct([v for v in _list(first, "intersect") if key(v) in keys])


@function("limit", [(("list", "integer"), _first), (("list", "integer", "boolean"), _first)],
          "the first N items, or the last N with false as third argument")
def limit(values: Any, n: Any, first: Any = True) -> list[Any]:
    values, n = _list(values, "limit"), expect(n, int, "limit", "an integer count")
    if n <= 0:
        return []
    return values[:n] if expect(first, bool, "limit", "true (first) or false (last)") else values[-n:]


@function("listSize", [(("list",), "integer")], "how many items, nulls included")
def list_size(values: Any) -> int:
    return len(_list(values, "listSize"))


@function("sort", [(("scalarList", "boolean"), _first), (("listObject", "string", "boolean"), _first)],
          "sorted in natural order, ascending (true) or descending (false); objects by an attribute")
def sort(values: Any, by: Any, ascending: Any = None) -> list[Any]:
    values = _list(values, "sort")
    if ascending is None:
        attribute, ascending = None, by
    else:
        attribute = expect(by, str, "sort", "an attribute name")
    ascending = expect(ascending, bool, "sort", "true (ascending) or false (descending)")
    keyed = [((v.get(attribute) if type(v) is dict else None) if attribute else v, v) for v in values]
    present: list[tuple[Any, Any]] = [kv for kv in keyed if kv[0] is not None]
    try:
        present.sort(key=lambda kv: kv[0], reverse=not ascending)
    except TypeError:
        raise ValueProblem("sort: the items are of different types") from None
    return [v for _, v in present] + [v for k, v in keyed if k is None]  # nulls last


@function("serializeList", [(("scalarList", "string", "boolean"), "string")],
          "the items as text joined by the separator, each in double quotes when the third argument is true "
          "(null items left out)")
def serialize_list(values: Any, separator: Any, quotes: Any) -> str:
    mark = '"' if expect(quotes, bool, "serializeList", "true or false (quotes)") else ""
    sep = expect(separator, str, "serializeList", "a separator string")
    return sep.join(f"{mark}{to_text(v)}{mark}" for v in _list(values, "serializeList") if v is not None)
