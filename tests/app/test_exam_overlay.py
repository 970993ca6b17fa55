"""View › Show exam scope: hollow circles for the services the notes never name, the rest washed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF

from app.gui import sample_notes
from graph_data.gaps import find_gaps, scope_services
from tests.app.test_main_window import make_window, open_and_wait


@pytest.fixture
def window(qtbot, tmp_path):
    """A shown window on a copy of the sample notes."""
    notes = Path(shutil.copytree(sample_notes(), tmp_path / "notes"))
    w = make_window(qtbot)
    open_and_wait(qtbot, w, notes)
    return w


def ghost_box(window, ghost) -> QRectF:
    """A hollow circle with its name, in viewport pixels."""
    centre = window.canvas.viewportTransform().map(ghost.pos())
    label = ghost.childItems()[0].boundingRect()
    r = ghost.rect().width() / 2
    width = max(2 * r, label.width())
    return QRectF(centre.x() - width / 2, centre.y() - r, width, 2 * r + label.height())


def circle_boxes(window) -> list[QRectF]:
    """Every service circle drawn, in viewport pixels."""
    to_view = window.canvas.viewportTransform()
    zoom = window.canvas.transform().m11()
    out = []
    for sid in window.canvas.visible_service_ids():
        item = window.canvas.item_for(sid)
        c, r = to_view.map(item.pos()), item.radius * zoom
        out.append(QRectF(c - QPointF(r, r), c + QPointF(r, r)))
    return out


def test_the_exams_missing_services_appear_hollow_and_cover_nothing(window):
    exam = window.gaps.current_exam()
    missing = {g.service for g in find_gaps(window.G, exam).missing}
    assert missing, "the sample notes leave part of the exam out"
    window.examOverlayAction.trigger()
    ghosts = window.exam_overlay.ghosts()
    assert set(ghosts) == missing
    boxes = [ghost_box(window, g) for g in ghosts.values()]
    view = QRectF(window.canvas.viewport().rect())
    obstacles = circle_boxes(window) + list(window.canvas.label_rects().values())
    for box in boxes:
        # In view and clear of everything drawn, or (no room left) just outside the view.
        assert view.contains(box) or not view.intersects(box)
        assert not any(box.intersects(o) for o in obstacles)
    assert sum(view.contains(b) for b in boxes) > len(boxes) // 2
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert "never name" in window.statusBar().currentMessage()


def test_services_outside_the_scope_are_washed_out_until_the_overlay_is_off(window):
    exam = window.gaps.current_exam()
    outside = set(window.G) - scope_services(exam)
    assert outside, "the sample notes name a service outside the exam"
    window.examOverlayAction.trigger()
    assert window.exam_overlay.washed_out() == outside & set(window.canvas.positions())
    some = next(iter(window.exam_overlay.washed_out()))
    assert window.canvas.item_for(some).brush().color().alpha() < 255
    inside = next(s for s in window.G if s not in outside)
    assert window.canvas.item_for(inside).brush().color().alpha() == 255
    window.examOverlayAction.trigger()
    assert not window.exam_overlay.ghosts() and not window.exam_overlay.washed_out()
    assert window.canvas.item_for(some).brush().color().alpha() == 255


def test_another_exam_redraws_the_overlay(qtbot, window):
    window.examOverlayAction.trigger()
    first = set(window.exam_overlay.ghosts())
    box = window.gaps.exam
    other = next(i for i in range(box.count()) if box.itemData(i) != window.gaps.current_exam())
    with qtbot.waitSignal(window.gaps.examChanged):
        box.setCurrentIndex(other)
    code = window.gaps.current_exam()
    assert set(window.exam_overlay.ghosts()) == {
        g.service for g in find_gaps(window.G, code).missing
    }
    assert set(window.exam_overlay.ghosts()) != first


def test_a_filter_redraws_the_overlay_for_what_stays(qtbot, window):
    window.examOverlayAction.trigger()
    before = {s: QPointF(g.pos()) for s, g in window.exam_overlay.ghosts().items()}
    window.controls.relations["integrates-with"].trigger()
    qtbot.waitUntil(lambda: not window.canvas.is_moving(), timeout=10_000)
    after = window.exam_overlay.ghosts()
    assert set(after) == set(before), "the same services are missing"
    boxes = [ghost_box(window, g) for g in after.values()]
    obstacles = circle_boxes(window) + list(window.canvas.label_rects().values())
    assert not any(b.intersects(o) for b in boxes for o in obstacles)
