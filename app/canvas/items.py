"""The pieces the graph scene draws: themes, service circles, their labels and edge batches.

Circles and edges use Qt's own C++ item classes (no Python ``paint``), so a frame of
thousands of items costs no Python calls; only the few visible labels paint in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
)
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem

from app.canvas.labels import SIDES, label_rect
from graph_data.style import category_color

__all__ = ["DARK", "LIGHT", "EdgeBatch", "LabelItem", "NodeItem", "Theme", "cosmetic_pen"]


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours of everything on the canvas that is not a category or a relation."""

    dark: bool
    background: str
    text: str
    halo: str
    selection: str
    ring: str
    path: str
    panel: str
    panel_border: str


# Colours with transparency are Qt's #AARRGGBB.
# The selection ring is near-black (near-white on dark): no category colour comes close, so it
# shows on every circle (a blue ring vanished on the blue of Compute).
LIGHT = Theme(
    False,
    "#fbfbfd",
    "#1d1f24",
    "#e0fbfbfd",
    "#111111",
    "#d81b60",
    "#111111",
    "#f0ffffff",
    "#c9ccd3",
)
DARK = Theme(
    True, "#1e2127", "#e8eaed", "#d81e2127", "#f5f5f5", "#ff6fa5", "#ffffff", "#f0262a31", "#4a4f59"
)


