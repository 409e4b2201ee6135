"""The menu buttons of the run bar ("Replay", "Compare with…") leave room for their menu's arrow."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu, QStyle, QToolButton

from ui.menubutton import MenuToolButton


def test_the_arrow_has_room_beside_the_text(qtbot):
    plain, button = QToolButton(), MenuToolButton()
    for b in (plain, button):
        qtbot.addWidget(b)
        b.setText("Replay")
        b.setMenu(QMenu(b))
        b.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    assert arrow > 0
    assert button.sizeHint().width() == plain.sizeHint().width() + 2 * arrow
    assert button.minimumSizeHint().width() >= plain.minimumSizeHint().width() + 2 * arrow
    # The text, centred, ends before the arrow drawn in the corner.
    text = button.fontMetrics().horizontalAdvance("Replay")
    width = button.sizeHint().width()
    assert (width + text) / 2 <= width - arrow


def test_the_run_bar_buttons_are_menu_buttons():
    from ui.journeys.compare import CompareButton
    from ui.journeys.replaymenu import ReplayButton

    assert issubclass(CompareButton, MenuToolButton) and issubclass(ReplayButton, MenuToolButton)
