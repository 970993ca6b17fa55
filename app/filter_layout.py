"""Layouts of what a filter leaves: computed off the UI thread, seeded, kept for the session.

A relation-type or evidence filter hides edges, and the services that stay keep the places the
whole graph gave them: the picture is a knot with holes. This lays the filtered graph out on its
own (the same seeded layout as the whole graph, pins kept) and hands the positions back to the
UI thread; the canvas then moves the services there.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import networkx as nx
from PySide6.QtCore import QObject, Qt, Signal, Slot

from graph_data.layout import compute_layout

__all__ = ["FilterLayouts"]

Positions = dict[str, tuple[float, float]]
#: How many filtered layouts are kept (a student flips through a few filter settings).
CACHE_SIZE = 16


class FilterLayouts(QObject):
    """One worker thread that lays out filtered graphs, newest request wins.

    Signals:
        ready(int, object): the layout of request number ``int``, as ``{service: (x, y)}``.
    """

    ready = Signal(int, object)
    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="filter-layout")
        self._cache: OrderedDict[tuple, Positions] = OrderedDict()
        self._latest = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def clear(self) -> None:
        """Forget every layout (the graph changed)."""
        self._cache.clear()
        self._latest += 1

    def request(self, G: nx.Graph, pinned: Positions) -> int:
        """Ask for the layout of ``G`` with ``pinned`` services kept in place; its number."""
        self._latest += 1
        number = self._latest
        key = (frozenset(G.nodes), frozenset(G.edges(keys=True)), tuple(sorted(pinned.items())))
        if key in self._cache:
            self._cache.move_to_end(key)
            self._finished.emit(number, key, self._cache[key])
            return number
        future = self._pool.submit(compute_layout, G, pinned=pinned or None)
        future.add_done_callback(lambda f: self._finished.emit(number, key, _result(f)))
        return number

    @Slot(int, object, object)
    def _deliver(self, number: int, key: tuple, positions: Positions | None) -> None:
        if positions is None:
            return  # the layout failed: the services keep their places
        self._cache[key] = positions
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        if number == self._latest:
            self.ready.emit(number, positions)

    def shutdown(self) -> None:
        """Stop the worker (the window closes); a layout still running is dropped."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _result(future: Future) -> Positions | None:
    try:
        return future.result()
    except Exception:  # a failed layout only means no move, never a traceback
        return None