def cosmetic_pen(color: QColor | str, width: float = 1.0, style=Qt.PenStyle.SolidLine) -> QPen:
    """A pen whose width is in screen pixels at every zoom (crisp on high-DPI screens)."""
    pen = QPen(QColor(color), width, style)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class LabelItem(QGraphicsItem):
    """A service's display name beside its circle, on a halo so it reads over edges.

    It ignores the view's transformations, so the text stays crisp and the same size at any
    zoom. Its position is the circle's centre (scene coordinates); :meth:`place` puts the
    text on one side of the circle, ``gap`` pixels from the centre.
    """

    #: Where a label may sit around its circle, in order of preference (see labels.SIDES).
    SIDES: ClassVar[dict[str, tuple[float, float]]] = SIDES

    #: Point sizes of the labels of major services (and of any label in bold) and of the rest:
    #: minor labels are smaller, so more of them fit, yet no smaller than stays legible.
    MAJOR_POINTS: ClassVar[float] = 9.0
    MINOR_POINTS: ClassVar[float] = 7.5

    # Set by set_theme (fonts need the application to exist, so not at import time).
    _font: QFont | None = None
    _minor_font: QFont | None = None
    _bold: QFont | None = None
    _text_pen: QPen | None = None
    _halo: QBrush | None = None
    _leader_pen: QPen | None = None
    _PAD = 3.0

    @classmethod
    def set_theme(cls, theme: Theme) -> None:
        """Share fonts, pen and halo among all labels (so painting allocates nothing)."""
        cls._font = QFont()
        cls._font.setPointSizeF(cls.MAJOR_POINTS)
        cls._minor_font = QFont()
        cls._minor_font.setPointSizeF(cls.MINOR_POINTS)
        cls._bold = QFont(cls._font)
        cls._bold.setBold(True)
        cls._text_pen = QPen(QColor(theme.text))
        cls._halo = QBrush(QColor(theme.halo))
        leader = QColor(theme.text)
        leader.setAlphaF(0.45)
        cls._leader_pen = QPen(leader, 1.0)

    def __init__(self, text: str, service: str = "", major: bool = True) -> None:
        super().__init__()
        #: The service this label names: a click on the label is a click on that service.
        self.service = service
        if LabelItem._font is None:
            LabelItem.set_theme(LIGHT)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(10)
        self._text = text
        self._major = major
        self._bold_on = False
        self._side = "below"
        self._gap = 10.0
        self._leader = 0.0
        self._layout()

    def _current_font(self) -> QFont:
        if self._bold_on:
            return self._bold
        return self._font if self._major else self._minor_font

    def _layout(self) -> None:
        font = self._current_font()
        metrics = QFontMetricsF(font)
        width, height = metrics.horizontalAdvance(self._text), metrics.height()
        self._static = QStaticText(self._text)
        self._static.setTextFormat(Qt.TextFormat.PlainText)
        self._static.prepare(font=font)
        self.prepareGeometryChange()
        pad = self._PAD
        self._size = (width + 2 * pad, height + 2 * pad - 2)
        self._rect = self.rect_at(self._side, self._gap)
        self._origin = QPointF(self._rect.left() + pad, self._rect.top() + pad - 1)
        self._line = self._leader_line()
        self._bounds = self._rect
        if self._line is not None:
            self._bounds = self._rect.united(QRectF(self._line.p1(), self._line.p2()).normalized())

    def size(self) -> tuple[float, float]:
        """Width and height of the halo, in pixels."""
        return self._size

    def rect_at(self, side: str, gap: float) -> QRectF:
        """The halo rectangle if placed on ``side``, ``gap`` pixels from the circle's centre."""
        return label_rect(self._size, side, gap)

    def place(self, side: str, gap: float, leader: float = 0.0) -> None:
        """Put the label on ``side`` of the circle (a key of :attr:`SIDES`).

        With ``leader`` (the circle's radius in pixels), a label placed rows away from its circle
        gets a thin line back to the circle's rim, so it is clear whose name it is.
        """
        if (side, gap, leader) != (self._side, self._gap, self._leader):
            self.prepareGeometryChange()
            self._side, self._gap, self._leader = side, gap, leader
            self._layout()

    def _leader_line(self) -> QLineF | None:
        if self._leader <= 0 or self._gap <= self._leader + 4:
            return None
        dx, dy = self.SIDES[self._side]
        length = math.hypot(dx, dy)
        start = QPointF(dx / length * self._leader, dy / length * self._leader)
        r = self._rect
        end = QPointF(min(max(0.0, r.left()), r.right()), min(max(0.0, r.top()), r.bottom()))
        return QLineF(start, end)

    def side(self) -> str:
        """Where the label sits around its circle now."""
        return self._side

    def text(self) -> str:
        """The name shown."""
        return self._text

    def set_text(self, text: str) -> None:
        """Show another name (a service renamed by the user)."""
        if text != self._text:
            self._text = text
            self._layout()
            self.update()

    def is_major(self) -> bool:
        """Whether the label uses the larger font of major services."""
        return self._major

    def set_major(self, on: bool) -> None:
        """The larger font (a major service) or the smaller one."""
        if on != self._major:
            self._major = on
            self._layout()
            self.update()

    def point_size(self) -> float:
        """The point size the label is drawn in now."""
        return self._current_font().pointSizeF()

    def set_bold(self, on: bool) -> None:
        """Bold for the selected or hovered service."""
        if on != self._bold_on:
            self._bold_on = on
            self._layout()
            self.update()

    def boundingRect(self) -> QRectF:
        """Override QGraphicsItem::boundingRect: halo and leader, in pixels around the centre."""
        return self._bounds

    def halo(self) -> QRectF:
        """The halo behind the text, in pixels around the circle's centre."""
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        """Override QGraphicsItem::shape: only the halo takes clicks, never the leader line."""
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        """Override QGraphicsItem::paint: the leader line, the halo, then the text."""
        if self._line is not None:
            painter.setPen(self._leader_pen)
            painter.drawLine(self._line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._halo)
        painter.drawRoundedRect(self._rect, 3.0, 3.0)
        painter.setPen(self._text_pen)
        painter.setFont(self._current_font())
        painter.drawStaticText(self._origin, self._static)


