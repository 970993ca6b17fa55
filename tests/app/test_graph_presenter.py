"""The canvas bound to the session and the view model, driven through the window."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from app.graph_presenter import GraphPresenter
from app.main_window import MainWindow
from tests.app.test_main_window import open_and_wait, search


def in_view(window: MainWindow, sid: str) -> bool:
    """Whether the centre of ``sid``'s circle is inside the canvas's viewport."""
    canvas = window.canvas
    item = canvas.item_for(sid)
    assert item is not None
    return canvas.viewport().rect().contains(canvas.mapFromScene(item.pos()))


def pan_away_from(window: MainWindow, sid: str) -> None:
    """Zoom in and centre on the service farthest from ``sid``, so ``sid`` is out of view."""
    canvas = window.canvas
    here = canvas.positions()
    x, y = here[sid]
    far = max(here, key=lambda n: math.dist(here[n], (x, y)))
    for _ in range(8):
        canvas.zoom_in()
    canvas.centerOn(canvas.item_for(far).pos())
    assert not in_view(window, sid), "the test needs the service out of view"


def select_again_in_the_services_list(qtbot, window: MainWindow, sid: str) -> None:
    """Click the service's row, already the current one, in the Services panel."""
    window.services_dock.show()
    window.services_dock.raise_()
    panel = window.services
    index = panel.proxy.mapFromSource(panel.model.index_of(sid))
    assert panel.view.currentIndex() == index, "the list follows the selection"
    panel.view.scrollTo(index)
    qtbot.waitUntil(lambda: panel.view.visualRect(index).height() > 0)
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(index).center()
    )


@pytest.mark.parametrize("how", ["select_service", "services list", "search result"])
def test_selecting_the_selected_service_again_brings_it_back_into_view(qtbot, window, notes, how):
    open_and_wait(qtbot, window, notes)
    if how == "search result":
        search(qtbot, window, "host port")
        window.search.pick(0)
    else:
        assert window.select_service("ecs")
    assert window.view_model.selection == "ecs"
    pan_away_from(window, "ecs")
    if how == "select_service":
        assert window.select_service("ecs")
    elif how == "services list":
        select_again_in_the_services_list(qtbot, window, "ecs")
    else:
        window.search.pick(0)
    assert window.canvas.selected_service() == "ecs"
    assert in_view(window, "ecs")


def test_selecting_another_service_once_emits_the_selection_once(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    seen: list[object] = []
    window.view_model.selectionChanged.connect(seen.append)
    with qtbot.assertNotEmitted(window.view_model.reselected):
        window.select_service("sqs")
    assert seen == ["sqs"]
    with qtbot.waitSignal(window.view_model.reselected) as again:
        window.select_service("sqs")
    assert again.args == ["sqs"] and seen == ["sqs"]


def test_a_rebuild_keeps_the_view_the_user_left(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    assert isinstance(window.presenter, GraphPresenter)
    window.canvas.zoom_in()
    before = window.canvas.view_state()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.folders.reload()
    after = window.canvas.view_state()
    assert after[0] == before[0], "the zoom is kept"
