"""`journey run --expect FILE`: the expectations file read and checked against the journey before
anything runs (a bad one is exit 1 with where and why)."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Optional

from app.cli.common import CliError

if TYPE_CHECKING:
    from app.journeys.expect import Expectations
    from app.journeys.model import Journey


def load_expectations(args: argparse.Namespace, journey: Journey) -> Optional[Expectations]:
    from app.journeys.expect import Expectations, ExpectError

    if not args.expect:
        return None
    try:
        return Expectations.load(args.expect, journey)
    except ExpectError as exc:
        raise CliError(str(exc)) from None
