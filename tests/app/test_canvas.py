"""The graph canvas: items per service, filters, focus, mouse and keys, rendering."""

from __future__ import annotations

import networkx as nx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from app.canvas import GraphCanvas, UnknownService
from graph_data.layout import compute_layout
from tests.graph_data.test_layout import synthetic_graph


def _small_graph() -> nx.MultiDiGraph:
    """Five services: a chain a-b-c-d with two relations between a and b, and a loner e."""
    G = nx.MultiDiGraph()
    for node, category in zip(
        "abcde", ["Storage", "Compute", "Database", "Analytics", "Media"], strict=True
    ):
        G.add_node(node, name=f"Service {node}", short=node.upper(), category=category,
                   mentions=3, files=["x.md"], parent=None)  # fmt: skip
    one = [{"file": "x.md", "line": 1, "text": "made up"}]
    two = one * 2
    G.add_edge("a", "b", key="integrates-with", relation="integrates-with", evidence=two)
    G.add_edge("a", "b", key="alternative-to", relation="alternative-to", evidence=one)
    G.add_edge("b", "c", key="replaces", relation="replaces", evidence=two)
    G.add_edge("c", "d", key="integrates-with", relation="integrates-with", evidence=one)
    return G


POSITIONS = {"a": (0.0, 0.0), "b": (200.0, 0.0), "c": (400.0, 100.0), "d": (600.0, 0.0),
             "e": (300.0, 300.0)}  # fmt: skip


@pytest.fixture
def canvas(qtbot):
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_graph(_small_graph(), POSITIONS)
    return view


def _click_point(view: GraphCanvas, service: str) -> QPoint:
    return view.mapFromScene(view.item_for(service).pos())


def test_one_item_per_visible_service(canvas):
    assert canvas.visible_service_ids() == set("abcde")
    for node in "abcde":
        item = canvas.item_for(node)
        assert item is not None and item.isVisible()
        assert item.pos().x() == POSITIONS[node][0]
    assert canvas.item_for("nope") is None
    assert len(canvas.visible_edges()) == 4


def test_filters_change_visible_items(canvas):
    canvas.set_visible_services({"a", "b", "e"})
    assert canvas.visible_service_ids() == {"a", "b", "e"}
    assert not canvas.item_for("c").isVisible()
    assert {e[2] for e in canvas.visible_edges()} == {"integrates-with", "alternative-to"}
    canvas.set_visible_services(None)
    canvas.set_relation_filter({"replaces"})
    assert canvas.visible_edges() == [("b", "c", "replaces")]
    canvas.set_relation_filter({"integrates-with", "alternative-to", "replaces"})
    canvas.set_min_evidence(2)
    assert sorted(canvas.visible_edges()) == [
        ("a", "b", "integrates-with"),
        ("b", "c", "replaces"),
    ]


def test_hide_isolated(canvas):
    canvas.set_hide_isolated(True)
    assert canvas.visible_service_ids() == set("abcd")
    canvas.set_relation_filter({"replaces"})
    assert canvas.visible_service_ids() == {"b", "c"}
    canvas.set_hide_isolated(False)
    assert canvas.visible_service_ids() == set("abcde")


def test_click_selects_and_background_click_clears(canvas, qtbot):
    with qtbot.waitSignal(canvas.serviceSelected) as blocker:
        qtbot.mouseClick(
            canvas.viewport(), Qt.MouseButton.LeftButton, pos=_click_point(canvas, "c")
        )
    assert blocker.args == ["c"]
    assert canvas.selected_service() == "c"
    assert canvas.item_for("c").selected
    empty = canvas.mapFromScene(150.0, 250.0)
    assert canvas.service_at(empty.toPointF()) is None
    with qtbot.waitSignal(canvas.selectionCleared):
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert canvas.selected_service() is None


