"""Exports: every format read back by its own reader, and hostile note text kept inert."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from graph_data import atomic
from graph_data.export import FORMATS, ExportError, UnknownFormatError, export
from graph_data.export.anki import CLOZE_MODEL_ID, COMPARISON_MODEL_ID, DECK_ID, MODEL_ID
from graph_data.export.formats import CYPHER_TYPES
from graph_data.export.html import EMPHASIS_BORDER, render_html
from graph_data.export.markdown import md_text
from graph_data.scope import Scope, select
from graph_data.style import CATEGORY_COLORS, RELATION_STYLES

# Written for these tests; each one would do harm if a renderer passed it through raw.
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
JS_LINK = "[open me](javascript:document.title='pwned') <a href=\"javascript:alert(1)\">x</a>"
TABLE_BREAKER = "cell | breaker\n| --- |\n# not a heading"
HOSTILE = (SCRIPT, IMG, JS_LINK, TABLE_BREAKER)

SERVICES = {
    "s3": ("Amazon Simple Storage Service", "S3", "Storage", ["Simple Storage"]),
    "cloudfront": ("Amazon CloudFront", "CloudFront", "Networking & Content Delivery", []),
    "lambda": ("AWS Lambda", "Lambda", "Compute", []),
    "sqs": ("Amazon Simple Queue Service", "SQS", "Application Integration", []),
    "sns": ("Amazon Simple Notification Service", "SNS", "Application Integration", []),
    "kinesis-data-streams": (
        "Amazon Kinesis Data Streams",
        "Kinesis Data Streams",
        "Analytics",
        [],
    ),
    "iam-identity-center": (
        "AWS IAM Identity Center",
        "IAM Identity Center",
        "Security, Identity & Compliance",
        [],
    ),
    "sso": ("AWS Single Sign-On", "AWS SSO", "Security, Identity & Compliance", ["SSO"]),
}


def ev(file: str, line: int, text: str) -> dict:
    """One evidence dict as the graph stores it."""
    return {"file": file, "line": line, "text": text}


def atlas_graph(*, hostile: bool = False) -> nx.MultiDiGraph:
    """Eight services with a few relations of every type, like a small built graph."""
    G = nx.MultiDiGraph(notes="/tmp/notes", built="2024-05-01T10:00:00+00:00", schema=1)
    for sid, (name, short, category, aliases) in SERVICES.items():
        G.add_node(
            sid,
            name=name,
            short=short,
            aliases=list(aliases),
            category=category,
            parent=None,
            description=f"{short} in one line.",
            mentions=len(sid),
            files=["storage.md", "edge.md"] if sid in ("s3", "cloudfront") else ["misc.md"],
        )
    rel = [
        ("cloudfront", "s3", "integrates-with", 0.9, [ev("edge.md", 3, "A CDN in front of S3")]),
        ("lambda", "sqs", "integrates-with", 0.8, [ev("queues.md", 7, "Lambda polls a queue")]),
        ("sns", "sqs", "integrates-with", 0.85, [ev("queues.md", 9, "Fan out to a queue")]),
        ("sns", "sqs", "alternative-to", 0.6, [ev("queues.md", 12, "Push (SNS) or pull (SQS)?")]),
        (
            "kinesis-data-streams",
            "sqs",
            "alternative-to",
            0.55,
            [ev("streams.md", 2, "Replay needs a stream"), ev("q.md", 1, "Either one")],
        ),
        ("lambda", "kinesis-data-streams", "integrates-with", 0.3, [ev("streams.md", 5, "Shards")]),
        ("iam-identity-center", "sso", "replaces", 0.95, [ev("iam.md", 20, "SSO got a new name")]),
    ]
    for u, v, r, confidence, evidence in rel:
        G.add_edge(u, v, key=r, relation=r, evidence=evidence, confidence=confidence)
    if hostile:
        bad = [ev(f"zz-evil{i}<b>.md", i + 1, text) for i, text in enumerate(HOSTILE)]
        G.edges["sns", "sqs", "alternative-to"]["evidence"] += bad
        G.edges["iam-identity-center", "sso", "replaces"]["evidence"] += bad
    return G


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """The small hand-made graph."""
    return atlas_graph()


@pytest.fixture
def hostile_G() -> nx.MultiDiGraph:
    """The small graph with hostile note text in its evidence."""
    return atlas_graph(hostile=True)


def edge_set(H: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """(source, target, key) of every edge."""
    return set(H.edges(keys=True))


# --- registry and dispatch -------------------------------------------------------------------


def test_formats_list_every_export_but_pdf():
    assert set(FORMATS) == {"markdown", "html", "anki", "json", "graphml", "gexf", "csv", "cypher"}
    assert all(ext.startswith(".") and desc for ext, desc in FORMATS.values())


def test_unknown_format_is_refused_and_writes_nothing(G, tmp_path):
    with pytest.raises(UnknownFormatError, match="pdf"):
        export(G, "pdf", tmp_path / "out.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_an_empty_graph(fmt, tmp_path):
    out = export(nx.MultiDiGraph(), fmt, tmp_path / f"empty{FORMATS[fmt][0]}", title="Nothing")
    assert out.exists()
    assert not [p for p in tmp_path.rglob("*.tmp")], "a temporary file was left behind"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_leave_the_graph_unchanged(fmt, G, tmp_path):
    before = nx.node_link_data(G, edges="links")
    export(G, fmt, tmp_path / f"g{FORMATS[fmt][0]}")
    assert nx.node_link_data(G, edges="links") == before


# --- graph formats ---------------------------------------------------------------------------


def test_json_is_node_link_and_round_trips(G, tmp_path):
    out = export(G, "json", tmp_path / "g.json")
    data = json.loads(out.read_text("utf-8"))
    assert data == nx.node_link_data(G, edges="links")
    assert {"directed", "multigraph", "graph", "nodes", "links"} <= set(data)
    H = nx.node_link_graph(data, edges="links")
    assert nx.utils.graphs_equal(G, H)
    assert H.graph["schema"] == 1
    assert H.edges["iam-identity-center", "sso", "replaces"]["evidence"][0]["line"] == 20


def test_graphml_reads_back_with_relation_and_category(G, tmp_path):
    out = export(G, "graphml", tmp_path / "g.graphml")
    H = nx.read_graphml(out, force_multigraph=True)
    assert set(H) == set(G)
    assert edge_set(H) == edge_set(G)
    assert H.nodes["sqs"]["category"] == "Application Integration"
    assert json.loads(H.nodes["s3"]["aliases"]) == ["Simple Storage"]
    assert H.nodes["s3"]["parent"] == ""
    d = H.edges["kinesis-data-streams", "sqs", "alternative-to"]
    assert d["relation"] == "alternative-to"
    assert d["evidence_count"] == 2
    assert json.loads(d["evidence"])[1]["file"] == "q.md"


def test_gexf_reads_back_with_relation_and_category(G, tmp_path):
    out = export(G, "gexf", tmp_path / "g.gexf")
    H = nx.read_gexf(out)
    assert set(H) == set(G)
    assert edge_set(H) == edge_set(G)
    assert H.nodes["sso"]["category"] == "Security, Identity & Compliance"
    assert H.nodes["sso"]["label"] == "AWS SSO"
    assert H.edges["iam-identity-center", "sso", "replaces"]["relation"] == "replaces"


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV text as dicts."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def check_csv(G: nx.MultiDiGraph, nodes_text: str, edges_text: str) -> None:
    """The two CSV tables hold every node and edge of ``G``."""
    nodes, edges = read_csv(nodes_text), read_csv(edges_text)
    assert {r["id"] for r in nodes} == set(G)
    s3 = next(r for r in nodes if r["id"] == "s3")
    assert s3["files"] == "storage.md;edge.md"
    assert s3["category"] == "Storage"
    assert {(r["source"], r["target"], r["relation"]) for r in edges} == edge_set(G)
    for r in edges:
        evidence = json.loads(r["evidence"])
        assert int(r["evidence_count"]) == len(evidence)
        assert evidence == G.edges[r["source"], r["target"], r["relation"]]["evidence"]


def test_csv_zip_holds_both_tables(hostile_G, tmp_path):
    out = export(hostile_G, "csv", tmp_path / "tables.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        check_csv(hostile_G, archive.read("nodes.csv").decode(), archive.read("edges.csv").decode())


def test_csv_without_zip_writes_a_folder(G, tmp_path):
    out = export(G, "csv", tmp_path / "tables")
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    check_csv(G, (out / "nodes.csv").read_text("utf-8"), (out / "edges.csv").read_text("utf-8"))


def test_csv_refuses_a_file_where_the_folder_should_be(G, tmp_path):
    (tmp_path / "taken").write_text("mine")
    with pytest.raises(ExportError, match="folder"):
        export(G, "csv", tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "mine"


_CYPHER_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'")


def cypher_unquote(body: str) -> str:
    """Decode the inside of a single-quoted Cypher string literal."""
    simple = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|.)",
        lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else simple[m.group(1)],
        body,
    )


def test_cypher_merges_services_and_typed_relations(G, tmp_path):
    G.nodes["s3"]["name"] = "Bob's \\ bucket\nstore"
    out = export(G, "cypher", tmp_path / "g.cypher")
    lines = out.read_text("utf-8").splitlines()
    merges = [line for line in lines if line.startswith("MERGE (s:Service")]
    assert len(merges) == G.number_of_nodes()
    s3 = next(line for line in merges if "{id: 's3'}" in line)
    literals = [cypher_unquote(m) for m in _CYPHER_LITERAL.findall(s3)]
    assert literals == ["s3", "Bob's \\ bucket\nstore", "S3", "Storage"]
    rels = [line for line in lines if line.startswith("MATCH")]
    assert len(rels) == G.number_of_edges()
    replaces = next(line for line in rels if ":REPLACES]" in line)
    assert "{id: 'iam-identity-center'}" in replaces and "{id: 'sso'}" in replaces
    assert "r.confidence = 0.9500" in replaces and "r.evidence_count = 1" in replaces
    assert {t for t in CYPHER_TYPES.values() if any(f":{t}]" in line for line in rels)} == {
        "INTEGRATES_WITH",
        "ALTERNATIVE_TO",
        "REPLACES",
    }


# --- study sheets ------------------------------------------------------------------------------


def test_markdown_has_headings_tables_quotes_and_comparisons(G, tmp_path):
    text = export(G, "markdown", tmp_path / "sheet.md", title="Messaging week").read_text("utf-8")
    assert text.startswith('---\ntitle: "Messaging week"\n')
    assert "\n# Messaging week\n" in text
    assert "\n## S3\n**Amazon Simple Storage Service** · Storage\n" in text
    assert "| Related service | Relation | Evidence | Confidence |" in text
    # Each relation is quoted once, under the first section that lists it; the other points there.
    assert "| [[#CloudFront]] | integrates with | 1, quoted under [[#CloudFront]] | 0.90 |" in text
    assert "| [[#S3]] | integrates with | 1 | 0.90 |" in text
    assert "| [[#AWS SSO]] | replaces | 1, quoted under [[#AWS SSO]] | 0.95 |" in text
    assert "| [[#IAM Identity Center]] | replaced by | 1 | 0.95 |" in text
    assert text.count("*iam.md:20*") == 1
    assert "> **replaced by IAM Identity Center** — *iam.md:20*\n> SSO got a new name" in text
    compare = text.split("\n## Compare\n", 1)[1]
    # Only services the notes call alternatives to each other are compared, strongest first:
    # SNS and Kinesis Data Streams are each an alternative to SQS, not to one another.
    assert compare.startswith("\n### SNS vs SQS\n")
    assert "\n### Kinesis Data Streams vs SQS\n" in compare and "vs SNS vs" not in compare
    for where in ("*queues.md:12*", "*streams.md:2*", "*q.md:1*"):
        assert text.count(where) == 1 and where in compare
    assert "Push \\(SNS\\) or pull \\(SQS\\)?" in compare
    assert "| [[#SNS]] | alternative to | 1, quoted under [[#SNS vs SQS]] | 0.60 |" in text


def test_comparisons_are_groups_of_mutual_alternatives_each_passage_quoted_once():
    from graph_data.export.sheet import study_sheet

    G = nx.MultiDiGraph()
    for n in "abcd":
        G.add_node(n, short=n.upper(), category="Storage")
    # A, B and C are each other's alternatives; B, C and D too, more surely; B-C is in both.
    for (u, v), p in {("a", "b"): 0.5, ("a", "c"): 0.5, ("b", "c"): 0.9, ("b", "d"): 0.9}.items():
        G.add_edge(
            u,
            v,
            key="alternative-to",
            relation="alternative-to",
            confidence=p,
            evidence=[ev("n.md", ord(u) + ord(v), f"{u} or {v}")],
        )
    G.add_edge(
        "c",
        "d",
        key="alternative-to",
        relation="alternative-to",
        confidence=0.9,
        evidence=[ev("n.md", 1, "c or d")],
    )
    first, second = study_sheet(G, "t").comparisons
    # Strongest group first, and in each group its strongest member first.
    assert (first.title, second.title) == ("B vs C vs D", "B vs C vs A")
    assert first.strength == 0.9 and second.strength == round((0.5 + 0.5 + 0.9) / 3, 3)
    assert {e.text for e in first.evidence} == {"b or c", "b or d", "c or d"}
    assert {e.text for e in second.evidence} == {"a or b", "a or c"}
    assert second.quoted_under == ("B vs C vs D",)


def test_a_line_that_states_two_relations_is_quoted_once(tmp_path):
    G = nx.MultiDiGraph()
    for n, short in (("lambda", "Lambda"), ("sqs", "SQS"), ("sns", "SNS")):
        G.add_node(n, short=short, name=short, category="Compute")
    line = [ev("fan.md", 4, "Lambda reads from SQS and SNS")]
    for other in ("sqs", "sns"):
        G.add_edge(
            "lambda", other, key="i", relation="integrates-with", confidence=0.8, evidence=line
        )
    text = export(G, "markdown", tmp_path / "s.md", emphasis="lambda").read_text("utf-8")
    assert text.count("Lambda reads from SQS and SNS") == 1
    assert "> **integrates with SQS** — *fan.md:4*, quoted above" in text
    page = export(G, "html", tmp_path / "s.html", emphasis="lambda").read_text("utf-8")
    assert page.count("<p>Lambda reads from SQS and SNS</p>") == 1
    assert "integrates with SQS: fan.md:4, quoted above" in page


def table_rows(text: str) -> list[str]:
    """Every Markdown table line of the sheet."""
    return [line for line in text.splitlines() if line.startswith("|")]


def test_markdown_keeps_hostile_text_inert(hostile_G, tmp_path):
    text = export(hostile_G, "markdown", tmp_path / "sheet.md").read_text("utf-8")
    for row in table_rows(text):
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row
    quotes = [line for line in text.splitlines() if line.startswith("> ")]
    assert len(quotes) > 2 * len(HOSTILE)
    for line in quotes:
        assert not re.search(r"(?<!\\)[<>\[\]()`]", line[2:]), line
    assert "\\<script\\>" in text and "zz-evil0\\<b\\>.md:1" in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert not [h for h in headings if "not a heading" in h]
    for line in text.splitlines():
        if "breaker" in line:
            assert line.startswith("> "), "note text escaped its block quote"


def test_md_text_escapes_markup_and_joins_lines():
    assert md_text("a|b") == "a\\|b"
    assert md_text("*x* _y_ [z](u)") == "\\*x\\* \\_y\\_ \\[z\\]\\(u\\)"
    assert md_text("- item") == "\\- item"
    assert md_text("1. first") == "1\\. first"
    assert md_text("one\n\ntwo") == "one two"


class TagCollector(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse_html(text: str) -> TagCollector:
    """The tags and scripts of an HTML page."""
    parser = TagCollector()
    parser.feed(text)
    parser.close()
    return parser


def vis_items(page: str, name: str) -> list[dict]:
    """The node or edge list pyvis handed to vis-network."""
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert found, f"no {name} DataSet in the page"
    return json.loads(found.group(1))


def test_html_is_self_contained_and_makes_no_lib_folder(G, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = export(G, "html", tmp_path / "out" / "sheet.html", title="Offline sheet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["sheet.html"]
    page = out.read_text("utf-8")
    doc = parse_html(page)
    for tag, attrs in doc.tags:
        for attr in ("src", "href"):
            value = attrs.get(attr) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, attr, value)
    assert "vis.Network" in page and "<title>Offline sheet</title>" in page
    assert any("DataSet" in s for s in doc.scripts)


def test_html_draws_the_app_colours_and_relation_styles(G, tmp_path):
    page = export(G, "html", tmp_path / "sheet.html").read_text("utf-8")
    nodes = {n["id"]: n for n in vis_items(page, "nodes")}
    assert nodes["s3"]["color"] == CATEGORY_COLORS["Storage"] and nodes["s3"]["label"] == "S3"
    edges = {(e["from"], e["to"], e["title"].split("</b>")[0]): e for e in vis_items(page, "edges")}
    by_relation = {}
    for (_u, _v, head), e in edges.items():
        kind = "replaces" if " replaces " in head else "alt" if "alternative" in head else "int"
        by_relation.setdefault(kind, []).append(e)
    assert all(e["dashes"] for e in by_relation["alt"])
    assert not any(e["dashes"] for e in by_relation["int"] + by_relation["replaces"])
    assert all(e["arrows"]["to"]["enabled"] for e in by_relation["replaces"])
    assert not any(e["arrows"]["to"]["enabled"] for e in by_relation["int"] + by_relation["alt"])
    assert "Application Integration" in page and "alternative to" in page


def test_html_has_the_tables_and_quotes(G, tmp_path):
    page = export(G, "html", tmp_path / "sheet.html").read_text("utf-8")
    assert "<section class='service' id='svc-sqs'" in page
    assert "<th>Related service</th>" in page
    assert "<a href='#svc-iam-identity-center'>IAM Identity Center</a>" in page
    assert "replaced by" in page
    assert "<h3>SNS vs SQS</h3>" in page and "<h3>Kinesis Data Streams vs SQS</h3>" in page
    assert "<cite>iam.md:20 · replaced by IAM Identity Center</cite>" in page
    assert page.count("<cite>iam.md:20") == 1
    assert "<span class='under'>quoted under AWS SSO</span>" in page


def test_html_escapes_hostile_text_in_tables_and_tooltips(hostile_G, tmp_path):
    page = export(hostile_G, "html", tmp_path / "sheet.html").read_text("utf-8")
    for payload in (SCRIPT, IMG, JS_LINK):
        assert payload not in page
    doc = parse_html(page)
    assert not [t for t, _ in doc.tags if t in ("img", "a") and _ is None]
    assert not [t for t, a in doc.tags if t == "img"]
    assert not [a for _, a in doc.tags if any(k.startswith("on") for k in a)]
    assert not [a for t, a in doc.tags if t == "a" and "javascript" in (a.get("href") or "")]
    assert not any("pwned" in s for s in doc.scripts if "DataSet" not in s)
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    titles = [e["title"] for e in vis_items(page, "edges")]
    hostile_tips = [t for t in titles if "evil" in t]
    assert hostile_tips, "the hostile evidence is not in any tooltip"
    for tip in hostile_tips:
        body = tip.split("<br>", 1)[1]
        assert "<script" not in body and "<img" not in body and "<a " not in body
        assert "&lt;" in body


def test_node_tooltips_do_not_switch_pyvis_to_its_link_popup(G, tmp_path):
    G.nodes["s3"]["files"] = ["see href.md"]
    page = export(G, "html", tmp_path / "sheet.html").read_text("utf-8")
    assert not [n for n in vis_items(page, "nodes") if "href" in n["title"]]
    assert "popup.innerHTML" not in page


def emphasised_page(tmp_path: Path, G: nx.MultiDiGraph, emphasis: str | None) -> str:
    """The HTML sheet of ``G`` with ``emphasis`` standing out, written to a file and read back."""
    path = tmp_path / "focus.html"
    atomic.write_text(path, render_html(G, "Focus", emphasis=emphasis))
    return path.read_text("utf-8")


def test_html_of_a_focus_emphasises_it_and_fades_the_rest(G, tmp_path):
    # Two hops around SNS: SQS is a neighbour, Lambda and Kinesis lie one hop further out.
    sub = select(G, Scope(focus=("sns",), depth=2))
    assert set(sub) == {"sns", "sqs", "lambda", "kinesis-data-streams"}
    page = emphasised_page(tmp_path, sub, "sns")
    nodes = {n["id"]: n for n in vis_items(page, "nodes")}
    sns = nodes["sns"]
    assert sns["label"] == "<b>SNS</b>" and sns["font"]["multi"] == "html"
    assert sns["borderWidth"] > 2 and sns["color"]["border"] == EMPHASIS_BORDER
    assert sns["color"]["background"] == CATEGORY_COLORS["Application Integration"]
    # A neighbour keeps the plain look, as on the canvas.
    assert nodes["sqs"]["color"] == CATEGORY_COLORS["Application Integration"]
    assert "borderWidth" not in nodes["sqs"] and nodes["sqs"]["label"] == "SQS"
    for far in ("lambda", "kinesis-data-streams"):
        own = CATEGORY_COLORS[sub.nodes[far]["category"]]
        faded = nodes[far]["color"]["background"]
        assert faded != own and lightness(faded) > lightness(own) + 60, far
        assert "borderWidth" not in nodes[far] and "<b>" not in nodes[far]["label"]
    # Faded services are drawn first, so none covers the emphasised one.
    assert [n["id"] for n in vis_items(page, "nodes")][-1] == "sns"
    edges = vis_items(page, "edges")
    own = [e for e in edges if "sns" in (e["from"], e["to"])]
    rest = [e for e in edges if "sns" not in (e["from"], e["to"])]
    assert len(own) == 2 and len(rest) == 3
    assert min(e["width"] for e in own) > max(e["width"] for e in rest)
    styles = {s.color for s in RELATION_STYLES.values()}
    assert {e["color"] for e in own} <= styles
    assert not {e["color"] for e in rest} & styles
    assert all(lightness(e["color"]) > 600 for e in rest)
    assert "<b>SNS</b> and its relations stand out" in page


def lightness(colour: str) -> int:
    """Sum of the red, green and blue of ``#rrggbb`` (765 is white)."""
    return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_html_without_emphasis_or_with_an_unknown_one_is_the_plain_page(G, tmp_path):
    plain = export(G, "html", tmp_path / "plain.html", title="Focus").read_text("utf-8")
    assert emphasised_page(tmp_path, G, "not-a-service") == plain
    assert emphasised_page(tmp_path, G, None) == plain
    assert "stand out" not in plain
    assert not [n for n in vis_items(plain, "nodes") if isinstance(n["color"], dict)]


