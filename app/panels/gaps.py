"""The Gaps panel: what the notes do not cover yet of the exam a student is preparing for.

The core finds the gaps (:func:`graph_data.gaps.find_gaps`); this panel picks the exam, lists the
gaps grouped by kind with each row's reason as its tooltip, and asks for the search of a service
when its row is activated, so the notes' own words are one click away. The exam chosen is
remembered per notes folder (settings key ``gaps/exam/<the folder's Workspace key>``).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.models import TwoLevelModel
from app.operations import OpChanges
from app.session import Session
from graph_data.gaps import (
    KIND_TITLES,
    AreaGap,
    Gaps,
    ServiceGap,
    find_gaps,
    get_exam,
    load_exams,
)
from graph_data.workspace import Workspace

__all__ = [
    "COL_DETAIL",
    "COL_NAME",
    "DEFAULT_EXAM",
    "GapsModel",
    "GapsPanel",
    "KindRole",
    "QueryRole",
    "ServiceIdRole",
    "exam_key",
]

COL_NAME, COL_DETAIL = range(2)

#: The kind of gap of a row, one of :data:`graph_data.gaps.GAP_KINDS` (group rows too).
KindRole = Qt.ItemDataRole.UserRole + 1
#: The catalog id of a service row ("" for a group, domain or category row).
ServiceIdRole = Qt.ItemDataRole.UserRole + 2
#: The search query that shows what the notes say of a service row ("" elsewhere).
QueryRole = Qt.ItemDataRole.UserRole + 3

#: The exam shown for a folder with none chosen yet, when no other was chosen before.
DEFAULT_EXAM = "SAA-C03"

Index = QModelIndex | QPersistentModelIndex
_TOP = 0  # internalId of a group row; a gap row stores its group's row + 1
_HEADERS = ("Gap", "Details")
_KIND_TIPS = {
    "missing": "In-scope services your notes never name",
    "unrelated": "Services your notes name but never relate to another service",
    "one-line": "Services a single note line relates to the rest",
    "domain": "Exam domains whose services your notes name less than the rest of the scope",
    "category": "Categories whose in-scope services your notes name less than the rest",
}
_LAST_EXAM = "gaps/last_exam"


def exam_key(notes: Path) -> str:
    """The settings key that remembers the exam chosen for one notes folder."""
    return f"gaps/exam/{Workspace(notes).key}"


class GapsModel(TwoLevelModel):
    """The gaps of one exam: a row per kind of gap, the gaps of that kind under it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gaps: Gaps | None = None
        self._groups: list[tuple[str, tuple[ServiceGap, ...] | tuple[AreaGap, ...]]] = []

    @property
    def gaps(self) -> Gaps | None:
        """The gaps shown, or None."""
        return self._gaps

    def set_gaps(self, gaps: Gaps | None) -> None:
        """Show ``gaps`` (replacing what was shown), or nothing for None."""
        self.beginResetModel()
        self._gaps = gaps
        self._groups = list(gaps.by_kind().items()) if gaps is not None else []
        self.endResetModel()

    def group_row(self, kind: str) -> int:
        """The row of the group of ``kind``, or -1 when nothing is shown."""
        return next((r for r, (k, _) in enumerate(self._groups) if k == kind), -1)

    def _top_count(self) -> int:
        return len(self._groups)

    def _child_count(self, row: int) -> int:
        return len(self._groups[row][1])

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return len(_HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(_HEADERS):
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::data."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            kind, items = self._groups[index.row()]
            return self._group_data(kind, len(items), index.column(), role)
        kind, items = self._groups[index.internalId() - 1]
        if not 0 <= index.row() < len(items):
            return None
        return self._gap_data(kind, items[index.row()], index.column(), role)

    def _group_data(self, kind: str, count: int, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole and column == COL_NAME:
            return f"{KIND_TITLES[kind]} ({count})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return _KIND_TIPS[kind]
        if role == KindRole:
            return kind
        if role in (ServiceIdRole, QueryRole):
            return ""
        return None

    def _gap_data(self, kind: str, gap: ServiceGap | AreaGap, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(gap, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return gap.reason
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._display(gap, COL_NAME)}: {gap.reason}"
        if role == KindRole:
            return kind
        if role == ServiceIdRole:
            return gap.service if isinstance(gap, ServiceGap) else ""
        if role == QueryRole:
            return gap.query if isinstance(gap, ServiceGap) else ""
        return None

    @staticmethod
    def _display(gap: ServiceGap | AreaGap, column: int) -> str:
        if isinstance(gap, ServiceGap):
            if column == COL_NAME:
                return gap.short
            if not gap.domains:
                return gap.category
            plural = "s" if len(gap.domains) > 1 else ""
            return f"{gap.category} · domain{plural} {', '.join(map(str, gap.domains))}"
        if column == COL_NAME:
            return f"Domain {gap.number}: {gap.name}" if gap.number else gap.name
        share = f"{gap.covered} of {gap.in_scope} named"
        return f"{gap.weight:.0f}% of the exam · {share}" if gap.number else share


class GapsPanel(QWidget):
    """An exam to choose, a line summing up its coverage, and the gaps of the notes by kind.

    Signals:
        searchRequested(str): a service's row was activated; the query shows what the notes say.
        examChanged(str): the exam shown changed (its code).
    """

    searchRequested = Signal(str)
    examChanged = Signal(str)

    def __init__(
        self,
        settings: QSettings | None = None,
        session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._graph: nx.MultiDiGraph | None = None
        self._notes: Path | None = None
        self.exams = load_exams()
        self.exam = QComboBox(self)
        for code, exam in self.exams.items():
            self.exam.addItem(exam.title, code)
            self.exam.setItemData(
                self.exam.count() - 1,
                f"{exam.name}, guide version {exam.version}"
                + (f" (retired {exam.retired}; now {exam.successor})" if exam.retired else ""),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.exam.setAccessibleName("Exam")
        self.exam.setToolTip("The exam whose in-scope services your notes are held against")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Coverage summary")
        self.model = GapsModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Study gaps by kind")
        self.view.setToolTip(
            "What your notes do not cover yet; double-click a service to search your notes for it"
        )
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.exam)
        col.addWidget(self.summary)
        col.addWidget(self.view, 1)
        self._select(self._remembered(None))
        self.exam.currentIndexChanged.connect(self._exam_chosen)
        self.view.activated.connect(self._activated)
        self.refresh()
        if session is not None:
            session.changed.connect(self.show_changes)

    @Slot(object)
    def show_changes(self, changes: OpChanges) -> None:
        """A build or a correction: hold its graph against the folder's exam."""
        self.set_graph(changes.result.graph, changes.result.notes)

    def current_exam(self) -> str:
        """The code of the exam shown."""
        return str(self.exam.currentData())

    def set_exam(self, code: str) -> None:
        """Show the gaps against ``code`` (any form :func:`get_exam` reads) and remember it."""
        self.exam.setCurrentIndex(self.exam.findData(get_exam(code).code))

    def set_graph(self, G: nx.MultiDiGraph | None, notes: Path | None = None) -> None:
        """Hold the graph of the notes in ``notes`` against the exam chosen for that folder."""
        self._graph = G
        if notes != self._notes:
            self._notes = notes
            self.exam.blockSignals(True)
            self._select(self._remembered(notes))
            self.exam.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Find the gaps again (the graph or the exam changed) and show them."""
        if self._graph is None:
            self.model.set_gaps(None)
            self.summary.setText("Open a notes folder to see what it does not cover yet.")
            return
        gaps = find_gaps(self._graph, self.current_exam())
        self.model.set_gaps(gaps)
        self.summary.setText(gaps.summary)
        self.view.expandAll()
        self.view.resizeColumnToContents(COL_NAME)

    def _select(self, code: str) -> None:
        row = self.exam.findData(code)
        self.exam.setCurrentIndex(row if row >= 0 else self.exam.findData(DEFAULT_EXAM))

    def _remembered(self, notes: Path | None) -> str:
        if self.settings is None:
            return DEFAULT_EXAM
        last = str(self.settings.value(_LAST_EXAM, DEFAULT_EXAM))
        if notes is None:
            return last
        return str(self.settings.value(exam_key(notes), last))

    @Slot(int)
    def _exam_chosen(self, _row: int) -> None:
        code = self.current_exam()
        if self.settings is not None:
            self.settings.setValue(_LAST_EXAM, code)
            if self._notes is not None:
                self.settings.setValue(exam_key(self._notes), code)
        self.refresh()
        self.examChanged.emit(code)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        query = index.siblingAtColumn(COL_NAME).data(QueryRole)
        if query:
            self.searchRequested.emit(query)
