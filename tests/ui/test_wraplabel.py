"""The wrapped label answers its height for a width as QLabel does, laying its text out once per width
and text: a new text, font, margin or format is measured again, never answered from before. The
eliding label shows its whole text when it has room and ends in "…" when it has not."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.wraplabel import ElidedLabel, KeptHeightLabel, WrapLabel

LONG = "Locked: used in 3 journeys (sampleJourney, welcomeFlow, winback); duplicate it to change its method"


def plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The widths QLabel itself laid a text out for (WrapLabel asks it only when it has no answer)."""
    asked: list[int] = []
    original = QLabel.heightForWidth

    def counting(self: QLabel, width: int) -> int:
        asked.append(width)
        return original(self, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counting)
    return asked


def test_heights_are_qlabels_and_each_width_is_laid_out_once(qtbot: Any, layouts: list[int]) -> None:
    label = WrapLabel(LONG)
    qtbot.addWidget(label)
    assert label.wordWrap()
    for width in (120, 300, 120, 300, 120):
        assert label.heightForWidth(width) == plain(LONG).heightForWidth(width)
    assert layouts.count(120) == 1 + 3 and layouts.count(300) == 1 + 2  # once for the label, then the plain ones'


def test_a_new_text_font_margin_or_format_is_measured_again(qtbot: Any, layouts: list[int]) -> None:
    label = WrapLabel(LONG)
    qtbot.addWidget(label)
    before = label.heightForWidth(150)
    label.setText(LONG + " " + LONG)
    assert label.heightForWidth(150) > before
    label.setText(LONG)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    bigger = label.heightForWidth(150)
    assert bigger > before
    label.setMargin(20)
    assert label.heightForWidth(150) > bigger
    reference = plain(f"<b>{LONG}</b>")
    reference.setFont(font)
    reference.setMargin(20)
    label.setText(f"<b>{LONG}</b>")
    assert label.heightForWidth(150) == reference.heightForWidth(150)


def test_a_label_that_does_not_wrap_keeps_its_height_too(qtbot: Any, layouts: list[int]) -> None:
    # A QStackedLayout asks each page its height, shown or not: the Journeys page's hint at every pass.
    label = KeptHeightLabel("Select a journey in the list to see its diagram, run it and edit it")
    qtbot.addWidget(label)
    reference = QLabel(label.text())
    assert not label.wordWrap()
    assert [label.heightForWidth(w) for w in (80, 80, 400)] == [reference.heightForWidth(w) for w in (80, 80, 400)]
    assert layouts == [80, 400] + [80, 80, 400]  # the label's own two, then the reference's three


def test_the_eliding_label_paints_what_fits_and_asks_no_width_it_may_not_get(qtbot: Any) -> None:
    text = "20 fields · 4 variables"
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    plain_label = QLabel(text)
    qtbot.addWidget(plain_label)
    assert label.sizeHint() == plain_label.sizeHint()  # with room, as wide as a label's
    assert label.minimumSizeHint().width() < plain_label.minimumSizeHint().width() // 3
    host = QWidget()
    qtbot.addWidget(host)
    row = QHBoxLayout(host)
    row.addWidget(label)
    host.setMinimumWidth(1)
    assert host.minimumSizeHint().width() < plain_label.minimumSizeHint().width()  # it does not hold its holder wide

    def painted(widget: QLabel, width: int) -> Any:
        qtbot.addWidget(widget)
        widget.resize(width, plain_label.sizeHint().height())
        return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)

    wide = plain_label.sizeHint().width()
    assert painted(ElidedLabel(text), wide) == painted(QLabel(text), wide)
    narrow = wide // 2
    elided = label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, narrow)
    assert elided.endswith("…") and painted(ElidedLabel(text), narrow) == painted(QLabel(elided), narrow)
    assert label.text() == text  # cut short on screen only
