"""The Anki deck read by Anki itself: the ``.apkg`` imported into a fresh collection.

The ``anki`` package is the library of the Anki desktop app (its Rust backend included), so the
notes, cards, fields and tags checked here are what a student's Anki would show.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import time
from pathlib import Path

import networkx as nx
import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from graph_data import atomic
from graph_data.export import export
from graph_data.export.anki import (
    CLOZE_MODEL_ID,
    COMPARISON_MODEL_ID,
    MAX_GROUP,
    MODEL_ID,
    alternative_groups,
    notes,
    render_apkg,
)
from graph_data.scope import Scope, select

# Written for these tests. Each would do harm if the deck passed it through: a script, a cloze
# of its own, a hint separator, a sound tag, LaTeX (which Anki renders into an image) and the
# character that separates a note's fields in the package.
HOSTILE = (
    "SNS {{c1::pwned::hint}} fans out to SQS <script>document.title='pwned'</script> "
    "[sound:evil.mp3] [latex]\\input{/etc/passwd}[/latex] }} :: \x1f\x00"
)

SERVICES = {
    "kinesis-data-firehose": ("Amazon Data Firehose", "Kinesis Data Firehose", "Analytics"),
    "s3": ("Amazon Simple Storage Service", "S3", "Storage"),
    "lambda": ("AWS Lambda", "Lambda", "Compute"),
    "sqs": ("Amazon Simple Queue Service", "SQS", "Application Integration"),
    "sns": ("Amazon Simple Notification Service", "SNS", "Application Integration"),
    "mq": ("Amazon MQ", "MQ", "Application Integration"),
    "kinesis-data-streams": ("Amazon Kinesis Data Streams", "Kinesis Data Streams", "Analytics"),
    "iam-identity-center": (
        "AWS IAM Identity Center",
        "IAM Identity Center",
        "Security, Identity & Compliance",
    ),
    "aws-sso": ("AWS Single Sign-On", "AWS SSO", "Security, Identity & Compliance"),
}
# (source, target, relation, confidence, evidence as (file, line, text))
RELATIONS = [
    (
        "kinesis-data-firehose",
        "s3",
        "integrates-with",
        0.9,
        [
            ("storage.md", 3, "## S3 and Firehose"),
            ("streams.md", 14, "Kinesis Data Firehose delivers to S3 in near real time."),
            ("streams.md", 15, "| Firehose | S3 | Redshift |"),
        ],
    ),
    ("lambda", "sqs", "integrates-with", 0.8, [("queues.md", 7, "Lambda polls SQS in batches.")]),
    ("sns", "sqs", "integrates-with", 0.7, [("queues.md", 9, HOSTILE)]),
    ("sns", "sqs", "alternative-to", 0.6, [("queues.md", 12, "Push with SNS, or pull with SQS?")]),
    ("mq", "sqs", "alternative-to", 0.5, [("queues.md", 20, "MQ instead of SQS for JMS apps.")]),
    ("mq", "sns", "alternative-to", 0.4, [("queues.md", 21, "MQ vs SNS")]),
    (
        "kinesis-data-streams",
        "sqs",
        "alternative-to",
        0.55,
        [("streams.md", 2, "Replay needs Kinesis Data Streams rather than SQS.")],
    ),
    (
        "iam-identity-center",
        "aws-sso",
        "replaces",
        0.95,
        [("iam.md", 20, "IAM Identity Center is the successor to AWS Single Sign-On.")],
    ),
]


def deck_graph() -> nx.MultiDiGraph:
    """Nine catalog services, relations of every type, one of them quoted by a hostile note."""
    G = nx.MultiDiGraph(notes="/tmp/notes", schema=1)
    for sid, (name, short, category) in SERVICES.items():
        G.add_node(sid, name=name, short=short, category=category, aliases=[], description="")
    for u, v, rel, confidence, evidence in RELATIONS:
        quotes = [{"file": f, "line": n, "text": t} for f, n, t in evidence]
        G.add_edge(u, v, key=rel, relation=rel, evidence=quotes, confidence=confidence)
    return G


def import_deck(col: Collection, path: Path):
    """Import ``path`` as Anki's import dialog does by default; the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


