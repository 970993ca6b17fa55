"""The Problems panel: every file the last build skipped or read with a fallback, and why.

The build never stops for one bad file; it reports it once (a :class:`graph_data.records.Problem`)
and carries on. This panel lists those reports, plus the build's own notes (a discarded cache,
a rebuilt index), so the user sees what was left out of the graph without reading a log.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from app.operations import OpChanges
from app.session import Session
from graph_data.records import Problem

__all__ = [
    "COL_FILE",
    "COL_PROBLEM",
    "COL_SEVERITY",
    "FileRole",
    "ProblemsModel",
    "ProblemsPanel",
    "build_problems",
]

COL_FILE, COL_SEVERITY, COL_PROBLEM = range(3)

#: The file a row is about ("" for a build-wide message).
FileRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("File", "Kind", "Problem")
_BUILD = "(build)"


def build_problems(result) -> tuple[Problem, ...]:
    """The problems of a :class:`graph_data.build.BuildResult`: file problems, then build notes."""
    notes = tuple(Problem("", message, "info") for message in getattr(result, "messages", ()))
    return tuple(result.problems) + notes


def _kind(problem: Problem) -> str:
    if not problem.file:
        return "Note"
    if problem.severity == "skipped":
        return "Skipped"
    return "Read with care"


class ProblemsModel(QAbstractTableModel):
    """One row per problem: the file, whether it was skipped or read degraded, and the reason."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Problem, ...] = ()

    def set_problems(self, problems: Iterable[Problem]) -> None:
        """Show ``problems`` (replacing what was shown)."""
        self.beginResetModel()
        self._rows = tuple(problems)
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        """The problem on ``row``."""
        return self._rows[row]

    def skipped_count(self) -> int:
        """How many files were left out of the graph altogether."""
        return sum(1 for p in self._rows if _kind(p) == "Skipped")

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(_HEADERS):
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        problem = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(problem, index.column(), role)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{problem.file or _BUILD}: {_kind(problem)}: {problem.message}"
        if role == FileRole:
            return problem.file
        return None

    def _text(self, problem: Problem, column: int, role: int) -> str:
        if column == COL_FILE:
            return problem.file or _BUILD
        if column == COL_SEVERITY:
            return _kind(problem)
        return problem.message if role == Qt.ItemDataRole.DisplayRole else str(problem)


class ProblemsPanel(QWidget):
    """A summary line and the table of problems of the last build.

    Signals:
        fileActivated(str): the user double-clicked (or pressed Enter on) a row about this file.
    """

    fileActivated = Signal(str)

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems summary")
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_FILE, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Files skipped or read with care")
        self.view.setToolTip(
            "Files the last build skipped or read with a fallback; double-click to open one"
        )
        self.view.activated.connect(self._activated)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.summary)
        col.addWidget(self.view, 1)
        self.set_problems(())
        if session is not None:
            session.changed.connect(self.show_changes)

    @Slot(object)
    def show_changes(self, changes: OpChanges) -> None:
        """A build or a correction: show the problems of its result."""
        self.set_problems(build_problems(changes.result))

    def set_problems(self, problems: Iterable[Problem]) -> None:
        """Show the problems of a build and sum them up in one line."""
        self.model.set_problems(problems)
        self.summary.setText(self._summary())
        self.view.resizeColumnToContents(COL_FILE)
        self.view.resizeColumnToContents(COL_SEVERITY)

    def _summary(self) -> str:
        total, skipped = self.model.rowCount(), self.model.skipped_count()
        if total == 0:
            return "Every note was read without trouble."
        return (
            f"{skipped} file{'s' if skipped != 1 else ''} left out of the graph; "
            f"{total - skipped} other note{'s' if total - skipped != 1 else ''} on the last build."
        )

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        file = self.proxy.data(index, FileRole)
        kind = self.proxy.data(index.siblingAtColumn(COL_SEVERITY))
        # A skipped file is too big, binary or unreadable: there is nothing to show.
        if file and kind != "Skipped":
            self.fileActivated.emit(file)
