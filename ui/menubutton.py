"""A tool button that opens its menu on click and leaves room for the menu's arrow.

With `InstantPopup`, Qt's styles draw the small menu arrow in the button's bottom-right corner but
size the button for its text alone, so the arrow sat on the text's last letter ("Replay", "Compare
with…"). The size hint here adds the arrow's width on both sides (the text stays centred).
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStyle, QToolButton, QWidget


class MenuToolButton(QToolButton):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def arrow_room(self) -> int:
        """Pixels added on each side of the text for the menu's arrow."""
        return self.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, self)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width() + 2 * self.arrow_room(), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width() + 2 * self.arrow_room(), hint.height())
