"""File › Save view and Open view, and the last view of each folder, kept when it closes.

A view is the :class:`~app.view_model.ViewModel`'s snapshot plus the services the user pinned
on the canvas, where they are.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar, QWidget

from app.canvas import GraphCanvas
from app.session import Session
from app.settings import ViewError, ViewState, last_view_path, load_view, save_view
from app.view_model import ViewModel
from graph_data.workspace import views_folder

__all__ = ["NamedViews"]


class NamedViews(QObject):
    """Saves the view to a file and restores it, asking where with the window's dialogs.

    Signals:
        none: a restored view reports through the view model's signals.
    """

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        canvas: GraphCanvas,
        status: QStatusBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view_model = view_model
        self.canvas = canvas
        self._status = status
        self._window = parent

    def current(self) -> ViewState:
        """The view as it is now: the view model's snapshot and the pinned positions."""
        here = self.canvas.positions()
        pins = {n: here[n] for n in self.canvas.pinned_services() if n in here}
        return replace(self.view_model.state(), pinned=pins)

    def restore(self, state: ViewState) -> None:
        """Put the pinned services back where they were, pinned in the session, then the view
        model's state."""
        if state.pinned and self.view_model.graph is not None:
            for sid, (x, y) in state.pinned.items():
                item = self.canvas.item_for(sid)
                if item is not None:
                    item.move_to(x, y)
            self.session.keep_pinned(state.pinned)
            self.canvas.set_pinned(self.session.pinned)
        self.view_model.restore(state)

    @staticmethod
    def last(notes: Path) -> ViewState | None:
        """The view ``notes`` was left in, or None (none kept, or unreadable)."""
        path = last_view_path(notes)
        if not path.exists():
            return None
        try:
            return load_view(path)
        except ViewError:
            return None

    def store_last(self, notes: Path | None) -> None:
        """Keep the current view as the last of ``notes`` (nothing without a graph)."""
        if notes is None or self.view_model.graph is None:
            return
        # Losing the last view is harmless: the folder still opens, only unfocused.
        with contextlib.suppress(OSError):
            save_view(last_view_path(notes), self.current())

    @Slot()
    def choose_save(self) -> None:
        """File › Save view…: write the current view to a JSON file the user picks."""
        start = str(views_folder() / "view.json")
        path, _ = QFileDialog.getSaveFileName(self._window, "Save view", start, "Views (*.json)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Save the current view to ``path``; a failure is explained, not raised."""
        try:
            save_view(path, self.current())
        except OSError as exc:
            QMessageBox.warning(
                self._window, "Save view", f"Could not save the view: {exc.strerror}"
            )
            return False
        self._status.showMessage(f"View saved to {path}")
        return True

    @Slot()
    def choose_open(self) -> None:
        """File › Open view…: restore a view saved earlier."""
        start = str(views_folder())
        path, _ = QFileDialog.getOpenFileName(self._window, "Open view", start, "Views (*.json)")
        if path:
            self.open(Path(path))

    def open(self, path: Path) -> bool:
        """Restore the view saved in ``path``; a bad file is explained, not raised."""
        try:
            state = load_view(path)
        except ViewError as exc:
            QMessageBox.warning(self._window, "Open view", str(exc))
            return False
        self.restore(state)
        return True
