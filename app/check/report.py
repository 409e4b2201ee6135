"""What a readiness check measured, and how it reads: numbers, verdicts, the latency over time."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from app.calls.record import CallResult
from app.check.histogram import Histogram
from app.check.plan import CheckPlan
from app.check.tokenwatch import TokenReport

# The platform moves an endpoint slower than 0.75 s per call to its slow service (journeys.md,
# "Calls at run time"): judged here on the mean time per call, each call's retries included.
SLOW_SERVICE_MS = 750.0
FIRST_ERRORS_KEPT = 5
ERROR_BODY_CHARS = 2000
BIN_S = 1.0  # one point of the latency-over-time series per second of the run
LATE_START_MS = 100.0  # a start this late means the checking machine could not keep the schedule


@dataclass
class TimeBin:
    calls: int = 0
    errors: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0

    def to_dict(self, second: int) -> dict[str, Any]:
        mean = self.total_ms / self.calls if self.calls else 0.0
        return {"second": second, "calls": self.calls, "errors": self.errors, "meanMs": round(mean, 2),
                "maxMs": round(self.max_ms, 2)}


@dataclass
class CheckReport:
    """Filled while the check runs (on its event loop), read once it is done or as a snapshot."""

    action: str
    plan: CheckPlan
    host: str = ""
    started: int = 0
    completed: int = 0
    ok: int = 0
    not_started_cap: int = 0       # calls due while the safety cap of calls in flight was reached
    max_in_flight: int = 0
    max_start_lag_ms: float = 0.0  # how late the scheduler started a call, at worst
    elapsed_s: float = 0.0
    schedule_s: float = 0.0        # from the check's start to the last call's real start
    cancelled: bool = False
    latency: Histogram = field(default_factory=Histogram)
    errors: Counter[str] = field(default_factory=Counter)
    first_errors: list[dict[str, Any]] = field(default_factory=list)
    bins: list[TimeBin] = field(default_factory=list)
    token: Optional[TokenReport] = None

    def add(self, result: CallResult, at_s: float) -> None:
        """One call done; `at_s`: when it started, in seconds from the check's start."""
        self.completed += 1
        ms = result.duration_ms
        self.latency.record(ms)
        index = max(0, int(at_s / BIN_S))
        while len(self.bins) <= index:
            self.bins.append(TimeBin())
        time_bin = self.bins[index]
        time_bin.calls, time_bin.total_ms, time_bin.max_ms = time_bin.calls + 1, time_bin.total_ms + ms, \
            max(time_bin.max_ms, ms)
        if result.ok:
            self.ok += 1
            return
        time_bin.errors += 1
        self.errors[result.outcome] += 1
        if len(self.first_errors) < FIRST_ERRORS_KEPT:
            self.first_errors.append(_error(result))

    @property
    def achieved_rate(self) -> float:
        """Calls started per second over the schedule (the planned rate when it kept up)."""
        span = self.schedule_s + 1 / self.plan.rate
        return self.started / span if self.started else 0.0

    @property
    def mean_ms(self) -> float:
        return sum(b.total_ms for b in self.bins) / self.completed if self.completed else 0.0

    @property
    def slow_service(self) -> bool:
        return self.completed > 0 and self.mean_ms > SLOW_SERVICE_MS

    def to_dict(self) -> dict[str, Any]:
        h = self.latency
        return {
            "action": self.action, "host": self.host, "rate": self.plan.rate, "durationS": self.plan.duration_s,
            "planned": self.plan.total_calls, "started": self.started, "completed": self.completed, "ok": self.ok,
            "achievedRate": round(self.achieved_rate, 1), "elapsedS": round(self.elapsed_s, 3),
            "cancelled": self.cancelled,
            "latencyMs": {"p50": h.percentile(50), "p95": h.percentile(95), "p99": h.percentile(99),
                          "max": h.max_ms, "mean": round(self.mean_ms, 3)},
            "errors": dict(self.errors.most_common()), "firstErrors": self.first_errors,
            "slowService": {"thresholdMs": SLOW_SERVICE_MS, "meanMs": round(self.mean_ms, 3),
                            "wouldMove": self.slow_service},
            "safetyCap": {"maxInFlight": self.plan.max_in_flight, "reached": self.not_started_cap > 0,
                          "notStarted": self.not_started_cap, "peakInFlight": self.max_in_flight},
            "maxStartLagMs": round(self.max_start_lag_ms, 2),
            "token": self.token.to_dict() if self.token else None,
            "timeline": [b.to_dict(n) for n, b in enumerate(self.bins)],
        }

    def text(self) -> str:
        """The report for a terminal, a few lines."""
        h, plan = self.latency, self.plan
        lines = [f"{self.action} -> {self.host}: {self.started} of {plan.total_calls} calls started at "
                 f"{self.achieved_rate:.0f}/s (asked {plan.rate:g}/s for {plan.duration_s:g} s)"
                 + (", stopped early" if self.cancelled else ""),
                 f"  {self.ok} ok of {self.completed} answered; latency p50 {h.percentile(50):.1f} ms, p95 "
                 f"{h.percentile(95):.1f} ms, p99 {h.percentile(99):.1f} ms, max {h.max_ms:.1f} ms"]
        if self.errors:
            lines.append("  errors: " + ", ".join(f"{code} x{n}" for code, n in self.errors.most_common()))
        lines += [f"  first error: {e['summary']}" for e in self.first_errors[:3]]
        verdict = "would be moved to the platform's slow service" if self.slow_service else "fast enough"
        lines.append(f"  slow service (> {SLOW_SERVICE_MS:g} ms per call): mean {self.mean_ms:.1f} ms: {verdict}")
        if self.max_start_lag_ms > LATE_START_MS:
            lines.append(f"  this machine started some calls up to {self.max_start_lag_ms:.0f} ms late: at this rate "
                         "the checker, not only the endpoint, may be the limit")
        if self.not_started_cap:
            lines.append(f"  safety cap of {plan.max_in_flight} calls in flight reached: {self.not_started_cap} "
                         "calls not started (the calls in flight did not end fast enough)")
        if self.token is not None and self.token.custom:
            lines.append(f"  token: {len(self.token.fetches)} fetch(es); {self.token.verdict}")
        elif self.token is not None:
            lines.append(f"  token: {self.token.verdict}")
        return "\n".join(lines)


def _error(result: CallResult) -> dict[str, Any]:
    response = result.response
    body = response.body[:ERROR_BODY_CHARS] if response is not None else None
    return {"outcome": result.outcome, "status": result.status, "summary": result.summary(), "body": body}
