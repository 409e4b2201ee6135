""""Replay" beside the past runs (objectName `journeyReplayButton`): the run selected in the list
replayed against the journey as it is now, its calls answered from its recording (offline: nothing is
sent), or run again with the same rows and seed against the targets chosen in the run bar (the sandbox
by default, or an environment). The run bar runs it like any other run (app.journeys.replayrun); once
it is done the comparison with its source opens."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QMenu, QWidget

from ui.menubutton import MenuToolButton

REPLAY = "Replay against the current journey"
RERUN = "Re-run with the same rows and seed"


@dataclass(frozen=True)
class ReplayAsk:
    run: Path  # the recorded run
    rerun: bool = False  # False: answered from the recording; True: sent to the bar's targets
    profile: Optional[str] = None  # only this profile (replayed from its trace), else every row


class ReplayButton(MenuToolButton):
    asked = Signal(object)  # ReplayAsk

    def __init__(self, past: QComboBox, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyReplayButton")
        self.setText("Replay")
        self.setToolTip("Replay the run selected in the list: what would its profiles do with the journey as it "
                        "is now?")
        self.past = past
        self.busy = False
        menu = QMenu(self)
        self.replay_action = menu.addAction(REPLAY, lambda: self._ask(False))
        self.replay_action.setToolTip("Offline: every call is answered from the run's recorded responses (matched "
                                      "by profile, node and attempt); a call it lacks is reported, never sent")
        self.rerun_action = menu.addAction(RERUN, lambda: self._ask(True))
        self.rerun_action.setToolTip("The run's rows, seed and preset sent for real to the targets chosen above "
                                     "(the sandbox by default)")
        menu.setToolTipsVisible(True)
        self.setMenu(menu)
        past.model().rowsInserted.connect(self._enable)
        past.model().rowsRemoved.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.setEnabled(self.past.count() > 0 and not self.busy)

    def set_busy(self, busy: bool) -> None:
        """While a run goes, a replay cannot start (one run at a time): the button says so by being off."""
        self.busy = busy
        self._enable()

    def _ask(self, rerun: bool) -> None:
        path = self.past.currentData()
        if path:
            self.asked.emit(ReplayAsk(Path(path), rerun))
