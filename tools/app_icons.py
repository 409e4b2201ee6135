"""Render the application icon's SVG to the PNG sizes a desktop wants: `python -m tools.app_icons`.

The PNGs are committed (resources/icons/app/): installing the desktop entry copies them, it never
renders. Run again after changing action-studio.svg.
"""
from __future__ import annotations

import sys
from pathlib import Path

from app.desktop import ICON_DIR, ICON_NAME, PNG_SIZES


def render(svg: Path, out_dir: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"{ICON_NAME}-{size}.png"
        image.save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in render(ICON_DIR / f"{ICON_NAME}.svg", ICON_DIR):
        print(p)
