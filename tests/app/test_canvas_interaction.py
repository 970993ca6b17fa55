"""The canvas under the mouse: selection as a state, focus, labels, wheel zoom, resize, legend.

Positions are given to the canvas (no layout runs), and the services a test clicks are picked
by where they are drawn at run time, so a change of layout or fit moves no test.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.canvas import GraphCanvas
from app.gui import sample_notes
from app.main_window import MainWindow
from app.settings import open_settings

CATEGORIES = ["Storage", "Compute", "Database", "Analytics", "Media"]


def _grid_graph(cols: int = 8, rows: int = 5, step: float = 160.0):
    """Services on a grid, each related to its right and lower neighbours (two relation types)."""
    G = nx.MultiDiGraph()
    positions = {}
    for i in range(cols):
        for j in range(rows):
            node = f"s{i}_{j}"
            G.add_node(node, short=f"S{i}.{j}", category=CATEGORIES[(i + j) % len(CATEGORIES)])
            positions[node] = (i * step, j * step)
    one = [{"file": "x.md", "line": 1, "text": "made up"}]
    for i in range(cols):
        for j in range(rows):
            if i + 1 < cols:
                G.add_edge(f"s{i}_{j}", f"s{i + 1}_{j}", key="integrates-with",
                           relation="integrates-with", evidence=one)  # fmt: skip
            if j + 1 < rows:
                G.add_edge(f"s{i}_{j}", f"s{i}_{j + 1}", key="alternative-to",
                           relation="alternative-to", evidence=one)  # fmt: skip
    return G, positions


def _canvas(qtbot, G, positions, size=(900, 600)) -> GraphCanvas:
    view = GraphCanvas()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_graph(G, positions)
    return view


@pytest.fixture
def grid(qtbot) -> GraphCanvas:
    """A shown canvas with a 8 x 5 grid of services, fitted."""
    return _canvas(qtbot, *_grid_graph())


def _at(view: GraphCanvas, service: str) -> QPoint:
    """Where the service's circle is drawn, in viewport pixels."""
    return view.mapFromScene(view.item_for(service).pos())


def _neighbourhood(view: GraphCanvas, service: str) -> set[str]:
    edges = view.visible_edges()
    return (
        {service}
        | {v for u, v, _ in edges if u == service}
        | {u for u, v, _ in edges if v == service}
    )


def _empty_point(view: GraphCanvas) -> QPoint:
    """A viewport point on no circle and no label."""
    rect = view.viewport().rect()
    for y in range(5, rect.height(), 7):
        for x in range(5, rect.width(), 7):
            p = QPoint(x, y)
            if view.service_at(QPointF(p)) is None and not view.legend().geometry().contains(
                p + view.viewport().pos()
            ):
                return p
    raise AssertionError("no empty point on the canvas")


def _circle_rect(view: GraphCanvas, service: str) -> QRectF:
    item = view.item_for(service)
    c = view.viewportTransform().map(item.pos())
    r = item.radius * view.zoom()
    return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)


def _circles_under_legend(view: GraphCanvas) -> list[str]:
    legend = view.legend().geometry().translated(-view.viewport().pos()).toRectF()
    viewport = view.viewport().rect().toRectF()
    return sorted(
        s
        for s in view.visible_service_ids()
        if viewport.intersects(_circle_rect(view, s)) and _circle_rect(view, s).intersects(legend)
    )


