"""Journey tests reuse the call engine's fixtures: sample services pointed at a running sandbox."""
from tests.app.calls.conftest import call, resolver  # noqa: F401 - fixtures
