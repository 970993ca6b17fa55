"""The review queue: least sure relations first; A, R/Delete and T decide; the graph follows."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtCore import Qt

from app.gui import sample_notes
from app.panels.review import (
    COL_CONFIDENCE,
    COL_RELATION,
    COL_SOURCE,
    COL_TARGET,
    EdgeRole,
    ReviewModel,
)
from tests.app.test_main_window import make_window, open_and_wait


def small_graph() -> nx.MultiDiGraph:
    """Four relations of different confidence; one confirmed, one added by the user."""
    G = nx.MultiDiGraph()
    for sid in ("a", "b", "c", "d"):
        G.add_node(sid, short=sid.upper())
    ev = [{"file": "n.md", "line": 3, "text": "A works with B."}]
    G.add_edge(
        "a", "b", key="integrates-with", relation="integrates-with", evidence=ev, confidence=0.9
    )
    G.add_edge("c", "d", key="replaces", relation="replaces", evidence=ev, confidence=0.4)
    G.add_edge(
        "a", "c", key="alternative-to", relation="alternative-to", evidence=ev * 2, confidence=0.6
    )
    G.add_edge(
        "b",
        "d",
        key="integrates-with",
        relation="integrates-with",
        evidence=ev,
        confidence=0.2,
        confirmed=True,
    )
    G.add_edge(
        "a",
        "d",
        key="integrates-with",
        relation="integrates-with",
        evidence=ev,
        confidence=1.0,
        manual=True,
    )
    return G


def test_model_lists_undecided_relations_least_sure_first(qtmodeltester):
    model = ReviewModel()
    model.set_graph(small_graph())
    qtmodeltester.check(model)
    edges = [model.index(r, COL_SOURCE).data(EdgeRole) for r in range(model.rowCount())]
    assert edges == [
        ("c", "replaces", "d"),
        ("a", "alternative-to", "c"),
        ("a", "integrates-with", "b"),
    ]
    assert model.index(0, COL_CONFIDENCE).data() == "0.40"
    assert model.index(0, COL_SOURCE).data() == "C"
    assert model.index(0, COL_RELATION).data() == "replaces"
    assert model.index(0, COL_TARGET).data() == "D"
    assert "A works with B." in model.index(0, COL_SOURCE).data(Qt.ItemDataRole.ToolTipRole)
    assert "n.md:3" in model.evidence_html(0)
    model.set_graph(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


@pytest.fixture
def window(qtbot, tmp_path):
    """A main window on a copy of the sample notes, with the review queue shown and focused."""
    notes = Path(shutil.copytree(sample_notes(), tmp_path / "notes"))
    w = make_window(qtbot)
    open_and_wait(qtbot, w, notes)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.reviewAction.trigger()
    assert w.review_dock.isVisible()
    return w


def queued(window) -> list[tuple[str, str, str]]:
    """The queue's edges in order."""
    model = window.review.model
    return [model.edge(r) for r in range(model.rowCount())]


def shown(window, edge: tuple[str, str, str]) -> bool:
    """Whether the canvas draws ``edge`` (source, relation, target)."""
    u, rel, v = edge
    return (u, v, rel) in window.canvas.visible_edges()


def shown_rows(window) -> list[int]:
    """The queue's rows that are relations on the graph (not candidates just below it)."""
    model = window.review.model
    return [r for r in range(model.rowCount()) if model.doubt(r).shown]


def test_the_queue_asks_first_what_the_scorer_is_least_sure_of(qtbot, window):
    model = window.review.model
    edges = queued(window)
    doubts = [model.doubt(r) for r in range(model.rowCount())]
    assert [d.uncertainty for d in doubts] == sorted(d.uncertainty for d in doubts)
    threshold = window.session.result.scoring.scorer.threshold
    # Every undecided shown relation, and candidates just below the threshold, not shown.
    assert len(shown_rows(window)) == window.G.number_of_edges()
    below = [d for d in doubts if not d.shown]
    assert below and all(threshold - 0.15 <= d.confidence < threshold for d in below)
    assert all(not window.G.has_edge(d.source, d.target, d.relation) for d in below)
    assert all(d.quote and d.line for d in below)
    first = edges[0]
    assert window.canvas.selected_service() == first[0]
    assert {first[0], first[2]} <= window.canvas.highlighted_services()
    qtbot.keyClick(window.review.table, Qt.Key.Key_Down)
    assert window.review.current_edge() == edges[1]
    assert window.canvas.selected_service() == edges[1][0]


