"""The HDR-style histogram: bounded memory, values read back within its precision."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.check.histogram import Histogram


@given(st.lists(st.floats(min_value=0.001, max_value=600_000), min_size=1, max_size=300))
def test_percentiles_within_half_a_percent_of_the_exact_ones(values: list[float]) -> None:
    histogram = Histogram()
    for value in values:
        histogram.record(value)
    ordered = sorted(values)
    for p in (50, 95, 99, 100):
        exact = ordered[max(0, -(-p * len(ordered) // 100) - 1)]
        assert abs(histogram.percentile(p) - exact) <= max(0.002, exact / 200)
    assert histogram.max_ms == round(max(values) * 1000) / 1000


def test_memory_is_fixed_whatever_is_recorded() -> None:
    histogram = Histogram()
    size = len(histogram.counts)
    for value in (0, 1e-3, 5.5, 1e9, 1e12):
        histogram.record(value)
    assert len(histogram.counts) == size < 4000 and histogram.total == 5
    assert Histogram().percentile(99) == 0.0