@pytest.fixture
def col(tmp_path):
    """A fresh, empty Anki collection in a temporary folder."""
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


@pytest.fixture
def deck(tmp_path) -> Path:
    """The deck of :func:`deck_graph`, written by the export."""
    return export(deck_graph(), "anki", tmp_path / "deck.apkg", title="AWS::Relations")


def notes_of(col: Collection, model_id: int) -> list:
    """Every note of one note type, sorted by its first field."""
    found = [col.get_note(nid) for nid in col.find_notes(f"mid:{model_id}")]
    return sorted(found, key=lambda n: n.fields[0])


def text_of(page: str) -> str:
    """Roughly what a card's HTML shows: no style sheet, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    page = re.sub(r"</?(?:b|i|span)\b[^>]*>", "", page)  # inline: no word break
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_relation_is_one_note_with_a_card_each_way(col, deck):
    log = import_deck(col, deck)
    assert len(log.new) == col.note_count() and not log.conflicting and not log.missing_notetype
    relation_notes = notes_of(col, MODEL_ID)
    assert len(relation_notes) == len(RELATIONS)
    for note in relation_notes:
        cards = sorted(note.cards(), key=lambda c: c.ord)
        assert [c.ord for c in cards] == [0, 1]
        assert {c.did for c in cards} == {col.decks.id_for_name("AWS::Relations")}
    note = next(n for n in relation_notes if n["Fact"].startswith("Amazon Data Firehose"))
    forward, reverse = sorted(note.cards(), key=lambda c: c.ord)
    front = text_of(forward.question())
    assert "Amazon Data Firehose (Kinesis Data Firehose) integrates with ?" in front
    assert "A service in Storage" in front
    assert "Amazon Simple Storage Service (S3)" not in front
    assert "? integrates with Amazon Simple Storage Service (S3)" in text_of(reverse.question())
    back = text_of(forward.answer())
    # One fact: the answer is one service, never a list of what else it integrates with.
    assert "Amazon Simple Storage Service (S3)" in back and "SQS" not in back
    # The strongest evidence is the sentence, not the heading or the table row; those are
    # listed by place.
    assert "Kinesis Data Firehose delivers to S3 in near real time." in back
    assert "streams.md:14" in back and "Also in streams.md:15 · storage.md:3" in back
    assert "Amazon Data Firehose (Kinesis Data Firehose)" in text_of(reverse.answer())
    assert sorted(note.tags) == [
        "category::Analytics",
        "category::Storage",
        "relation::integrates-with",
        "service-atlas::relation",
    ]


def test_replacements_are_asked_both_ways(col, deck):
    import_deck(col, deck)
    (note,) = [n for n in notes_of(col, MODEL_ID) if "relation::replaces" in n.tags]
    forward, reverse = sorted(note.cards(), key=lambda c: c.ord)
    assert "What does AWS IAM Identity Center replace?" in text_of(forward.question())
    assert "AWS Single Sign-On (AWS SSO)" in text_of(forward.answer())
    assert "What replaced AWS Single Sign-On (AWS SSO)?" in text_of(reverse.question())
    back = text_of(reverse.answer())
    assert "AWS IAM Identity Center" in back and "iam.md:20" in back
    assert "category::Security_Identity_Compliance" in note.tags


def test_a_question_with_several_answers_says_how_many(col, deck):
    import_deck(col, deck)
    relation_notes = notes_of(col, MODEL_ID)
    fact = "Amazon Simple Notification Service (SNS) is an alternative to Amazon Simple Queue"
    note = next(n for n in relation_notes if n["Fact"].startswith(fact))
    # "? is an alternative to SQS": SNS and MQ (and Kinesis Data Streams, of another category).
    reverse = next(c for c in note.cards() if c.ord == 1)
    assert "? is an alternative to Amazon Simple Queue Service (SQS)" in text_of(reverse.question())
    assert "A service in Application Integration (one of 2 answers in this deck)" in text_of(
        reverse.question()
    )
    # A student who answers MQ is right too, and the back says so.
    assert "Also right in this deck: Amazon MQ" in text_of(reverse.answer())
    note = next(n for n in relation_notes if n["Fact"].startswith("AWS Lambda integrates"))
    forward = next(c for c in note.cards() if c.ord == 0)
    assert "answers in this deck" not in text_of(forward.question())
    assert "Also right" not in text_of(forward.answer())


def test_cloze_cards_hide_the_two_services_in_the_evidence_sentence(col, deck):
    import_deck(col, deck)
    cloze_notes = {n["Source"]: n for n in notes_of(col, CLOZE_MODEL_ID)}
    # A heading, a table row, or a line naming one of the two services makes no cloze, nor
    # does "MQ vs SNS", which names both but says nothing else.
    assert sorted(cloze_notes) == [
        "iam.md:20",
        "queues.md:12",
        "queues.md:20",
        "queues.md:7",
        "queues.md:9",
        "streams.md:14",
        "streams.md:2",
    ]
    note = cloze_notes["streams.md:14"]
    assert note["Text"] == (
        "{{c1::Kinesis Data Firehose}} delivers to {{c2::S3}} in near real time."
    )
    first, second = sorted(note.cards(), key=lambda c: c.ord)
    assert "[...] delivers to S3 in near real time." in text_of(first.question())
    assert "Kinesis Data Firehose delivers to [...]" in text_of(second.question())
    assert "Kinesis Data Firehose delivers to S3" in text_of(first.answer())
    assert "integrates with Amazon Simple Storage Service (S3)" in text_of(first.answer())
    assert "service-atlas::cloze" in note.tags and "relation::integrates-with" in note.tags


def test_note_text_stays_inert_text(col, deck):
    import_deck(col, deck)
    hostile = [
        n
        for model in (MODEL_ID, CLOZE_MODEL_ID)
        for n in notes_of(col, model)
        if "queues.md:9" in n.joined_fields()
    ]
    assert len(hostile) == 2
    for note in hostile:
        cards = note.cards()
        # The note's own "{{c1::" is no deletion: a cloze note has the two of the deck only.
        assert len(cards) == 2
        for card in cards:
            for page in (card.question(), card.answer()):
                body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
                assert "<script" not in body and "<img" not in body
            assert "&lt;script&gt;document.title=" in card.answer()
            assert not card.question_av_tags() and not card.answer_av_tags()
    cloze = next(n for n in hostile if n.mid == CLOZE_MODEL_ID)
    answer = text_of(cloze.cards()[0].answer())
    assert "{{c1::pwned::hint}}" in answer and "[sound:evil.mp3]" in answer
    assert "<script>document.title='pwned'</script>" in answer  # as text
    assert cloze["Text"].startswith("{{c1::SNS}} &#123;&#123;c1::pwned::hint&#125;&#125; fans")


def test_a_comparison_card_per_group_of_alternatives(col, deck):
    import_deck(col, deck)
    (note,) = notes_of(col, COMPARISON_MODEL_ID)
    # Strongest first: SQS is an alternative to all three others.
    assert note["Title"] == "SQS · SNS · MQ · Kinesis Data Streams"
    (card,) = note.cards()
    assert "Compare" in text_of(card.question())
    back = text_of(card.answer())
    for name in ("Amazon MQ", "Amazon Kinesis Data Streams"):
        assert name in back
    assert "Push with SNS, or pull with SQS?" in back and "queues.md:12" in back
    assert "Limited to" not in back
    assert "service-atlas::comparison" in note.tags


def test_a_comparison_cut_to_the_export_says_so(tmp_path, col):
    G = deck_graph()
    sub = select(G, Scope(focus=("sns",), depth=1, relations=frozenset({"alternative-to"})))
    assert "kinesis-data-streams" not in sub
    path = tmp_path / "part.apkg"
    atomic.write_bytes(path, render_apkg(sub, "Part", whole=G))
    import_deck(col, path)
    (note,) = notes_of(col, COMPARISON_MODEL_ID)
    assert note["Title"] == "SQS · SNS · MQ"
    assert note["Scope"] == (
        "Limited to the services in this export: your notes also name Kinesis Data Streams as "
        "an alternative to them."
    )
    assert "Limited to the services in this export" in text_of(note.cards()[0].answer())


def test_the_export_command_says_when_a_comparison_is_cut_to_its_scope(tmp_path, col):
    from graph_data.cli import main

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "messaging.md").write_text(
        "# Messaging\n\n## SQS vs SNS\n\nPull or push.\n\n"
        "## SQS vs Kinesis Data Streams\n\nOne consumer or replay.\n"
    )
    path = tmp_path / "sns.apkg"
    args = ["export", str(notes), "--focus", "SNS", "--relations", "alternative-to", "-o"]
    assert main([*args, str(path)]) == 0
    import_deck(col, path)
    (note,) = notes_of(col, COMPARISON_MODEL_ID)
    assert "Kinesis Data Streams" not in note["Title"]
    assert note["Scope"].startswith("Limited to the services in this export")
    assert "Kinesis Data Streams" in note["Scope"]


def test_a_reimport_updates_the_cards_instead_of_adding_new_ones(tmp_path, col, monkeypatch):
    G = deck_graph()
    first = export(G, "anki", tmp_path / "first.apkg", title="AWS")
    import_deck(col, first)
    counts = col.note_count(), col.card_count()
    # The same graph exported again, a minute later (Anki updates notes that are newer).
    later = time.time() + 60
    with monkeypatch.context() as m:
        m.setattr("genanki.package.time.time", lambda: later)
        second = export(G, "anki", tmp_path / "second.apkg", title="AWS")
    log = import_deck(col, second)
    assert not log.new and len(log.updated) == counts[0]
    assert (col.note_count(), col.card_count()) == counts
    # The notes added a sentence to a relation: its note is updated in place.
    G.edges["lambda", "sqs", "integrates-with"]["evidence"].insert(
        0, {"file": "a.md", "line": 1, "text": "Lambda reads SQS messages in batches of ten."}
    )
    with monkeypatch.context() as m:
        m.setattr("genanki.package.time.time", lambda: later + 60)
        third = export(G, "anki", tmp_path / "third.apkg", title="AWS")
    log = import_deck(col, third)
    assert not log.new and (col.note_count(), col.card_count()) == counts
    note = next(n for n in notes_of(col, MODEL_ID) if n["Fact"].startswith("AWS Lambda"))
    assert "batches of ten" in note["Quote"] and note["Also in"] == "queues.md:7"


def test_ids_are_fixed_and_guids_follow_the_relation(col, deck, tmp_path):
    import_deck(col, deck)
    # Anki finds the deck again by its name; DECK_ID is the package's own id for it.
    assert col.decks.by_name("AWS::Relations") is not None
    names = {m["id"]: m["name"] for m in col.models.all()}
    assert names[MODEL_ID] == "Service Atlas: relation"
    assert names[CLOZE_MODEL_ID] == "Service Atlas: cloze"
    assert names[COMPARISON_MODEL_ID] == "Service Atlas: comparison"
    assert col.models.get(CLOZE_MODEL_ID)["type"] == 1  # Anki's cloze note type
    # A symmetric relation stored the other way round is the same note.
    G = deck_graph()
    H = deck_graph()
    d = H.edges["sns", "sqs", "alternative-to"]
    H.remove_edge("sns", "sqs", "alternative-to")
    H.add_edge("sqs", "sns", key="alternative-to", **d)
    assert sorted(n.guid for n in notes(G)) == sorted(n.guid for n in notes(H))
    imported = {col.get_note(nid).guid for nid in col.find_notes("")}
    assert imported == {n.guid for n in notes(G)}


def test_a_relation_without_evidence_or_node_attributes_still_makes_its_cards(col, tmp_path):
    G = nx.MultiDiGraph()
    G.add_edge("x", "y", key="integrates-with", relation="integrates-with", confidence=0.5)
    import_deck(col, export(G, "anki", tmp_path / "bare.apkg"))
    (note,) = notes_of(col, MODEL_ID)
    assert note["Fact"] == "x integrates with y" and note["Hint"] == ""
    assert not notes_of(col, CLOZE_MODEL_ID)
    for card in note.cards():
        assert "<blockquote>" not in card.answer() and "Also in" not in card.answer()


def test_a_long_chain_of_alternatives_is_compared_by_its_mutual_groups():
    G = nx.MultiDiGraph()
    chain = [f"s{i:02}" for i in range(MAX_GROUP + 2)]
    pairs = [*itertools.pairwise(chain), ("s00", "s02")]
    for u, v in pairs:
        G.add_edge(u, v, key="alternative-to", relation="alternative-to", confidence=0.5)
    assert alternative_groups(G) == [("s00", "s01", "s02")]
    G.remove_edge("s00", "s02", "alternative-to")
    assert alternative_groups(G) == []


# --- the cards in a browser --------------------------------------------------------------------

#: Set to a folder (``docs``) to keep the pictures of a sample card that the test below renders.
PICTURES = "SERVICE_ATLAS_CARD_PICTURES"


def card_page(tmp_path: Path, name: str, card_html: str, *, title: str = "card") -> Path:
    """A card's HTML (with its style sheet) as Anki's reviewer lays it out: in a .card body."""
    page = tmp_path / f"{name}.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>html {{ height: 100%; box-sizing: border-box;"
        " border: 1px solid #d0d7de; }} body {{ margin: 0; }}</style></head>"
        f"<body class='card card1'>{card_html}</body></html>",
        "utf-8",
    )
    return page


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_cards_render_in_a_browser_and_note_text_stays_inert(tmp_path, col):
    from graph_data.build import build
    from tests.graph_data.test_export_html_browser import chromium, dom_title

    samples = Path(__file__).resolve().parents[2] / "graph_data" / "samples"
    deck = export(build(samples, index=False).graph, "anki", tmp_path / "samples.apkg")
    import_deck(col, deck)
    fact = "Amazon CloudFront integrates with Amazon Simple Storage Service (S3)"
    (nid,) = col.find_notes(f'"Fact:{fact}" mid:{MODEL_ID}')
    card = next(c for c in col.get_note(nid).cards() if c.ord == 0)
    shots = {"front": (card.question(), 150), "back": (card.answer(), 310)}
    for side, (card_html, height) in shots.items():
        out = tmp_path / f"anki-card-{side}.png"
        page = card_page(tmp_path, side, card_html)
        chromium(tmp_path, page, f"--screenshot={out}", f"--window-size=720,{height}")
        assert out.stat().st_size > 5_000, side
        if os.environ.get(PICTURES):
            atomic.write_bytes(Path(os.environ[PICTURES]) / out.name, out.read_bytes())
    # The hostile note's card, opened as a page: its script is text, and the title stays.
    hostile = tmp_path / "hostile.apkg"
    export(deck_graph(), "anki", hostile)
    import_deck(col, hostile)
    (nid,) = col.find_notes(f'"Source:queues.md:9" mid:{CLOZE_MODEL_ID}')
    page = card_page(tmp_path, "hostile", col.get_note(nid).cards()[0].answer(), title="inert")
    title, dom = dom_title(tmp_path, page)
    assert title == "inert"
    assert "&lt;script&gt;document.title=" in dom and "{{c1::pwned::hint}}" in dom
