"""The folder's scorer learns from review decisions; its examples file is kept safe.

Every note here is written for the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_data import priors
from graph_data.build import build
from graph_data.catalog import load_catalog
from graph_data.cli import main
from graph_data.corrections import (
    Correction,
    Corrections,
    apply_corrections,
    rejected_pairs,
    save_corrections,
)
from graph_data.extract import extract_relations, file_rows
from graph_data.learning import (
    NEAR,
    Example,
    adapt,
    changed_edges,
    decided_pairs,
    decision_key,
    examples_for,
    labelled,
    labels_of,
    load_examples,
    review_queue,
    save_examples,
    taught,
    uncertainty,
)
from graph_data.linker import Linker
from graph_data.reader import split_passages
from graph_data.scorer import load_scorer
from graph_data.workspace import Workspace
from tests.conftest import write_notes

CATALOG = load_catalog()
LINKER = Linker(CATALOG)
# Two lines of one pattern about different pairs, and one of another pattern.
NOTE = (
    "# Notes\n\n"
    "- Kinesis goes hand in hand with Lambda for streams.\n"
    "- SNS goes hand in hand with SQS for fan-out.\n"
    "- CloudFront caches content in front of S3 buckets.\n"
)


def rows_by_line() -> dict[int, list[dict]]:
    """The features of every candidate of the note, by note line."""
    passages = [LINKER.link(p) for p in split_passages(NOTE, "n.md")]
    out: dict[int, list[dict]] = {}
    for c, row in zip(*file_rows(passages, CATALOG), strict=True):
        out.setdefault(c.line, []).append(row)
    return out


def best_relation(scorer, rows: list[dict]) -> float:
    """The likeliest relation's probability over a line's candidates."""
    return max(max(p[1:]) for p in scorer.predict_proba(rows))


def test_a_rejected_pattern_lowers_a_look_alike_elsewhere_more_than_the_rest():
    shipped = load_scorer()
    lines = rows_by_line()
    taught, look_alike, other = lines[3], lines[4], lines[5]
    folder = adapt(shipped, [Example(row, "none") for row in taught])
    assert best_relation(folder, taught) < best_relation(shipped, taught)
    drop = best_relation(shipped, look_alike) - best_relation(folder, look_alike)
    assert drop > 0.02
    # The pattern, not everything: a line of another pattern moves less.
    assert drop > best_relation(shipped, other) - best_relation(folder, other)
    assert folder.version != shipped.version


def test_a_decision_moves_the_weight_of_its_structure_more_than_its_words():
    shipped = load_scorer()
    row = next(r for rows in rows_by_line().values() for r in rows if "s:sentence" in r)
    word = next(f for f in row if f.startswith("pair:") and f in shipped.coef)
    folder = adapt(shipped, [Example(row, "none")])

    def moved(f: str) -> float:
        return sum(abs(a - b) for a, b in zip(folder.coef[f], shipped.coef[f], strict=True))

    # The structure weight holds an author's style: a few decisions are to move it further
    # (with one prior for both, a feature of the same value moves the same distance).
    assert moved("s:sentence") > 1.5 * moved(word) > 0


def test_taking_every_decision_back_restores_every_score_exactly():
    shipped = load_scorer()
    lines = rows_by_line()
    every = [row for rows in lines.values() for row in rows]
    before = shipped.predict_proba(every)
    first = [Example(row, "none") for row in lines[3]]
    second = [Example(row, "alternative-to") for row in lines[5]]
    assert adapt(shipped, []) is shipped
    with_one = adapt(shipped, first).predict_proba(every)
    # Undo of the second decision: the scorer of the first alone, exactly.
    assert adapt(shipped, first).predict_proba(every) == with_one
    assert adapt(shipped, first + second).predict_proba(every) != with_one
    assert adapt(shipped, []).predict_proba(every) == before


def test_the_queue_asks_first_about_what_is_nearest_the_threshold():
    sure, unsure, below = [0.05, 0.95, 0, 0, 0], [0.5, 0.48, 0.02, 0, 0], [0.6, 0.38, 0.02, 0, 0]
    order = sorted([sure, unsure, below], key=lambda p: uncertainty(p, 0.45))
    assert order == [unsure, below, sure]


def test_examples_round_trip(tmp_path):
    path = tmp_path / "examples.json"
    examples = [
        Example({"bias": 1.0, "w:x": 1.0}, "none", 1.0, "2026-12-02", ("n.md", 3, "sns", "sqs")),
        Example({"bias": 1.0}, "integrates-with"),
    ]
    save_examples(path, examples)
    assert load_examples(path) == (examples, None)
    assert json.loads(path.read_text())["format"] == 1


def test_a_corrupt_examples_file_is_set_aside_never_lost(tmp_path):
    path = tmp_path / "examples.json"
    messages, kept = [], []
    for text in ("{not json", json.dumps({"format": 1, "examples": [{"label": "maybe"}]})):
        path.write_text(text)
        examples, message = load_examples(path)
        assert examples == [] and message and "could not be read" in message
        messages.append(message)
        kept.append(text)
    asides = sorted(tmp_path.glob("examples*.unreadable*.json"))
    # Each file set aside keeps what it held; the second never went over the first.
    assert len(asides) == 2 and {p.read_text() for p in asides} == set(kept)
    assert not path.exists() and all(str(p) in " ".join(messages) for p in asides)


# ---------------------------------------------------------------------- the folder's scorer

# Four lines of one pattern the reading rules let through and the shipped scorer reads as
# alternatives ("similar to X in how it is billed": alike in one respect, not two options for
# one need), and two lines of others.
FOLDER_NOTE = (
    "# Messaging\n\n"
    "- S3 is similar to SQS in how it is billed.\n"
    "- DynamoDB is similar to SNS in how it is billed.\n"
    "- Kinesis is similar to EFS in how it is billed.\n"
    "- Lambda is similar to ECS in how it is billed.\n"
    "- CloudFront caches content in front of S3 buckets.\n"
    "- SNS fans out messages to SQS queues.\n"
)
WRONG = Correction("hide", "s3", "alternative-to", "sqs")
LOOK_ALIKE = ("dynamodb", "alternative-to", "sns")
OTHER = ("cloudfront", "integrates-with", "s3")


@pytest.fixture
def notes(tmp_path) -> Path:
    """A notes folder holding the note above."""
    return write_notes(tmp_path / "notes", {"n.md": FOLDER_NOTE})


def confidence(G, edge) -> float | None:
    """The confidence of ``edge`` (source, relation, target) in ``G``, None when absent."""
    u, rel, v = edge
    return G[u][v][rel]["confidence"] if G.has_edge(u, v, rel) else None


def test_a_saved_rejection_lowers_a_look_alike_edge_elsewhere_in_the_folder(notes):
    first = build(notes, index=False)
    save_corrections(notes, Corrections((WRONG,)))
    taught = build(notes, index=False)
    assert taught.reparsed == (), "re-scored from the cached candidates, not a re-read"
    assert confidence(taught.graph, WRONG.edge) is None
    drop = confidence(first.graph, LOOK_ALIKE) - confidence(taught.graph, LOOK_ALIKE)
    assert drop > 0.03
    assert drop > confidence(first.graph, OTHER) - confidence(taught.graph, OTHER)
    assert [e.about[:4] for e in taught.examples] == [("hide", "s3", "alternative-to", "sqs")]
    assert taught.scoring.scorer.version != first.scoring.scorer.version
    # --no-corrections: the shipped scorer's graph, as if nothing had been decided.
    shipped = build(notes, index=False, corrections=False)
    assert shipped.relations == first.relations and not shipped.examples


def test_no_corrections_on_the_command_line_shows_the_shipped_scorers_graph(notes, capsys):
    save_corrections(notes, Corrections((WRONG,)))

    def listed(*flags: str) -> dict:
        assert main(["relations", str(notes), "--json", *flags]) == 0
        rows = json.loads(capsys.readouterr().out)
        return {(r["source"], r["relation"], r["target"]): r["confidence"] for r in rows}

    taught, shipped = listed(), listed("--no-corrections")
    assert WRONG.edge in shipped and WRONG.edge not in taught
    assert taught[LOOK_ALIKE] < shipped[LOOK_ALIKE]


def test_stored_examples_teach_rather_than_new_ones(notes):
    build(notes, index=False)
    save_corrections(notes, Corrections((WRONG,)))
    stored = build(notes, index=False).examples
    # The decision's examples as they were stored: features of an older note, say.
    older = [Example({"bias": 1.0, "s:sentence": 1.0}, "none", 1.0, "", stored[0].about)]
    save_examples(Workspace(notes).examples, older)
    result = build(notes, index=False)
    assert result.examples == tuple(older)


def test_a_corrupt_examples_file_is_set_aside_and_the_build_goes_on(notes):
    shipped = build(notes, index=False)
    save_corrections(notes, Corrections((WRONG,)))
    path = Workspace(notes).examples
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": 1, "examples": [{"label": "nope"')
    result = build(notes, index=False)
    (message,) = [m for m in result.messages if "review decisions" in m]
    (aside,) = path.parent.glob("*.examples.unreadable*.json")
    assert str(aside) in message and aside.read_text().startswith('{"format": 1')
    # Still learnt: the decision's examples are made again from the notes.
    assert result.examples
    assert confidence(result.graph, LOOK_ALIKE) < confidence(shipped.graph, LOOK_ALIKE)


def test_the_build_keeps_the_extractions_findings_exactly(notes):
    (notes / "more.md").write_text(
        "# Streams\n\nKinesis Data Firehose delivers records to S3 and Redshift.\n"
        "Amazon MQ is an alternative to SQS for existing brokers.\n"
    )
    result = build(notes, index=False)
    linked = [lp for f in result.files for lp in f.linked]
    assert list(result.relations) == extract_relations(linked, result.catalog)
    assert all(f.rows is not None for f in result.files)
    again = build(notes, index=False)
    assert [f.rows for f in again.files] == [f.rows for f in result.files]


def test_examples_for_each_kind_of_decision(notes):
    result = build(notes, index=False)
    folder, scoring, G = result.folder, result.scoring, result.raw_graph
    (hide,) = examples_for(WRONG, G, folder, scoring)
    assert hide.label == "none" and hide.about == (*decision_key(WRONG), "n.md", 3)
    retag = Correction("retag", "sqs", "alternative-to", "s3", value="replaces")
    (turned,) = examples_for(retag, G, folder, scoring)
    # The candidate reads S3 first: "SQS replaces S3" is the second replacing the first.
    assert turned.label == "replaced-by"
    add = Correction("add", "kinesis", "integrates-with", "efs", "Kinesis is similar to EFS")
    assert [e.about[-1] for e in examples_for(add, G, folder, scoring)] == [5]
    assert (
        examples_for(Correction("rename", "s3", value="Simple Storage"), G, folder, scoring) == ()
    )


def test_taking_a_decision_back_gives_the_shipped_scores_exactly(notes):
    result = build(notes, index=False)
    folder, base = result.folder, result.scoring
    examples, known = taught(Corrections((WRONG,)), {}, result.raw_graph, folder, base)
    assert examples and adapt(folder.shipped, examples) is not folder.shipped
    back, _ = taught(Corrections(), known, result.raw_graph, folder, base)
    assert back == [] and folder.score(adapt(folder.shipped, back)).relations == base.relations
    again, _ = taught(Corrections((WRONG,)), known, result.raw_graph, folder, base)
    once = folder.score(adapt(folder.shipped, examples), decided_pairs(Corrections((WRONG,))))
    twice = folder.score(adapt(folder.shipped, again), decided_pairs(Corrections((WRONG,))))
    assert twice.relations == once.relations


def test_the_queue_holds_candidates_just_below_the_threshold_least_sure_first(notes):
    result = build(notes, index=False)
    threshold = result.scoring.scorer.threshold
    # A scorer a little less sure of everything: some relations fall just below the threshold.
    hesitant = adapt(
        result.folder.shipped,
        [Example(row, "none") for rows in rows_by_line().values() for row in rows] * 2,
    )
    scoring = result.folder.score(hesitant)
    G = result.folder.graph(scoring)
    queue = review_queue(G, result.folder, scoring)
    assert [d.uncertainty for d in queue] == sorted(d.uncertainty for d in queue)
    below = [d for d in queue if not d.shown]
    assert below and all(threshold - NEAR <= d.confidence < threshold for d in below)
    assert all(not G.has_edge(d.source, d.target, d.relation) and d.quote for d in below)
    assert {(d.source, d.relation, d.target) for d in queue if d.shown} == {
        (u, k, v) for u, v, k in G.edges(keys=True)
    }
    decided = Corrections(
        (Correction("hide", below[0].source, below[0].relation, below[0].target),)
    )
    again = review_queue(G, result.folder, scoring, decided)
    assert (below[0].source, below[0].target) not in {(d.source, d.target) for d in again}


def test_changed_edges_lists_what_appeared_went_or_moved():
    import networkx as nx

    def graph(**confidences):
        G = nx.MultiDiGraph()
        for name, c in confidences.items():
            u, v = name.split("_")
            G.add_edge(u, v, key="integrates-with", relation="integrates-with", confidence=c)
        return G

    before = graph(a_b=0.9, c_d=0.6, e_f=0.7, g_h=0.8)
    after = graph(a_b=0.89, c_d=0.52, g_h=0.8, i_j=0.55)
    changes = changed_edges(before, after)
    assert [(c.source, c.kind) for c in changes] == [
        ("e", "gone"),
        ("i", "appeared"),
        ("c", "weaker"),
    ]
    assert changed_edges(before, after, skip=[frozenset("ef")])[0].source == "i"


def test_search_does_not_offer_a_rejected_pair_as_related(notes):
    save_corrections(notes, Corrections((WRONG,)))
    result = build(notes)
    rejected = rejected_pairs(result.corrections, result.graph)
    assert rejected == {frozenset(("s3", "sqs"))}
    with result.search as index:
        found = index.search("S3", pagelen=50)
        assert found.named == ("s3",)
        assert "sqs" in index.services_in(found)
        offered = index.services_in(found, rejected)
        assert "sqs" not in offered and {"s3", "cloudfront"} <= set(offered)
        # Asked for by name, it is offered: the student searched for it.
        assert "sqs" in index.services_in(index.search("S3 OR SQS", pagelen=50), rejected)
    # A pair still related by another relation stays related.
    both = Corrections((WRONG, Correction("add", "s3", "integrates-with", "sqs", "events")))
    assert rejected_pairs(both, apply_corrections(result.raw_graph, both)) == frozenset()


@pytest.fixture
def two_notes(tmp_path) -> Path:
    """The rejected pattern in one note, its look-alike in another one padded with prose."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\n- S3 is similar to SQS in how it is billed.\n")
    padding = "Plain prose without any service name, to make the note long. " * 12
    (folder / "b.md").write_text(
        f"# B\n\n- DynamoDB is similar to SNS in how it is billed.\n\n{padding}\n"
    )
    return folder


