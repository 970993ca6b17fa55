"""The open notes folder: its build result, corrections, pins, file watcher and running operation.

The :class:`Session` is the one owner of what was read from the open folder. Opening, reloading,
cancelling, correcting and pinning go through it; builds run off the UI thread as
:class:`CoreOp`s, and whatever changed is reported once, as :class:`OpChanges`, by
:attr:`Session.changed`. A pin changes no graph, so it is no change for the views (the canvas
shows it already); its layout is written on a writer thread. The window and its panels only
show what the session reports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QThreadPool, QTimer, Signal, Slot

from app.corrections import CorrectionsController
from app.layout_saver import LayoutSaver
from app.operations import CoreOp, OpChanges, Positions, build_work
from graph_data.corrections import apply_corrections
from graph_data.learning import (
    Example,
    adapt,
    by_decision,
    changed_edges,
    decided_pairs,
    save_examples,
    taught,
)
from graph_data.workspace import Workspace

__all__ = ["RELOAD_MS", "Session", "rescored"]

#: How long the notes must stay unchanged before a live reload (editors save in bursts).
RELOAD_MS = 400
_WATCHED_FOLDERS = 500
_WATCHED_FILES = 2000


class Session(QObject):
    """The state read from one notes folder, and every change to it.

    Signals:
        started(object): a build of this folder (a ``Path``) began.
        progress(str, int, int): the running build's stage, done and total.
        changed(object): the :class:`OpChanges` of a finished build or of a correction, undo
            or redo, with the corrections applied to its graph; a decision that teaches the
            folder's scorer is reported again when the re-score is done (with ``learned``).
        failed(str): the build failed or was cancelled, in one sentence.
        stale(): a note changed on disk; reload when ready (the window keeps the picture).
        examplesNotSaved(str): the examples of the decisions could not be written; they
            still teach the folder's scorer in this session.
        layoutWritten(str, bool): sent on the writer thread once a pin's layout of the folder
            (a ``str``) was written (True) or could not be (False).
        layoutNotSaved(str): a pin's layout could not be remembered, in one sentence.
    """

    started = Signal(object)
    progress = Signal(str, int, int)
    changed = Signal(object)
    failed = Signal(str)
    stale = Signal()
    examplesNotSaved = Signal(str)
    layoutWritten = Signal(str, bool)
    layoutNotSaved = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The folder being shown or built.
        self.notes: Path | None = None
        #: The last build's result, with the corrections applied to its graph.
        self.result = None
        self.corrector = CorrectionsController(self)
        self.corrector.correctionsChanged.connect(self._corrected)
        self._op: CoreOp | None = None
        self._retired: list[CoreOp] = []
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._touched)
        self._watcher.fileChanged.connect(self._touched)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_MS)
        self._reload_timer.timeout.connect(self.stale)
        #: Every decision's examples met in this folder, undone ones too (redo gives them back).
        self._known: dict[tuple, tuple[Example, ...]] = {}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="examples")
        self._writes: list[Future] = []
        #: The running re-score of the last decision, if any.
        self._relearning: CoreOp | None = None
        self._pinned: set[str] = set()
        self._layouts = LayoutSaver(self)
        # Direct: the writer thread's report is passed on as it happens, not queued behind it.
        self._layouts.written.connect(self.layoutWritten, Qt.ConnectionType.DirectConnection)
        self._layouts.saveFailed.connect(self.layoutNotSaved)

    @property
    def busy(self) -> bool:
        """Whether a build is running."""
        return self._op is not None

    def open(self, notes: Path, *, initial: Positions | None = None, folder: bool = True) -> None:
        """Build ``notes`` off the UI thread; :attr:`changed` reports the result."""
        self.notes = Path(notes)
        op = CoreOp(build_work(self.notes, initial=initial, folder=folder), "build")
        if self._op is not None:
            self._op.cancel()
            self._retired.append(self._op)
        self._op = op
        op.signals.progress.connect(self._on_progress)
        op.signals.finished.connect(self._on_finished)
        op.signals.failed.connect(self._on_failed)
        self.started.emit(self.notes)
        op.start()

    def reload(self, initial: Positions | None = None) -> None:
        """Rebuild the open folder (the cache makes it incremental)."""
        if self.notes is not None:
            self.open(self.notes, initial=initial, folder=False)

    @Slot()
    def cancel(self) -> None:
        """Stop the running build."""
        if self._op is not None:
            self._op.cancel()

    @property
    def pinned(self) -> frozenset[str]:
        """The services pinned in the open folder: its saved layout's, a view's, and dragged."""
        return frozenset(self._pinned)

    def pin(self, service: str, x: float, y: float, layout: Positions) -> None:
        """Pin ``service`` at (x, y) and remember the folder's layout on the writer thread.

        ``layout`` is where the whole graph puts each service (a filter's own layout is never
        saved); the pins are kept in it.
        """
        if self.result is None or service not in self.result.graph:
            return
        self._pinned.add(service)
        # The shown graph's folder: self.notes already names a folder still building.
        notes = Path(self.result.notes)
        self._layouts.remember(notes, {**layout, service: (x, y)}, self._pinned)

    def keep_pinned(self, services: Iterable[str]) -> None:
        """Pin ``services`` too (a restored view's); remembered with the next :meth:`pin`."""
        if self.result is not None:
            self._pinned |= {s for s in services if s in self.result.graph}

    def close(self) -> None:
        """Stop watching and building, wait for pending writes, release the search index."""
        self._reload_timer.stop()
        self.cancel()
        QThreadPool.globalInstance().waitForDone(30_000)
        self.corrector.flush()
        self._layouts.flush()
        for write in self._writes:
            write.result()
        self._writes.clear()
        if self.result is not None and self.result.search is not None:
            self.result.search.close()

    # ------------------------------------------------------------------ the running build

    def _current(self) -> bool:
        return self._op is not None and self.sender() is self._op.signals

    def _done(self) -> None:
        # The pool thread still touches the runnable just after run() returns, so a finished
        # op stays referenced until no pool thread is busy.
        if self._op is not None:
            self._retired.append(self._op)
        if QThreadPool.globalInstance().activeThreadCount() == 0:
            self._retired.clear()
        self._op = None

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self._current():
            self.progress.emit(stage, done, total)

    @Slot(object)
    def _on_finished(self, changes: OpChanges) -> None:
        if not self._current():
            if changes.result.search is not None:
                changes.result.search.close()
            return
        self._done()
        changes = self._with_corrections(changes)
        old, self.result = self.result, changes.result
        if old is not None and old.search is not None and old.search is not changes.result.search:
            old.search.close()
        self._watch(changes.result.notes)
        # Another folder starts from its saved pins; a rebuild keeps those made since too.
        kept = set() if changes.folder else self._pinned
        self._pinned = (kept | changes.pinned) & set(changes.result.graph)
        self.changed.emit(changes)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._current():
            self._done()
            self.failed.emit(message)

    def _with_corrections(self, changes: OpChanges) -> OpChanges:
        """A finished build with the corrections held by the controller applied to its graph.

        A rebuild of the same folder keeps the examples of this session's decisions (the file
        the build read may lag behind a write still on its way).
        """
        result = changes.result
        self._relearning = None  # a re-score of the old build would undo this one
        if self.corrector.notes != Path(result.notes):
            self._known = by_decision(result.examples)
        G = self.corrector.adopt(result)
        if plan := self._plan(result):
            learned = rescored(result, self.corrector.corrections, *plan)
            self.corrector.raw = learned.raw_graph
            return replace(changes, result=learned)
        if G is result.graph:
            return changes
        result = replace(result, graph=G, corrections=self.corrector.corrections)
        return replace(changes, result=result)

    def _plan(self, result) -> tuple[list[Example], frozenset] | None:
        """The examples and decided pairs the controller's decisions teach ``result``'s scorer,
        or None when they are those it was scored with (they are stored at once).

        The examples of a decision not met before are made on ``result``'s own graph: the
        graph the student decided on.
        """
        if result.folder is None or result.scoring is None or result.raw_graph is None:
            return None
        corrections = self.corrector.corrections
        examples, self._known = taught(
            corrections, self._known, result.raw_graph, result.folder, result.scoring
        )
        decided = decided_pairs(corrections) if examples else frozenset()
        if tuple(examples) == result.examples and decided == result.scoring.decided:
            return None
        self._save_examples(Path(result.notes), examples)
        return examples, decided

    def _save_examples(self, notes: Path, examples: list[Example]) -> None:
        """Write the examples atomically on the writer thread, in the order of the changes."""
        self._writes = [f for f in self._writes if not f.done()]
        self._writes.append(self._writer.submit(self._write_examples, notes, examples))

    def _write_examples(self, notes: Path, examples: list[Example]) -> None:
        """On the writer thread: store the examples, or say why they could not be."""
        try:
            save_examples(Workspace(notes).examples, examples)
        except OSError as exc:
            where = exc.filename or "the data folder"
            self.examplesNotSaved.emit(
                f"Could not save what your decisions taught to {where} "
                f"({exc.strerror or exc}); it applies until you close Service Atlas."
            )

    @Slot(object)
    def _corrected(self, G: nx.MultiDiGraph) -> None:
        """A correction, undo or redo: shown at once, then the same build re-scored off the UI
        thread by what the decisions teach, and corrected (a second change, with ``learned``).

        ``G`` is the new corrections on the graph before the change, so comparing it with the
        new graph shows what the decision changed through the folder's scorer alone.
        """
        if self.result is None:
            return
        corrections = self.corrector.corrections
        plan = self._plan(self.result)
        # The decision shows at once; what it teaches the scorer follows from a pool thread.
        self.result = base = replace(self.result, graph=G, corrections=corrections)
        self._retire(self._relearning)
        self._relearning = None
        self.changed.emit(_corrected(self.result))
        if not plan:
            return

        def work(_progress, _cancelled) -> OpChanges:
            result = rescored(base, corrections, *plan)
            return _corrected(result, changed_edges(G, result.graph))

        self._relearning = CoreOp(work, "re-scoring")
        self._relearning.signals.finished.connect(self._relearned)
        self._relearning.signals.failed.connect(self._relearn_failed)
        self._relearning.start()

    @property
    def relearning(self) -> bool:
        """Whether a decision's re-score is still running (its change is not reported yet)."""
        return self._relearning is not None

    @Slot(object)
    def _relearned(self, changes: OpChanges) -> None:
        if self._relearning is None or self.sender() is not self._relearning.signals:
            return  # a later decision or build took its place
        self._retire(self._relearning)
        self._relearning = None
        self.corrector.raw = changes.result.raw_graph
        self.result = changes.result
        self.changed.emit(changes)

    @Slot(str)
    def _relearn_failed(self, _message: str) -> None:
        # The decision is shown already and stands without what it teaches (the crash log
        # has the details).
        if self._relearning is not None and self.sender() is self._relearning.signals:
            self._retire(self._relearning)
            self._relearning = None

    def _retire(self, op: CoreOp | None) -> None:
        # The pool thread still touches a runnable just after run() returns (see _done).
        if op is not None:
            self._retired.append(op)

    # ------------------------------------------------------------------ live reload

    def _watch(self, notes: Path) -> None:
        paths = self._watcher.directories() + self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)
        folders = [str(notes)]
        with contextlib.suppress(OSError):
            folders += [
                str(p) for p in notes.rglob("*") if p.is_dir() and not p.name.startswith(".")
            ]
        files = [str(p) for f in folders for p in Path(f).glob("*") if p.suffix in (".md", ".txt")]
        self._watcher.addPaths(folders[:_WATCHED_FOLDERS] + files[:_WATCHED_FILES])

    @Slot(str)
    def _touched(self, _path: str) -> None:
        self._reload_timer.start()


def rescored(result, corrections, examples: list[Example], decided: frozenset):
    """``result`` re-scored by the scorer ``examples`` teach, then corrected (no Qt: it runs
    on a pool thread)."""
    scoring = result.folder.score(adapt(result.folder.shipped, examples), decided, examples)
    raw = result.folder.graph(scoring)
    return replace(
        result,
        graph=apply_corrections(raw, corrections),
        raw_graph=raw,
        relations=scoring.relations,
        scoring=scoring,
        examples=tuple(examples),
        corrections=corrections,
    )


def _corrected(result, learned: tuple = ()) -> OpChanges:
    """The changes of a correction: the graph, not the index, folder or layout."""
    return OpChanges(
        result, index=False, folder=False, build=False, corrections=True, learned=learned
    )
