"""Go › Path between services: the shortest chain of shown relations between two services."""

from __future__ import annotations

import networkx as nx
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QStatusBar, QWidget

from app.canvas import GraphCanvas
from app.corrections import ask
from app.path_dialog import PathDialog
from app.view_model import ViewModel
from graph_data.graph import shortest_path

__all__ = ["PathFinder"]


class PathFinder(QObject):
    """Asks for two services and puts the path between them in the view model.

    Signals:
        none: the path reports through the view model's ``pathChanged``.
    """

    def __init__(
        self, view_model: ViewModel, canvas: GraphCanvas, status: QStatusBar, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.view_model = view_model
        self.canvas = canvas
        self._status = status
        self._window = parent

    @Slot()
    def choose(self) -> None:
        """Ask for two services (the selected one first) and show the path between them."""
        if self.view_model.graph is None:
            return
        dialog = PathDialog(self.view_model.names(), self._window)
        selected = self.canvas.selected_service()
        if selected:
            dialog.source.setCurrentIndex(max(dialog.source.findData(selected), 0))
        answer = ask(dialog, dialog.chosen)
        if answer is None:
            return
        a, b = answer  # type: ignore[misc]
        if a and b:
            self.between(a, b)
        else:
            self._status.showMessage("Pick two services from the lists.")

    def between(self, a: str, b: str) -> list[str]:
        """Show the shortest path from ``a`` to ``b`` over the whole graph; its service ids."""
        vm = self.view_model
        G = vm.graph
        if G is None or a not in G or b not in G:
            return []
        if vm.focus is not None:
            vm.back()
        else:
            self.canvas.fit()
        try:
            steps = shortest_path(G, a, b, relations=list(vm.relations))
        except nx.NetworkXNoPath:
            names = vm.names()
            self._status.showMessage(f"No chain of relations joins {names[a]} and {names[b]}.")
            self.canvas.clear_highlight()
            return []
        return vm.set_path(a, steps)
