"""The native graph canvas: services as circles, relations as styled lines (QGraphicsView).

Edges are drawn in batches: one path item per relation type holds every visible edge of that
type, and a second set of path items holds the edges in focus (hovered or selected service,
a path). A frame of 2,000 services and 6,000 relations is then a few thousand C++ circle
paints and six path strokes; Python only chooses each batch's level of detail and paints
the few visible labels. The edge batches keep a device-coordinate cache only once the zoom has
settled, so hover repaints blit them and a zoom step costs one plain frame, not a re-cache.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import networkx as nx
import numpy as np
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from app.canvas_items import DARK, LIGHT, LabelItem, Legend, NodeItem, Theme, cosmetic_pen
from graph_data.graph import degrees, filtered_view
from graph_data.layout import compute_layout, label_text, major_labels
from graph_data.records import RELATIONS
from graph_data.style import RELATION_STYLES, circle_radius

__all__ = ["FIRST_PAINT_ENV", "GraphCanvas", "UnknownService"]

#: How many categories the legend names, the most common first.
_LEGEND_CATEGORIES = 6

#: When this environment variable is set, the canvas prints ``first-paint <epoch seconds>``
#: on stdout once it has painted services for the first time, and the app quits: how
#: ``bench/gui.py`` times start-up. Unset (always, for users) it costs nothing.
FIRST_PAINT_ENV = "SERVICE_ATLAS_FIRST_PAINT_EXIT"

Point = tuple[float, float]
#: Where the legend sits: (-1 left / 1 right, -1 top / 1 bottom) for a column in a corner,
#: (0, -1 / 1) for a strip across the top or bottom.
Corner = tuple[int, int]
#: The legend's places in order of preference when they cost the graph the same.
_CORNERS: tuple[Corner, ...] = ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, -1), (0, 1))
#: The legend's distance from the viewport's edges, in pixels.
_LEGEND_MARGIN = 10
EdgeKey = tuple[str, str, str]  # (source, target, relation)


class UnknownService(KeyError):
    """A service id that is not on the canvas."""


class GraphCanvas(QGraphicsView):
    """The knowledge graph drawn natively, with zoom, pan, hover focus, selection and pins.

    Labels follow a level of detail: every visible service is labelled while fewer than
    ``LABEL_ALL_LIMIT`` services are in the viewport; beyond that only the ``HUB_LABELS``
    most connected ones and the selected, hovered, highlighted services (and their
    neighbours) are. They are placed greedily, selection first, then the ``TOP_HUBS``
    biggest hubs, the focus, the rest by degree: each on the first side of its circle
    (below, above, right, left, the diagonals) where it stays in the viewport, off the
    legend and off every label placed before, preferring sides that cover no circle. A label
    with no such side is left out, so labels never overlap at rest.

    Signals:
        serviceSelected: the user clicked a service (its id).
        serviceActivated: the user double-clicked a service (its id); the window focuses it.
        selectionCleared: the user clicked the background.
        nodePinned: the user dragged a service and so pinned it (id, x, y in scene units).
        moved: the services reached the places :meth:`move_services` gave them.
    """

    serviceSelected = Signal(str)
    serviceActivated = Signal(str)
    selectionCleared = Signal()
    nodePinned = Signal(str, float, float)
    moved = Signal()

    #: How long the services take to move to a new layout, in milliseconds.
    MOVE_MS = 400
    #: Fit leaves this many pixels between the graph and the viewport's edges.
    FIT_MARGIN = 10.0

    #: Label every service while fewer than this many are in the viewport.
    LABEL_ALL_LIMIT = 500
    #: Otherwise label this many of the most connected services in view.
    HUB_LABELS = 40
    #: The most connected services are labelled right after the selection, before neighbours.
    TOP_HUBS = 5
    #: How far out a label may sit from its circle in a crowd: its own side, then further rows.
    LABEL_RINGS = 3
    ZOOM_MIN = 0.03
    #: Above this many visible edges, lines are drawn aliased (antialiasing costs 5-10x).
    EDGE_ANTIALIAS_LIMIT = 2000
    #: Above this many visible edges, arrowheads are open chevrons rather than filled.
    FILLED_HEADS_LIMIT = 600
    #: Edge batches keep a device-coordinate cache once the zoom has not changed for this long.
    SETTLE_MS = 300
    #: Below this zoom arrowheads are a few pixels wide, mere noise: they are left out.
    HEADS_MIN_ZOOM = 0.35
    ZOOM_MAX = 8.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setScene(self._scene)
        self._setup_view()
        self._G = nx.MultiDiGraph()
        self._items: dict[str, NodeItem] = {}
        self._degree: dict[str, int] = {}
        self._hubs: list[str] = []
        self._size_by = "degree"
        self._pinned: set[str] = set()
        # Visibility settings from the window.
        self._only: set[str] | None = None
        self._relations = set(RELATIONS)
        self._min_evidence = 0
        self._hide_isolated = False
        # What is visible now, derived from the settings.
        self._visible: set[str] = set()
        self._edges: list[EdgeKey] = []
        self._adj: dict[str, set[str]] = {}
        # Focus state.
        self._selected: str | None = None
        self._hovered: str | None = None
        self._highlighted: set[str] = set()
        self._path: list[str] = []
        #: What else labels must leave free (an overlay's drawings), in viewport pixels.
        self._label_obstacles: Callable[[], list[QRectF]] | None = None
        self._press: tuple[str | None, QPointF, QPointF] | None = None
        self._dragging = False
        # Until the user zooms or pans, a resize refits so the whole graph stays in view.
        self._auto_fit = True
        self._move: QVariantAnimation | None = None
        self._base = self._edge_items(z=0)
        # Focus edges are one small item each: a wide pen on one huge path is very slow.
        self._focus_items: list[QGraphicsPathItem] = []
        self._focus_pens: dict[str, tuple[QPen, QColor]] = {}
        self._legend = Legend(self)
        # Where the legend sits (a Corner): fit() moves it to the corner, or the strip,
        # where it costs the graph least.
        self._legend_corner: Corner = (-1, -1)
        self._place_legend(self._legend_corner)
        self._label_timer = QTimer(self, singleShot=True, interval=0)
        self._label_timer.timeout.connect(self._update_labels)
        self._settle_timer = QTimer(self, singleShot=True, interval=self.SETTLE_MS)
        self._settle_timer.timeout.connect(self._edges_at_rest)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self._theme: Theme = DARK if dark else LIGHT
        self.set_dark(dark)
        if os.environ.get(FIRST_PAINT_ENV):
            self.viewport().installEventFilter(_FirstPaintProbe(self))

    def _setup_view(self) -> None:
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # Hover focus repaints items all over the view; one full update beats region sums.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        # The canvas handles mouse input itself; the scene never hit-tests the big edge paths.
        self.setInteractive(False)
        # Zooms anchor themselves (_zoom_by): Qt's AnchorUnderMouse reads the cursor, which a
        # wheel event's own position need not match, and it stops at the scene's edge.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)

    def _edge_items(self, z: float) -> dict[str, tuple[_EdgeBatch, _EdgeBatch]]:
        """Per relation: a path item for the lines and one for the arrowheads."""
        items = {}
        for relation in RELATIONS:
            # Cached at rest (see _edges_live), so hover repaints blit them.
            line, heads = _EdgeBatch(), _EdgeBatch(min_zoom=self.HEADS_MIN_ZOOM)
            for item in (line, heads):
                item.setZValue(z)
                item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                self._scene.addItem(item)
            items[relation] = (line, heads)
        return items

    # ------------------------------------------------------------------ graph

    def replace_graph(
        self, G: nx.MultiDiGraph, positions: Mapping[str, Point] | None = None
    ) -> None:
        """Show ``G``, reusing the drawn services when it has the same ones (a correction).

        Only the relations, sizes and labels change then: no item is rebuilt and the view
        keeps its zoom. Otherwise this is :meth:`set_graph`.
        """
        if set(G) != set(self._items):
            self.set_graph(G, positions)
            return
        self._G = G
        self._count_degrees()
        major = major_labels(self._degree)
        for node, item in self._items.items():
            item.label.set_text(label_text(node, G.nodes[node]))
            item.label.set_major(node in major)
        self._apply_sizes()
        self._apply_visibility()
        self._update_legend()

    def _count_degrees(self) -> None:
        self._degree = degrees(self._G)
        self._hubs = sorted(self._G, key=lambda n: (-self._degree[n], str(n)))

    def set_graph(self, G: nx.MultiDiGraph, positions: Mapping[str, Point] | None = None) -> None:
        """Show ``G`` with its services at ``positions`` (missing ones are laid out)."""
        positions = dict(positions or {})
        if any(n not in positions for n in G):
            # Only the newcomers are placed: the services the user already sees stay put.
            known = {n: p for n, p in positions.items() if n in G}
            positions = compute_layout(G, initial=known or None, pinned=known or None)
        for item in self._items.values():
            self._scene.removeItem(item.label)
            self._scene.removeItem(item)
        self._G = G
        self._items = {}
        self._count_degrees()
        major = major_labels(self._degree)
        for node, data in G.nodes(data=True):
            text, category = label_text(node, data), data.get("category")
            item = NodeItem(str(node), text, category, 8.0, node in major)
            item.apply_theme(self._theme)
            self._scene.addItem(item)
            self._scene.addItem(item.label)
            item.move_to(*positions[node])
            self._items[node] = item
        self._pinned &= set(G)
        for node in self._pinned:
            self._items[node].set_pinned(True, self._theme)
        self._selected = self._selected if self._selected in self._items else None
        if self._selected is not None:
            self._items[self._selected].set_selected_look(True)
        self._hovered = None
        self._highlighted &= set(G)
        self._path = [n for n in self._path if n in self._items]
        self._apply_sizes()
        self._apply_visibility()
        self._update_legend()
        self.fit()

    def move_services(self, positions: Mapping[str, Point], animate: bool = True) -> None:
        """Move the services named in ``positions`` there, in a short animation, then fit.

        The others stay where they are; a move still running is replaced by this one.
        """
        if self._move is not None:
            self._move.stop()
            self._move = None
        start = {n: (i.pos().x(), i.pos().y()) for n, i in self._items.items() if n in positions}
        if not animate or not start:
            self._step_move(1.0, start, positions)
            self._moved()
            return
        move = QVariantAnimation(self)
        move.setDuration(self.MOVE_MS)
        move.setStartValue(0.0)
        move.setEndValue(1.0)
        move.setEasingCurve(QEasingCurve.Type.InOutCubic)
        move.valueChanged.connect(lambda t: self._step_move(float(t), start, positions))
        move.finished.connect(self._moved)
        self._move = move
        move.start()

    def _step_move(self, t: float, start: Mapping[str, Point], end: Mapping[str, Point]) -> None:
        for node, (x0, y0) in start.items():
            x1, y1 = end[node]
            self._items[node].move_to(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        self._rebuild_edges()

    @Slot()
    def _moved(self) -> None:
        self._move = None
        self._rebuild_edges()
        self._update_scene_rect()
        if self._auto_fit:
            self.fit()
        else:
            self._schedule_labels()
        self.moved.emit()

    def is_moving(self) -> bool:
        """Whether services are still on their way to a new layout."""
        return self._move is not None

    def set_size_by(self, what: str) -> None:
        """Size circles by ``"degree"`` (relations) or ``"mentions"`` (times named in notes)."""
        if what not in ("degree", "mentions"):
            raise ValueError(f"size by 'degree' or 'mentions', not {what!r}")
        self._size_by = what
        self._apply_sizes()
        self._rebuild_edges()
        self._update_legend()

    def _apply_sizes(self) -> None:
        # Crowded layouts get smaller circles, so neighbours do not melt into one blob.
        box = self._nodes_rect(self._items)
        spacing = math.sqrt(box.width() * box.height() / max(len(self._items), 1))
        shrink = min(1.0, max(spacing / 60.0, 0.3))
        for node, item in self._items.items():
            if self._size_by == "mentions":
                value = float(self._G.nodes[node].get("mentions") or 0) / 2
            else:
                value = float(self._degree.get(node, 0))
            item.set_radius(shrink * circle_radius(value))

    def positions(self) -> dict[str, Point]:
        """Where every service is now (after any drags), in scene units."""
        return {n: (item.pos().x(), item.pos().y()) for n, item in self._items.items()}

    def pinned_services(self) -> set[str]:
        """Services the user placed by dragging."""
        return set(self._pinned)

    def set_pinned(self, ids: Iterable[str]) -> None:
        """Mark these services as pinned (e.g. restored from the layout cache)."""
        self._pinned = {n for n in ids if n in self._items}
        for node, item in self._items.items():
            item.set_pinned(node in self._pinned, self._theme)

    def item_for(self, service: str) -> NodeItem | None:
        """The circle drawn for ``service`` (visible or not), or None."""
        return self._items.get(service)

    # ------------------------------------------------------------------ visibility

    @Slot(object)
    def set_visible_services(self, ids: Iterable[str] | None) -> None:
        """Show only these services (None shows all)."""
        self._only = None if ids is None else set(ids)
        self._apply_visibility()

    @Slot(object)
    def set_relation_filter(self, relations: Iterable[str]) -> None:
        """Show only edges of these relation types."""
        self._relations = set(relations)
        self._apply_visibility()

    @Slot(int)
    def set_min_evidence(self, n: int) -> None:
        """Show only edges with at least ``n`` pieces of evidence."""
        self._min_evidence = int(n)
        self._apply_visibility()

    @Slot(bool)
    def set_hide_isolated(self, hide: bool) -> None:
        """Hide services that have no visible edge."""
        self._hide_isolated = bool(hide)
        self._apply_visibility()

    def set_filters(
        self,
        relations: Iterable[str],
        min_evidence: int,
        hide_isolated: bool,
        visible: Iterable[str] | None,
    ) -> None:
        """Set every filter at once and redraw once (each setter alone redraws)."""
        self._relations = set(relations)
        self._min_evidence = int(min_evidence)
        self._hide_isolated = bool(hide_isolated)
        self._only = None if visible is None else set(visible)
        self._apply_visibility()

    def visible_service_ids(self) -> set[str]:
        """The services drawn now."""
        return set(self._visible)

    def visible_edges(self) -> list[EdgeKey]:
        """The edges drawn now, as ``(source, target, relation)``."""
        return list(self._edges)

    def _filtered_edges(self, nodes: set[str]) -> list[EdgeKey]:
        """The edges between ``nodes`` that pass the relation-type and evidence filters."""
        view = filtered_view(
            self._G, relations=self._relations, services=nodes, min_evidence=self._min_evidence
        )
        return [
            (u, v, data.get("relation", key))
            for u, v, key, data in view.edges(keys=True, data=True)
            if u != v
        ]

    def filtered_graph(self) -> nx.MultiDiGraph:
        """What the relation-type and evidence filters leave of the graph (focus aside).

        Services left without a relation are dropped when isolated services are hidden.
        """
        H = nx.MultiDiGraph()
        edges = self._filtered_edges(set(self._items))
        H.add_edges_from((u, v, r) for u, v, r in edges)
        if not self._hide_isolated:
            H.add_nodes_from(self._items)
        return H

    def filters_all(self) -> bool:
        """Whether the relation-type and evidence filters hide nothing."""
        return set(RELATIONS) <= set(self._relations) and self._min_evidence <= 1

    def _apply_visibility(self) -> None:
        nodes = set(self._items) if self._only is None else self._only & set(self._items)
        edges = self._filtered_edges(nodes)
        adj: dict[str, set[str]] = defaultdict(set)
        for u, v, _ in edges:
            adj[u].add(v)
            adj[v].add(u)
        if self._hide_isolated:
            nodes = {n for n in nodes if adj.get(n)}
        self._visible, self._edges, self._adj = nodes, edges, dict(adj)
        for node, item in self._items.items():
            shown = node in nodes
            item.setVisible(shown)
            if not shown:
                item.label.setVisible(False)
        if self._hovered not in nodes:
            self._hovered = None
        self._rebuild_edges()
        self._update_scene_rect()

    def _update_scene_rect(self) -> None:
        box = self._nodes_rect()
        margin = max(box.width(), box.height(), 400.0)
        self._scene.setSceneRect(box.adjusted(-margin, -margin, margin, margin))

    def _nodes_rect(self, nodes: Iterable[str] | None = None) -> QRectF:
        pts = [self._items[n] for n in (self._visible if nodes is None else nodes)]
        if not pts:
            return QRectF(-200, -200, 400, 400)
        xs = [i.pos().x() for i in pts]
        ys = [i.pos().y() for i in pts]
        pad = 40.0
        return QRectF(
            min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
        )

    # ------------------------------------------------------------------ edges

    def _pairs(self, edges: Iterable[EdgeKey]) -> dict[tuple[str, str], list[EdgeKey]]:
        pairs: dict[tuple[str, str], list[EdgeKey]] = defaultdict(list)
        for edge in edges:
            u, v, _ = edge
            pairs[(u, v) if u <= v else (v, u)].append(edge)
        return pairs

    def _geometry(self, edges: Iterable[EdgeKey]) -> dict[str, list]:
        """Per relation: ``(start, control or None, end)`` of each edge, rims not centres.

        Several relations between one pair bend away from each other symmetrically, so
        each stays visible; a single relation is a straight line.
        """
        out: dict[str, list] = {r: [] for r in RELATIONS}
        order = {r: i for i, r in enumerate(RELATIONS)}
        for (a, b), group in self._pairs(edges).items():
            group.sort(key=lambda e: order.get(e[2], 9))
            ia, ib = self._items[a], self._items[b]
            pa, pb = ia.pos(), ib.pos()
            dx, dy = pb.x() - pa.x(), pb.y() - pa.y()
            length = math.hypot(dx, dy) or 1.0
            nx_, ny_ = -dy / length, dx / length
            for i, (u, _v, relation) in enumerate(group):
                bend = (i - (len(group) - 1) / 2) * min(0.22 * length, 40.0)
                mid = QPointF(
                    (pa.x() + pb.x()) / 2 + nx_ * bend, (pa.y() + pb.y()) / 2 + ny_ * bend
                )
                su, sv = (ia, ib) if u == a else (ib, ia)
                start = _toward(su.pos(), mid if bend else sv.pos(), su.radius)
                end = _toward(sv.pos(), mid if bend else su.pos(), sv.radius + 1.0)
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

    def _fill(self, items, geometry: dict[str, list]) -> None:
        # Filling thousands of antialiased triangles costs more than all the lines: in big
        # views the heads are open chevrons, stroked like the lines.
        open_heads = len(self._edges) > self.FILLED_HEADS_LIMIT
        for relation, (line_item, head_item) in items.items():
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
                    _arrowhead(heads, base, end, closed=not open_heads)
            line_item.setPath(lines)
            head_item.setPath(heads)

    def _edges_live(self) -> None:
        """Draw the edge batches directly while the zoom changes.

        A device-coordinate cache is a viewport-sized picture redrawn whole at every new
        scale, ten times the cost of a plain frame; at rest it makes hover repaints a blit.
        """
        for line, heads in self._base.values():
            line.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            heads.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self._settle_timer.start()

    @Slot()
    def _edges_at_rest(self) -> None:
        for line, heads in self._base.values():
            line.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            heads.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def edges_cached(self) -> bool:
        """Whether the edge batches are cached now (at rest) or drawn directly (zooming)."""
        line, _ = self._base[RELATIONS[0]]
        return line.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache

    def _rebuild_edges(self) -> None:
        """Redraw the base edge batch (all visible edges) and the focus batch."""
        self._style_edges()
        self._fill(self._base, self._geometry(self._edges))
        self._apply_focus()

    def _style_edges(self) -> None:
        many = len(self._edges) > self.FILLED_HEADS_LIMIT
        smooth = len(self._edges) <= self.EDGE_ANTIALIAS_LIMIT
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

    # ------------------------------------------------------------------ focus

    @Slot(str)
    def select_service(self, service: str, center: bool = True) -> None:
        """Select ``service`` as if clicked (without emitting); with ``center``, bring it into view.

        The view moves only when the service is out of view (or under the legend): a service
        the user just clicked stays where it is, so the second click of a double-click lands
        on it too.
        """
        if service not in self._items:
            raise UnknownService(service)
        self._set_selected(service)
        if center and not self._in_view(service):
            self._center_on(self._items[service].pos())
        self._schedule_labels()

    @Slot()
    def clear_selection(self) -> None:
        """Select nothing (without emitting)."""
        self._set_selected(None)

    def selected_service(self) -> str | None:
        """The selected service, if any."""
        return self._selected

    def _set_selected(self, service: str | None) -> None:
        if service == self._selected:
            return
        if self._selected in self._items:
            self._items[self._selected].set_selected_look(False)
        self._selected = service
        if service is not None:
            self._items[service].set_selected_look(True)
        self._apply_focus()
        # The bold label is larger than the one placed: placed now, never drawn over another.
        self._update_labels()

    def _fit_area(self) -> QRectF:
        """The viewport less Fit's margin: where Fit puts the graph."""
        m = self.FIT_MARGIN
        return QRectF(self.viewport().rect()).adjusted(m, m, -m, -m)

    def _in_view(self, service: str, margin: float | None = None) -> bool:
        """Whether the service's circle lies wholly in the viewport, clear of the legend.

        ``margin`` (pixels) is the room wanted between the circle and the viewport's edges;
        by default half Fit's margin, so every service a fit shows counts as in view (a
        click on one must not move the view). The legend's rectangle has its own margin.
        """
        if margin is None:
            margin = self.FIT_MARGIN / 2
        item = self._items[service]
        centre = self.viewportTransform().map(item.pos())
        r = item.radius * self.zoom()
        circle = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        legend = self._legend_rect()
        room = circle.adjusted(-margin, -margin, margin, margin)
        inside = QRectF(self.viewport().rect()).contains(room)
        return inside and (legend is None or not legend.intersects(circle))

    def _center_on(self, point: QPointF) -> None:
        """Scroll so ``point`` (scene) is at the viewport's centre, growing the scene if needed.

        ``centerOn`` alone stops at the scene's edge, which puts a service near the edge of
        the graph anywhere but the centre.
        """
        view = self.viewport().rect()
        half_w, half_h = view.width() / self.zoom(), view.height() / self.zoom()
        wanted = QRectF(point.x() - half_w, point.y() - half_h, 2 * half_w, 2 * half_h)
        if not self._scene.sceneRect().contains(wanted):
            self._scene.setSceneRect(self._scene.sceneRect().united(wanted))
        self.centerOn(point)

    @Slot(object)
    def highlight_services(self, ids: Iterable[str]) -> None:
        """Ring these services (e.g. the services in search results)."""
        self._highlighted = {n for n in ids if n in self._items}
        for node, item in self._items.items():
            item.set_ring(node in self._highlighted, self._theme)
        self._schedule_labels()

    def highlighted_services(self) -> set[str]:
        """The services with a ring."""
        return set(self._highlighted)

    @Slot(object)
    def show_path(self, ids: list[str]) -> None:
        """Emphasise the edges along the chain ``ids`` and dim everything else."""
        self._path = [n for n in ids if n in self._items]
        self._apply_focus()

    @Slot()
    def clear_highlight(self) -> None:
        """Drop search rings and any shown path."""
        self._path = []
        self.highlight_services(())
        self._apply_focus()

    def _focus_sets(self) -> tuple[set[str], list[EdgeKey]] | None:
        """Services and edges in focus, the one owner of emphasis and dimming.

        The hovered service's neighbourhood comes first (the selected service stays
        undimmed under it), then a shown path, then the selected service's neighbourhood:
        so hover works on top of the selection, and leaving restores it.
        """
        centre = self._hovered
        if centre is None and len(self._path) > 1:
            steps = {frozenset(p) for p in zip(self._path, self._path[1:], strict=False)}
            edges = [e for e in self._edges if frozenset(e[:2]) in steps]
            return set(self._path), edges
        if centre is None and self._selected in self._visible:
            centre = self._selected
        if centre is None:
            return None
        nodes = {centre} | self._adj.get(centre, set())
        if self._selected in self._visible:
            nodes.add(self._selected)
        return nodes, [e for e in self._edges if centre in (e[0], e[1])]

    def _apply_focus(self) -> None:
        focus = self._focus_sets()
        if focus is None:
            nodes, edges = None, []
        else:
            nodes, edges = focus
        for node, item in self._items.items():
            dim = nodes is not None and node not in nodes
            item.set_dim(dim)
            # In a crowd, faded circles must not be drawn over the emphasised ones.
            item.setZValue(3.0 if node == self._selected else 2.0 if dim or nodes is None else 2.5)
        for line, heads in self._base.values():
            line.setOpacity(1.0 if nodes is None else 0.1)
            heads.setOpacity(1.0 if nodes is None else 0.1)
        self._draw_focus_edges(edges)
        self._schedule_labels()

    def _draw_focus_edges(self, edges: list[EdgeKey]) -> None:
        for item in self._focus_items:
            self._scene.removeItem(item)
        self._focus_items = []
        for relation, shapes in self._geometry(edges).items():
            pen, color = self._focus_pens[relation]
            arrow = RELATION_STYLES[relation].arrow if relation in RELATION_STYLES else False
            for start, control, end in shapes:
                path = QPainterPath(start)
                if control is None:
                    path.lineTo(end)
                else:
                    path.quadTo(control, end)
                item = QGraphicsPathItem(path)
                item.setPen(pen)
                item.setZValue(1)
                self._scene.addItem(item)
                self._focus_items.append(item)
                if arrow:
                    head = QPainterPath()
                    _arrowhead(head, start if control is None else control, end, 14.0)
                    tip = QGraphicsPathItem(head)
                    tip.setPen(Qt.PenStyle.NoPen)
                    tip.setBrush(color)
                    tip.setZValue(1)
                    self._scene.addItem(tip)
                    self._focus_items.append(tip)

    def dimmed_services(self) -> set[str]:
        """The visible services faded out by the current focus (hover, path or selection)."""
        return {n for n in self._visible if self._items[n].opacity() < 1.0}

    def focused_edges(self) -> list[EdgeKey]:
        """The edges drawn emphasised now."""
        focus = self._focus_sets()
        return [] if focus is None else focus[1]

    def _set_hovered(self, service: str | None) -> None:
        if service != self._hovered:
            if self._hovered in self._items and self._hovered != self._selected:
                self._items[self._hovered].label.set_bold(False)
            self._hovered = service
            if service is not None:
                self._items[service].label.set_bold(True)
            self._apply_focus()
            # Bold labels change size: re-placed at once, not one event later.
            self._update_labels()

    # ------------------------------------------------------------------ theme

    @Slot(bool)
    def set_dark(self, dark: bool) -> None:
        """Use colours for a dark (True) or light background."""
        self._theme = DARK if dark else LIGHT
        LabelItem.set_theme(self._theme)
        self.setBackgroundBrush(QColor(self._theme.background))
        for item in self._items.values():
            item.apply_theme(self._theme)
            item.label.update()
        self._legend.set_theme(self._theme)
        self.resetCachedContent()
        self.viewport().update()

    def is_dark(self) -> bool:
        """Whether the dark colours are in use."""
        return self._theme.dark

    def _update_legend(self) -> None:
        counts: dict[str, int] = defaultdict(int)
        for node in self._G:
            category = self._G.nodes[node].get("category")
            if category:
                counts[category] += 1
        categories = sorted(counts, key=lambda c: (-counts[c], c))
        if len(categories) > _LEGEND_CATEGORIES + 1:
            # A long legend pushes the graph into the corner below it; the Services panel
            # lists every category with its colour.
            rest = len(categories) - _LEGEND_CATEGORIES
            categories = [*categories[:_LEGEND_CATEGORIES], f"…and {rest} more (see Services)"]
        note = "circle size: relations" if self._size_by == "degree" else "circle size: mentions"
        self._legend.set_content(categories, note)

    def legend(self) -> Legend:
        """The legend panel (a child widget over the top-left corner)."""
        return self._legend

    # ------------------------------------------------------------------ zoom

    @Slot()
    def view_state(self) -> tuple[QTransform, QPointF, bool]:
        """The zoom, the scene point in the middle and whether the view follows fit()."""
        center = self.mapToScene(self.viewport().rect().center())
        return self.transform(), QPointF(center), self._auto_fit

    def restore_view(self, state: tuple[QTransform, QPointF, bool]) -> None:
        """Go back to a :meth:`view_state`: a zoom the user chose survives the next resize."""
        transform, center, auto_fit = state
        self.setTransform(transform)
        self.centerOn(center)
        self._auto_fit = auto_fit
        self._schedule_labels()

    def fit(self) -> None:
        """Zoom and scroll so every visible service and its label is in view (at most 200 %).

        The legend covers no service or label after a fit. With the legend in a corner,
        the graph gets the whole viewport if some placement leaves that corner free (the
        shape of a graph often does), else the strip beside the legend or the band above or
        below it; with the legend a strip across the top or bottom, the rest of the
        viewport. The legend moves to the place that leaves the graph the largest zoom.
        """
        self._auto_fit = True
        if self.viewport().width() < 2 or not self._visible:
            self._update_labels()
            return
        extents = self._fit_extents()
        if not self._legend.isVisibleTo(self):
            region = self._fit_area()
            zoom = _fit_zoom(extents, region.width(), region.height())
        else:
            choices = {c: self._fit_with_legend(extents, c) for c in _CORNERS}
            # In a viewport too small for any of them, the legend covers some of the graph.
            clear = {
                c: pair
                for c, pair in choices.items()
                if not self._legend_over(extents, *pair, self._legend_rect_at(c))
            } or choices
            best = max(z for z, _ in clear.values())
            # Among places as good as the best, keep the legend where it is (no jumping).
            corner = min(
                (c for c, (z, _) in clear.items() if z >= best * 0.98),
                key=lambda c: (c != self._legend_corner, _CORNERS.index(c)),
            )
            zoom, region = clear[corner]
            self._place_legend(corner)
        self._show_at(extents, zoom, region)
        self._update_labels()

    @staticmethod
    def _legend_over(extents: np.ndarray, zoom: float, region: QRectF, legend: QRectF) -> bool:
        """Whether the graph shown at ``zoom`` in ``region`` (see _show_at) meets ``legend``."""
        left, right, top, bottom = _spans(extents, zoom)
        dx = region.center().x() - (left + right) / 2
        dy = region.center().y() - (top + bottom) / 2
        return _covers(extents, zoom, dx, dy, legend)

    def _fit_with_legend(self, extents: np.ndarray, corner: Corner) -> tuple[float, QRectF]:
        """The largest zoom, and where the graph goes, with the legend in ``corner``."""
        legend = self._legend_rect_at(corner)
        if corner[0] == 0:
            band = self._fit_area()
            if corner[1] < 0:
                band.setTop(legend.bottom() + 4)
            else:
                band.setBottom(legend.top() - 4)
            return _fit_zoom(extents, band.width(), max(band.height(), 1.0)), band
        zoom, region = max(
            (
                (_fit_zoom(extents, r.width(), r.height()), r)
                for r in self._fit_regions(legend, corner)
            ),
            key=lambda pair: pair[0],
        )
        return self._fit_beside(extents, legend, corner, zoom) or (zoom, region)

    def _fit_beside(
        self, extents: np.ndarray, legend: QRectF, corner: Corner, floor: float
    ) -> tuple[float, QRectF] | None:
        """A zoom above ``floor``, and where, for the whole viewport with the legend uncovered.

        Tries a few zooms from the largest down, and for each the graph centred or pushed
        into the corners away from the legend.
        """
        view = self._fit_area()
        top_zoom = _fit_zoom(extents, view.width(), view.height())
        sx, sy = corner
        steps = 6
        for k in range(steps):
            zoom = top_zoom * (floor / top_zoom) ** (k / steps)
            if zoom <= floor * 1.02:
                break
            left, right, top, bottom = _spans(extents, zoom)
            w, h = right - left, bottom - top
            mid_x, mid_y = view.center().x() - w / 2, view.center().y() - h / 2
            away_x = view.right() - w if sx < 0 else view.left()
            away_y = view.bottom() - h if sy < 0 else view.top()
            for x, y in ((mid_x, mid_y), (away_x, away_y), (away_x, mid_y), (mid_x, away_y)):
                if not _covers(extents, zoom, x - left, y - top, legend):
                    return zoom, QRectF(x, y, w, h)
        return None

    def _fit_extents(self) -> np.ndarray:
        """Per service to fit: x, y, radius (scene) and label width, height (pixels)."""
        nodes = sorted(self._visible)
        if len(nodes) >= self.LABEL_ALL_LIMIT:
            hubs = [n for n in self._hubs if n in self._visible][: self.HUB_LABELS]
            labelled = set(hubs) | self._must_label()
        else:
            labelled = set(nodes)
        rows = []
        for node in nodes:
            item = self._items[node]
            w, h = item.label.size() if node in labelled else (0.0, 0.0)
            rows.append((item.pos().x(), item.pos().y(), item.radius, w, h))
        return np.array(rows, dtype=float).reshape(-1, 5)

    def _fit_regions(self, legend: QRectF, corner: Corner) -> list[QRectF]:
        """Where the graph may go: the viewport, less the legend's strip or its band."""
        view = self._fit_area()
        sx, sy = corner
        beside = QRectF(view)
        if sx < 0:
            beside.setLeft(max(view.left(), legend.right() + 4))
        else:
            beside.setRight(min(view.right(), legend.left() - 4))
        band = QRectF(view)
        if sy < 0:
            band.setTop(max(view.top(), legend.bottom() + 4))
        else:
            band.setBottom(min(view.bottom(), legend.top() - 4))
        return [r for r in (beside, band) if r.width() > 20 and r.height() > 20] or [view]

    def _show_at(self, extents: np.ndarray, zoom: float, region: QRectF) -> None:
        """Scale to ``zoom`` and scroll so the extents are centred in ``region``."""
        left, right, top, bottom = _spans(extents, zoom)
        # Pixel offsets of the content's middle from the scene origin scaled by zoom.
        mid_x, mid_y = (left + right) / 2, (top + bottom) / 2
        view = self.viewport().rect()
        # The scene point that must land at the viewport's centre.
        cx = (mid_x + view.width() / 2 - region.center().x()) / zoom
        cy = (mid_y + view.height() / 2 - region.center().y()) / zoom
        if abs(zoom - self.zoom()) > 1e-12:
            self._edges_live()
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self._center_on(QPointF(cx, cy))

    def zoom(self) -> float:
        """The current scale (1.0 = scene units are pixels)."""
        return self.transform().m11()

    @Slot()
    def zoom_in(self) -> None:
        """Zoom in one step around the selected service when it is in view, else the centre."""
        self._zoom_by(1.25, self._key_anchor())

    @Slot()
    def zoom_out(self) -> None:
        """Zoom out one step around the selected service when it is in view, else the centre."""
        self._zoom_by(0.8, self._key_anchor())

    def _key_anchor(self) -> QPointF | None:
        """Where a zoom from the keys or buttons holds still: the selection, so it stays."""
        if self._selected in self._visible and self._in_view(self._selected, margin=0.0):
            return self.viewportTransform().map(self._items[self._selected].pos())
        return None

    def _zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Scale by ``factor`` keeping the scene point at ``at`` (viewport pixels) where it is."""
        target = min(max(self.zoom() * factor, self.ZOOM_MIN), self.ZOOM_MAX)
        if abs(target / self.zoom() - 1.0) < 1e-9:
            return
        self._auto_fit = False
        view = QRectF(self.viewport().rect())
        at = view.center() if at is None else QPointF(at)
        fixed = self.viewportTransform().inverted()[0].map(at)
        self._edges_live()
        self.setTransform(QTransform.fromScale(target, target))
        offset = view.center() - at
        self._center_on(fixed + QPointF(offset.x() / target, offset.y() / target))
        self._schedule_labels()

    def wheelEvent(self, event) -> None:
        """Zoom around the point under the mouse pointer."""
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._zoom_by(1.0015**delta, event.position())
        event.accept()

    def keyPressEvent(self, event) -> None:
        """``+``/``=`` zoom in, ``-`` zooms out, ``0`` fits everything, Esc clears the selection."""
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_Escape and self._selected is not None:
            self._set_selected(None)
            self.selectionCleared.emit()
        else:
            super().keyPressEvent(event)

    def viewportEvent(self, event) -> bool:
        """Pinch gestures (touch screens) and native zoom gestures (trackpads) zoom too."""
        kind = event.type()
        if kind == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                centre = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                self._zoom_by(pinch.scaleFactor(), QPointF(centre))
                event.accept()
                return True
        if kind == QEvent.Type.NativeGesture and event.gestureType() == Qt.ZoomNativeGesture:
            self._zoom_by(1.0 + event.value(), event.position())
            return True
        return super().viewportEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Panning changes what is in view, so which labels fit."""
        super().scrollContentsBy(dx, dy)
        self._schedule_labels()

    def resizeEvent(self, event) -> None:
        """Refit, unless the user chose a zoom; then keep the selection in view."""
        super().resizeEvent(event)
        self._place_legend(self._legend_corner)
        if self._auto_fit:
            self.fit()
        elif self._selected in self._visible and not self._in_view(self._selected, margin=0.0):
            self._center_on(self._items[self._selected].pos())
        self._schedule_labels()

    # ------------------------------------------------------------------ mouse

    def service_at(self, view_pos: QPointF) -> str | None:
        """The visible service under a viewport position: a label's, else the nearest circle's."""
        # A label is drawn over whatever circle lies under it: what the user sees there is
        # the label, so the label's service is the one meant.
        for item in self.items(view_pos.toPoint()):
            if isinstance(item, LabelItem) and item.isVisible() and item.service in self._visible:
                return item.service
        scene_pos = self.mapToScene(view_pos.toPoint())
        slack = 3.0 / max(self.zoom(), 1e-6)
        box = QRectF(
            scene_pos.x() - 32 - slack, scene_pos.y() - 32 - slack, 64 + 2 * slack, 64 + 2 * slack
        )
        best, best_d = None, math.inf
        for item in self._scene.items(box, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, NodeItem) and item.isVisible():
                d = math.dist((item.pos().x(), item.pos().y()), (scene_pos.x(), scene_pos.y()))
                if d <= item.radius + slack and d < best_d:
                    best, best_d = item.service, d
        return best

    def mousePressEvent(self, event) -> None:
        """Press on a service starts a click or a drag; on the background, a pan."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        service = self.service_at(event.position())
        scene_pos = self.mapToScene(event.position().toPoint())
        if service is None:
            self._press = (None, event.position(), scene_pos)
            super().mousePressEvent(event)
            return
        offset = scene_pos - self._items[service].pos()
        self._press = (service, event.position(), offset)
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        """Drag a service, pan the background, or follow the hover."""
        press = self._press
        if press is not None and press[0] is not None:
            service, start, offset = press
            far = (event.position() - start).manhattanLength()
            if self._dragging or far >= QApplication.startDragDistance():
                self._dragging = True
                where = self.mapToScene(event.position().toPoint()) - offset
                self._items[service].move_to(where.x(), where.y())
                self._set_hovered(service)
                self._draw_focus_edges(self.focused_edges())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if press is None:
            self._set_hovered(self.service_at(event.position()))
        elif (event.position() - press[1]).manhattanLength() >= QApplication.startDragDistance():
            self._auto_fit = False

    def mouseReleaseEvent(self, event) -> None:
        """Finish a click (select), a drag (pin) or a background click (clear)."""
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        service, start, _ = press
        if service is None:
            super().mouseReleaseEvent(event)
            if (event.position() - start).manhattanLength() < QApplication.startDragDistance():
                self._set_selected(None)
                self.selectionCleared.emit()
            return
        if self._dragging:
            self._dragging = False
            self._finish_drag(service)
        else:
            self._set_selected(service)
            self.serviceSelected.emit(service)
        event.accept()

    def _finish_drag(self, service: str) -> None:
        item = self._items[service]
        self._pinned.add(service)
        item.set_pinned(True, self._theme)
        self._rebuild_edges()
        self._update_scene_rect()
        self.nodePinned.emit(service, item.pos().x(), item.pos().y())

    def mouseDoubleClickEvent(self, event) -> None:
        """Double-click on a service activates it (the window focuses on it)."""
        service = self.service_at(event.position())
        if service is not None and event.button() == Qt.MouseButton.LeftButton:
            self.serviceActivated.emit(service)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event) -> None:
        """The pointer left: nothing is hovered any more."""
        super().leaveEvent(event)
        if self._press is None:
            self._set_hovered(None)

    # ------------------------------------------------------------------ labels

    def _schedule_labels(self) -> None:
        self._label_timer.start()

    def top_hubs(self) -> list[str]:
        """The most connected visible services, whose labels show whenever they are in view."""
        return [n for n in self._hubs if n in self._visible][: self.TOP_HUBS]

    def labelled_services(self) -> set[str]:
        """Services whose label shows now."""
        return {n for n, item in self._items.items() if item.label.isVisible()}

    @Slot()
    def _update_labels(self) -> None:
        """Choose which labels show: level of detail, focus first, no label over another."""
        self._label_timer.stop()
        view_rect = self.mapToScene(self.viewport().rect()).boundingRect()
        in_view = [
            item
            for item in self._scene.items(
                view_rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect
            )
            if isinstance(item, NodeItem) and item.isVisible()
        ]
        must = self._must_label()
        dimmed = self._focus_sets() is not None
        top = set(self.top_hubs())
        # While something is in focus, the faded services go unlabelled, except the top hubs:
        # landmarks, so a selection far from them still shows where in the graph it is.
        if len(in_view) < self.LABEL_ALL_LIMIT:
            wanted = [
                i
                for i in in_view
                if not dimmed or i.opacity() == 1.0 or i.service in must or i.service in top
            ]
        else:
            hubs = sorted(in_view, key=lambda i: (-self._degree.get(i.service, 0), i.service))
            wanted = [i for i in in_view if i.service in must] + [
                i
                for i in hubs[: self.HUB_LABELS]
                if not dimmed or i.opacity() == 1.0 or i.service in top
            ]
        first = (self._selected, self._hovered)
        wanted.sort(
            key=lambda i: (
                i.service not in first,
                i.service not in top,
                i.service not in must,
                -self._degree.get(i.service, 0),
                i.service,
            )
        )
        shown = self._place_labels(wanted, must, in_view)
        for item in self._items.values():
            item.label.setVisible(item.service in shown)

    def _must_label(self) -> set[str]:
        must = set(self._highlighted) | set(self._path)
        for service in (self._selected, self._hovered):
            if service is not None:
                must.add(service)
                must |= self._adj.get(service, set())
        return must & self._visible

    def _place_labels(
        self, wanted: list[NodeItem], must: set[str], in_view: list[NodeItem] = ()
    ) -> set[str]:
        """Greedy placement in priority order, each label on the first free side of its circle.

        A side is free when its rectangle (view pixels) lies in the free part of the
        viewport (not under the legend), overlaps no label placed before and covers no circle
        in view, labelled or not: a label must never hide a service. A label with no free side
        is dropped, except the selected and hovered services' and the top hubs', which then
        take the first place clear of other labels (over circles if need be), else go below.
        """
        free = self._free_area()
        legend = self._legend_rect()
        zoom = self.zoom()
        to_view = self.viewportTransform()
        labels = _RectGrid()
        circles = _RectGrid(round_=True)
        for item in {id(i): i for i in (*wanted, *in_view)}.values():
            c, r = to_view.map(item.pos()), item.radius * zoom
            circles.add(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), item.service)
        for rect in self._label_obstacles() if self._label_obstacles else ():
            labels.add(rect, "")
        shown: set[str] = set()
        top = set(self.top_hubs())
        for item in wanted:
            if item.service in shown:
                continue
            centre = to_view.map(item.pos())
            landmark = item.service in top
            side, gap = self._free_place(
                item, centre, item.radius * zoom + 2.0, free, legend, labels, circles, landmark
            )
            if side is None:
                if item.service not in (self._selected, self._hovered) and not landmark:
                    continue
                # A label that must show may cover circles, yet still no other label.
                side, gap = self._free_place(
                    item, centre, item.radius * zoom + 2.0, free, legend, labels, _RectGrid(), True
                )
                if side is None:
                    side, gap = "below", item.radius * zoom + 2.0
            item.label.place(side, gap, leader=item.radius * zoom)
            labels.add(item.label.rect_at(side, gap).translated(centre), item.service)
            shown.add(item.service)
        return shown

    def _free_place(self, item, centre, gap, free, legend, labels, circles, far=False):
        """The first free side next to the circle or, in a crowd, a few label rows out.

        ``far`` (the top hubs, landmarks of the picture) looks four times as far out.
        """
        step = item.label.rect_at("below", 0.0).height() * 1.2
        for ring in range(self.LABEL_RINGS * (4 if far else 1)):
            side = self._free_side(item, centre, gap + ring * step, free, legend, labels, circles)
            if side is not None:
                return side, gap + ring * step
        return None, gap

    def _free_side(self, item, centre, gap, free, legend, labels, circles) -> str | None:
        for side in LabelItem.SIDES:
            rect = item.label.rect_at(side, gap).translated(centre)
            if not free.contains(rect) or (legend is not None and legend.intersects(rect)):
                continue
            if not labels.hits(rect) and not circles.hits(rect, ignore=item.service):
                return side
        return None

    def set_label_obstacles(self, rects: Callable[[], list[QRectF]] | None) -> None:
        """Have labels leave these viewport rectangles free too (None: no more); relabel now."""
        self._label_obstacles = rects
        self._update_labels()

    def label_rects(self) -> dict[str, QRectF]:
        """The shown labels' rectangles in viewport pixels, by service."""
        to_view = self.viewportTransform()
        out = {}
        for node, item in self._items.items():
            if item.label.isVisible():
                out[node] = item.label.halo().translated(to_view.map(item.pos()))
        return out

    def _legend_rect(self) -> QRectF | None:
        """The legend's rectangle in viewport pixels, with a small margin; None when hidden."""
        # Not isVisible(): the window lays the graph out while the canvas itself is hidden.
        if not self._legend.isVisibleTo(self):
            return None
        geometry = QRectF(self._legend.geometry())
        offset = QPointF(self.viewport().pos())
        return geometry.translated(-offset).adjusted(-4, -4, 4, 4)

    def _legend_rect_at(self, corner: Corner) -> QRectF:
        """Where :meth:`_legend_rect` would be with the legend in ``corner``."""
        view, m = self.viewport().rect(), _LEGEND_MARGIN
        if corner[0] == 0:
            width = max(view.width() - 2 * m, 1)
            size = QSizeF(width, self._legend.strip_height(width))
        else:
            size = self._legend.column_size()
        # In a viewport smaller than the legend, it stays at the top left, as it always was.
        x = m if corner[0] < 0 else max(m, view.width() - size.width() - m)
        y = m if corner[1] < 0 else max(m, view.height() - size.height() - m)
        return QRectF(x, y, size.width(), size.height()).adjusted(-4, -4, 4, 4)

    def _place_legend(self, corner: Corner) -> None:
        """Move the legend into ``corner`` of the viewport."""
        self._legend_corner = corner
        rect = self._legend_rect_at(corner).adjusted(4, 4, -4, -4)
        self._legend.set_strip(round(rect.width()) if corner[0] == 0 else None)
        self._legend.move(self.viewport().pos() + rect.topLeft().toPoint())

    def legend_corner(self) -> Corner:
        """Where the legend sits, as (x, y) signs: (-1, -1) top left, (0, 1) a bottom strip."""
        return self._legend_corner

    def _free_area(self) -> QRectF:
        return QRectF(self.viewport().rect()).adjusted(2, 2, -2, -2)

    # ------------------------------------------------------------------ output

    def render_image(self, width: int, height: int) -> QImage:
        """The canvas as a picture (labels and legend included), e.g. for screenshots."""
        self.resize(width, height)
        if self._auto_fit:
            self.fit()
        self._update_labels()
        return self.grab().toImage()


