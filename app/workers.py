"""Core operations run off the UI thread; they report what changed and the views refresh from that.

Modelled on Anki's ``aqt/operations``: the UI never changes data itself, it starts an operation
and applies the :class:`OpChanges` the operation reports when it finishes.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from graph_data.build import BuildCancelled, BuildResult, NotesFolderError, build

__all__ = ["BuildOp", "OpChanges"]


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed, so each view knows whether to refresh."""

    result: BuildResult
    graph: bool = True
    index: bool = True
    problems: tuple[str, ...] = field(default=())


class _Signals(QObject):
    """Signals of a :class:`BuildOp` (a QRunnable cannot carry signals itself).

    Signals:
        progress(str, int, int): stage, done, total.
        finished(object): the :class:`OpChanges` of a completed build.
        failed(str): a message for the user; never a traceback.
    """

    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)


class BuildOp(QRunnable):
    """Builds a notes folder's graph and search index on the global thread pool."""

    def __init__(self, notes: Path) -> None:
        super().__init__()
        self.notes = Path(notes)
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the build to stop at its next step."""
        self._cancel.set()

    def start(self) -> None:
        """Queue the operation on the global thread pool."""
        QThreadPool.globalInstance().start(self)

    @Slot()
    def run(self) -> None:
        """Override QRunnable::run."""
        try:
            result = build(
                self.notes,
                progress=lambda stage, done, total: self.signals.progress.emit(stage, done, total),
                cancelled=self._cancel.is_set,
            )
        except NotesFolderError as exc:
            self.signals.failed.emit(str(exc))
        except BuildCancelled:
            self.signals.failed.emit("The build was cancelled.")
        except Exception as exc:
            from app.crashlog import log_exception

            where = log_exception(exc, traceback.format_exc())
            self.signals.failed.emit(f"Building the graph failed ({exc}). Details: {where}")
        else:
            problems = tuple(str(p) for p in result.problems)
            self.signals.finished.emit(OpChanges(result, problems=problems))
