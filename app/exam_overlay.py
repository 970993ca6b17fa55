"""View › Show exam scope: the part of an exam's map the notes have not drawn yet.

For the exam the Gaps panel shows, the in-scope services the notes never name appear on the
canvas as hollow, dashed circles in their category's colour, placed by the services of that
category the notes do name (or on a ring outside the graph when the notes name none of it), each
with its name; the services outside the exam's scope are drawn washed out. The overlay owns its
items and the washed-out look, and takes both back when cleared: the canvas's own state
(selection, focus dimming, labels) is left alone. The :class:`ExamScopeToggle` is the menu
entry's side: it draws the overlay while the entry is on, for the graph shown and the exam chosen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import networkx as nx
import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QStatusBar,
)

from app.canvas import GraphCanvas
from app.view_model import ViewModel
from graph_data.gaps import ServiceGap, find_gaps, scope_services
from graph_data.style import category_color

__all__ = ["GHOST_RADIUS", "ExamOverlay", "ExamScopeToggle"]

#: The radius of a hollow circle, in pixels (it keeps its size at any zoom, as names do).
GHOST_RADIUS = 7.0
#: The side of a cell of the grid free space is looked for in, in pixels.
_CELL = 4
_WASHED_ALPHA = 50
Point = tuple[float, float]


def _box(centre: QPointF, w: float, h: float) -> QRectF:
    """The ``w`` x ``h`` box centred on ``centre``."""
    return QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)


class _Grid:
    """Which cells of the view are covered, and the free run of cells nearest a point."""

    def __init__(self, width: int, height: int) -> None:
        self.covered = np.zeros((max(1, height // _CELL), max(1, width // _CELL)), dtype=bool)

    def cover(self, rect: QRectF) -> None:
        """Mark the cells ``rect`` (view pixels) touches."""
        rows, cols = self.covered.shape
        top, left = max(0, int(rect.top() // _CELL)), max(0, int(rect.left() // _CELL))
        bottom = min(rows, int(rect.bottom() // _CELL) + 1)
        right = min(cols, int(rect.right() // _CELL) + 1)
        if top < bottom and left < right:
            self.covered[top:bottom, left:right] = True

    def take(self, width: float, height: float, near: QPointF) -> QPointF | None:
        """The centre of the free ``width`` x ``height`` box nearest ``near``, now covered."""
        h, w = math.ceil(height / _CELL), math.ceil(width / _CELL)
        rows, cols = self.covered.shape
        if h > rows or w > cols:
            return None
        table = np.pad(self.covered.astype(np.int32).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        area = table[h:, w:] - table[:-h, w:] - table[h:, :-w] + table[:-h, :-w]
        free = np.argwhere(area == 0)
        if not len(free):
            return None
        centres = (free + np.array([h / 2, w / 2])) * _CELL
        best = int(np.argmin((centres[:, 0] - near.y()) ** 2 + (centres[:, 1] - near.x()) ** 2))
        top, left = free[best]
        self.covered[top : top + h, left : left + w] = True
        return QPointF(centres[best, 1], centres[best, 0])


class ExamOverlay:
    """Hollow circles for an exam's never-named services; services outside its scope washed out."""

    def __init__(self, canvas: GraphCanvas) -> None:
        self._canvas = canvas
        self._ghosts: dict[str, QGraphicsEllipseItem] = {}
        self._washed: set[str] = set()

    def show_for(
        self, G: nx.MultiDiGraph, missing: Iterable[ServiceGap], scope: frozenset[str]
    ) -> None:
        """Draw ``missing`` hollow; wash out the services of ``G`` outside ``scope``."""
        self.clear()
        placed = dict(self._canvas.positions())
        self._place(G, list(missing), placed)
        # Names placed later (a hover, a zoom) keep clear of the hollow circles.
        self._canvas.set_label_obstacles(self.boxes)
        for sid in placed:
            item = self._canvas.item_for(sid)
            if item is not None and sid not in scope:
                washed = QColor(item.fill)
                washed.setAlpha(_WASHED_ALPHA)
                item.setBrush(QBrush(washed))
                self._washed.add(sid)

    def boxes(self) -> list[QRectF]:
        """Each hollow circle with its name, in viewport pixels (where it is now)."""
        to_view = self._canvas.viewportTransform()
        out = []
        for ghost in self._ghosts.values():
            centre = to_view.map(ghost.pos())
            w, h = self._label_size(ghost)
            out.append(QRectF(centre.x() - w / 2, centre.y() - GHOST_RADIUS - 3, w, h))
        return out

    def clear(self) -> None:
        """Remove the hollow circles and give the washed-out services their colour back."""
        if self._ghosts:
            self._canvas.set_label_obstacles(None)
        scene = self._canvas.scene()
        for ghost in self._ghosts.values():
            if ghost.scene() is scene:
                scene.removeItem(ghost)
        self._ghosts.clear()
        for sid in self._washed:
            item = self._canvas.item_for(sid)
            if item is not None:
                item.setBrush(QBrush(item.fill))
        self._washed.clear()

    def ghosts(self) -> Mapping[str, QGraphicsEllipseItem]:
        """The hollow circle of each never-named service shown, by service id."""
        return dict(self._ghosts)

    def washed_out(self) -> set[str]:
        """The services drawn washed out (outside the exam's scope)."""
        return set(self._washed)

    # ------------------------------------------------------------------ placing

    def _place(
        self, G: nx.MultiDiGraph, missing: list[ServiceGap], placed: Mapping[str, Point]
    ) -> None:
        """Each hollow circle in the free space of the view nearest its category's services.

        The view is a grid of :data:`_CELL`-pixel cells; circles, names and the legend mark
        the cells they cover, and each hollow circle with its name takes the nearest run of
        free cells (found at once for the whole grid with a summed-area table). Where no name
        leaves room, it may take a name's place (names then move off it); where no circle
        does, it goes just outside the view, on its category's side.
        """
        canvas = self._canvas
        to_view = canvas.viewportTransform()
        to_scene = to_view.inverted()[0]
        view = canvas.viewport().rect()
        # `free` keeps clear of everything drawn; `room`, of circles and the legend only.
        free, room = _Grid(view.width(), view.height()), _Grid(view.width(), view.height())
        for sid in placed:
            item = canvas.item_for(sid)
            if item is not None and item.isVisible():
                centre = to_view.map(item.pos())
                r = item.radius * canvas.transform().m11() + 2
                for grid in (free, room):
                    grid.cover(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
        for rect in canvas.label_rects().values():
            free.cover(rect)
        legend = canvas.legend()
        if legend.isVisibleTo(canvas):
            at = QRectF(legend.geometry()).translated(-QPointF(canvas.viewport().pos()))
            free.cover(at)
            room.cover(at)
        anchors = {c: to_view.map(p) for c, p in self._anchors(G, placed).items()}
        beyond: list[QRectF] = []
        for gap in missing:
            ghost = self._ghost(gap)
            w, h = self._label_size(ghost)
            anchor = anchors.get(gap.category) or self._side(
                gap.category, view.width(), view.height()
            )
            spot = free.take(w, h, anchor) or room.take(w, h, anchor)
            if spot is None:
                spot = self._beyond(anchor, view.width(), view.height(), w, h)
                # The grid covers the view only: ghosts set outside it keep clear of each other.
                along = QPointF(0, h) if not 0 <= spot.x() <= view.width() else QPointF(w, 0)
                while any(_box(spot, w, h).intersects(b) for b in beyond):
                    spot += along
                beyond.append(_box(spot, w, h))
            box = _box(spot, w, h)
            free.cover(box)
            room.cover(box)
            # The circle sits at the top of its box, its name under it.
            ghost.setPos(to_scene.map(QPointF(spot.x(), spot.y() - h / 2 + GHOST_RADIUS)))
            self._ghosts[gap.service] = ghost

    @staticmethod
    def _beyond(anchor: QPointF, width: float, height: float, w: float, h: float) -> QPointF:
        """Just outside the view, on the side of ``anchor`` (a zoom out shows it)."""
        dx, dy = anchor.x() - width / 2, anchor.y() - height / 2
        if abs(dx) * height >= abs(dy) * width:
            x = width + w if dx >= 0 else -w
            return QPointF(x, min(max(anchor.y(), 0.0), height))
        y = height + h if dy >= 0 else -h
        return QPointF(min(max(anchor.x(), 0.0), width), y)

    @staticmethod
    def _side(category: str, width: float, height: float) -> QPointF:
        """A point on the view's edge for a category the notes name nothing of."""
        angle = (sum(map(ord, category)) % 360) * math.pi / 180
        return QPointF(width / 2 * (1 + math.cos(angle)), height / 2 * (1 + math.sin(angle)))

    @staticmethod
    def _label_size(ghost: QGraphicsEllipseItem) -> tuple[float, float]:
        """The pixels a hollow circle and its name take: the name's width, both heights."""
        rect = ghost.childItems()[0].boundingRect()
        return max(rect.width(), 2 * GHOST_RADIUS) + 6, rect.height() + 2 * GHOST_RADIUS + 6

    def _anchors(self, G: nx.MultiDiGraph, placed: Mapping[str, Point]) -> dict[str, QPointF]:
        """The mean position of the services each category has on the canvas."""
        sums: dict[str, list[float]] = {}
        for sid, (x, y) in placed.items():
            item = self._canvas.item_for(sid)
            if item is None or not item.isVisible():
                continue
            category = str(G.nodes[sid].get("category") or "") if sid in G else ""
            acc = sums.setdefault(category, [0.0, 0.0, 0.0])
            acc[0], acc[1], acc[2] = acc[0] + x, acc[1] + y, acc[2] + 1
        return {c: QPointF(a[0] / a[2], a[1] / a[2]) for c, a in sums.items()}

    def _ghost(self, gap: ServiceGap) -> QGraphicsEllipseItem:
        colour = QColor(category_color(gap.category))
        ghost = QGraphicsEllipseItem(
            -GHOST_RADIUS, -GHOST_RADIUS, 2 * GHOST_RADIUS, 2 * GHOST_RADIUS
        )
        pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        ghost.setPen(pen)
        ghost.setBrush(Qt.BrushStyle.NoBrush)
        ghost.setZValue(1.5)
        ghost.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        ghost.setToolTip(f"{gap.name}: {gap.reason}")
        ghost.setData(0, gap.service)
        label = QGraphicsSimpleTextItem(gap.short, ghost)
        font = QFont()
        font.setItalic(True)
        font.setPointSizeF(8.0)
        label.setFont(font)
        label.setBrush(QColor(colour).darker(130))
        label.setPos(-label.boundingRect().width() / 2, GHOST_RADIUS + 2)
        self._canvas.scene().addItem(ghost)
        return ghost


class ExamScopeToggle(QObject):
    """View › Show exam scope on the graph: the overlay drawn while on, for the chosen exam.

    Signals:
        none: it says in the status bar what the overlay shows.
    """

    def __init__(
        self,
        overlay: ExamOverlay,
        view_model: ViewModel,
        exam: Callable[[], str],
        status: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.overlay = overlay
        #: Whether the menu entry is on.
        self.on = False
        self._view_model = view_model
        self._exam = exam
        self._status = status

    @Slot(bool)
    def toggle(self, on: bool) -> None:
        """Turn the overlay on or off; on, say how many services it draws hollow."""
        self.on = on
        self.refresh()
        if on and self._view_model.graph is not None:
            ghosts = len(self.overlay.ghosts())
            self._status.showMessage(
                f"{ghosts} service{'s' * (ghosts != 1)} of the {self._exam()} scope "
                "your notes never name, drawn hollow; services outside the scope washed out."
            )

    @Slot()
    def refresh(self) -> None:
        """Draw (or take away) the overlay for the graph and exam shown now."""
        G = self._view_model.graph
        if not self.on or G is None:
            self.overlay.clear()
            return
        exam = self._exam()
        self.overlay.show_for(G, find_gaps(G, exam).missing, scope_services(exam))
