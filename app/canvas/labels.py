"""Label placement over rectangles: where each service's name goes, so no two names overlap.

Everything here is geometry in viewport pixels (``QRectF``/``QPointF``), with no item, scene
or view: the scene asks for places and then moves its label items there.

>>> rect = label_rect((40.0, 10.0), "below", 8.0)
>>> (rect.left(), rect.top(), rect.width(), rect.height())
(-20.0, 8.0, 40.0, 10.0)
>>> wanted = [LabelRequest("a", QPointF(0, 0), 5.0, (40.0, 10.0))]
>>> place_labels(wanted, {}, QRectF(-100, -100, 200, 200))
{'a': ('below', 7.0)}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

__all__ = [
    "LABEL_RINGS",
    "SIDES",
    "LabelRequest",
    "RectGrid",
    "label_rect",
    "meets",
    "place_labels",
]

#: Where a label may sit around its circle, as (x, y) directions, in order of preference.
#: The half steps (a label under or over its circle, slid half its width aside) let labels
#: of neighbours in a row interleave.
SIDES: dict[str, tuple[float, float]] = {
    "below": (0, 1),
    "above": (0, -1),
    "right": (1, 0),
    "left": (-1, 0),
    "below-right": (1, 1),
    "below-left": (-1, 1),
    "above-right": (1, -1),
    "above-left": (-1, -1),
    "below-half-right": (0.5, 1),
    "below-half-left": (-0.5, 1),
    "above-half-right": (0.5, -1),
    "above-half-left": (-0.5, -1),
}

#: How far out a label may sit from its circle in a crowd: its own side, then further rows.
LABEL_RINGS = 5


def label_rect(size: tuple[float, float], side: str, gap: float) -> QRectF:
    """A label's rectangle of ``size`` on ``side`` of its circle, ``gap`` from the centre.

    Relative to the circle's centre, in pixels.
    """
    w, h = size
    dx, dy = SIDES[side]
    # Diagonal places touch the circle's bounding square at a corner, not its rim.
    reach = gap * 0.75 if abs(dx) == 1 and abs(dy) == 1 else gap
    x = -w / 2 + dx * (reach + w / 2) if dx else -w / 2
    y = -h / 2 + dy * (reach + h / 2) if dy else -h / 2
    return QRectF(x, y, w, h)


@dataclass(frozen=True, slots=True)
class LabelRequest:
    """One label to place: its service, its circle (pixels) and its halo's size."""

    service: str
    centre: QPointF
    radius: float
    size: tuple[float, float]
    #: A label that must show (selection, hover, landmark): it may cover circles if need be.
    insist: bool = False
    #: A landmark (a top hub) looks four times as far out for a free place.
    far: bool = False


def label_order(
    in_view: Iterable[str],
    degree: Mapping[str, int],
    faded: set[str],
    must: set[str],
    top: set[str],
    first: tuple[str | None, ...],
    limit: int,
    hubs: int,
) -> list[str]:
    """The services in view whose labels are wanted, in the order they are placed.

    Fewer than ``limit`` in view: all of them, else the ``must`` ones and the ``hubs`` most
    connected. The ``faded`` ones (out of focus) are left out, except the ``top`` hubs:
    landmarks, so a selection far from them still shows where in the graph it is. The order:
    ``first`` (selection, hover), the top hubs, the must ones, the rest by degree.

    >>> label_order("abc", {"a": 1, "b": 3, "c": 2}, {"c"}, set(), set(), (None,), 9, 9)
    ['b', 'a']
    """
    in_view = list(in_view)

    def kept(service: str) -> bool:
        return service not in faded or service in must or service in top

    if len(in_view) < limit:
        wanted = [s for s in in_view if kept(s)]
    else:
        by_degree = sorted(in_view, key=lambda s: (-degree.get(s, 0), s))
        wanted = [s for s in in_view if s in must] + [s for s in by_degree[:hubs] if kept(s)]
    wanted.sort(key=lambda s: (s not in first, s not in top, s not in must, -degree.get(s, 0), s))
    return wanted


