"""Edges: where each relation's line runs between two circles, and the items that draw them.

Edges are drawn in batches: one path item per relation type holds every visible edge of that
type, so a frame of 6,000 relations is six path strokes. The edges in focus (hovered or
selected service, a path) are one small item each on top: a wide pen on one huge path is
very slow. The geometry functions are pure, over points.

>>> toward(QPointF(0, 0), QPointF(10, 0), 2.0)
PySide6.QtCore.QPointF(2.000000, 0.000000)
>>> path = QPainterPath()
>>> arrowhead(path, QPointF(0, 0), QPointF(10, 0), size=4.0)
>>> path.elementCount()
4
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene

from app.canvas.items import EdgeBatch, cosmetic_pen
from graph_data.records import RELATIONS
from graph_data.style import RELATION_STYLES

__all__ = ["Circle", "EdgeKey", "EdgeLayer", "Shape", "arrowhead", "edge_shapes", "toward"]

EdgeKey = tuple[str, str, str]  # (source, target, relation)
#: One edge's line: start, control point (None for a straight line) and end.
Shape = tuple[QPointF, QPointF | None, QPointF]


class Circle(Protocol):
    """What an edge needs of the circles it joins: a centre and a radius (scene units)."""

    radius: float

    def pos(self) -> QPointF:
        """The circle's centre."""
        ...


def edge_shapes(edges: Iterable[EdgeKey], circles: Mapping[str, Circle]) -> dict[str, list[Shape]]:
    """Per relation: ``(start, control or None, end)`` of each edge, rims not centres.

    Several relations between one pair bend away from each other symmetrically, so each
    stays visible; a single relation is a straight line.
    """
    pairs: dict[tuple[str, str], list[EdgeKey]] = defaultdict(list)
    for edge in edges:
        u, v, _ = edge
        pairs[(u, v) if u <= v else (v, u)].append(edge)
    out: dict[str, list[Shape]] = {r: [] for r in RELATIONS}
    order = {r: i for i, r in enumerate(RELATIONS)}
    for (a, b), group in pairs.items():
        group.sort(key=lambda e: order.get(e[2], 9))
        ia, ib = circles[a], circles[b]
        pa, pb = ia.pos(), ib.pos()
        dx, dy = pb.x() - pa.x(), pb.y() - pa.y()
        length = math.hypot(dx, dy) or 1.0
        nx_, ny_ = -dy / length, dx / length
        for i, (u, _v, relation) in enumerate(group):
            bend = (i - (len(group) - 1) / 2) * min(0.22 * length, 40.0)
            mid = QPointF((pa.x() + pb.x()) / 2 + nx_ * bend, (pa.y() + pb.y()) / 2 + ny_ * bend)
            su, sv = (ia, ib) if u == a else (ib, ia)
            start = toward(su.pos(), mid if bend else sv.pos(), su.radius)
            end = toward(sv.pos(), mid if bend else su.pos(), sv.radius + 1.0)
            control = (
                QPointF(
                    2 * mid.x() - (start.x() + end.x()) / 2,
                    2 * mid.y() - (start.y() + end.y()) / 2,
                )
                if bend
                else None
            )
            out.setdefault(relation, []).append((start, control, end))
    return out


def toward(origin: QPointF, target: QPointF, distance: float) -> QPointF:
    """The point ``distance`` from ``origin`` in the direction of ``target``."""
    dx, dy = target.x() - origin.x(), target.y() - origin.y()
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return QPointF(origin)
    f = min(distance, length * 0.45) / length
    return QPointF(origin.x() + dx * f, origin.y() + dy * f)


def arrowhead(
    path: QPainterPath, base: QPointF, tip: QPointF, size: float = 11.0, closed: bool = True
) -> None:
    """Add an arrowhead at ``tip`` pointing away from ``base``: a triangle or, open, a chevron."""
    dx, dy = tip.x() - base.x(), tip.y() - base.y()
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    half = size * 0.42
    left = QPointF(back.x() - uy * half, back.y() + ux * half)
    right = QPointF(back.x() + uy * half, back.y() - ux * half)
    if closed:
        path.moveTo(tip)
        path.lineTo(left)
        path.lineTo(right)
        path.closeSubpath()
    else:
        path.moveTo(left)
        path.lineTo(tip)
        path.lineTo(right)


