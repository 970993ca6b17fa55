"""The graph scene on its own, with no view: items, filters, focus, theme, labels, pictures."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QTransform

from app.canvas import DARK, LIGHT, GraphScene, UnknownService, frame, render_picture
from graph_data.layout import compute_layout, synthetic_graph
from graph_data.style import category_color
from tests.app.test_canvas import POSITIONS, _small_graph
from tests.app.test_pdf_sheet import colour_count


@pytest.fixture
def scene(qapp):
    scene = GraphScene(dark=False)
    scene.set_graph(_small_graph(), POSITIONS)
    yield scene
    scene.deleteLater()


def test_a_scene_needs_no_view(scene):
    assert scene.views() == []
    assert scene.visible_service_ids() == set("abcde")
    assert scene.positions() == POSITIONS
    assert len(scene.visible_edges()) == 4
    assert scene.item_for("a").scene() is scene
    assert scene.item_for("nope") is None


def test_the_scene_rect_follows_the_visible_services_with_room_to_pan(scene):
    rect = scene.sceneRect()
    box = scene.nodes_rect()
    assert rect.contains(box) and rect.width() >= box.width() + 800


def test_filters_hide_items_and_edges(scene):
    scene.set_relation_filter({"replaces"})
    assert scene.visible_edges() == [("b", "c", "replaces")]
    scene.set_hide_isolated(True)
    assert scene.visible_service_ids() == {"b", "c"}
    assert not scene.item_for("a").isVisible() and scene.item_for("b").isVisible()
    scene.set_filters(["integrates-with"], 2, False, {"a", "b"})
    assert scene.visible_service_ids() == {"a", "b"}
    assert scene.visible_edges() == [("a", "b", "integrates-with")]
    assert not scene.filters_all()


def test_selection_dims_all_but_the_neighbourhood_and_says_labels_are_stale(scene, qtbot):
    with qtbot.waitSignal(scene.labelsStale):
        assert scene.set_selected("b")
    assert scene.selected_service() == "b" and scene.item_for("b").selected
    assert scene.dimmed_services() == {"d", "e"}
    assert {e[:2] for e in scene.focused_edges()} == {("a", "b"), ("b", "c")}
    assert not scene.set_selected("b")  # no change
    with pytest.raises(UnknownService):
        scene.set_selected("nope")
    scene.set_selected(None)
    assert scene.dimmed_services() == set()


def test_hover_goes_over_the_selection_and_a_path_dims_the_rest(scene):
    scene.set_selected("a")
    scene.set_hovered("d")
    assert "a" not in scene.dimmed_services() and "b" in scene.dimmed_services()
    scene.set_hovered(None)
    scene.set_selected(None)
    scene.show_path(["a", "b", "c"])
    assert scene.dimmed_services() == {"d", "e"}
    scene.clear_highlight()
    assert scene.dimmed_services() == set()


def test_rings_pins_and_sizes(scene):
    scene.highlight_services({"c", "nope"})
    assert scene.highlighted_services() == {"c"} and scene.item_for("c").ringed
    scene.set_pinned({"a"})
    assert scene.pinned_services() == {"a"} and scene.item_for("a").pinned
    radius = scene.item_for("e").radius
    scene.set_size_by("mentions")
    assert scene.item_for("e").radius != radius
    with pytest.raises(ValueError):
        scene.set_size_by("colour")


def test_replace_graph_keeps_the_items_only_for_the_same_services(scene):
    item = scene.item_for("a")
    G = _small_graph()
    G.remove_edge("c", "d", key="integrates-with")
    assert scene.replace_graph(G)
    assert scene.item_for("a") is item and len(scene.visible_edges()) == 3
    G.remove_node("e")
    assert not scene.replace_graph(G)
    assert scene.item_for("e") is not None


def test_dark_mode_sets_the_background_and_outlines(scene):
    assert scene.backgroundBrush().color() == QColor(LIGHT.background)
    scene.set_dark(True)
    assert scene.theme() is DARK
    assert scene.backgroundBrush().color() == QColor(DARK.background)


def test_labels_are_placed_for_any_transform_without_overlap(qapp):
    scene = GraphScene(dark=False)
    G = synthetic_graph(120, 200)
    scene.set_graph(G, compute_layout(G))
    size = QSizeF(700, 500)
    to_pixels = frame(scene, size)
    shown = scene.labelled_services()
    assert len(shown) > 30
    rects = scene.label_rects(to_pixels)
    assert set(rects) == shown
    for a, b in itertools.combinations(rects.values(), 2):
        assert not a.intersects(b)
    picture = QRectF(0, 0, size.width(), size.height())
    assert all(picture.contains(r) for r in rects.values())
    # A legend in the top left corner: the labels move off it.
    legend = QRectF(0, 0, 300, 250)
    scene.place_labels(to_pixels, picture, legend)
    assert not any(r.intersects(legend) for r in scene.label_rects(to_pixels).values())
    scene.deleteLater()


def test_place_labels_labels_only_what_is_in_the_viewport(scene):
    # Only a and b lie in this 300 x 200 window onto the scene.
    to_view = QTransform.fromTranslate(50, 100)
    shown = scene.place_labels(to_view, QRectF(0, 0, 300, 200))
    assert shown == {"a", "b"} == scene.labelled_services()


def test_render_picture_draws_circles_selection_and_background(scene):
    plain = render_picture(scene, 400, 300)
    assert (plain.width(), plain.height()) == (400, 300)
    for category in ("Storage", "Compute", "Database"):
        assert colour_count(plain, category_color(category)) > 10, category
    assert colour_count(plain, LIGHT.selection) == 0
    assert colour_count(plain, LIGHT.background) > 400 * 300 // 2
    scene.set_selected("a")
    selected = render_picture(scene, 400, 300)
    assert colour_count(selected, LIGHT.selection) > 10
    assert scene.views() == []


def test_an_empty_scene_frames_to_identity(qapp):
    scene = GraphScene(dark=False)
    assert frame(scene, QSizeF(100, 100)).isIdentity()
    assert not render_picture(scene, 50, 40).isNull()
    scene.deleteLater()
