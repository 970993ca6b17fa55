"""A relation-type or evidence filter lays out what it leaves; all of it brings the picture back."""

from __future__ import annotations

import math

from graph_data.layout import compute_layout
from tests.app.test_main_window import open_and_wait


def _moved_by(before: dict, after: dict, services) -> float:
    return max(math.dist(before[n], after[n]) for n in services)


def test_a_relation_filter_lays_out_the_services_that_stay_then_all_of_it_comes_back(
    qtbot, window, notes
):
    open_and_wait(qtbot, window, notes)
    canvas = window.canvas
    whole = canvas.positions()
    with qtbot.waitSignal(canvas.moved, timeout=20_000):
        window.controls.relations["alternative-to"].setChecked(False)
    stay = canvas.visible_service_ids()
    assert stay and not {"efs", "ebs"} & stay
    filtered = canvas.positions()
    # The services that stay sit where a layout of the filtered graph alone (seeded) puts them.
    expected = compute_layout(canvas.filtered_graph())
    assert all(math.dist(filtered[n], expected[n]) < 1e-6 for n in stay)
    assert _moved_by(whole, filtered, stay) > 1.0
    with qtbot.waitSignal(canvas.moved, timeout=20_000):
        window.controls.relations["alternative-to"].setChecked(True)
    back = canvas.positions()
    assert _moved_by(whole, back, whole) < 1e-6


def test_the_filtered_layout_is_kept_for_the_session_and_animated(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    canvas = window.canvas
    with qtbot.waitSignal(canvas.moved, timeout=20_000):
        window.controls.min_evidence.setValue(2)
    first = canvas.positions()
    with qtbot.waitSignal(canvas.moved, timeout=20_000):
        window.controls.min_evidence.setValue(1)
    with qtbot.waitSignal(canvas.moved, timeout=20_000):
        window.controls.min_evidence.setValue(2)
        # The second time it comes from the cache, and the services still travel there.
        qtbot.waitUntil(canvas.is_moving, timeout=5_000)
    assert canvas.positions() == first
    assert len(window.places.layouts._cache) == 1


def test_the_saved_whole_layout_is_not_overwritten_by_a_filters_layout(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    whole = window.canvas.positions()
    with qtbot.waitSignal(window.canvas.moved, timeout=20_000):
        window.controls.relations["integrates-with"].setChecked(False)
    assert window.places.whole_positions() == whole
