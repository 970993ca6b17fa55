"""Where one notes folder's state lives, and the layout step that belongs to it.

A notes folder has a build cache and a search index (user cache folder), a cached layout, and the
user's corrections and views (user data folder), all keyed by :func:`userdirs.folder_key`. The
:class:`Workspace` is the one place that knows these paths, so the app, the command line and the
exporters never compute a key of their own; and it runs the layout step (load the saved picture,
place newcomers, save) as part of the core's work, off the UI thread.

Examples
--------
>>> ws = Workspace(Path("/tmp/notes"))
>>> ws.index.parent == ws.cache and ws.corrections.suffix == ".json"
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx

from graph_data import userdirs

__all__ = ["Positions", "Workspace", "views_folder"]

Positions = Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class Workspace:
    """The state of one notes folder: where it lives, and its layout step."""

    notes: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", Path(self.notes).expanduser())

    @cached_property
    def key(self) -> str:
        """The folder's stable short name, which keys every file below."""
        return userdirs.folder_key(self.notes)

    @property
    def cache(self) -> Path:
        """The folder's cache folder: build cache, search index and lock (never in the notes)."""
        return userdirs.cache_dir() / self.key

    @property
    def build_cache(self) -> Path:
        """The per-file results of the last build."""
        return self.cache / "build-cache.json"

    @property
    def index(self) -> Path:
        """The Whoosh search index."""
        return self.cache / "index"

    @property
    def layout(self) -> Path:
        """The cached positions of the services on the canvas."""
        from graph_data.layout import layout_path

        return layout_path(self.key)

    @property
    def corrections(self) -> Path:
        """The user's corrections of the extraction (user data: never rebuilt)."""
        return userdirs.data_dir() / "corrections" / f"{self.key}.json"

    @property
    def examples(self) -> Path:
        """The labelled examples the user's review decisions made, kept with the corrections."""
        return userdirs.data_dir() / "corrections" / f"{self.key}.examples.json"

    @property
    def last_view(self) -> Path:
        """The view (filters, focus, query) shown when the folder was last closed."""
        return views_folder() / f"{self.key}.json"

    def saved_layout(self):
        """The cached layout (empty when there is none or it cannot be read)."""
        from graph_data.layout import load_positions

        return load_positions(self.key)

    def remember_layout(self, positions: Positions, pinned: set[str] | frozenset[str]) -> bool:
        """Cache the positions, so the next start shows the same picture at once.

        Only a cache: when it cannot be written, the layout is computed again next time, and
        False says so.
        """
        from graph_data.layout import save_positions

        with contextlib.suppress(OSError):
            save_positions(self.key, positions, pinned)
            return True
        return False

    def lay_out(
        self,
        graph: nx.Graph,
        *,
        initial: Positions | None = None,
        pinned: Positions | None = None,
        cancelled: Callable[[], bool] | None = None,
        saved=None,
    ) -> dict[str, tuple[float, float]]:
        """Positions for ``graph``: the saved picture, with newcomers placed, then saved.

        ``initial`` positions win over the saved ones; ``pinned`` ones (and the saved pins) stay
        where they are. When the saved picture already places every service it is kept as it is:
        running the forces again would only make it drift. Nothing is saved when ``cancelled()``
        turns true. ``saved`` is the cached layout when the caller has read it already.
        """
        from graph_data.layout import compute_layout

        saved = saved if saved is not None else self.saved_layout()
        start = {**saved.positions, **(initial or {})}
        fixed = {**saved.pinned_positions(), **(pinned or {})}
        fixed = {n: p for n, p in fixed.items() if n in graph}
        if graph.number_of_nodes() and all(n in start for n in graph):
            positions = {n: start[n] for n in graph}
        else:
            positions = compute_layout(graph, pinned=fixed, initial=start, should_stop=cancelled)
        if not (cancelled and cancelled()):
            self.remember_layout(positions, saved.pinned | set(pinned or ()))
        return positions


def views_folder() -> Path:
    """Where named views are saved by default (user data folder)."""
    return userdirs.data_dir() / "views"
