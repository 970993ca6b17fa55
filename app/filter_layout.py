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

from app.canvas import GraphCanvas
from graph_data.layout import compute_layout

__all__ = ["CACHE_SIZE", "FilterLayouts", "FilteredPlaces"]

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


class FilteredPlaces(QObject):
    """Keeps the canvas's services where the filters want them.

    With every relation shown, the whole graph's layout (the build's, pins kept); under a
    relation-type or evidence filter, the filtered graph's own layout from
    :class:`FilterLayouts`. What is remembered for the folder is always the whole layout.

    Signals:
        none: the services move on the canvas, which reports ``moved``.
    """

    def __init__(self, canvas: GraphCanvas, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.layouts = FilterLayouts(self)
        self.layouts.ready.connect(self._ready)
        #: Where the last build put each service.
        self.build_positions: Positions = {}
        self._laid_out_for: tuple | None = None

    def new_graph(self, build_positions: Positions | None = None) -> None:
        """The canvas drew another graph (with the build's positions, after a build)."""
        if build_positions is not None:
            self.build_positions = dict(build_positions)
        self.layouts.clear()
        self._laid_out_for = None

    def update(self, settings: tuple) -> None:
        """Lay out what the filters ``settings`` leave; all of it: the saved layout."""
        if settings == self._laid_out_for:
            return
        first = self._laid_out_for is None
        self._laid_out_for = settings
        canvas = self.canvas
        if canvas.filters_all():
            if not first:
                here = canvas.positions()
                pins = {n: here[n] for n in canvas.pinned_services() if n in here}
                back = {**self.build_positions, **pins}
                canvas.move_services({n: p for n, p in back.items() if n in here})
            return
        H = canvas.filtered_graph()
        here = canvas.positions()
        pinned = {n: here[n] for n in canvas.pinned_services() if n in H}
        self.layouts.request(H, pinned)

    def whole_positions(self) -> Positions:
        """Where the whole graph puts each service: a filter's own layout is never saved."""
        here = self.canvas.positions()
        if self.canvas.filters_all():
            return here
        pins = {n: here[n] for n in self.canvas.pinned_services() if n in here}
        return {**here, **self.build_positions, **pins}

    def shutdown(self) -> None:
        """Stop the layout worker (the window closes)."""
        self.layouts.shutdown()

    @Slot(int, object)
    def _ready(self, _number: int, positions: dict) -> None:
        if self.canvas.item_for is not None and not self.canvas.filters_all():
            here = self.canvas.positions()
            self.canvas.move_services({n: p for n, p in positions.items() if n in here})


def _result(future: Future) -> Positions | None:
    try:
        return future.result()
    except Exception:  # a failed layout only means no move, never a traceback
        return None
