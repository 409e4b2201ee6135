"""Where a reference's value comes from: the event payload, the action response (or the error response
on a "timeout or error" path), the journey's properties, the profile, or the loop item."""
from __future__ import annotations

from typing import Any, Callable, Optional

from app.journeys.expr.context import Context
from app.journeys.expr.errors import EvalError, Span
from app.journeys.expr.nodes import Ref, Step
from app.journeys.expr.values import ValueProblem

Root = Callable[[Context], Any]
ErrorFactory = Callable[[BaseException, Span], EvalError]


def project(value: Any, name: str) -> Any:
    """A field of each item of a list (@event{E.items.price} is the list of prices); null otherwise."""
    if type(value) is list:
        return [x.get(name) if type(x) is dict else None for x in value]
    return None


def profile_base(profile: dict[str, Any], group: str) -> dict[str, Any]:
    """The profile's attributes, looked up under the field group's name when the profile is grouped."""
    inner = profile.get(group)
    return inner if type(inner) is dict else profile


def make_root(ref: Ref, steps: list[Step], error: ErrorFactory) -> Root:
    kind, name = ref.kind, ref.name
    if kind in ("event", "legacy"):
        return lambda ctx: ctx.events.get(name)
    if kind == "action":
        if steps[:1] and steps[0].name == "errorResponse" and not steps[0].is_method:
            return lambda ctx: _error_response(ctx, name)
        return lambda ctx: ctx.actions.get(name)
    if kind == "journey":
        return lambda ctx: ctx.journey.get(name)
    if kind == "profile":
        return lambda ctx: profile_base(ctx.profile, name)
    return _current(name, ref.span, error)


def _error_response(ctx: Context, action: str) -> Any:
    if ctx.error_response is not None:
        return ctx.error_response
    response = ctx.actions.get(action)
    return response.get("errorResponse") if type(response) is dict else None


def _current(name: str, span: Span, error: ErrorFactory) -> Root:
    def root(ctx: Context) -> Any:
        if not ctx.current:
            raise error(ValueProblem(f"{name} is the current item of a collection function "
                                     "(.all(), .first(), .last()) and has no value outside one"), span)
        return ctx.current[-1]
    return root


def profile_fields(group: str, names: tuple[str, ...], default: Optional[Root]) -> Root:
    """A profile attribute by its path, nested ({"person": {"name": ...}}) or flat as CSV columns give it
    ({"person.name": ...})."""
    dotted = ".".join(names)

    def lookup(ctx: Context) -> Any:
        base = profile_base(ctx.profile, group)
        value: Any = base
        for n in names:
            if type(value) is dict:
                value = value.get(n)
            elif value is None:
                break
            else:
                value = project(value, n)
        if value is None and names:
            value = base.get(dotted)
        if value is None and default is not None:
            return default(ctx)
        return value
    return lookup
