"""The knowledge graph: services as nodes, typed relations with evidence as edges (networkx).

The graph is a ``networkx.MultiDiGraph`` whose edge keys are relation names. ``replaces`` edges
run from the successor to the retired service; the two undirected relations are stored once, from
the smaller id to the larger. The functions here take the graph first, networkx style.

Examples
--------
>>> from graph_data.records import Relation, Evidence, Service
>>> svc = [Service("sqs", "Amazon SQS", "SQS", (), "Application Integration"),
...        Service("sns", "Amazon SNS", "SNS", (), "Application Integration")]
>>> ev = Evidence("n.md", 3, "SNS fans out to SQS", "fan out", 0.8)
>>> G = build_graph(svc, [Relation("sns", "integrates-with", "sqs", (ev,), 0.8)])
>>> neighbors(G, "sqs")
['sns']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import networkx as nx

from graph_data.records import RELATIONS, Evidence, Relation, Service

__all__ = [
    "SCHEMA",
    "PathStep",
    "ServiceNotFound",
    "build_graph",
    "by_degree",
    "degrees",
    "edge_relations",
    "ego_graph",
    "filter_graph",
    "filtered_view",
    "from_node_link",
    "neighbors",
    "neighbourhood",
    "shortest_path",
    "to_node_link",
]

#: Version of the node-link JSON layout written by :func:`to_node_link`.
SCHEMA = 1


class ServiceNotFound(nx.NodeNotFound):
    """A service id that is not a node of the graph."""


@dataclass(frozen=True, slots=True)
class PathStep:
    """One hop of a path: the relation joining ``source`` to ``target`` and its evidence."""

    source: str
    relation: str
    target: str
    evidence: tuple[Evidence, ...]
    confidence: float


def build_graph(
    services: Iterable[Service] | Mapping[str, Service],
    relations: Iterable[Relation],
    mentions: Mapping[str, tuple[int, Iterable[str]]] | None = None,
    *,
    notes: str = "",
    built: str | None = None,
) -> nx.MultiDiGraph:
    """A graph of the mentioned services and every relation's endpoints.

    ``services`` is the catalog (records or a mapping id -> record); ``mentions`` maps a service id
    to its mention count and the files it appears in. Services neither mentioned nor related are
    left out.
    """
    catalog = services if isinstance(services, Mapping) else {s.id: s for s in services}
    relations = list(relations)
    mentions = mentions or {}
    G = nx.MultiDiGraph(notes=str(notes), built=built or _now(), schema=SCHEMA)
    wanted = set(mentions) | {r.source for r in relations} | {r.target for r in relations}
    for sid in sorted(wanted):
        if sid in catalog:
            count, files = mentions.get(sid, (0, ()))
            _add_service(G, catalog[sid], count, sorted(set(files)))
    for r in relations:
        if r.source in G and r.target in G:
            G.add_edge(
                r.source,
                r.target,
                key=r.relation,
                relation=r.relation,
                evidence=[{"file": e.file, "line": e.line, "text": e.text} for e in r.evidence],
                confidence=r.confidence,
            )
    return G


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _add_service(G: nx.MultiDiGraph, s: Service, count: int, files: list[str]) -> None:
    G.add_node(
        s.id,
        name=s.name,
        short=s.short,
        aliases=list(s.aliases),
        category=s.category,
        parent=s.parent,
        description=s.description,
        mentions=count,
        files=files,
    )


def _require(G: nx.MultiDiGraph, service: str) -> None:
    if service not in G:
        raise ServiceNotFound(f"service {service!r} is not in the graph")


def edge_relations(
    G: nx.MultiDiGraph, service: str | None = None, relation: str | None = None
) -> list[Relation]:
    """The graph's edges as :class:`Relation` records, optionally those touching ``service``."""
    if service is not None:
        _require(G, service)
        edges = list(G.out_edges(service, keys=True, data=True))
        edges += list(G.in_edges(service, keys=True, data=True))
    else:
        edges = list(G.edges(keys=True, data=True))
    out = []
    for u, v, _key, d in edges:
        if relation is None or d["relation"] == relation:
            evidence = tuple(Evidence(e["file"], e["line"], e["text"]) for e in d["evidence"])
            out.append(Relation(u, d["relation"], v, evidence, d["confidence"]))
    return sorted(set(out), key=lambda r: (RELATIONS.index(r.relation), -r.confidence, r.key))


def neighbors(G: nx.MultiDiGraph, service: str, relation: str | None = None) -> list[str]:
    """Services joined to ``service`` by any relation, or by ``relation`` only, sorted by id."""
    _require(G, service)
    found = set()
    for r in edge_relations(G, service, relation):
        found.add(r.target if r.source == service else r.source)
    return sorted(found)


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(G.to_undirected(as_view=True))