def test_a_accepts_and_moves_on_then_ctrl_z_undoes(qtbot, window):
    edges = queued(window)
    row = shown_rows(window)[0]
    window.review.select_row(row)
    assert window.review.table.hasFocus()
    qtbot.keyClick(window.review.table, Qt.Key.Key_A)
    u, rel, v = edges[row]
    assert window.G[u][v][rel]["confirmed"]
    assert edges[row] not in queued(window)
    # The next row of the queue as the decision re-ordered it.
    assert window.review.current_edge() == queued(window)[row]
    assert window.canvas.selected_service() == queued(window)[row][0]
    assert window.review.table.hasFocus(), "the reviewer keeps going with the keyboard"
    place = window.review.current_edge()
    qtbot.keyClick(window.review.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.G[u][v][rel].get("confirmed")
    assert queued(window) == edges
    assert window.review.current_edge() == place, "undo keeps the reviewer's place"


@pytest.mark.parametrize("key", [Qt.Key.Key_R, Qt.Key.Key_Delete])
def test_r_or_delete_rejects_and_the_edge_leaves_the_canvas(qtbot, window, key):
    edges = queued(window)
    row = shown_rows(window)[2]
    window.review.select_row(row)
    assert shown(window, edges[row])
    qtbot.keyClick(window.review.table, key)
    assert not shown(window, edges[row])
    assert edges[row] not in queued(window)
    assert window.review.current_edge() == queued(window)[row]
    window.undoAction.trigger()
    assert shown(window, edges[row])
    assert queued(window) == edges


def test_accepting_a_candidate_not_shown_adds_it_with_its_quote(qtbot, window):
    model = window.review.model
    row = next(r for r in range(model.rowCount()) if not model.doubt(r).shown)
    doubt = model.doubt(row)
    assert not shown(window, model.edge(row))
    assert "Not shown yet" in model.evidence_html(row)
    window.review.select_row(row)
    qtbot.keyClick(window.review.table, Qt.Key.Key_A)
    u, rel, v = model_edge = (doubt.source, doubt.relation, doubt.target)
    assert shown(window, model_edge)
    data = window.G[u][v][rel]
    assert data["manual"] and any(doubt.quote in e["text"] for e in data["evidence"])
    assert model_edge not in queued(window)
    window.undoAction.trigger()
    assert not shown(window, model_edge)


# The offscreen platform cannot raise a popup menu or grab the keyboard for it; it says so.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_t_offers_the_other_types_and_retags(qtbot, window):
    edges = queued(window)
    row = shown_rows(window)[0]
    window.review.select_row(row)
    u, rel, v = edges[row]
    qtbot.keyClick(window.review.table, Qt.Key.Key_T)
    menu = window.review.retag_menu
    qtbot.waitUntil(menu.isVisible)
    labels = [a.text() for a in menu.actions()]
    # The two other types, and "replaces" both ways round (a "replaces" edge: the other way).
    assert len(labels) == 3
    first = menu.actions()[0]
    new = next(r for r in ("integrates-with", "alternative-to", "replaces") if r != rel)
    first.trigger()
    assert not window.G.has_edge(u, v, rel)
    between = [*(window.G.get_edge_data(u, v) or {}).values()]
    between += [*(window.G.get_edge_data(v, u) or {}).values()]
    assert any(d["relation"] == new for d in between)
    assert window.review.current_edge() == queued(window)[row]
    window.undoAction.trigger()
    assert window.G.has_edge(u, v, rel)


def test_decision_keys_do_nothing_without_a_current_row(qtbot, window):
    window.review.table.setCurrentIndex(window.review.model.index(-1, -1))
    before = window.G.number_of_edges()
    qtbot.keyClick(window.review.table, Qt.Key.Key_R)
    assert window.G.number_of_edges() == before
    assert not window.undoAction.isEnabled()


def test_changes_made_elsewhere_leave_the_selection_alone(qtbot, window, tmp_path):
    u, _rel, v = queued(window)[3]
    window.review.select_row(0)
    other = next(s for s in window.G if s not in (u, v) and window.G.degree(s))
    window.select_service(other)
    assert window.corrector.hide(u, _rel, v)
    assert window.canvas.selected_service() == other
    assert window.details.service == other
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "a.md").write_text("# Messaging\n\nSNS fans out to SQS queues.\n")
    open_and_wait(qtbot, window, folder)
    assert window.canvas.selected_service() is None
    assert not window.canvas.highlighted_services()