def test_the_emphasised_label_is_markup_only_where_the_sheet_puts_it(G, tmp_path):
    # vis-network reads <b>, <i>, <code> and the entities &lt; and &amp; in such a label.
    G.nodes["s3"]["short"] = "S3 <i>x</i> & </script>"
    page = emphasised_page(tmp_path, G, "s3")
    label = {n["id"]: n for n in vis_items(page, "nodes")}["s3"]["label"]
    assert label == "<b>S3 &lt;i>x&lt;/i> &amp; &lt;/script></b>"


# --- anki --------------------------------------------------------------------------------------


def anki_notes(path: Path, tmp_path: Path) -> tuple[list[tuple[str, str, str]], int, dict]:
    """(guid, fields, tags) of every note, the card count, and decks, note types and ``mids``.

    ``mids`` maps a note's GUID to the id of its note type.
    """
    with zipfile.ZipFile(path) as archive:
        assert "collection.anki2" in archive.namelist()
        db = tmp_path / f"{path.stem}-collection.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(db)) as con:
        notes = con.execute("SELECT guid, flds, tags FROM notes ORDER BY guid").fetchall()
        (cards,) = con.execute("SELECT count(*) FROM cards").fetchone()
        decks, models = con.execute("SELECT decks, models FROM col").fetchone()
        mids = dict(con.execute("SELECT guid, mid FROM notes").fetchall())
    return notes, cards, {"decks": json.loads(decks), "models": json.loads(models), "mids": mids}


