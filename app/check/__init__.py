"""The endpoint readiness check (issue 15): will this endpoint hold the platform's load?

`run_check(action, CheckPlan(rate, duration_s), secrets=..., resolver=...)` drives the action at a
constant arrival rate (an open model: app.check.runner) and returns a CheckReport (app.check.report):
achieved rate, latency percentiles from an HDR-style histogram (app.check.histogram), errors by code
and the first error responses (masked), the slow-service verdict and the token endpoint's behaviour
(app.check.tokenwatch). No Qt: the CLI (`action-studio check`) and the window share it.
"""
from app.check.plan import DEFAULT_RATE, MAX_RATE, CheckError, CheckPlan
from app.check.report import SLOW_SERVICE_MS, CheckReport
from app.check.runner import arun_check, run_check

__all__ = ["DEFAULT_RATE", "MAX_RATE", "SLOW_SERVICE_MS", "CheckError", "CheckPlan", "CheckReport", "arun_check",
           "run_check"]
