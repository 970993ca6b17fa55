"""The session's writer of the folder's layout: each pin stored on a writer thread off the UI.

As with the corrections (:class:`~app.corrections.CorrectionsController`), one writer thread
stores each request in order, so the UI never waits for the disk; a request overtaken by a newer
one for the same folder is skipped (each holds the whole layout), and :meth:`LayoutSaver.flush`
waits for what is still pending when the session closes.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from app.operations import Positions
from graph_data.workspace import Workspace

__all__ = ["LayoutSaver"]


class LayoutSaver(QObject):
    """Writes a folder's whole layout and its pins, in order, on one writer thread.

    Signals:
        written(str, bool): sent on the writer thread once a layout of the folder (a ``str``)
            was written (True) or could not be (False).
        saveFailed(str): the layout could not be remembered, in one sentence (on the UI thread).
    """

    written = Signal(str, bool)
    saveFailed = Signal(str)
    _failed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layout")
        self._pending: list[Future] = []
        self._latest: dict[Path, int] = {}
        self._requests = 0
        self._failed.connect(self._report_failure, Qt.ConnectionType.QueuedConnection)

    def remember(self, notes: Path, positions: Positions, pinned: set[str]) -> None:
        """Queue a write of ``notes``'s layout: ``positions`` with ``pinned`` kept in place."""
        self._requests += 1
        self._latest[notes] = self._requests
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(
            self._writer.submit(self._write, self._requests, notes, dict(positions), set(pinned))
        )

    def flush(self) -> None:
        """Wait until every pending write is done and a failure reported (on closing)."""
        for future in self._pending:
            future.result()
        self._pending.clear()
        QCoreApplication.sendPostedEvents(self)

    def _write(self, number: int, notes: Path, positions: Positions, pinned: set[str]) -> None:
        """On the writer thread: store one layout unless a newer one of the folder follows."""
        if number != self._latest.get(notes):
            return
        try:
            saved = Workspace(notes).remember_layout(positions, pinned)
        except OSError:  # the folder's key cannot be worked out: a cache is not worth a crash
            saved = False
        self.written.emit(str(notes), saved)
        if not saved:
            self._failed.emit()

    @Slot()
    def _report_failure(self) -> None:
        self.saveFailed.emit("Could not remember the layout (the cache folder is not writable).")
