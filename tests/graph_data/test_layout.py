"""The force layout, the label spacing pass and the per-folder layout cache."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest

from graph_data import userdirs
from graph_data.graph import degrees
from graph_data.layout import (
    CACHE_VERSION,
    EDGE_LENGTH,
    InvalidLayoutKey,
    compute_layout,
    label_adjust,
    layout_path,
    load_positions,
    save_positions,
    separate_circles,
    synthetic_graph,
)
from graph_data.style import circle_radius


def _edge_lengths(G: nx.Graph, pos) -> np.ndarray:
    return np.array([math.dist(pos[u], pos[v]) for u, v in G.edges() if u != v])


# ---------------------------------------------------------------- layout


def test_same_seed_same_layout_and_other_seed_differs():
    G = synthetic_graph(80, 140)
    first = compute_layout(G, seed=11)
    assert first == compute_layout(G, seed=11)
    assert first != compute_layout(G, seed=12)
    assert set(first) == set(G)


def test_coordinates_are_finite_even_for_odd_graphs():
    G = nx.MultiDiGraph()
    G.add_edge("a", "a", key="replaces")  # a self loop
    G.add_edge("a", "b", key="integrates-with")
    G.add_edge("a", "b", key="alternative-to")
    G.add_node("lonely")
    for graph in (G, nx.MultiDiGraph(), nx.MultiDiGraph([("x", "y")])):
        pos = compute_layout(graph)
        assert set(pos) == set(graph)
        assert all(math.isfinite(c) for p in pos.values() for c in p)
    # Two services given the very same position must still be pulled apart.
    twins = compute_layout(G, initial={"a": (5.0, 5.0), "b": (5.0, 5.0)})
    assert twins["a"] != twins["b"]


def test_typical_edge_length_is_the_scene_scale():
    G = synthetic_graph(150, 300)
    lengths = _edge_lengths(G, compute_layout(G))
    # Spread for labels at READ_ZOOM, edges are longer than the force model's unit, boundedly.
    assert 0.7 * EDGE_LENGTH < np.median(lengths) < 3.5 * EDGE_LENGTH


def test_pinned_nodes_stay_exactly_put():
    G = synthetic_graph(60, 100)
    pins = {"svc-0000": (-500.0, 40.0), "svc-0007": (900.0, 900.0)}
    pos = compute_layout(G, pinned=pins)
    for node, where in pins.items():
        assert pos[node] == where
    free = [n for n in G if n not in pins]
    assert len({pos[n] for n in free}) == len(free)


def test_pins_also_hold_in_a_warm_start():
    G = synthetic_graph(60, 100)
    before = compute_layout(G)
    pins = {"svc-0003": (before["svc-0003"][0] + 300.0, before["svc-0003"][1])}
    after = compute_layout(G, initial=before, pinned=pins)
    assert after["svc-0003"] == pins["svc-0003"]


def test_adding_a_node_does_not_reshuffle_the_rest():
    G = synthetic_graph(100, 180)
    before = compute_layout(G)
    hub = max(G, key=G.degree)
    G.add_edge("newcomer", hub, key="integrates-with", relation="integrates-with")
    after = compute_layout(G, initial=before)
    moves = np.array([math.dist(before[n], after[n]) for n in before])
    assert np.median(moves) < 0.25 * EDGE_LENGTH
    assert math.dist(after["newcomer"], after[hub]) < 6 * EDGE_LENGTH


def test_stops_within_its_iteration_budget():
    G = nx.MultiDiGraph(nx.path_graph([f"n{i}" for i in range(40)]))
    calls = []

    def count() -> bool:
        calls.append(1)
        return False

    compute_layout(G, iterations=25, should_stop=count)
    assert 0 < len(calls) <= 25


def test_should_stop_ends_early_with_valid_positions():
    G = synthetic_graph(300, 600)
    calls = []

    def stop_now() -> bool:
        calls.append(1)
        return True

    pos = compute_layout(G, should_stop=stop_now)
    assert set(pos) == set(G)
    assert all(math.isfinite(c) for p in pos.values() for c in p)
    # One poll per component that has edges, and no force step after it said stop.
    components = [c for c in nx.connected_components(G.to_undirected()) if len(c) > 1]
    assert len(calls) == len(components)


def test_components_are_packed_without_overlap():
    G = nx.MultiDiGraph()
    for prefix in "abc":
        nx.add_cycle(G, [f"{prefix}{i}" for i in range(12)])
    G.add_nodes_from(["alone1", "alone2"])
    pos = compute_layout(G)
    boxes = []
    for prefix in "abc":
        pts = np.array([pos[f"{prefix}{i}"] for i in range(12)])
        boxes.append((*pts.min(axis=0), *pts.max(axis=0)))
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1 :]:
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0
    assert math.dist(pos["alone1"], pos["alone2"]) > 0.5 * EDGE_LENGTH


def test_two_thousand_nodes_get_finite_positions():
    # How long it takes is measured by bench/gui.py, never asserted here.
    G = synthetic_graph(2000, 6000)
    pos = compute_layout(G)
    assert len(pos) == 2000
    assert all(math.isfinite(c) for p in pos.values() for c in p)


def _overlapping_circles(G: nx.Graph, pos) -> list[tuple[str, str]]:
    """Pairs of services whose circles (sized as the canvas sizes them) overlap."""
    radius = {n: circle_radius(d) for n, d in degrees(G).items()}
    nodes = sorted(G)
    x = np.array([pos[n] for n in nodes])
    d = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
    r = np.array([radius[n] for n in nodes])
    i, j = np.nonzero(np.triu(d < r[:, None] + r[None], 1))
    return [(nodes[a], nodes[b]) for a, b in zip(i, j, strict=True)]


def test_no_two_circles_overlap_in_a_hub_heavy_graph_of_400_services():
    G = synthetic_graph(400, 900)
    assert _overlapping_circles(G, compute_layout(G)) == []


def test_no_two_circles_overlap_in_the_users_notes(shared_notes):
    from graph_data.build import build

    G = build(shared_notes, index=False).graph
    assert _overlapping_circles(G, compute_layout(G)) == []


def test_separate_circles_parts_stacked_circles_and_keeps_fixed_ones():
    x = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 0.0]])
    radius = np.array([10.0, 10.0, 10.0, 10.0])
    fixed = np.array([True, False, False, False])
    out = separate_circles(x, radius, fixed, gap=0.0)
    assert out[0].tolist() == [0.0, 0.0]
    d = np.sqrt(((out[:, None] - out[None]) ** 2).sum(-1))
    assert (d[np.triu_indices(4, 1)] >= 20.0 - 1e-6).all()


# ---------------------------------------------------------------- labels


def _label_box(pos, size, radius=10.0):
    x, y = pos
    w, h = size
    return (x - w / 2, y + radius, x + w / 2, y + radius + h)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_label_adjust_separates_overlapping_labels():
    pos = {f"n{i}": (float(i * 6), float(i % 2)) for i in range(6)}
    sizes = {n: (50.0, 14.0) for n in pos}
    before = [_label_box(pos[n], sizes[n]) for n in pos]
    assert any(_overlap(a, b) for i, a in enumerate(before) for b in before[i + 1 :])
    out = label_adjust(pos, sizes, max_shift=400.0, iterations=60)
    after = [_label_box(out[n], sizes[n]) for n in pos]
    assert not any(_overlap(a, b) for i, a in enumerate(after) for b in after[i + 1 :])


def test_label_adjust_is_bounded_and_keeps_fixed_nodes():
    pos = {f"n{i}": (0.0, 0.0) for i in range(30)}
    pos["far"] = (5000.0, 5000.0)
    sizes = {n: (80.0, 14.0) for n in pos}
    out = label_adjust(pos, sizes, fixed=["n0"], max_shift=25.0)
    assert out["n0"] == (0.0, 0.0)
    assert out["far"] == (5000.0, 5000.0)
    assert all(math.dist(pos[n], out[n]) <= 25.0 + 1e-9 for n in pos)
    assert any(out[n] != pos[n] for n in pos)


# ---------------------------------------------------------------- cache


def test_cache_round_trip_in_the_user_cache_folder():
    positions = {"s3": (1.5, -2.0), "lambda": (100.0, 250.25)}
    path = save_positions("notes-abc", positions, pinned={"lambda"})
    assert path == userdirs.cache_dir() / "layouts" / "notes-abc.json"
    assert json.loads(path.read_text("utf-8"))["version"] == CACHE_VERSION
    saved = load_positions("notes-abc")
    assert saved.positions == positions
    assert saved.pinned == frozenset({"lambda"})
    assert saved.pinned_positions() == {"lambda": (100.0, 250.25)}
    assert len(load_positions("never-saved")) == 0


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "",
        "[]",
        '{"version": 999, "positions": {"a": [1, 2]}}',
        '{"version": 1, "positions": {"a": "xy"}}',
        '{"version": 1, "positions": {"a": [1]}, "pinned": []}',
        '{"version": 1, "positions": {"a": [NaN, 2]}}',
        '{"version": 1, "positions": [[1, 2]]}',
        '{"version": 1}',
    ],
)
def test_garbled_cache_is_ignored(text):
    save_positions("k", {"a": (1.0, 2.0)})
    layout_path("k").write_text(text, "utf-8")
    saved = load_positions("k")
    assert len(saved) == 0
    assert saved.pinned == frozenset()


def test_bad_keys_are_refused():
    for key in ("", "../escape", "a/b", ".hidden"):
        with pytest.raises(InvalidLayoutKey):
            save_positions(key, {})
    assert load_positions("fine-key").positions == {}


def test_isolated_services_sit_in_a_compact_band_under_the_rest():
    G = synthetic_graph(60, 90, seed=5)
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    rest = set(G)
    loners = [f"alone-{i:02d}" for i in range(40)]
    G.add_nodes_from(loners)
    pos = compute_layout(G, iterations=40)
    rest_x = [pos[n][0] for n in rest]
    rest_bottom = max(pos[n][1] for n in rest)
    xs = [pos[n][0] for n in loners]
    ys = [pos[n][1] for n in loners]
    assert min(ys) > rest_bottom
    # As wide as the rest (not a square grid beside it), so only a few rows high.
    band_w, rest_w = max(xs) - min(xs), max(rest_x) - min(rest_x)
    assert rest_w - EDGE_LENGTH <= band_w <= rest_w + EDGE_LENGTH
    assert max(ys) - min(ys) <= band_w
    assert len({round(p[0], 3) for p in pos.values()}) > 1
    assert len({pos[n] for n in loners}) == len(loners)
