"""inAudience: whether the profile belongs to an audience (the profile's audiences column)."""
from __future__ import annotations

from typing import Any

from app.journeys.expr.context import Context
from app.journeys.expr.functions.registry import expect, function


@function("inAudience", [(("string",), "boolean")], "whether the profile is in the named audience", needs_ctx=True)
def in_audience(ctx: Context, name: Any) -> bool:
    return expect(name, str, "inAudience", "an audience name") in ctx.audiences