def anki_fields(notes: list[tuple[str, str, str]], col: dict, model_id: int) -> list[dict]:
    """The fields of every note of one note type, by field name (none: the type is unused)."""
    if str(model_id) not in col["models"]:
        return []
    names = [f["name"] for f in col["models"][str(model_id)]["flds"]]
    found = []
    for guid, flds, tags in notes:
        values = flds.split("\x1f")
        if col["mids"][guid] == model_id:
            found.append(
                {"guid": guid, "tags": tags.split(), **dict(zip(names, values, strict=True))}
            )
    return found


def test_anki_deck_has_one_note_per_relation_with_its_evidence(hostile_G, tmp_path):
    out = export(hostile_G, "anki", tmp_path / "deck.apkg", title="AWS relations")
    notes, cards, col = anki_notes(out, tmp_path)
    assert len({guid for guid, _, _ in notes}) == len(notes)
    relations = anki_fields(notes, col, MODEL_ID)
    assert len(relations) == hostile_G.number_of_edges()
    clozes = anki_fields(notes, col, CLOZE_MODEL_ID)
    comparisons = anki_fields(notes, col, COMPARISON_MODEL_ID)
    assert len(relations) + len(clozes) + len(comparisons) == len(notes)
    # Two cards a relation (both directions), one a cloze deletion, one a comparison.
    assert cards == 2 * len(relations) + 2 * len(clozes) + len(comparisons)
    facts = {r["Fact"]: r for r in relations}
    sso = facts["AWS IAM Identity Center replaced AWS Single Sign-On (AWS SSO)"]
    assert sso["Question"] == "What does AWS IAM Identity Center replace?"
    assert sso["Answer"] == "AWS Single Sign-On (AWS SSO)"
    assert sso["Reverse question"] == "What replaced AWS Single Sign-On (AWS SSO)?"
    assert sso["Reverse answer"] == "AWS IAM Identity Center"
    # A sentence naming the services comes before hostile lines that name neither.
    assert "<b>SSO</b> got a new name" in sso["Quote"] and sso["Source"] == "iam.md:20"
    assert "zz-evil0&lt;b&gt;.md:1" in sso["Also in"]
    assert set(sso["tags"]) == {
        "category::Security_Identity_Compliance",
        "relation::replaces",
        "service-atlas::relation",
    }
    lambda_sqs = facts["AWS Lambda integrates with Amazon Simple Queue Service (SQS)"]
    assert lambda_sqs["Answer"] == "Amazon Simple Queue Service (SQS)"  # one service, no list
    (group,) = comparisons
    assert group["Title"] == "SQS · SNS · Kinesis Data Streams"
    assert "&lt;script&gt;" in group["Evidence"]
    for _, flds, _ in notes:
        assert "<script" not in flds and "<img" not in flds and "<a " not in flds
    all_tags = {t for _, _, tags in notes for t in tags.split()}
    assert "category::Security_Identity_Compliance" in all_tags
    assert {"relation::replaces", "relation::integrates-with"} <= all_tags
    assert str(DECK_ID) in col["decks"] and col["decks"][str(DECK_ID)]["name"] == "AWS relations"
    assert {str(MODEL_ID), str(CLOZE_MODEL_ID), str(COMPARISON_MODEL_ID)} <= set(col["models"])


