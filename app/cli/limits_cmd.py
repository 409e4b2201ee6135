"""`action limits`: the platform's capping and throttling configurations for an action's endpoint.

`action limits NAME --max-calls N --period-ms P [--max-connections C] [--throughput T]` prints both
configurations for the endpoint's host (its URL resolved with --env / --var) and method;
`action limits --validate FILE` checks pasted ones against the platform's rules (exit 1, each
broken rule with its field). A journey uses them as its `capping` and `throttling`.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING, Optional

from app.cli.common import CliError, emit, load_json, services_of

if TYPE_CHECKING:
    from app.journeys.limits_make import Limits

MIN_THROUGHPUT, MAX_THROUGHPUT = 200, 5000
# The generated configurations' fields, named by the option that set them.
OPTIONS = {"capping[0].services.action.maxHttpConnections": "--max-connections",
           "capping[0].services.action.rating.maxCallsCount": "--max-calls",
           "capping[0].services.action.rating.periodInMs": "--period-ms", "throttling[0].maxThroughput": "--throughput"}


def register_verb(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser

    p = add_parser(verbs, "limits", help="capping and throttling configurations for an action's endpoint",
                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", nargs="?", help="the action (its URL's host and its method)")
    p.add_argument("--max-calls", type=int, metavar="N", help="capping: calls allowed per period (more than 1)")
    p.add_argument("--period-ms", type=int, metavar="P", help="capping: the period in milliseconds (more than 0)")
    p.add_argument("--max-connections", type=int, metavar="C", help="capping: connections at once (at most 400)")
    p.add_argument("--throughput", type=int, metavar="T",
                   help="throttling: calls per second, 200-5000 (default: the cap's rate within those bounds)")
    p.add_argument("--validate", metavar="FILE", help="check pasted configurations instead ('-' = stdin)")
    p.add_argument("--env", metavar="NAME", help="environment resolving the URL (default: the active one)")
    p.add_argument("--var", metavar="KEY=VALUE", action="append", default=[], help="override a variable")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.journeys.limits_make import LimitsError, check_pasted, generate

    if args.validate:
        if args.name or args.max_calls is not None:
            raise CliError("--validate checks a file: give no action name nor limits with it")
        try:
            limits = check_pasted(load_json(args.validate, "--validate"))
        except LimitsError as exc:
            raise CliError(f"{args.validate}: breaks the platform's rules:\n  " + "\n  ".join(exc.problems),
                           data={"problems": exc.problems}) from None
        emit(args, {"valid": True, **limits.dump()}, _text(limits, f"{args.validate}: valid"))
        return 0
    if not args.name or args.max_calls is None or args.period_ms is None:
        raise CliError("give an action NAME with --max-calls N and --period-ms P (or --validate FILE)", code=2)
    url, method = _endpoint(args)
    throughput, note = _throughput(args)
    try:
        limits = generate(url, method, args.max_calls, args.period_ms, args.max_connections, throughput)
    except LimitsError as exc:
        problems = [_by_option(p) for p in exc.problems]
        raise CliError("these limits break the platform's rules:\n  " + "\n  ".join(problems),
                       data={"problems": problems}) from None
    if note:
        print(f"note: {note}", file=sys.stderr)
    emit(args, limits.dump(), _text(limits, f"{args.name}: {method} {url}"))
    return 0


def _endpoint(args: argparse.Namespace) -> tuple[str, str]:
    from app.cli.calling import parse_vars, resolver_of
    from app.resolve import MissingVariable, UnsafeValue
    from app.store import StoreError

    services = services_of(args)
    try:
        action = services.workspace.load(args.name)
        resolver = resolver_of(services, args.env, parse_vars(args.var))
        return resolver.text(action.endpoint.url, "the URL"), action.endpoint.method
    except (StoreError, MissingVariable, UnsafeValue) as exc:
        raise CliError(str(exc)) from None
    finally:
        services.close()


def _throughput(args: argparse.Namespace) -> tuple[Optional[int], str]:
    """The throttling rate asked, or the cap's rate brought within the platform's bounds."""
    if args.throughput is not None:
        return args.throughput, ""
    if args.max_calls <= 1 or args.period_ms <= 0:
        return MIN_THROUGHPUT, ""  # the cap's own problems are said by generate
    rate = args.max_calls * 1000 / args.period_ms
    chosen = min(MAX_THROUGHPUT, max(MIN_THROUGHPUT, math.floor(rate)))
    if rate < MIN_THROUGHPUT:
        return chosen, (f"the cap allows {rate:g} calls/s; throttling cannot go below {MIN_THROUGHPUT}/s, so the cap "
                        "is what limits this endpoint")
    return chosen, ""


def _by_option(problem: str) -> str:
    path, sep, rest = problem.partition(": ")
    return f"{OPTIONS[path]} ({path.rsplit('.', 1)[-1]}){sep}{rest}" if path in OPTIONS else problem


def _text(limits: Limits, title: str) -> str:
    dumped = limits.dump()
    parts = [title]
    for kind in ("capping", "throttling"):
        for config in dumped[kind]:
            parts.append(f"{kind.capitalize()} configuration:\n{json.dumps(config, indent=2)}")
    return "\n".join(parts)
