"""The Go menu and the links between panels: find, focus, clear, and a passage opened.

A search hit, a relation's evidence or a problem's file opens its note in the Note panel, and a
hit's services are ringed and selected on the canvas; Ctrl+F and the Gaps panel's searches bring
the Search panel forward. Each goes through the view model and the panels' own methods.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDockWidget, QStatusBar

from app.canvas import GraphCanvas
from app.panels.note import NoteViewer
from app.panels.search import SearchPanel
from app.session import Session
from app.view_model import ViewModel

__all__ = ["Navigation", "bring"]


def bring(dock: QDockWidget) -> None:
    """Show ``dock`` and bring it in front of the docks tabbed with it."""
    dock.show()
    dock.raise_()


class Navigation(QObject):
    """Goes where the user asks: a hit, a note's lines, the search box, the selection's focus.

    Signals:
        none: what it opens reports through the view model and the panels.
    """

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        canvas: GraphCanvas,
        search: tuple[SearchPanel, QDockWidget],
        viewer: tuple[NoteViewer, QDockWidget],
        status: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._view_model = view_model
        self._canvas = canvas
        self._search, self._search_dock = search
        self._viewer, self._viewer_dock = viewer
        self._status = status
        self._search.resultsChanged.connect(self._results_changed)
        self._search.hitActivated.connect(self.open_hit)

    @Slot(object)
    def open_hit(self, hit) -> None:
        """Open a result: its passage in the note viewer, and its services ringed on the canvas."""
        vm = self._view_model
        self._canvas.highlight_services(hit.services)
        if hit.kind == "service" or not hit.file:
            sid = hit.subject or (hit.services[0] if hit.services else None)
            if sid:
                vm.select(sid)
            return
        self.open_note(hit.file, hit.line, hit.end_line)
        target = hit.subject if hit.subject in (vm.graph or ()) else None
        if target is None and hit.services:
            target = hit.services[0]
        if target:
            vm.select(target)

    def open_note(self, file: str, line: int, end_line: int) -> bool:
        """Show a note read-only at ``line..end_line`` in the Note panel."""
        if self._session.notes is None or not file:
            return False
        bring(self._viewer_dock)
        ok = self._viewer.open_note(file, line, end_line)
        if not ok:
            self._status.showMessage(self._viewer.title.text())
        return ok

    @Slot()
    def focus_search(self) -> None:
        """Go › Find (Ctrl+F): show the search panel and put the cursor in the query box."""
        bring(self._search_dock)
        self._search.start_typing()

    @Slot(str)
    def search_for(self, query: str) -> None:
        """Run ``query`` in the Search panel, brought forward (the Gaps panel asks for this)."""
        bring(self._search_dock)
        self._search.search_for(query)

    @Slot()
    def focus_selection(self) -> None:
        """Go › Focus on selection: focus on the service selected on the canvas."""
        sid = self._canvas.selected_service()
        if sid is None:
            self._status.showMessage("Select a service first, then focus on it.")
            return
        self._view_model.focus_on(sid)

    @Slot()
    def clear_all(self) -> None:
        """Go › Clear (Esc): clear the search, then the selection and any highlight or path."""
        if self._search.clear():
            return
        self._view_model.select(None)
        self._canvas.clear_highlight()

    @Slot(object)
    def _results_changed(self, _results) -> None:
        self._canvas.highlight_services(self._view_model.found or ())
