"""Opening a notes folder and reporting its build: the title, the banner, the status bar line.

The :class:`FolderOpening` asks the :class:`~app.session.Session` to open, reload or choose a
folder, and tells the user how the build went: the status bar's count, a message in the graph's
place when nothing could be read, and the folder remembered among the recent ones.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMainWindow

from app.central import CentralArea
from app.filter_layout import FilteredPlaces
from app.named_views import NamedViews
from app.operations import OpChanges
from app.panels.review import learned_words
from app.recent_folders import RecentFolders
from app.session import Session
from app.view_model import ViewModel

__all__ = ["FolderOpening"]


class FolderOpening(QObject):
    """Opens folders through the session and reports each build to the user.

    Signals:
        finished(object): the :class:`OpChanges` of the latest build, once views refreshed
            (connect the session's ``changed`` to this last, see :meth:`__init__`).
        failed(str): a build failed (or found nothing usable); the message is on screen.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        view_model: ViewModel,
        places: FilteredPlaces,
        views: NamedViews,
        central: CentralArea,
        recent: RecentFolders,
        samples: Path,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self.session = session
        self.view_model = view_model
        self.places = places
        self.views = views
        self.central = central
        self.recent = recent
        self.samples = Path(samples)
        self._window = window
        # Slots run in the order they were connected: made after the views bound to the
        # session, this one says a build is done once they all show it.
        session.changed.connect(self._reported)
        session.failed.connect(self._failed)
        session.stale.connect(self.reload)
        central.openRequested.connect(self.choose)
        recent.chosen.connect(self.open)

    def open(self, notes: Path) -> None:
        """Build ``notes`` in the background; the views refresh when the build reports back."""
        notes = Path(notes)
        self.views.store_last(self.session.notes)
        self.central.banner.setVisible(self.is_samples(notes))
        self._window.setWindowTitle(f"Service Atlas — {notes.name}")
        self.session.open(notes)
        if self.view_model.graph is None:
            self.central.show_message(f"Reading the notes in {notes}…", button=False)

    def is_samples(self, notes: Path) -> bool:
        """Whether ``notes`` is the bundled sample folder (it shows the banner)."""
        try:
            return notes.resolve() == self.samples.resolve()
        except OSError:
            return False

    @Slot()
    def reload(self) -> None:
        """Rebuild the open folder (the cache makes it incremental), keeping selection and view."""
        self.session.reload(initial=self.places.whole_positions())

    @Slot()
    def choose(self) -> None:
        """Ask for a notes folder and open it."""
        notes = self.session.notes
        start = str(notes if notes and not self.is_samples(notes) else Path.home())
        chosen = QFileDialog.getExistingDirectory(self._window, "Open notes folder", start)
        if chosen:
            self.open(Path(chosen))

    @Slot(object)
    def _reported(self, changes: OpChanges) -> None:
        G, bar = changes.result.graph, self._window.statusBar()
        message = f"{G.number_of_nodes()} services · {G.number_of_edges()} relations"
        if changes.corrections:
            corrector = self.session.corrector
            learned = f" · {learned_words(changes.learned)}" if changes.learned else ""
            # A save that failed stays in sight: the re-score may report after the failure.
            failed = f"{corrector.save_error} · " if corrector.unsaved else ""
            bar.showMessage(f"{failed}{message} · {corrector.last_change}{learned}")
            return
        if changes.build:
            self.recent.remember(changes.result.notes)
        bar.showMessage(message)
        self.finished.emit(changes)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._window.statusBar().showMessage(message)
        if self.view_model.graph is None or message != "Cancelled.":
            self.central.show_message(f"Could not open these notes.\n\n{message}")
        self.failed.emit(message)
