"""Rate and duration bounds, said with the option, the bound and the value given."""
from __future__ import annotations

import pytest

from app.check import CheckError, CheckPlan


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rate": 5001}, "rate must be between 1 and 5,000 calls per second (the platform's maximum throughput), "
                     "not 5001"),
    ({"rate": 0}, "rate must be between 1 and 5,000"),
    ({"rate": float("nan")}, "not nan"),
    ({"duration_s": 0}, "duration must be more than 0 and at most 600 seconds, not 0"),
    ({"duration_s": 601}, "not 601"),
    ({"timeout_s": 31}, "timeout must be between 1 and 30 seconds, not 31"),
    ({"max_in_flight": 0}, "the cap of calls in flight must be between 1 and 20,000, not 0"),
])
def test_bounds_are_refused_by_name(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(CheckError) as caught:
        CheckPlan(**kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_defaults_and_total() -> None:
    plan = CheckPlan()
    assert (plan.rate, plan.total_calls) == (200, 2000)
    assert CheckPlan(rate=5000, duration_s=0.5).total_calls == 2500 and CheckPlan(rate=3, duration_s=0.1).total_calls == 1
