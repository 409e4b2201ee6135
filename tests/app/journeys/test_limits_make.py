"""Capping and throttling generated for an endpoint, pasted ones checked by the platform's rules,
and a generated pair used as is by a journey run."""
from __future__ import annotations

from typing import Any

import pytest

from app.journeys.limits_make import LimitsError, check_pasted, generate
from tests.app.journeys.runkit import END, EVENT, FAILED, journey, notify, purchases


def test_generate_both_configurations_for_the_endpoint_host() -> None:
    limits = generate("https://api.example.com/v1/events?x=1", "post", 500, 1000, 100, 300).dump()
    assert limits == {
        "capping": [{"url": "https://api.example.com/*", "methods": ["POST"],
                     "services": {"action": {"maxHttpConnections": 100,
                                             "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}}],
        "throttling": [{"urlPattern": "https://api.example.com/*", "methods": ["POST"], "maxThroughput": 300}]}


@pytest.mark.parametrize(("pasted", "problem"), [
    ({"url": "https://a/*", "methods": ["POST"], "services": {"action": {"maxHttpConnections": 401,
                                                                        "rating": {"maxCallsCount": 5, "periodInMs": 1}}}},
     "services.action.maxHttpConnections: must be a whole number from 1 to 400 (the platform's maximum of "
     "connections), not 401"),
    ({"url": "https://a/*", "methods": ["POST"], "services": {"action": {"rating": {"maxCallsCount": 1,
                                                                                   "periodInMs": 1}}}},
     "services.action.rating.maxCallsCount: must be a whole number greater than 1, not 1"),
    ({"url": "https://a/*", "methods": ["POST"], "services": {"action": {"rating": {"maxCallsCount": 2,
                                                                                   "periodInMs": 0}}}},
     "services.action.rating.periodInMs: must be a whole number of milliseconds greater than 0, not 0"),
    ({"urlPattern": "https://a/*", "methods": ["POST"], "maxThroughput": 5001},
     "maxThroughput: must be a whole number of calls per second from 200 to 5,000, not 5001"),
    ({"throttling": [{"urlPattern": "https://a/*", "methods": ["POST"], "maxThroughput": 199}]},
     "throttling[0].maxThroughput: must be a whole number of calls per second from 200 to 5,000, not 199"),
    ([{"hello": 1}], "[0]: neither a capping configuration (url, methods, services) nor a throttling one"),
])
def test_pasted_configurations_name_the_broken_rule(pasted: Any, problem: str) -> None:
    with pytest.raises(LimitsError) as caught:
        check_pasted(pasted)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


def test_a_deployed_configuration_keeps_its_extra_fields() -> None:
    deployed = {"url": "https://a/*", "methods": ["GET"], "_id": "cfg-1",
                "services": {"action": {"rating": {"maxCallsCount": 2, "periodInMs": 10}}}}
    assert check_pasted(deployed).dump()["capping"] == [deployed]


def test_generated_limits_are_used_by_a_journey_run(sandbox: Any, run_journey: Any) -> None:
    limits = generate(f"{sandbox.base_url}/echo/any", "POST", max_calls=2, period_ms=60_000, max_connections=1,
                      throughput=200).dump()
    ran = run_journey(journey(EVENT, notify(), END, FAILED, **limits), purchases(3), concurrency=1)
    assert ran.summary["codes"]["notify"] == {"http_200": 2, "capped": 1}
    assert sandbox.counters()["echo"] == 2
