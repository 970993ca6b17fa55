"""Where services sit on the canvas: a force layout, hubs apart, no overlaps, a per-folder cache.

Everything here is Qt-free and works in *scene units* (pixels at 100 % zoom). The force layout
is Fruchterman-Reingold with a cooling schedule, vectorised with numpy: far-away nodes repel
through the centroids of a coarse grid, so 2,000 nodes take a second or two rather than a
minute. Components of :data:`_HUB_MIN` to :data:`_HUB_MAX` services then get a ForceAtlas2 pass
with hubs dissuaded, which opens the knot a few hub services make. Each connected component is
laid out on its own and the components are packed side by side; isolated services sit in a
compact band of rows under the rest. A last pass moves circles apart until none overlap.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("sns", "sqs", key="integrates-with", relation="integrates-with")
'integrates-with'
>>> pos = compute_layout(G, seed=1)
>>> sorted(pos)
['sns', 'sqs']
>>> pos == compute_layout(G, seed=1)
True
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np

from graph_data import atomic, userdirs
from graph_data.graph import degrees
from graph_data.records import RELATIONS
from graph_data.style import CATEGORY_COLORS, circle_radius

__all__ = [
    "CACHE_VERSION",
    "EDGE_LENGTH",
    "READ_ZOOM",
    "InvalidLayoutKey",
    "SavedLayout",
    "compute_layout",
    "label_adjust",
    "label_size",
    "label_text",
    "layout_path",
    "load_positions",
    "major_labels",
    "save_positions",
    "separate_circles",
    "synthetic_graph",
]

#: Typical edge length of a finished layout, in scene units.
EDGE_LENGTH = 120.0

#: Version of the layout cache file; files of any other version are ignored.
CACHE_VERSION = 3

#: The zoom at which a whole layout is meant to be read: it leaves room for every label at it.
READ_ZOOM = 0.5

Positions = dict[str, tuple[float, float]]

# Below this many nodes exact all-pairs repulsion is cheaper than building the grid.
_EXACT_LIMIT = 250
# The grid repulsion aims at about this many occupied cells.
_TARGET_CELLS = 320
# Isolated services are laid out on a grid with this spacing.
_GRID_STEP = 0.75 * EDGE_LENGTH
# Space left between packed components.
_GAP = 0.9 * EDGE_LENGTH
# Room left between two circles by the overlap pass, in scene units.
_CIRCLE_GAP = 6.0
# Rounds of the overlap pass; each resolves most of what is left.
_SEPARATE_ROUNDS = 300
# Share of each push applied per round: several pushes on one circle add up.
_SEPARATE_STEP = 1.0
# Components this big get the hub-dissuading pass (ForceAtlas2 is quadratic: not above).
_HUB_MIN, _HUB_MAX = 20, 300
_HUB_ITERATIONS = 200
_HUB_SCALING = 6.0
# The share of a layout's bounding box its circles may fill before it is spread out.
_MAX_DENSITY = 0.3
# Width over height of the canvas a layout is drawn for: the app's at 1400x900 with its docks.
_ASPECT = 0.87
# The share of a component's box that its services' footprints (circle and label) fill; the rest
# is the slack that lets the canvas put a label beside, above or below its circle.
_FILL = 0.42
# How much of a component's spread comes from the ranks of its coordinates (an even spread)
# rather than the coordinates themselves (the force layout's picture, dense round hubs).
_EQUALIZE = 0.8
# Rounds of the footprint pass, the share of each push applied per round, and the room left
# around a footprint (pixels at READ_ZOOM).
_BOX_ROUNDS = 200
_BOX_STEP = 0.6
_BOX_PAD = 3.0
# Estimated label halos in pixels (see app.canvas.items.LabelItem): advance per character and
# height, for the larger font of major labels and the smaller one of the rest.
_LABEL_FONT = {True: (6.4, 18.0), False: (5.4, 15.6)}
# The share of the connected services whose labels get the larger font, and at most how many.
_MAJOR_SHARE, _MAJOR_MAX = 0.1, 30
# Share of the temperature that services with a known position get in a warm start. None: a
# layout that ForceAtlas2 finished is not at the plain force model's rest, and any heat at all
# would redraw the picture the student knows; the new services settle in around it.
_WARM_FACTOR = 0.0


class InvalidLayoutKey(ValueError):
    """A cache key that cannot be used as a file name."""


# --------------------------------------------------------------------------- forces


def _repulsion_exact(x: np.ndarray) -> np.ndarray:
    d = x[:, None, :] - x[None, :, :]
    d2 = np.einsum("ijk,ijk->ij", d, d)
    np.fill_diagonal(d2, np.inf)
    np.maximum(d2, 1e-4, out=d2)
    return np.einsum("ijk,ij->ik", d, 1.0 / d2)


def _repulsion_grid(x: np.ndarray) -> np.ndarray:
    """Exact repulsion from the 3x3 neighbouring grid cells, cell centroids for the rest."""
    n = len(x)
    side, cell, cid = _grid(x, max(2, int(math.sqrt(n / 6))))
    used_count = len(np.unique(cid))
    # Layouts crowd in the middle: refine the grid until enough cells are in use, so that
    # neither the exact near pairs nor the cell-to-cell matrix grows large.
    if used_count < _TARGET_CELLS / 1.5:
        side, cell, cid = _grid(x, int(side * math.sqrt(_TARGET_CELLS / used_count)) + 1)
    ncell = side * side
    mass = np.bincount(cid, minlength=ncell).astype(float)
    used = np.flatnonzero(mass)
    cx = np.bincount(cid, weights=x[:, 0], minlength=ncell)[used] / mass[used]
    cy = np.bincount(cid, weights=x[:, 1], minlength=ncell)[used] / mass[used]
    ucell = np.stack([used // side, used % side], axis=1)
    # Far field between cells, not nodes: cells that are not neighbours push each other as
    # point masses at their centroids, and every node gets its own cell's push.
    far = (np.abs(ucell[:, None, 0] - ucell[None, :, 0]) > 1) | (
        np.abs(ucell[:, None, 1] - ucell[None, :, 1]) > 1
    )
    dx = cx[:, None] - cx[None, :]
    dy = cy[:, None] - cy[None, :]
    w = np.where(far, mass[used][None, :] / np.maximum(dx * dx + dy * dy, 1e-4), 0.0)
    slot = np.zeros(ncell, dtype=np.int64)
    slot[used] = np.arange(len(used))
    force = np.stack([(dx * w).sum(axis=1), (dy * w).sum(axis=1)], axis=1)[slot[cid]]
    i, j = _near_pairs(cell, cid, side)
    d = x[i] - x[j]
    inv = 1.0 / np.maximum(np.einsum("ij,ij->i", d, d), 1e-4)
    for axis in (0, 1):
        push = d[:, axis] * inv
        force[:, axis] += np.bincount(i, weights=push, minlength=n)
        force[:, axis] -= np.bincount(j, weights=push, minlength=n)
    return force


def _grid(x: np.ndarray, side: int) -> tuple[int, np.ndarray, np.ndarray]:
    lo = x.min(axis=0)
    span = np.maximum(x.max(axis=0) - lo, 1e-9)
    cell = np.minimum((x - lo) / span * side, side - 1).astype(np.int64)
    return side, cell, cell[:, 0] * side + cell[:, 1]


def _near_pairs(cell: np.ndarray, cid: np.ndarray, side: int) -> tuple[np.ndarray, np.ndarray]:
    """Each unordered pair of distinct nodes in the same or adjacent grid cells, once."""
    order = np.argsort(cid, kind="stable")
    starts = np.searchsorted(cid[order], np.arange(side * side + 1))
    parts_i, parts_j = [], []
    # Half of the 3x3 neighbourhood: each pair of cells is visited once, forces applied both ways.
    for ox, oy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        nx_, ny_ = cell[:, 0] + ox, cell[:, 1] + oy
        ok = (nx_ >= 0) & (nx_ < side) & (ny_ >= 0) & (ny_ < side)
        src = np.flatnonzero(ok)
        other = nx_[ok] * side + ny_[ok]
        lo, hi = starts[other], starts[other + 1]
        counts = hi - lo
        rep = np.repeat(src, counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        parts_i.append(rep)
        parts_j.append(order[np.repeat(lo, counts) + offs])
    i, j = np.concatenate(parts_i), np.concatenate(parts_j)
    # Within one cell every pair shows up twice (i, j) and (j, i): keep one.
    keep = (cid[i] != cid[j]) | (i < j)
    return i[keep], j[keep]


def _attraction(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    force = np.zeros_like(x)
    if len(edges) == 0:
        return force
    d = x[edges[:, 0]] - x[edges[:, 1]]
    pull = d * np.sqrt(np.einsum("ij,ij->i", d, d))[:, None]
    for axis in (0, 1):
        force[:, axis] -= np.bincount(edges[:, 0], weights=pull[:, axis], minlength=len(x))
        force[:, axis] += np.bincount(edges[:, 1], weights=pull[:, axis], minlength=len(x))
    return force


def _run_forces(
    x: np.ndarray,
    edges: np.ndarray,
    heat: np.ndarray,
    iterations: int,
    t0: float,
    should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    """Fruchterman-Reingold in units of the ideal edge length, cooling linearly to zero."""
    repulsion = _repulsion_exact if len(x) <= _EXACT_LIMIT else _repulsion_grid
    for step in range(iterations):
        if should_stop is not None and should_stop():
            break
        t = t0 * (1.0 - step / iterations)
        disp = repulsion(x) + _attraction(x, edges)
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-9)
        move = disp * (np.minimum(length, t * heat) / length)[:, None]
        x = x + move
        # Converged: nothing moves more than a hundredth of an edge any more.
        if np.abs(move).max() < 0.01:
            break
    return x


# --------------------------------------------------------------------------- components


def _simple_undirected(G: nx.Graph) -> nx.Graph:
    """``G`` without direction, loops or parallel edges, built in a canonical order.

    Two builds of the same notes may insert nodes and edges in different orders; sums of
    forces in another order differ in the last bits, which a long layout amplifies.
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    pairs = {tuple(sorted((u, v), key=str)) for u, v in G.edges() if u != v}
    H.add_edges_from(sorted(pairs, key=lambda p: (str(p[0]), str(p[1]))))
    return H


