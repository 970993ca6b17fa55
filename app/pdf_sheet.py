"""The study sheet as a print-ready PDF: the graph as the canvas draws it, a legend, the tables.

This writes the pages: page 1 (:mod:`app.pdf_first_page`: the subgraph as the canvas draws it,
as vectors, with a legend under it), then the tables (:mod:`app.pdf_tables`: the same content
as the Markdown and HTML sheets, real extractable text), each page with a footer.

The core cannot import Qt, so PDF lives here; ``app.cli`` hands :func:`write_pdf` to the core
command line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QApplication

from app.pdf_first_page import paint_first_page, print_font
from app.pdf_tables import clean, tables_document
from graph_data import atomic
from graph_data.export import DEFAULT_TITLE, ExportError

__all__ = ["MARGIN_MM", "PAGE_SIZES", "RESOLUTION", "PdfError", "page_one_image", "write_pdf"]

#: Page size name -> Qt page size; the names the command line and the dialog offer.
PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
#: Device pixels per inch of the PDF: fine enough that text metrics are not rounded coarsely.
RESOLUTION = 300
#: Page margins in millimetres (within what every office printer can reach).
MARGIN_MM = 15.0

Point = tuple[float, float]

# The application made for a command-line export, kept alive for the rest of the process.
_own_app: QApplication | None = None


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
    writer.setTitle(clean(title))
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
    doc = tables_document(G, title, writer, content, emphasis)
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


def _footer_height(painter: QPainter) -> float:
    return QFontMetricsF(print_font(painter, 8), painter.device()).height() * 2


def _paint_footer(painter: QPainter, body: QRectF, title: str, page: int, pages: int) -> None:
    painter.save()
    font = print_font(painter, 8)
    painter.setFont(font)
    painter.setPen(QColor("#6b7280"))
    line_h = QFontMetricsF(font, painter.device()).height()
    box = QRectF(body.left(), body.bottom() - line_h, body.width(), line_h)
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, clean(title))
    painter.drawText(
        box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{page} / {pages}"
    )
    painter.restore()