def test_anki_cards_of_a_focus_export_each_state_one_relation(G, tmp_path):
    # S3's neighbourhood: a card per relation it holds, never "what does S3 integrate with?"
    # answered with the part of the list that happens to lie in the export.
    sub = select(G, Scope(focus=("s3",), depth=1))
    notes, _, col = anki_notes(export(sub, "anki", tmp_path / "s3.apkg"), tmp_path)
    relations = anki_fields(notes, col, MODEL_ID)
    assert [r["Fact"] for r in relations] == [
        "Amazon CloudFront integrates with Amazon Simple Storage Service (S3)"
    ]
    assert not anki_fields(notes, col, COMPARISON_MODEL_ID)


def test_anki_note_ids_are_stable_across_exports(G, tmp_path):
    first, _, _ = anki_notes(export(G, "anki", tmp_path / "a.apkg"), tmp_path)
    G.edges["lambda", "sqs", "integrates-with"]["evidence"].append(ev("new.md", 1, "More text"))
    second, _, _ = anki_notes(export(G, "anki", tmp_path / "b.apkg"), tmp_path)
    assert [guid for guid, _, _ in first] == [guid for guid, _, _ in second]
    assert [f for _, f, _ in first] != [f for _, f, _ in second]


# --- the user's notes --------------------------------------------------------------------------


