"""Page 1 of the PDF: the title, the graph as the canvas draws it (as vectors), and a legend.

The subgraph is drawn by the canvas's own :class:`app.canvas.GraphScene`, as vector paths and
text, not a bitmap; a service to emphasise (the focus of the export) is drawn as the canvas
draws a selection, its relations and neighbours emphasised and the rest dimmed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import networkx as nx
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractGraphicsShapeItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
)

from app.pdf_tables import clean, plain
from graph_data.export.sheet import short_name
from graph_data.records import RELATIONS
from graph_data.style import RELATION_STYLES, category_color, relation_label

__all__ = ["LABEL_MARGIN", "paint_first_page", "print_font"]

#: Canvas pixels drawn around the fitted view, so labels at its edges are not cut off.
LABEL_MARGIN = 56

Point = tuple[float, float]


def print_font(
    painter: QPainter, points: float, *, bold: bool = False, italic: bool = False
) -> QFont:
    """A ``points``-sized font of ``painter``'s, without ligatures."""
    font = plain(QFont(painter.font()))
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def paint_first_page(
    painter: QPainter,
    rect: QRectF,
    G: nx.MultiDiGraph,
    title: str,
    positions: Mapping[str, Point] | None = None,
    emphasis: str | None = None,
) -> None:
    """Draw page 1 into ``rect``: title, the graph as the canvas draws it, and the legend.

    ``emphasis`` is a service drawn as the canvas draws the selected one (none when not in G).
    """
    if emphasis not in G:
        emphasis = None
    device = painter.device()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    title_font = print_font(painter, 17, bold=True)
    painter.setFont(title_font)
    painter.setPen(QColor("#111827"))
    title_h = QFontMetricsF(title_font, device).height() * 1.3
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    title_box = painter.boundingRect(
        QRectF(rect.left(), rect.top(), rect.width(), 0), flags, clean(title)
    )
    painter.drawText(title_box, flags, clean(title))
    y = rect.top() + max(title_h, title_box.height())
    painter.setFont(print_font(painter, 9.5))
    painter.setPen(QColor("#4b5563"))
    text = _summary(G, emphasis)
    summary = painter.boundingRect(QRectF(rect.left(), y, rect.width(), 0), flags, text)
    painter.drawText(summary, flags, text)
    gap = QFontMetricsF(painter.font(), device).height()
    y = summary.bottom() + gap * 0.8
    legend_h = _legend_height(painter, G)
    picture = QRectF(rect.left(), y, rect.width(), rect.bottom() - y - legend_h - gap)
    _paint_graph(painter, picture, G, positions, emphasis)
    _paint_legend(painter, QRectF(rect.left(), picture.bottom() + gap, rect.width(), legend_h), G)
    painter.restore()


def _summary(G: nx.MultiDiGraph, emphasis: str | None = None) -> str:
    n, m = G.number_of_nodes(), G.number_of_edges()
    per_type = [r for *_, r in G.edges(data="relation")]
    counts = [f"{per_type.count(rel)} {relation_label(rel)}" for rel in RELATIONS]
    # Without a word, a reader could take the dimmed services for missing or weak ones.
    stands_out = (
        f"{clean(short_name(G, emphasis))} and its relations stand out. " if emphasis else ""
    )
    return (
        f"{n} service{'s' * (n != 1)}, {m} relation{'s' * (m != 1)} ({', '.join(counts)}). "
        f"{stands_out}Tables of the services, their relations and the evidence follow."
    )


