"""The interactive graph canvas: a QGraphicsView onto a GraphScene, with zoom, pan and hover.

The scene owns what is drawn (services, edges, filters, focus, colours, labels); the view
owns what depends on a window. It comes in three layers: :mod:`app.canvas.framing` (fit,
zoom, centring, the legend's place, labels for the viewport), :mod:`app.canvas.input`
(mouse, keys, gestures) and here the public face the window uses, which hands most calls on
to the scene and keeps the view in step.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Mapping

import networkx as nx
from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QTimer,
    QVariantAnimation,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.canvas.edges import EdgeKey, EdgeLayer
from app.canvas.input import CanvasInput
from app.canvas.items import NodeItem
from app.canvas.labels import LABEL_RINGS
from app.canvas.legend import Legend, legend_content
from app.canvas.scene import GraphScene, Point, UnknownService

__all__ = ["FIRST_PAINT_ENV", "GraphCanvas", "UnknownService"]

#: When this environment variable is set, the canvas prints ``first-paint <epoch seconds>``
#: on stdout once it has painted services for the first time, and the app quits: how
#: ``bench/gui.py`` times start-up. Unset (always, for users) it costs nothing.
FIRST_PAINT_ENV = "SERVICE_ATLAS_FIRST_PAINT_EXIT"


class GraphCanvas(CanvasInput):
    """The knowledge graph drawn natively, with zoom, pan, hover focus, selection and pins.

    What shows and how is the :class:`GraphScene`'s (see :meth:`graph_scene`); most
    methods here hand on to it and then keep the view in step (fit, labels, legend).

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
    #: Label every service while fewer than this many are in the viewport.
    LABEL_ALL_LIMIT = GraphScene.LABEL_ALL_LIMIT
    #: Otherwise label this many of the most connected services in view.
    HUB_LABELS = GraphScene.HUB_LABELS
    #: The most connected services are labelled right after the selection, before neighbours.
    TOP_HUBS = GraphScene.TOP_HUBS
    #: How far out a label may sit from its circle in a crowd: its own side, then further rows.
    LABEL_RINGS = LABEL_RINGS
    #: Above this many visible edges, lines are drawn aliased (antialiasing costs 5-10x).
    EDGE_ANTIALIAS_LIMIT = EdgeLayer.EDGE_ANTIALIAS_LIMIT
    #: Above this many visible edges, arrowheads are open chevrons rather than filled.
    FILLED_HEADS_LIMIT = EdgeLayer.FILLED_HEADS_LIMIT
    #: Below this zoom arrowheads are a few pixels wide, mere noise: they are left out.
    HEADS_MIN_ZOOM = EdgeLayer.HEADS_MIN_ZOOM

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._move: QVariantAnimation | None = None
        self.set_dark(self._scene.theme().dark)
        if os.environ.get(FIRST_PAINT_ENV):
            self.viewport().installEventFilter(_FirstPaintProbe(self))

    @property
    def _degree(self) -> dict[str, int]:
        # Read by tests/app/test_models.py, which another branch owns.
        return self._scene._degree

    # ------------------------------------------------------------------ graph

    def replace_graph(
        self, G: nx.MultiDiGraph, positions: Mapping[str, Point] | None = None
    ) -> None:
        """Show ``G``, reusing the drawn services when it has the same ones (a correction).

        Only the relations, sizes and labels change then: no item is rebuilt and the view
        keeps its zoom. Otherwise this is :meth:`set_graph`.
        """
        if not self._scene.replace_graph(G):
            self.set_graph(G, positions)
            return
        self._update_legend()

    def set_graph(self, G: nx.MultiDiGraph, positions: Mapping[str, Point] | None = None) -> None:
        """Show ``G`` with its services at ``positions`` (missing ones are laid out)."""
        self._scene.set_graph(G, positions)
        self._update_legend()
        self.fit()

    def move_services(self, positions: Mapping[str, Point], animate: bool = True) -> None:
        """Move the services named in ``positions`` there, in a short animation, then fit.

        The others stay where they are; a move still running is replaced by this one.
        """
        if self._move is not None:
            self._move.stop()
            self._move = None
        now = self._scene.positions()
        start = {n: p for n, p in now.items() if n in positions}
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
        between = {}
        for node, (x0, y0) in start.items():
            x1, y1 = end[node]
            between[node] = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        self._scene.place_services(between)

    @Slot()
    def _moved(self) -> None:
        self._move = None
        self._scene.rebuild_edges()
        self._scene.update_scene_rect()
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
        self._scene.set_size_by(what)
        self._update_legend()

    def positions(self) -> dict[str, Point]:
        """Where every service is now (after any drags), in scene units."""
        return self._scene.positions()

    def pinned_services(self) -> set[str]:
        """Services the user placed by dragging."""
        return self._scene.pinned_services()

    def set_pinned(self, ids: Iterable[str]) -> None:
        """Mark these services as pinned (e.g. restored from the layout cache)."""
        self._scene.set_pinned(ids)

    def item_for(self, service: str) -> NodeItem | None:
        """The circle drawn for ``service`` (visible or not), or None."""
        return self._scene.item_for(service)

    # ------------------------------------------------------------------ visibility

    @Slot(object)
    def set_visible_services(self, ids: Iterable[str] | None) -> None:
        """Show only these services (None shows all)."""
        self._scene.set_visible_services(ids)

    @Slot(object)
    def set_relation_filter(self, relations: Iterable[str]) -> None:
        """Show only edges of these relation types."""
        self._scene.set_relation_filter(relations)

    @Slot(int)
    def set_min_evidence(self, n: int) -> None:
        """Show only edges with at least ``n`` pieces of evidence."""
        self._scene.set_min_evidence(n)

    @Slot(bool)
    def set_hide_isolated(self, hide: bool) -> None:
        """Hide services that have no visible edge."""
        self._scene.set_hide_isolated(hide)

    def set_filters(
        self,
        relations: Iterable[str],
        min_evidence: int,
        hide_isolated: bool,
        visible: Iterable[str] | None,
    ) -> None:
        """Set every filter at once and redraw once (each setter alone redraws)."""
        self._scene.set_filters(relations, min_evidence, hide_isolated, visible)

    def visible_service_ids(self) -> set[str]:
        """The services drawn now."""
        return self._scene.visible_service_ids()

    def visible_edges(self) -> list[EdgeKey]:
        """The edges drawn now, as ``(source, target, relation)``."""
        return self._scene.visible_edges()

    def filtered_graph(self) -> nx.MultiDiGraph:
        """What the relation-type and evidence filters leave of the graph (focus aside)."""
        return self._scene.filtered_graph()

    def filters_all(self) -> bool:
        """Whether the relation-type and evidence filters hide nothing."""
        return self._scene.filters_all()

    # ------------------------------------------------------------------ focus

    @Slot(str)
    def select_service(self, service: str, center: bool = True) -> None:
        """Select ``service`` as if clicked (without emitting); with ``center``, bring it into view.

        The view moves only when the service is out of view (or under the legend): a service
        the user just clicked stays where it is, so the second click of a double-click lands
        on it too.
        """
        if self._scene.item_for(service) is None:
            raise UnknownService(service)
        self._set_selected(service)
        if center and not self._in_view(service):
            self._center_on(self._scene.item_for(service).pos())
        self._schedule_labels()

    @Slot()
    def clear_selection(self) -> None:
        """Select nothing (without emitting)."""
        self._set_selected(None)

    def selected_service(self) -> str | None:
        """The selected service, if any."""
        return self._scene.selected_service()

    @Slot(object)
    def highlight_services(self, ids: Iterable[str]) -> None:
        """Ring these services (e.g. the services in search results)."""
        self._scene.highlight_services(ids)

    def highlighted_services(self) -> set[str]:
        """The services with a ring."""
        return self._scene.highlighted_services()

    @Slot(object)
    def show_path(self, ids: list[str]) -> None:
        """Emphasise the edges along the chain ``ids`` and dim everything else."""
        self._scene.show_path(ids)

    @Slot()
    def clear_highlight(self) -> None:
        """Drop search rings and any shown path."""
        self._scene.clear_highlight()

    def dimmed_services(self) -> set[str]:
        """The visible services faded out by the current focus (hover, path or selection)."""
        return self._scene.dimmed_services()

    def focused_edges(self) -> list[EdgeKey]:
        """The edges drawn emphasised now."""
        return self._scene.focused_edges()

    # ------------------------------------------------------------------ theme and legend

    @Slot(bool)
    def set_dark(self, dark: bool) -> None:
        """Use colours for a dark (True) or light background."""
        self._scene.set_dark(dark)
        self.setBackgroundBrush(QColor(self._scene.theme().background))
        self._legend.set_theme(self._scene.theme())
        self.resetCachedContent()
        self.viewport().update()

    def is_dark(self) -> bool:
        """Whether the dark colours are in use."""
        return self._scene.theme().dark

    def _update_legend(self) -> None:
        self._legend.set_content(*legend_content(self._scene.graph(), self._scene.size_by()))

    def legend(self) -> Legend:
        """The legend panel (a child widget over the top-left corner)."""
        return self._legend

    def top_hubs(self) -> list[str]:
        """The most connected visible services, whose labels show whenever they are in view."""
        return self._scene.top_hubs()

    def labelled_services(self) -> set[str]:
        """Services whose label shows now."""
        return self._scene.labelled_services()

    # ------------------------------------------------------------------ output

    def render_image(self, width: int, height: int) -> QImage:
        """The canvas as a picture (labels and legend included), e.g. for screenshots."""
        self.resize(width, height)
        if self._auto_fit:
            self.fit()
        self._update_labels()
        return self.grab().toImage()


class _FirstPaintProbe(QObject):
    """Reports the canvas's first paint with services, then quits (see FIRST_PAINT_ENV).

    Signals: none.
    """

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
