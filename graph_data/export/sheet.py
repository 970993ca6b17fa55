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

Each relation's evidence is quoted once: an alternative under its comparison, any other relation
under the first section that lists it; every other row says where its quotes are.

>>> [r.quoted_under for s in sheet.sections for r in s.rows]
['Compare: SNS vs SQS', 'Compare: SNS vs SQS']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

import networkx as nx

from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES

__all__ = [
    "Comparison",
    "RelationRow",
    "ServiceSection",
    "StudySheet",
    "evidence_of",
    "readable",
    "short_name",
    "study_sheet",
]

# A heading's hashes or a list item's mark at the start of a line.
_MARK = re.compile(r"^(?:#{1,6}\s+|[-*+•]\s+)")


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One relation seen from a service: the other service, how they relate, the evidence."""

    other: str
    other_short: str
    relation: str
    label: str
    evidence: tuple[Evidence, ...]
    confidence: float
    #: Where this relation's evidence is quoted when not in this row's section (a section's
    #: short name, or "Compare: A vs B"); empty when it is quoted here.
    quoted_under: str = ""
    #: Passages of ``evidence`` already quoted higher up the sheet (for another relation).
    quoted_above: tuple[Evidence, ...] = ()

    @property
    def fresh(self) -> tuple[Evidence, ...]:
        """The passages to quote in this row: those not quoted higher up."""
        return tuple(e for e in self.evidence if e not in self.quoted_above)


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
    """Services the notes name as alternatives to each other, with the passages that say so.

    Every two services of a group are alternatives in the notes. ``evidence`` holds only the
    passages no stronger group quoted already; ``quoted_under`` names the groups that did.
    """

    services: tuple[str, ...]
    title: str
    evidence: tuple[Evidence, ...]
    strength: float = 0.0
    quoted_under: tuple[str, ...] = ()


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
    comparisons = _comparisons(G)
    return StudySheet(title, _quoted_once([sections[n] for n in order], comparisons), comparisons)


def _quoted_once(
    sections: list[ServiceSection], comparisons: tuple[Comparison, ...]
) -> tuple[ServiceSection, ...]:
    """The sections with each relation's quotes kept in one place and pointed to elsewhere."""
    home: dict[tuple[frozenset[str], str], tuple[str, str]] = {}
    for c in comparisons:
        for pair in itertools.combinations(c.services, 2):
            home.setdefault((frozenset(pair), "alternative-to"), ("", f"Compare: {c.title}"))
    out = []
    quoted: set[Evidence] = set()
    for s in sections:
        rows = []
        for r in s.rows:
            owner, label = home.setdefault(
                (frozenset((s.id, r.other)), r.relation), (s.id, s.short)
            )
            if owner != s.id:
                rows.append(replace(r, quoted_under=label))
                continue
            # One line can state several relations: it is quoted with the first of them.
            above = tuple(e for e in r.evidence if e in quoted)
            quoted.update(r.evidence)
            rows.append(replace(r, quoted_above=above) if above else r)
        out.append(replace(s, rows=tuple(rows)))
    return tuple(out)


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
        evidence=_quotes(data),
        confidence=float(data.get("confidence") or 0.0),
    )


def evidence_of(data: dict) -> tuple[Evidence, ...]:
    """An edge's evidence dicts as records, in file and line order."""
    found = {
        Evidence(str(e.get("file", "")), int(e.get("line") or 0), str(e.get("text", "")))
        for e in data.get("evidence") or ()
    }
    return tuple(sorted(found, key=lambda e: (e.file, e.line, e.text)))


def _quotes(data: dict) -> tuple[Evidence, ...]:
    """An edge's evidence as the sheet quotes it: readable text, each passage once."""
    found = {replace(e, text=readable(e.text)) for e in evidence_of(data)}
    return tuple(sorted(found, key=_evidence_order))


def readable(text: str) -> str:
    """A note line as a quote: without its heading or list mark, a table row's cells by "·".

    >>> readable("## SQS vs SNS")
    'SQS vs SNS'
    >>> readable("| | SQS | SNS |")
    'SQS · SNS'
    """
    text = _MARK.sub("", text.strip())
    if text.startswith("|"):
        cells = (c.strip() for c in text.strip("|").split("|"))
        return " · ".join(c for c in cells if c and set(c) - set("-: "))
    return text


def _comparisons(G: nx.MultiDiGraph) -> tuple[Comparison, ...]:
    """Groups of mutual alternatives (cliques), strongest first, each passage quoted once."""
    alt = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d.get("relation") != "alternative-to" or u == v:
            continue
        known = alt.get_edge_data(u, v, {"confidence": 0.0, "evidence": set()})
        confidence = max(known["confidence"], float(d.get("confidence") or 0.0))
        alt.add_edge(u, v, confidence=confidence, evidence=known["evidence"] | set(_quotes(d)))
    groups = []
    for clique in nx.find_cliques(alt):
        pairs = list(itertools.combinations(clique, 2))
        strength = sum(alt.edges[p]["confidence"] for p in pairs) / len(pairs)
        weight = {n: sum(alt.edges[n, m]["confidence"] for m in clique if m != n) for n in clique}
        members = tuple(sorted(clique, key=lambda n: (-weight[n], short_name(G, n).lower(), n)))
        groups.append((strength, members, pairs))
    groups.sort(key=lambda g: (-g[0], -len(g[1]), [short_name(G, n).lower() for n in g[1]]))
    out: list[Comparison] = []
    quoted: dict[Evidence, str] = {}
    for strength, members, pairs in groups:
        title = " vs ".join(short_name(G, n) for n in members)
        passages = {e for p in pairs for e in alt.edges[p]["evidence"]}
        fresh = sorted((e for e in passages if e not in quoted), key=_evidence_order)
        elsewhere = tuple(
            dict.fromkeys(quoted[e] for e in sorted(passages - set(fresh), key=_evidence_order))
        )
        quoted.update((e, title) for e in fresh)
        out.append(Comparison(members, title, tuple(fresh), round(strength, 3), elsewhere))
    return tuple(out)


def _evidence_order(e: Evidence) -> tuple[str, int, str]:
    return (e.file, e.line, e.text)
