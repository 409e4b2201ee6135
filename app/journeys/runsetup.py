"""What a front end needs to set a run up, shared by the CLI and the window (no Qt).

- `sandbox_env`: the environment of the sandbox target (one named `sandbox`, else one whose
  variables use {{sandbox.url}});
- `services_resolvers`: the sandbox and env resolvers over a Services' own embedded sandbox (the
  window's; the CLI starts one per command instead, app.cli.journey_run);
- `refusal_problems`: a PlanError's lines, with why a sandbox target would reach real hosts;
- `preview`: the first rows of a profiles file and the rows that will be rejected, with why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional, Union

from app.journeys.actionplan import PlanError, Resolvers
from app.journeys.model import EventNode, Journey
from app.journeys.profiles import ProfileRow, ProfileSource, Rejection
from app.journeys.targets import SANDBOX, Target
from app.model.base import placeholders

if TYPE_CHECKING:
    from app.services import Services

SANDBOX_ENV_HINT = ("the sandbox target uses the environment named 'sandbox', else one whose variables "
                    "use {{sandbox.url}}; none does in this workspace")


def sandbox_env(services: Services) -> Optional[str]:
    """The environment of the sandbox target: one named `sandbox`, else one using {{sandbox.url}}."""
    from app.services import SANDBOX_URL_VAR

    envs = services.environments()
    if envs.by_name("sandbox") is not None:
        return "sandbox"
    for env in envs.environments:
        if any(SANDBOX_URL_VAR in placeholders(str(v.value)) for v in env.variables):
            return str(env.name)
    return None


def needs_sandbox(journey: Journey, targets: Mapping[str, Target]) -> bool:
    """Whether some action node calls the sandbox (the default target)."""
    return any(targets.get(n.id) is None or targets[n.id].kind == "sandbox" for n in journey.action_nodes())


def leaves_the_process(journey: Journey, targets: Mapping[str, Target]) -> bool:
    """Whether some action node's calls leave the process (to the sandbox, the default, or env):
    only then does the run need a sender (app.journeys.targets.OfflineSender otherwise)."""
    return any(targets.get(n.id, SANDBOX).sends for n in journey.action_nodes())


def services_resolvers(services: Services, env: Optional[str] = None) -> Resolvers:
    """Resolvers over the services' embedded sandbox ({{sandbox.url}} starts it on first use, so
    call this off the UI thread) and the chosen (default: active) environment. ValueError: no such
    environment."""
    return Resolvers(services.resolver(sandbox_env(services)), services.resolver(env))


def refusal_problems(exc: PlanError) -> list[str]:
    """Why a run cannot start, one line each; a sandbox target reaching real hosts says why."""
    problems = list(exc.problems)
    if getattr(exc, "from_sandbox", False):
        problems.append(SANDBOX_ENV_HINT)
    return problems


@dataclass
class Preview:
    """The head of a profiles file: its first rows, and the rejected rows among those scanned."""

    rows: list[ProfileRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    scanned: int = 0
    more: bool = False  # rows follow the scanned ones
    fmt: str = ""


def preview(path: Union[str, Path], entry: Optional[EventNode], rows: int = 20, scan: int = 2_000,
            max_rejected: int = 50) -> Preview:
    """Read up to `scan` rows: the first `rows` profiles and up to `max_rejected` rejections.
    ProfilesError (the file as a whole cannot be read) is the caller's to show."""
    out = Preview()
    with ProfileSource.open(path, entry) as source:
        items = iter(source)
        for item in items:
            out.scanned += 1
            if isinstance(item, Rejection):
                if len(out.rejected) < max_rejected:
                    out.rejected.append(item)
            elif len(out.rows) < rows:
                out.rows.append(item)
            if out.scanned >= scan:
                out.more = next(items, None) is not None
                break
        out.fmt = source.format
    return out
