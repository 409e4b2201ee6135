"""The SVG icons: drawn in the palette's colours, each pixmap drawn once per name, colour and size."""
from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ui import icons


def test_a_pixmap_asked_again_is_not_drawn_again(qtbot) -> None:
    first = icons.icon("save").pixmap(16, 16)
    again = icons.icon("save").pixmap(16, 16)
    assert again.cacheKey() == first.cacheKey()  # the same pixmap, from the cache
    assert icons.icon("save").pixmap(24, 24).cacheKey() != first.cacheKey()
    assert icons.icon("save", "error").pixmap(16, 16).cacheKey() != first.cacheKey()


def test_a_palette_change_draws_the_new_colour(qtbot) -> None:
    before = icons.icon("save").pixmap(16, 16)
    palette = QGuiApplication.palette()
    try:
        changed = QPalette(palette)
        changed.setColor(QPalette.ColorRole.WindowText, QColor("#ff00ff"))
        QGuiApplication.setPalette(changed)
        after = icons.icon("save").pixmap(16, 16)
        assert after.cacheKey() != before.cacheKey()
        image = after.toImage()
        drawn = {image.pixelColor(x, y).name() for x in range(16) for y in range(16) if image.pixelColor(x, y).alpha() == 255}
        assert drawn == {"#ff00ff"}
    finally:
        QGuiApplication.setPalette(palette)
