"""The folder's scorer learns from the student's decisions, in the app: the graph follows.

Every note here is written for the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from graph_data.corrections import Correction, Corrections, save_corrections
from graph_data.workspace import Workspace
from tests.app.test_main_window import make_window, open_and_wait, search
from tests.app.test_session import decided
from tests.graph_data.test_learning import FOLDER_NOTE

# The core tests' note: four lines of one pattern, two of others.
NOTE = FOLDER_NOTE
WRONG = ("s3", "alternative-to", "sqs")
LOOK_ALIKE = ("dynamodb", "alternative-to", "sns")


@pytest.fixture
def window(qtbot, tmp_path):
    """A main window on the note above, with the review queue shown and focused."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(NOTE)
    w = make_window(qtbot)
    open_and_wait(qtbot, w, notes)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.reviewAction.trigger()
    return w


def confidence(window, edge) -> float | None:
    """The shown confidence of ``edge`` (source, relation, target), None when it is not shown."""
    u, rel, v = edge
    return window.G[u][v][rel]["confidence"] if window.G.has_edge(u, v, rel) else None


def scores(window) -> tuple:
    """Every relation and every candidate's probabilities under the folder's scorer now."""
    result = window.session.result
    return result.relations, [s.proba for s in result.folder.scored(result.scoring)]


def reject(qtbot, window, edge):
    """Reject ``edge`` from the review queue with R; the session's changes."""
    window.review.select_row(window.review.model.row_of(edge))
    return settled(qtbot, window, lambda: qtbot.keyClick(window.review.table, Qt.Key.Key_R))


def settled(qtbot, window, act):
    """The last change ``act`` reports: a decision is shown at once, then what it teaches."""
    return decided(qtbot, window.session, act)[-1]


def examples_file(window) -> Path:
    """Where the open folder's examples are kept."""
    return Workspace(window.session.notes).examples


def test_a_rejected_pattern_lowers_a_look_alike_edge_elsewhere_and_says_so(qtbot, window):
    before = confidence(window, LOOK_ALIKE)
    other = confidence(window, ("cloudfront", "integrates-with", "s3"))
    assert before is not None and confidence(window, WRONG) is not None
    changes = reject(qtbot, window, WRONG)
    assert confidence(window, WRONG) is None
    after = confidence(window, LOOK_ALIKE)
    assert after is not None and after < before - 0.03
    # The pattern, not everything: a line of another pattern moves less.
    assert before - after > other - confidence(window, ("cloudfront", "integrates-with", "s3"))
    changed = {(c.source, c.relation, c.target): c for c in changes.learned}
    assert changed[LOOK_ALIKE].kind == "weaker"
    assert WRONG not in changed, "the decision itself is not one of the other relations"
    text = window.review.learned.text()
    assert window.review.learned.isVisible()
    assert f"changed {len(changes.learned)} other relation" in text and "DynamoDB" in text
    assert "other relation" in window.statusBar().currentMessage()
    # The example is kept with the corrections, written atomically off the UI thread.
    path = examples_file(window)
    qtbot.waitUntil(lambda: path.exists() and bool(json.loads(path.read_text())["examples"]))
    (example,) = json.loads(path.read_text())["examples"]
    assert example["label"] == "none" and example["about"][:4] == ["hide", *WRONG]


def test_undo_takes_the_learning_back_and_restores_every_score_exactly(qtbot, window):
    first = scores(window)
    graph = {(u, k, v): d["confidence"] for u, v, k, d in window.G.edges(keys=True, data=True)}
    reject(qtbot, window, WRONG)
    taught = scores(window)
    assert taught != first
    settled(qtbot, window, window.undoAction.trigger)
    assert scores(window) == first
    assert {
        (u, k, v): d["confidence"] for u, v, k, d in window.G.edges(keys=True, data=True)
    } == graph
    path = examples_file(window)
    qtbot.waitUntil(lambda: path.exists() and json.loads(path.read_text())["examples"] == [])
    settled(qtbot, window, window.redoAction.trigger)
    assert scores(window) == taught, "redo teaches the very same examples again"


def test_the_learning_survives_a_restart(qtbot, window):
    reject(qtbot, window, WRONG)
    lowered = confidence(window, LOOK_ALIKE)
    path = examples_file(window)
    qtbot.waitUntil(lambda: path.exists() and bool(json.loads(path.read_text())["examples"]))
    notes = window.session.notes
    window.close()
    again = make_window(qtbot)
    open_and_wait(qtbot, again, notes)
    assert confidence(again, WRONG) is None
    assert confidence(again, LOOK_ALIKE) == lowered


def test_a_corrupt_examples_file_is_set_aside_with_a_message(qtbot, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(NOTE)
    path = Workspace(notes).examples
    path.parent.mkdir(parents=True)
    path.write_text("{half an examples file")
    save_corrections(notes, Corrections((Correction("hide", *WRONG),)))
    w = make_window(qtbot)
    changes = open_and_wait(qtbot, w, notes)
    (message,) = [m for m in changes.result.messages if "review decisions" in m]
    aside = next(path.parent.glob("*.examples.unreadable*.json"))
    assert str(aside) in message and aside.read_text() == "{half an examples file"
    listed = w.problems.model
    assert any(message == listed.problem(r).message for r in range(listed.rowCount()))
    # The decision still teaches: its examples are made again from the notes.
    assert changes.result.examples
    assert (
        confidence(w, LOOK_ALIKE)
        < changes.result.folder.graph(changes.result.folder.score(changes.result.folder.shipped))[
            LOOK_ALIKE[0]
        ][LOOK_ALIKE[2]][LOOK_ALIKE[1]]["confidence"]
    )


def test_search_no_longer_offers_a_rejected_pair(qtbot, window):
    search(qtbot, window, "S3")
    assert "sqs" in window.search.services()
    assert "sqs" in window.canvas.highlighted_services()
    reject(qtbot, window, WRONG)
    assert "sqs" not in window.search.services()
    assert "sqs" not in window.canvas.highlighted_services()
    assert {"s3", "cloudfront"} <= set(window.search.services())
    settled(qtbot, window, window.undoAction.trigger)
    assert "sqs" in window.search.services()
