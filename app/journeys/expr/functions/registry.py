"""The function table: each platform function's arity, type rule and implementation; name suggestions."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Union

from app.journeys.expr.types import DATES, NULL, NUMBERS, TypeInfo, type_name
from app.journeys.expr.values import ValueProblem

ArgTypes = list[Optional[TypeInfo]]
Returns = Union[str, None, Callable[[ArgTypes], Optional[TypeInfo]]]


class TypeProblem(ValueError):
    """Arguments of the wrong type for a function or operator (found before running)."""


@dataclass(frozen=True)
class Function:
    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int  # -1: any number
    signatures: tuple[tuple[tuple[str, ...], Returns], ...]
    needs_ctx: bool  # impl(ctx, *args)
    takes_null: bool  # impl sees null arguments; otherwise a null argument gives null
    summary: str

    def arity_text(self) -> str:
        if self.min_args == self.max_args:
            return f"{self.min_args} argument{'s' * (self.min_args != 1)}"
        if self.max_args < 0:
            return f"at least {self.min_args} arguments"
        return f"{self.min_args} to {self.max_args} arguments"

    def result_type(self, args: ArgTypes) -> Optional[TypeInfo]:
        """The type of a call with these argument types (None: unknown); TypeProblem if no signature fits."""
        for params, returns in self.signatures:
            if _fits_signature(params, args):
                if callable(returns):
                    return returns(args)
                return TypeInfo(returns) if returns else None
        wanted = " or ".join(f"{self.name}({', '.join(p)})" for p, _ in self.signatures)
        got = ", ".join(str(a) if a else "?" for a in args)
        raise TypeProblem(f"{self.name}({got}) does not fit: expected {wanted}")


FUNCTIONS: dict[str, Function] = {}


def function(name: str, signatures: Sequence[tuple[tuple[str, ...], Returns]], summary: str, *,
             needs_ctx: bool = False, takes_null: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register impl under the platform's name. A parameter pattern ending in "..." repeats the one before."""
    counts = [len(p) - 1 if p and p[-1] == "..." else len(p) for p, _ in signatures]
    unbounded = any(p and p[-1] == "..." for p, _ in signatures)

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(name, impl, min(counts), -1 if unbounded else max(counts), tuple(signatures),
                                   needs_ctx, takes_null, summary)
        return impl
    return register


def _fits_signature(params: tuple[str, ...], args: ArgTypes) -> bool:
    if params and params[-1] == "...":
        head = params[:-1]
        if len(args) < len(head):
            return False
        params = head + (head[-1],) * (len(args) - len(head))
    return len(params) == len(args) and all(pattern_fits(p, a) for p, a in zip(params, args, strict=True))


def pattern_fits(pattern: str, t: Optional[TypeInfo]) -> bool:
    """Whether an argument of type t fits a parameter pattern; unknown and null fit anything."""
    if t is None or t == NULL or pattern == "any":
        return True
    name = t.name
    if pattern in ("number", "decimal"):
        return name in NUMBERS
    if pattern == "date":  # ISO strings are read as dates at run time
        return name in DATES or name == "string"
    if pattern == "list":
        return t.is_list
    if pattern == "scalarList":
        return t.is_list and name != "listObject"
    if pattern.startswith("list") and name == "listAny":
        return True
    if pattern == "listDecimal":
        return name in ("listInteger", "listDecimal")
    return name == pattern


# Names people bring from other languages, and the platform's names for them.
ALIASES = {
    "toUpperCase": "upper", "toLowerCase": "lower", "uppercase": "upper", "lowercase": "lower",
    "contains": "contain", "includes": "contain", "containsIgnoreCase": "containIgnoreCase",
    "startsWith": "startWith", "endsWith": "endWith", "equalsIgnoreCase": "equalIgnoreCase",
    "substring": "substr", "len": "length", "size": "listSize", "strip": "trim", "matches": "matchRegExp",
    "join": "serializeList", "toInt": "toInteger", "parseInt": "toInteger", "toBoolean": "toBool",
    "toDate": "toDateOnly", "toNumber": "toDecimal", "parseFloat": "toDecimal", "str": "toString",
    "inSegment": "inAudience", "average": "avg", "unique": "distinct", "currentTimeMillis": "currentTimeInMillis",
}


def suggestion(name: str) -> Optional[str]:
    """The platform's function a mistaken name most likely means."""
    if name in ALIASES:
        return ALIASES[name]
    by_lower = {n.lower(): n for n in FUNCTIONS}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name, list(FUNCTIONS), n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_function_message(name: str) -> str:
    hint = suggestion(name)
    if name == "isNull":
        return "unknown function 'isNull': the platform writes it as an operator: <expression> is null"
    return f"unknown function {name!r}" + (f": the platform's name is {hint}" if hint else "")


# Helpers for implementations: check a runtime argument, or say what is wrong with it.
def expect(value: Any, kinds: Union[type, tuple[type, ...]], fn: str, what: str) -> Any:
    if isinstance(value, kinds) and not (type(value) is bool and bool not in _as_tuple(kinds)):
        return value
    raise ValueProblem(f"{fn} expects {what}, got {type_name(value)}")


def _as_tuple(kinds: Union[type, tuple[type, ...]]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)
