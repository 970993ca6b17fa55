"""File › Export: what the canvas shows (or a scope the dialog picks) written to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtWidgets import QStatusBar, QWidget

from app.canvas import GraphCanvas
from app.session import Session
from app.view_model import ViewModel
from graph_data.scope import Scope, select

__all__ = ["Exporting"]


class Exporting(QObject):
    """Starts the export dialog from the view shown, and writes exports for scripts and tests.

    ``exam`` gives the exam the Gaps panel shows (the sheet can hold its scope).

    Signals:
        none: an export is reported in the status bar.
    """

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        canvas: GraphCanvas,
        settings: QSettings,
        exam: Callable[[], str],
        status: QStatusBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view_model = view_model
        self.canvas = canvas
        self.settings = settings
        self._exam = exam
        self._status = status
        self._window = parent
        #: The export dialog opened last, or None.
        self.dialog = None

    def _notes_name(self) -> str:
        return self.session.notes.name if self.session.notes else "notes"

    def export_view(
        self, path: Path, fmt: str, scope: Scope | None = None, *, page_size: str = "a4"
    ) -> Path:
        """Export ``scope`` (default: what the canvas shows) as ``fmt`` to ``path``.

        ``fmt`` is any of the core's formats or ``"pdf"`` (printed on ``page_size`` paper).
        Raises ``OSError`` or ``ExportError`` for the caller to report.
        """
        from app.export_writing import write_export

        whole = self.session.result.graph
        if scope is None:
            visible = self.canvas.visible_service_ids()
            scope = Scope(
                relations=frozenset(self.view_model.relations),
                services=frozenset(visible) if visible else None,
            )
        sub = select(whole, scope)
        # The sheet shows what the canvas shows: the selected (or focused) service stands out.
        emphasis = self.canvas.selected_service() or self.view_model.focus
        return write_export(
            sub,
            fmt,
            Path(path),
            title=f"Service Atlas study sheet: {self._notes_name()}",
            page_size=page_size,
            positions=self.canvas.positions(),
            emphasis=emphasis if emphasis in sub else None,
            whole=whole,
        )

    @Slot()
    def open_dialog(self) -> None:
        """File › Export…: format, scope and relations with a live preview, then the file."""
        from app.export_dialog import ExportDialog

        result = self.session.result
        if result is None:
            self._status.showMessage("Open a notes folder before exporting.")
            return
        vm = self.view_model
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = ExportDialog(
            result.graph,
            visible=self.canvas.visible_service_ids(),
            selected=self.canvas.selected_service() or vm.focus,
            depth=vm.depth,
            relations=list(vm.relations),
            search_services=vm.found,
            search_query=vm.query,
            positions=self.canvas.positions(),
            notes_name=self._notes_name(),
            folder=Path(str(self.settings.value("export/folder", Path.home()))),
            notes=self.session.notes,
            exam=self._exam(),
            parent=self._window,
        )
        self.dialog.exported.connect(self._exported)
        self.dialog.open()

    @Slot(object)
    def _exported(self, path: Path) -> None:
        self._status.showMessage(f"Exported to {path}")
        # The next export starts in the same folder, in this session and the next.
        self.settings.setValue("export/folder", str(Path(path).parent))
