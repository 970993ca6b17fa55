"""The canvas's framing of the graph: fit, zoom, centring, the legend's place and the labels.

The base of :class:`app.canvas.view.GraphCanvas`: a QGraphicsView onto a GraphScene that
decides what part of the scene the viewport shows, where the legend sits over it, and
has the scene place its labels for that viewport. The geometry is :mod:`app.canvas.fit`'s.
The edge batches keep a device-coordinate cache only once the zoom has settled, so hover
repaints blit them and a zoom step costs one plain frame, not a re-cache.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QTimer, Slot
from PySide6.QtGui import QPainter, QPalette, QTransform
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.canvas import fit as fitting
from app.canvas.fit import CORNERS, Corner
from app.canvas.legend import Legend
from app.canvas.scene import GraphScene

__all__ = ["FramingView"]


class FramingView(QGraphicsView):
    """A view onto a GraphScene that fits, zooms and centres it, and places legend and labels.

    Signals: none of its own (the canvas's are on :class:`app.canvas.view.GraphCanvas`).
    """

    #: Fit leaves this many pixels between the graph and the viewport's edges.
    FIT_MARGIN = fitting.FIT_MARGIN
    ZOOM_MIN = fitting.ZOOM_MIN
    ZOOM_MAX = 8.0
    #: Edge batches keep a device-coordinate cache once the zoom has not changed for this long.
    SETTLE_MS = 300

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self._scene = GraphScene(self, dark=dark)
        self.setScene(self._scene)
        self._setup_view()
        #: What else labels must leave free (an overlay's drawings), in viewport pixels.
        self._label_obstacles: Callable[[], list[QRectF]] | None = None
        # Until the user zooms or pans, a resize refits so the whole graph stays in view.
        self._auto_fit = True
        self._legend = Legend(self)
        # Where the legend sits (a Corner): fit() moves it to the corner, or the strip,
        # where it costs the graph least.
        self._legend_corner: Corner = (-1, -1)
        self._place_legend(self._legend_corner)
        self._label_timer = QTimer(self, singleShot=True, interval=0)
        self._label_timer.timeout.connect(self._update_labels)
        self._settle_timer = QTimer(self, singleShot=True, interval=self.SETTLE_MS)
        self._settle_timer.timeout.connect(self._edges_at_rest)
        self._scene.labelsStale.connect(self._schedule_labels)

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

    def graph_scene(self) -> GraphScene:
        """The scene drawn: the one owner of services, edges, filters, focus and labels."""
        return self._scene

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

    def _fit_area(self) -> QRectF:
        """The viewport less Fit's margin: where Fit puts the graph."""
        m = self.FIT_MARGIN
        return QRectF(self.viewport().rect()).adjusted(m, m, -m, -m)

    def fit(self) -> None:
        """Zoom and scroll so every visible service and its label is in view (at most 200 %).

        The legend covers no service or label after a fit; it moves to the corner, or the
        strip, that leaves the graph the largest zoom (see :func:`fit.fit_with_legend`).
        """
        self._auto_fit = True
        if self.viewport().width() < 2 or not self._scene.visible_service_ids():
            self._update_labels()
            return
        extents = self._scene.fit_extents()
        region = self._fit_area()
        if not self._legend.isVisibleTo(self):
            zoom = fitting.fit_zoom(extents, region.width(), region.height())
        else:
            legends = {c: self._legend_rect_at(c) for c in CORNERS}
            zoom, region, corner = fitting.fit_with_legend(
                extents, region, legends, self._legend_corner
            )
            self._place_legend(corner)
        centre = fitting.fit_centre(extents, zoom, region, QSizeF(self.viewport().size()))
        if abs(zoom - self.zoom()) > 1e-12:
            self._edges_live()
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self._center_on(centre)
        self._update_labels()

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
        selected = self._scene.selected_service()
        if selected in self._scene.visible_service_ids() and self._in_view(selected, margin=0.0):
            return self.viewportTransform().map(self._scene.item_for(selected).pos())
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

    def _in_view(self, service: str, margin: float | None = None) -> bool:
        """Whether the service's circle lies wholly in the viewport, clear of the legend.

        ``margin`` (pixels) is the room wanted between the circle and the viewport's edges;
        by default half Fit's margin, so every service a fit shows counts as in view (a
        click on one must not move the view). The legend's rectangle has its own margin.
        """
        if margin is None:
            margin = self.FIT_MARGIN / 2
        item = self._scene.item_for(service)
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
        view = QSizeF(self.viewport().size())
        legend = self._legend
        return fitting.legend_rect_at(corner, view, legend.column_size(), legend.strip_height)

    def _place_legend(self, corner: Corner) -> None:
        """Move the legend into ``corner`` of the viewport."""
        self._legend_corner = corner
        rect = self._legend_rect_at(corner).adjusted(4, 4, -4, -4)
        self._legend.set_strip(round(rect.width()) if corner[0] == 0 else None)
        self._legend.move(self.viewport().pos() + rect.topLeft().toPoint())

    def legend_corner(self) -> Corner:
        """Where the legend sits, as (x, y) signs: (-1, -1) top left, (0, 1) a bottom strip."""
        return self._legend_corner

    # ------------------------------------------------------------------ edges

    def _edges_live(self) -> None:
        """Draw the edge batches directly while the zoom changes, cached again once it rests."""
        self._scene.set_edges_cached(False)
        self._settle_timer.start()

    @Slot()
    def _edges_at_rest(self) -> None:
        self._scene.set_edges_cached(True)

    def edges_cached(self) -> bool:
        """Whether the edge batches are cached now (at rest) or drawn directly (zooming)."""
        return self._scene.edges_cached()

    # ------------------------------------------------------------------ labels

    @Slot()
    def _schedule_labels(self) -> None:
        self._label_timer.start()

    @Slot()
    def _update_labels(self) -> None:
        """Choose which labels show: level of detail, focus first, no label over another."""
        self._label_timer.stop()
        obstacles = self._label_obstacles() if self._label_obstacles else ()
        viewport = QRectF(self.viewport().rect())
        transform = self.viewportTransform()
        self._scene.place_labels(transform, viewport, self._legend_rect(), obstacles)

    def set_label_obstacles(self, rects: Callable[[], list[QRectF]] | None) -> None:
        """Have labels leave these viewport rectangles free too (None: no more); relabel now."""
        self._label_obstacles = rects
        self._update_labels()

    def label_rects(self) -> dict[str, QRectF]:
        """The shown labels' rectangles in viewport pixels, by service."""
        return self._scene.label_rects(self.viewportTransform())
