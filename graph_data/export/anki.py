"""Anki flash cards (``.apkg``) drilled from the relations, with the notes' evidence on the back.

One card asks for the successor of each retired service; one per service asks for an
alternative, one per service asks what it integrates with. Note ids (GUIDs) hash the relation's
identity, and the deck and model ids are constants, so re-importing an updated export updates
the cards instead of duplicating them.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx

from graph_data.export.sheet import evidence_of, short_name
from graph_data.records import Evidence

__all__ = ["DECK_ID", "MODEL_ID", "AnkiUnavailableError", "Card", "cards", "render_apkg", "tag"]

#: Fixed ids: Anki recognises the deck and the note type across exports by these.
DECK_ID = 1_724_310_562
MODEL_ID = 1_503_862_917
#: Evidence quotes on the back of one card.
BACK_EVIDENCE = 4

_MODEL_NAME = "Service Atlas relation"
_TEMPLATE = {
    "name": "Relation",
    "qfmt": "<div class='front'>{{Front}}</div>",
    "afmt": "{{FrontSide}}<hr id='answer'>{{Back}}",
}
_CSS = (
    ".card { font-family: system-ui, sans-serif; font-size: 19px; text-align: left; }\n"
    ".front { font-weight: 600; }\n"
    ".answer { font-size: 21px; margin-bottom: 10px; }\n"
    "blockquote { margin: 6px 0; padding: 4px 10px; border-left: 4px solid #999;"
    " font-size: 15px; }\n"
    "small { color: #666; }\n"
)


class AnkiUnavailableError(RuntimeError):
    """genanki, which writes ``.apkg`` files, is not installed."""


def _genanki() -> ModuleType:
    # Imported on use: every other export works without genanki installed.
    try:
        import genanki
    except ImportError as exc:
        raise AnkiUnavailableError("the Anki export needs genanki: pip install genanki") from exc
    return genanki


def _guid(*parts: str) -> str:
    return _genanki().guid_for("service-atlas", *parts)


def _model() -> Any:  # a genanki.Model, typed loosely as genanki is optional
    return _genanki().Model(
        MODEL_ID,
        _MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[_TEMPLATE],
        css=_CSS,
    )


@dataclass(frozen=True, slots=True)
class Card:
    """One flash card: question, answer (both HTML, note text escaped), tags and stable GUID."""

    guid: str
    front: str
    back: str
    tags: tuple[str, ...]


def tag(*parts: str) -> str:
    """An Anki tag (no spaces allowed) from readable words, parts joined as a hierarchy.

    Examples
    --------
    >>> tag("category", "Security, Identity & Compliance")
    'category::Security_Identity_Compliance'
    """
    return "::".join(re.sub(r"[^\w-]+", "_", p).strip("_") or "_" for p in parts)


def cards(G: nx.MultiDiGraph) -> list[Card]:
    """The cards for every relation of ``G``, in a stable order."""
    found = list(_replacement_cards(G))
    found += _grouped_cards(G, "alternative-to", "Name an alternative to {}.")
    found += _grouped_cards(G, "integrates-with", "What does {} integrate with?")
    return found


def render_apkg(G: nx.MultiDiGraph, title: str) -> bytes:
    """The ``.apkg`` file (a zip with the SQLite collection) holding one deck of ``G``'s cards."""
    genanki = _genanki()
    model = _model()
    deck = genanki.Deck(DECK_ID, title or "Service Atlas")
    for card in cards(G):
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[card.front, card.back],
                tags=list(card.tags),
                guid=card.guid,
            )
        )
    with tempfile.TemporaryDirectory(prefix="service-atlas-anki-") as tmp:
        out = Path(tmp) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(out))
        return out.read_bytes()


def _display(G: nx.MultiDiGraph, service: str) -> str:
    name = str(G.nodes[service].get("name") or service)
    short = short_name(G, service)
    return name if short.lower() in name.lower() else f"{name} ({short})"


def _category_tag(G: nx.MultiDiGraph, service: str) -> str:
    return tag("category", str(G.nodes[service].get("category") or "Uncategorised"))


def _quotes(evidence: tuple[Evidence, ...]) -> str:
    shown = evidence[:BACK_EVIDENCE]
    more = len(evidence) - len(shown)
    quotes = "".join(
        f"<blockquote>{html.escape(e.text)}<br><small>{html.escape(e.where)}</small></blockquote>"
        for e in shown
    )
    return quotes + (f"<small>… and {more} more passages</small>" if more > 0 else "")


def _replacement_cards(G: nx.MultiDiGraph) -> Iterator[Card]:
    edges = sorted((u, v, d) for u, v, d in G.edges(data=True) if d.get("relation") == "replaces")
    for successor, retired, d in edges:
        yield Card(
            guid=_guid("replaces", successor, retired),
            front=f"Which service replaced {html.escape(_display(G, retired))}?",
            back=(
                f"<div class='answer'>{html.escape(_display(G, successor))}</div>"
                f"{_quotes(evidence_of(d))}"
            ),
            tags=tuple(
                sorted(
                    {
                        _category_tag(G, successor),
                        _category_tag(G, retired),
                        tag("relation", "replaces"),
                    }
                )
            ),
        )


def _grouped_cards(G: nx.MultiDiGraph, relation: str, question: str) -> list[Card]:
    partners: dict[str, dict[str, tuple[Evidence, ...]]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("relation") == relation and u != v:
            partners.setdefault(u, {})[v] = evidence_of(d)
            partners.setdefault(v, {})[u] = evidence_of(d)
    found = []
    for service in sorted(partners):
        others = sorted(partners[service], key=lambda n: short_name(G, n).lower())
        answer = "".join(f"<li>{html.escape(_display(G, o))}</li>" for o in others)
        evidence = tuple(e for o in others for e in partners[service][o])
        found.append(
            Card(
                guid=_guid(relation, service),
                front=question.format(html.escape(_display(G, service))),
                back=f"<ul class='answer'>{answer}</ul>{_quotes(evidence)}",
                tags=(_category_tag(G, service), tag("relation", relation)),
            )
        )
    return found
