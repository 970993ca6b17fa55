"""Fit geometry over rectangles: the zoom and place that show every service and its label.

The graph is described by its *extents*, one row per service: x, y, radius (scene units)
and the label's width, height (pixels; zero for a service left unlabelled). Labels keep
their pixel size at any zoom, so the picture's size is not proportional to the zoom and the
largest zoom that fits is found by bisection. Nothing here needs a view: the interactive
canvas, the PDF and the export thumbnail all frame the graph with these functions.

>>> extents = np.array([[0.0, 0.0, 10.0, 0.0, 0.0], [100.0, 0.0, 10.0, 0.0, 0.0]])
>>> spans(extents, 1.0)
(-10.0, 110.0, -10.0, 12.0)
>>> round(fit_zoom(extents, 60.0, 60.0), 3)
0.5
>>> fit_centre(extents, 0.5, QRectF(0, 0, 60, 60), QSizeF(60, 60))
PySide6.QtCore.QPointF(50.000000, 2.000000)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QTransform

__all__ = [
    "CORNERS",
    "FIT_MARGIN",
    "FIT_ZOOM_MAX",
    "LEGEND_MARGIN",
    "ZOOM_MIN",
    "Corner",
    "covers",
    "fit_centre",
    "fit_transform",
    "fit_with_legend",
    "fit_zoom",
    "legend_rect_at",
    "spans",
]

#: Where the legend sits: (-1 left / 1 right, -1 top / 1 bottom) for a column in a corner,
#: (0, -1 / 1) for a strip across the top or bottom.
Corner = tuple[int, int]
#: The legend's places in order of preference when they cost the graph the same.
CORNERS: tuple[Corner, ...] = ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, -1), (0, 1))
#: The legend's distance from the viewport's edges, in pixels.
LEGEND_MARGIN = 10
#: Fit leaves this many pixels between the graph and the viewport's edges.
FIT_MARGIN = 10.0
#: The smallest zoom there is (a fit never goes below it).
ZOOM_MIN = 0.03
#: The largest zoom a fit chooses: a small graph is not blown up beyond twice its size.
FIT_ZOOM_MAX = 2.0


def spans(extents: np.ndarray, zoom: float) -> tuple[float, float, float, float]:
    """Left, right, top, bottom in pixels (scene origin at 0) of circles and labels below them."""
    x, y, r, w, h = (extents[:, i] for i in range(5))
    left = min(((x - r) * zoom).min(), (x * zoom - w / 2).min())
    right = max(((x + r) * zoom).max(), (x * zoom + w / 2).max())
    top = ((y - r) * zoom).min()
    # The label's top sits 2 px under the circle (see labels.label_rect, side "below").
    bottom = max(((y + r) * zoom).max(), ((y + r) * zoom + 2 + h).max())
    return float(left), float(right), float(top), float(bottom)


def covers(extents: np.ndarray, zoom: float, dx: float, dy: float, rect: QRectF) -> bool:
    """Whether any circle, or label below it, would fall on ``rect`` (pixels) at this zoom.

    ``dx``, ``dy`` are where the scene origin lands, in pixels.
    """
    x, y, r, w, h = (extents[:, i] * 1.0 for i in range(5))
    cx, cy = x * zoom + dx, y * zoom + dy
    rz = r * zoom
    boxes = [
        (cx - rz, cx + rz, cy - rz, cy + rz),
        (cx - w / 2, cx + w / 2, cy + rz + 2, cy + rz + 2 + h),
    ]
    hit = np.zeros(len(x), dtype=bool)
    for x0, x1, y0, y1 in boxes:
        hit |= (x1 > rect.left()) & (x0 < rect.right()) & (y1 > rect.top()) & (y0 < rect.bottom())
    return bool(hit.any())


def fit_zoom(extents: np.ndarray, width: float, height: float) -> float:
    """The largest zoom (at most 2) at which the extents fit in ``width`` x ``height`` pixels.

    The spans grow with the zoom (labels keep their pixel size), so bisect.
    """

    def fits(zoom: float) -> bool:
        left, right, top, bottom = spans(extents, zoom)
        return right - left <= width and bottom - top <= height

    lo, hi = ZOOM_MIN, FIT_ZOOM_MAX
    if fits(hi):
        return hi
    if not fits(lo):
        return lo
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def fit_centre(extents: np.ndarray, zoom: float, region: QRectF, view: QSizeF) -> QPointF:
    """The scene point to put at the middle of a ``view`` so the extents are centred in ``region``.

    ``region`` is a rectangle of the view, in its pixels.
    """
    left, right, top, bottom = spans(extents, zoom)
    # Pixel offsets of the content's middle from the scene origin scaled by zoom.
    mid_x, mid_y = (left + right) / 2, (top + bottom) / 2
    cx = (mid_x + view.width() / 2 - region.center().x()) / zoom
    cy = (mid_y + view.height() / 2 - region.center().y()) / zoom
    return QPointF(cx, cy)


def fit_transform(extents: np.ndarray, size: QSizeF, margin: float = FIT_MARGIN) -> QTransform:
    """Scene to pixels of a picture of ``size``: the extents fitted, ``margin`` pixels clear.

    What a view's fit does without a legend, for pictures drawn without a view.
    """
    area = QRectF(0, 0, size.width(), size.height()).adjusted(margin, margin, -margin, -margin)
    zoom = fit_zoom(extents, area.width(), area.height())
    centre = fit_centre(extents, zoom, area, size)
    dx = size.width() / 2 - centre.x() * zoom
    dy = size.height() / 2 - centre.y() * zoom
    return QTransform(zoom, 0.0, 0.0, zoom, dx, dy)


def legend_rect_at(
    corner: Corner, view: QSizeF, column: QSizeF, strip_height: Callable[[float], float]
) -> QRectF:
    """The legend's rectangle, with a 4 px margin, in ``corner`` of a ``view`` (pixels).

    ``column`` is the legend's size as a column; ``strip_height`` its height as a strip of a
    given width.
    """
    m = LEGEND_MARGIN
    if corner[0] == 0:
        width = max(view.width() - 2 * m, 1)
        size = QSizeF(width, strip_height(width))
    else:
        size = column
    # In a viewport smaller than the legend, it stays at the top left, as it always was.
    x = m if corner[0] < 0 else max(m, view.width() - size.width() - m)
    y = m if corner[1] < 0 else max(m, view.height() - size.height() - m)
    return QRectF(x, y, size.width(), size.height()).adjusted(-4, -4, 4, 4)


def fit_with_legend(
    extents: np.ndarray, area: QRectF, legends: Mapping[Corner, QRectF], current: Corner
) -> tuple[float, QRectF, Corner]:
    """The zoom, the region for the graph and the legend's corner that show the graph largest.

    ``area`` is the view less Fit's margin, ``legends`` the legend's rectangle in each of
    the :data:`CORNERS`, ``current`` where it is now. With the legend in a corner, the graph
    gets the whole area if some placement leaves that corner free, else the strip beside the
    legend or the band above or below it; with the legend a strip, the rest of the area.
    """
    choices = {c: _fit_at(extents, area, legends[c], c) for c in CORNERS}
    # In a viewport too small for any of them, the legend covers some of the graph.
    clear = {
        c: pair for c, pair in choices.items() if not _legend_over(extents, *pair, legends[c])
    } or choices
    best = max(z for z, _ in clear.values())
    # Among places as good as the best, keep the legend where it is (no jumping).
    corner = min(
        (c for c, (z, _) in clear.items() if z >= best * 0.98),
        key=lambda c: (c != current, CORNERS.index(c)),
    )
    zoom, region = clear[corner]
    return zoom, region, corner


def _legend_over(extents: np.ndarray, zoom: float, region: QRectF, legend: QRectF) -> bool:
    """Whether the graph shown at ``zoom`` centred in ``region`` meets ``legend``."""
    left, right, top, bottom = spans(extents, zoom)
    dx = region.center().x() - (left + right) / 2
    dy = region.center().y() - (top + bottom) / 2
    return covers(extents, zoom, dx, dy, legend)


def _fit_at(
    extents: np.ndarray, area: QRectF, legend: QRectF, corner: Corner
) -> tuple[float, QRectF]:
    """The largest zoom, and where the graph goes, with the legend in ``corner``."""
    if corner[0] == 0:
        band = QRectF(area)
        if corner[1] < 0:
            band.setTop(legend.bottom() + 4)
        else:
            band.setBottom(legend.top() - 4)
        return fit_zoom(extents, band.width(), max(band.height(), 1.0)), band
    zoom, region = max(
        ((fit_zoom(extents, r.width(), r.height()), r) for r in _regions(area, legend, corner)),
        key=lambda pair: pair[0],
    )
    return _fit_beside(extents, area, legend, corner, zoom) or (zoom, region)


def _fit_beside(
    extents: np.ndarray, area: QRectF, legend: QRectF, corner: Corner, floor: float
) -> tuple[float, QRectF] | None:
    """A zoom above ``floor``, and where, for the whole area with the legend uncovered.

    Tries a few zooms from the largest down, and for each the graph centred or pushed into
    the corners away from the legend.
    """
    top_zoom = fit_zoom(extents, area.width(), area.height())
    sx, sy = corner
    steps = 6
    for k in range(steps):
        zoom = top_zoom * (floor / top_zoom) ** (k / steps)
        if zoom <= floor * 1.02:
            break
        left, right, top, bottom = spans(extents, zoom)
        w, h = right - left, bottom - top
        mid_x, mid_y = area.center().x() - w / 2, area.center().y() - h / 2
        away_x = area.right() - w if sx < 0 else area.left()
        away_y = area.bottom() - h if sy < 0 else area.top()
        for x, y in ((mid_x, mid_y), (away_x, away_y), (away_x, mid_y), (mid_x, away_y)):
            if not covers(extents, zoom, x - left, y - top, legend):
                return zoom, QRectF(x, y, w, h)
    return None


def _regions(area: QRectF, legend: QRectF, corner: Corner) -> list[QRectF]:
    """Where the graph may go: the area, less the legend's strip or its band."""
    sx, sy = corner
    beside = QRectF(area)
    if sx < 0:
        beside.setLeft(max(area.left(), legend.right() + 4))
    else:
        beside.setRight(min(area.right(), legend.left() - 4))
    band = QRectF(area)
    if sy < 0:
        band.setTop(max(area.top(), legend.bottom() + 4))
    else:
        band.setBottom(min(area.bottom(), legend.top() - 4))
    return [r for r in (beside, band) if r.width() > 20 and r.height() > 20] or [area]
