"""Anki flash cards (``.apkg``) drilled from the relations, one fact per card.

The deck holds three note types, made the way good shared decks are:

* a *relation* note per relation, with two cards (both directions: "Lambda integrates with
  ?" and "? integrates with SQS"; "What replaced AWS SSO?" and "What does IAM Identity Center
  replace?"), the strongest quote and its ``file:line`` on the back;
* a *cloze* note per relation whose evidence holds a sentence naming both services, with the
  names hidden ("{{c1::Kinesis Data Firehose}} delivers to {{c2::S3}}");
* a *comparison* note per group of services the notes present as alternatives to each other,
  strongest first, saying when the group is cut to the export (given the graph it was cut from).

Every piece of note text is escaped: HTML, and also the braces and brackets Anki reads as cloze,
sound and LaTeX markup. Note GUIDs hash the relation's (or group's) identity, and the deck and
note-type ids are constants, so re-importing an updated export updates the cards instead of
duplicating them.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx

from graph_data.export.sheet import evidence_of, short_name

__all__ = [
    "CLOZE_MODEL_ID",
    "COMPARISON_MODEL_ID",
    "DECK_ID",
    "MAX_GROUP",
    "MODEL_ID",
    "AnkiNote",
    "AnkiUnavailableError",
    "alternative_groups",
    "notes",
    "render_apkg",
    "tag",
]

#: Fixed ids: Anki recognises the deck and the note types across exports by these.
DECK_ID = 1_724_310_562
#: The relation note type (two cards a note). A new id, as are the GUIDs: the one-card-per-
#: service notes of earlier exports have other fields, so Anki keeps them beside the new ones
#: (to be deleted with their note type, "Service Atlas relation") instead of mixing the two.
MODEL_ID = 1_611_402_738
CLOZE_MODEL_ID = 1_611_402_739
COMPARISON_MODEL_ID = 1_611_402_740
#: Quotes on the back of a comparison card; the others are listed by place.
BACK_EVIDENCE = 4
#: Places listed under "Also in" before the rest is counted.
MORE_PLACES = 8
#: A connected group of alternatives larger than this is no longer one comparison a student can
#: hold; its groups of mutual alternatives (cliques) are compared instead.
MAX_GROUP = 8

_GUID_NAMESPACE = "service-atlas"

# The forward card gives the source ({a}) and asks for the target, the reverse card the other
# way round; the third phrase states the fact, the note's first field (Anki's duplicate check).
_PHRASES = {
    "integrates-with": (
        "{a} integrates with {blank}",
        "{blank} integrates with {b}",
        "{a} integrates with {b}",
    ),
    "alternative-to": (
        "{a} is an alternative to {blank}",
        "{blank} is an alternative to {b}",
        "{a} is an alternative to {b}",
    ),
    # The source of a "replaces" relation is the successor, the target the retired service.
    "replaces": ("What does {a} replace?", "What replaced {b}?", "{a} replaced {b}"),
}
_BLANK = "<span class='blank'>?</span>"
_KIND = {
    "integrates-with": "Integration",
    "alternative-to": "Alternatives",
    "replaces": "Replacements",
}

_RELATION_FIELDS = (
    "Fact",
    "Kind",
    "Question",
    "Answer",
    "Hint",
    "Also right",
    "Reverse question",
    "Reverse answer",
    "Reverse hint",
    "Reverse also right",
    "Quote",
    "Source",
    "Also in",
)
_CLOZE_FIELDS = ("Text", "Source", "Fact")
_COMPARISON_FIELDS = ("Title", "Services", "Evidence", "Scope")

_QUOTE_BACK = (
    "{{#Quote}}<blockquote>{{Quote}}<div class='source'>{{Source}}</div></blockquote>{{/Quote}}"
    "{{#Also in}}<div class='more'>Also in {{Also in}}</div>{{/Also in}}"
)
_RELATION_TEMPLATES = [
    {
        "name": "Forward",
        "qfmt": (
            "<div class='kind'>{{Kind}}</div><div class='question'>{{Question}}</div>"
            "<div class='hint'>{{Hint}}</div>"
        ),
        "afmt": (
            "{{FrontSide}}<hr id='answer'><div class='answer'>{{Answer}}</div>"
            "{{#Also right}}<div class='also'>Also right in this deck: {{Also right}}</div>"
            "{{/Also right}}" + _QUOTE_BACK
        ),
    },
    {
        "name": "Reverse",
        "qfmt": (
            "<div class='kind'>{{Kind}}</div><div class='question'>{{Reverse question}}</div>"
            "<div class='hint'>{{Reverse hint}}</div>"
        ),
        "afmt": (
            "{{FrontSide}}<hr id='answer'><div class='answer'>{{Reverse answer}}</div>"
            "{{#Reverse also right}}<div class='also'>Also right in this deck: "
            "{{Reverse also right}}</div>{{/Reverse also right}}" + _QUOTE_BACK
        ),
    },
]
_CLOZE_TEMPLATES = [
    {
        "name": "Cloze",
        "qfmt": (
            "<div class='kind'>Which service?</div><div class='quote-cloze'>{{cloze:Text}}</div>"
            "<div class='source'>{{Source}}</div>"
        ),
        "afmt": (
            "<div class='kind'>Which service?</div><div class='quote-cloze'>{{cloze:Text}}</div>"
            "<div class='source'>{{Source}}</div><hr id='answer'><div class='fact'>{{Fact}}</div>"
        ),
    },
]
_COMPARISON_TEMPLATES = [
    {
        "name": "Compare",
        "qfmt": (
            "<div class='kind'>Compare</div><div class='question'>{{Title}}</div>"
            "<div class='hint'>What sets each apart, and when would you pick it?</div>"
        ),
        "afmt": (
            "{{FrontSide}}<hr id='answer'>{{Services}}{{Evidence}}"
            "{{#Scope}}<div class='scope'>{{Scope}}</div>{{/Scope}}"
        ),
    },
]
_CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left;
  color: #1f2328; background: #ffffff;
  max-width: 36em; margin: 0 auto; padding: 16px 20px;
}
.kind {
  font-size: 13px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase;
  color: #57606a;
}
.question { font-size: 25px; font-weight: 600; margin: 6px 0 4px; }
.blank {
  display: inline-block; min-width: 2.6em; text-align: center; color: #0969da;
  border-bottom: 3px solid #0969da;
}
.hint { font-size: 16px; color: #57606a; }
.answer { font-size: 27px; font-weight: 700; color: #0a3069; margin: 4px 0 2px; }
.fact { font-size: 17px; color: #57606a; margin-bottom: 10px; }
.also { font-size: 16px; color: #57606a; margin-bottom: 8px; }
blockquote {
  margin: 8px 0; padding: 8px 14px; border-left: 4px solid #0969da; background: #f6f8fa;
  font-size: 18px;
}
.quote-cloze { font-size: 22px; margin: 10px 0 6px; }
.source, .more { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 13px; color: #57606a; margin-top: 4px; }
.cloze { font-weight: 700; color: #0969da; }
ul.services { padding-left: 1.1em; margin: 6px 0; font-size: 17px; }
ul.services li { margin: 4px 0; }
.category { font-size: 14px; color: #57606a; }
.scope {
  font-size: 15px; margin-top: 10px; padding: 6px 10px; border-radius: 4px;
  background: #fff8c5; color: #3b2300;
}
.card.nightMode { color: #e6edf3; background: #1f2328; }
.nightMode .kind, .nightMode .hint, .nightMode .fact, .nightMode .also, .nightMode .source,
.nightMode .more, .nightMode .category { color: #9198a1; }
.nightMode .answer { color: #79c0ff; }
.nightMode .blank, .nightMode .cloze { color: #58a6ff; border-color: #58a6ff; }
.nightMode blockquote { background: #2d333b; border-color: #58a6ff; }
.nightMode .scope { background: #3b2e00; color: #f2cc60; }
"""


