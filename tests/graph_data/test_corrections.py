"""User corrections: stored safely, matched by ids and relation, applied on a copy."""

from __future__ import annotations

import networkx as nx
import pytest

from graph_data.corrections import (
    Correction,
    Corrections,
    CorrectionsError,
    apply_corrections,
    corrections_path,
    load_corrections,
    save_corrections,
)


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """A small graph shaped like the builder's output."""
    g = nx.MultiDiGraph()
    for sid in ("sns", "sqs", "lambda", "kinesis-data-streams"):
        g.add_node(sid, short=sid.upper(), mentions=2, files=["a.md"], aliases=[])
    ev = [{"file": "a.md", "line": 3, "text": "SNS to SQS"}]
    g.add_edge(
        "sns", "sqs", key="integrates-with", relation="integrates-with", evidence=ev, confidence=0.4
    )
    g.add_edge(
        "lambda",
        "sqs",
        key="alternative-to",
        relation="alternative-to",
        evidence=ev,
        confidence=0.3,
    )
    return g


def test_hide_confirm_add(G):
    c = Corrections()
    c = c.with_change(Correction("hide", "sqs", "alternative-to", "lambda", "not what I meant"))
    c = c.with_change(Correction("confirm", "sqs", "integrates-with", "sns"))
    c = c.with_change(Correction("add", "kinesis-data-streams", "integrates-with", "lambda", "ESM"))
    H = apply_corrections(G, c)
    assert not H.has_edge("lambda", "sqs", "alternative-to")
    assert H["sns"]["sqs"]["integrates-with"]["confirmed"] is True
    manual = H["kinesis-data-streams"]["lambda"]["integrates-with"]
    assert manual["manual"] and manual["evidence"][0]["text"].endswith("ESM")
    assert G.has_edge("lambda", "sqs", "alternative-to"), "the original graph is left alone"


def test_retag_rename_merge(G):
    c = Corrections(
        (
            Correction("retag", "lambda", "alternative-to", "sqs", value="integrates-with"),
            Correction("rename", "sns", value="Simple Notification Service"),
            Correction("merge", "kinesis-data-streams", value="sqs"),
        )
    )
    H = apply_corrections(G, c)
    assert H.has_edge("lambda", "sqs", "integrates-with")
    assert not H.has_edge("lambda", "sqs", "alternative-to")
    assert H.nodes["sns"]["short"] == "Simple Notification Service"
    assert "kinesis-data-streams" not in H and H.nodes["sqs"]["mentions"] == 4


def test_a_replaces_edge_can_be_turned_round_and_keeps_its_evidence(G):
    ev = [{"file": "a.md", "line": 9, "text": "SQS took over from SNS"}]
    G.add_edge("sns", "sqs", key="replaces", relation="replaces", evidence=ev, confidence=0.7)
    # The correction names the new direction: SQS replaces SNS.
    turn = Correction("retag", "sqs", "replaces", "sns", value="replaces")
    H = apply_corrections(G, Corrections((turn,)))
    assert H.has_edge("sqs", "sns", "replaces") and not H.has_edge("sns", "sqs", "replaces")
    turned = H["sqs"]["sns"]["replaces"]
    assert turned["evidence"] == ev and turned["retagged_from"] == "replaces"
    # A turn that names the edge's own direction changes nothing.
    same = Correction("retag", "sns", "replaces", "sqs", value="replaces")
    kept = apply_corrections(G, Corrections((same,)))
    assert "retagged_from" not in kept["sns"]["sqs"]["replaces"]


def test_the_same_decision_on_another_day_changes_nothing():
    first = Corrections().with_change(Correction("hide", "a", "replaces", "b", when="2026-11-30"))
    again = first.with_change(Correction("hide", "a", "replaces", "b", when="2026-12-02"))
    assert again is first and again.items[0].when == "2026-11-30"


def test_later_decision_about_the_same_edge_wins():
    c = Corrections().with_change(Correction("hide", "a", "replaces", "b"))
    c = c.with_change(Correction("confirm", "a", "replaces", "b"))
    assert [x.action for x in c.items] == ["confirm"]
    assert c.without(c.items[0]).items == ()


def test_saved_in_the_data_folder_atomically_and_read_back(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    c = Corrections((Correction("add", "sns", "integrates-with", "sqs", "fan-out"),))
    path = save_corrections(notes, c)
    assert path == corrections_path(notes) and not path.is_relative_to(notes)
    assert list(notes.iterdir()) == []
    loaded, message = load_corrections(notes)
    assert loaded == c and message is None


def test_garbled_file_is_set_aside_with_a_message(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    path = corrections_path(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"version": 1, "corrections": [{"action": "hi')
    loaded, message = load_corrections(notes)
    assert loaded.items == () and "could not be read" in message
    assert path.with_suffix(".unreadable.json").exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": "delete", "source": "a"},
        {"action": "hide", "source": "a", "relation": "likes"},
        {"action": "retag", "source": "a", "relation": "replaces", "target": "b", "value": "x"},
    ],
)
def test_invalid_corrections_are_refused(kwargs):
    with pytest.raises(CorrectionsError):
        Correction(**kwargs)
