"""The canvas's input: mouse clicks, drags and hover, the wheel, keys and zoom gestures.

The middle layer of :class:`app.canvas.view.GraphCanvas`, between its framing
(:class:`app.canvas.framing.FramingView`) and its public face.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from app.canvas.framing import FramingView
from app.canvas.items import LabelItem, NodeItem

__all__ = ["CanvasInput"]


class CanvasInput(FramingView):
    """Clicks select, double-clicks activate, drags pin or pan, the wheel and pinches zoom.

    Signals: emits the canvas's (see :class:`app.canvas.view.GraphCanvas`), declared there.
    """

    # Declared on GraphCanvas, the public face.
    serviceSelected: SignalInstance
    serviceActivated: SignalInstance
    selectionCleared: SignalInstance
    nodePinned: SignalInstance

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: tuple[str | None, QPointF, QPointF] | None = None
        self._dragging = False

    def _set_selected(self, service: str | None) -> None:
        if self._scene.set_selected(service):
            # The bold label is larger than the one placed: placed now, never drawn over another.
            self._update_labels()

    def _set_hovered(self, service: str | None) -> None:
        if self._scene.set_hovered(service):
            # Bold labels change size: re-placed at once, not one event later.
            self._update_labels()

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
        elif key == Qt.Key.Key_Escape and self._scene.selected_service() is not None:
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
            return
        selected = self._scene.selected_service()
        if selected in self._scene.visible_service_ids() and not self._in_view(selected, 0.0):
            self._center_on(self._scene.item_for(selected).pos())
        self._schedule_labels()

    # ------------------------------------------------------------------ mouse

    def service_at(self, view_pos: QPointF) -> str | None:
        """The visible service under a viewport position: a label's, else the nearest circle's."""
        # A label is drawn over whatever circle lies under it: what the user sees there is
        # the label, so the label's service is the one meant.
        visible = self._scene.visible_service_ids()
        for item in self.items(view_pos.toPoint()):
            if isinstance(item, LabelItem) and item.isVisible() and item.service in visible:
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
        offset = scene_pos - self._scene.item_for(service).pos()
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
                self._set_hovered(service)
                self._scene.move_service(service, where.x(), where.y())
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
        self._scene.pin(service)
        item = self._scene.item_for(service)
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
