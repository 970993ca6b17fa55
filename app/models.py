"""Item models: thin adapters over the core's graph, search results and relations.

They hold no data of their own beyond a reference to what the core produced, so a view
refreshes by handing its model the new core object.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from graph_data.graph import by_degree, edge_relations
from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES, category_color

__all__ = [
    "COL_MENTIONS",
    "COL_NAME",
    "COL_RELATIONS",
    "REL_COL_QUOTE",
    "REL_COL_RELATION",
    "REL_COL_SERVICE",
    "REL_COL_WHERE",
    "EvidenceRole",
    "HitRole",
    "RelationRow",
    "RelationsModel",
    "SearchResultsModel",
    "ServiceIdRole",
    "ServicesModel",
    "SnippetHtmlRole",
    "SortRole",
]

COL_NAME, COL_MENTIONS, COL_RELATIONS = range(3)
REL_COL_RELATION, REL_COL_SERVICE, REL_COL_QUOTE, REL_COL_WHERE = range(4)

ServiceIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
HitRole = Qt.ItemDataRole.UserRole + 3
SnippetHtmlRole = Qt.ItemDataRole.UserRole + 4
EvidenceRole = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOP = 0  # internalId of a category row; a service row stores its category's row + 1
_SERVICE_HEADERS = ("Service", "Mentions", "Relations")
_RELATION_HEADERS = ("Relation", "Service", "Evidence", "Where")


class ServicesModel(QAbstractItemModel):
    """The services of a graph grouped by category, with mention and relation counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._categories: list[str] = []
        self._rows: dict[str, list[tuple[str, str, int, int]]] = {}

    def set_graph(self, G) -> None:
        """Show the services of ``G`` (a networkx graph from the core), or none for None."""
        self.beginResetModel()
        rows: dict[str, list[tuple[str, str, int, int]]] = {}
        if G is not None:
            degree = dict(by_degree(G))
            for sid, d in G.nodes(data=True):
                row = (sid, d.get("short", sid), d.get("mentions", 0), degree.get(sid, 0))
                rows.setdefault(d.get("category") or "Other", []).append(row)
        for items in rows.values():
            items.sort(key=lambda r: (-r[2], r[1].lower()))
        self._categories = sorted(rows)
        self._rows = rows
        self.endResetModel()

    def service_ids(self) -> list[str]:
        """Every listed service id, category by category."""
        return [r[0] for c in self._categories for r in self._rows[c]]

    def index_of(self, sid: str) -> QModelIndex:
        """The index of a service's row, or an invalid index."""
        for c, cat in enumerate(self._categories):
            for r, row in enumerate(self._rows[cat]):
                if row[0] == sid:
                    return self.createIndex(r, 0, c + 1)
        return QModelIndex()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        """Override QAbstractItemModel::index."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        """Override QAbstractItemModel::parent."""
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        if not parent.isValid():
            return len(self._categories)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._rows[self._categories[parent.row()]])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return len(_SERVICE_HEADERS)

    def data(self, index: Index, role: int = _DISPLAY):
        """Override QAbstractItemModel::data."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._category_data(index, role)
        sid, short, mentions, degree = self._rows[self._categories[index.internalId() - 1]][
            index.row()
        ]
        values = (short, mentions, degree)
        if role == _DISPLAY:
            return str(values[index.column()])
        if role == SortRole:
            return short.lower() if index.column() == COL_NAME else values[index.column()]
        if role == ServiceIdRole:
            return sid
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{short}: {mentions} mentions, {degree} relations"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != COL_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _category_data(self, index: Index, role: int):
        cat = self._categories[index.row()]
        rows = self._rows[cat]
        values = (cat, sum(r[2] for r in rows), len(rows))
        if role == _DISPLAY:
            return f"{cat} ({len(rows)})" if index.column() == COL_NAME else None
        if role == SortRole:
            return cat.lower() if index.column() == COL_NAME else values[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COL_NAME:
            return QColor(category_color(cat))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(_SERVICE_HEADERS):
            return _SERVICE_HEADERS[section]
        return None


class SearchResultsModel(QAbstractListModel):
    """One row per search hit: where it is, and its snippet (plain and with matches marked)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple = ()
        self._names: dict[str, str] = {}

    def set_results(self, results, names: dict[str, str] | None = None) -> None:
        """Show the hits of a ``SearchResults`` (or nothing for None); ``names`` maps id→short."""
        self.beginResetModel()
        self._hits = tuple(results.hits) if results is not None else ()
        self._names = dict(names or {})
        self.endResetModel()

    def hit(self, row: int):
        """The hit on ``row``."""
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = _DISPLAY):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == _DISPLAY:
            snippet = hit.snippet.replace("[[", "").replace("]]", "")
            return f"{self._where(hit)}\n{snippet}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._where(hit)}: {hit.snippet}"
        if role == SnippetHtmlRole:
            return self._html(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            names = ", ".join(self._names.get(s, s) for s in hit.services)
            return f"{self._where(hit)}\nServices: {names or 'none'}"
        if role == HitRole:
            return hit
        return None

    def _where(self, hit) -> str:
        if hit.kind != "passage":
            return f"Service: {hit.heading or hit.subject or ''}"
        where = f"{hit.file}:{hit.line}"
        return f"{where} · {hit.heading}" if hit.heading else where

    def _html(self, hit) -> str:
        import html

        names = ", ".join(self._names.get(s, s) for s in hit.services[:6])
        tail = f"<br><small style='color:gray'>{html.escape(names)}</small>" if names else ""
        return f"<b>{html.escape(self._where(hit))}</b><br>{hit.snippet_html}{tail}"


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One row of the relations table: a relation to ``other`` and one piece of its evidence."""

    relation: str
    label: str
    other: str
    other_label: str
    evidence: Evidence | None


class RelationsModel(QAbstractTableModel):
    """The relations of one service (or the hops of a path), one row per piece of evidence."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RelationRow] = []

    def set_service(self, G, sid: str | None) -> None:
        """Show the relations of ``sid`` in ``G`` grouped by type (or nothing for None)."""
        rows: list[RelationRow] = []
        if G is not None and sid is not None and sid in G:
            for r in edge_relations(G, sid):
                other = r.target if r.source == sid else r.source
                label = RELATION_STYLES[r.relation].label.split(" (")[0]
                if r.relation == "replaces":
                    label = "replaces" if r.source == sid else "replaced by"
                rows += _rows_for(r.relation, label, other, G.nodes[other]["short"], r.evidence)
        self._reset(rows)

    def set_path(self, G, steps) -> None:
        """Show the hops of a path (``graph_data.graph.PathStep`` records) in order."""
        rows: list[RelationRow] = []
        for s in steps:
            text = f"{G.nodes[s.source]['short']} → {G.nodes[s.target]['short']}"
            label = RELATION_STYLES[s.relation].label.split(" (")[0]
            rows += _rows_for(s.relation, label, s.target, text, s.evidence)
        self._reset(rows)

    def _reset(self, rows: list[RelationRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_data(self, row: int) -> RelationRow:
        """The record behind ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return 0 if parent.isValid() else len(_RELATION_HEADERS)

    def data(self, index: Index, role: int = _DISPLAY):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY and col in (REL_COL_RELATION, REL_COL_SERVICE) and self._repeat(index):
            return ""  # the group's first row names it; repeating it on every row is noise
        if role in (_DISPLAY, SortRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, col, role)
        if role == ServiceIdRole:
            return row.other
        if role == EvidenceRole:
            return row.evidence
        if role == Qt.ItemDataRole.ForegroundRole and col == REL_COL_RELATION:
            return QColor(RELATION_STYLES[row.relation].color)
        return None

    def _repeat(self, index: Index) -> bool:
        if index.row() == 0:
            return False
        this, before = self._rows[index.row()], self._rows[index.row() - 1]
        return (this.relation, this.label, this.other) == (
            before.relation,
            before.label,
            before.other,
        )

    def _text(self, row: RelationRow, col: int, role: int):
        ev = row.evidence
        if col == REL_COL_RELATION:
            return RELATIONS.index(row.relation) if role == SortRole else row.label
        if col == REL_COL_SERVICE:
            return row.other_label
        if col == REL_COL_WHERE:
            if ev is None:
                return ""
            return f"{ev.file}:{ev.line}" if ev.line else "your correction"
        if ev is None:
            return "(no quoted evidence)"
        return f"“{ev.text}”" if role != SortRole else ev.text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(_RELATION_HEADERS):
            return _RELATION_HEADERS[section]
        return None


def _rows_for(relation, label, other, other_label, evidence) -> list[RelationRow]:
    if not evidence:
        return [RelationRow(relation, label, other, other_label, None)]
    return [RelationRow(relation, label, other, other_label, e) for e in evidence]