def ego_graph(G: nx.MultiDiGraph, centers: str | Iterable[str], depth: int = 1) -> nx.MultiDiGraph:
    """The services within ``depth`` hops of the center(s), edges taken both ways, with their edges.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="integrates-with", relation="integrates-with")
    'integrates-with'
    >>> G.add_edge("b", "c", key="replaces", relation="replaces")
    'replaces'
    >>> sorted(ego_graph(G, "a", 1)), sorted(ego_graph(G, "a", 2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    centers = [centers] if isinstance(centers, str) else list(centers)
    for c in centers:
        _require(G, c)
    return G.subgraph(neighbourhood(G, centers, depth)).copy()


def neighbourhood(G: nx.MultiDiGraph, centers: Iterable[str], depth: int = 1) -> set[str]:
    """The services within ``depth`` hops of any center, relations walked both ways.

    The one definition of "around a service" that the canvas's focus, the export scope and the
    command line share (a retired service's neighbourhood holds its successor).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="replaces", relation="replaces")
    'replaces'
    >>> sorted(neighbourhood(G, ["b"]))
    ['a', 'b']
    """
    U = G.to_undirected(as_view=True)
    keep: set[str] = set()
    for c in centers:
        keep |= set(nx.single_source_shortest_path_length(U, c, cutoff=depth))
    return keep


def shortest_path(
    G: nx.MultiDiGraph, source: str, target: str, relations: Iterable[str] | None = None
) -> list[PathStep]:
    """The shortest chain of relations from ``source`` to ``target``, each hop with its evidence.

    Raises :class:`ServiceNotFound` for an unknown service and ``networkx.NetworkXNoPath`` when
    no chain joins them.
    """
    _require(G, source)
    _require(G, target)
    H = filter_graph(G, relations=relations) if relations is not None else G
    nodes = nx.shortest_path(_undirected(H), source, target)
    steps = []
    for a, b in itertools.pairwise(nodes):
        data = [(a, b, d) for d in (H.get_edge_data(a, b) or {}).values()]
        data += [(b, a, d) for d in (H.get_edge_data(b, a) or {}).values()]
        u, v, best = max(data, key=lambda t: t[2].get("confidence", 0))
        evidence = tuple(Evidence(e["file"], e["line"], e["text"]) for e in best["evidence"])
        steps.append(PathStep(u, best["relation"], v, evidence, best["confidence"]))
    return steps


def filtered_view(
    G: nx.MultiDiGraph,
    *,
    relations: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    services: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    min_evidence: int = 0,
) -> nx.MultiDiGraph:
    """A read-only view of ``G``: the given services, categories and relations, strong edges.

    The one filter behind the canvas, the exports and the command line (``None``: no limit).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("sns", "sqs", key="integrates-with", relation="integrates-with",
    ...            evidence=[{"file": "n.md", "line": 1, "text": "fan-out"}])
    'integrates-with'
    >>> list(filtered_view(G, min_evidence=2).edges()), sorted(filtered_view(G, min_evidence=2))
    ([], ['sns', 'sqs'])
    """
    rels = set(relations) if relations is not None else None
    cats = set(categories) if categories is not None else None
    keep = set(services) if services is not None else None

    def node_ok(n: str) -> bool:
        return (keep is None or n in keep) and (cats is None or G.nodes[n].get("category") in cats)

    def edge_ok(u: str, v: str, k: str) -> bool:
        d = G.edges[u, v, k]
        return (
            (rels is None or d.get("relation", k) in rels)
            and d.get("confidence", 0) >= min_confidence
            and len(d.get("evidence") or ()) >= min_evidence
        )

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)


def filter_graph(
    G: nx.MultiDiGraph,
    *,
    relations: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    min_evidence: int = 0,
    hide_isolated: bool = False,
) -> nx.MultiDiGraph:
    """A copy of ``G`` keeping only the given relations and categories and strong enough edges."""
    view = filtered_view(
        G,
        relations=relations,
        categories=categories,
        min_confidence=min_confidence,
        min_evidence=min_evidence,
    )
    H = nx.MultiDiGraph(view)
    if hide_isolated:
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    return H


def degrees(G: nx.MultiDiGraph) -> dict[str, int]:
    """Each service's number of relations with other services (a self-loop is none).

    The one count behind circle sizes, hub labels, the Services list and "most connected".

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="integrates-with")
    'integrates-with'
    >>> G.add_edge("a", "a", key="integrates-with")
    'integrates-with'
    >>> degrees(G)
    {'a': 1, 'b': 1}
    """
    out = dict.fromkeys(G, 0)
    for u, v in G.edges():
        if u != v:
            out[u] += 1
            out[v] += 1
    return out


def by_degree(G: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Services with their number of relations, most connected first."""
    return sorted(degrees(G).items(), key=lambda t: (-t[1], t[0]))


def to_node_link(G: nx.MultiDiGraph) -> dict:
    """The node-link JSON document of the graph (the contract other tools read)."""
    data = nx.node_link_data(G, edges="links")
    return data


def from_node_link(data: dict) -> nx.MultiDiGraph:
    """Read back a graph written by :func:`to_node_link`."""
    return nx.node_link_graph(data, edges="links", multigraph=True, directed=True)
