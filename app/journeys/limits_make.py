"""Capping and throttling configurations made for an action's endpoint, and pasted ones checked.

`generate` turns chosen limits into the platform's two JSON configurations (app.journeys.limits) for
the endpoint's host and method; `check_pasted` reads what a user pasted (one configuration, a list,
or `{"capping": [...], "throttling": [...]}`) and says, per field, which platform rule it breaks.
Journey runs use these configurations as they are (a journey's `capping` / `throttling`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

from pydantic import ValidationError

from app.journeys.limits import CappingConfig, ThrottlingConfig
from app.model.base import format_loc

# The platform's rules, said the same way whatever the validator's wording.
RULES = {
    "maxHttpConnections": "must be a whole number from 1 to 400 (the platform's maximum of connections)",
    "maxCallsCount": "must be a whole number greater than 1",
    "periodInMs": "must be a whole number of milliseconds greater than 0",
    "maxThroughput": "must be a whole number of calls per second from 200 to 5,000",
}
_BOUND_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "int_type",
                 "int_parsing", "int_from_float"}


class LimitsError(ValueError):
    """Limits that break the platform's rules: `problems`, one line each, naming the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Limits:
    capping: list[CappingConfig] = field(default_factory=list)
    throttling: list[ThrottlingConfig] = field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        return {"capping": [c.dump() for c in self.capping], "throttling": [t.dump() for t in self.throttling]}


def url_pattern(url: str) -> str:
    """The pattern the configurations use for an endpoint: its origin, any path (`https://host/*`)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise LimitsError([f"url: {url!r} is not an absolute http(s) URL"])
    return f"{parts.scheme}://{parts.netloc}/*"


def generate(url: str, method: str, max_calls: int, period_ms: int, max_connections: Optional[int] = None,
             throughput: Optional[int] = None) -> Limits:
    """The capping configuration (and, with `throughput`, the throttling one) for this endpoint."""
    pattern, methods = url_pattern(url), [method.upper()]
    service: dict[str, Any] = {"rating": {"maxCallsCount": max_calls, "periodInMs": period_ms}}
    if max_connections is not None:
        service["maxHttpConnections"] = max_connections
    capping = {"url": pattern, "methods": methods, "services": {"action": service}}
    throttling = None if throughput is None else {"urlPattern": pattern, "methods": methods,
                                                  "maxThroughput": throughput}
    return check_pasted({"capping": [capping], "throttling": [throttling] if throttling else []})


def check_pasted(data: Any) -> Limits:
    """Configurations as pasted; raises LimitsError listing each broken rule with its field."""
    limits, problems = Limits(), list[str]()
    for where, kind, item in _items(data, problems):
        try:
            if kind == "capping":
                limits.capping.append(CappingConfig.model_validate(item))
            else:
                limits.throttling.append(ThrottlingConfig.model_validate(item))
        except ValidationError as exc:
            problems += [_problem(where, err) for err in exc.errors()]
    if problems:
        raise LimitsError(problems)
    return limits


def _items(data: Any, problems: list[str]) -> list[tuple[str, str, Any]]:
    """(where, kind, configuration) for each configuration in what was pasted."""
    if isinstance(data, dict) and ({"capping", "throttling"} & set(data)):
        listed = []
        for kind in ("capping", "throttling"):
            value = data.get(kind) or []
            value = [value] if isinstance(value, dict) else value
            if not isinstance(value, list):
                problems.append(f"{kind}: expected a configuration or a list of them")
                continue
            listed += [(f"{kind}[{n}]", kind, item) for n, item in enumerate(value)]
        return listed
    items = data if isinstance(data, list) else [data]
    out = []
    for n, item in enumerate(items):
        where = f"[{n}]" if isinstance(data, list) else ""
        found = _kind(item)
        if found is None:
            problems.append(f"{where or '(configuration)'}: neither a capping configuration (url, methods, services) "
                            "nor a throttling one (urlPattern, methods, maxThroughput)")
        else:
            out.append((where, found, item))
    return out


def _kind(item: Any) -> Optional[str]:
    if not isinstance(item, dict):
        return None
    if "services" in item or "url" in item:
        return "capping"
    if "maxThroughput" in item or "urlPattern" in item:
        return "throttling"
    return None


def _problem(where: str, err: Any) -> str:
    loc = tuple(err["loc"])
    path = format_loc(loc, "")
    path = f"{where}.{path}" if where and path else (where or path)
    name = str(loc[-1]) if loc else ""
    if name in RULES and err["type"] in _BOUND_ERRORS:
        return f"{path}: {RULES[name]}, not {err['input']!r}"
    return f"{path}: {err['msg']}"
