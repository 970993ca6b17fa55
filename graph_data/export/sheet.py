"""The study sheet's content, laid out once for every rendering (Markdown, HTML).

A sheet is a list of service sections (each with its relations seen from that service and the
evidence quoted) and a list of comparison groups: sets of services the notes call alternatives.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("sqs", short="SQS", name="Amazon SQS", category="Application Integration")
>>> G.add_node("sns", short="SNS", name="Amazon SNS", category="Application Integration")
>>> ev = [{"file": "queues.md", "line": 4, "text": "Pick SQS or SNS"}]
>>> rel = "alternative-to"
>>> G.add_edge("sns", "sqs", key=rel, relation=rel, evidence=ev, confidence=0.7)
'alternative-to'
>>> sheet = study_sheet(G, "Messaging")
>>> [s.short for s in sheet.sections], sheet.sections[0].rows[0].label
(['SNS', 'SQS'], 'alternative to')
>>> sheet.comparisons[0].title
'SNS vs SQS'
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES

__all__ = ["Comparison", "RelationRow", "ServiceSection", "StudySheet", "study_sheet"]


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One relation seen from a service: the other service, how they relate, the evidence."""

    other: str
    other_short: str
    relation: str
    label: str
    evidence: tuple[Evidence, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class ServiceSection:
    """Everything the sheet says about one service."""

    id: str
    short: str
    name: str
    category: str
    description: str
    rows: tuple[RelationRow, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """A group of services the notes present as alternatives, with the passages contrasting them."""

    services: tuple[str, ...]
    title: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class StudySheet:
    """A titled study sheet: service sections in category order, then the comparisons."""

    title: str
    sections: tuple[ServiceSection, ...]
    comparisons: tuple[Comparison, ...]


def study_sheet(G: nx.MultiDiGraph, title: str, focus: str | None = None) -> StudySheet:
    """Lay out the study sheet of ``G``: sections sorted by category and short name.

    With a ``focus`` (a service of ``G``), its section comes first, then its neighbours' in
    the order of its own relations (by type, strongest first), then the rest.
    """
    order = sorted(G, key=lambda n: (_category(G, n).lower(), short_name(G, n).lower(), n))
    sections = {n: _section(G, n) for n in order}
    if focus in sections:
        first = [focus, *(r.other for r in sections[focus].rows)]
        order = [*dict.fromkeys(first), *(n for n in order if n not in first)]
    return StudySheet(title, tuple(sections[n] for n in order), _comparisons(G))


def short_name(G: nx.MultiDiGraph, service: str) -> str:
    """The short name of a service, falling back on its name and then its id."""
    d = G.nodes[service]
    return str(d.get("short") or d.get("name") or service)


def _category(G: nx.MultiDiGraph, service: str) -> str:
    return str(G.nodes[service].get("category") or "Uncategorised")


def _section(G: nx.MultiDiGraph, service: str) -> ServiceSection:
    d = G.nodes[service]
    rows = [_row(G, service, v, data, outgoing=True) for _, v, data in G.out_edges(service, True)]
    rows += [
        _row(G, service, u, data, outgoing=False)
        for u, _, data in G.in_edges(service, True)
        if u != service  # a self-loop is already listed as outgoing
    ]
    rows.sort(key=lambda r: (RELATIONS.index(r.relation), -r.confidence, r.other_short.lower()))
    return ServiceSection(
        id=service,
        short=short_name(G, service),
        name=str(d.get("name") or service),
        category=_category(G, service),
        description=str(d.get("description") or ""),
        rows=tuple(rows),
    )


def _label(relation: str, outgoing: bool) -> str:
    if relation == "replaces":
        return "replaces" if outgoing else "replaced by"
    style = RELATION_STYLES.get(relation)
    return style.label if style else relation


def _row(
    G: nx.MultiDiGraph, service: str, other: str, data: dict, *, outgoing: bool
) -> RelationRow:
    relation = str(data.get("relation", ""))
    return RelationRow(
        other=other,
        other_short=short_name(G, other),
        relation=relation,
        label=_label(relation, outgoing),
        evidence=evidence_of(data),
        confidence=float(data.get("confidence") or 0.0),
    )


def evidence_of(data: dict) -> tuple[Evidence, ...]:
    """An edge's evidence dicts as records, in file and line order."""
    found = {
        Evidence(str(e.get("file", "")), int(e.get("line") or 0), str(e.get("text", "")))
        for e in data.get("evidence") or ()
    }
    return tuple(sorted(found, key=lambda e: (e.file, e.line, e.text)))


def _comparisons(G: nx.MultiDiGraph) -> tuple[Comparison, ...]:
    alt = nx.Graph()
    alt.add_edges_from(
        (u, v, {"data": d})
        for u, v, d in G.edges(data=True)
        if d.get("relation") == "alternative-to"
    )
    groups = []
    for component in nx.connected_components(alt):
        if len(component) < 2:
            continue
        members = tuple(sorted(component, key=lambda n: (short_name(G, n).lower(), n)))
        evidence = {
            e for _, _, d in alt.subgraph(component).edges(data="data") for e in evidence_of(d)
        }
        title = " vs ".join(short_name(G, n) for n in members)
        groups.append(Comparison(members, title, tuple(sorted(evidence, key=_evidence_order))))
    return tuple(sorted(groups, key=lambda c: c.title.lower()))


def _evidence_order(e: Evidence) -> tuple[str, int, str]:
    return (e.file, e.line, e.text)
