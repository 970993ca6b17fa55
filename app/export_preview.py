"""The export dialog's live preview: the counts, the services and relations listed, a picture.

The picture is drawn by the main canvas's own :class:`~app.canvas.GraphScene`, so it looks as
the canvas and the PDF draw the graph. It is the slow part of the preview, so a burst of
changes draws it once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from graph_data.export.sheet import short_name
from graph_data.style import relation_label

if TYPE_CHECKING:
    from app.canvas import GraphScene

__all__ = ["PREVIEW_ROWS", "THUMBNAIL", "ExportPreview", "PreviewModel"]

#: Size of the preview picture of the subgraph, in pixels.
THUMBNAIL = QSize(280, 190)
#: Rows listed in each preview list (the count above it is always exact).
PREVIEW_ROWS = 400

Point = tuple[float, float]


class ExportPreview(QGroupBox):
    """What an export will hold: how many services and relations, their lists and a picture.

    ``positions`` places the pictured services as the canvas does; ``selected`` is drawn as
    the canvas draws the selection, when the export holds it.

    Signals:
        none: the dialog reports the counts (``previewChanged``).
    """

    def __init__(
        self,
        positions: Mapping[str, Point],
        selected: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Preview", parent)
        self._positions = dict(positions)
        self._selected = selected
        # The picture is the slow part of the preview: clicks in quick succession draw it once.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(80)
        self._timer.timeout.connect(self._draw_pending)
        self._pending: nx.MultiDiGraph | None = None
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Export size")
        self.thumbnail = QLabel(self)
        self.thumbnail.setFixedSize(THUMBNAIL)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setAccessibleName("Picture of the services to export")
        self.services_model = PreviewModel(self)
        self.relations_model = PreviewModel(self)
        self.services_list = self._list(self.services_model, "Services to export")
        self.relations_list = self._list(self.relations_model, "Relations to export")
        #: The scene the picture is drawn from (made with the first picture).
        self.scene: GraphScene | None = None
        grid = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.thumbnail)
        top.addWidget(self.count_label, 1)
        grid.addLayout(top)
        lists = QHBoxLayout()
        lists.addWidget(self.services_list)
        lists.addWidget(self.relations_list, 2)
        grid.addLayout(lists, 1)

    def _list(self, model: PreviewModel, name: str) -> QListView:
        view = QListView(self)
        view.setModel(model)
        view.setAccessibleName(name)
        view.setUniformItemSizes(True)
        view.setAlternatingRowColors(True)
        return view

    def show_graph(self, sub: nx.MultiDiGraph) -> None:
        """Recount and relist ``sub``'s services and relations; its picture follows shortly."""
        n, m = sub.number_of_nodes(), sub.number_of_edges()
        self.count_label.setText(
            f"<b>{n}</b> service{'s' * (n != 1)} and <b>{m}</b> relation{'s' * (m != 1)} "
            "will be exported."
        )
        names = sorted((short_name(sub, s) for s in sub), key=str.lower)
        self.services_model.set_lines(names)
        self.relations_model.set_lines(sorted(_relation_lines(sub), key=str.lower))
        self._pending = sub
        self._timer.start()

    def pixmap(self) -> QPixmap:
        """The picture of the last graph shown (empty when nothing would be exported)."""
        self._draw_pending()
        return self.thumbnail.pixmap()

    @Slot()
    def _draw_pending(self) -> None:
        self._timer.stop()
        if self._pending is not None:
            sub, self._pending = self._pending, None
            self._draw(sub)

    def _draw(self, sub: nx.MultiDiGraph) -> None:
        from app.canvas import GraphScene, render_picture

        if sub.number_of_nodes() == 0:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText("Nothing to export")
            return
        if self.scene is None:
            # The main canvas's own scene type: the picture is drawn as the canvas draws it.
            self.scene = GraphScene(self)
        known = {n: self._positions[n] for n in sub if n in self._positions}
        self.scene.set_graph(sub, known or None)
        if self._selected in sub:
            self.scene.set_selected(self._selected)
        image = render_picture(self.scene, THUMBNAIL.width() * 2, THUMBNAIL.height() * 2)
        pixmap = QPixmap.fromImage(image).scaled(
            THUMBNAIL,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.thumbnail.setPixmap(pixmap)


class PreviewModel(QAbstractListModel):
    """Plain lines of text: the services or the relations an export will hold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: tuple[str, ...] = ()

    def set_lines(self, lines: list[str]) -> None:
        """Show these lines (the first :data:`PREVIEW_ROWS`, then how many more there are)."""
        self.beginResetModel()
        shown = list(lines[:PREVIEW_ROWS])
        if len(lines) > PREVIEW_ROWS:
            shown.append(f"…and {len(lines) - PREVIEW_ROWS} more")
        self._lines = tuple(shown)
        self.endResetModel()

    def lines(self) -> list[str]:
        """The lines shown."""
        return list(self._lines)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._lines)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._lines[index.row()]
        return None


def _relation_lines(G: nx.MultiDiGraph) -> list[str]:
    """One readable line per relation: "SNS integrates with SQS"."""
    lines = []
    for u, v, relation in G.edges(data="relation"):
        lines.append(f"{short_name(G, u)} {relation_label(relation)} {short_name(G, v)}")
    return lines
