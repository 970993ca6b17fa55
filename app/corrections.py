"""The user's corrections in the app: undoable commands, the controller that owns them, dialogs.

Every change goes through :class:`CorrectionsController`: it pushes a :class:`CorrectionCommand`
on its ``QUndoStack``; the command swaps one immutable :class:`~graph_data.corrections.Corrections`
value for another, reports the corrected graph, and has it saved atomically off the UI thread
(one writer thread, in order), so undo and redo are the same two steps backwards and forwards.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from graph_data.corrections import (
    Correction,
    Corrections,
    apply_corrections,
    corrections_path,
    save_corrections,
)
from graph_data.records import RELATIONS
from graph_data.style import relation_label

__all__ = [
    "AddRelationDialog",
    "CorrectionCommand",
    "CorrectionsController",
    "MergeDialog",
    "RenameDialog",
    "ask",
    "chosen_service",
    "pick",
    "relation_label",
    "retag_choices",
    "service_combo",
]


def retag_choices(
    source: str, relation: str, target: str, name: Callable[[str], str]
) -> list[tuple[str, str, str, str]]:
    """The other types an edge can take, as (menu words, new type, first service, second).

    "replaces" is offered both ways round: the stored order of an undirected edge says
    nothing about which service is the newer one.
    """
    choices = []
    for new in RELATIONS:
        if new == relation != "replaces":
            continue
        if new != "replaces":
            choices.append((relation_label(new), new, source, target))
            continue
        # A "replaces" edge can be turned round: the other way is its only other reading.
        ways = (
            [(target, source)] if relation == "replaces" else [(source, target), (target, source)]
        )
        for a, b in ways:
            choices.append((f"{name(a)} replaces {name(b)}", new, a, b))
    return choices


#: Kind of correction -> (words for Edit › Undo, words for the list of decisions).
_WORDS = {
    "hide": ("hide", "Hidden"),
    "confirm": ("confirm", "Confirmed"),
    "add": ("add", "Added"),
    "retag": ("change", "Changed"),
    "turn": ("turn round", "Turned round"),
    "rename": ("rename", "Renamed"),
    "merge": ("merge", "Merged"),
}


class CorrectionCommand(QUndoCommand):
    """One correction as an undoable step: redo shows ``after``, undo shows ``before``.

    One class serves every action (hide, confirm, add, retag, rename, merge): they differ only
    in the text shown in Edit › Undo, which the controller writes.
    """

    def __init__(
        self, controller: CorrectionsController, before: Corrections, after: Corrections, text: str
    ) -> None:
        super().__init__(text)
        self._controller = controller
        self.before = before
        self.after = after

    def redo(self) -> None:
        """Override QUndoCommand::redo."""
        self._controller._set(self.after, self.text())

    def undo(self) -> None:
        """Override QUndoCommand::undo."""
        self._controller._set(self.before, f"undid: {self.text()}")


class CorrectionsController(QObject):
    """The corrections of the open notes folder, their undo stack, and the corrected graph.

    Saving happens on one writer thread, in the order of the changes, so the UI never waits for
    the disk; :meth:`flush` waits for the writes still pending (on closing the window).

    Signals:
        correctionsChanged(object): the graph with the current corrections applied, after
            every change, undo and redo.
        saveFailed(str): the corrections could not be written; they still apply in this session.
        saved(str): the corrections were written to this file.
    """

    correctionsChanged = Signal(object)
    saveFailed = Signal(str)
    saved = Signal(str)
    # From the writer thread: (number of the save, file written or "", error message or "").
    _written = Signal(int, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.notes: Path | None = None
        self.corrections = Corrections()
        self.raw: nx.MultiDiGraph | None = None
        #: True while the last save failed, so the file on disk lags behind.
        self.unsaved = False
        #: Why the last save failed (empty when it did not).
        self.save_error = ""
        #: What the last change, undo or redo did, in words for the status bar.
        self.last_change = ""
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="corrections")
        self._pending: list[Future] = []
        self._saves = 0
        self._written.connect(self._on_written, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ builds

    def adopt(self, result) -> nx.MultiDiGraph:
        """Take a finished build's ``BuildResult``; return its graph with the corrections applied.

        Another notes folder brings its saved corrections (read by the build) and a fresh undo
        history; a rebuild of the same folder keeps the corrections held here, which may be newer
        than those the build read when a change came in while it ran.
        """
        raw = result.raw_graph if result.raw_graph is not None else result.graph
        self.raw = raw
        if self.notes != Path(result.notes):
            self.notes = Path(result.notes)
            self.corrections = result.corrections
            self.unsaved = False
            self.stack.clear()
            return result.graph
        if self.corrections == result.corrections and result.raw_graph is not None:
            return result.graph
        return self.graph()

    def graph(self) -> nx.MultiDiGraph:
        """The last built graph with the current corrections applied."""
        if self.raw is None:
            return nx.MultiDiGraph()
        return apply_corrections(self.raw, self.corrections)

    def path(self) -> Path | None:
        """Where the open folder's corrections are stored."""
        return corrections_path(self.notes) if self.notes is not None else None

    # ------------------------------------------------------------------ changes

    def apply(self, correction: Correction) -> bool:
        """Make ``correction`` an undoable step, dated today; False when it changes nothing."""
        if self.notes is None or self.raw is None:
            return False
        if not correction.when:
            correction = replace(correction, when=date.today().isoformat())
        after = self.corrections.with_change(correction)
        if after == self.corrections:
            return False
        self.stack.push(CorrectionCommand(self, self.corrections, after, self.describe(correction)))
        return True

    @Slot(str, str, str)
    def hide(self, source: str, relation: str, target: str) -> bool:
        """Hide the edge ``source relation target`` (a wrong finding)."""
        return self.apply(Correction("hide", source, relation, target))

    @Slot(str, str, str)
    def confirm(self, source: str, relation: str, target: str) -> bool:
        """Mark the edge ``source relation target`` as right."""
        return self.apply(Correction("confirm", source, relation, target))

    @Slot(str, str, str, str)
    def retag(self, source: str, relation: str, target: str, new: str) -> bool:
        """Change the edge's relation type to ``new`` (``source`` stays first for ``replaces``).

        ``replaces`` to ``replaces`` turns the edge round: ``source`` is then the newer service.
        """
        if new == relation != "replaces":
            return False
        return self.apply(Correction("retag", source, relation, target, value=new))

    def add(self, source: str, relation: str, target: str, reason: str) -> bool:
        """Add an edge the notes imply, with the user's ``reason`` as its evidence."""
        if source == target:
            return False
        return self.apply(Correction("add", source, relation, target, reason.strip()))

    def rename(self, service: str, name: str) -> bool:
        """Show ``service`` under the display name ``name``."""
        if not name.strip():
            return False
        return self.apply(Correction("rename", service, value=name.strip()))

    def merge(self, gone: str, kept: str) -> bool:
        """Fold service ``gone`` (an alias found as its own service) into ``kept``."""
        if gone == kept:
            return False
        return self.apply(Correction("merge", gone, value=kept))

    def take_back(self, correction: Correction) -> bool:
        """Take a saved decision back (undoable): its edge or service is as the notes say again."""
        if self.notes is None or correction not in self.corrections.items:
            return False
        after = self.corrections.without(correction)
        text = f"take back: {self.describe(correction)}"
        self.stack.push(CorrectionCommand(self, self.corrections, after, text))
        return True

    def describe(self, c: Correction, *, past: bool = False) -> str:
        """A correction in words: for Edit › Undo ("hide SNS integrates with SQS") or, with
        ``past``, for the list of decisions ("Hidden: SNS integrates with SQS")."""
        a = self.name_of(c.source)
        if c.action == "rename":
            kind, what = "rename", f"{a} to {c.value}"
        elif c.action == "merge":
            kind, what = "merge", f"{a} into {self.name_of(c.value)}"
        else:
            kind = (
                "turn" if c.action == "retag" and c.relation == c.value == "replaces" else c.action
            )
            what = f"{a} {relation_label(c.relation)} {self.name_of(c.target)}"
            if kind == "retag":
                what += f" → {relation_label(c.value)}"
        verb, done = _WORDS[kind]
        return f"{done}: {what}" if past else f"{verb} {what}"

    def name_of(self, sid: str) -> str:
        """The short name the graph shows for a service id (the id when it is not in the graph)."""
        if self.raw is not None and sid in self.raw:
            return self.raw.nodes[sid].get("short", sid)
        return sid

    def _set(self, corrections: Corrections, words: str) -> None:
        """Hold ``corrections``, report the corrected graph, and save (undo/redo land here)."""
        self.corrections = corrections
        self.last_change = words
        self.correctionsChanged.emit(self.graph())
        if self.notes is not None:
            self._saves += 1
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(
                self._writer.submit(self._write, self._saves, self.notes, corrections)
            )

    def _write(self, number: int, notes: Path, corrections: Corrections) -> None:
        """On the writer thread: store one state of the corrections and say how it went."""
        try:
            path = save_corrections(notes, corrections)
        except OSError as exc:
            # Not self.path(): finding the data folder may be what failed.
            where = exc.filename or "the data folder"
            self._written.emit(
                number,
                "",
                f"Could not save your corrections to {where} "
                f"({exc.strerror or exc}). They apply until you close Service Atlas; "
                "the next change that can be saved stores them all.",
            )
        else:
            self._written.emit(number, str(path), "")

    @Slot(int, str, str)
    def _on_written(self, number: int, path: str, error: str) -> None:
        if number != self._saves:
            return  # a later state is on its way; its outcome is the one that counts
        self.unsaved = bool(error)
        self.save_error = error
        if error:
            self.saveFailed.emit(error)
        else:
            self.saved.emit(path)

    def flush(self) -> None:
        """Wait until every pending write is done and its outcome reported."""
        for future in self._pending:
            future.result()
        self._pending.clear()
        QCoreApplication.sendPostedEvents(self)


