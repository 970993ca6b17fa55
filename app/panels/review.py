"""The review queue: what the folder's scorer is least sure of, first, to accept, reject or retag.

The queue holds the shown relations not yet decided and the candidates just below the threshold
(:func:`graph_data.learning.review_queue`), nearest the threshold first, so each decision teaches
the scorer most. Keys in the table: A accepts (confirms a shown relation, adds one not shown with
its quote), R or Delete rejects (hides) it, T offers the other relation types; each decision
goes through the undo stack and the next row is selected. Below the table, what the last
decision changed elsewhere in the folder.
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
from app.operations import OpChanges
from app.session import Session
from graph_data.learning import Doubt, EdgeChange, review_queue
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
    "learned_html",
    "learned_words",
]

COL_CONFIDENCE, COL_SOURCE, COL_RELATION, COL_TARGET, COL_EVIDENCE = range(5)
_HEADERS = ("Confidence", "Service", "Relation", "Service", "Quotes")

#: The edge of a row as ``(source, relation, target)``.
EdgeRole = Qt.ItemDataRole.UserRole + 20

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
Edge = tuple[str, str, str]


class ReviewModel(QAbstractTableModel):
    """The review queue: shown relations not yet decided and candidates just below the threshold.

    A thin adapter over :func:`~graph_data.learning.review_queue`: it keeps the queue's rows in
    order and reads a shown relation's evidence from the graph.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._G: nx.MultiDiGraph = nx.MultiDiGraph()
        self._rows: list[Doubt] = []
        self._edges: list[Edge] = []

    def set_graph(self, G: nx.MultiDiGraph | None, result=None) -> None:
        """Queue the undecided relations of ``G`` (None empties the queue).

        With ``result`` (the build result ``G`` comes from), the folder's scorer orders the
        queue and adds its candidates just below the threshold.
        """
        self.beginResetModel()
        self._G = G if G is not None else nx.MultiDiGraph()
        if result is None:
            self._rows = review_queue(self._G)
        else:
            corrections = getattr(result, "corrections", None)
            folder, scoring = getattr(result, "folder", None), getattr(result, "scoring", None)
            self._rows = review_queue(self._G, folder, scoring, corrections)
        self._edges = [(d.source, d.relation, d.target) for d in self._rows]
        self.endResetModel()

    def edge(self, row: int) -> Edge:
        """The edge on ``row`` as ``(source, relation, target)``."""
        return self._edges[row]

    def doubt(self, row: int) -> Doubt:
        """The queue's row ``row``: whether it is shown, its uncertainty, its quote."""
        return self._rows[row]

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
        doubt = self._rows[index.row()]
        u, relation, v = edge = self._edges[index.row()]
        evidence = self._evidence(index.row())
        column = index.column()
        if role == EdgeRole:
            return edge
        if role == _DISPLAY:
            values = (
                f"{doubt.confidence:.2f}" + ("" if doubt.shown else " ·"),
                self.name(u),
                relation_label(relation),
                self.name(v),
                str(len(evidence)),
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_RELATION:
            return QColor(RELATION_STYLES[relation].color)
        if role == Qt.ItemDataRole.ToolTipRole:
            quotes = "\n".join(f"“{e['text']}”" for e in evidence[:3])
            if not doubt.shown:
                quotes = f"Not shown yet: just below the threshold.\n{quotes}"
            return quotes or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_CONFIDENCE, COL_EVIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _evidence(self, row: int) -> list[dict]:
        """A shown relation's evidence from the graph; a candidate's own line otherwise."""
        doubt = self._rows[row]
        if not doubt.shown:
            return [{"file": doubt.file, "line": doubt.line, "text": doubt.quote}]
        u, relation, v = self._edges[row]
        return list(self._G[u][v][relation].get("evidence", ()))

    def name(self, sid: str) -> str:
        """The short name of service ``sid`` (its id once it left the graph)."""
        return self._G.nodes[sid].get("short", sid) if sid in self._G else sid

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(_HEADERS):
            return _HEADERS[section]
        return None

    def evidence_html(self, row: int) -> str:
        """The quotes of the relation on ``row`` with their places, as rich text."""
        items = "".join(
            f"<li>“{html.escape(e['text'])}” <small>{html.escape(_where(e))}</small></li>"
            for e in self._evidence(row)
        )
        shown = self._rows[row].shown
        note = "" if shown else "<p style='margin:0'><i>Not shown yet: accept adds it.</i></p>"
        return f"{note}<ul style='margin:0'>{items}</ul>" if items else note


_KINDS = {
    "appeared": "now shown",
    "gone": "no longer shown",
    "stronger": "surer",
    "weaker": "less sure",
}
_LISTED = 12


def learned_words(changes) -> str:
    """ "This decision changed 3 other relations" (or that it changed none)."""
    n = len(changes)
    if not n:
        return "This decision changed no other relation."
    return f"This decision changed {n} other relation{'s' * (n != 1)}."


def learned_html(changes, name) -> str:
    """What a decision changed elsewhere, as rich text: the count, then the largest changes."""
    items = "".join(
        f"<li>{html.escape(name(c.source))} {html.escape(relation_label(c.relation))} "
        f"{html.escape(name(c.target))}: {_KINDS[c.kind]} "
        f"<small>({_confidence(c.before)} → {_confidence(c.after)})</small></li>"
        for c in list(changes)[:_LISTED]
    )
    more = len(changes) - _LISTED
    tail = f"<li>and {more} more</li>" if more > 0 else ""
    return f"<b>{html.escape(learned_words(changes))}</b><ul style='margin:0'>{items}{tail}</ul>"


def _confidence(value: float | None) -> str:
    return "not shown" if value is None else f"{value:.2f}"


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
        addRequested(str, str, str, str): add this relation not shown yet, with its quote
            (source, relation, target, quote).
    """

    edgeSelected = Signal(str, str, str)
    acceptRequested = Signal(str, str, str)
    rejectRequested = Signal(str, str, str)
    retagRequested = Signal(str, str, str, str)
    addRequested = Signal(str, str, str, str)

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
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
        self.learned = QLabel(self)
        self.learned.setWordWrap(True)
        self.learned.setTextFormat(Qt.TextFormat.RichText)
        self.learned.setAccessibleName("What the last decision changed")
        self.learned.hide()
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
        col.addWidget(self.learned)
        self._current: Edge | None = None
        self._decided_row: int | None = None
        self._update()
        if session is not None:
            session.changed.connect(self.show_changes)
            corrector = session.corrector
            self.acceptRequested.connect(corrector.confirm)
            self.rejectRequested.connect(corrector.hide)
            self.retagRequested.connect(corrector.retag)
            self.addRequested.connect(corrector.add)

    @Slot(object)
    def show_changes(self, changes: OpChanges) -> None:
        """A build or a correction: queue its graph; after a decision, what it taught."""
        if changes.graph:
            # keep=False for another folder: its queue starts afresh.
            self.set_graph(changes.result.graph, keep=not changes.folder, result=changes.result)
        if changes.corrections:
            self.show_learned(changes.learned)

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

    def set_graph(self, G: nx.MultiDiGraph | None, *, keep: bool = True, result=None) -> None:
        """Queue the relations of ``G``, keeping the current one, or moving on after a decision.

        Only a decision taken here moves the canvas to the next relation; a graph changed
        elsewhere (a rebuild, a correction in Details) leaves the window's selection alone.
        ``keep=False`` (another notes folder) starts the queue afresh. ``result`` is the build
        result ``G`` comes from: its scorer orders the queue (see :class:`ReviewModel`).
        """
        if not keep:
            self._current, self._decided_row = None, None
            self.show_learned(())
        row = self.table.currentIndex().row() if keep else -1
        follow = self._decided_row is not None
        self.model.set_graph(G, result)
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
        row = self._decided_row = self.table.currentIndex().row()
        doubt = self.model.doubt(row)
        if what == "accept" and not doubt.shown:
            self.addRequested.emit(*edge, doubt.quote)
        else:
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
        row = self._decided_row = self.table.currentIndex().row()
        doubt = self.model.doubt(row)
        if doubt.shown:
            self.retagRequested.emit(a, edge[1], b, new)
        else:
            # Not shown yet: another type for it is adding it with that type.
            self.addRequested.emit(a, new, b, doubt.quote)
        self._decided_row = None

    def show_learned(self, changes: tuple[EdgeChange, ...] | list[EdgeChange]) -> None:
        """Say what the last decision changed elsewhere through the folder's scorer."""
        self.learned.setText(learned_html(changes, self.model.name) if changes else "")
        self.learned.setVisible(bool(changes))

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
        below = sum(not self.model.doubt(r).shown for r in range(count))
        extra = f" ({below} not shown yet, just below the threshold: marked ·)" if below else ""
        self.summary.setText(
            f"{count} relations to review{extra}, least sure first. Each decision teaches "
            "the scorer of this folder. A accepts, R rejects, T changes the type; Ctrl+Z undoes."
            if count
            else "Nothing left to review: every relation is confirmed or corrected."
        )
