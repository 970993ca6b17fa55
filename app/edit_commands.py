"""The Edit menu's commands: undo and redo, add, rename and merge, the review queue, decisions."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox, QToolBar, QWidget

from app.canvas import GraphCanvas
from app.corrections import AddRelationDialog, MergeDialog, RenameDialog, ask
from app.decisions import DecisionsDialog
from app.panels.review import ReviewPanel
from app.session import Session
from app.view_model import ViewModel

__all__ = ["EditCommands"]


class EditCommands(QObject):
    """Runs the corrections dialogs and shows the review queue and the decisions.

    ``undo`` and ``redo`` are the undo stack's own actions, with their keys.

    Signals:
        none: the corrections report through the session's ``changed``.
    """

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        canvas: GraphCanvas,
        review: ReviewPanel,
        review_dock: QDockWidget,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view_model = view_model
        self.canvas = canvas
        self.review = review
        self.review_dock = review_dock
        self._window = parent
        stack = session.corrector.stack
        self.undo = stack.createUndoAction(parent, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = stack.createRedoAction(parent, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo, self.redo):
            parent.addAction(action)
        #: The decisions dialog, made the first time it is asked for.
        self.decisions_dialog: DecisionsDialog | None = None
        #: The box saying the corrections could not be saved, made the first time.
        self.save_box: QMessageBox | None = None
        session.corrector.saveFailed.connect(self._not_saved)
        review.edgeSelected.connect(self._review_edge)

    def add_undo(self, menu: QMenu | QToolBar) -> None:
        """Put Undo and Redo in ``menu`` (the Edit menu's ``@undo`` entry)."""
        menu.addActions([self.undo, self.redo])

    def _ask(self, dialog_type: type) -> object | None:
        """Run one of the corrections dialogs over the graph's services; its answer or None."""
        if self.view_model.graph is None:
            return None
        dialog = dialog_type(self.view_model.names(), self._window, self.canvas.selected_service())
        return ask(dialog, dialog.values)

    @Slot()
    def choose_add_relation(self) -> None:
        """Edit › Add relation…: ask for two services, a relation type and a reason."""
        answer = self._ask(AddRelationDialog)
        if answer is not None:
            self.session.corrector.add(*answer)  # type: ignore[misc]

    @Slot()
    def choose_rename(self) -> None:
        """Edit › Rename service…: ask for a service and the name to show it under."""
        answer = self._ask(RenameDialog)
        if answer is not None:
            self.session.corrector.rename(*answer)  # type: ignore[misc]

    @Slot()
    def choose_merge(self) -> None:
        """Edit › Merge services…: fold one service (an alias) into another."""
        answer = self._ask(MergeDialog)
        if answer is not None and self.session.corrector.merge(*answer):  # type: ignore[misc]
            self.view_model.select(answer[1])  # type: ignore[index]

    @Slot()
    def show_review(self) -> None:
        """Edit › Review uncertain relations: show the queue and put the keyboard on it."""
        self.review_dock.show()
        self.review_dock.raise_()
        if not self.review.table.currentIndex().isValid() and self.review.model.rowCount():
            self.review.select_row(0)
        self.review.table.setFocus()

    @Slot()
    def show_decisions(self) -> DecisionsDialog:
        """Edit › Your decisions: every decision kept for this folder, each can be taken back."""
        if self.decisions_dialog is None:
            self.decisions_dialog = DecisionsDialog(self.session.corrector, self._window)
        if self.decisions_dialog.isVisible():
            self.decisions_dialog.raise_()  # already open behind the window: bring it forward
        self.decisions_dialog.show()
        return self.decisions_dialog

    @Slot(str, str, str)
    def _review_edge(self, source: str, _relation: str, target: str) -> None:
        """The review queue moved: select the relation's first service and ring both."""
        if self.view_model.select(source):
            self.canvas.highlight_services((source, target))

    @Slot(str)
    def _not_saved(self, message: str) -> None:
        self._window.statusBar().showMessage(message)  # type: ignore[attr-defined]
        if self.save_box is None:
            self.save_box = QMessageBox(QMessageBox.Icon.Warning, "Corrections not saved", "")
            self.save_box.setParent(self._window, self.save_box.windowFlags())
        self.save_box.setText(message)
        self.save_box.open()
