"""The review queue: the relations the notes state least surely, first, to accept, reject or retag.

Keys in the table: A accepts (confirms) the relation, R or Delete rejects (hides) it, T offers the
other relation types; each decision goes through the undo stack and the next relation is selected.
"""

from __future__ import annotations

import html
from typing import ClassVar

import networkx as nx
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.corrections import retag_choices
from graph_data.style import RELATION_STYLES, relation_label

__all__ = [
    "COL_CONFIDENCE",
    "COL_EVIDENCE",
    "COL_RELATION",
    "COL_SOURCE",
    "COL_TARGET",
    "EdgeRole",
    "ReviewModel",
    "ReviewPanel",
]

COL_CONFIDENCE, COL_SOURCE, COL_RELATION, COL_TARGET, COL_EVIDENCE = range(5)
_HEADERS = ("Confidence", "Service", "Relation", "Service", "Quotes")

#: The edge of a row as ``(source, relation, target)``.
EdgeRole = Qt.ItemDataRole.UserRole + 20

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
Edge = tuple[str, str, str]


class ReviewModel(QAbstractTableModel):
    """The graph's undecided relations, lowest confidence first (confirmed and added ones left out).

    A thin adapter: it keeps the edge keys in queue order and reads everything else from the graph.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._G: nx.MultiDiGraph = nx.MultiDiGraph()
        self._edges: list[Edge] = []

    def set_graph(self, G: nx.MultiDiGraph | None) -> None:
        """Queue the undecided relations of ``G`` (None empties the queue)."""
        self.beginResetModel()
        self._G = G if G is not None else nx.MultiDiGraph()
        undecided = [
            (d.get("confidence", 0.0), len(d.get("evidence", ())), (u, d.get("relation", k), v))
            for u, v, k, d in self._G.edges(keys=True, data=True)
            if not d.get("confirmed") and not d.get("manual")
        ]
        self._edges = [edge for *_rank, edge in sorted(undecided)]
        self.endResetModel()

    def edge(self, row: int) -> Edge:
        """The edge on ``row`` as ``(source, relation, target)``."""
        return self._edges[row]

    def row_of(self, edge: Edge) -> int:
        """The row of ``edge``, or -1 when it is not queued."""
        try:
            return self._edges.index(edge)
        except ValueError:
            return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._edges)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = _DISPLAY):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._edges):
            return None
        u, relation, v = edge = self._edges[index.row()]
        d = self._G[u][v][relation]
        column = index.column()
        if role == EdgeRole:
            return edge
        if role == _DISPLAY:
            values = (
                f"{d.get('confidence', 0.0):.2f}",
                self.name(u),
                relation_label(relation),
                self.name(v),
                str(len(d.get("evidence", ()))),
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_RELATION:
            return QColor(RELATION_STYLES[relation].color)
        if role == Qt.ItemDataRole.ToolTipRole:
            quotes = [e["text"] for e in d.get("evidence", ())][:3]
            return "\n".join(f"“{q}”" for q in quotes) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_CONFIDENCE, COL_EVIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def name(self, sid: str) -> str:
        """The short name of service ``sid``."""
        return self._G.nodes[sid].get("short", sid)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(_HEADERS):
            return _HEADERS[section]
        return None

    def evidence_html(self, row: int) -> str:
        """The quotes of the relation on ``row`` with their places, as rich text."""
        u, relation, v = self._edges[row]
        items = "".join(
            f"<li>“{html.escape(e['text'])}” <small>{html.escape(_where(e))}</small></li>"
            for e in self._G[u][v][relation].get("evidence", ())
        )
        return f"<ul style='margin:0'>{items}</ul>" if items else ""


def _where(evidence: dict) -> str:
    return f"{evidence['file']}:{evidence['line']}" if evidence.get("line") else "your correction"


class _ReviewTable(QTableView):
    """The queue's table: A, R/Delete and T decide, arrows move (key handling only).

    Signals:
        decided(str): "accept", "reject" or "retag", from a key press.
    """

    decided = Signal(str)
    _KEYS: ClassVar[dict[Qt.Key, str]] = {
        Qt.Key.Key_A: "accept",
        Qt.Key.Key_R: "reject",
        Qt.Key.Key_Delete: "reject",
        Qt.Key.Key_T: "retag",
    }

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override QWidget::keyPressEvent: decision keys act; the rest moves as usual."""
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        what = self._KEYS.get(Qt.Key(event.key())) if plain else None
        if what is not None and self.currentIndex().isValid():
            self.decided.emit(what)
            event.accept()
            return
        super().keyPressEvent(event)


