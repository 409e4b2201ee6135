"""The diagram tests run real journeys: the runner's fixtures (sample services, a running sandbox)."""
from __future__ import annotations

from tests.app.calls.conftest import resolver  # noqa: F401 - fixtures
from tests.app.journeys.conftest import run_journey  # noqa: F401
