"""The graph scene: services as circles, relations as styled lines, and what shows of them.

One owner for what is drawn: the graph and the services' places, the filters and what they
leave visible, the focus (selected, hovered, ringed services and a path), the colours and
which labels show where. The interactive canvas is a view onto a GraphScene; the PDF sheet
and the export thumbnail draw one without any view (see :mod:`app.canvas.picture`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPalette, QTransform
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.canvas.edges import EdgeKey, EdgeLayer
from app.canvas.filters import Filters
from app.canvas.items import DARK, LIGHT, LabelItem, NodeItem, Theme
from app.canvas.labels import LabelRequest, label_order, place_labels
from graph_data.graph import degrees
from graph_data.layout import compute_layout, label_text, major_labels
from graph_data.style import circle_radius

__all__ = ["GraphScene", "Point", "UnknownService"]

Point = tuple[float, float]


class UnknownService(KeyError):
    """A service id that is not in the scene."""


class GraphScene(QGraphicsScene):
    """The knowledge graph as scene items, with filters, focus, theme and label placement.

    Labels follow a level of detail: every visible service is labelled while fewer than
    ``LABEL_ALL_LIMIT`` services are in view; beyond that only the ``HUB_LABELS`` most
    connected ones and the selected, hovered, highlighted services (and their neighbours)
    are. They are placed greedily (see :func:`app.canvas.labels.place_labels`), selection
    first, then the ``TOP_HUBS`` biggest hubs, the focus, the rest by degree.

    Signals:
        labelsStale: which labels should show, or their sizes, changed (focus, rings): a
            view onto the scene places them again (:meth:`place_labels`) when it next can.
    """

    labelsStale = Signal()

    #: Label every service while fewer than this many are in view.
    LABEL_ALL_LIMIT = 500
    #: Otherwise label this many of the most connected services in view.
    HUB_LABELS = 40
    #: The most connected services are labelled right after the selection, before neighbours.
    TOP_HUBS = 5

    def __init__(self, parent: QObject | None = None, dark: bool | None = None) -> None:
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._G = nx.MultiDiGraph()
        self._items: dict[str, NodeItem] = {}
        self._degree: dict[str, int] = {}
        self._hubs: list[str] = []
        self._size_by = "degree"
        self._pinned: set[str] = set()
        # Visibility settings from the window.
        self._filters = Filters()
        # What is visible now, derived from the settings.
        self._visible: set[str] = set()
        self._edges: list[EdgeKey] = []
        self._adj: dict[str, set[str]] = {}
        # Focus state.
        self._selected: str | None = None
        self._hovered: str | None = None
        self._highlighted: set[str] = set()
        self._path: list[str] = []
        self._edge_layer = EdgeLayer(self)
        if dark is None:
            dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self._theme: Theme = DARK if dark else LIGHT
        self.set_dark(dark)

    # ------------------------------------------------------------------ graph

    def graph(self) -> nx.MultiDiGraph:
        """The graph shown."""
        return self._G

    def set_graph(self, G: nx.MultiDiGraph, positions: Mapping[str, Point] | None = None) -> None:
        """Show ``G`` with its services at ``positions`` (missing ones are laid out)."""
        positions = dict(positions or {})
        if any(n not in positions for n in G):
            # Only the newcomers are placed: the services the user already sees stay put.
            known = {n: p for n, p in positions.items() if n in G}
            positions = compute_layout(G, initial=known or None, pinned=known or None)
        for item in self._items.values():
            self.removeItem(item.label)
            self.removeItem(item)
        self._G = G
        self._items = {}
        self._count_degrees()
        major = major_labels(self._degree)
        for node, data in G.nodes(data=True):
            text, category = label_text(node, data), data.get("category")
            item = NodeItem(str(node), text, category, 8.0, node in major)
            item.apply_theme(self._theme)
            self.addItem(item)
            self.addItem(item.label)
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

    def replace_graph(self, G: nx.MultiDiGraph) -> bool:
        """Show ``G`` on the drawn services if it has the same ones (a correction); say if so.

        Only the relations, sizes and labels change then; with other services nothing
        happens and the answer is False (:meth:`set_graph` is what is needed).
        """
        if set(G) != set(self._items):
            return False
        self._G = G
        self._count_degrees()
        major = major_labels(self._degree)
        for node, item in self._items.items():
            item.label.set_text(label_text(node, G.nodes[node]))
            item.label.set_major(node in major)
        self._apply_sizes()
        self._apply_visibility()
        return True

    def _count_degrees(self) -> None:
        self._degree = degrees(self._G)
        self._hubs = sorted(self._G, key=lambda n: (-self._degree[n], str(n)))

    def degree(self, service: str) -> int:
        """How many relations ``service`` has in the graph (0 for an unknown one)."""
        return self._degree.get(service, 0)

    def place_services(self, positions: Mapping[str, Point]) -> None:
        """Put the services named in ``positions`` there and redraw the edges."""
        for node, (x, y) in positions.items():
            self._items[node].move_to(x, y)
        self.rebuild_edges()

    def move_service(self, service: str, x: float, y: float) -> None:
        """Move one service (a drag); only the edges in focus follow until :meth:`pin`."""
        self._items[service].move_to(x, y)
        self._draw_focus()

    def pin(self, service: str) -> None:
        """Pin ``service`` where it is now (the user placed it) and redraw its edges."""
        self._pinned.add(service)
        self._items[service].set_pinned(True, self._theme)
        self.rebuild_edges()
        self.update_scene_rect()

    def set_size_by(self, what: str) -> None:
        """Size circles by ``"degree"`` (relations) or ``"mentions"`` (times named in notes)."""
        if what not in ("degree", "mentions"):
            raise ValueError(f"size by 'degree' or 'mentions', not {what!r}")
        self._size_by = what
        self._apply_sizes()
        self.rebuild_edges()

    def _apply_sizes(self) -> None:
        # Crowded layouts get smaller circles, so neighbours do not melt into one blob.
        box = self.nodes_rect(self._items)
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

    def size_by(self) -> str:
        """What a circle's size stands for: ``"degree"`` or ``"mentions"``."""
        return self._size_by

    # ------------------------------------------------------------------ visibility

    @Slot(object)
    def set_visible_services(self, ids: Iterable[str] | None) -> None:
        """Show only these services (None shows all)."""
        self._filters.only = None if ids is None else set(ids)
        self._apply_visibility()

    @Slot(object)
    def set_relation_filter(self, relations: Iterable[str]) -> None:
        """Show only edges of these relation types."""
        self._filters.relations = set(relations)
        self._apply_visibility()

    @Slot(int)
    def set_min_evidence(self, n: int) -> None:
        """Show only edges with at least ``n`` pieces of evidence."""
        self._filters.min_evidence = int(n)
        self._apply_visibility()

    @Slot(bool)
    def set_hide_isolated(self, hide: bool) -> None:
        """Hide services that have no visible edge."""
        self._filters.hide_isolated = bool(hide)
        self._apply_visibility()

    def set_filters(
        self,
        relations: Iterable[str],
        min_evidence: int,
        hide_isolated: bool,
        visible: Iterable[str] | None,
    ) -> None:
        """Set every filter at once and redraw once (each setter alone redraws)."""
        only = None if visible is None else set(visible)
        self._filters = Filters(set(relations), int(min_evidence), bool(hide_isolated), only)
        self._apply_visibility()

    def visible_service_ids(self) -> set[str]:
        """The services drawn now."""
        return set(self._visible)

    def visible_edges(self) -> list[EdgeKey]:
        """The edges drawn now, as ``(source, target, relation)``."""
        return list(self._edges)

    def filtered_graph(self) -> nx.MultiDiGraph:
        """What the relation-type and evidence filters leave of the graph (focus aside).

        Services left without a relation are dropped when isolated services are hidden.
        """
        return self._filters.filtered_graph(self._G, set(self._items))

    def filters_all(self) -> bool:
        """Whether the relation-type and evidence filters hide nothing."""
        return self._filters.shows_all()

    def _apply_visibility(self) -> None:
        nodes, self._edges, self._adj = self._filters.apply(self._G, set(self._items))
        self._visible = nodes
        for node, item in self._items.items():
            shown = node in nodes
            item.setVisible(shown)
            if not shown:
                item.label.setVisible(False)
        if self._hovered not in nodes:
            self._hovered = None
        self.rebuild_edges()
        self.update_scene_rect()

    def update_scene_rect(self) -> None:
        """Size the scene to the visible services with a wide margin, room to pan around."""
        box = self.nodes_rect()
        margin = max(box.width(), box.height(), 400.0)
        self.setSceneRect(box.adjusted(-margin, -margin, margin, margin))

    def nodes_rect(self, nodes: Iterable[str] | None = None) -> QRectF:
        """The box around these services' centres (the visible ones by default), padded."""
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

    def rebuild_edges(self) -> None:
        """Redraw the edge batches (all visible edges) and the edges in focus."""
        self._edge_layer.fill(self._edges, self._items)
        self._apply_focus()

    def set_edges_cached(self, cached: bool) -> None:
        """Cache the edge batches as device pixmaps (at rest) or draw them directly."""
        self._edge_layer.set_cached(cached)

    def edges_cached(self) -> bool:
        """Whether the edge batches are cached now (at rest) or drawn directly (zooming)."""
        return self._edge_layer.cached()

    # ------------------------------------------------------------------ focus

    def set_selected(self, service: str | None) -> bool:
        """Select ``service`` (None: nothing); say whether the selection changed."""
        if service is not None and service not in self._items:
            raise UnknownService(service)
        if service == self._selected:
            return False
        if self._selected in self._items:
            self._items[self._selected].set_selected_look(False)
        self._selected = service
        if service is not None:
            self._items[service].set_selected_look(True)
        self._apply_focus()
        return True

    def selected_service(self) -> str | None:
        """The selected service, if any."""
        return self._selected

    def set_hovered(self, service: str | None) -> bool:
        """The service under the pointer (None: none), in bold; say whether it changed."""
        if service == self._hovered:
            return False
        if self._hovered in self._items and self._hovered != self._selected:
            self._items[self._hovered].label.set_bold(False)
        self._hovered = service
        if service is not None:
            self._items[service].label.set_bold(True)
        self._apply_focus()
        return True

    @Slot(object)
    def highlight_services(self, ids: Iterable[str]) -> None:
        """Ring these services (e.g. the services in search results)."""
        self._highlighted = {n for n in ids if n in self._items}
        for node, item in self._items.items():
            item.set_ring(node in self._highlighted, self._theme)
        self.labelsStale.emit()

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
        nodes = None if focus is None else focus[0]
        for node, item in self._items.items():
            dim = nodes is not None and node not in nodes
            item.set_dim(dim)
            # In a crowd, faded circles must not be drawn over the emphasised ones.
            item.setZValue(3.0 if node == self._selected else 2.0 if dim or nodes is None else 2.5)
        self._draw_focus()
        self.labelsStale.emit()

    def _draw_focus(self) -> None:
        focus = self._focus_sets()
        edges = [] if focus is None else focus[1]
        self._edge_layer.set_focus(edges, self._items, dim=focus is not None)

    def dimmed_services(self) -> set[str]:
        """The visible services faded out by the current focus (hover, path or selection)."""
        return {n for n in self._visible if self._items[n].opacity() < 1.0}

    def focused_edges(self) -> list[EdgeKey]:
        """The edges drawn emphasised now."""
        focus = self._focus_sets()
        return [] if focus is None else focus[1]

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

    def theme(self) -> Theme:
        """The colours in use."""
        return self._theme

    # ------------------------------------------------------------------ labels

    def top_hubs(self) -> list[str]:
        """The most connected visible services, whose labels show whenever they are in view."""
        return [n for n in self._hubs if n in self._visible][: self.TOP_HUBS]

    def labelled_services(self) -> set[str]:
        """Services whose label shows now."""
        return {n for n, item in self._items.items() if item.label.isVisible()}

    def _must_label(self) -> set[str]:
        must = set(self._highlighted) | set(self._path)
        for service in (self._selected, self._hovered):
            if service is not None:
                must.add(service)
                must |= self._adj.get(service, set())
        return must & self._visible

    def fit_extents(self) -> np.ndarray:
        """Per visible service: x, y, radius (scene) and label width, height (pixels).

        The label is counted only for a service a fit labels (see :mod:`app.canvas.fit`).
        """
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

    def place_labels(
        self,
        to_view: QTransform,
        viewport: QRectF,
        legend: QRectF | None = None,
        obstacles: Iterable[QRectF] = (),
    ) -> set[str]:
        """Choose which labels show in ``viewport`` and place them; return their services.

        ``to_view`` maps the scene to the viewport's pixels. Labels stay inside the viewport,
        off ``legend`` and ``obstacles`` (pixels), off each other and off every circle.
        """
        view_rect = to_view.inverted()[0].mapRect(viewport)
        in_view = [
            item
            for item in self.items(view_rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
            if isinstance(item, NodeItem) and item.isVisible()
        ]
        first = (self._selected, self._hovered)
        top = set(self.top_hubs())
        items = {item.service: item for item in in_view}
        faded = {s for s, item in items.items() if item.opacity() < 1.0}
        wanted = label_order(
            items, self._degree, faded, self._must_label(), top, first,
            self.LABEL_ALL_LIMIT, self.HUB_LABELS,
        )  # fmt: skip
        zoom = to_view.m11()
        requests = [
            LabelRequest(
                s, to_view.map(items[s].pos()), items[s].radius * zoom, items[s].label.size(),
                insist=s in top or s in first, far=s in top,
            )
            for s in wanted
        ]  # fmt: skip
        circles = {}
        for item in in_view:
            c, r = to_view.map(item.pos()), item.radius * zoom
            circles[item.service] = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
        free = QRectF(viewport).adjusted(2, 2, -2, -2)
        placed = place_labels(requests, circles, free, legend, obstacles)
        for service, (side, gap) in placed.items():
            item = self._items[service]
            item.label.place(side, gap, leader=item.radius * zoom)
        for item in self._items.values():
            item.label.setVisible(item.service in placed)
        return set(placed)

    def label_rects(self, to_view: QTransform) -> dict[str, QRectF]:
        """The shown labels' rectangles in the pixels ``to_view`` maps to, by service."""
        out = {}
        for node, item in self._items.items():
            if item.label.isVisible():
                out[node] = item.label.halo().translated(to_view.map(item.pos()))
        return out