def rejection_moves_look_alike(notes: Path) -> tuple[float, object]:
    """How far rejecting the wrong pair moves the look-alike edge; the taught build."""
    first = build(notes, index=False)
    save_corrections(notes, Corrections((WRONG,)))
    taught = build(notes, index=False)
    return confidence(first.graph, LOOK_ALIKE) - confidence(taught.graph, LOOK_ALIKE), taught


def test_a_note_within_the_limits_learns(two_notes):
    drop, taught = rejection_moves_look_alike(two_notes)
    assert drop > 0.01
    assert all(f.rows is not None for f in taught.files)


@pytest.mark.parametrize("limit", ["LEARN_MAX_CHARS", "LEARN_MAX_CANDIDATES"])
def test_a_note_past_a_learning_limit_keeps_the_shipped_scorers_findings(
    two_notes, monkeypatch, limit
):
    import graph_data.build

    a, b = ((two_notes / n).read_text() for n in ("a.md", "b.md"))
    passages = [LINKER.link(p) for p in split_passages(a, "a.md")]
    # The padded note is past the size limit; the first note spends the candidate budget.
    value = {"LEARN_MAX_CHARS": 400, "LEARN_MAX_CANDIDATES": len(file_rows(passages)[0])}
    assert len(a) < 400 < len(b)
    monkeypatch.setattr(graph_data.build, limit, value[limit])
    drop, taught = rejection_moves_look_alike(two_notes)
    rows = {f.path: f.rows for f in taught.files}
    assert rows["a.md"] is not None and rows["b.md"] is None
    assert drop == 0, "the note past the limit is scored as the shipped scorer scored it"
    assert confidence(taught.graph, WRONG.edge) is None