def _edge_index(H: nx.Graph, nodes: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [tuple(sorted((index[u], index[v]))) for u, v in H.subgraph(nodes).edges()]
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def _median_edge(x: np.ndarray, edges: np.ndarray) -> float:
    if len(edges) == 0:
        return 1.0
    d = x[edges[:, 0]] - x[edges[:, 1]]
    return float(np.median(np.sqrt(np.einsum("ij,ij->i", d, d)))) or 1.0


def _fresh_component(
    nodes: list[str],
    edges: np.ndarray,
    rng: np.random.Generator,
    iterations: int,
    should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    n = len(nodes)
    side = math.sqrt(n)
    x = rng.uniform(0.0, side, size=(n, 2))
    said_stop = []

    def stop() -> bool:
        said_stop.append(should_stop is not None and should_stop())
        return said_stop[-1]

    x = _run_forces(x, edges, np.ones(n), iterations, max(0.1 * side, 0.5), stop)
    if _HUB_MIN <= n <= _HUB_MAX and not any(said_stop):
        x = _hubs_apart(nodes, edges, x, int(rng.integers(2**31)))
    x = x * (EDGE_LENGTH / _median_edge(x, edges))
    return x - x.min(axis=0)


def _hubs_apart(nodes: list[str], edges: np.ndarray, x: np.ndarray, seed: int) -> np.ndarray:
    """ForceAtlas2 from the force layout, hubs dissuaded: their neighbours spread around them.

    In notes a few services (S3, EC2, Lambda, IAM) relate to most of the rest; a plain force
    layout draws them and their neighbours as one knot. ForceAtlas2's "distributed attraction"
    divides a hub's pull among its edges, so the knot opens and clusters stay apart.
    """
    H = nx.Graph()
    H.add_nodes_from(range(len(nodes)))
    H.add_edges_from(map(tuple, edges.tolist()))
    deg = np.bincount(edges.ravel(), minlength=len(nodes))
    sizes = {i: circle_radius(int(d)) / EDGE_LENGTH for i, d in enumerate(deg)}
    pos = nx.forceatlas2_layout(
        H,
        pos={i: p.copy() for i, p in enumerate(x)},
        max_iter=_HUB_ITERATIONS,
        distributed_action=True,
        scaling_ratio=_HUB_SCALING,
        node_size=sizes,
        seed=seed,
    )
    return np.array([pos[i] for i in range(len(nodes))], dtype=float)


def _seed_new_nodes(
    H: nx.Graph,
    nodes: list[str],
    known: Mapping[str, tuple[float, float]],
    rng: np.random.Generator,
) -> np.ndarray:
    """Start positions: known ones as given, new ones next to their placed neighbours."""
    placed = {n: np.asarray(known[n], dtype=float) for n in nodes if n in known}
    centre = np.mean(list(placed.values()), axis=0)
    pending = [n for n in nodes if n not in placed]
    while pending:
        progress = []
        for n in pending:
            around = [placed[m] for m in H[n] if m in placed]
            if around:
                progress.append((n, np.mean(around, axis=0)))
        if not progress:
            break
        for n, p in progress:
            placed[n] = p + rng.normal(0.0, 0.3 * EDGE_LENGTH, size=2)
        pending = [n for n in pending if n not in placed]
    for n in pending:
        placed[n] = centre + rng.normal(0.0, EDGE_LENGTH, size=2)
    return np.array([placed[n] for n in nodes])


def _equilibrium_unit(x: np.ndarray, edges: np.ndarray) -> float:
    """The length unit in which ``x`` is at the force model's own scale.

    At a force balance the virial vanishes: with unit ideal length, the edges' sum of cubed
    lengths equals the number of node pairs. Solving that for the unit makes a warm start
    neither grow nor shrink the picture, whatever scale it was drawn at.
    """
    n = len(x)
    if len(edges) == 0 or n < 2:
        return EDGE_LENGTH
    d = x[edges[:, 0]] - x[edges[:, 1]]
    cubes = float(np.sum(np.einsum("ij,ij->i", d, d) ** 1.5))
    return (cubes / (n * (n - 1) / 2)) ** (1 / 3) or EDGE_LENGTH


def _aligned_fresh(
    nodes: list[str],
    edges: np.ndarray,
    known: Mapping[str, tuple[float, float]],
    rng: np.random.Generator,
    iterations: int,
    should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    """A fresh layout moved so that its known nodes sit, on average, where they should."""
    x = _fresh_component(nodes, edges, rng, iterations, should_stop)
    idx = [i for i, n in enumerate(nodes) if n in known]
    target = np.array([known[nodes[i]] for i in idx], dtype=float)
    x = x + (target.mean(axis=0) - x[idx].mean(axis=0))
    x[idx] = target
    return x


def _warm_component(
    H: nx.Graph,
    nodes: list[str],
    edges: np.ndarray,
    known: Mapping[str, tuple[float, float]],
    pinned: Mapping[str, tuple[float, float]],
    rng: np.random.Generator,
    iterations: int,
    should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    """Lay out a component that already has positions, keeping its picture and scale."""
    share = sum(n in known for n in nodes) / len(nodes)
    if share >= 0.5:
        x = _seed_new_nodes(H, nodes, known, rng)
        heat = [0.0 if n in pinned else (_WARM_FACTOR if n in known else 1.0) for n in nodes]
        t0 = 0.5
    else:
        # Mostly new (say, a few pinned services): a fresh layout arranged around the pins.
        x = _aligned_fresh(nodes, edges, known, rng, iterations, should_stop)
        heat = [0.0 if n in pinned else 1.0 for n in nodes]
        t0 = 1.0
    # Services stacked on one spot feel no force apart: nudge them off it.
    _, first = np.unique(x, axis=0, return_index=True)
    stacked = np.setdiff1d(np.arange(len(x)), first)
    x[stacked] += rng.normal(0.0, 0.05 * EDGE_LENGTH, size=(len(stacked), 2))
    if any(heat):
        unit = _equilibrium_unit(x, edges)
        heat_arr = np.array(heat)
        x = _run_forces(x / unit, edges, heat_arr, min(iterations, 80), t0, should_stop) * unit
    for i, n in enumerate(nodes):
        if n in pinned:
            x[i] = pinned[n]
    return x


def _pack(
    blocks: list[np.ndarray], feet: list[np.ndarray], top: float, left: float
) -> list[np.ndarray]:
    """Shelf-pack blocks (largest first, as given) in rows starting at ``(left, top)``.

    A block's extent includes its services' footprints, so no label reaches into the next one.
    """
    lows = [b - f[:, [0, 1]] for b, f in zip(blocks, feet, strict=True)]
    highs = [b + f[:, [0, 2]] for b, f in zip(blocks, feet, strict=True)]
    boxes = [(lo.min(axis=0), hi.max(axis=0)) for lo, hi in zip(lows, highs, strict=True)]
    sizes = [hi - lo for lo, hi in boxes]
    area = sum((w + _GAP) * (h + _GAP) for w, h in sizes)
    width = max([w for w, _ in sizes] + [math.sqrt(area * _ASPECT)])
    out, x0, y0, row_h = [], left, top, 0.0
    for block, (lo, _), (w, h) in zip(blocks, boxes, sizes, strict=True):
        if x0 > left and x0 + w > left + width:
            x0, y0, row_h = left, y0 + row_h + _GAP, 0.0
        out.append(block - lo + (x0, y0))
        x0 += w + _GAP
        row_h = max(row_h, h)
    return out


# --------------------------------------------------------------------------- public


def compute_layout(
    G: nx.Graph,
    *,
    seed: int = 7,
    pinned: Mapping[str, tuple[float, float]] | None = None,
    initial: Mapping[str, tuple[float, float]] | None = None,
    iterations: int = 150,
    should_stop: Callable[[], bool] | None = None,
) -> Positions:
    """Positions for every node of ``G``, in scene units, typical edge length :data:`EDGE_LENGTH`.

    Parameters
    ----------
    G : networkx graph
        Any graph; edge direction and parallel edges are ignored.
    seed : int
        The same graph and seed give the same layout.
    pinned : mapping, optional
        Nodes that stay exactly at the given positions.
    initial : mapping, optional
        Positions of an earlier layout: components holding such nodes keep their picture (new
        nodes start next to their neighbours and only they move much); other components are
        packed below.
    iterations : int
        Upper bound on force steps per component; the cooling schedule ends at zero there.
    should_stop : callable, optional
        Polled once per step; when it returns True the layout ends early (still valid).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> pos = compute_layout(G, pinned={"a": (0.0, 0.0)})
    >>> pos["a"]
    (0.0, 0.0)
    """
    pinned = dict(pinned or {})
    known = {**(initial or {}), **pinned}
    known = {n: p for n, p in known.items() if n in G}
    H = _simple_undirected(G)
    rng = np.random.default_rng(seed)
    relations = degrees(G)  # what the canvas sizes circles by
    feet = _footprints(G, relations)
    result: Positions = {}
    fresh: list[tuple[list[str], np.ndarray]] = []
    singles: list[str] = []
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0])
    )
    width = _shelf_width(components, feet)
    for nodes in components:
        edges = _edge_index(H, nodes)
        foot = np.array([feet[n] for n in nodes]).reshape(-1, 3)
        if any(n in known for n in nodes):
            x = _warm_component(H, nodes, edges, known, pinned, rng, iterations, should_stop)
            x = _separate_boxes(x, foot, np.array([n in pinned for n in nodes], dtype=bool))
            result.update(_as_dict(nodes, x))
        elif len(nodes) == 1:
            singles.append(nodes[0])
        else:
            x = _fresh_component(nodes, edges, rng, iterations, should_stop)
            fresh.append((nodes, _spread(x, foot, width)))
    if fresh:
        top, left = _below(result, feet)
        blocks = _pack(
            [x for _, x in fresh], [np.array([feet[n] for n in c]) for c, _ in fresh], top, left
        )
        for (nodes, _), x in zip(fresh, blocks, strict=True):
            result.update(_as_dict(nodes, x))
    if singles:
        result.update(_as_dict(singles, _band(singles, feet, result)))
    nodes = sorted(G, key=str)
    x = separate_circles(
        np.array([result[n] for n in nodes], dtype=float).reshape(-1, 2),
        np.array([circle_radius(relations[n]) for n in nodes]),
        np.array([n in pinned for n in nodes], dtype=bool),
    )
    return _as_dict(nodes, x)


def label_text(node: str, data: Mapping) -> str:
    """The name the canvas writes next to a service: its short name, else its name, else its id."""
    return str(data.get("short") or data.get("name") or node)


def major_labels(relations: Mapping[str, int]) -> set[str]:
    """The services whose labels the canvas draws in the larger font: the most connected tenth.

    Examples
    --------
    >>> sorted(major_labels({"s3": 9, "sqs": 2, "sns": 2, "iam": 0}))
    ['s3']
    """
    connected = sorted((n for n, d in relations.items() if d > 0), key=lambda n: (-relations[n], n))
    count = min(max(1, round(_MAJOR_SHARE * len(connected))), _MAJOR_MAX)
    return set(connected[:count])


def label_size(text: str, major: bool = False) -> tuple[float, float]:
    """An estimate of a label's halo in pixels as the canvas draws it (larger font if ``major``).

    Examples
    --------
    >>> label_size("EC2") < label_size("EC2", major=True)
    True
    """
    advance, height = _LABEL_FONT[major]
    return len(text) * advance + 6.0, height


def _footprints(G: nx.Graph, relations: Mapping[str, int]) -> dict[str, tuple[float, float, float]]:
    """Per service, in scene units: half width, reach above and reach below of its circle with the
    label under it as drawn at :data:`READ_ZOOM`."""
    major = major_labels(relations)
    pad = _BOX_PAD / READ_ZOOM
    out = {}
    for n in G:
        r = circle_radius(relations[n])
        w, h = label_size(label_text(n, G.nodes[n]), n in major)
        out[n] = (max(w / 2 / READ_ZOOM, r) + pad, r + pad, r + (2.0 + h) / READ_ZOOM + pad)
    return out


def _box_area(foot: np.ndarray) -> float:
    return float(np.sum(2 * foot[:, 0] * (foot[:, 1] + foot[:, 2]))) / _FILL


def _shelf_width(components: list[list[str]], feet: Mapping[str, tuple]) -> float:
    """How wide the packed picture should be for its whole to have the canvas's aspect.

    Isolated services are left out: the band under the rest takes whatever width it is given,
    and the window hides them by default.
    """
    total = sum(
        _box_area(np.array([feet[n] for n in c]).reshape(-1, 3)) for c in components if len(c) > 1
    )
    return math.sqrt(max(total, 1.0) * _ASPECT)


def _spread(x: np.ndarray, foot: np.ndarray, width: float) -> np.ndarray:
    """A component's force layout evened out and scaled so that every label has room.

    The hubs' knot and the sparse rim of a force layout become an even spread (a blend with the
    coordinates' ranks, which keeps every service's order along both axes), sized so footprints
    fill :data:`_FILL` of the box; a component holding most of the picture spans its width.
    """
    n = len(x)
    if n < 4:
        return _separate_boxes(x, foot)
    area = _box_area(foot)
    w = math.sqrt(area * _ASPECT)
    if w > 0.75 * width:
        w = width
    x = _equalized(x) * (w, area / w)
    return _separate_boxes(x, foot)


def _equalized(x: np.ndarray) -> np.ndarray:
    """``x`` mapped into the unit square, blended with an even spread of the same order (_spread).

    The even spread ranks each service's y among all, then its x among the services in the
    same horizontal band, then its y again among those in the same vertical band: every band
    fills the square from edge to edge, so a round picture with a dense middle fills its box.
    """
    n, share = len(x), _EQUALIZE
    lo, span = x.min(axis=0), np.maximum(np.ptp(x, axis=0), 1e-9)
    even = np.empty_like(x)
    even[:, 1] = _ranks(x[:, 1])
    even[:, 0] = _band_ranks(even[:, 1], x[:, 0])
    even[:, 1] = _band_ranks(even[:, 0], even[:, 1])
    return share * even + (1.0 - share) * (x - lo) / span if n > 1 else x * 0.0


def _ranks(v: np.ndarray) -> np.ndarray:
    """Each value's rank, from 0 (smallest) to 1 (largest); ties in index order."""
    out = np.empty(len(v))
    out[np.argsort(v, kind="stable")] = np.arange(len(v)) / max(len(v) - 1, 1)
    return out


def _band_ranks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each point's rank (0 to 1) in ``b`` among the points nearest to it in ``a``'s order.

    The bands hold about twice the square root of the count: linear in it, times that.
    """
    n = len(a)
    m = min(n, max(3, int(2 * math.sqrt(n))))
    order = np.argsort(a, kind="stable")
    out = np.empty(n)
    for k, i in enumerate(order):
        start = min(max(k - m // 2, 0), n - m)
        band = b[order[start : start + m]]
        out[i] = np.count_nonzero(band < b[i]) / max(m - 1, 1)
    return out


def _separate_boxes(
    x: np.ndarray, foot: np.ndarray, fixed: np.ndarray | None = None, rounds: int = _BOX_ROUNDS
) -> np.ndarray:
    """Positions moved until no two footprints (circle and the label under it) overlap.

    Overlapping pairs, found through a grid, are pushed apart along the axis that needs the
    smaller move, keeping their order on it, half each (all onto the other when one is fixed).
    """
    x = np.array(x, dtype=float)
    n = len(x)
    if n < 2:
        return x
    fixed = np.zeros(n, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    hw, up, down = foot[:, 0], foot[:, 1], foot[:, 2]
    reach = max(2.0 * float(hw.max()), float((up + down).max()))
    for _ in range(rounds):
        cell = np.floor((x - x.min(axis=0)) / reach).astype(np.int64)
        side = int(cell.max()) + 1
        i, j = _near_pairs(cell, cell[:, 0] * side + cell[:, 1], side)
        i, j, push_x, push_y = _box_pushes(x, hw, up, down, i, j)
        keep = ~(fixed[i] & fixed[j])
        i, j, push_x, push_y = i[keep], j[keep], push_x[keep], push_y[keep]
        if len(i) == 0:
            break
        share_j = np.where(fixed[i], 1.0, np.where(fixed[j], 0.0, 0.5))
        push = np.stack([push_x, push_y], axis=1)
        move = np.stack(
            [
                np.bincount(j, push[:, k] * share_j, n)
                - np.bincount(i, push[:, k] * (1.0 - share_j), n)
                for k in (0, 1)
            ],
            axis=1,
        )
        x = x + _BOX_STEP * move
    return x


def _box_pushes(x, hw, up, down, i, j):
    """The overlapping pairs among ``(i, j)`` and how far ``j`` must move from ``i`` to clear."""
    dx = x[j, 0] - x[i, 0]
    dy = x[j, 1] - x[i, 1]
    over_x = hw[i] + hw[j] - np.abs(dx)
    # Footprints are lopsided (the label hangs below): the gap to clear depends on the order.
    over_y = np.where(
        dy >= 0, x[i, 1] + down[i] - (x[j, 1] - up[j]), x[j, 1] + down[j] - (x[i, 1] - up[i])
    )
    over = (over_x > 0.5) & (over_y > 0.5)
    i, j, dx, dy, over_x, over_y = i[over], j[over], dx[over], dy[over], over_x[over], over_y[over]
    # Twins on one spot part along a fixed direction chosen by index parity.
    sx = np.where(dx > 0, 1.0, np.where(dx < 0, -1.0, np.where(i % 2 == 0, 1.0, -1.0)))
    sy = np.where(dy >= 0, 1.0, -1.0)
    sideways = over_x <= over_y
    push_x = np.where(sideways, sx * (over_x + 0.5), 0.0)
    push_y = np.where(sideways, 0.0, sy * (over_y + 0.5))
    return i, j, push_x, push_y


def _loosened(x: np.ndarray, radius: np.ndarray, gap: float) -> np.ndarray:
    """``x`` spread out evenly when its circles would fill too much of its bounding box.

    Pushing apart a crowd one overlap at a time takes a round for every circle the crowd is
    deep; spreading it first to a density at which circles can fit leaves local work only.
    """
    span = np.maximum(x.max(axis=0) - x.min(axis=0), 1.0)
    density = float(np.sum(np.pi * (radius + gap / 2) ** 2)) / float(span[0] * span[1])
    if density <= _MAX_DENSITY:
        return x
    centre = x.mean(axis=0)
    return centre + (x - centre) * math.sqrt(density / _MAX_DENSITY)


def separate_circles(
    x: np.ndarray, radius: np.ndarray, fixed: np.ndarray | None = None, gap: float = _CIRCLE_GAP
) -> np.ndarray:
    """Positions moved as little as it takes for no two circles to overlap.

    Overlapping pairs, found through a grid (linear in the number of circles), are pushed
    apart along the line joining them, half each, or all onto the other one when one is
    ``fixed``; the rounds stop when nothing overlaps.

    Examples
    --------
    >>> x = separate_circles(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([10.0, 10.0]))
    >>> bool(np.hypot(*(x[1] - x[0])) >= 20.0)
    True
    """
    x = np.array(x, dtype=float)
    n = len(x)
    if n < 2:
        return x
    fixed = np.zeros(n, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    if not fixed.any():
        x = _loosened(x, radius, gap)
    reach = 2.0 * float(radius.max()) + gap
    for step in range(_SEPARATE_ROUNDS):
        cell = np.floor((x - x.min(axis=0)) / reach).astype(np.int64)
        side = int(cell.max()) + 1
        i, j = _near_pairs(cell, cell[:, 0] * side + cell[:, 1], side)
        d = x[j] - x[i]
        dist = np.sqrt(np.einsum("ij,ij->i", d, d))
        short = radius[i] + radius[j] + gap - dist
        # Within a unit of the gap is close enough: crowds otherwise jostle for many rounds.
        over = (short > 1.0) & ~(fixed[i] & fixed[j])
        if not over.any():
            break
        i, j, d, dist, short = i[over], j[over], d[over], dist[over], short[over]
        # A little past the contact point: pushes that only just meet would shrink forever.
        short = short + 0.5
        # Circles on the same spot have no line between them: part them along a fixed turn.
        angle = (i * 2.399963 + step) % (2 * math.pi)
        away = np.where(
            dist[:, None] > 1e-9,
            d / np.maximum(dist, 1e-9)[:, None],
            np.stack([np.cos(angle), np.sin(angle)], axis=1),
        )
        share_j = np.where(fixed[i], 1.0, np.where(fixed[j], 0.0, 0.5))
        push_j = away * (short * share_j)[:, None]
        push_i = away * (short * (1.0 - share_j))[:, None]
        move = np.stack(
            [np.bincount(j, push_j[:, k], n) - np.bincount(i, push_i[:, k], n) for k in (0, 1)],
            axis=1,
        )
        x = x + _SEPARATE_STEP * move
    return x


def _below(result: Positions, feet: Mapping[str, tuple] | None = None) -> tuple[float, float]:
    """Top and left of the free space under what is placed already (labels included)."""
    if not result:
        return 0.0, 0.0
    placed = np.array(list(result.values()))
    reach = max((feet[n][2] for n in result), default=0.0) if feet else 0.0
    return float(placed[:, 1].max()) + reach + 2 * _GAP, float(placed[:, 0].min())


def _band(singles: list[str], feet: Mapping[str, tuple], result: Positions) -> np.ndarray:
    """Isolated services in a band of rows under the rest, as wide as the rest.

    A band keeps them out of the way: a square grid beside a small graph can be bigger than
    the graph itself and shrink it when the view fits everything. The services follow one
    another like words in lines, each as wide as its label.
    """
    top, left = _below(result, feet)
    foot = np.array([feet[n] for n in singles]).reshape(-1, 3)
    if result:
        # The rest's extent with its footprints: the band's boxes line up with the rest's.
        xs = np.array([p[0] for p in result.values()])
        hws = np.array([feet[n][0] for n in result])
        left = float((xs - hws).min())
        width = max(float((xs + hws).max()) - left, math.sqrt(_box_area(foot) * _ASPECT))
        top -= _GAP  # a band of dots needs less room than a packed component
    else:
        width = math.sqrt(_box_area(foot) * _ASPECT)
    row = float(max(_GRID_STEP, (foot[:, 1] + foot[:, 2]).max()))
    lines: list[list[float]] = [[]]
    used = 0.0
    for hw, _, _ in foot:
        if lines[-1] and used + 2 * hw > width:
            lines.append([])
            used = 0.0
        lines[-1].append(float(hw))
        used += 2 * hw
    out = []
    for k, line in enumerate(lines):
        # Full lines are justified, like text: their ends meet the band's edges.
        slack = width - 2 * sum(line)
        space = slack / (len(line) - 1) if k < len(lines) - 1 and len(line) > 1 else 0.0
        x = 0.0
        for hw in line:
            out.append((x + hw, k * row))
            x += 2 * hw + space
    return np.array(out, dtype=float).reshape(-1, 2) + np.array([left, top])


def _as_dict(nodes: list[str], x: np.ndarray) -> Positions:
    return {n: (float(p[0]), float(p[1])) for n, p in zip(nodes, x, strict=True)}


def label_adjust(
    positions: Mapping[str, tuple[float, float]],
    label_sizes: Mapping[str, tuple[float, float]],
    *,
    radius: Mapping[str, float] | float = 10.0,
    fixed: Iterable[str] = (),
    padding: float = 4.0,
    iterations: int = 20,
    max_shift: float = 0.5 * EDGE_LENGTH,
) -> Positions:
    """Nudge nodes apart so the labels drawn under them do not overlap at 100 % zoom.

    A label of size ``(w, h)`` is centred under its node, starting ``radius`` below the
    centre. Overlapping pairs are pushed apart along the axis that needs the smaller move,
    half each (all of it onto the other one when one is ``fixed``). The pass is bounded:
    at most ``iterations`` rounds and no node moves more than ``max_shift`` in total.

    Examples
    --------
    >>> pos = {"a": (0.0, 0.0), "b": (5.0, 0.0)}
    >>> out = label_adjust(pos, {"a": (40.0, 12.0), "b": (40.0, 12.0)}, fixed=["a"])
    >>> out["a"], out["b"] != pos["b"]
    ((0.0, 0.0), True)
    """
    names = [n for n in positions if n in label_sizes]
    if len(names) < 2:
        return dict(positions)
    fixed = set(fixed)
    start = {n: np.asarray(positions[n], dtype=float) for n in names}
    pos = {n: p.copy() for n, p in start.items()}
    size = {n: np.asarray(label_sizes[n], dtype=float) + padding for n in names}
    rad = {n: radius.get(n, 10.0) if isinstance(radius, Mapping) else radius for n in names}
    cell = max(max(s[0] for s in size.values()), max(s[1] for s in size.values()), 1.0)
    for _ in range(iterations):
        moved = _label_round(names, pos, size, rad, fixed, cell)
        for n in names:
            shift = pos[n] - start[n]
            length = float(np.hypot(*shift))
            if length > max_shift:
                pos[n] = start[n] + shift * (max_shift / length)
        if not moved:
            break
    out = dict(positions)
    out.update({n: (float(p[0]), float(p[1])) for n, p in pos.items()})
    return out


def _label_round(names, pos, size, rad, fixed, cell) -> bool:
    """One pass over overlapping label pairs found through a grid; True when anything moved."""
    buckets: dict[tuple[int, int], list[str]] = {}
    for n in names:
        buckets.setdefault((int(pos[n][0] // cell), int(pos[n][1] // cell)), []).append(n)
    moved = False
    for (bx, by), members in buckets.items():
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                for a in members:
                    for b in buckets.get((bx + ox, by + oy), ()):
                        if a < b:
                            moved |= _separate(a, b, pos, size, rad, fixed)
    return moved


def _separate(a, b, pos, size, rad, fixed) -> bool:
    ca = pos[a] + (0.0, rad[a] + size[a][1] / 2)
    cb = pos[b] + (0.0, rad[b] + size[b][1] / 2)
    gap = (size[a] + size[b]) / 2 - np.abs(ca - cb)
    if gap[0] <= 0 or gap[1] <= 0:
        return False
    axis = 0 if gap[0] <= gap[1] else 1
    sign = 1.0 if cb[axis] >= ca[axis] else -1.0
    if a in fixed and b in fixed:
        return False
    share_a = 0.0 if a in fixed else (1.0 if b in fixed else 0.5)
    push = gap[axis] + 0.5
    pos[a][axis] -= sign * push * share_a
    pos[b][axis] += sign * push * (1.0 - share_a)
    return True


# --------------------------------------------------------------------------- synthetic


def synthetic_graph(n: int, m: int, seed: int = 3) -> nx.MultiDiGraph:
    """A seeded random service graph with the attributes the real builder writes.

    For benchmarks and tests of layouts and canvases (it lives here so that both reach it
    with a plain import).

    A third of the edge sources are drawn from a heavy-tailed list so that hubs exist, as in
    real notes where S3, IAM or Lambda link to much of the rest.
    """
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    categories = sorted(CATEGORY_COLORS)
    for i in range(n):
        G.add_node(
            f"svc-{i:04d}",
            name=f"Example Service {i}",
            short=f"Svc{i}",
            category=rng.choice(categories),
            mentions=rng.randint(1, 40),
            files=[f"note{i % 5}.md"],
            parent=None,
        )
    nodes = list(G)
    tries = added = 0
    while added < m and tries < 50 * m:
        tries += 1
        hub = nodes[min(int(rng.paretovariate(1.3)) - 1, n - 1)]
        u = hub if rng.random() < 0.2 else rng.choice(nodes)
        v = rng.choice(nodes)
        relation = rng.choice(RELATIONS)
        if u == v:
            continue
        if relation != "replaces" and u > v:
            u, v = v, u
        if G.has_edge(u, v, relation):
            continue
        evidence = [
            {"file": "note.md", "line": k + 1, "text": f"{u} and {v}, sentence {k}"}
            for k in range(rng.randint(1, 3))
        ]
        G.add_edge(
            u, v, key=relation, relation=relation, evidence=evidence, confidence=rng.random()
        )
        added += 1
    return G


# --------------------------------------------------------------------------- cache


@dataclass(frozen=True, slots=True)
class SavedLayout:
    """Positions remembered for one notes folder, and which services the user pinned."""

    positions: Positions = field(default_factory=dict)
    pinned: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.positions)

    def pinned_positions(self) -> Positions:
        """The pinned services' positions, as :func:`compute_layout` takes them."""
        return {n: self.positions[n] for n in self.pinned if n in self.positions}


def layout_path(key: str) -> Path:
    """The cache file for ``key`` (e.g. :func:`graph_data.userdirs.folder_key` of the notes)."""
    if not key or key.startswith(".") or any(c in key for c in "/\\\0:") or len(key) > 200:
        raise InvalidLayoutKey(f"not a usable layout cache key: {key!r}")
    return userdirs.cache_dir() / "layouts" / f"{key}.json"


def save_positions(
    key: str, positions: Mapping[str, tuple[float, float]], pinned: Iterable[str] = ()
) -> Path:
    """Remember ``positions`` (and the ``pinned`` ids among them) for ``key``, atomically."""
    clean = {
        str(n): [float(x), float(y)]
        for n, (x, y) in positions.items()
        if math.isfinite(x) and math.isfinite(y)
    }
    doc = {
        "version": CACHE_VERSION,
        "positions": clean,
        "pinned": sorted(str(n) for n in pinned if str(n) in clean),
    }
    path = layout_path(key)
    atomic.write_text(path, json.dumps(doc, indent=0, sort_keys=True))
    return path


def load_positions(key: str) -> SavedLayout:
    """The layout saved for ``key``; an empty one when absent, garbled or of another version."""
    try:
        doc = json.loads(layout_path(key).read_text("utf-8"))
        if doc.get("version") != CACHE_VERSION:
            return SavedLayout()
        positions = {
            str(n): (float(p[0]), float(p[1])) for n, p in doc["positions"].items() if len(p) == 2
        }
        if not all(math.isfinite(c) for p in positions.values() for c in p):
            return SavedLayout()
        pinned = frozenset(str(n) for n in doc.get("pinned", ()) if str(n) in positions)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return SavedLayout()
    return SavedLayout(positions, pinned)
