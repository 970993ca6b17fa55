"""The canvas bound to the session and the view model: each build drawn, each change shown.

The :class:`GraphPresenter` is the one place that tells the canvas what to draw. A build (or a
correction) reported by the :class:`~app.session.Session` replaces the canvas's graph, keeping
the session's pins, the view and the selection; the :class:`~app.view_model.ViewModel`'s
filters, focus, selection and path follow on it; the canvas's clicks change the view model, and
its drags pin services in the session, never the other way round through the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from app.canvas import GraphCanvas
from app.central import CentralArea
from app.filter_layout import FilteredPlaces
from app.named_views import NamedViews
from app.operations import OpChanges
from app.session import Session
from app.view_model import ViewModel

__all__ = ["GraphPresenter"]


class GraphPresenter(QObject):
    """Draws the session's graph and the view model's state on the canvas.

    Signals:
        drawn(): what is shown was drawn anew (a new graph, a filter, the focus), so what is
            drawn over the services (the exam overlay) follows.
    """

    drawn = Signal()

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        canvas: GraphCanvas,
        places: FilteredPlaces,
        views: NamedViews,
        central: CentralArea,
    ) -> None:
        super().__init__(central)
        self.session = session
        self.view_model = vm = view_model
        self.canvas = canvas
        self.places = places
        self.views = views
        self.central = central
        session.changed.connect(self.draw)
        vm.shownChanged.connect(self.show)
        vm.selectionChanged.connect(self._selected)
        vm.reselected.connect(self._selected)
        vm.pathChanged.connect(self._path)
        canvas.serviceSelected.connect(vm.select)
        canvas.serviceActivated.connect(vm.focus_on)
        canvas.selectionCleared.connect(self._cleared)
        canvas.nodePinned.connect(self._pinned)

    @Slot(object)
    def draw(self, changes: OpChanges) -> None:
        """Draw a build's (or a correction's) graph, keeping pins, view and selection."""
        G, canvas, vm = changes.result.graph, self.canvas, self.view_model
        view = canvas.view_state()
        if changes.graph:
            if changes.corrections:
                # A service merged away and brought back by undo returns where the build put it.
                canvas.replace_graph(G, {**self.places.build_positions, **canvas.positions()})
            else:
                canvas.set_graph(G, changes.positions)
            self.places.new_graph(changes.positions if changes.build else None)
            canvas.set_pinned(self.session.pinned)
            vm.set_graph(G, fresh=changes.folder)
            canvas.highlight_services(vm.found or ())
        last = self.views.last(changes.result.notes) if changes.folder else None
        if last is not None:
            self.views.restore(last)
        elif changes.folder:
            self.show()
        else:
            # The view is put back just below: fitting first would be wasted work.
            self.show(fit=False)
            canvas.restore_view(view)
        if vm.selection is not None:
            canvas.select_service(vm.selection)
        if G.number_of_nodes() == 0:
            self.central.show_message(
                f"No AWS services were found in {changes.result.notes}.\n\n"
                "Service Atlas reads .md and .txt notes that name AWS services "
                "(for example S3, Lambda or DynamoDB). Open a folder holding such notes."
            )
        else:
            self.central.show_graph()

    @Slot()
    def show(self, fit: bool = True) -> None:
        """Apply the filters, the focus and the results to the canvas, then lay out and fit."""
        vm = self.view_model
        if vm.graph is None:
            return
        filters = (vm.relations, vm.min_evidence, vm.hide_isolated)
        self.canvas.set_filters(*filters, vm.kept_services())
        if fit:
            self.canvas.fit()
        self.places.update(filters)
        self.drawn.emit()

    @Slot(object)
    def _selected(self, sid: str | None) -> None:
        """The view model's selection on the canvas; a service the focus hides is focused.

        Selecting the selected service again lands here too: the canvas brings it into view.
        """
        if sid is None:
            self.canvas.clear_selection()
            return
        if self.view_model.focus is not None and sid not in self.canvas.visible_service_ids():
            self.view_model.focus_on(sid)
        self.canvas.select_service(sid)

    @Slot(object)
    def _path(self, ids: tuple[str, ...]) -> None:
        if ids:
            self.canvas.show_path(list(ids))

    @Slot()
    def _cleared(self) -> None:
        self.view_model.select(None)

    @Slot(str, float, float)
    def _pinned(self, service: str, x: float, y: float) -> None:
        self.session.pin(service, x, y, self.places.whole_positions())
