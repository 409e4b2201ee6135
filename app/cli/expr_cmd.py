"""``action-studio expr``: evaluate one expression with the runner's engine and print its value and type."""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timezone
from typing import Any

from app.cli.common import CliError, emit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(subparsers, "expr",
                   help="evaluate a journey expression (value and type, or the error with its position)",
                   description="Evaluate an expression of the platform's journey expression language, as a journey "
                               "run would, e.g. action-studio expr '@event{purchase.value} > 100' "
                               "--event 'purchase={\"value\": 150}' (an expression that starts with - goes after --)")
    p.add_argument("expression")
    p.add_argument("--event", metavar="NAME=JSON", action="append", default=[], help="an event's payload (repeatable)")
    p.add_argument("--profile", metavar="JSON", help="the profile's attributes (nested, or flat dotted keys)")
    p.add_argument("--action", metavar="NAME=JSON", action="append", default=[],
                   help="an action's response, with jo_status_code (repeatable)")
    p.add_argument("--error-response", metavar="JSON", help="the error response on a 'timeout or error' path")
    p.add_argument("--journey", metavar="JSON", help="journey properties, e.g. {\"journeyVersionUID\": \"v1\"}")
    p.add_argument("--audience", metavar="NAME", action="append", default=[], help="an audience the profile is in")
    p.add_argument("--now", metavar="ISO", help="the virtual clock (default: the current time)")
    p.add_argument("--tz", metavar="ZONE", default="UTC", help="the journey's time zone (default UTC)")
    p.add_argument("--seed", metavar="N", type=int, help="seed for random() and uuid()")
    p.set_defaults(func=run)


def _json(option: str, text: str, want_object: bool = True) -> Any:
    from app.model import JsonError, parse_json

    try:
        value = parse_json(text)
    except JsonError as exc:
        raise CliError(f"{option}: not JSON (line {exc.line}, column {exc.column}: {exc.message})") from None
    if want_object and not isinstance(value, dict):
        raise CliError(f"{option}: expected a JSON object, got {type(value).__name__}")
    return value


def _named(option: str, pairs: list[str]) -> dict[str, Any]:
    out = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise CliError(f"{option} {pair[:40]!r}: expected NAME=JSON", code=2)
        out[name] = _json(f"{option} {name}", text)
    return out


def _context(args: argparse.Namespace) -> Any:
    from app.journeys.expr import Context
    from app.journeys.expr.values import ValueProblem, parse_datetime, zone

    try:
        tz = zone(args.tz)
    except ValueProblem as exc:
        raise CliError(f"--tz: {exc}") from None
    try:
        now = parse_datetime(args.now, tz) if args.now else datetime.now(timezone.utc)
    except ValueProblem as exc:
        raise CliError(f"--now: {exc}") from None
    return Context(
        events=_named("--event", args.event), actions=_named("--action", args.action),
        profile=_json("--profile", args.profile) if args.profile else {},
        error_response=_json("--error-response", args.error_response) if args.error_response else None,
        journey=_json("--journey", args.journey) if args.journey else {},
        audiences=frozenset(args.audience), now=now, tz=args.tz,
        rng=random.Random(args.seed) if args.seed is not None else random.Random())


def run(args: argparse.Namespace) -> int:
    from app.journeys.expr import EvalError, ExprError, evaluate, lint, parse

    ctx = _context(args)
    try:
        expr = parse(args.expression)
        value = evaluate(expr, ctx)
    except (ExprError, EvalError) as exc:
        return _report(args, exc)
    for warning in lint(args.expression):
        print(f"warning: line {warning.line}, column {warning.column}: {warning.message}", file=sys.stderr)
    emit(args, {"value": value.to_json(), "type": value.type},
         f"{json.dumps(value.to_json(), ensure_ascii=False)}  ({value.type})")
    return 0


def _report(args: argparse.Namespace, exc: Any) -> int:
    expected = list(getattr(exc, "expected", []) or [])
    if getattr(args, "json", False):
        print(json.dumps({"error": {"message": exc.message, "line": exc.line, "column": exc.column,
                                    "expected": expected}, "exitCode": 1}, ensure_ascii=False, indent=2))
        return 1
    lines = [f"error: line {exc.line}, column {exc.column}: {exc.message}"]
    lines += ["  " + row for row in exc.excerpt.splitlines()]
    if expected:
        lines.append("expected: " + ", ".join(expected))
    print("\n".join(lines), file=sys.stderr)
    return 1
