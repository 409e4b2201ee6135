"""A replay as the window starts it (the CLI assembles its own from its options): the recorded run's
rows, seed, preset, concurrency and virtual start, every action node answered from the recording
(`rerun` False: offline) or sent to the targets given (`rerun` True: the same rows and seed against the
sandbox or an environment).

    with ReplayRun.open(home, run_path, journey, rerun=False) as replay:
        JourneyRun(..., options=replay.options).run(replay.source)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Optional

from app.journeys.model import Journey
from app.journeys.profiles import ProfileSource
from app.journeys.replay import ReplayError, ReplaySetup
from app.journeys.runner import RunOptions
from app.journeys.tappedsource import TappedSource
from app.journeys.targets import Target


@dataclass
class ReplayRun:
    setup: ReplaySetup
    options: RunOptions
    source: ProfileSource

    @classmethod
    def open(cls, home: Path, run: Path, journey: Journey, *, rerun: bool = False,
             targets: Optional[dict[str, Target]] = None, arm: bool = False,
             profile: Optional[str] = None) -> "ReplayRun":
        """ReplayError: the run cannot be replayed (another journey, still running, its profiles gone, no
        such `profile`); ProfilesError: its profiles file cannot be read. `profile`: only that profile's
        rows (a profile replayed from its trace)."""
        setup = ReplaySetup.open(home, str(run), journey)
        try:
            if profile is not None and not setup.has_profile(profile):
                raise ReplayError(f"run {setup.info.id} has no profile {profile!r}")
            given = (targets or {}) if rerun else {}
            chosen = setup.targets(journey, Target("sandbox") if rerun else None, given)
            kinds = sorted({t.kind for t in chosen.values()}) if rerun else ["replay"]
            options = RunOptions(setup.preset, setup.seed, setup.concurrency, chosen, arm and rerun,
                                 start=setup.start, notes=setup.notes(kinds[0] if len(kinds) == 1 else "mixed"))
            source = TappedSource.tap(setup.profiles(), journey.entry)
            source.only = profile
        except BaseException:
            setup.close()
            raise
        return cls(setup, options, source)

    def close(self) -> None:
        self.source.close()
        self.setup.close()

    def __enter__(self) -> "ReplayRun":
        return self

    def __exit__(self, kind: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()