class EdgeLayer:
    """The edge items of one scene: a line and an arrowhead batch per relation, focus edges.

    Not a QObject: it only holds items, which belong to the scene.
    """

    #: Above this many visible edges, lines are drawn aliased (antialiasing costs 5-10x).
    EDGE_ANTIALIAS_LIMIT = 2000
    #: Above this many visible edges, arrowheads are open chevrons rather than filled.
    FILLED_HEADS_LIMIT = 600
    #: Below this zoom arrowheads are a few pixels wide, mere noise: they are left out.
    HEADS_MIN_ZOOM = 0.35

    def __init__(self, scene: QGraphicsScene) -> None:
        self._scene = scene
        self._base: dict[str, tuple[EdgeBatch, EdgeBatch]] = {}
        for relation in RELATIONS:
            line, heads = EdgeBatch(), EdgeBatch(min_zoom=self.HEADS_MIN_ZOOM)
            for item in (line, heads):
                item.setZValue(0)
                item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                scene.addItem(item)
            self._base[relation] = (line, heads)
        self._focus_items: list[QGraphicsPathItem] = []
        self._focus_pens: dict[str, tuple[QPen, QColor]] = {}

    def batches(self) -> list[EdgeBatch]:
        """Every batch item, lines and arrowheads."""
        return [item for pair in self._base.values() for item in pair]

    def fill(self, edges: list[EdgeKey], circles: Mapping[str, Circle]) -> None:
        """Draw ``edges`` (all that are visible) in the batches, styled for their number."""
        self._style(len(edges))
        # Filling thousands of antialiased triangles costs more than all the lines: in big
        # views the heads are open chevrons, stroked like the lines.
        open_heads = len(edges) > self.FILLED_HEADS_LIMIT
        geometry = edge_shapes(edges, circles)
        for relation, (line_item, head_item) in self._base.items():
            lines, heads = QPainterPath(), QPainterPath()
            arrow = RELATION_STYLES.get(relation) and RELATION_STYLES[relation].arrow
            for start, control, end in geometry.get(relation, ()):
                lines.moveTo(start)
                if control is None:
                    lines.lineTo(end)
                else:
                    lines.quadTo(control, end)
                if arrow:
                    base = start if control is None else control
                    arrowhead(heads, base, end, closed=not open_heads)
            line_item.setPath(lines)
            head_item.setPath(heads)

    def _style(self, count: int) -> None:
        many = count > self.FILLED_HEADS_LIMIT
        smooth = count <= self.EDGE_ANTIALIAS_LIMIT
        for relation in RELATIONS:
            style = RELATION_STYLES[relation]
            color = QColor(style.color)
            base = QColor(color)
            base.setAlphaF(0.42 if many else 0.8)
            dash = Qt.PenStyle.DashLine if style.dashed else Qt.PenStyle.SolidLine
            line, heads = self._base[relation]
            # Exactly one pixel: Qt's fast cosmetic line path; any other width strokes slowly.
            line.setPen(cosmetic_pen(base, 1.0, dash))
            line.antialias = smooth
            heads.antialias = smooth
            if many:
                heads.setPen(cosmetic_pen(base, 1.0))
                heads.setBrush(Qt.BrushStyle.NoBrush)
            else:
                heads.setPen(Qt.PenStyle.NoPen)
                heads.setBrush(base)
            self._focus_pens[relation] = (cosmetic_pen(color, 2.4, dash), color)

    def set_focus(self, edges: list[EdgeKey], circles: Mapping[str, Circle], dim: bool) -> None:
        """Draw ``edges`` emphasised over the batches, which fade while ``dim``."""
        for batch in self.batches():
            batch.setOpacity(0.1 if dim else 1.0)
        for item in self._focus_items:
            self._scene.removeItem(item)
        self._focus_items = []
        for relation, shapes in edge_shapes(edges, circles).items():
            pen, color = self._focus_pens[relation]
            arrow = RELATION_STYLES[relation].arrow if relation in RELATION_STYLES else False
            for start, control, end in shapes:
                path = QPainterPath(start)
                if control is None:
                    path.lineTo(end)
                else:
                    path.quadTo(control, end)
                self._add_focus_item(QGraphicsPathItem(path), pen)
                if arrow:
                    head = QPainterPath()
                    arrowhead(head, start if control is None else control, end, 14.0)
                    tip = self._add_focus_item(QGraphicsPathItem(head), Qt.PenStyle.NoPen)
                    tip.setBrush(color)

    def _add_focus_item(self, item: QGraphicsPathItem, pen) -> QGraphicsPathItem:
        item.setPen(pen)
        item.setZValue(1)
        self._scene.addItem(item)
        self._focus_items.append(item)
        return item

    def set_cached(self, cached: bool) -> None:
        """Keep a device-coordinate cache of the batches (at rest) or draw them directly.

        A device-coordinate cache is a viewport-sized picture redrawn whole at every new
        scale, ten times the cost of a plain frame; at rest it makes hover repaints a blit.
        """
        mode = QGraphicsItem.CacheMode
        for batch in self.batches():
            batch.setCacheMode(mode.DeviceCoordinateCache if cached else mode.NoCache)

    def cached(self) -> bool:
        """Whether the batches keep a device-coordinate cache now."""
        line, _ = self._base[RELATIONS[0]]
        return line.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
