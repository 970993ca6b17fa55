"""Item models: thin adapters over the core's graph, search results and relations.

They hold no data of their own beyond a reference to what the core produced, so a view
refreshes by handing its model the new core object.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from graph_data.graph import by_degree, edge_relations
from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES, category_color, relation_label

__all__ = [
    "COL_MENTIONS",
    "COL_NAME",
    "COL_RELATIONS",
    "REL_COL_TEXT",
    "REL_COL_WHERE",
    "EvidenceRole",
    "HitRole",
    "RelationGroup",
    "RelationRole",
    "RelationsModel",
    "SearchResultsModel",
    "ServiceIdRole",
    "ServicesModel",
    "SnippetHtmlRole",
    "SortRole",
    "TwoLevelModel",
]

COL_NAME, COL_MENTIONS, COL_RELATIONS = range(3)
REL_COL_TEXT, REL_COL_WHERE = range(2)

ServiceIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
HitRole = Qt.ItemDataRole.UserRole + 3
SnippetHtmlRole = Qt.ItemDataRole.UserRole + 4
EvidenceRole = Qt.ItemDataRole.UserRole + 5
RelationRole = Qt.ItemDataRole.UserRole + 6

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOP = 0  # internalId of a category row; a service row stores its category's row + 1
_SERVICE_HEADERS = ("Service", "Mentions", "Relations")
_RELATION_HEADERS = ("Relation and evidence", "Where")


class TwoLevelModel(QAbstractItemModel):
    """A tree of top rows with one level of children; a child's internalId is its parent row + 1.

    Subclasses say how many top rows and children there are; index, parent and rowCount follow.
    """

    def _top_count(self) -> int:
        raise NotImplementedError

    def _child_count(self, row: int) -> int:
        raise NotImplementedError

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
            return self._top_count()
        if parent.internalId() == _TOP and parent.column() == 0:
            return self._child_count(parent.row())
        return 0


class ServicesModel(TwoLevelModel):
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

    def _top_count(self) -> int:
        return len(self._categories)

    def _child_count(self, row: int) -> int:
        return len(self._rows[self._categories[row]])

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
            # Called by its name; the category (its heading) says where it belongs.
            name = hit.title or hit.subject or ""
            return f"Service: {name} · {hit.heading}" if hit.heading else f"Service: {name}"
        where = f"{hit.file}:{hit.line}"
        return f"{where} · {hit.heading}" if hit.heading else where

    def _html(self, hit) -> str:
        import html

        names = ", ".join(self._names.get(s, s) for s in hit.services[:6])
        tail = f"<br><small style='color:gray'>{html.escape(names)}</small>" if names else ""
        return f"<b>{html.escape(self._where(hit))}</b><br>{hit.snippet_html}{tail}"


@dataclass(frozen=True, slots=True)
class RelationGroup:
    """One relation to ``other`` (or one hop of a path) and all the evidence that states it."""

    relation: str
    label: str
    other: str
    other_label: str
    evidence: tuple[Evidence, ...]
    #: The edge as stored (``source relation target``), so a correction can name it.
    source: str = ""
    target: str = ""
    #: "added by you" or "confirmed by you" for edges the user decided on, else "".
    note: str = ""


class RelationsModel(TwoLevelModel):
    """The relations of one service (or the hops of a path) as groups with their evidence.

    Top-level rows are relations ("integrates with · ALB"); their children are the pieces of
    evidence (quote, file:line).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[RelationGroup] = []
        self._path: tuple[str, ...] = ()

    def set_service(self, G, sid: str | None) -> None:
        """Show the relations of ``sid`` in ``G`` grouped by type (or nothing for None)."""
        groups: list[RelationGroup] = []
        if G is not None and sid is not None and sid in G:
            for r in edge_relations(G, sid):
                other = r.target if r.source == sid else r.source
                label = relation_label(r.relation)
                if r.relation == "replaces":
                    label = "replaces" if r.source == sid else "replaced by"
                short = G.nodes[other]["short"]
                note = _user_note(G[r.source][r.target][r.relation])
                groups.append(
                    RelationGroup(
                        r.relation, label, other, short, r.evidence, r.source, r.target, note
                    )
                )
        self._reset(groups)

    def set_path(self, G, steps, start: str | None = None) -> None:
        """Show the hops of a path (``graph_data.graph.PathStep`` records) in order from ``start``.

        A step keeps the orientation its relation is stored in, so each hop is turned to read
        from the path's previous service to its next; without ``start`` it is inferred.
        """
        path = _walk(steps, start)
        groups = []
        for s, (a, b) in zip(steps, pairwise(path), strict=True):
            label = relation_label(s.relation)
            if s.relation == "replaces" and a != s.source:
                label = "replaced by"
            groups.append(
                RelationGroup(
                    s.relation,
                    label,
                    b,
                    f"{G.nodes[a]['short']} → {G.nodes[b]['short']}",
                    s.evidence,
                    *_stored(G, s.source, s.relation, s.target),
                )
            )
        self._reset(groups, path)

    def path(self) -> tuple[str, ...]:
        """The services of the path shown, from its start to its end (empty for a service)."""
        return self._path

    def _reset(self, groups: list[RelationGroup], path: tuple[str, ...] = ()) -> None:
        self.beginResetModel()
        self._groups = groups
        self._path = path
        self.endResetModel()

    def group(self, row: int) -> RelationGroup:
        """The relation on top-level ``row``."""
        return self._groups[row]

    def _top_count(self) -> int:
        return len(self._groups)

    def _child_count(self, row: int) -> int:
        return len(self._groups[row].evidence)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return len(_RELATION_HEADERS)

    def data(self, index: Index, role: int = _DISPLAY):
        """Override QAbstractItemModel::data."""
        if not index.isValid():
            return None
        top = index.internalId() == _TOP
        group = self._groups[index.row() if top else index.internalId() - 1]
        if role == ServiceIdRole:
            return group.other
        if role == RelationRole:
            return group.relation
        if top:
            return self._group_data(group, index.column(), role)
        ev = group.evidence[index.row()]
        if role == EvidenceRole:
            return ev
        where = ev.where
        if role == _DISPLAY:
            return f"“{ev.text}”" if index.column() == REL_COL_TEXT else where
        if role == SortRole:
            return ev.text if index.column() == REL_COL_TEXT else (ev.file, ev.line)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{where}\n{ev.text}\n(click to read it in the note)"
        return None

    def _group_data(self, group: RelationGroup, column: int, role: int):
        if role == _DISPLAY:
            if column == REL_COL_TEXT:
                note = f" ({group.note})" if group.note else ""
                return f"{group.label} · {group.other_label}{note}"
            return f"{len(group.evidence)} quotes" if len(group.evidence) != 1 else "1 quote"
        if role == SortRole:
            return (RELATIONS.index(group.relation), group.other_label.lower())
        if role == Qt.ItemDataRole.ForegroundRole and column == REL_COL_TEXT:
            return QColor(RELATION_STYLES[group.relation].color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{group.label} {group.other_label} (click to select it)"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == _DISPLAY and 0 <= section < len(_RELATION_HEADERS):
            return _RELATION_HEADERS[section]
        return None


def _user_note(data: dict) -> str:
    if data.get("manual"):
        return "added by you"
    was = data.get("retagged_from")
    if was:
        return (
            f"changed by you (was {relation_label(was)})"
            if was != data.get("relation")
            else ("turned round by you")
        )
    return "confirmed by you" if data.get("confirmed") else ""


def _walk(steps, start: str | None) -> tuple[str, ...]:
    """The services of a path in order: each step continues from where the previous one ended."""
    if not steps:
        return ()
    first = steps[0]
    if start is None:
        # The start is the end of the first hop that the second hop does not touch.
        after = {steps[1].source, steps[1].target} if len(steps) > 1 else set()
        start = first.target if first.source in after else first.source
    ids = [start]
    for s in steps:
        ids.append(s.target if s.source == ids[-1] else s.source)
    return tuple(ids)


def _stored(G, a: str, relation: str, b: str) -> tuple[str, str, str]:
    """A path hop as stored in ``G`` (undirected relations keep one orientation), and its note."""
    u, v = (a, b) if G.has_edge(a, b, relation) else (b, a)
    return u, v, _user_note(G[u][v][relation]) if G.has_edge(u, v, relation) else ""