def place_labels(
    wanted: Sequence[LabelRequest],
    circles: Mapping[str, QRectF],
    free: QRectF,
    legend: QRectF | None = None,
    obstacles: Iterable[QRectF] = (),
    rings: int = LABEL_RINGS,
) -> dict[str, tuple[str, float]]:
    """Greedy placement in priority order, each label on the first free side of its circle.

    ``circles`` are the bounding squares of every circle in view, by service. A side is
    free when its rectangle lies inside ``free``, off ``legend``, overlaps no label placed
    before nor an obstacle, and covers no circle: a label must never hide a service. A label
    with no free side is dropped, except an insisting one, which then takes the first place
    clear of other labels (over circles if need be), else goes below. Returns the side and
    the gap from the centre of each label placed, by service.
    """
    labels = RectGrid()
    grid = RectGrid(round_=True)
    for service, square in circles.items():
        grid.add(square, service)
    for rect in obstacles:
        labels.add(rect, "")
    placed: dict[str, tuple[str, float]] = {}
    for want in wanted:
        if want.service in placed:
            continue
        gap = want.radius + 2.0
        side, at = _free_place(want, gap, free, legend, labels, grid, rings, want.far)
        if side is None:
            if not want.insist:
                continue
            # A label that must show may cover circles, yet still no other label.
            side, at = _free_place(want, gap, free, legend, labels, RectGrid(), rings, True)
            if side is None:
                side, at = "below", gap
        labels.add(label_rect(want.size, side, at).translated(want.centre), want.service)
        placed[want.service] = (side, at)
    return placed


def _free_place(
    want: LabelRequest,
    gap: float,
    free: QRectF,
    legend: QRectF | None,
    labels: RectGrid,
    circles: RectGrid,
    rings: int,
    far: bool,
) -> tuple[str | None, float]:
    """The first free side next to the circle or, in a crowd, a few label rows out."""
    step = want.size[1] * 1.2
    for ring in range(rings * (4 if far else 1)):
        at = gap + ring * step
        for side in SIDES:
            rect = label_rect(want.size, side, at).translated(want.centre)
            if not free.contains(rect) or (legend is not None and legend.intersects(rect)):
                continue
            if not labels.hits(rect) and not circles.hits(rect, ignore=want.service):
                return side, at
    return None, gap


class RectGrid:
    """Rectangles bucketed by a coarse grid, for quick "does this overlap any?" questions.

    >>> grid = RectGrid()
    >>> grid.add(QRectF(0, 0, 10, 10), "a")
    >>> grid.hits(QRectF(5, 5, 10, 10)), grid.hits(QRectF(5, 5, 10, 10), ignore="a")
    (True, False)
    """

    CELL = 64

    def __init__(self, round_: bool = False) -> None:
        self._cells: dict[tuple[int, int], list[tuple[QRectF, str]]] = defaultdict(list)
        #: The rectangles are circles' bounding squares: overlap means with the circle itself.
        self.round = round_

    def _keys(self, rect: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        xs = range(math.floor(rect.left() / c), math.floor(rect.right() / c) + 1)
        ys = range(math.floor(rect.top() / c), math.floor(rect.bottom() / c) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, rect: QRectF, owner: str) -> None:
        """Remember ``rect``, drawn for ``owner``."""
        for key in self._keys(rect):
            self._cells[key].append((rect, owner))

    def hits(self, rect: QRectF, ignore: str | None = None) -> bool:
        """Whether ``rect`` overlaps a remembered rectangle (other than ``ignore``'s)."""
        return any(
            owner != ignore and rect.intersects(other) and (not self.round or meets(rect, other))
            for key in self._keys(rect)
            for other, owner in self._cells.get(key, ())
        )


def meets(rect: QRectF, square: QRectF) -> bool:
    """Whether ``rect`` overlaps the circle inscribed in ``square``.

    >>> meets(QRectF(9, 9, 5, 5), QRectF(0, 0, 10, 10))
    False
    >>> meets(QRectF(4, 9, 2, 5), QRectF(0, 0, 10, 10))
    True
    """
    c, r = square.center(), square.width() / 2
    nx = min(max(c.x(), rect.left()), rect.right())
    ny = min(max(c.y(), rect.top()), rect.bottom())
    return (c.x() - nx) ** 2 + (c.y() - ny) ** 2 < r * r
