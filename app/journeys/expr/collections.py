"""Collection functions inside a reference: .all(cond) .first(cond) .last(cond) .at(i) .entry('key') .keys().
In cond, currentEventField (or currentActionField, currentDataPackField) is the item being tested."""
from __future__ import annotations

from typing import Any, Callable

from app.journeys.expr.context import Context
from app.journeys.expr.operators import truth
from app.journeys.expr.types import type_name
from app.journeys.expr.values import ValueProblem

Compiled = Callable[[Context], Any]


def _list(value: Any, method: str) -> list[Any]:
    if type(value) is not list:
        raise ValueProblem(f".{method}() works on a list, got {type_name(value)}")
    return value


def _matches(ctx: Context, item: Any, cond: Compiled, method: str) -> bool:
    ctx.current.append(item)
    try:
        return truth(cond(ctx), f".{method}()")
    finally:
        ctx.current.pop()


def all_items(value: Any, args: list[Compiled], ctx: Context) -> list[Any]:
    items = _list(value, "all")
    if not args:
        return items
    return [x for x in items if _matches(ctx, x, args[0], "all")]


def first(value: Any, args: list[Compiled], ctx: Context) -> Any:
    for item in _list(value, "first"):
        if not args or _matches(ctx, item, args[0], "first"):
            return item
    return None


def last(value: Any, args: list[Compiled], ctx: Context) -> Any:
    for item in reversed(_list(value, "last")):
        if not args or _matches(ctx, item, args[0], "last"):
            return item
    return None


def at(value: Any, args: list[Compiled], ctx: Context) -> Any:
    items, index = _list(value, "at"), args[0](ctx)
    if type(index) is not int:
        raise ValueProblem(f".at() takes an integer index, got {type_name(index)}")
    return items[index] if 0 <= index < len(items) else None


def entry(value: Any, args: list[Compiled], ctx: Context) -> Any:
    if type(value) is not dict:
        raise ValueProblem(f".entry() works on a map (an object), got {type_name(value)}")
    return value.get(args[0](ctx))


def keys(value: Any, args: list[Compiled], ctx: Context) -> list[str]:
    if type(value) is not dict:
        raise ValueProblem(f".keys() works on a map (an object), got {type_name(value)}")
    return list(value)


METHODS: dict[str, Callable[[Any, list[Compiled], Context], Any]] = {
    "all": all_items, "first": first, "last": last, "at": at, "entry": entry, "keys": keys,
}