# ---------------------------------------------------------------------- dialogs


def ask(dialog: QDialog, read: Callable[[], object]) -> object | None:
    """Run a modal dialog and return ``read()`` if it was accepted; the dialog is freed after."""
    try:
        return read() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def service_combo(names: dict[str, str], name: str, parent: QWidget) -> QComboBox:
    """An editable combo box of services (short names, ids as data) that completes as you type."""
    box = QComboBox(parent)
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for sid, short in sorted(names.items(), key=lambda kv: kv[1].lower()):
        box.addItem(short, sid)
    box.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    box.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box.setAccessibleName(name)
    box.setToolTip(f"{name}: type to complete")
    return box


def chosen_service(box: QComboBox) -> str | None:
    """The id of the service typed or picked in ``box``, or None."""
    current = box.currentIndex()
    # Two services may share a name (after a rename): the row picked beats a text match.
    if current >= 0 and box.itemText(current) == box.currentText():
        return box.itemData(current)
    i = box.findText(box.currentText(), Qt.MatchFlag.MatchFixedString)
    return box.itemData(i) if i >= 0 else None


def pick(box: QComboBox, sid: str | None) -> None:
    """Preselect service ``sid`` in ``box`` when it is there."""
    i = box.findData(sid) if sid else -1
    if i >= 0:
        box.setCurrentIndex(i)


