"""Item models: thin adapters over the core's graph and search results (no data of their own)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from graph_data.graph import by_degree

__all__ = [
    "COL_MENTIONS",
    "COL_NAME",
    "COL_RELATIONS",
    "HitRole",
    "SearchResultsModel",
    "ServiceIdRole",
    "ServiceTreeModel",
    "SortRole",
]

COL_NAME, COL_MENTIONS, COL_RELATIONS = range(3)
ServiceIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
HitRole = Qt.ItemDataRole.UserRole + 3

_HEADERS = {COL_NAME: "Service", COL_MENTIONS: "Mentions", COL_RELATIONS: "Relations"}
_TOP = 0  # internalId of category rows; a service row stores its category row + 1

Index = QModelIndex | QPersistentModelIndex


class ServiceTreeModel(QAbstractItemModel):
    """The services of a graph grouped by category, with mention and relation counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._categories: list[str] = []
        self._rows: dict[str, list[tuple[str, str, int, int]]] = {}

    def set_graph(self, G) -> None:
        """Show the services of ``G`` (a networkx graph from the core)."""
        self.beginResetModel()
        degree = dict(by_degree(G))
        rows: dict[str, list[tuple[str, str, int, int]]] = {}
        for sid, d in G.nodes(data=True):
            if d.get("mentions", 0) or degree.get(sid):
                rows.setdefault(d.get("category", "Other"), []).append(
                    (sid, d.get("short", sid), d.get("mentions", 0), degree.get(sid, 0))
                )
        for items in rows.values():
            items.sort(key=lambda r: (-r[2], r[1].lower()))
        self._categories = sorted(rows)
        self._rows = rows
        self.endResetModel()

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
        return len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::data."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            cat = self._categories[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, SortRole):
                return (
                    {
                        COL_NAME: cat,
                        COL_MENTIONS: sum(r[2] for r in self._rows[cat]),
                        COL_RELATIONS: len(self._rows[cat]),
                    }[index.column()]
                    if (role == SortRole or index.column() == COL_NAME)
                    else None
                )
            return None
        sid, short, mentions, degree = self._rows[self._categories[index.internalId() - 1]][
            index.row()
        ]
        if role == Qt.ItemDataRole.DisplayRole:
            return {COL_NAME: short, COL_MENTIONS: str(mentions), COL_RELATIONS: str(degree)}[
                index.column()
            ]
        if role == SortRole:
            return {COL_NAME: short.lower(), COL_MENTIONS: mentions, COL_RELATIONS: degree}[
                index.column()
            ]
        if role == ServiceIdRole:
            return sid
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != COL_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        """Override QAbstractItemModel::headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS.get(section)
        return None


class SearchResultsModel(QAbstractListModel):
    """One row per search hit: where it is, and the snippet with matches marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple = ()

    def set_results(self, results) -> None:
        """Show the hits of a :class:`graph_data.search.SearchResults` (or clear with None)."""
        self.beginResetModel()
        self._hits = results.hits if results is not None else ()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            where = f"{hit.file}:{hit.line}" if hit.kind == "passage" else "service"
            snippet = hit.snippet.replace("[[", "").replace("]]", "")
            return f"{where}  {hit.heading}\n{snippet[:160]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet_html
        if role == HitRole:
            return hit
        return None
