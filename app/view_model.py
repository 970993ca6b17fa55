"""What the window shows: relation filters, focus and depth, the search, the selection, the path.

The :class:`ViewModel` is the one owner of these. The toolbar, the canvas and the panels never
read each other's widgets: they change the view model and follow its signals. A named view is
its snapshot (:meth:`ViewModel.state`) and is put back with :meth:`ViewModel.restore`, which
emits each changed value's signal once and :attr:`ViewModel.shownChanged` once at the end, so
no widget needs its signals blocked while a view is restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx
from PySide6.QtCore import QObject, Signal, Slot

from app.settings import ViewState
from graph_data.graph import ego_graph
from graph_data.records import RELATIONS

__all__ = ["MAX_DEPTH", "ViewModel"]

#: The deepest neighbourhood a focus shows, in hops.
MAX_DEPTH = 3

# The order the signals of one change come in: the inputs, then what is shown, then the
# selection (selecting after showing keeps a focused service's selection on the fitted view).
_ORDER = (
    "relations",
    "minEvidence",
    "hideIsolated",
    "depth",
    "onlyResults",
    "query",
    "found",
    "focus",
    "shown",
    "selection",
    "path",
)
# The values whose change changes which services are shown ("found" only with onlyResults).
_SHOWN_BY = frozenset({"relations", "minEvidence", "hideIsolated", "depth", "onlyResults", "focus"})


class ViewModel(QObject):
    """The state of what is shown, with a typed signal for each part of it.

    Signals:
        relationsChanged(object): the tuple of relation types shown, in :data:`RELATIONS` order.
        minEvidenceChanged(int): the fewest statements a relation needs to be shown.
        hideIsolatedChanged(bool): whether services without a shown relation are hidden.
        depthChanged(int): the focus's neighbourhood, in hops (1 to :data:`MAX_DEPTH`).
        onlyResultsChanged(bool): whether only the services in the search results are shown.
        queryChanged(str): the search query (the search panel runs it).
        foundChanged(object): the frozenset of services the search results mention, or None
            when there are no results.
        focusChanged(object): the focused service id, or None for the whole graph.
        shownChanged(): which services are shown changed (a filter, the focus or its depth,
            or the results with "only results" on); once per change, once per restore.
        selectionChanged(object): the selected service id, or None.
        reselected(str): the selected service was selected again (a second click on it in
            the list, the same search result): whoever shows it brings it into view.
        pathChanged(object): the tuple of service ids of the path shown (empty for none).
        graphChanged(object): the graph shown was replaced (focus and selection already
            dropped when they left it).
    """

    relationsChanged = Signal(object)
    minEvidenceChanged = Signal(int)
    hideIsolatedChanged = Signal(bool)
    depthChanged = Signal(int)
    onlyResultsChanged = Signal(bool)
    queryChanged = Signal(str)
    foundChanged = Signal(object)
    focusChanged = Signal(object)
    shownChanged = Signal()
    selectionChanged = Signal(object)
    reselected = Signal(str)
    pathChanged = Signal(object)
    graphChanged = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._graph: nx.MultiDiGraph | None = None
        self._values: dict[str, Any] = {
            "relations": tuple(RELATIONS),
            "minEvidence": 1,
            "hideIsolated": True,
            "depth": 1,
            "onlyResults": False,
            "query": "",
            "found": None,
            "focus": None,
            "selection": None,
            "path": (),
        }
        self._steps: tuple = ()
        self._depth_of_batch = 0
        self._before: dict[str, Any] = {}
        self._shown_due = False
        self._shown_mode: bool | None = None

    # ------------------------------------------------------------------ reading

    @property
    def graph(self) -> nx.MultiDiGraph | None:
        """The graph shown, or None before the first build."""
        return self._graph

    @property
    def relations(self) -> tuple[str, ...]:
        """The relation types shown, in :data:`RELATIONS` order."""
        return self._values["relations"]

    @property
    def min_evidence(self) -> int:
        """The fewest statements a shown relation has."""
        return self._values["minEvidence"]

    @property
    def hide_isolated(self) -> bool:
        """Whether services without a shown relation are hidden."""
        return self._values["hideIsolated"]

    @property
    def depth(self) -> int:
        """How many hops around the focus are shown."""
        return self._values["depth"]

    @property
    def only_results(self) -> bool:
        """Whether only the services in the search results are shown."""
        return self._values["onlyResults"]

    @property
    def query(self) -> str:
        """The search query."""
        return self._values["query"]

    @property
    def found(self) -> frozenset[str] | None:
        """The services the search results mention, or None when there are no results."""
        return self._values["found"]

    @property
    def focus(self) -> str | None:
        """The focused service, or None for the whole graph."""
        return self._values["focus"]

    @property
    def selection(self) -> str | None:
        """The selected service, or None."""
        return self._values["selection"]

    @property
    def path(self) -> list[str]:
        """The service ids of the path shown, in order (empty for none)."""
        return list(self._values["path"])

    @property
    def path_steps(self) -> tuple:
        """The steps of the path shown (each with its evidence), as the core found them."""
        return self._steps

    def can_go_back(self) -> bool:
        """Whether there is a focus to leave (Back and the breadcrumb's first link)."""
        return self.focus is not None

    def names(self) -> dict[str, str]:
        """Short names of the services of the graph shown, by id."""
        if self._graph is None:
            return {}
        return {n: d.get("short", n) for n, d in self._graph.nodes(data=True)}

    def kept_services(self) -> set[str] | None:
        """The focus's neighbourhood and/or the services in the results; None for all.

        >>> vm = ViewModel()
        >>> vm.set_graph(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
        >>> vm.kept_services() is None
        True
        >>> vm.focus_on("a")
        True
        >>> sorted(vm.kept_services())
        ['a', 'b']
        """
        keep: set[str] | None = None
        G = self._graph
        if self.focus is not None and G is not None and self.focus in G:
            keep = set(ego_graph(G, self.focus, self.depth))
        if self.only_results and self.found is not None:
            keep = set(self.found) if keep is None else keep & self.found
        return keep

    def state(self) -> ViewState:
        """The snapshot a named view saves (the canvas adds its pinned positions)."""
        return ViewState(
            relations=self.relations,
            min_evidence=self.min_evidence,
            hide_isolated=self.hide_isolated,
            focus=self.focus,
            depth=self.depth,
            query=self.query,
            only_results=self.only_results,
        )

    # ------------------------------------------------------------------ changing

    def restore(self, state: ViewState) -> None:
        """Put back a snapshot: each changed signal once, then :attr:`shownChanged` once.

        A focus on a service the graph does not hold is dropped; ``state.pinned`` is the
        canvas's business.
        """
        with self._batch(shown=True):
            self.set_relations(state.relations)
            self.set_min_evidence(state.min_evidence)
            self.set_hide_isolated(state.hide_isolated)
            self.set_depth(state.depth)
            self.set_only_results(state.only_results)
            self.set_query(state.query)
            G = self._graph
            self._set("focus", state.focus if G is not None and state.focus in G else None)

    def set_graph(self, G: nx.MultiDiGraph | None, *, fresh: bool = False) -> None:
        """Show ``G``; ``fresh`` (another folder) also leaves the focus.

        The focus and selection are dropped when they leave the graph, the path always. No
        :attr:`shownChanged`: whoever draws a new graph draws what is shown with it.
        """
        with self._batch(shown=False):
            self._graph = G
            nodes = G if G is not None else ()
            if fresh or self.focus not in nodes:
                self._set("focus", None)
            if self.selection not in nodes:
                self._set("selection", None)
            # The path's steps carry the evidence of the graph they were found on.
            self._set_path((), ())
        self.graphChanged.emit(G)

    def set_relations(self, relations: Iterable[str]) -> None:
        """Show the relation types in ``relations`` (unknown ones are ignored)."""
        wanted = set(relations)
        with self._batch():
            self._set("relations", tuple(r for r in RELATIONS if r in wanted))

    def set_relation(self, relation: str, shown: bool) -> None:
        """Show or hide one relation type."""
        others = set(self.relations) - {relation}
        self.set_relations(others | {relation} if shown else others)

    @Slot(int)
    def set_min_evidence(self, n: int) -> None:
        """Hide relations stated fewer than ``n`` times (at least 1)."""
        with self._batch():
            self._set("minEvidence", max(1, int(n)))

    @Slot(bool)
    def set_hide_isolated(self, hide: bool) -> None:
        """Hide (or show) services without a shown relation."""
        with self._batch():
            self._set("hideIsolated", bool(hide))

    @Slot(int)
    def set_depth(self, depth: int) -> None:
        """Show ``depth`` hops around the focus (1 to :data:`MAX_DEPTH`)."""
        with self._batch():
            self._set("depth", min(MAX_DEPTH, max(1, int(depth))))

    @Slot(bool)
    def set_only_results(self, only: bool) -> None:
        """Show only the services the search results mention (or all)."""
        with self._batch():
            self._set("onlyResults", bool(only))

    @Slot(str)
    def set_query(self, query: str) -> None:
        """Change the search query (the search panel runs it and reports :meth:`set_found`)."""
        with self._batch():
            self._set("query", str(query))

    def set_found(self, services: Iterable[str] | None) -> None:
        """The services the latest search results mention, or None for no results."""
        with self._batch():
            found = None if services is None else frozenset(services)
            if self.only_results and found != self.found:
                self._shown_due = True
            self._set("found", found)

    @Slot(str)
    def focus_on(self, sid: str) -> bool:
        """Show only ``sid`` and its neighbours, and select it; False if not in the graph."""
        if self._graph is None or sid not in self._graph:
            return False
        with self._batch(shown=True):
            self._set("focus", sid)
            self.select(sid)
        return True

    @Slot()
    def back(self) -> None:
        """Leave the focus and show the whole graph again (nothing happens without a focus)."""
        if self.focus is None:
            return
        with self._batch():
            self._set("focus", None)

    @Slot(object)
    def select(self, sid: str | None) -> bool:
        """Select ``sid`` (None selects nothing) and leave the path; False if not in the graph."""
        if sid is not None and (self._graph is None or sid not in self._graph):
            return False
        # Only a request from outside is a repeat: inside a change (a focus, a restore, a
        # handler's echo) the selection's own signal, or its absence, says all.
        again = sid is not None and sid == self.selection and self._depth_of_batch == 0
        with self._batch():
            self._set("selection", sid)
            self._set_path((), ())
        if again:
            self.reselected.emit(sid)
        return True

    def set_path(self, start: str | None, steps: Sequence = ()) -> list[str]:
        """Show the path from ``start`` along ``steps`` (the core's); its service ids."""
        ids: list[str] = [start] if start is not None else []
        for step in steps:
            ids.append(step.target if step.source == ids[-1] else step.source)
        with self._batch():
            self._set_path(tuple(ids), tuple(steps))
        return ids

    @Slot()
    def clear_path(self) -> None:
        """Show no path."""
        self.set_path(None)

    # ------------------------------------------------------------------ signalling

    def _set(self, name: str, value: Any) -> None:
        self._values[name] = value

    def _set_path(self, ids: tuple[str, ...], steps: tuple) -> None:
        self._steps = steps
        self._set("path", ids)

    @contextmanager
    def _batch(self, shown: bool | None = None) -> Iterator[None]:
        """Gather the changes made inside; signal them once when the outermost batch ends.

        ``shown`` (of the outermost batch) forces (True) or holds back (False)
        :attr:`shownChanged`; None sends it when a value that decides what is shown changed.
        """
        outer = self._depth_of_batch == 0
        if outer:
            self._before = dict(self._values)
            self._shown_mode = shown
        elif shown:
            self._shown_due = True
        self._depth_of_batch += 1
        try:
            yield
        finally:
            self._depth_of_batch -= 1
            if outer:
                if self._shown_mode:
                    self._shown_due = True
                self._flush()

    def _flush(self) -> None:
        """Emit what changed in :data:`_ORDER`; a handler's own changes join the same round."""
        self._depth_of_batch += 1
        try:
            while True:
                name = next((n for n in _ORDER if self._pending(n)), None)
                if name is None:
                    break
                if name == "shown":
                    self._shown_due = False
                    if self._shown_mode is not False:
                        self.shownChanged.emit()
                    continue
                value = self._before[name] = self._values[name]
                if name in _SHOWN_BY:
                    self._shown_due = True
                getattr(self, f"{name}Changed").emit(value)
        finally:
            self._depth_of_batch -= 1
            self._shown_mode = None

    def _pending(self, name: str) -> bool:
        if name == "shown":
            return self._shown_due
        return self._values[name] != self._before[name]