class NodeItem(QGraphicsEllipseItem):
    """One service: a circle in its category's colour, with optional ring and pin marker."""

    def __init__(
        self, service: str, text: str, category: str | None, radius: float, major: bool = True
    ) -> None:
        super().__init__()
        self.service = service
        self.fill = QColor(category_color(category))
        self.setBrush(QBrush(self.fill))
        self.setZValue(2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        # No item cache: after every zoom step thousands of small pixmaps would be redrawn.
        self.label = LabelItem(text, service, major)
        self.label.setVisible(False)
        self._ring: QGraphicsEllipseItem | None = None
        self._pin: QGraphicsEllipseItem | None = None
        self._outline = cosmetic_pen(self.fill.darker(150), 1.0)
        self._selected_pen = QPen()
        self.selected = False
        self.set_radius(radius)

    def set_radius(self, radius: float) -> None:
        """Resize the circle (and what hangs on it)."""
        self.radius = radius
        self.setRect(-radius, -radius, 2 * radius, 2 * radius)
        if self._ring is not None:
            r = radius + 5.0
            self._ring.setRect(-r, -r, 2 * r, 2 * r)
        if self._pin is not None:
            self._place_pin()

    def apply_theme(self, theme: Theme) -> None:
        """Outline and selection colours for a light or dark background."""
        edge = self.fill.darker(150) if not theme.dark else self.fill.lighter(130)
        self._outline = cosmetic_pen(edge, 1.0)
        self._selected_pen = cosmetic_pen(theme.selection, 3.0)
        self.setPen(self._selected_pen if self.selected else self._outline)
        if self._ring is not None:
            self._ring.setPen(cosmetic_pen(theme.ring, 2.5))
        if self._pin is not None:
            self._pin.setBrush(QColor(theme.text))

    def move_to(self, x: float, y: float) -> None:
        """Put the circle and its label at ``(x, y)``."""
        self.setPos(x, y)
        self.label.setPos(x, y)

    def set_selected_look(self, on: bool) -> None:
        """A thick outline in the selection colour."""
        self.selected = on
        self.setPen(self._selected_pen if on else self._outline)
        self.label.set_bold(on)

    def set_dim(self, dim: bool) -> None:
        """Fade the circle (and its label) while something else is in focus."""
        self.setOpacity(0.16 if dim else 1.0)
        # The few faded labels still shown are landmarks (the top hubs): faint, yet legible.
        self.label.setOpacity(0.5 if dim else 1.0)

    def set_ring(self, on: bool, theme: Theme) -> None:
        """A ring around the circle, for services found by a search."""
        if on and self._ring is None:
            self._ring = QGraphicsEllipseItem(self)
            self._ring.setPen(cosmetic_pen(theme.ring, 2.5))
            self._ring.setBrush(Qt.BrushStyle.NoBrush)
            self.set_radius(self.radius)
        if self._ring is not None:
            self._ring.setVisible(on)

    @property
    def ringed(self) -> bool:
        """Whether the search ring is showing."""
        return self._ring is not None and self._ring.isVisible()

    def set_pinned(self, on: bool, theme: Theme) -> None:
        """A small dot on the rim marks a service the user placed by hand."""
        if on and self._pin is None:
            self._pin = QGraphicsEllipseItem(self)
            self._pin.setPen(Qt.PenStyle.NoPen)
            self._pin.setBrush(QColor(theme.text))
            self._place_pin()
        if self._pin is not None:
            self._pin.setVisible(on)

    @property
    def pinned(self) -> bool:
        """Whether the pin marker is showing."""
        return self._pin is not None and self._pin.isVisible()

    def _place_pin(self) -> None:
        r = max(2.5, self.radius * 0.3)
        c = self.radius * 0.72
        self._pin.setRect(c - r, -c - r, 2 * r, 2 * r)


class EdgeBatch(QGraphicsPathItem):
    """Many edges in one path item, drawn with a level of detail chosen by the scene."""

    def __init__(self, min_zoom: float = 0.0) -> None:
        super().__init__()
        self.antialias = True
        self._min_zoom = min_zoom

    def paint(self, painter: QPainter, option, widget=None) -> None:
        """Override QGraphicsItem::paint: antialias only light batches, skip tiny details."""
        transform = painter.worldTransform()
        if math.hypot(transform.m11(), transform.m12()) < self._min_zoom:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.antialias)
        super().paint(painter, option, widget)