@pytest.mark.notes
@pytest.mark.slow
def test_real_notes_export_in_every_format(shared_notes, tmp_path):
    from graph_data.build import build
    from graph_data.scope import Scope, select

    G = build(shared_notes).graph
    hub = max(G, key=G.degree)
    sub = select(G, Scope(focus=(hub,), depth=1))
    for fmt, (ext, _) in FORMATS.items():
        out = export(sub, fmt, tmp_path / f"sheet{ext}", title="Real notes")
        assert out.stat().st_size > 0
    H = nx.read_graphml(tmp_path / "sheet.graphml", force_multigraph=True)
    assert set(H) == set(sub) and edge_set(H) == edge_set(sub)
    page = (tmp_path / "sheet.html").read_text("utf-8")
    assert not [a for _, a in parse_html(page).tags if any(k.startswith("on") for k in a)]


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path):
    G = nx.MultiDiGraph()
    for i, name in enumerate(['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]):
        G.add_node(f"n{i}", short=name, name=name, category="Storage", files=[f"{name}.md"])
    out = export(G, "csv", tmp_path / "tables")
    for row in read_csv((out / "nodes.csv").read_text("utf-8")):
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), value


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_read_back_when_notes_hold_characters_xml_cannot_carry(fmt, tmp_path):
    G = nx.MultiDiGraph(notes="/tmp/notes\x07folder")
    G.add_node("s3", short="S3", name="Amazon S3\ufffe", category="Storage")
    G.add_node("sqs", short="SQS", name="Amazon SQS", category="Application Integration")
    evidence = [
        {"file": "a\x01.md", "line": 1, "text": "S3 feeds SQS\uffff", "cue": "", "weight": 1}
    ]
    G.add_edge("s3", "sqs", key="integrates-with", relation="integrates-with", evidence=evidence)
    out = export(G, fmt, tmp_path / f"g.{fmt}")
    H = nx.read_graphml(out, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(out)
    assert set(H) >= {"s3", "sqs"} or len(H) == 2
    assert H.number_of_edges() == 1


def test_the_focus_comes_first_in_its_own_sheet_then_its_neighbours_by_relation(tmp_path):
    G = nx.MultiDiGraph()
    for sid, short, category in (
        ("athena", "Athena", "Analytics"),
        ("glue", "Glue", "Analytics"),
        ("s3", "S3", "Storage"),
        ("redshift", "Redshift", "Analytics"),
    ):
        G.add_node(sid, short=short, name=short, category=category)
    evidence = [{"file": "n.md", "line": 1, "text": "written for this test"}]
    G.add_edge("s3", "glue", key="integrates-with", relation="integrates-with",
               confidence=0.6, evidence=evidence)  # fmt: skip
    G.add_edge("athena", "s3", key="integrates-with", relation="integrates-with",
               confidence=0.9, evidence=evidence)  # fmt: skip
    G.add_edge("redshift", "athena", key="alternative-to", relation="alternative-to",
               confidence=0.9, evidence=evidence)  # fmt: skip
    page = export(G, "markdown", tmp_path / "s3.md", emphasis="s3").read_text("utf-8")
    headings = [
        line for line in page.splitlines() if line.startswith("## ") or line.startswith("### ")
    ]
    names = [
        h.split(" ", 1)[1]
        for h in headings
        if h.split(" ", 1)[1] in ("S3", "Athena", "Glue", "Redshift")
    ]
    # S3 first, then its relations strongest first (Athena 0.9, Glue 0.6), then the rest.
    assert names[:4] == ["S3", "Athena", "Glue", "Redshift"]
    plain = export(G, "markdown", tmp_path / "all.md").read_text("utf-8")
    assert plain.index("Athena") < plain.index("S3")  # without a focus: category order
