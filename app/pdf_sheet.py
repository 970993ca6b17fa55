"""The study sheet as a print-ready PDF: the graph as the canvas draws it, a legend, the tables.

Page 1 is the subgraph drawn by :class:`app.canvas.GraphCanvas` (as vector paths and text, not
a bitmap) with a legend under it; a service to emphasise (the focus of the export) is drawn as
the canvas draws a selection, its relations and neighbours emphasised and the rest dimmed. The
pages after it hold the same content as the Markdown and HTML sheets
(``graph_data.export.sheet.study_sheet``), laid out by a ``QTextDocument``, so every word is
real, extractable text. Note strings are untrusted: each is escaped before it reaches
the document's HTML, so ``<script>`` in a note prints as those eight characters.

The core cannot import Qt, so PDF lives here; ``app.cli`` hands :func:`write_pdf` to the core
command line.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import networkx as nx
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextOption,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractGraphicsShapeItem,
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
)

from graph_data import atomic
from graph_data.export import DEFAULT_TITLE, ExportError
from graph_data.export.sheet import (
    Comparison,
    RelationRow,
    ServiceSection,
    short_name,
    study_sheet,
)
from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES, category_color, relation_label

__all__ = [
    "BODY_SIZES",
    "ORPHAN_SHARE",
    "PAGE_SIZES",
    "PdfError",
    "last_page_share",
    "page_one_image",
    "paint_first_page",
    "sheet_html",
    "write_pdf",
]

#: Page size name -> Qt page size; the names the command line and the dialog offer.
PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
#: Device pixels per inch of the PDF: fine enough that text metrics are not rounded coarsely.
RESOLUTION = 300
#: Page margins in millimetres (within what every office printer can reach).
MARGIN_MM = 15.0
#: The body text's sizes (points): the regular one, then those tried to save a near-empty page.
BODY_SIZES = (9.5, 9.2, 8.9)
#: A last page filled less than this (share of a page) is worth a slightly smaller text.
ORPHAN_SHARE = 0.12
#: Canvas pixels drawn around the fitted view, so labels at its edges are not cut off.
LABEL_MARGIN = 56

Point = tuple[float, float]

# The application made for a command-line export, kept alive for the rest of the process.
_own_app: QApplication | None = None

# Note text may hold control characters a PDF text object should not carry.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PdfError(ExportError):
    """A PDF that cannot be written as asked (unknown page size, a painter that will not start)."""


def write_pdf(
    G: nx.MultiDiGraph,
    path: Path,
    *,
    title: str = DEFAULT_TITLE,
    page_size: str = "a4",
    positions: Mapping[str, Point] | None = None,
    emphasis: str | None = None,
) -> Path:
    """Write the PDF study sheet of ``G`` to ``path`` atomically and return the path.

    ``page_size`` is ``"a4"`` or ``"letter"``; ``positions`` (service id -> scene point, e.g.
    the window's canvas layout) places the services on page 1, the rest are laid out;
    ``emphasis`` (a service id, e.g. the focus) is drawn selected on page 1.
    Works without a display and creates the Qt application object when none exists.

    Raises
    ------
    PdfError
        When ``page_size`` is unknown or the PDF cannot be drawn.
    OSError
        When ``path`` cannot be written.
    """
    size = _page_size(page_size)
    _ensure_app()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(size),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(RESOLUTION)
    writer.setTitle(_clean(title))
    writer.setCreator("Service Atlas")
    painter = QPainter()
    if not painter.begin(writer):
        raise PdfError(f"cannot start drawing the PDF for {path}")
    try:
        _paint_document(painter, writer, G, title, positions, emphasis)
    finally:
        painter.end()
        buffer.close()
    path = Path(path)
    # A temporary file in the target folder renamed into place: never half a PDF.
    atomic.write_bytes(path, bytes(data.data()))
    return path


def page_one_image(
    G: nx.MultiDiGraph,
    *,
    title: str = DEFAULT_TITLE,
    page_size: str = "a4",
    dpi: int = 110,
    positions: Mapping[str, Point] | None = None,
    emphasis: str | None = None,
) -> QImage:
    """Page 1 of the PDF as a picture (white page, same drawing), e.g. to preview or check it."""
    _ensure_app()
    page = QPageSize(_page_size(page_size))
    full = page.rectPixels(dpi)
    image = QImage(full.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    margin = MARGIN_MM / 25.4 * dpi
    body = QRectF(full).adjusted(margin, margin, -margin, -margin)
    painter = QPainter(image)
    painter.translate(body.topLeft())
    paint_first_page(
        painter, QRectF(0, 0, body.width(), body.height()), G, title, positions, emphasis
    )
    painter.end()
    return image


def _page_size(name: str) -> QPageSize.PageSizeId:
    try:
        return PAGE_SIZES[str(name).lower()]
    except KeyError:
        raise PdfError(
            f"unknown page size {name!r}; choose one of {', '.join(PAGE_SIZES)}"
        ) from None


def _ensure_app() -> QApplication:
    """The running application, or a new one: the canvas is a widget and needs QApplication."""
    global _own_app
    app = QApplication.instance()
    if app is None:
        # Called from the command line: the PDF is drawn off screen, so no display is needed.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _own_app = QApplication(sys.argv[:1] or ["service-atlas"])
    elif not isinstance(app, QApplication):
        raise PdfError("drawing the PDF needs a QApplication, not a QGuiApplication")
    return app


# ---------------------------------------------------------------------- the pages


def _paint_document(
    painter: QPainter,
    writer: QPdfWriter,
    G: nx.MultiDiGraph,
    title: str,
    positions: Mapping[str, Point] | None,
    emphasis: str | None,
) -> None:
    paint = writer.pageLayout().paintRectPixels(writer.resolution())
    body = QRectF(0, 0, paint.width(), paint.height())
    footer_h = _footer_height(painter)
    content = QRectF(0, 0, body.width(), body.height() - footer_h)
    doc = _tables_document(G, title, writer, content, emphasis)
    table_pages = doc.pageCount()  # a full layout pass each time it is asked
    pages = 1 + table_pages
    paint_first_page(painter, content, G, title, positions, emphasis)
    _paint_footer(painter, body, title, 1, pages)
    for page in range(table_pages):
        writer.newPage()
        painter.save()
        # Each page shows the next slice of the one long laid-out document.
        painter.translate(0, -page * content.height())
        doc.drawContents(
            painter, QRectF(0, page * content.height(), content.width(), content.height())
        )
        painter.restore()
        _paint_footer(painter, body, title, page + 2, pages)


def _plain(font: QFont) -> QFont:
    """``font`` without ligatures: "fi" stays two letters when the PDF's text is copied."""
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def _font(painter: QPainter, points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    font = _plain(QFont(painter.font()))
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _footer_height(painter: QPainter) -> float:
    return QFontMetricsF(_font(painter, 8), painter.device()).height() * 2


def _paint_footer(painter: QPainter, body: QRectF, title: str, page: int, pages: int) -> None:
    painter.save()
    font = _font(painter, 8)
    painter.setFont(font)
    painter.setPen(QColor("#6b7280"))
    line_h = QFontMetricsF(font, painter.device()).height()
    box = QRectF(body.left(), body.bottom() - line_h, body.width(), line_h)
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, _clean(title))
    painter.drawText(
        box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{page} / {pages}"
    )
    painter.restore()


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
    title_font = _font(painter, 17, bold=True)
    painter.setFont(title_font)
    painter.setPen(QColor("#111827"))
    title_h = QFontMetricsF(title_font, device).height() * 1.3
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    title_box = painter.boundingRect(
        QRectF(rect.left(), rect.top(), rect.width(), 0), flags, _clean(title)
    )
    painter.drawText(title_box, flags, _clean(title))
    y = rect.top() + max(title_h, title_box.height())
    painter.setFont(_font(painter, 9.5))
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
        f"{_clean(short_name(G, emphasis))} and its relations stand out. " if emphasis else ""
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
    return QFontMetricsF(_font(painter, 8.5), painter.device()).height() * 1.45


def _legend_height(painter: QPainter, G: nx.MultiDiGraph) -> float:
    """Heading, the relation row, then a heading and three columns of categories."""
    categories = _legend_rows(G)
    rows = 2.5 + (1 + -(-len(categories) // 3) if categories else 0)
    return _legend_row(painter) * rows


def _paint_legend(painter: QPainter, rect: QRectF, G: nx.MultiDiGraph) -> None:
    """Relation line styles in one row, then the categories present, in three columns."""
    row = _legend_row(painter)
    heading = _font(painter, 9, bold=True)
    text = _font(painter, 8.5)
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
        painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, _clean(category))


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


# ---------------------------------------------------------------------- the tables


def _clean(text: object) -> str:
    return _CONTROL.sub("", str(text))


def _e(text: object) -> str:
    """Note text as inert HTML: escaped, control characters dropped."""
    return html.escape(_clean(text), quote=True)


def _tables_document(
    G: nx.MultiDiGraph,
    title: str,
    device: QPaintDevice,
    content: QRectF,
    focus: str | None = None,
) -> QTextDocument:
    """The tables laid out in pages; the text a little smaller when that saves a near-empty page.

    A last page holding a line or two (less than :data:`ORPHAN_SHARE` of a page) is paper
    for nothing: the body text then tries slightly smaller sizes, and the first that pulls
    those lines back onto the page before is kept.
    """
    regular = _layout(G, title, device, content, focus, BODY_SIZES[0])
    pages = regular.pageCount()
    if pages == 1 or last_page_share(regular, content) >= ORPHAN_SHARE:
        return regular
    for size in BODY_SIZES[1:]:
        doc = _layout(G, title, device, content, focus, size)
        if doc.pageCount() < pages:
            return doc
    return regular


def last_page_share(doc: QTextDocument, content: QRectF) -> float:
    """How much of its last page a laid-out document fills (0 to 1)."""
    used = doc.size().height() - (doc.pageCount() - 1) * content.height()
    return max(0.0, min(1.0, used / content.height()))


def _layout(
    G: nx.MultiDiGraph,
    title: str,
    device: QPaintDevice,
    content: QRectF,
    focus: str | None,
    size: float,
) -> QTextDocument:
    doc = QTextDocument()
    # Lay the text out with the PDF's own font metrics, one page per content rectangle.
    doc.documentLayout().setPaintDevice(device)
    option = QTextOption(doc.defaultTextOption())
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    font = _plain(QFont())
    font.setPointSizeF(size)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(_CSS)
    doc.setPageSize(content.size())
    doc.setHtml(sheet_html(G, title, focus))
    return doc


_CSS = """
h1 { font-size: 15pt; color: #111827; }
h2 { font-size: 13pt; color: #111827; margin-top: 14px; }
h3 { font-size: 11.5pt; color: #111827; margin-top: 12px; margin-bottom: 2px; }
h4 { font-size: 10pt; margin-top: 6px; margin-bottom: 2px; }
p.meta { color: #4b5563; margin-top: 0; }
p.none { color: #6b7280; font-style: italic; }
p.where { color: #4b5563; font-style: italic; white-space: nowrap;
          margin-top: 3px; margin-bottom: 0; }
p.quote { margin-top: 0; margin-bottom: 3px; }
p.other { font-weight: bold; margin: 0; }
p.conf { color: #6b7280; font-size: 8pt; margin: 0; }
div.compare { margin-left: 12px; }
"""


def sheet_html(G: nx.MultiDiGraph, title: str, focus: str | None = None) -> str:
    """The tables of the PDF sheet as the small HTML subset ``QTextDocument`` lays out."""
    sheet = study_sheet(G, title, focus)
    parts = [f"<h1>{_e(sheet.title)}</h1>", "<h2>Services</h2>"]
    parts += [_section_html(s) for s in sheet.sections]
    if not sheet.sections:
        parts.append("<p class='none'>No services in this export.</p>")
    if sheet.comparisons:
        parts.append("<h2>Compare</h2>")
        parts += [_comparison_html(c) for c in sheet.comparisons]
    return "\n".join(parts)


def _section_html(s: ServiceSection) -> str:
    color = category_color(s.category)
    parts = [
        f"<h3><span style='color:{color}'>&#9679;</span> {_e(s.short)}</h3>",
        f"<p class='meta'><b>{_e(s.name)}</b> · {_e(s.category)}</p>",
    ]
    if s.description:
        parts.append(f"<p>{_e(s.description)}</p>")
    if not s.rows:
        parts.append("<p class='none'>No relations in this export.</p>")
        return "\n".join(parts)
    for relation in RELATIONS:
        rows = [r for r in s.rows if r.relation == relation]
        labels = sorted({r.label for r in rows}, key=lambda label: label != relation)
        for label in labels:
            style = RELATION_STYLES[relation]
            group = [r for r in rows if r.label == label]
            parts.append(f"<h4 style='color:{style.color}'>{_e(label.split(' (')[0])}</h4>")
            parts.append(_rows_table(group))
    return "\n".join(parts)


def _rows_table(rows: list[RelationRow]) -> str:
    body = [
        f"<tr><td width='24%'><p class='other'>{_e(r.other_short)}</p>"
        f"<p class='conf'>confidence {r.confidence:.2f}</p></td>"
        f"<td width='76%'>{_row_evidence(r)}</td></tr>"
        for r in rows
    ]
    return f"<table width='100%' cellspacing='0' cellpadding='4'>{''.join(body)}</table>"


def _row_evidence(r: RelationRow) -> str:
    if r.quoted_under:
        n = len(r.evidence)
        return (
            f"<p class='none'>{n} passage{'s' * (n != 1)}, quoted under {_e(r.quoted_under)}.</p>"
        )
    if not r.quoted_above:
        return _evidence_html(r.evidence)
    fresh = _evidence_html(r.fresh) if r.fresh else ""
    places = ", ".join(_e(e.where) for e in r.quoted_above)
    return f"{fresh}<p class='none'>{places}, quoted above.</p>"


def _evidence_html(evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return "<p class='none'>No quoted evidence.</p>"
    # The file:line sits on a line of its own that never wraps, so it reads (and extracts)
    # as one piece; the quote wraps below it.
    return "".join(
        f"<p class='where'>{_e(e.where)}</p><p class='quote'>“{_e(e.text)}”</p>" for e in evidence
    )


def _comparison_html(c: Comparison) -> str:
    parts = [f"<h3>{_e(c.title)}</h3>"]
    if c.evidence:
        parts.append(f"<div class='compare'>{_evidence_html(c.evidence)}</div>")
    if c.quoted_under:
        names = ", ".join(_e(t) for t in c.quoted_under)
        more = "More passages" if c.evidence else "Its passages are quoted"
        parts.append(f"<p class='none'>{more} under {names}.</p>")
    elif not c.evidence:
        parts.append("<p class='none'>No passage contrasts them directly.</p>")
    return "\n".join(parts)
