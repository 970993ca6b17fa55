"""The legend: relation line styles and category colours, in a panel over the canvas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import networkx as nx
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from app.canvas.items import LIGHT, Theme
from graph_data.style import RELATION_STYLES, category_color

__all__ = ["Legend", "legend_content"]

#: How many categories the legend names, the most common first.
_LEGEND_CATEGORIES = 6


def legend_content(G: nx.MultiDiGraph, size_by: str) -> tuple[list[str], str]:
    """The legend's categories (most common first, the rest summed up) and its size note.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"category": "Storage"}), ("b", {"category": "Compute"})])
    >>> legend_content(G, "degree")
    (['Compute', 'Storage'], 'circle size: relations')
    """
    counts: dict[str, int] = defaultdict(int)
    for node in G:
        category = G.nodes[node].get("category")
        if category:
            counts[category] += 1
    categories = sorted(counts, key=lambda c: (-counts[c], c))
    if len(categories) > _LEGEND_CATEGORIES + 1:
        # A long legend pushes the graph into the corner below it; the Services panel
        # lists every category with its colour.
        rest = len(categories) - _LEGEND_CATEGORIES
        categories = [*categories[:_LEGEND_CATEGORIES], f"…and {rest} more (see Services)"]
    note = "circle size: relations" if size_by == "degree" else "circle size: mentions"
    return categories, note


class Legend(QWidget):
    """A small panel over the canvas: relation line styles and category colours.

    It is a column in a corner of the canvas or, as a strip (:meth:`set_strip`), rows of
    entries side by side across the canvas's width: the canvas picks whichever form costs
    the graph less room.

    Signals: none.
    """

    _ROW = 18.0
    _PAD = 8.0
    #: Space between two entries of a strip, in pixels.
    _GAP = 16.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._theme = LIGHT
        self._categories: list[str] = []
        self._size_note = "size: connections"
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self._title = QFont(self._font)
        self._title.setBold(True)
        self._picture: QPixmap | None = None
        self._strip: int | None = None
        self._relayout()

    def set_content(self, categories: Sequence[str], size_note: str) -> None:
        """Show these categories (most common first) and what a circle's size means."""
        self._categories = list(categories)
        self._size_note = size_note
        self._relayout()

    def set_theme(self, theme: Theme) -> None:
        """Follow the canvas's light or dark theme."""
        self._theme = theme
        self._picture = None
        self.update()

    def set_strip(self, width: int | None) -> None:
        """Lay the entries out in rows across ``width`` pixels, or (None) as a column."""
        if width != self._strip:
            self._strip = width
            self._relayout()

    def strip(self) -> int | None:
        """The strip's width, or None when the legend is a column."""
        return self._strip

    def column_size(self) -> QSizeF:
        """The legend's size as a column."""
        metrics = QFontMetricsF(self._title)
        entries = self._entries()
        text_w = max(metrics.horizontalAdvance(text) for _, _, text in entries)
        rows = len(entries) + 2  # two headings
        return QSizeF(int(self._PAD * 2 + 34 + text_w), int(self._PAD * 2 + rows * self._ROW))

    def strip_height(self, width: float) -> int:
        """The legend's height as a strip ``width`` pixels wide."""
        return int(self._PAD * 2 + len(self._flow(width)) * self._ROW)

    def _entries(self) -> list[tuple[str, object, str]]:
        """(kind, what, text) per entry: relation styles, categories, then the size note."""
        out: list[tuple[str, object, str]] = [
            ("relation", s, s.label) for s in RELATION_STYLES.values()
        ]
        for category in self._categories:
            out.append(("note" if category.startswith("…") else "category", category, category))
        out.append(("note", None, self._size_note))
        return out

    def _flow(self, width: float) -> list[list[tuple[tuple[str, object, str], float]]]:
        """The entries in rows no wider than ``width``, each with its x offset."""
        metrics = QFontMetricsF(self._title)
        rows: list[list[tuple[tuple[str, object, str], float]]] = [[]]
        x = self._PAD
        for entry in self._entries():
            w = 28 + metrics.horizontalAdvance(entry[2])
            if rows[-1] and x + w > width - self._PAD:
                rows.append([])
                x = self._PAD
            rows[-1].append((entry, x))
            x += w + self._GAP
        return rows

    def _relayout(self) -> None:
        if self._strip is None:
            self.resize(self.column_size().toSize())
        else:
            self.resize(self._strip, self.strip_height(self._strip))
        self._picture = None
        self.update()

    def resizeEvent(self, event) -> None:
        """Override QWidget::resizeEvent: the panel's picture is redrawn at the new size."""
        self._picture = None
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        """Override QWidget::paintEvent: blit the panel, drawn once per content or theme.

        The panel lies over the canvas's viewport, so it repaints with every canvas frame.
        """
        ratio = self.devicePixelRatioF()
        picture = self._picture
        if picture is None or picture.devicePixelRatio() != ratio:
            picture = QPixmap((QSizeF(self.size()) * ratio).toSize())
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            self._draw(picture)
            self._picture = picture
        p = QPainter(self)
        p.drawPixmap(0, 0, picture)
        p.end()

    def _draw(self, device: QPixmap) -> None:
        theme = self._theme
        p = QPainter(device)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(theme.panel_border)))
        p.setBrush(QColor(theme.panel))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if self._strip is not None:
            # A strip has no headings: the line samples and dots say what they are.
            for row, entries in enumerate(self._flow(self._strip)):
                for entry, x in entries:
                    self._entry(p, entry, x, self._PAD + row * self._ROW)
            p.end()
            return
        entries, relations = self._entries(), len(RELATION_STYLES)
        y = self._heading(p, "Relations", self._PAD)
        for entry in entries[:relations]:
            self._entry(p, entry, self._PAD, y)
            y += self._ROW
        y = self._heading(p, "Categories", y)
        for entry in entries[relations:]:
            self._entry(p, entry, self._PAD, y)
            y += self._ROW
        p.end()

    def _entry(self, p: QPainter, entry: tuple[str, object, str], x: float, y: float) -> None:
        kind, what, text = entry
        if kind == "relation":
            self._relation_row(p, what, x, y)
            return
        if kind == "category":
            p.setPen(QPen(QColor(category_color(what)).darker(140)))
            p.setBrush(QColor(category_color(what)))
            p.drawEllipse(QPointF(x + 12, y + self._ROW / 2), 5.5, 5.5)
        self._text(p, text, x, y, italic=kind == "note")

    def _heading(self, p: QPainter, text: str, y: float) -> float:
        p.setFont(self._title)
        p.setPen(QColor(self._theme.text))
        p.drawText(
            QRectF(self._PAD, y, self.width(), self._ROW), Qt.AlignmentFlag.AlignVCenter, text
        )
        return y + self._ROW

    def _text(self, p: QPainter, text: str, x: float, y: float, italic: bool = False) -> None:
        font = QFont(self._font)
        font.setItalic(italic)
        p.setFont(font)
        p.setPen(QColor(self._theme.text))
        box = QRectF(x + 28, y, self.width(), self._ROW)
        p.drawText(box, Qt.AlignmentFlag.AlignVCenter, text)

    def _relation_row(self, p: QPainter, style, x: float, y: float) -> None:
        mid = y + self._ROW / 2
        x0, x1 = x + 2, x + 22
        pen = QPen(QColor(style.color), 2.0)
        if style.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(x0, mid), QPointF(x1, mid))
        if style.arrow:
            head = QPainterPath(QPointF(x1 + 3, mid))
            head.lineTo(x1 - 5, mid - 4)
            head.lineTo(x1 - 5, mid + 4)
            head.closeSubpath()
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(style.color))
            p.drawPath(head)
        self._text(p, style.label, x, y)
