"""Graph file formats for other tools: node-link JSON, GraphML, GEXF, CSV tables, Cypher.

GraphML and GEXF hold scalar attributes only, so lists and dicts (aliases, files, evidence) are
written as JSON strings and a missing parent as an empty string.

Examples
--------
>>> cypher_string("it's a \\\\ path")
"'it\\\\'s a \\\\\\\\ path'"
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable

import networkx as nx

__all__ = [
    "CSV_EDGE_FIELDS",
    "CSV_NODE_FIELDS",
    "CYPHER_TYPES",
    "TEXT_RENDERERS",
    "csv_tables",
    "csv_zip",
    "cypher_string",
    "render_cypher",
    "render_gexf",
    "render_graphml",
    "render_json",
    "scalar_graph",
]

#: Columns of ``nodes.csv``; list columns are joined with ``;``.
CSV_NODE_FIELDS = (
    "id", "name", "short", "category", "parent", "mentions", "aliases", "files", "description"
)  # fmt: skip
#: Columns of ``edges.csv``; ``evidence`` is a JSON list of {file, line, text}.
CSV_EDGE_FIELDS = ("source", "target", "relation", "confidence", "evidence_count", "evidence")
#: The Neo4j relationship type of each relation.
CYPHER_TYPES = {
    "integrates-with": "INTEGRATES_WITH",
    "alternative-to": "ALTERNATIVE_TO",
    "replaces": "REPLACES",
}


def render_json(G: nx.MultiDiGraph) -> str:
    """The node-link JSON document, exactly as ``networkx.node_link_data(G, edges="links")``."""
    return json.dumps(nx.node_link_data(G, edges="links"), indent=2, ensure_ascii=False) + "\n"


def _scalar(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def scalar_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose every attribute is a string, number or bool.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s3", aliases=["Simple Storage"], parent=None)
    >>> dict(scalar_graph(G).nodes["s3"])
    {'aliases': '["Simple Storage"]', 'parent': ''}
    """
    H = nx.MultiDiGraph(**{k: _scalar(v) for k, v in G.graph.items()})
    H.add_nodes_from((n, {k: _scalar(v) for k, v in d.items()}) for n, d in G.nodes(data=True))
    H.add_edges_from(
        (u, v, k, {a: _scalar(x) for a, x in d.items()} | {"evidence_count": _count(d)})
        for u, v, k, d in G.edges(keys=True, data=True)
    )
    return H


def _count(d: dict) -> int:
    return len(d.get("evidence") or ())


# Characters XML 1.0 cannot carry at all (even escaped): most C0 controls, U+FFFE, U+FFFF and
# lone surrogates. A note holding one would make the whole GraphML or GEXF file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> object:
    """A value with the characters XML cannot carry removed (other values pass as they are).

    Examples
    --------
    >>> xml_text("S3\ufffe and\x01 SQS"), xml_text(3)
    ('S3 and SQS', 3)
    """
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _xml_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """:func:`scalar_graph` with every text made fit for XML (ids, keys and values)."""
    H = scalar_graph(G)
    clean = nx.MultiDiGraph(**{k: xml_text(v) for k, v in H.graph.items()})
    clean.add_nodes_from(
        (xml_text(n), {k: xml_text(v) for k, v in d.items()}) for n, d in H.nodes(data=True)
    )
    clean.add_edges_from(
        (xml_text(u), xml_text(v), xml_text(k), {a: xml_text(x) for a, x in d.items()})
        for u, v, k, d in H.edges(keys=True, data=True)
    )
    return clean


def render_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML, readable with ``networkx.read_graphml(path, force_multigraph=True)``."""
    return "\n".join(nx.generate_graphml(_xml_graph(G))) + "\n"


def render_gexf(G: nx.MultiDiGraph) -> str:
    """GEXF 1.2 for Gephi; node labels are the short names."""
    H = _xml_graph(G)
    for n, d in H.nodes(data=True):
        d.setdefault("label", d.get("short") or str(n))
    return "\n".join(nx.generate_gexf(H)) + "\n"


def _joined(value: object) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return "" if value is None else str(value)


def _table(fields: tuple[str, ...], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text opening with = + - @ (or a tab or CR) gets a
    leading apostrophe (OWASP's advice against CSV injection). Numbers pass as they are.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("S3"), safe_cell(-0.5)
    ("'=HYPERLINK(1)", 'S3', -0.5)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_tables(G: nx.MultiDiGraph) -> dict[str, str]:
    """``nodes.csv`` and ``edges.csv`` as text, keyed by file name."""
    nodes = [
        {f: _joined(n if f == "id" else d.get(f)) for f in CSV_NODE_FIELDS}
        for n, d in G.nodes(data=True)
    ]
    edges = [
        {
            "source": u,
            "target": v,
            "relation": d.get("relation", k),
            "confidence": d.get("confidence", ""),
            "evidence_count": _count(d),
            "evidence": json.dumps(d.get("evidence") or [], ensure_ascii=False),
        }
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    return {
        "nodes.csv": _table(CSV_NODE_FIELDS, nodes),
        "edges.csv": _table(CSV_EDGE_FIELDS, edges),
    }


def csv_zip(G: nx.MultiDiGraph) -> bytes:
    """A zip archive holding ``nodes.csv`` and ``edges.csv``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_tables(G).items():
            archive.writestr(name, text)
    return buffer.getvalue()


_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CYPHER_SPECIAL = re.compile(r"[\\'\n\r\t]|[\x00-\x1f\x7f]")


def cypher_string(text: object) -> str:
    """``text`` as a single-quoted Cypher string literal."""

    def escape(m: re.Match[str]) -> str:
        c = m.group(0)
        return _CYPHER_ESCAPES.get(c) or f"\\u{ord(c):04x}"

    return "'" + _CYPHER_SPECIAL.sub(escape, str(text)) + "'"


def _node_statement(n: str, d: dict) -> str:
    props = ", ".join(
        f"s.{key} = {cypher_string(d.get(key) or (n if key == 'short' else ''))}"
        for key in ("name", "short", "category")
    )
    return f"MERGE (s:Service {{id: {cypher_string(n)}}}) SET {props};"


def _edge_statement(u: str, v: str, d: dict) -> str:
    kind = CYPHER_TYPES.get(str(d.get("relation")), "RELATED_TO")
    confidence = float(d.get("confidence") or 0)
    return (
        f"MATCH (a:Service {{id: {cypher_string(u)}}}), (b:Service {{id: {cypher_string(v)}}}) "
        f"MERGE (a)-[r:{kind}]->(b) "
        f"SET r.confidence = {confidence:.4f}, r.evidence_count = {_count(d)};"
    )


def render_cypher(G: nx.MultiDiGraph) -> str:
    """A Neo4j Cypher script that MERGEs the services and their relations (safe to re-run)."""
    lines = [
        "// Service Atlas export: services and relations; replaces runs successor -> retired,",
        "// the other relations have no direction.",
        "CREATE CONSTRAINT service_id IF NOT EXISTS FOR (s:Service) REQUIRE s.id IS UNIQUE;",
    ]
    lines += [_node_statement(str(n), d) for n, d in G.nodes(data=True)]
    lines += [_edge_statement(str(u), str(v), d) for u, v, d in G.edges(data=True)]
    return "\n".join(lines) + "\n"


#: Text renderers by format name (the study sheets and binary formats live elsewhere).
TEXT_RENDERERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "json": render_json,
    "graphml": render_graphml,
    "gexf": render_gexf,
    "cypher": render_cypher,
}