def _paint_graph(
    painter: QPainter,
    target: QRectF,
    G: nx.MultiDiGraph,
    positions: Mapping[str, Point] | None,
    emphasis: str | None = None,
) -> None:
    """The canvas's own drawing of ``G``, scaled into ``target`` as vector paths and text."""
    from app.canvas import GraphScene, frame

    painter.save()
    painter.setPen(QPen(QColor("#d1d5db"), 0))
    painter.setBrush(QColor("#fbfbfd"))
    painter.drawRect(target)
    if G.number_of_nodes() == 0:
        painter.setPen(QColor("#6b7280"))
        painter.drawText(target, Qt.AlignmentFlag.AlignCenter, "No services in this export.")
        painter.restore()
        return
    # One canvas pixel is one screen pixel of paper (1/96 in at the usual 96 dpi), so circles,
    # lines and labels keep the proportions they have on screen.
    screen = QGuiApplication.primaryScreen()
    screen_dpi_x, screen_dpi_y = screen.logicalDotsPerInchX(), screen.logicalDotsPerInchY()
    device = painter.device()
    per_px = device.logicalDpiX() / screen_dpi_x
    margin = LABEL_MARGIN
    width = max(160, round(target.width() / per_px) - 2 * margin)
    height = max(120, round(target.height() / per_px) - 2 * margin)
    with _light_labels():
        scene = GraphScene(dark=False)
        try:
            _pixel_sized_labels(screen_dpi_y)
            known = {n: positions[n] for n in G if positions and n in positions}
            scene.set_graph(G, known or None)
            if emphasis is not None:
                # The canvas's own selection look; before _for_print widens its focus pens.
                scene.set_selected(emphasis)
            # Fits the graph and places the labels, as the canvas does in a viewport this size.
            to_pixels = frame(scene, QSizeF(width, height))
            # Labels keep their pixel width, so the fit (which frames the circles) can leave a
            # label at the edge half outside: take a margin of the scene around the picture too.
            source = QRectF(-margin, -margin, width + 2 * margin, height + 2 * margin)
            scale = min(target.width() / source.width(), target.height() / source.height())
            _for_print(scene, scale, to_pixels.m11())
            painter.setClipRect(target)
            scene_source = to_pixels.inverted()[0].mapRect(source)
            scene.render(painter, target, scene_source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            scene.deleteLater()
    painter.restore()


@contextlib.contextmanager
def _light_labels() -> Iterator[None]:
    """Light labels for the paper, then the app's own label theme back.

    Label fonts and colours are shared by every canvas (class attributes of ``LabelItem``);
    the window's canvas may be dark and must not lose its theme to a printout.
    """
    from app.canvas.items import LabelItem

    names = ("_font", "_minor_font", "_bold", "_text_pen", "_halo", "_leader_pen")
    saved = {name: getattr(LabelItem, name, None) for name in names}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is not None:
                setattr(LabelItem, name, value)


def _pixel_sized_labels(dpi: float) -> None:
    """Label fonts sized in canvas pixels, so they scale with the page as the circles do.

    A font sized in points is drawn at the paint device's resolution: at 300 dpi its text came
    out three times the size of the halo measured for it on screen.
    """
    from app.canvas.items import LabelItem

    for name in ("_font", "_minor_font", "_bold"):
        font = QFont(getattr(LabelItem, name))
        if font.pointSizeF() > 0:
            font.setPixelSize(max(1, round(font.pointSizeF() * dpi / 72)))
        setattr(LabelItem, name, font)


def _for_print(scene: QGraphicsScene, scale: float, zoom: float) -> None:
    """Make the scene draw as vectors at the page's scale.

    The canvas caches edge batches as device pixmaps (fast hover on screen), which would land
    in the PDF as bitmaps; and its cosmetic pens are one screen pixel wide, which at 300 dpi
    would be a hairline. ``scale`` is device pixels per canvas pixel, ``zoom`` the view's.

    Labels keep their pixel size on screen by ignoring the view's zoom; drawn into the PDF
    that way, their offset from the circle and their halo missed the page's scale and landed on
    the circles. Here they are scaled by the inverse zoom instead: the same size, as vectors.
    """
    from app.canvas.items import LabelItem

    ignores = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    for item in scene.items():
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if isinstance(item, QGraphicsPathItem) and item.path().isEmpty():
            # An empty batch (no arrowheads of a type) printed "h f" with no path to close.
            item.hide()
        if isinstance(item, LabelItem) and item.flags() & ignores and zoom > 0:
            item.setFlag(ignores, False)
            item.setTransform(QTransform.fromScale(1 / zoom, 1 / zoom))
        if isinstance(item, QAbstractGraphicsShapeItem) and item.pen().isCosmetic():
            pen = QPen(item.pen())
            pen.setWidthF(max(pen.widthF(), 1.0) * scale)
            item.setPen(pen)


def _legend_rows(G: nx.MultiDiGraph) -> list[str]:
    counts: dict[str, int] = {}
    for _, category in G.nodes(data="category"):
        if category:
            counts[category] = counts.get(category, 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))


def _legend_row(painter: QPainter) -> float:
    return QFontMetricsF(print_font(painter, 8.5), painter.device()).height() * 1.45


def _legend_height(painter: QPainter, G: nx.MultiDiGraph) -> float:
    """Heading, the relation row, then a heading and three columns of categories."""
    categories = _legend_rows(G)
    rows = 2.5 + (1 + -(-len(categories) // 3) if categories else 0)
    return _legend_row(painter) * rows


def _paint_legend(painter: QPainter, rect: QRectF, G: nx.MultiDiGraph) -> None:
    """Relation line styles in one row, then the categories present, in three columns."""
    row = _legend_row(painter)
    heading = print_font(painter, 9, bold=True)
    text = print_font(painter, 8.5)
    y = rect.top()
    painter.setFont(heading)
    painter.setPen(QColor("#111827"))
    painter.drawText(
        QRectF(rect.left(), y, rect.width(), row), Qt.AlignmentFlag.AlignVCenter, "Legend"
    )
    y += row
    sample = row * 1.6
    column = rect.width() / 3
    for i, relation in enumerate(RELATIONS):
        style = RELATION_STYLES[relation]
        x = rect.left() + i * column
        _relation_sample(painter, style, QPointF(x, y + row / 2), sample)
        painter.setFont(text)
        painter.setPen(QColor("#111827"))
        box = QRectF(x + sample + row * 0.4, y, column - sample - row * 0.4, row)
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, style.label)
    y += row * 1.5
    categories = _legend_rows(G)
    if not categories:
        return
    painter.setFont(heading)
    painter.drawText(
        QRectF(rect.left(), y, rect.width(), row),
        Qt.AlignmentFlag.AlignVCenter,
        "Categories (circle size: relations)",
    )
    y += row
    per_column = -(-len(categories) // 3)
    radius = row * 0.22
    painter.setFont(text)
    for i, category in enumerate(categories):
        x = rect.left() + (i // per_column) * column
        cy = y + (i % per_column) * row
        color = QColor(category_color(category))
        painter.setPen(QPen(color.darker(140), 0))
        painter.setBrush(color)
        painter.drawEllipse(QPointF(x + radius * 2, cy + row / 2), radius, radius)
        painter.setPen(QColor("#111827"))
        box = QRectF(x + radius * 5, cy, column - radius * 5, row)
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, clean(category))


def _relation_sample(painter: QPainter, style, left: QPointF, length: float) -> None:
    painter.save()
    pen = QPen(QColor(style.color), max(1.0, length / 14))
    if style.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    end = QPointF(left.x() + length, left.y())
    painter.drawLine(left, end)
    if style.arrow:
        size = length / 4
        head = QPainterPath(QPointF(end.x() + size * 0.3, end.y()))
        head.lineTo(end.x() - size * 0.7, end.y() - size * 0.45)
        head.lineTo(end.x() - size * 0.7, end.y() + size * 0.45)
        head.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.color))
        painter.drawPath(head)
    painter.restore()
