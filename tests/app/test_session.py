"""The Session on its own, without a window: open, reload, correct, cancel, watch, pin."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.session import Session
from graph_data.workspace import Workspace
from tests.conftest import write_notes

NOTE = "# Messaging\n\nSNS fans out each message to several SQS queues.\n"
WEB_NOTE = "# Web\n\nCloudFront sits in front of S3.\n"


@pytest.fixture
def notes(tmp_path) -> Path:
    return write_notes(tmp_path / "notes", {"messaging.md": NOTE})


@pytest.fixture
def session(qtbot):
    s = Session()
    yield s
    s.close()


def opened(qtbot, session: Session, notes: Path, **kw):
    with qtbot.waitSignal(session.changed, timeout=60_000) as blocker:
        session.open(notes, **kw)
    return blocker.args[0]


def test_opening_reports_the_build_once_and_keeps_its_result(qtbot, session, notes):
    started = []
    session.started.connect(started.append)
    changes = opened(qtbot, session, notes)
    assert started == [notes]
    assert changes.folder and changes.build and changes.graph and changes.index
    assert set(changes.result.graph) == {"sns", "sqs"}
    assert session.result is changes.result and not session.busy
    assert set(changes.positions) == {"sns", "sqs"}


def test_a_correction_is_reported_as_a_change_of_the_graph_only(qtbot, session, notes):
    opened(qtbot, session, notes)
    (u, v, rel) = next(iter(session.result.graph.edges(keys=True)))
    with qtbot.waitSignal(session.changed) as blocker:
        assert session.corrector.hide(u, rel, v)
    changes = blocker.args[0]
    assert changes.corrections and not (changes.index or changes.build or changes.folder)
    assert not changes.result.graph.has_edge(u, v, rel)
    assert session.result is changes.result
    with qtbot.waitSignal(session.changed) as blocker:
        session.corrector.stack.undo()
    assert blocker.args[0].result.graph.has_edge(u, v, rel)


def test_a_second_open_supersedes_the_first(qtbot, session, notes, tmp_path):
    other = write_notes(tmp_path / "other", {"web.md": WEB_NOTE})
    seen = []
    session.changed.connect(seen.append)
    session.open(notes)
    with qtbot.waitSignal(session.changed, timeout=60_000):
        session.open(other)
    qtbot.waitUntil(lambda: not session.busy)
    assert [c.result.notes for c in seen] == [other]
    assert session.notes == other


def test_cancelling_reports_a_failure_in_words(qtbot, session, notes):
    with qtbot.waitSignal(session.failed, timeout=60_000) as blocker:
        session.open(notes)
        session.cancel()
    assert blocker.args == ["Cancelled."]
    assert session.result is None and not session.busy


def test_an_edited_note_makes_the_session_stale(qtbot, session, notes):
    opened(qtbot, session, notes)
    with qtbot.waitSignal(session.stale, timeout=10_000):
        (notes / "messaging.md").write_text(NOTE + "Lambda polls SQS.\n", "utf-8")
    with qtbot.waitSignal(session.changed, timeout=60_000) as blocker:
        session.reload()
    changes = blocker.args[0]
    assert changes.build and not changes.folder and "lambda" in changes.result.graph


def test_a_pin_is_written_on_a_writer_thread_and_survives_closing(qtbot, notes):
    first = Session()
    changes = opened(qtbot, first, notes)
    assert first.pinned == frozenset() and not Workspace(notes).saved_layout().pinned
    writers: list[tuple[threading.Thread, str, bool]] = []
    # Direct: the callback runs in the thread that wrote, right after the write.
    first.layoutWritten.connect(
        lambda folder, ok: writers.append((threading.current_thread(), folder, ok)),
        Qt.ConnectionType.DirectConnection,
    )
    first.pin("sns", 12.5, -40.0, changes.positions)
    assert first.pinned == {"sns"}
    first.close()
    # No waiting here: closing waited for the write.
    [(thread, folder, ok)] = writers
    assert thread is not threading.main_thread() and thread.name.startswith("layout")
    assert ok and folder == str(notes)
    again = Session()
    reopened = opened(qtbot, again, notes)
    assert reopened.pinned == {"sns"} == again.pinned
    assert reopened.positions["sns"] == pytest.approx((12.5, -40.0))
    again.close()


def test_pins_outlive_a_rebuild_not_another_folder(qtbot, session, notes, tmp_path):
    changes = opened(qtbot, session, notes)
    session.pin("sqs", 1.0, 1.0, changes.positions)
    session.keep_pinned(["sns", "not-a-service"])
    assert session.pinned == {"sns", "sqs"}
    with qtbot.waitSignal(session.changed, timeout=60_000):
        session.reload()
    assert session.pinned == {"sns", "sqs"}
    other = write_notes(tmp_path / "other", {"web.md": WEB_NOTE})
    opened(qtbot, session, other)
    assert session.pinned == frozenset()


@pytest.fixture
def taught_notes(tmp_path) -> Path:
    """The core learning tests' note: several lines of one pattern, so a decision teaches."""
    from tests.graph_data.test_learning import FOLDER_NOTE

    return write_notes(tmp_path / "taught", {"n.md": FOLDER_NOTE})


def decided(qtbot, session: Session, act) -> list:
    """Every change ``act`` reports, until what it teaches is learned."""
    seen: list = []
    session.changed.connect(seen.append)
    act()
    qtbot.waitUntil(lambda: bool(seen) and not session.relearning, timeout=10_000)
    session.changed.disconnect(seen.append)
    return seen


def test_a_decision_shows_at_once_and_is_re_scored_off_the_ui_thread(qtbot, session, taught_notes):
    opened(qtbot, session, taught_notes)
    before = session.result
    edge = ("s3", "sqs", "alternative-to")

    def hide():
        assert session.corrector.hide("s3", "alternative-to", "sqs")
        # Back on the UI thread: the edge is gone, but the scorer has not learned yet.
        assert session.relearning and not session.result.graph.has_edge(*edge)
        assert session.result.scoring is before.scoring

    first, last = decided(qtbot, session, hide)
    assert not first.learned and first.corrections
    assert last.learned and last.result.scoring is not before.scoring
    assert session.result is last.result and not last.result.graph.has_edge(*edge)


def test_a_later_decision_supersedes_a_pending_re_score(qtbot, session, taught_notes):
    opened(qtbot, session, taught_notes)
    edge = ("s3", "sqs", "alternative-to")
    u, v, rel = next(e for e in session.result.graph.edges(keys=True) if e != edge)

    def hide_two():
        assert session.corrector.hide("s3", "alternative-to", "sqs")
        assert session.corrector.hide(u, rel, v)

    changes = decided(qtbot, session, hide_two)
    assert [bool(c.learned) for c in changes] == [False, False, True], "one re-score reported"
    result = changes[-1].result
    assert len(result.examples) >= 2, "both decisions teach the one re-score reported"
    assert not result.graph.has_edge(*edge) and not result.graph.has_edge(u, v, rel)