class _CorrectionDialog(QDialog):
    """A form with OK/Cancel and a line for what is missing; OK only closes on a valid answer."""

    def __init__(self, title: str, ok: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout(self)
        self.problem = QLabel(self)
        self.problem.setAccessibleName("What is missing")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        """Add the message line and the buttons below the fields."""
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)

    def problem_text(self) -> str:
        """Why the answer cannot be used yet, or "" when it can."""
        raise NotImplementedError

    def accept(self) -> None:
        """Override QDialog::accept: stay open and say why while the answer is incomplete."""
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            super().accept()


class AddRelationDialog(_CorrectionDialog):
    """Source, relation type, target and a reason for a relation the notes imply."""

    def __init__(
        self, names: dict[str, str], parent: QWidget | None = None, source: str | None = None
    ) -> None:
        super().__init__("Add relation", "Add relation", parent)
        self.source = service_combo(names, "From service", self)
        self.relation = QComboBox(self)
        self.relation.setAccessibleName("Relation type")
        for relation in RELATIONS:
            self.relation.addItem(relation_label(relation), relation)
        self.target = service_combo(names, "To service", self)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why the notes imply it (shown as its evidence)")
        pick(self.source, source)
        self.form.addRow("From:", self.source)
        self.form.addRow("Relation:", self.relation)
        self.form.addRow("To:", self.target)
        self.form.addRow("Reason:", self.reason)
        self.finish()

    def values(self) -> tuple[str | None, str, str | None, str]:
        """Source id, relation, target id and reason as entered."""
        return (
            chosen_service(self.source),
            self.relation.currentData(),
            chosen_service(self.target),
            self.reason.text().strip(),
        )

    def problem_text(self) -> str:
        """Override _CorrectionDialog.problem_text."""
        source, _relation, target, reason = self.values()
        if source is None or target is None:
            return "Pick both services from the lists."
        if source == target:
            return "A relation joins two different services."
        return "" if reason else "Say why, in a few words: it is shown as the evidence."


class RenameDialog(_CorrectionDialog):
    """A service and the name to show it under."""

    def __init__(
        self, names: dict[str, str], parent: QWidget | None = None, service: str | None = None
    ) -> None:
        super().__init__("Rename service", "Rename", parent)
        self.service = service_combo(names, "Service", self)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("New name")
        pick(self.service, service)
        self.name.setText(self.service.currentText())
        self.service.currentIndexChanged.connect(
            lambda _i: self.name.setText(self.service.currentText())
        )
        self.form.addRow("Service:", self.service)
        self.form.addRow("Show as:", self.name)
        self.finish()

    def values(self) -> tuple[str | None, str]:
        """Service id and new name."""
        return chosen_service(self.service), self.name.text().strip()

    def problem_text(self) -> str:
        """Override _CorrectionDialog.problem_text."""
        sid, name = self.values()
        if sid is None:
            return "Pick a service from the list."
        return "" if name else "Type the name to show."


class MergeDialog(_CorrectionDialog):
    """Two services that are one: the alias, folded into the service that stays."""

    def __init__(
        self, names: dict[str, str], parent: QWidget | None = None, service: str | None = None
    ) -> None:
        super().__init__("Merge services", "Merge", parent)
        self.gone = service_combo(names, "Service to fold in", self)
        self.kept = service_combo(names, "Service that stays", self)
        pick(self.gone, service)
        self.form.addRow(QLabel("Its relations and mentions move to the service that stays."))
        self.form.addRow("Fold:", self.gone)
        self.form.addRow("Into:", self.kept)
        self.finish()

    def values(self) -> tuple[str | None, str | None]:
        """The service folded in and the one that stays."""
        return chosen_service(self.gone), chosen_service(self.kept)

    def problem_text(self) -> str:
        """Override _CorrectionDialog.problem_text."""
        gone, kept = self.values()
        if gone is None or kept is None:
            return "Pick both services from the lists."
        return "" if gone != kept else "Pick two different services."
