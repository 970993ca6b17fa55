"""What the window's filters leave of the graph: services, relations and who neighbours whom.

Pure over the graph (no items): the scene keeps one :class:`Filters` and draws what it leaves.

>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="replaces", relation="replaces", evidence=[{}])
'replaces'
>>> G.add_node("c")
>>> nodes, edges, adj = Filters(hide_isolated=True).apply(G, set(G))
>>> sorted(nodes), edges, adj
(['a', 'b'], [('a', 'b', 'replaces')], {'a': {'b'}, 'b': {'a'}})
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from app.canvas.edges import EdgeKey
from graph_data.graph import filtered_view
from graph_data.records import RELATIONS

__all__ = ["Filters"]


@dataclass(slots=True)
class Filters:
    """The visibility settings: relation types, least evidence, isolated services, a subset."""

    relations: set[str] = field(default_factory=lambda: set(RELATIONS))
    min_evidence: int = 0
    hide_isolated: bool = False
    #: Only these services (None: all).
    only: set[str] | None = None

    def edges(self, G: nx.MultiDiGraph, nodes: set[str]) -> list[EdgeKey]:
        """The edges between ``nodes`` that pass the relation-type and evidence filters."""
        view = filtered_view(
            G, relations=self.relations, services=nodes, min_evidence=self.min_evidence
        )
        return [
            (u, v, data.get("relation", key))
            for u, v, key, data in view.edges(keys=True, data=True)
            if u != v
        ]

    def apply(
        self, G: nx.MultiDiGraph, services: set[str]
    ) -> tuple[set[str], list[EdgeKey], dict[str, set[str]]]:
        """The visible services (of ``services``), their visible edges and neighbours."""
        nodes = set(services) if self.only is None else self.only & services
        edges = self.edges(G, nodes)
        adj: dict[str, set[str]] = defaultdict(set)
        for u, v, _ in edges:
            adj[u].add(v)
            adj[v].add(u)
        if self.hide_isolated:
            nodes = {n for n in nodes if adj.get(n)}
        return nodes, edges, dict(adj)

    def filtered_graph(self, G: nx.MultiDiGraph, services: set[str]) -> nx.MultiDiGraph:
        """What the relation-type and evidence filters leave of ``services`` (subset aside).

        Services left without a relation are dropped when isolated services are hidden.
        """
        H = nx.MultiDiGraph()
        H.add_edges_from((u, v, r) for u, v, r in self.edges(G, services))
        if not self.hide_isolated:
            H.add_nodes_from(services)
        return H

    def shows_all(self) -> bool:
        """Whether the relation-type and evidence filters hide nothing."""
        return set(RELATIONS) <= set(self.relations) and self.min_evidence <= 1