class _FirstPaintProbe(QObject):
    """Reports the canvas's first paint with services, then quits (see FIRST_PAINT_ENV)."""

    def __init__(self, canvas: GraphCanvas) -> None:
        super().__init__(canvas)
        self._canvas = canvas

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Override QObject::eventFilter: after the first paint with services, report."""
        if event.type() == QEvent.Type.Paint and self._canvas.visible_service_ids():
            watched.removeEventFilter(self)
            # A zero timer fires once this paint event is done.
            QTimer.singleShot(0, self._report)
        return False

    @Slot()
    def _report(self) -> None:
        print(f"first-paint {time.time():.6f}", file=sys.stdout, flush=True)
        QApplication.quit()


class _EdgeBatch(QGraphicsPathItem):
    """Many edges in one path item, drawn with a level of detail chosen by the canvas."""

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


class _RectGrid:
    """Rectangles bucketed by a coarse grid, for quick "does this overlap any?" questions."""

    CELL = 64

    def __init__(self, round_: bool = False) -> None:
        self._cells: dict[tuple[int, int], list[tuple[QRectF, str]]] = defaultdict(list)
        #: The rectangles are circles' bounding squares: overlap means with the circle itself.
        self.round = round_

    def _keys(self, rect: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        xs = range(math.floor(rect.left() / c), math.floor(rect.right() / c) + 1)
        ys = range(math.floor(rect.top() / c), math.floor(rect.bottom() / c) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, rect: QRectF, owner: str) -> None:
        """Remember ``rect``, drawn for ``owner``."""
        for key in self._keys(rect):
            self._cells[key].append((rect, owner))

    def hits(self, rect: QRectF, ignore: str | None = None) -> bool:
        """Whether ``rect`` overlaps a remembered rectangle (other than ``ignore``'s)."""
        return any(
            owner != ignore and rect.intersects(other) and (not self.round or _meets(rect, other))
            for key in self._keys(rect)
            for other, owner in self._cells.get(key, ())
        )


def _meets(rect: QRectF, square: QRectF) -> bool:
    """Whether ``rect`` overlaps the circle inscribed in ``square``."""
    c, r = square.center(), square.width() / 2
    nx = min(max(c.x(), rect.left()), rect.right())
    ny = min(max(c.y(), rect.top()), rect.bottom())
    return (c.x() - nx) ** 2 + (c.y() - ny) ** 2 < r * r


def _spans(extents: np.ndarray, zoom: float) -> tuple[float, float, float, float]:
    """Left, right, top, bottom in pixels (scene origin at 0) of circles and labels below them."""
    x, y, r, w, h = (extents[:, i] for i in range(5))
    left = min(((x - r) * zoom).min(), (x * zoom - w / 2).min())
    right = max(((x + r) * zoom).max(), (x * zoom + w / 2).max())
    top = ((y - r) * zoom).min()
    # The label's top sits 2 px under the circle (see LabelItem.rect_at, side "below").
    bottom = max(((y + r) * zoom).max(), ((y + r) * zoom + 2 + h).max())
    return float(left), float(right), float(top), float(bottom)


def _covers(extents: np.ndarray, zoom: float, dx: float, dy: float, rect: QRectF) -> bool:
    """Whether any circle, or label below it, would fall on ``rect`` (pixels) at this zoom."""
    x, y, r, w, h = (extents[:, i] * 1.0 for i in range(5))
    cx, cy = x * zoom + dx, y * zoom + dy
    rz = r * zoom
    boxes = [
        (cx - rz, cx + rz, cy - rz, cy + rz),
        (cx - w / 2, cx + w / 2, cy + rz + 2, cy + rz + 2 + h),
    ]
    hit = np.zeros(len(x), dtype=bool)
    for x0, x1, y0, y1 in boxes:
        hit |= (x1 > rect.left()) & (x0 < rect.right()) & (y1 > rect.top()) & (y0 < rect.bottom())
    return bool(hit.any())


def _fit_zoom(extents: np.ndarray, width: float, height: float) -> float:
    """The largest zoom (at most 2) at which the extents fit in ``width`` x ``height`` pixels.

    The spans grow with the zoom (labels keep their pixel size), so bisect.
    """

    def fits(zoom: float) -> bool:
        left, right, top, bottom = _spans(extents, zoom)
        return right - left <= width and bottom - top <= height

    lo, hi = GraphCanvas.ZOOM_MIN, 2.0
    if fits(hi):
        return hi
    if not fits(lo):
        return lo
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def _toward(origin: QPointF, target: QPointF, distance: float) -> QPointF:
    """The point ``distance`` from ``origin`` in the direction of ``target``."""
    dx, dy = target.x() - origin.x(), target.y() - origin.y()
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return QPointF(origin)
    f = min(distance, length * 0.45) / length
    return QPointF(origin.x() + dx * f, origin.y() + dy * f)


def _arrowhead(
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
