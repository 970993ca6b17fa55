"""Dragging a service pins it in the session, whose layout is written off the UI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt

from app.canvas import GraphCanvas
from app.layout_saver import LayoutSaver
from graph_data.workspace import Workspace
from tests.app.test_main_window import make_window, open_and_wait


def drag(qtbot, canvas: GraphCanvas, sid: str) -> tuple[float, float]:
    """Drag ``sid`` a little with the mouse, which pins it; where it was dropped (scene)."""
    start = canvas.mapFromScene(canvas.item_for(sid).pos())
    end = start + QPoint(40, 30)
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas.viewport(), start + QPoint(20, 15))
    qtbot.mouseMove(canvas.viewport(), end)
    with qtbot.waitSignal(canvas.nodePinned) as blocker:
        qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end)
    dropped, x, y = blocker.args
    assert dropped == sid
    return x, y


def test_a_pin_is_saved_by_the_writer_thread_not_the_ui_thread(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    assert Workspace(notes).saved_layout().pinned == frozenset()
    writers: list[tuple[threading.Thread, str, bool]] = []
    # Direct: the callback runs in the thread that wrote, right after the write.
    window.session.layoutWritten.connect(
        lambda folder, ok: writers.append((threading.current_thread(), folder, ok)),
        Qt.ConnectionType.DirectConnection,
    )
    x, y = drag(qtbot, window.canvas, "ecs")
    qtbot.waitUntil(lambda: len(writers) == 1, timeout=10_000)
    thread, folder, ok = writers[0]
    assert thread is not threading.main_thread() and thread.name.startswith("layout")
    assert ok and folder == str(notes)
    saved = Workspace(notes).saved_layout()
    assert saved.pinned == {"ecs"}
    assert saved.positions["ecs"] == pytest.approx((x, y))
    assert set(saved.positions) == set(window.canvas.positions())
    assert window.session.pinned == {"ecs"} == window.canvas.pinned_services()


def test_closing_the_window_keeps_a_pin_just_made(qtbot, notes):
    window = make_window(qtbot)
    open_and_wait(qtbot, window, notes)
    x, y = drag(qtbot, window.canvas, "sqs")
    window.close()
    # No waiting here: closing waited for the write.
    saved = Workspace(notes).saved_layout()
    assert saved.pinned == {"sqs"}
    assert saved.positions["sqs"] == pytest.approx((x, y))


def test_an_unwritable_cache_is_a_status_bar_line(qtbot, window, notes, tmp_path, monkeypatch):
    open_and_wait(qtbot, window, notes)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(blocked))
    with qtbot.waitSignal(window.session.layoutNotSaved, timeout=10_000):
        drag(qtbot, window.canvas, "ecs")
    assert "Could not remember the layout" in window.statusBar().currentMessage()


def test_flushing_waits_for_the_newest_layout_of_a_folder(qtbot, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    saver = LayoutSaver()
    saver.remember(notes, {"sns": (0.0, 0.0), "sqs": (5.0, 5.0)}, {"sns"})
    saver.remember(notes, {"sns": (1.0, 2.0), "sqs": (5.0, 5.0)}, {"sqs"})
    saver.flush()
    # No waiting here: flushing waited; the older request was written first or skipped.
    saved = Workspace(notes).saved_layout()
    assert saved.pinned == {"sqs"}
    assert saved.positions["sns"] == pytest.approx((1.0, 2.0))
