"""Core operations run off the UI thread; each reports what changed and the views refresh from that.

Modelled on Anki's ``aqt/operations``: the window never changes data itself. It starts a
:class:`CoreOp`, and when the operation finishes it applies the :class:`OpChanges` it reports.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from graph_data.build import BuildCancelled, BuildResult, CacheBusy, NotesFolderError, build
from graph_data.learning import EdgeChange
from graph_data.userdirs import UserDirError
from graph_data.workspace import Workspace

__all__ = ["CoreOp", "OpChanges", "OpFailed", "Positions", "build_work"]

Positions = dict[str, tuple[float, float]]
Progress = Callable[[str, int, int], None]
Work = Callable[[Progress, Callable[[], bool]], "OpChanges"]


class OpFailed(Exception):
    """An operation failed for a reason the user can act on; its message is shown as is."""


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed, as flags, so each view decides what to redraw.

    ``graph``: the graph changed; ``index``: the search index did; ``folder``: another folder
    was opened, so views start afresh rather than keep their selection and focus; ``build``: the
    notes were read again (new positions from the layout step, the folder's files watched
    anew); ``corrections``: the user's corrections changed the graph. ``learned`` lists the
    other relations a decision changed through the folder's scorer (appeared, gone, or more or
    less sure), largest change first.
    """

    result: BuildResult
    positions: Positions = field(default_factory=dict)
    graph: bool = True
    index: bool = True
    folder: bool = True
    build: bool = True
    corrections: bool = False
    #: The services pinned in the cached layout (read off the UI thread with it).
    pinned: frozenset[str] = frozenset()
    learned: tuple[EdgeChange, ...] = ()


class _Signals(QObject):
    """Signals of a :class:`CoreOp` (a QRunnable is no QObject, so it cannot carry signals).

    Signals:
        progress(str, int, int): stage, done, total.
        finished(object): the :class:`OpChanges` of a completed operation.
        failed(str): a plain message for the user; never a traceback.
    """

    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)


class CoreOp(QRunnable):
    """Runs one piece of core work on the global thread pool and reports through ``signals``."""

    def __init__(self, work: Work, name: str = "operation") -> None:
        super().__init__()
        # The pool must not delete the runnable: the window keeps it to cancel it.
        self.setAutoDelete(False)
        self.name = name
        self.signals = _Signals()
        self._work = work
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next step."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def start(self) -> None:
        """Queue the operation on the global thread pool."""
        QThreadPool.globalInstance().start(self)

    @Slot()
    def run(self) -> None:
        """Override QRunnable::run."""
        try:
            changes = self._work(self.signals.progress.emit, self._cancel.is_set)
        except (NotesFolderError, CacheBusy, OpFailed, UserDirError) as exc:
            self.signals.failed.emit(str(exc))
        except BuildCancelled:
            self.signals.failed.emit("Cancelled.")
        except Exception as exc:
            from app.crashlog import log_exception

            where = log_exception(exc, traceback.format_exc())
            self.signals.failed.emit(f"The {self.name} failed ({exc}). Details are in {where}.")
        else:
            self.signals.finished.emit(changes)
        finally:
            self.done.set()


def build_work(
    notes: Path,
    *,
    initial: Mapping[str, tuple[float, float]] | None = None,
    pinned: Mapping[str, tuple[float, float]] | None = None,
    folder: bool = True,
) -> Work:
    """The work of (re)building ``notes``: graph, search index and layout, all off the UI thread."""

    def work(progress: Progress, cancelled: Callable[[], bool]) -> OpChanges:
        result = build(Path(notes), progress=progress, cancelled=cancelled)
        progress("Layout", 0, 1)
        workspace = Workspace(result.notes)
        saved = workspace.saved_layout()
        positions = workspace.lay_out(
            result.graph, initial=initial, pinned=pinned, cancelled=cancelled, saved=saved
        )
        if cancelled():
            raise BuildCancelled
        progress("Layout", 1, 1)
        return OpChanges(result, positions, folder=folder, pinned=frozenset(saved.pinned))

    return work