def _double_click(qtbot, view: GraphCanvas, at: QPoint) -> None:
    """What a real double-click sends: a click (press, release), then the double-click.

    ``mouseDClick`` alone sends only the second event, which hides what the first click did.
    """
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def _wheel(view: GraphCanvas, at: QPointF, steps: int) -> None:
    event = QWheelEvent(
        at,
        QPointF(view.viewport().mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


# ---------------------------------------------------------------- focus by double-click


def test_double_click_on_a_service_far_from_the_centre_activates_that_service(grid, qtbot):
    # As in the window: a click selects, and the window selects it back on the canvas.
    grid.serviceSelected.connect(grid.select_service)
    centre = QPointF(grid.viewport().rect().center())
    far = max(
        grid.visible_service_ids(),
        key=lambda s: math.dist(_at(grid, s).toTuple(), centre.toTuple()),
    )
    assert math.dist(_at(grid, far).toTuple(), centre.toTuple()) > 200
    transform = grid.viewportTransform()
    with qtbot.waitSignal(grid.serviceActivated) as blocker:
        _double_click(qtbot, grid, _at(grid, far))
    assert blocker.args == [far]
    # The click selected it without moving the view under the pointer.
    assert grid.selected_service() == far
    assert grid.viewportTransform() == transform


def test_double_click_in_the_window_focuses_a_service_far_from_the_centre(qtbot, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "web.md").write_text(
        "# Web\n\nECS integrates with the Application Load Balancer.\n"
        "ECS sends container logs to CloudWatch Logs.\n"
        "SNS fans out each message to several SQS queues.\n"
        "EFS is an alternative to EBS when many instances share one file system.\n"
        "Lambda integrates with DynamoDB and with API Gateway.\n"
    )
    window = MainWindow(open_settings(), sample_notes())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.open_folder(Path(notes))
    canvas = window.canvas
    centre = QPointF(canvas.viewport().rect().center())
    far = max(
        canvas.visible_service_ids(),
        key=lambda s: math.dist(_at(canvas, s).toTuple(), centre.toTuple()),
    )
    with qtbot.waitSignal(window.view_model.focusChanged) as blocker:
        _double_click(qtbot, canvas, _at(canvas, far))
    assert blocker.args == [far]
    assert window.view_model.focus == far
    # Go › Focus on selection does the same from the keyboard.
    window.view_model.back()
    other = next(s for s in sorted(canvas.visible_service_ids()) if s != far)
    window.select_service(other)
    with qtbot.waitSignal(window.view_model.focusChanged) as blocker:
        window.focusSelectionAction.trigger()
    assert blocker.args == [other]


# ---------------------------------------------------------------- labels own their clicks


def _crowd(n: int = 140, seed: int = 7):
    """Services packed so tightly that some labels must lie over other services' circles."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    positions = {}
    for k in range(n):
        node = f"c{k:02d}"
        G.add_node(node, short=f"Crowded service {k}", category=CATEGORIES[k % 5])
        positions[node] = (rng.uniform(0, 420), rng.uniform(0, 300))
    for k in range(1, n):
        G.add_edge(f"c{k:02d}", f"c{rng.randrange(k):02d}", key="integrates-with",
                   relation="integrates-with", evidence=[])  # fmt: skip
    return G, positions


def _label_over_another_circle(view: GraphCanvas) -> tuple[str, str, QPoint]:
    """A shown label, another service whose circle lies under it, and a point on both."""
    zoom = view.zoom()
    for owner, rect in sorted(view.label_rects().items()):
        inner = rect.adjusted(2, 2, -2, -2)
        for other in sorted(view.visible_service_ids() - {owner}):
            item = view.item_for(other)
            c = view.viewportTransform().map(item.pos())
            p = QPointF(
                min(max(c.x(), inner.left()), inner.right()),
                min(max(c.y(), inner.top()), inner.bottom()),
            )
            own = view.viewportTransform().map(view.item_for(owner).pos())
            own_r = view.item_for(owner).radius * zoom
            if (
                math.dist(p.toTuple(), c.toTuple()) < item.radius * zoom - 1.5
                and math.dist(p.toTuple(), own.toTuple()) > own_r + 3
            ):
                return owner, other, p.toPoint()
    raise AssertionError("no label lies over another circle in this crowd")


def _forced_label_over_a_circle(view: GraphCanvas) -> tuple[str, str, QPoint]:
    """Select services of the crowd until the selection's label (always drawn) covers a circle.

    Other labels never cover a circle; the selected service's label is drawn even where no
    side of its circle is free.
    """
    for service in sorted(view.visible_service_ids()):
        view.select_service(service, center=False)
        try:
            owner, other, point = _label_over_another_circle(view)
        except AssertionError:
            continue
        if owner == service:
            return owner, other, point
    raise AssertionError("no selected label lies over another circle in this crowd")


def test_a_click_on_a_label_selects_the_labels_service_not_the_circle_under_it(qtbot):
    view = _canvas(qtbot, *_crowd())
    owner, other, point = _forced_label_over_a_circle(view)
    assert view.service_at(QPointF(point)) == owner
    with qtbot.waitSignal(view.serviceSelected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [owner]
    assert view.selected_service() == owner != other


# ---------------------------------------------------------------- selection is a state


def test_selection_emphasis_survives_hover_zoom_and_a_filter_change(grid, qtbot):
    chosen = "s3_2"
    with qtbot.waitSignal(grid.serviceSelected):
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_at(grid, chosen))
    empty = _empty_point(grid)
    qtbot.mouseMove(grid.viewport(), empty)
    everyone = grid.visible_service_ids()
    emphasised = _neighbourhood(grid, chosen)
    assert len(emphasised) == 5
    # With the pointer away, the selection's neighbourhood stays emphasised.
    qtbot.waitUntil(lambda: grid.dimmed_services() == everyone - emphasised)
    assert {frozenset(e[:2]) for e in grid.focused_edges()} == {
        frozenset((chosen, n)) for n in emphasised - {chosen}
    }
    assert emphasised <= grid.labelled_services()
    # Hovering another service shows its neighbourhood for a while (the selection stays lit)...
    other = "s6_0"
    qtbot.mouseMove(grid.viewport(), _at(grid, other))
    qtbot.waitUntil(
        lambda: grid.dimmed_services() == everyone - _neighbourhood(grid, other) - {chosen}
    )
    # ...and leaving it brings the selection's emphasis back.
    qtbot.mouseMove(grid.viewport(), empty)
    qtbot.waitUntil(lambda: grid.dimmed_services() == everyone - emphasised)
    # Zooming keeps it.
    grid.zoom_in()
    _wheel(grid, QPointF(empty), -1)
    assert grid.dimmed_services() == everyone - emphasised
    # A filter change recomputes the neighbourhood over the edges that stay.
    grid.set_relation_filter({"integrates-with"})
    assert grid.selected_service() == chosen
    row = {"s2_2", "s3_2", "s4_2"}
    assert grid.dimmed_services() == everyone - row
    assert {e[2] for e in grid.focused_edges()} == {"integrates-with"}


def test_escape_a_background_click_or_clear_selection_end_the_emphasis(grid, qtbot):
    for clear in ("escape", "background", "call"):
        grid.select_service("s1_1")
        assert grid.dimmed_services()
        if clear == "escape":
            grid.setFocus()
            with qtbot.waitSignal(grid.selectionCleared):
                qtbot.keyClick(grid, Qt.Key.Key_Escape)
        elif clear == "background":
            with qtbot.waitSignal(grid.selectionCleared):
                qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_empty_point(grid))
        else:
            grid.clear_selection()
        assert grid.selected_service() is None, clear
        assert grid.dimmed_services() == set(), clear
        assert grid.focused_edges() == [], clear


def test_a_screenshot_shows_the_selections_neighbourhood(grid):
    grid.select_service("s0_0")
    image = grid.render_image(700, 500)
    assert not image.isNull()
    assert grid.dimmed_services() == grid.visible_service_ids() - _neighbourhood(grid, "s0_0")
    # The selected circle is drawn in full colour, a far one faded.
    for service, faded in (("s0_0", False), ("s7_4", True)):
        at = _at(grid, service) + grid.viewport().pos()
        colour = image.pixelColor(at.x(), at.y())
        assert (colour.saturationF() < 0.3) is faded, (service, colour.name())


# ---------------------------------------------------------------- zoom, resize


@pytest.mark.parametrize("steps", [3, -2])
def test_wheel_zoom_keeps_the_scene_point_under_the_cursor(grid, steps):
    rect = grid.viewport().rect()
    for fx, fy in ((0.15, 0.8), (0.85, 0.2)):
        at = QPointF(rect.width() * fx, rect.height() * fy)
        before = grid.viewportTransform().inverted()[0].map(at)
        zoom = grid.zoom()
        _wheel(grid, at, steps)
        assert (grid.zoom() > zoom) is (steps > 0)
        now = grid.viewportTransform().map(before)
        assert math.dist(now.toTuple(), at.toTuple()) <= 2.0, (fx, fy)


def test_zoom_keys_keep_the_selection_in_view(grid, qtbot):
    # The service nearest a corner of the view: a zoom about the centre would push it out.
    corner = max(grid.visible_service_ids(), key=lambda s: (_at(grid, s).x(), _at(grid, s).y()))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_at(grid, corner))
    assert grid.selected_service() == corner
    zoom = grid.zoom()
    for _ in range(6):
        grid.zoom_in()
    assert grid.zoom() > 3 * zoom
    assert grid.viewport().rect().contains(_at(grid, corner))


def test_selecting_a_service_out_of_view_brings_it_into_view_and_one_in_view_keeps_the_view(
    grid,
):
    transform = grid.viewportTransform()
    grid.select_service("s5_3")
    assert grid.viewportTransform() == transform
    for _ in range(6):
        grid.zoom_in()
    outside = next(
        s
        for s in sorted(grid.visible_service_ids())
        if not grid.viewport().rect().contains(_at(grid, s))
    )
    grid.select_service(outside)
    assert grid.viewport().rect().contains(_at(grid, outside))


def test_a_resize_refits_until_the_user_zooms_then_keeps_the_zoom(grid, qtbot):
    everyone = grid.visible_service_ids()

    def all_in_view() -> bool:
        viewport = grid.viewport().rect().toRectF()
        return all(viewport.contains(_circle_rect(grid, s)) for s in everyone)

    zoom = grid.zoom()
    grid.resize(500, 400)
    qtbot.waitUntil(lambda: grid.zoom() < zoom)
    assert all_in_view()
    assert _circles_under_legend(grid) == []
    grid.resize(1100, 800)
    qtbot.waitUntil(lambda: grid.zoom() > zoom)
    assert all_in_view()
    assert _circles_under_legend(grid) == []
    # The user zooms (the wheel): later resizes keep that zoom.
    _wheel(grid, QPointF(grid.viewport().rect().center()), 2)
    chosen = grid.zoom()
    grid.resize(700, 500)
    qtbot.waitUntil(lambda: grid.viewport().width() < 700)
    assert grid.zoom() == pytest.approx(chosen)
    # A canvas half as wide keeps a selection near its right edge in view (the view's
    # centre holding still would leave it a quarter of the old width outside).
    width = grid.viewport().width()
    right = min(
        (s for s in everyone if grid.viewport().rect().contains(_at(grid, s))),
        key=lambda s: abs(_at(grid, s).x() - width / 2),
    )
    bar = grid.horizontalScrollBar()
    bar.setValue(bar.value() - (width - 40 - _at(grid, right).x()))
    assert abs(_at(grid, right).x() - (width - 40)) <= 2
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=_at(grid, right))
    assert grid.selected_service() == right
    grid.resize(grid.width() - width // 2, grid.height())
    qtbot.waitUntil(lambda: grid.viewport().width() <= width - width // 2)
    assert grid.zoom() == pytest.approx(chosen)
    assert grid.viewport().rect().contains(_at(grid, right))
    grid.fit()
    grid.resize(900, 700)
    qtbot.waitUntil(lambda: grid.zoom() != pytest.approx(chosen))
    assert all_in_view()


# ---------------------------------------------------------------- the legend


def _shape(kind: str):
    """Services filling the top-left half of a square ("corner") or all of it ("square")."""
    G = nx.MultiDiGraph()
    positions = {}
    n = 14
    for i in range(n):
        for j in range(n):
            if kind == "corner" and i + j >= n:
                continue
            node = f"p{i}_{j}"
            G.add_node(node, short="", category=CATEGORIES[(i * j) % 5])
            positions[node] = (i * 60.0, j * 60.0)
    return G, positions


@pytest.mark.parametrize("kind", ["corner", "square"])
def test_after_fit_the_legend_covers_no_circle_and_costs_the_graph_little(qtbot, kind):
    # A square viewport for a square graph: no margin is left where the legend could go.
    view = _canvas(qtbot, *_shape(kind), size=(800, 800))
    view.legend().hide()
    view.fit()
    unhindered = view.zoom()
    view.legend().show()
    view.fit()
    assert view.legend().isVisible()
    assert _circles_under_legend(view) == []
    # The legend moves to the emptiest corner, or lies in a strip, rather than squeezing
    # the graph into the band below it.
    assert view.zoom() >= 0.85 * unhindered, view.legend_corner()
    if kind == "corner":
        # The graph fills the top left; its bounding box's bottom right corner is empty.
        assert view.legend_corner() == (1, 1)
    viewport = view.viewport().rect()
    legend = view.legend().geometry().translated(-view.viewport().pos())
    assert viewport.contains(legend)


def test_selecting_a_service_in_view_after_fit_keeps_the_legend_clear(qtbot):
    view = _canvas(qtbot, *_shape("square"), size=(800, 800))
    assert _circles_under_legend(view) == []
    # Centring on the service farthest from the legend would slide the graph under it.
    far = max(
        view.visible_service_ids(),
        key=lambda s: math.dist(
            _at(view, s).toTuple(), view.legend().geometry().center().toTuple()
        ),
    )
    view.select_service(far)
    assert _circles_under_legend(view) == []
