"""Monochrome SVG icons (resources/icons) drawn in the palette's text colour, crisp at any DPI,
plus the small palette of meaning colours: green = worked, red = failed, amber = warning.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def is_dark() -> bool:
    """Whether the current palette is a dark scheme (window darker than its text)."""
    pal = QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < pal.color(QPalette.ColorRole.WindowText).lightness()


def ok_color() -> QColor:
    return QColor("#4cc46a") if is_dark() else QColor("#1e7d34")


def error_color() -> QColor:
    return QColor("#ff6b6b") if is_dark() else QColor("#c0392b")


def warning_color() -> QColor:
    return QColor("#f0b429") if is_dark() else QColor("#9a6700")


def quiet_color() -> QColor:
    """Secondary text (a hint beside a button, a resolved URL): the text colour 40 % of the way to the
    window's, ~5.5:1 on Fusion's light and dark windows. A disabled label's grey, used before, is
    ~1.7:1 on the light one (below any reading guideline) and tells a screen reader "disabled"."""
    pal = QGuiApplication.palette()
    text, window = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    return QColor.fromRgbF(*(0.6 * t + 0.4 * w for t, w in zip(text.getRgbF()[:3], window.getRgbF()[:3], strict=True)))


def meaning_color(kind: str) -> Optional[QColor]:
    return {"ok": ok_color, "error": error_color, "warning": warning_color,
            "quiet": quiet_color}.get(kind, lambda: None)()


@cache
def _svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text("utf-8")


@cache
def _renderer(name: str, color: str) -> QSvgRenderer:
    """The icon's SVG in one colour, parsed once a process: a view's icons (a locked header's, a
    button's) are painted at each repaint of each window, and the parse was most of a paint."""
    return QSvgRenderer(QByteArray(_svg(name).replace("currentColor", color).encode()))


class _SvgEngine(QIconEngine):
    """Renders the SVG at the requested size in a colour chosen at paint time (follows the palette)."""

    def __init__(self, name: str, kind: str = "") -> None:
        super().__init__()
        self._name, self._kind = name, kind

    def _color(self, mode: QIcon.Mode) -> QColor:
        pal = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        return meaning_color(self._kind) or pal.color(QPalette.ColorRole.WindowText)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        renderer = _renderer(self._name, self._color(mode).name())
        renderer.render(painter, rect.toRectF() if hasattr(rect, "toRectF") else rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        # A window asks for the same few dozen pixmaps every time it is built and on every
        # repaint of a view's icons: each drawn once per name, colour and size, from Qt's pixmap
        # cache (kept by the application, so a palette change draws the new colour).
        key = f"actionstudio-icon:{self._name}:{self._color(mode).name()}:{size.width()}x{size.height()}"
        cached = QPixmapCache.find(key)
        if cached is not None:
            return cached
        pix = QPixmap(size)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        QPixmapCache.insert(key, pix)
        return pix

    def clone(self) -> "QIconEngine":
        return _SvgEngine(self._name, self._kind)


def icon(name: str, kind: str = "") -> QIcon:
    """The named icon; kind 'ok' / 'error' / 'warning' draws it in that meaning colour."""
    return QIcon(_SvgEngine(name, kind))


def dot(kind: str, size: int = 10) -> QPixmap:
    """A small filled status dot in a meaning colour (or the disabled text colour when kind is '')."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = meaning_color(kind) or QGuiApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                                   QPalette.ColorRole.WindowText)
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return pix


def monospace_font() -> QFont:
    """The system fixed-width font (URLs, JSON, tokens, headers): a copy of the one asked for once (the
    table models answer it for every cell painted, ~100 times as a window opens)."""
    return QFont(_fixed_font())


@cache
def _fixed_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def colored_text(text: str, kind: str) -> str:
    """Rich text in a meaning colour, for labels that carry a status."""
    import html

    color = meaning_color(kind)
    escaped = html.escape(text)
    return f'<span style="color:{color.name()}">{escaped}</span>' if color else escaped


def show_checked(button) -> None:
    """Draw a checkable button in the palette's highlight colours while it is checked.

    Fusion shows a checked tool button only a shade darker than its neighbours, which a dark
    scheme makes invisible: a Form | JSON toggle did not show which view was selected.
    """
    def paint(checked: bool) -> None:
        if not checked:
            button.setPalette(QPalette())  # no role set: everything from the parent again
            return
        app = QGuiApplication.palette()
        pal = QPalette(button.palette())
        pal.setColor(QPalette.ColorRole.Button, app.color(QPalette.ColorRole.Highlight))
        pal.setColor(QPalette.ColorRole.ButtonText, app.color(QPalette.ColorRole.HighlightedText))
        button.setPalette(pal)

    button.toggled.connect(paint)
    paint(button.isChecked())


def tint(widget, kind: str) -> None:
    """Give a label the meaning colour `kind` ('' restores the palette's text colour)."""
    from PySide6.QtWidgets import QApplication

    pal = widget.palette()
    color = meaning_color(kind) or QApplication.palette().color(QPalette.ColorRole.WindowText)
    pal.setColor(QPalette.ColorRole.WindowText, color)
    pal.setColor(QPalette.ColorRole.Text, color)
    widget.setPalette(pal)
