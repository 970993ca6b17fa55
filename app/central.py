"""The window's centre: the samples banner, the breadcrumb bar and the graph or a message."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.settings import icon
from app.view_model import ViewModel

__all__ = ["CentralArea"]


class CentralArea(QWidget):
    """The graph (or a message in its place), under the banner and the breadcrumb bar.

    The breadcrumb bar follows the view model's focus; its "All services" link leaves it.

    Signals:
        openRequested(): a button asked to open a notes folder.
    """

    openRequested = Signal()

    def __init__(
        self, canvas: QWidget, depth: QSpinBox, view_model: ViewModel, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.view_model = view_model
        self.banner = QFrame(self)
        self.banner.setObjectName("samplesBanner")
        self.banner.setStyleSheet(
            "#samplesBanner { background: #fff4cc; border-bottom: 1px solid #e0c060; }"
            "#samplesBanner QLabel { color: #3a3000; }"
        )
        banner_text = QLabel(
            "You are looking at the bundled <b>sample notes</b>. Open your own study notes "
            "to build your graph.",
            self.banner,
        )
        # Wrapping lets the window be narrower than the sentence.
        banner_text.setWordWrap(True)
        self.banner_button = QPushButton(icon("open"), "Open your notes folder…", self.banner)
        self.banner_button.setAccessibleName("Open your notes folder")
        self.banner_button.setToolTip("Choose the folder holding your notes (Ctrl+O)")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 4, 10, 4)
        row.addWidget(banner_text, 1)
        row.addWidget(self.banner_button)
        self.banner.hide()
        self.crumbs = QLabel(self)
        self.crumbs.setAccessibleName("Breadcrumb")
        self.crumbs.setToolTip("Click “All services” (or press Backspace) to leave the focus")
        self.crumb_bar = QFrame(self)
        row = QHBoxLayout(self.crumb_bar)
        row.setContentsMargins(10, 2, 10, 2)
        row.addWidget(self.crumbs, 1)
        row.addWidget(depth)
        self.crumb_bar.hide()
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("Message")
        self.empty_button = QPushButton(icon("open"), "Open a notes folder…", self)
        self.empty_button.setAccessibleName("Open a notes folder")
        self.empty_button.setToolTip("Choose another folder of notes (Ctrl+O)")
        empty_page = QWidget(self)
        col = QVBoxLayout(empty_page)
        col.addStretch(1)
        col.addWidget(self.empty)
        col.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(2)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(canvas)
        self.stack.addWidget(empty_page)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.banner)
        col.addWidget(self.crumb_bar)
        col.addWidget(self.stack, 1)
        self.banner_button.clicked.connect(self.openRequested)
        self.empty_button.clicked.connect(self.openRequested)
        self.crumbs.linkActivated.connect(lambda _link: view_model.back())
        view_model.focusChanged.connect(self._show_crumbs)
        view_model.graphChanged.connect(self._show_crumbs)

    def show_message(self, text: str, button: bool = True) -> None:
        """Put ``text`` (and, with ``button``, the open-a-folder button) where the graph was."""
        self.empty.setText(text)
        self.empty_button.setVisible(button)
        self.stack.setCurrentIndex(1)

    def show_graph(self) -> None:
        """Show the graph again in place of a message."""
        self.stack.setCurrentIndex(0)

    @Slot()
    def _show_crumbs(self) -> None:
        focus, G = self.view_model.focus, self.view_model.graph
        if focus is None or G is None:
            self.crumb_bar.hide()
            return
        name = html.escape(G.nodes[focus].get("short", focus))
        self.crumbs.setText(f"<a href='all'>All services</a> › <b>{name}</b>")
        self.crumb_bar.show()