class AnkiUnavailableError(RuntimeError):
    """genanki, which writes ``.apkg`` files, is not installed."""


def _genanki() -> ModuleType:
    # Imported on use: every other export works without genanki installed.
    try:
        import genanki
    except ImportError as exc:
        raise AnkiUnavailableError("the Anki export needs genanki: pip install genanki") from exc
    return genanki


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One note: its type ("relation", "cloze", "comparison"), GUID, HTML fields and tags."""

    kind: str
    guid: str
    fields: dict[str, str]
    tags: tuple[str, ...]


def tag(*parts: str) -> str:
    """An Anki tag (no spaces allowed) from readable words, parts joined as a hierarchy.

    Examples
    --------
    >>> tag("category", "Security, Identity & Compliance")
    'category::Security_Identity_Compliance'
    """
    return "::".join(re.sub(r"[^\w-]+", "_", p).strip("_") or "_" for p in parts)


def notes(G: nx.MultiDiGraph, *, whole: nx.MultiDiGraph | None = None) -> list[AnkiNote]:
    """The notes of ``G``'s deck in study order: strongest relations first, then comparisons.

    ``whole`` is the graph ``G`` was cut from, when it was: a comparison card then says which
    alternatives the notes name outside the export.
    """
    edges = sorted(
        (
            (str(u), str(v), d)
            for u, v, d in G.edges(data=True)
            if u != v and d.get("relation") in _PHRASES
        ),
        key=lambda e: (-float(e[2].get("confidence") or 0), e[2]["relation"], e[0], e[1]),
    )
    answers = _answer_index(G)
    found: list[AnkiNote] = []
    for u, v, d in edges:
        found.append(_relation_note(G, answers, u, v, d))
        cloze = _cloze_note(G, u, v, d)
        if cloze is not None:
            found.append(cloze)
    found += _comparison_notes(G, whole)
    return found


def render_apkg(G: nx.MultiDiGraph, title: str, *, whole: nx.MultiDiGraph | None = None) -> bytes:
    """The ``.apkg`` file (a zip with the SQLite collection) holding one deck of ``G``'s notes.

    ``whole`` is the graph ``G`` was cut from, as for :func:`notes`.
    """
    genanki = _genanki()
    models = _models()
    deck = genanki.Deck(
        DECK_ID,
        title or "Service Atlas",
        description="Drilled from your notes by Service Atlas: one relation a card, with the "
        "passage that states it.",
    )
    for due, note in enumerate(notes(G, whole=whole)):
        model = models[note.kind]
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[note.fields[f["name"]] for f in model.fields],
                tags=list(note.tags),
                guid=note.guid,
                # New cards come in this order: the strongest relations first.
                due=due,
            )
        )
    with tempfile.TemporaryDirectory(prefix="service-atlas-anki-") as tmp:
        out = Path(tmp) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(out))
        return out.read_bytes()


def alternative_groups(G: nx.MultiDiGraph) -> list[tuple[str, ...]]:
    """Groups of services the notes present as alternatives to each other, strongest first.

    A connected part of the alternative-to relations is one group, members strongest first;
    one larger than :data:`MAX_GROUP` gives its groups of mutual alternatives (three or more)
    instead, as a long chain of "A or B", "B or C" is no comparison a student can learn.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for a, b, c in [("sqs", "sns", 0.6), ("sqs", "kinesis", 0.9), ("ecs", "eks", 0.7)]:
    ...     _ = G.add_edge(a, b, key="alternative-to", relation="alternative-to", confidence=c)
    >>> alternative_groups(G)
    [('sqs', 'kinesis', 'sns'), ('ecs', 'eks')]
    """
    alt = _alternatives(G)
    groups: list[frozenset[str]] = []
    for component in nx.connected_components(alt):
        if len(component) <= MAX_GROUP:
            groups.append(frozenset(component))
        else:
            cliques = nx.find_cliques(alt.subgraph(component))
            groups += [frozenset(c) for c in cliques if len(c) >= 3]
    ranked = [_ranked_members(alt, g) for g in groups]
    return sorted(ranked, key=lambda m: (-_strength(alt, m), m))


# --- relation notes ---------------------------------------------------------------------------


#: (relation, the service a card gives, forward?) -> every service that answers it.
_Answers = dict[tuple[str, str, bool], set[str]]


def _relation_note(G: nx.MultiDiGraph, answers: _Answers, u: str, v: str, d: dict) -> AnkiNote:
    relation = d["relation"]
    hint, also = _hint(G, answers, relation, u, v, forward=True)
    reverse_hint, reverse_also = _hint(G, answers, relation, v, u, forward=False)
    forward, reverse, fact = _PHRASES[relation]
    a, b = _e(_display(G, u)), _e(_display(G, v))
    evidence = _ranked_evidence(G, u, v, d)
    best = evidence[0] if evidence else None
    fields = {
        "Fact": fact.format(a=a, b=b),
        "Kind": _KIND[relation],
        "Question": forward.format(a=a, b=b, blank=_BLANK),
        "Answer": b,
        "Hint": hint,
        "Also right": also,
        "Reverse question": reverse.format(a=a, b=b, blank=_BLANK),
        "Reverse answer": a,
        "Reverse hint": reverse_hint,
        "Reverse also right": reverse_also,
        "Quote": _marked(G, best.text, (u, v), _bold) if best else "",
        "Source": _e(best.where) if best else "",
        "Also in": _places(evidence[1:]),
    }
    return AnkiNote(
        kind="relation",
        guid=_guid("relation", relation, *_identity(relation, u, v)),
        fields=fields,
        tags=_tags(G, "relation", relation, u, v),
    )


def _hint(
    G: nx.MultiDiGraph, answers: _Answers, relation: str, given: str, answer: str, forward: bool
) -> tuple[str, str]:
    """The hint on the front of a card, and the other right answers for its back."""
    category = G.nodes[answer].get("category")
    # The notes often link a service to several others: the category narrows the answer, the
    # count says how many the question has and the back names the others, so that a student who
    # gives one of them is not marked wrong. The deck may hold a part of the notes: "in this deck".
    same = sorted(
        (o for o in answers.get((relation, given, forward), ()) if o != answer),
        key=lambda o: (_display(G, o).lower(), o),
    )
    same = [o for o in same if G.nodes[o].get("category") == category]
    count = f"one of {len(same) + 1} answers in this deck" if same else ""
    if not category:
        return count.capitalize(), ", ".join(_e(_display(G, o)) for o in same)
    hint = f"A service in {_e(str(category))}" + (f" ({count})" if count else "")
    return hint, ", ".join(_e(_display(G, o)) for o in same)


def _answer_index(G: nx.MultiDiGraph) -> _Answers:
    found: _Answers = {}
    for u, v, d in G.edges(data=True):
        relation = d.get("relation")
        if relation not in _PHRASES or u == v:
            continue
        # A forward card gives the source and asks for the target; only "replaces" is one-way.
        found.setdefault((relation, u, True), set()).add(v)
        found.setdefault((relation, v, False), set()).add(u)
        if relation != "replaces":
            found.setdefault((relation, v, True), set()).add(u)
            found.setdefault((relation, u, False), set()).add(v)
    return found


def _identity(relation: str, u: str, v: str) -> tuple[str, str]:
    # The two symmetric relations mean the same stored either way round.
    return (u, v) if relation == "replaces" else (min(u, v), max(u, v))


# --- cloze notes ------------------------------------------------------------------------------


def _cloze_note(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> AnkiNote | None:
    relation = d["relation"]
    # A deletion needs the other service in view, and words around it to recall it by.
    for e in _ranked_evidence(G, u, v, d):
        if not _is_sentence(G, e, (u, v)):
            continue
        a, b = _e(_display(G, u)), _e(_display(G, v))
        fields = {
            "Text": _marked(G, e.text, (u, v), _cloze),
            "Source": _e(e.where),
            "Fact": _PHRASES[relation][2].format(a=a, b=b),
        }
        return AnkiNote(
            kind="cloze",
            guid=_guid("cloze", relation, *_identity(relation, u, v)),
            fields=fields,
            tags=_tags(G, "cloze", relation, u, v),
        )
    return None


# --- comparison notes -------------------------------------------------------------------------


def _comparison_notes(G: nx.MultiDiGraph, whole: nx.MultiDiGraph | None) -> list[AnkiNote]:
    alt = _alternatives(G)
    groups = alternative_groups(G)
    # A group is named by its first member in id order, so a card follows its group as the
    # notes add or drop members; overlapping groups (from a split) need all their members.
    anchors = [min(g) for g in groups]
    found = []
    for members, anchor in zip(groups, anchors, strict=True):
        identity = (anchor,) if anchors.count(anchor) == 1 else tuple(sorted(members))
        evidence = _group_evidence(G, alt, members)
        services = "".join(
            f"<li><b>{_e(short_name(G, m))}</b> <span class='category'>{_e(_display(G, m))}"
            f" · {_e(_category(G, m))}</span>{_description(G, m)}</li>"
            for m in members
        )
        fields = {
            "Title": " · ".join(_e(short_name(G, m)) for m in members),
            "Services": f"<ul class='services'>{services}</ul>",
            "Evidence": _group_quotes(G, evidence, members),
            "Scope": _outside(G, whole, members),
        }
        tags = {tag("category", _category(G, m)) for m in members}
        tags |= {tag("relation", "alternative-to"), tag(_GUID_NAMESPACE, "comparison")}
        found.append(
            AnkiNote(
                kind="comparison",
                guid=_guid("comparison", *identity),
                fields=fields,
                tags=tuple(sorted(tags)),
            )
        )
    return found


def _alternatives(G: nx.MultiDiGraph) -> nx.Graph:
    alt = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d.get("relation") == "alternative-to" and u != v:
            confidence = float(d.get("confidence") or 0)
            if not alt.has_edge(u, v) or alt.edges[u, v]["weight"] < confidence:
                alt.add_edge(u, v, weight=confidence, data=d, ends=(u, v))
    return alt


def _ranked_members(alt: nx.Graph, group: frozenset[str]) -> tuple[str, ...]:
    inside = alt.subgraph(group)
    return tuple(sorted(group, key=lambda n: (-inside.degree(n, weight="weight"), n)))


def _strength(alt: nx.Graph, members: tuple[str, ...]) -> float:
    return float(alt.subgraph(members).size(weight="weight"))


def _group_evidence(G: nx.MultiDiGraph, alt: nx.Graph, members: tuple[str, ...]) -> list[_Quote]:
    pairs = sorted(
        alt.subgraph(members).edges(data=True),
        key=lambda e: (-e[2]["weight"], min(e[0], e[1]), max(e[0], e[1])),
    )
    seen: dict[tuple[str, str], _Quote] = {}
    for _, _, a in pairs:
        u, v = a["ends"]
        for q in _ranked_evidence(G, u, v, a["data"]):
            seen.setdefault((q.where, q.text), q)
    # The strongest pair's sentences first, and every sentence before any heading.
    return sorted(seen.values(), key=lambda q: q.form)


def _group_quotes(G: nx.MultiDiGraph, evidence: list[_Quote], members: tuple[str, ...]) -> str:
    shown = evidence[:BACK_EVIDENCE]
    quotes = "".join(
        f"<blockquote>{_marked(G, e.text, members, _bold)}"
        f"<div class='source'>{_e(e.where)}</div></blockquote>"
        for e in shown
    )
    rest = _places(evidence[BACK_EVIDENCE:])
    return quotes + (f"<div class='more'>Also in {rest}</div>" if rest else "")


def _outside(G: nx.MultiDiGraph, whole: nx.MultiDiGraph | None, members: tuple[str, ...]) -> str:
    if whole is None:
        return ""
    alt = _alternatives(whole)
    beyond = sorted(
        {o for m in members if m in alt for o in alt[m] if o not in G},
        key=lambda n: (short_name(whole, n).lower(), n),
    )
    if not beyond:
        return ""
    shown = [_e(short_name(whole, n)) for n in beyond]
    names = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return (
        "Limited to the services in this export: your notes also name "
        f"{names} as {'an alternative' if len(beyond) == 1 else 'alternatives'} to them."
    )


def _description(G: nx.MultiDiGraph, service: str) -> str:
    text = str(G.nodes[service].get("description") or "")
    return f"<br>{_e(text)}" if text else ""


# --- evidence and names in it -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Quote:
    """A piece of evidence as a card shows it: words without Markdown marks, place and form."""

    text: str
    where: str
    form: int  # _PROSE, _TABLE or _HEADING
    named: frozenset[str]  # which of the relation's services it names


_PROSE, _TABLE, _HEADING = 0, 1, 2
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•◦▪>]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__|`")


def _ranked_evidence(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> list[_Quote]:
    """The edge's evidence, strongest first.

    Sentences come before table rows and headings ("## SQS vs SNS" says little on a card), and
    among each, quotes naming both services before those naming one; then the notes' own words
    before a reason typed with a correction, and the weightier.
    """
    weights = {
        (str(e.get("file", "")), int(e.get("line") or 0), str(e.get("text", ""))): float(
            e.get("weight") or 0
        )
        for e in d.get("evidence") or ()
    }
    ranked = []
    for e in evidence_of(d):
        form, text = _clean(e.text)
        named = frozenset(s for s, _, _ in _spans(G, text, (u, v)))
        weight = weights.get((e.file, e.line, e.text), 0.0)
        quote = _Quote(text, e.where, form, named)
        ranked.append(((form, -len(named), 0 if e.line else 1, -weight), quote))
    # evidence_of's file and line order breaks ties (the sort is stable): the same quote always.
    ranked.sort(key=lambda r: r[0])
    return [q for _, q in ranked]


def _clean(text: str) -> tuple[int, str]:
    """What a quote is (sentence, table row or heading) and its words without Markdown marks.

    Examples
    --------
    >>> _clean("## SQS vs SNS"), _clean("| | SQS | SNS |"), _clean("- **SQS** polls")
    ((2, 'SQS vs SNS'), (1, 'SQS · SNS'), (0, 'SQS polls'))
    """
    text = _EMPHASIS.sub("", text.strip())
    if _HEADING_MARK.match(text):
        return _HEADING, _HEADING_MARK.sub("", text).strip()
    if text.startswith("|"):
        cells = [c.strip() for c in text.strip("|").split("|")]
        return _TABLE, " · ".join(c for c in cells if c and not set(c) <= set("-: "))
    while _LIST_MARK.match(text):
        text = _LIST_MARK.sub("", text, count=1)
    return _PROSE, text.strip()


def _is_sentence(G: nx.MultiDiGraph, q: _Quote, ends: tuple[str, str]) -> bool:
    """Whether a quote names both ``ends`` in a sentence with a few words of its own."""
    if q.form != _PROSE or q.named != set(ends):
        return False
    rest = q.text
    for _, start, end in reversed(_spans(G, q.text, ends)):
        rest = rest[:start] + " " + rest[end:]
    return len(re.findall(r"[A-Za-z]{2,}", rest)) >= 3


@cache
def _linker() -> Any:  # a graph_data.linker.Linker; imported late, as building it reads the catalog
    from graph_data.linker import Linker

    return Linker()


def _names(G: nx.MultiDiGraph, service: str) -> list[str]:
    d = G.nodes[service]
    forms = [str(d.get("name") or ""), str(d.get("short") or ""), *map(str, d.get("aliases") or ())]
    forms += [re.sub(r"^(?:Amazon|AWS)\s+", "", f) for f in forms]
    return sorted({f for f in forms if len(f) >= 2}, key=lambda f: (-len(f), f))


def _spans(G: nx.MultiDiGraph, text: str, ends: Iterable[str]) -> list[tuple[str, int, int]]:
    """Where ``text`` names each of ``ends``: (service, start, end), in order, never overlapping.

    The linker that found the relation finds the names; a service it does not know (one added
    by a correction) is looked for by its names, outside the names of other services.
    """
    ends = tuple(dict.fromkeys(ends))
    known = {s: {n.lower() for n in _names(G, s)} for s in ends if s in G}
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _linker().find(text, context=ends):
        # A graph may name a catalog service by an id of its own: its names still count.
        owner = m.service if m.service in ends else None
        owner = owner or next((s for s, names in known.items() if m.surface.lower() in names), None)
        if owner is not None:
            found.append((owner, m.start, m.end))
        taken.append((m.start, m.end))
    for service in ends:
        if service not in G or any(s == service for s, _, _ in found):
            continue
        for name in _names(G, service):
            for hit in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                if not any(hit.start() < b and a < hit.end() for a, b in taken):
                    found.append((service, hit.start(), hit.end()))
                    taken.append(hit.span())
    found.sort(key=lambda s: (s[1], -s[2]))
    kept: list[tuple[str, int, int]] = []
    for s in found:
        if not kept or s[1] >= kept[-1][2]:
            kept.append(s)
    return kept


def _marked(G: nx.MultiDiGraph, text: str, ends: Iterable[str], mark: Any) -> str:
    """``text`` escaped, each name of ``ends`` wrapped by ``mark(ordinal, escaped name)``."""
    ends = tuple(ends)
    out, at = [], 0
    for service, start, end in _spans(G, text, ends):
        out.append(_e(text[at:start]))
        out.append(mark(ends.index(service) + 1, text[start:end]))
        at = end
    out.append(_e(text[at:]))
    return "".join(out)


def _bold(_: int, name: str) -> str:
    return f"<b>{_e(name)}</b>"


def _cloze(ordinal: int, name: str) -> str:
    # Inside a deletion, "::" would start a hint and "}}" end it early: both are escaped too.
    return f"{{{{c{ordinal}::{_e(name).replace(':', '&#58;')}}}}}"


def _places(evidence: Iterable[_Quote]) -> str:
    places = list(dict.fromkeys(e.where for e in evidence))
    shown = " · ".join(_e(p) for p in places[:MORE_PLACES])
    more = len(places) - MORE_PLACES
    return shown + (f" · and {more} more" if more > 0 else "")


# --- shared -----------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _e(text: str) -> str:
    """Note text made inert: HTML escaped, and the markup Anki reads in fields as well.

    Braces would open or close a cloze deletion ("{{c1::"), and square brackets start sound,
    text-to-speech and LaTeX tags ("[sound:x.mp3]", "[latex]"), so both become entities. Control
    characters go: the package separates a note's fields with one (\x1f), and a note holding it
    would make Anki refuse the whole deck.
    """
    escaped = html.escape(_CONTROL.sub("", text))
    for char, entity in (("{", "&#123;"), ("}", "&#125;"), ("[", "&#91;"), ("]", "&#93;")):
        escaped = escaped.replace(char, entity)
    return escaped


def _guid(*parts: str) -> str:
    return str(_genanki().guid_for(_GUID_NAMESPACE, *parts))


def _display(G: nx.MultiDiGraph, service: str) -> str:
    name = str(G.nodes[service].get("name") or service)
    short = short_name(G, service)
    return name if short.lower() in name.lower() else f"{name} ({short})"


def _category(G: nx.MultiDiGraph, service: str) -> str:
    return str(G.nodes[service].get("category") or "Uncategorised")


def _tags(G: nx.MultiDiGraph, kind: str, relation: str, u: str, v: str) -> tuple[str, ...]:
    found = {tag("category", _category(G, u)), tag("category", _category(G, v))}
    found |= {tag("relation", relation), tag(_GUID_NAMESPACE, kind)}
    return tuple(sorted(found))


@cache
def _models() -> dict[str, Any]:  # genanki.Model values, typed loosely as genanki is optional
    genanki = _genanki()

    def model(model_id: int, name: str, fields: tuple[str, ...], templates: list, **kw: Any) -> Any:
        return genanki.Model(
            model_id,
            name,
            fields=[{"name": f} for f in fields],
            templates=templates,
            css=_CSS,
            **kw,
        )

    return {
        "relation": model(
            MODEL_ID, "Service Atlas: relation", _RELATION_FIELDS, _RELATION_TEMPLATES
        ),
        "cloze": model(
            CLOZE_MODEL_ID,
            "Service Atlas: cloze",
            _CLOZE_FIELDS,
            _CLOZE_TEMPLATES,
            model_type=genanki.Model.CLOZE,
        ),
        "comparison": model(
            COMPARISON_MODEL_ID,
            "Service Atlas: comparison",
            _COMPARISON_FIELDS,
            _COMPARISON_TEMPLATES,
        ),
    }