def test_double_click_activates(canvas, qtbot):
    with qtbot.waitSignal(canvas.serviceActivated) as blocker:
        qtbot.mouseDClick(
            canvas.viewport(), Qt.MouseButton.LeftButton, pos=_click_point(canvas, "d")
        )
    assert blocker.args == ["d"]


def test_dragging_a_node_moves_and_pins_it(canvas, qtbot):
    start = _click_point(canvas, "e")
    end = start + QPoint(60, 40)
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas.viewport(), start + QPoint(30, 20))
    qtbot.mouseMove(canvas.viewport(), end)
    with qtbot.waitSignal(canvas.nodePinned) as blocker:
        qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end)
    service, x, y = blocker.args
    assert service == "e"
    assert canvas.positions()["e"] == (x, y)
    assert (x, y) != POSITIONS["e"]
    assert canvas.item_for("e").pinned
    assert canvas.pinned_services() == {"e"}


def test_hover_dims_non_neighbours(canvas, qtbot):
    qtbot.mouseMove(canvas.viewport(), _click_point(canvas, "b"))
    qtbot.waitUntil(lambda: canvas.dimmed_services() == {"d", "e"})
    assert {frozenset(e[:2]) for e in canvas.focused_edges()} == {
        frozenset("ab"),
        frozenset("bc"),
    }
    qtbot.mouseMove(canvas.viewport(), canvas.mapFromScene(150.0, 250.0))
    qtbot.waitUntil(lambda: canvas.dimmed_services() == set())


def test_show_path_emphasises_its_edges_and_dims_the_rest(canvas):
    canvas.show_path(["a", "b", "c"])
    assert canvas.dimmed_services() == {"d", "e"}
    assert sorted(canvas.focused_edges()) == [
        ("a", "b", "alternative-to"),
        ("a", "b", "integrates-with"),
        ("b", "c", "replaces"),
    ]
    canvas.clear_highlight()
    assert canvas.dimmed_services() == set()
    assert canvas.focused_edges() == []


def test_highlight_and_select_by_id(canvas):
    canvas.highlight_services(["a", "d", "unknown"])
    assert canvas.highlighted_services() == {"a", "d"}
    assert canvas.item_for("a").ringed and not canvas.item_for("b").ringed
    canvas.select_service("c", center=True)
    assert canvas.selected_service() == "c"
    assert canvas.viewport().rect().contains(_click_point(canvas, "c"))
    with pytest.raises(UnknownService):
        canvas.select_service("zzz")


def test_zoom_keys_change_the_transform(canvas, qtbot):
    canvas.setFocus()
    before = canvas.zoom()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom() == pytest.approx(before * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom() == pytest.approx(before * 0.8)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.zoom() == pytest.approx(before)


def test_labels_show_for_a_small_graph(canvas, qtbot):
    qtbot.waitUntil(lambda: canvas.labelled_services() == set("abcde"))


def test_only_hubs_are_labelled_in_a_big_graph(qtbot):
    G = synthetic_graph(600, 1200)
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_graph(G, compute_layout(G, iterations=30))
    labelled = view.labelled_services()
    assert 0 < len(labelled) <= GraphCanvas.HUB_LABELS
    hub = max(G, key=G.degree)
    assert hub in labelled


def _is_blank(image: QImage) -> bool:
    first = image.pixelColor(0, 0)
    step = 7
    return all(
        image.pixelColor(x, y) == first
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )


@pytest.mark.parametrize("dark", [False, True])
def test_rendering_is_not_blank(canvas, dark):
    canvas.set_dark(dark)
    image = canvas.render_image(640, 420)
    assert image.width() == 640 and not _is_blank(image)
    background = QColor("#1e2127" if dark else "#fbfbfd")
    assert image.pixelColor(635, 415) == background
    # The circle of service b is drawn in its category's colour at its centre.
    centre = canvas.mapFromScene(canvas.item_for("b").pos()) + canvas.viewport().pos()
    assert not canvas.legend().geometry().contains(centre)
    assert image.pixelColor(centre.x(), centre.y()) == QColor("#f28e2b")
