"""The status bar's build widgets: progress, Cancel, and the count of file problems."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QPushButton, QStatusBar

from app.operations import OpChanges
from app.session import Session

__all__ = ["BuildStatus"]


class BuildStatus(QObject):
    """Shows the session's running build in the status bar, and the last build's problems.

    Signals:
        problemsRequested(): the problems button was clicked (show the Problems panel).
    """

    problemsRequested = Signal()

    def __init__(self, session: Session, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self.progress = QProgressBar(bar)
        self.progress.setMaximumWidth(240)
        self.progress.setAccessibleName("Build progress")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", bar)
        self.cancel_button.setAccessibleName("Cancel the build")
        self.cancel_button.setToolTip("Stop reading the notes")
        self.cancel_button.hide()
        self.problems_button = QPushButton(bar)
        self.problems_button.setFlat(True)
        self.problems_button.setAccessibleName("Show the problems of the last build")
        self.problems_button.setToolTip(
            "Some notes were skipped or read with care: show which and why"
        )
        self.problems_button.hide()
        bar.addPermanentWidget(self.problems_button)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.cancel_button.clicked.connect(session.cancel)
        self.problems_button.clicked.connect(self.problemsRequested)
        session.started.connect(self._started)
        session.progress.connect(self._progress)
        session.changed.connect(self._changed)
        session.failed.connect(self._done)

    @Slot(object)
    def _started(self, notes: Path) -> None:
        self._bar.showMessage(f"Reading {notes}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()

    @Slot(str, int, int)
    def _progress(self, stage: str, done: int, total: int) -> None:
        if stage == "waiting":
            # Another window or command is building this folder: a wait of unknown length.
            self.progress.setRange(0, 0)
            self.progress.setFormat("waiting for another window or command on this folder")
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{stage} %v/%m")

    @Slot(object)
    def _changed(self, changes: OpChanges) -> None:
        if not changes.corrections:
            self._done()
        count = len(changes.result.problems)
        self.problems_button.setText(f"⚠ {count} file problem{'s' if count != 1 else ''}")
        self.problems_button.setVisible(count > 0)

    @Slot()
    def _done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
