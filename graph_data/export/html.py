"""The study sheet as one self-contained HTML page: the interactive graph, a legend, the tables.

The graph is drawn by pyvis (vis-network inlined, so the page works offline) in the app's
colours. Notes are untrusted: every note string is escaped before it reaches the page, in the
tables as in the tooltips. Tooltips are built here as escaped HTML and handed to vis-network as
DOM elements, because a plain string title would be shown with its tags as text.

An export of a focus (or made while a service is selected) draws that service as the canvas
draws a selection: a thick outline in the selection blue, a bold label and wider relations,
its neighbours as they are, and every other service and relation faded.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import networkx as nx
from pyvis.network import Network

from graph_data.export.sheet import (
    Comparison,
    RelationRow,
    ServiceSection,
    StudySheet,
    evidence_of,
    short_name,
    study_sheet,
)
from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES, category_color

__all__ = ["ExternalResourceError", "render_html"]

#: Evidence quotes shown in one edge tooltip (the tables below the graph hold them all).
TOOLTIP_EVIDENCE = 3
#: Longest evidence text in a tooltip, in characters.
TOOLTIP_TEXT = 220
#: Outline of the emphasised service: the canvas's near-black selection ring.
EMPHASIS_BORDER = "#111111"
#: How far a faded service or relation is mixed toward the white page (0: not at all).
FADE = 0.72

# pyvis 0.3.2's template always links Bootstrap from a CDN and repeats an empty <h1> heading;
# the page uses neither, and an offline page must not reach out.
_PYVIS_CLUTTER = (
    re.compile(r"<link\b[^>]*\bhref=\"https?://[^>]*>", re.S),
    re.compile(r"<script\b[^>]*\bsrc=\"https?://[^>]*>\s*</script>", re.S),
    re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.S),
    re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S),
)
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe|embed|object)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
    re.I,
)

_OPTIONS = {
    "nodes": {
        "shape": "dot",
        "font": {"size": 18, "face": "system-ui, sans-serif", "strokeWidth": 3},
        "borderWidth": 1,
        "scaling": {"min": 10, "max": 32},
    },
    "edges": {"width": 2, "smooth": {"type": "dynamic"}, "hoverWidth": 1.5},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
        "stabilization": {"iterations": 300},
    },
}


class ExternalResourceError(RuntimeError):
    """The page would load a script or style from the network (pyvis changed its template)."""


def render_html(G: nx.MultiDiGraph, title: str, *, emphasis: str | None = None) -> str:
    """The self-contained HTML study sheet of ``G``.

    ``emphasis`` is a service of ``G`` to make stand out in the graph (the focus of the export,
    or the service selected when it was made); an id not in ``G`` emphasises nothing.
    """
    if emphasis not in G:
        emphasis = None
    sheet = study_sheet(G, title, emphasis)
    page = _pyvis_page(G, emphasis)
    for pattern in _PYVIS_CLUTTER:
        page = pattern.sub("", page)
    head = f"<title>{_e(title)}</title>\n<style>{_CSS}{_relation_css()}</style>\n</head>"
    page = page.replace("</head>", head, 1)
    page = page.replace("<body>", f"<body>\n{_header(G, sheet, emphasis)}", 1)
    page = _replace_last(
        page, "</body>", f"{_tables(sheet)}\n<script>{_TOOLTIP_JS}</script>\n</body>"
    )
    if not page.lstrip().lower().startswith("<!doctype"):
        page = "<!DOCTYPE html>\n" + page
    found = _EXTERNAL.search(page)
    if found:
        raise ExternalResourceError(f"the page would load {found.group(0)!r}")
    return page


def _relation_css() -> str:
    # Same colours as the graph's edges; the pill behind a label is the colour, faded.
    return "".join(
        f".rel-{r} {{ background: {s.color}26; }}\n"
        f"blockquote.rel-{r} {{ border-left-color: {s.color}; background: var(--soft); }}\n"
        for r, s in RELATION_STYLES.items()
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _replace_last(text: str, old: str, new: str) -> str:
    head, sep, tail = text.rpartition(old)
    return head + new + tail if sep else text + new


def _pyvis_page(G: nx.MultiDiGraph, emphasis: str | None) -> str:
    net = Network(height="620px", width="100%", directed=True, cdn_resources="in_line")
    near = set(G.predecessors(emphasis)) | set(G.successors(emphasis)) if emphasis else set()
    # vis-network draws nodes in the order given: faded ones first, so none covers the others.
    rank = {**dict.fromkeys(near, 1), emphasis: 2}
    for n in sorted(G, key=lambda n: rank.get(n, 0)) if emphasis else G:
        d = G.nodes[n]
        colour = category_color(d.get("category"))
        options = {
            "label": short_name(G, n),
            "color": colour,
            "value": max(1, int(d.get("mentions") or 0)),
            "title": _node_tip(G, n),
        }
        if n == emphasis:
            options |= _emphasised_node(short_name(G, n), colour)
        elif emphasis and n not in near:
            options |= _faded_node(colour)
        net.add_node(str(n), **options)
    seen: dict[frozenset[str], int] = {}
    for u, v, d in G.edges(data=True):
        pair = frozenset((str(u), str(v)))
        seen[pair] = seen.get(pair, -1) + 1
        look = None if emphasis is None else emphasis in (u, v)
        net.add_edge(str(u), str(v), **_edge_options(G, u, v, d, seen[pair], look))
    net.options = _OPTIONS
    return net.generate_html()


def _node_colour(background: str, border: str) -> dict:
    # Hover and selection keep the look: vis-network's defaults would turn the node blue.
    plain = {"background": background, "border": border}
    return {**plain, "highlight": plain, "hover": plain}


def _emphasised_node(label: str, colour: str) -> dict:
    # multi="html" is vis-network's only way to a bold label; it reads <b> and the entities
    # &lt; and &amp;, and draws everything else as text on its canvas.
    text = label.replace("&", "&amp;").replace("<", "&lt;")
    return {
        "label": f"<b>{text}</b>",
        "color": _node_colour(colour, EMPHASIS_BORDER),
        "borderWidth": 5,
        "borderWidthSelected": 6,
        # Larger than its mentions alone would make it, and still growing with them.
        "scaling": {"min": 20, "max": 40},
        "font": {"size": 24, "multi": "html", "bold": {"color": "#111827"}},
        "shadow": {"enabled": True, "color": "rgba(21,101,192,0.45)", "size": 16, "x": 0, "y": 0},
    }


def _faded_node(colour: str) -> dict:
    return {
        "color": _node_colour(_fade(colour), _fade("#59636e")),
        "font": {"color": "#8c959f"},
    }


def _fade(colour: str, amount: float = FADE) -> str:
    """``colour`` (``#rrggbb``) mixed ``amount`` of the way toward white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _edge_options(
    G: nx.MultiDiGraph, u: str, v: str, d: dict, nth: int, emphasised: bool | None = None
) -> dict:
    """vis-network options of one relation; ``emphasised`` None when nothing is emphasised."""
    relation = str(d.get("relation", ""))
    style = RELATION_STYLES.get(relation)
    colour = style.color if style else "#888888"
    width = 1.5 + 2.5 * float(d.get("confidence") or 0)
    if emphasised:
        width = 2 * width + 1
    elif emphasised is False:
        colour, width = _fade(colour), 0.7 * width
    options: dict = {
        "title": _edge_tip(G, u, v, d),
        "color": colour,
        "dashes": bool(style and style.dashed),
        "arrows": {"to": {"enabled": bool(style and style.arrow), "scaleFactor": 0.8}},
        "width": width,
    }
    if nth:
        # A second relation between the same two services would hide under the first.
        options["smooth"] = {"type": "curvedCW", "roundness": 0.25 * nth}
    return options


