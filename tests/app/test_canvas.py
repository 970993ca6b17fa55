"""The graph canvas: items per service, filters, focus, mouse and keys, rendering."""

from __future__ import annotations

import time

import networkx as nx
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from app.canvas import FIRST_PAINT_ENV, GraphCanvas, UnknownService
from graph_data.layout import compute_layout, synthetic_graph
from graph_data.style import CATEGORY_COLORS


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
    assert image.pixelColor(centre.x(), centre.y()) == QColor(CATEGORY_COLORS["Compute"])


# ---------------------------------------------------------------- labels, legend and fit


def _sample_graph() -> nx.MultiDiGraph:
    from app.gui import sample_notes
    from graph_data.build import build

    return build(sample_notes(), index=False).graph


def _big_canvas(qtbot, G: nx.MultiDiGraph, size=(1000, 700)) -> GraphCanvas:
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_graph(G, compute_layout(G, iterations=60))
    return view


def _assert_labels_legible(view: GraphCanvas) -> None:
    """No two labels overlap, all lie inside the viewport and none is under the legend."""
    rects = list(view.label_rects().items())
    assert rects
    viewport = view.viewport().rect()
    legend = view.legend().geometry().translated(-view.viewport().pos())
    for i, (service, rect) in enumerate(rects):
        assert viewport.contains(rect.toAlignedRect()), service
        assert not rect.intersects(legend.toRectF()), service
        for other, other_rect in rects[i + 1 :]:
            assert not rect.intersects(other_rect), (service, other)


def _assert_no_node_under_legend(view: GraphCanvas) -> None:
    legend = view.legend().geometry().translated(-view.viewport().pos()).toRectF()
    zoom = view.zoom()
    for service in view.visible_service_ids():
        item = view.item_for(service)
        centre = view.viewportTransform().map(item.pos())
        r = item.radius * zoom
        circle = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        assert not circle.intersects(legend), service
        assert view.viewport().rect().toRectF().contains(circle), service


@pytest.mark.parametrize("graph", ["sample", "synthetic"])
def test_labels_never_overlap_and_hubs_and_selection_keep_theirs(qtbot, graph):
    G = _sample_graph() if graph == "sample" else synthetic_graph(300, 450)
    view = _big_canvas(qtbot, G)
    assert view.legend().isVisible()
    _assert_no_node_under_legend(view)
    _assert_labels_legible(view)
    hubs = view.top_hubs()
    assert len(hubs) == GraphCanvas.TOP_HUBS
    assert set(hubs) <= view.labelled_services()
    # A service of low degree in the crowd gets its label once selected, hubs keep theirs.
    quiet = min(
        (n for n in view.visible_service_ids() if G.degree(n) > 0),
        key=lambda n: (G.degree(n), n),
    )
    assert quiet not in hubs
    view.select_service(quiet, center=False)
    qtbot.waitUntil(lambda: quiet in view.labelled_services())
    assert set(hubs) <= view.labelled_services()
    _assert_labels_legible(view)


def test_label_level_of_detail_depends_on_services_in_view(qtbot):
    G = synthetic_graph(600, 900)
    view = _big_canvas(qtbot, G)
    assert len(view.visible_service_ids()) >= GraphCanvas.LABEL_ALL_LIMIT
    hubs = sorted(G, key=lambda n: (-G.degree(n), n))
    assert view.labelled_services() <= set(hubs[: GraphCanvas.HUB_LABELS])
    for _ in range(8):
        view.zoom_in()
    # Zoomed in, fewer services are in view, so services beyond the hubs get labels too.
    qtbot.waitUntil(lambda: bool(view.labelled_services() - set(hubs[: GraphCanvas.HUB_LABELS])))
    _assert_labels_legible(view)


def test_fit_leaves_room_for_long_labels_at_the_edges(qtbot):
    G = nx.MultiDiGraph()
    for node in "ab":
        G.add_node(node, name=f"An Unusually Long Service Name {node}", category="Storage")
    G.add_edge("a", "b", key="integrates-with", relation="integrates-with", evidence=[])
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_graph(G, {"a": (0.0, 0.0), "b": (3000.0, 0.0)})
    assert view.labelled_services() == {"a", "b"}
    # Both fit in their first-choice place, centred under the circle: fit made the room.
    assert {view.item_for(n).label.side() for n in "ab"} == {"below"}
    _assert_labels_legible(view)
    _assert_no_node_under_legend(view)
    view.legend().hide()
    view.fit()
    _assert_labels_legible(view)


def test_first_paint_probe_reports_the_first_paint_with_services(qtbot, monkeypatch, capsys):
    monkeypatch.setenv(FIRST_PAINT_ENV, "1")
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()
    QApplication.processEvents()
    # Painted, but with no services yet: nothing to report.
    assert "first-paint" not in capsys.readouterr().out
    before = time.time()
    view.set_graph(_small_graph(), POSITIONS)
    seen: list[str] = []
    qtbot.waitUntil(lambda: seen.append(capsys.readouterr().out) or "first-paint" in "".join(seen))
    stamp = float("".join(seen).split("first-paint", 1)[1].split()[0])
    assert before <= stamp <= time.time()


def test_edges_are_drawn_directly_while_zooming_and_cached_at_rest(canvas, qtbot):
    qtbot.waitUntil(canvas.edges_cached)
    canvas.zoom_in()
    # A new scale would throw a cache away: draw directly until the zoom settles.
    assert not canvas.edges_cached()
    qtbot.waitUntil(canvas.edges_cached)
    canvas.horizontalScrollBar().setValue(canvas.horizontalScrollBar().value() + 20)
    assert canvas.edges_cached()


def test_replace_graph_reuses_the_circles_and_keeps_the_zoom(canvas):
    canvas.zoom_in()
    zoom, item = canvas.zoom(), canvas.item_for("c")
    H = _small_graph()
    H.remove_edge("c", "d", key="integrates-with")
    H.nodes["c"]["short"] = "Renamed"
    canvas.replace_graph(H)
    assert canvas.item_for("c") is item
    assert ("c", "d", "integrates-with") not in canvas.visible_edges()
    assert canvas.zoom() == pytest.approx(zoom)
    assert item.label.text() == "Renamed"
    H.add_node("f", short="F", category="Storage")
    canvas.replace_graph(H, {**POSITIONS, "f": (50.0, 50.0)})
    assert canvas.item_for("f") is not None and canvas.item_for("c") is not item
