"""The canvas's free geometry: label placement and fit over rectangles, filters, edge shapes."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, QSizeF

from app.canvas.edges import edge_shapes
from app.canvas.filters import Filters
from app.canvas.fit import (
    CORNERS,
    FIT_ZOOM_MAX,
    ZOOM_MIN,
    covers,
    fit_transform,
    fit_with_legend,
    fit_zoom,
    legend_rect_at,
    spans,
)
from app.canvas.labels import (
    SIDES,
    LabelRequest,
    RectGrid,
    label_order,
    label_rect,
    meets,
    place_labels,
)

SIZE = (40.0, 12.0)
VIEW = QRectF(0, 0, 400, 300)


def square(centre: QPointF, r: float) -> QRectF:
    return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)


# ------------------------------------------------------------------ labels


def test_label_rect_sits_on_its_side_at_the_gap():
    below = label_rect(SIZE, "below", 10.0)
    assert (below.top(), below.center().x(), below.size().toTuple()) == (10.0, 0.0, SIZE)
    above = label_rect(SIZE, "above", 10.0)
    assert above.bottom() == -10.0
    right = label_rect(SIZE, "right", 10.0)
    assert (right.left(), right.center().y()) == (10.0, 0.0)
    # Diagonals touch the circle's square at a corner: closer than the gap straight out.
    diagonal = label_rect(SIZE, "below-right", 10.0)
    assert diagonal.left() == diagonal.top() == 7.5
    assert set(SIDES) >= {"below", "above", "left", "right"}


def test_one_label_goes_below_its_circle():
    want = [LabelRequest("a", QPointF(200, 150), 6.0, SIZE)]
    placed = place_labels(want, {"a": square(QPointF(200, 150), 6.0)}, VIEW)
    assert placed == {"a": ("below", 8.0)}


def test_labels_of_neighbours_never_overlap_each_other_or_a_circle():
    centres = {f"s{i}": QPointF(120 + 30 * (i % 6), 100 + 25 * (i // 6)) for i in range(18)}
    circles = {s: square(c, 5.0) for s, c in centres.items()}
    want = [LabelRequest(s, c, 5.0, SIZE) for s, c in centres.items()]
    placed = place_labels(want, circles, VIEW)
    assert len(placed) >= 6
    rects = {
        s: label_rect(SIZE, side, gap).translated(centres[s]) for s, (side, gap) in placed.items()
    }
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.intersects(rb), (a, b)
    for s, rect in rects.items():
        assert VIEW.contains(rect)
        assert not any(meets(rect, sq) for other, sq in circles.items() if other != s)


def test_a_crowded_label_is_dropped_unless_it_insists():
    centre = QPointF(200, 150)
    # An obstacle all around the circle: no side, near or far, is free.
    obstacles = [QRectF(0, 0, 400, 300)]
    plain = [LabelRequest("a", centre, 6.0, SIZE)]
    assert place_labels(plain, {}, VIEW, obstacles=obstacles) == {}
    insisting = [LabelRequest("a", centre, 6.0, SIZE, insist=True)]
    assert place_labels(insisting, {}, VIEW, obstacles=obstacles) == {"a": ("below", 8.0)}


def test_an_insisting_label_may_cover_a_circle_but_a_plain_one_may_not():
    centre = QPointF(200, 150)
    # Circles pressed close on every side leave no side clear of them.
    ring = {f"n{k}": square(centre + QPointF(dx, dy), 9.0)
            for k, (dx, dy) in enumerate(itertools.product((-24, 0, 24), (-14, 0, 14)))
            if (dx, dy) != (0, 0)}  # fmt: skip
    circles = {"a": square(centre, 6.0), **ring}
    assert place_labels([LabelRequest("a", centre, 6.0, SIZE)], circles, VIEW, rings=1) == {}
    placed = place_labels([LabelRequest("a", centre, 6.0, SIZE, insist=True)], circles, VIEW)
    assert "a" in placed


def test_labels_stay_off_the_legend_and_inside_the_free_area():
    centre = QPointF(30, 20)
    legend = QRectF(0, 25, 120, 60)
    placed = place_labels([LabelRequest("a", centre, 5.0, SIZE)], {}, VIEW, legend)
    side, gap = placed["a"]
    rect = label_rect(SIZE, side, gap).translated(centre)
    assert side != "below"
    assert not rect.intersects(legend) and VIEW.contains(rect)


def test_label_order_puts_the_selection_first_then_top_hubs_and_drops_faded_ones():
    degree = {"a": 1, "b": 5, "c": 3, "d": 2, "e": 9}
    order = label_order("abcde", degree, faded={"d", "e"}, must=set(), top={"e"},
                        first=("a", None), limit=100, hubs=40)  # fmt: skip
    assert order == ["a", "e", "b", "c"]
    # Over the limit only the must ones and the most connected are wanted.
    busy = label_order("abcde", degree, set(), {"a"}, set(), (None,), limit=3, hubs=2)
    assert busy == ["a", "e", "b"]


def test_rect_grid_answers_overlaps_and_round_grids_test_the_circle():
    grid = RectGrid(round_=True)
    grid.add(QRectF(0, 0, 100, 100), "c")
    # In the square's corner, outside the circle inscribed in it.
    assert not grid.hits(QRectF(0, 0, 10, 10))
    assert grid.hits(QRectF(45, 45, 10, 10))
    assert not grid.hits(QRectF(45, 45, 10, 10), ignore="c")


# ------------------------------------------------------------------ fit


def extents(points, radius=8.0, label=(40.0, 12.0)) -> np.ndarray:
    return np.array([(x, y, radius, *label) for x, y in points], dtype=float)


def test_spans_cover_circles_and_the_labels_below_them():
    left, right, top, bottom = spans(extents([(0, 0), (100, 50)]), 1.0)
    assert (left, right, top) == (-20.0, 120.0, -8.0)
    assert bottom == 50 + 8 + 2 + 12


def test_fit_zoom_is_the_largest_that_fits():
    ext = extents([(0, 0), (1000, 600)])
    zoom = fit_zoom(ext, 500, 400)
    left, right, top, bottom = spans(ext, zoom)
    assert right - left <= 500 and bottom - top <= 400
    left, right, top, bottom = spans(ext, zoom * 1.01)
    assert right - left > 500 or bottom - top > 400
    assert fit_zoom(extents([(0, 0)]), 500, 400) == FIT_ZOOM_MAX
    assert fit_zoom(ext, 1, 1) == ZOOM_MIN


def test_fit_transform_puts_every_circle_and_label_inside_the_margin():
    ext = extents([(-300, 40), (500, -200), (120, 330)])
    size = QSizeF(600, 400)
    t = fit_transform(ext, size, margin=10)
    zoom = t.m11()
    inner = QRectF(10, 10, 580, 380).adjusted(-0.5, -0.5, 0.5, 0.5)
    for x, y, r, w, h in ext:
        c, rz = t.map(QPointF(x, y)), r * zoom
        assert inner.contains(QRectF(c.x() - rz, c.y() - rz, 2 * rz, 2 * rz))
        assert inner.contains(QRectF(c.x() - w / 2, c.y() + rz + 2, w, h))


def test_legend_rect_at_each_corner_and_as_strips():
    view, column = QSizeF(800, 600), QSizeF(150, 200)
    rects = {c: legend_rect_at(c, view, column, lambda width: 40.0) for c in CORNERS}
    assert rects[(-1, -1)].topLeft().toTuple() == (6.0, 6.0)
    assert rects[(1, 1)].bottomRight().toTuple() == (794.0, 594.0)
    assert rects[(0, -1)].width() == 800 - 20 + 8 and rects[(0, -1)].height() == 48
    assert rects[(0, 1)].bottom() == 594.0


def test_fit_with_legend_leaves_the_legend_uncovered_and_stays_put_when_it_can():
    # A graph along the diagonal from top left to bottom right: the other corners are free.
    ext = extents([(i * 40.0, i * 30.0) for i in range(12)], label=(0.0, 0.0))
    view, area = QSizeF(800, 600), QRectF(10, 10, 780, 580)
    legends = {c: legend_rect_at(c, view, QSizeF(160, 160), lambda w: 40.0) for c in CORNERS}
    zoom, region, corner = fit_with_legend(ext, area, legends, current=(-1, -1))
    left, right, top, bottom = spans(ext, zoom)
    dx = region.center().x() - (left + right) / 2
    dy = region.center().y() - (top + bottom) / 2
    assert not covers(ext, zoom, dx, dy, legends[corner])
    assert corner in ((1, -1), (-1, 1))
    again = fit_with_legend(ext, area, legends, current=corner)
    assert again[2] == corner


# ------------------------------------------------------------------ filters and edges


def graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_nodes_from("abcd")
    one, two = [{"text": "x"}], [{"text": "x"}, {"text": "y"}]
    G.add_edge("a", "b", key="integrates-with", relation="integrates-with", evidence=two)
    G.add_edge("a", "b", key="alternative-to", relation="alternative-to", evidence=one)
    G.add_edge("b", "c", key="replaces", relation="replaces", evidence=one)
    return G


def test_filters_leave_relations_services_and_neighbours():
    G = graph()
    nodes, edges, adj = Filters().apply(G, set(G))
    assert nodes == set("abcd") and len(edges) == 3 and adj["b"] == {"a", "c"}
    nodes, edges, _ = Filters(relations={"replaces"}, hide_isolated=True).apply(G, set(G))
    assert nodes == {"b", "c"} and edges == [("b", "c", "replaces")]
    nodes, edges, _ = Filters(min_evidence=2, only={"a", "b", "d"}).apply(G, set(G))
    assert nodes == {"a", "b", "d"} and edges == [("a", "b", "integrates-with")]
    assert Filters().shows_all() and not Filters(min_evidence=2).shows_all()
    assert set(Filters(hide_isolated=True).filtered_graph(G, set(G))) == set("abc")


class Dot:
    def __init__(self, x: float, y: float, radius: float = 5.0) -> None:
        self._pos, self.radius = QPointF(x, y), radius

    def pos(self) -> QPointF:
        return self._pos


@pytest.mark.parametrize("relations", [1, 2])
def test_edges_run_rim_to_rim_and_several_between_a_pair_bend_apart(relations):
    circles = {"a": Dot(0, 0), "b": Dot(100, 0)}
    kinds = ["integrates-with", "alternative-to"][:relations]
    shapes = edge_shapes([("a", "b", r) for r in kinds], circles)
    drawn = [s for r in kinds for s in shapes[r]]
    assert len(drawn) == relations
    for start, control, end in drawn:
        assert start.x() == pytest.approx(5.0, abs=1.5) and end.x() == pytest.approx(94.0, abs=1.5)
        assert (control is None) == (relations == 1)
    if relations == 2:
        assert drawn[0][1].y() * drawn[1][1].y() < 0