def _node_tip(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    files = d.get("files") or []
    lines = [
        f"<b>{_e(short_name(G, n))}</b> — {_e(d.get('name') or n)}",
        f"<i>{_e(d.get('category') or 'Uncategorised')}</i>",
        f"{int(d.get('mentions') or 0)} mentions in {len(files)} files",
    ]
    if d.get("description"):
        lines.append(_e(_clip(str(d["description"]))))
    # pyvis switches to its own innerHTML popup when a node title contains "href"; a
    # character reference keeps the text readable without flipping that switch.
    return "<br>".join(lines).replace("href", "&#104;ref")


def _edge_tip(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> str:
    relation = str(d.get("relation", ""))
    style = RELATION_STYLES.get(relation)
    verb = relation if relation == "replaces" or style is None else style.label
    evidence = evidence_of(d)
    lines = [
        f"<b>{_e(short_name(G, u))} {_e(verb)} {_e(short_name(G, v))}</b>",
        f"confidence {float(d.get('confidence') or 0):.2f}, {len(evidence)} passages",
    ]
    lines += [
        f"“{_e(_clip(e.text))}” <span class='where'>{_e(e.where)}</span>"
        for e in evidence[:TOOLTIP_EVIDENCE]
    ]
    return "<br>".join(lines)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TOOLTIP_TEXT else text[: TOOLTIP_TEXT - 1] + "…"


def _header(G: nx.MultiDiGraph, sheet: StudySheet, emphasis: str | None) -> str:
    n, m = G.number_of_nodes(), G.number_of_edges()
    # Without a word, a reader could take the faded services for missing or weak ones.
    stands_out = (
        f" · <b>{_e(short_name(G, emphasis))}</b> and its relations stand out" if emphasis else ""
    )
    return (
        f"<header><h1>{_e(sheet.title)}</h1>"
        f"<p class='summary'>{n} services · {m} relations{stands_out} · drag to move, "
        "scroll to zoom, hover for the evidence</p>"
        f"{_legend(G)}</header>"
    )


def _legend(G: nx.MultiDiGraph) -> str:
    categories = sorted({str(d.get("category") or "Uncategorised") for _, d in G.nodes(data=True)})
    chips = "".join(
        f"<span class='chip'><span class='dot' style='background:{category_color(c)}'></span>"
        f"{_e(c)}</span>"
        for c in categories
    )
    lines = "".join(
        f"<span class='chip'>{_line_sample(r)}{_e(RELATION_STYLES[r].label)}</span>"
        for r in RELATIONS
    )
    return (
        "<div class='legend'><div><span class='legend-title'>Categories</span>"
        f"{chips}</div><div><span class='legend-title'>Relations</span>{lines}</div></div>"
    )


def _line_sample(relation: str) -> str:
    s = RELATION_STYLES[relation]
    dash = " stroke-dasharray='6 4'" if s.dashed else ""
    arrow = f"<polygon points='32,2 40,7 32,12' fill='{s.color}'/>" if s.arrow else ""
    return (
        "<svg class='sample' width='42' height='14' aria-hidden='true'>"
        f"<line x1='2' y1='7' x2='{33 if s.arrow else 40}' y2='7' stroke='{s.color}' "
        f"stroke-width='3'{dash}/>{arrow}</svg>"
    )


def _anchor(service: str) -> str:
    return f"svc-{service}"


def _tables(sheet: StudySheet) -> str:
    parts = ["<main>", "<h2 class='part'>Services</h2>"]
    parts += [_section(s) for s in sheet.sections]
    if sheet.comparisons:
        parts.append("<h2 class='part'>Compare</h2>")
        parts += [_comparison(c) for c in sheet.comparisons]
    parts.append("</main>")
    return "\n".join(parts)


def _section(s: ServiceSection) -> str:
    colour = category_color(s.category)
    out = [
        f"<section class='service' id='{_e(_anchor(s.id))}' style='border-color:{colour}'>",
        f"<h3>{_e(s.short)} <span class='official'>{_e(s.name)}</span></h3>",
        f"<p class='category'><span class='dot' style='background:{colour}'></span>"
        f"{_e(s.category)}</p>",
    ]
    if s.description:
        out.append(f"<p class='description'>{_e(s.description)}</p>")
    if not s.rows:
        out.append("<p class='empty'>No relations in this export.</p></section>")
        return "\n".join(out)
    out.append(
        "<table><thead><tr><th>Related service</th><th>Relation</th>"
        "<th class='num'>Evidence</th><th class='num'>Confidence</th></tr></thead><tbody>"
    )
    out += [_row(r) for r in s.rows]
    out.append("</tbody></table>")
    for r in s.rows:
        if r.quoted_under:
            continue
        out += [_quote(e, r) for e in r.fresh]
        if r.quoted_above:
            places = ", ".join(_e(e.where) for e in r.quoted_above)
            out.append(
                f"<p class='empty'>{_e(r.label)} {_e(r.other_short)}: {places}, quoted above</p>"
            )
    out.append("</section>")
    return "\n".join(out)


def _row(r: RelationRow) -> str:
    href = "#" + quote(_anchor(r.other), safe="-_.~")
    return (
        f"<tr><td><a href='{_e(href)}'>{_e(r.other_short)}</a></td>"
        f"<td><span class='rel rel-{_e(r.relation)}'>{_e(r.label)}</span></td>"
        f"<td class='num'>{len(r.evidence)}{_under(r)}</td>"
        f"<td class='num'>{r.confidence:.2f}</td></tr>"
    )


def _under(r: RelationRow) -> str:
    """Where a relation's passages are quoted, when not in this section."""
    if not r.quoted_under:
        return ""
    return f"<span class='under'>quoted under {_e(r.quoted_under)}</span>"


def _quote(e: Evidence, r: RelationRow | None = None) -> str:
    about = f" · {_e(r.label)} {_e(r.other_short)}" if r else ""
    relation = _e(r.relation) if r else "alternative-to"
    return (
        f"<blockquote class='rel-{relation}'><p>{_e(e.text)}</p>"
        f"<cite>{_e(e.where)}{about}</cite></blockquote>"
    )


def _comparison(c: Comparison) -> str:
    out = [f"<section class='compare'><h3>{_e(c.title)}</h3>"]
    if not c.evidence and not c.quoted_under:
        out.append("<p class='empty'>No passage contrasts them directly.</p>")
    out += [_quote(e) for e in c.evidence]
    if c.quoted_under:
        names = ", ".join(_e(t) for t in c.quoted_under)
        more = "More passages" if c.evidence else "Its passages are quoted"
        out.append(f"<p class='empty'>{more} under {names}.</p>")
    out.append("</section>")
    return "\n".join(out)


# Titles arrive as HTML strings built above from escaped parts; vis-network shows a string
# title as text, so each becomes an element.
_TOOLTIP_JS = """
(function () {
  function tip(markup) {
    var el = document.createElement("div");
    el.className = "atlas-tip";
    el.innerHTML = markup;
    return el;
  }
  function convert(set) {
    set.update(set.get().filter(function (item) { return typeof item.title === "string"; })
      .map(function (item) { return {id: item.id, title: tip(item.title)}; }));
  }
  if (typeof nodes !== "undefined" && nodes) { convert(nodes); }
  if (typeof edges !== "undefined" && edges) { convert(edges); }
})();
"""

_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
body { margin: 0 auto; max-width: 1180px; padding: 18px 24px 48px; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #fff; }
header h1 { margin: 4px 0 2px; font-size: 26px; }
.summary { margin: 0 0 10px; color: var(--muted); }
.legend { display: flex; flex-direction: column; gap: 6px; margin-bottom: 12px; font-size: 13px; }
.legend > div { display: flex; flex-wrap: wrap; align-items: center; }
.legend-title { font-weight: 600; margin-right: 8px; color: var(--muted); }
.chip { display: inline-flex; align-items: center; gap: 6px; margin: 2px 12px 2px 0; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid rgba(0,0,0,.25); }
.sample { vertical-align: middle; }
.card { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
#mynetwork { border: none !important; float: none !important; }
.vis-tooltip, .atlas-tip { max-width: 420px; white-space: normal !important; font-size: 13px; }
.vis-tooltip { background: #fffef6 !important; border: 1px solid #c9c4a8 !important;
  border-radius: 6px !important; padding: 8px 10px !important;
  box-shadow: 0 3px 10px rgba(0,0,0,.15); }
.atlas-tip .where { color: var(--muted); font-size: 12px; }
main { clear: both; }
h2.part { margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
section.service, section.compare { margin: 18px 0 26px; padding-left: 14px;
  border-left: 4px solid var(--line); }
section h3 { margin: 0; font-size: 20px; }
.official { font-weight: 400; color: var(--muted); font-size: 15px; margin-left: 6px; }
.category { margin: 2px 0 6px; color: var(--muted); font-size: 13px; display: flex;
  align-items: center; gap: 6px; }
.description { margin: 4px 0 10px; }
.empty { color: var(--muted); font-style: italic; }
.under { display: block; color: var(--muted); font-size: 0.8em; white-space: nowrap; }
table { border-collapse: collapse; margin: 8px 0 12px; min-width: 60%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; }
th { background: var(--soft); font-weight: 600; }
tbody tr:nth-child(even) { background: #fbfcfd; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: #0b62d6; text-decoration: none; }
a:hover { text-decoration: underline; }
.rel { padding: 1px 8px; border-radius: 10px; font-size: 13px; white-space: nowrap; }
blockquote { margin: 8px 0; padding: 6px 12px; background: var(--soft);
  border-left: 4px solid var(--line); border-radius: 0 6px 6px 0; }
blockquote p { margin: 0 0 2px; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote cite { color: var(--muted); font-size: 12px; font-style: normal; }
"""
