"""What a readiness check will do: a constant arrival rate for a duration, and its bounds."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from app.model import Action
    from app.resolve import Resolver

DEFAULT_RATE = 200.0  # the platform's minimum throttling rate: what an endpoint should take
MAX_RATE = 5000.0     # the platform's maximum throughput (journeys and throttling)
MIN_RATE = 1.0
DEFAULT_DURATION_S = 10.0
MAX_DURATION_S = 600.0
# Calls in flight at once are bounded only by this safety cap (sockets, memory); a call due while
# it is reached is not started and counted, so the report says the endpoint could not keep up.
DEFAULT_MAX_IN_FLIGHT = 2000


class CheckError(ValueError):
    """A check that cannot run as asked: the message names the option and the bound."""


@dataclass(frozen=True)
class CheckPlan:
    """`rate` calls per second for `duration_s` seconds, started on schedule (an open model)."""

    rate: float = DEFAULT_RATE
    duration_s: float = DEFAULT_DURATION_S
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    timeout_s: Optional[float] = None  # the action's own timeout when None

    def __post_init__(self) -> None:
        check_rate(self.rate)
        check_duration(self.duration_s)
        if not 1 <= self.max_in_flight <= 20_000:
            raise CheckError(f"the cap of calls in flight must be between 1 and 20,000, not {self.max_in_flight}")
        if self.timeout_s is not None and not (math.isfinite(self.timeout_s) and 1 <= self.timeout_s <= 30):
            raise CheckError(f"timeout must be between 1 and 30 seconds, not {self.timeout_s:g}")

    @property
    def total_calls(self) -> int:
        return max(1, math.ceil(self.rate * self.duration_s - 1e-9))


def check_rate(rate: float) -> None:
    if not (math.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE):
        raise CheckError(f"rate must be between {MIN_RATE:g} and {MAX_RATE:,.0f} calls per second (the platform's "
                         f"maximum throughput), not {rate:g}")


def check_duration(seconds: float) -> None:
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_DURATION_S):
        raise CheckError(f"duration must be more than 0 and at most {MAX_DURATION_S:,.0f} seconds, not {seconds:g}")


def real_hosts(action: Action, resolver: Resolver) -> list[str]:
    """The hosts other than this machine a check of `action` would call (its own, its token
    endpoint's): each needs an explicit confirmation. Raises SetupError when it cannot be built."""
    from app.calls.build import prepare
    from app.journeys.actionplan import call_hosts
    from app.journeys.targets import is_loopback

    return [host for host in call_hosts(prepare(action, resolver), action, resolver) if not is_loopback(host)]


def confirmation(hosts: list[str], plan: CheckPlan, token_calls: bool = False) -> str:
    """What the user confirms before real hosts are called: the hosts and the number of calls."""
    plus = ", plus its token calls" if token_calls else ""
    return (f"This check makes {plan.total_calls:,} calls to {', '.join(hosts)} ({plan.rate:g} calls per second "
            f"for {plan.duration_s:g} s){plus}: real traffic to a real endpoint.")
