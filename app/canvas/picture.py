"""Pictures of a GraphScene without a view: the graph fitted to a size, its labels placed.

The PDF sheet and the export thumbnail draw the scene the canvas draws, framed as the
canvas frames it with its legend hidden, but with no widget: a scene-to-pixels transform
stands in for the viewport.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from app.canvas.fit import FIT_MARGIN, fit_transform
from app.canvas.scene import GraphScene

__all__ = ["frame", "render_picture"]


def frame(scene: GraphScene, size: QSizeF, margin: float = FIT_MARGIN) -> QTransform:
    """Fit the visible services into a picture of ``size`` pixels and place their labels.

    Returns the scene-to-pixels transform (identity for a scene with nothing visible).
    """
    if not scene.visible_service_ids():
        return QTransform()
    transform = fit_transform(scene.fit_extents(), size, margin)
    scene.place_labels(transform, QRectF(0, 0, size.width(), size.height()))
    return transform


def render_picture(scene: GraphScene, width: int, height: int) -> QImage:
    """The scene fitted into a ``width`` x ``height`` image, labels placed, as the canvas draws."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(scene.theme().background))
    transform = frame(scene, QSizeF(width, height))
    pixels = QRectF(0, 0, width, height)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(
        painter,
        pixels,
        transform.inverted()[0].mapRect(pixels),
        Qt.AspectRatioMode.IgnoreAspectRatio,
    )
    painter.end()
    return image