class ReviewPanel(QWidget):
    """The review queue's table, the evidence of the current relation and the decision buttons.

    Signals:
        edgeSelected(str, str, str): the current relation changed (source, relation, target).
        acceptRequested(str, str, str): confirm this relation.
        rejectRequested(str, str, str): hide this relation.
        retagRequested(str, str, str, str): give this relation another type (the last argument).
    """

    edgeSelected = Signal(str, str, str)
    acceptRequested = Signal(str, str, str)
    rejectRequested = Signal(str, str, str)
    retagRequested = Signal(str, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReviewModel(self)
        self.table = _ReviewTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self._size_columns()
        self.table.setAccessibleName("Relations to review")
        self.table.setToolTip("A accepts, R or Delete rejects, T changes the type; Ctrl+Z undoes")
        self.table.decided.connect(self.decide)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Review queue summary")
        self.evidence = QLabel(self)
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        self.evidence.setAccessibleName("Evidence of the relation")
        self.retag_menu = QMenu("Change type", self)
        self.retag_menu.setAccessibleName("Change the relation type")
        buttons = QHBoxLayout()
        # Short labels keep the dock narrow; the keys are in the labels, the words in the tips.
        self.accept_button = self._button("&Accept (A)", "Confirm this relation", "accept")
        self.reject_button = self._button("&Reject (R)", "Hide this relation", "reject")
        self.retag_button = self._button("&Type… (T)", "Give this relation another type", "retag")
        for button in (self.accept_button, self.reject_button, self.retag_button):
            buttons.addWidget(button)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.summary)
        col.addWidget(self.table, 1)
        col.addWidget(self.evidence)
        col.addLayout(buttons)
        self._current: Edge | None = None
        self._decided_row: int | None = None
        self._update()

    def _size_columns(self) -> None:
        # Sizing to contents would measure every row on each refresh: slow for long queues.
        head = self.table.horizontalHeader()
        head.setStretchLastSection(False)
        for column in (COL_SOURCE, COL_RELATION, COL_TARGET):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for column in (COL_CONFIDENCE, COL_EVIDENCE):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            head.resizeSection(column, metrics.horizontalAdvance(_HEADERS[column]) + 24)

    def _button(self, text: str, tip: str, what: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda _=False: self.decide(what))
        return button

    def set_graph(self, G: nx.MultiDiGraph | None, *, keep: bool = True) -> None:
        """Queue the relations of ``G``, keeping the current one, or moving on after a decision.

        Only a decision taken here moves the canvas to the next relation; a graph changed
        elsewhere (a rebuild, a correction in Details) leaves the window's selection alone.
        ``keep=False`` (another notes folder) starts the queue afresh.
        """
        if not keep:
            self._current, self._decided_row = None, None
        row = self.table.currentIndex().row() if keep else -1
        follow = self._decided_row is not None
        self.model.set_graph(G)
        count = self.model.rowCount()
        target = -1
        if self._decided_row is not None:
            target = min(self._decided_row, count - 1)
        elif self._current is not None:
            target = self.model.row_of(self._current)
            if target < 0 and row >= 0:
                target = min(row, count - 1)
        self._decided_row = None
        blocked = self.blockSignals(not follow)
        try:
            if target >= 0:
                self.table.setCurrentIndex(self.model.index(target, COL_SOURCE))
            else:
                self._row_changed(QModelIndex(), QModelIndex())
        finally:
            self.blockSignals(blocked)
        self._update()

    def current_edge(self) -> Edge | None:
        """The relation on the current row, or None."""
        index = self.table.currentIndex()
        return self.model.edge(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Make ``row`` current (and so show its services on the graph)."""
        self.table.setCurrentIndex(self.model.index(row, COL_SOURCE))

    @Slot(str)
    def decide(self, what: str) -> None:
        """Act on the current relation: "accept", "reject" or "retag" (which asks for the type)."""
        edge = self.current_edge()
        if edge is None:
            return
        if what == "retag":
            self._offer_types(edge)
            return
        self._decided_row = self.table.currentIndex().row()
        signal = self.acceptRequested if what == "accept" else self.rejectRequested
        signal.emit(*edge)
        # A decision that changed nothing brings no new graph; forget it then.
        self._decided_row = None

    def _offer_types(self, edge: Edge) -> None:
        u, relation, v = edge
        self.retag_menu.clear()
        choices = retag_choices(u, relation, v, self.model.name)
        for n, (words, new, a, b) in enumerate(choices, start=1):
            action = QAction(f"&{n} {words}", self.retag_menu)
            action.triggered.connect(
                lambda _=False, a=a, b=b, new=new: self._retag(edge, a, b, new)
            )
            self.retag_menu.addAction(action)
        rect = self.table.visualRect(self.table.currentIndex())
        self.retag_menu.popup(self.table.viewport().mapToGlobal(rect.bottomLeft()))

    def _retag(self, edge: Edge, a: str, b: str, new: str) -> None:
        if self.current_edge() != edge:
            return
        self._decided_row = self.table.currentIndex().row()
        self.retagRequested.emit(a, edge[1], b, new)
        self._decided_row = None

    @Slot(QModelIndex, QModelIndex)
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        edge = self.model.edge(current.row()) if current.isValid() else None
        self.evidence.setText(self.model.evidence_html(current.row()) if edge else "")
        for button in (self.accept_button, self.reject_button, self.retag_button):
            button.setEnabled(edge is not None)
        if edge is not None and edge != self._current:
            self._current = edge
            self.edgeSelected.emit(*edge)
        self._current = edge

    def _update(self) -> None:
        count = self.model.rowCount()
        self.summary.setText(
            f"{count} relations to review, least sure first. "
            "A accepts, R rejects, T changes the type; Ctrl+Z undoes."
            if count
            else "Nothing left to review: every relation is confirmed or corrected."
        )
