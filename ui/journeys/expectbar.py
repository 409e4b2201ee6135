"""Expected outcomes in the run bar (objectName `journeyExpectBar`): an expectations file (typed,
browsed, or the profiles file's `<name>.expect.json` found beside it), checked against the run shown
(app.journeys.expect, with the profiles file's expectedPath / expectedOutcome / expectedEnd columns)
off the UI thread: a pass / fail badge, the list of what did not hold, and `verdictsReady(dict)`,
each checked input row's pass or fail for the profile table's "Expected" column."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.journeys.expect import Expectations, Expected, ExpectReport, check
from app.journeys.model import Journey
from app.journeys.tappedsource import TappedSource
from app.journeys.tracereader import TraceReader
from ui import ask
from ui.icons import tint
from ui.workers import run_in_background

SUFFIX = ".expect.json"
LISTED = 200  # mismatches listed in the window (the badge counts them all)


def beside(profiles: str) -> Optional[Path]:
    """A worker's job: the profiles file's own expectations file (`profiles/<name>.expect.json`), if there."""
    if not profiles:
        return None
    path = Path(profiles)
    found = path.with_name(path.stem + SUFFIX)
    return found if found.is_file() else None


def row_expectations(profiles: str, journey: Journey) -> dict[int, Expected]:
    """The profiles file's expected* columns by input row ({} when it has none or cannot be read:
    the run itself already said what was wrong with the file)."""
    from app.journeys.profiles import ProfilesError

    if not profiles or not Path(profiles).is_file():
        return {}
    try:
        with TappedSource.tap(profiles, journey.entry) as source:
            for _ in source:
                pass
            return dict(source.expected)
    except (ProfilesError, OSError, ValueError):
        return {}


def check_run(run: Path, journey: Journey, file: str) -> ExpectReport:
    """A worker's job: the run against the expectations file (ExpectError: where and why it is bad)
    and its profiles file's expected* columns."""
    expectations = Expectations.load(Path(file), journey) if file else None
    with TraceReader(run) as reader:
        profiles = str(reader.info().settings.get("profiles") or "")
    rows = row_expectations(profiles, journey)
    return check(run, journey, expectations, rows)


class ExpectBar(QWidget):
    verdictsReady = Signal(object)  # dict: input row -> passed ({} when no profile is checked)

    def __init__(self, journey: Journey, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyExpectBar")
        self.journey = journey
        self.run: Optional[Path] = None
        self.report: Optional[ExpectReport] = None
        self._auto = ""  # the file last found beside the profiles (replaced when the profiles change)
        self._asked: Optional[tuple[Path, str]] = None
        self.file = QLineEdit(self)
        self.file.setObjectName("journeyExpectFile")
        self.file.setPlaceholderText("Expectations file (JSON): counts per outcome, node and edge, per profile")
        self.file.setClearButtonEnabled(True)
        self.browse = QPushButton("Browse…", self)
        self.badge = QLabel(self)
        self.badge.setObjectName("journeyExpectBadge")
        self.mismatches = QListWidget(self)
        self.mismatches.setObjectName("journeyExpectMismatches")
        self.mismatches.setMaximumHeight(110)
        self.mismatches.hide()
        row = QHBoxLayout()
        caption = QLabel("E&xpect", self)
        caption.setBuddy(self.file)
        row.addWidget(caption)
        row.addWidget(self.file, 1)
        row.addWidget(self.browse)
        row.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.mismatches)
        self._profiles = ""
        self._look = QTimer(self, singleShot=True, interval=300, timeout=self._look_beside)
        self.browse.clicked.connect(self._browse)
        self.file.editingFinished.connect(self.recheck)

    # -- the file ----------------------------------------------------------------------------------
    def profiles_changed(self, profiles: str) -> None:
        """Offer the profiles file's own expectations, unless the user chose another file (looked
        for once the typing pauses)."""
        self._profiles = profiles.strip()
        self._look.start()

    def _look_beside(self) -> None:
        profiles = self._profiles
        if self.file.text().strip() in ("", self._auto):
            run_in_background(beside, profiles, owner=self, on_done=lambda found: self._found(profiles, found))

    def _found(self, profiles: str, found: Optional[Path]) -> None:
        if profiles != self._profiles or self.file.text().strip() not in ("", self._auto):
            return  # other profiles since, or a file chosen by hand meanwhile
        self._auto = str(found) if found is not None else ""
        self.set_file(self._auto)

    def set_file(self, path: str) -> None:
        if path != self.file.text().strip():
            self.file.setText(path)
            self.recheck()

    def _browse(self) -> None:
        path = ask.open_file(self, "Expectations file", "Expectations (*.expect.json *.json);;All files (*)")
        if path is not None:
            self.set_file(str(path))

    # -- the check ---------------------------------------------------------------------------------
    def check(self, run: Path) -> None:
        """Check a run (finished or reopened) against the expectations, off the UI thread."""
        self.run = Path(run)
        self.recheck()

    def recheck(self) -> None:
        if self.run is None:
            return
        asked = self._asked = (self.run, self.file.text().strip())
        self._say("Checking the expectations…", "")
        self.verdictsReady.emit({})  # the last run's verdicts never show beside this one
        run_in_background(check_run, asked[0], self.journey, asked[1], owner=self,
                          on_done=lambda report: self._checked(asked, report),
                          on_error=lambda exc: self._checked(asked, exc))

    def _checked(self, asked: tuple[Path, str], result: object) -> None:
        if asked != self._asked:
            return  # another run or file since
        self.mismatches.clear()
        if isinstance(result, BaseException):
            self.report = None
            self._say(f"Expectations not checked: {result}", "warning")
            self.verdictsReady.emit({})
            return
        assert isinstance(result, ExpectReport)
        self.report = result
        if not result.checked:
            self._say("No expectations" if not asked[1] else "The expectations check nothing", "")
        else:
            lines = result.lines()
            verdict = lines[0].removeprefix("expectations: ").replace("FAILED", "failed", 1)
            self._say(("✓ Expectations " if result.ok else "✗ Expectations ") + verdict, "ok" if result.ok else "error")
            self.mismatches.addItems([line.strip() for line in lines[1:LISTED + 1]])
        self.mismatches.setVisible(self.mismatches.count() > 0)
        self.verdictsReady.emit(result.verdicts)

    def _say(self, text: str, kind: str) -> None:
        self.badge.setText(text)
        self.badge.setToolTip(text)
        tint(self.badge, kind)
