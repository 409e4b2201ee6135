"""The SVG icons: drawn in the palette's colours, each pixmap drawn once per name, colour and size."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette

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


def _painted(icon: QIcon) -> set[str]:
    """The opaque colours of the icon painted (QIcon.paint: the engine's paint, not its pixmap)."""
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    icon.paint(painter, QRect(0, 0, 16, 16))
    painter.end()
    return {image.pixelColor(x, y).name() for x in range(16) for y in range(16) if image.pixelColor(x, y).alpha() == 255}


def test_an_icon_painted_again_reuses_its_parsed_svg_and_follows_the_palette(qtbot) -> None:
    # A view paints its icons at each repaint of each window: the SVG is parsed once per name and colour.
    icons._renderer.cache_clear()
    first = _painted(icons.icon("lock"))
    assert first and _painted(icons.icon("lock")) == first
    assert icons._renderer.cache_info().currsize == 1 and icons._renderer.cache_info().hits == 1
    palette = QGuiApplication.palette()
    try:
        changed = QPalette(palette)
        changed.setColor(QPalette.ColorRole.WindowText, QColor("#ff00ff"))
        QGuiApplication.setPalette(changed)
        assert _painted(icons.icon("lock")) == {"#ff00ff"}  # a new colour is a new rendering, not the old one
    finally:
        QGuiApplication.setPalette(palette)
