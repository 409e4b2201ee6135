"""The wrapped label answers its height for a width as QLabel does, laying its text out once per width
and text: a new text, font, margin or format is measured again, never answered from before."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from ui.wraplabel import KeptHeightLabel, WrapLabel

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
