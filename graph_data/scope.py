"""What an export covers: a focus, a neighbourhood depth, relation types and a service set.

The app and the command line both describe the part of the graph to export as a :class:`Scope`
and cut it out with :func:`select`, so the two always export the same thing.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("sns", "sqs", key="integrates-with", relation="integrates-with", confidence=0.8)
'integrates-with'
>>> G.add_edge("kinesis", "sqs", key="alternative-to", relation="alternative-to", confidence=0.6)
'alternative-to'
>>> sorted(select(G, Scope(focus=("sns",), depth=2)))
['kinesis', 'sns', 'sqs']
>>> sorted(select(G, Scope(focus=("sns",), depth=2, relations=frozenset({"integrates-with"}))))
['sns', 'sqs']
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import networkx as nx

from graph_data.graph import filtered_view, neighbourhood
from graph_data.records import RELATIONS

__all__ = ["Scope", "ScopeError", "select"]


class ScopeError(ValueError):
    """A scope that cannot describe any part of a graph (negative depth, unknown relation)."""


@dataclass(frozen=True)
class Scope:
    """The part of the graph to export; the default scope is the whole graph.

    ``focus`` are the service ids to centre on (none: every service), ``depth`` the hops kept
    around them, ``relations`` the relation types kept (None: all), ``services`` a set the
    result is cut down to (e.g. the services of a search; None: no cut) and ``min_confidence``
    the weakest relation kept.

    Examples
    --------
    >>> Scope(focus=["s3"], relations={"replaces"}).relations
    frozenset({'replaces'})
    >>> Scope(depth=-1)
    Traceback (most recent call last):
    ...
    graph_data.scope.ScopeError: depth must be 0 or more, not -1
    """

    focus: tuple[str, ...] = ()
    depth: int = 1
    relations: frozenset[str] | None = None
    services: frozenset[str] | None = None
    min_confidence: float = 0

    def __post_init__(self) -> None:
        # Callers (the app's dialogs) often hold lists and sets; keep the record hashable anyway.
        object.__setattr__(self, "focus", tuple(self.focus))
        if self.relations is not None:
            object.__setattr__(self, "relations", frozenset(self.relations))
        if self.services is not None:
            object.__setattr__(self, "services", frozenset(self.services))
        if self.depth < 0:
            raise ScopeError(f"depth must be 0 or more, not {self.depth}")
        if not 0 <= self.min_confidence <= 1:
            raise ScopeError(f"min_confidence must lie in 0..1, not {self.min_confidence}")
        unknown = (self.relations or frozenset()) - set(RELATIONS)
        if unknown:
            raise ScopeError(f"unknown relation {', '.join(sorted(unknown))}")


def select(G: nx.MultiDiGraph, scope: Scope) -> nx.MultiDiGraph:
    """The subgraph of ``G`` that ``scope`` describes, as an independent copy.

    Relations are filtered first (type and confidence), then the focus services' neighbourhood
    is taken to ``scope.depth`` hops over the remaining relations, edges counted both ways, and
    last the result is cut down to ``scope.services``. Node, edge and graph attributes are deep
    copies, so editing the result leaves ``G`` alone.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The knowledge graph (edges keyed by relation, with a ``relation`` attribute).
    scope : Scope
        What to keep.

    Returns
    -------
    nx.MultiDiGraph

    Raises
    ------
    networkx.NodeNotFound
        When a focus id is not a node of ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("identity-center", "sso", key="replaces", relation="replaces", confidence=0.9)
    'replaces'
    >>> G.add_edge("lambda", "sqs", key="uses", relation="integrates-with", confidence=0.3)
    'uses'
    >>> sorted(select(G, Scope(focus=("sso",), depth=1)))
    ['identity-center', 'sso']
    >>> sorted(select(G, Scope(services=frozenset({"lambda", "sqs", "ec2"}))))
    ['lambda', 'sqs']
    >>> select(G, Scope(min_confidence=0.5)).number_of_edges()
    1
    >>> select(G, Scope(focus=("nope",)))
    Traceback (most recent call last):
    ...
    networkx.exception.NodeNotFound: focus service 'nope' is not in the graph
    """
    for service in scope.focus:
        if service not in G:
            raise nx.NodeNotFound(f"focus service {service!r} is not in the graph")
    # The one filter the canvas and the command line use too.
    H = filtered_view(G, relations=scope.relations, min_confidence=scope.min_confidence)
    keep: set[str] = set(H) if not scope.focus else neighbourhood(H, scope.focus, scope.depth)
    if scope.services is not None:
        keep &= scope.services
    return _copy_subgraph(H, keep)


def _copy_subgraph(H: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph(**copy.deepcopy(H.graph))
    out.add_nodes_from((n, copy.deepcopy(d)) for n, d in H.nodes(data=True) if n in keep)
    out.add_edges_from(
        (u, v, k, copy.deepcopy(d))
        for u, v, k, d in H.edges(keys=True, data=True)
        if u in keep and v in keep
    )
    return out