# A file whose heading's subject is paired with every service of its lines.
SUBJECT_NOTE = (
    "# AWS Lambda\n\n"
    + "".join(f"- reads events from {s}\n" for s in ("Amazon SQS", "Amazon SNS", "Amazon S3"))
    + "- triggered by Amazon EventBridge rules\n- writes logs to Amazon CloudWatch\n"
)


@pytest.fixture
def subject_notes(tmp_path) -> Path:
    return write_notes(tmp_path / "subject-notes", {"lambda.md": SUBJECT_NOTE})


def subject_decision(action: str, result) -> tuple[list[Example], Corrections]:
    corrections = Corrections((Correction(action, "lambda", "integrates-with", "sqs"),))
    examples, _ = taught(corrections, {}, result.raw_graph, result.folder, result.scoring)
    return examples, corrections


def others(relations) -> dict[tuple[str, str], float]:
    """The confidences of the relations the decision on Lambda and SQS is not about."""
    return {(r.source, r.target): r.confidence for r in relations if "sqs" not in r.key}


def test_a_subject_decision_is_counted_at_its_class_in_its_parts_rate(subject_notes):
    result = build(subject_notes, index=False)
    found = result.folder.files[0][0]
    scored = result.folder.scored(result.scoring)
    trained = result.folder.shipped.info["subject_prior"]

    def rate(examples) -> float:
        topics = labelled(found, scored, labels_of(examples)).topics
        return priors.estimate(dict(topics)["lambda"], trained, trained, priors.GROUP_PSEUDO)

    hidden, _ = subject_decision("hide", result)
    confirmed, _ = subject_decision("confirm", result)
    assert labelled(found, scored, {}) is found
    assert rate(confirmed) < rate([]) < rate(hidden)


def test_a_subject_decision_moves_the_rest_of_its_part_towards_its_class(subject_notes):
    # Subject examples leave the scorer as shipped: before, such a decision changed nothing.
    result = build(subject_notes, index=False)
    folder, before = result.folder, others(result.relations)
    moved = {}
    for action in ("hide", "confirm"):
        examples, corrections = subject_decision(action, result)
        assert adapt(folder.shipped, examples) is folder.shipped
        scoring = folder.score(folder.shipped, decided_pairs(corrections), examples)
        moved[action] = others(scoring.relations)
        assert moved[action].keys() == before.keys()
    assert all(moved["hide"][k] < before[k] < moved["confirm"][k] for k in before)
    assert folder.score(folder.shipped, (), ()).relations == result.relations
