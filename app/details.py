"""The details panel: the selected service (or path) and its relations with their evidence."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from app.models import REL_COL_TEXT, REL_COL_WHERE, EvidenceRole, RelationsModel, ServiceIdRole

__all__ = ["DetailsPanel"]


class DetailsPanel(QWidget):
    """Name, category, description and aliases of a service, then its relations and evidence.

    Signals:
        serviceClicked(str): the user picked a related service (its id).
        evidenceClicked(str, int): the user picked a piece of evidence (file, line).
    """

    serviceClicked = Signal(str)
    evidenceClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service: str | None = None
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.header.setTextFormat(self.header.textFormat().RichText)
        self.header.setAccessibleName("Selected service")
        self.header.linkActivated.connect(self._link)
        self.model = RelationsModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setUniformRowHeights(False)
        self.view.setIndentation(14)
        # Eliding in the middle keeps a cut place's line number (and a quote's end) readable.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setAccessibleName("Relations and evidence")
        self.view.setToolTip(
            "Click a relation to select that service; click a quote to read it in the note"
        )
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        head = self.view.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(REL_COL_TEXT, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(REL_COL_WHERE, QHeaderView.ResizeMode.Interactive)
        # Wrapped rows must be measured again when the quote column changes width.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.view.doItemsLayout)
        head.sectionResized.connect(self._relayout.start)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addStretch(0)
        self.show_message("Select a service on the graph or in the Services list.")

    def show_message(self, text: str) -> None:
        """Show a plain message and no relations."""
        self.service = None
        self.header.setText(f"<p>{html.escape(text)}</p>")
        self.model.set_service(None, None)
        self.view.hide()

    def show_service(self, G, sid: str) -> None:
        """Show service ``sid`` of ``G``."""
        self.service = sid
        d = G.nodes[sid]
        parts = [
            f"<h2 style='margin:0'>{html.escape(d.get('short', sid))}</h2>",
            f"<p><i>{html.escape(d.get('name', sid))}</i> · {html.escape(d.get('category', ''))}",
            f"<br>{d.get('mentions', 0)} mentions in {len(d.get('files', []))} files</p>",
        ]
        if d.get("description"):
            parts.append(f"<p>{html.escape(d['description'])}</p>")
        if d.get("aliases"):
            parts.append(f"<p>Also written: {html.escape(', '.join(d['aliases']))}</p>")
        self.model.set_service(G, sid)
        self.view.setVisible(self.model.rowCount() > 0)
        if not self.model.rowCount():
            parts.append("<p>No relations found for this service in these notes.</p>")
        self.header.setText("".join(parts))
        self._fit()

    def show_path(self, G, steps) -> None:
        """Show a path: its services in order, then each hop with its evidence."""
        self.service = None
        names = [G.nodes[steps[0].source]["short"]] + [G.nodes[s.target]["short"] for s in steps]
        self.header.setText(
            f"<h3 style='margin:0'>Path: {html.escape(' → '.join(names))}</h3>"
            f"<p>{len(steps)} hops; each with the notes that state it.</p>"
        )
        self.model.set_path(G, steps)
        self.view.show()
        self._fit()

    def show_overview(self, G) -> None:
        """Nothing selected: the graph's size and its most connected services as links."""
        self.service = None
        self.model.set_service(None, None)
        self.view.hide()
        if G.number_of_nodes() == 0:
            self.header.setText("<p>No services to show yet: open a folder of AWS notes.</p>")
            return
        hubs = sorted(G, key=lambda n: (-G.degree(n), str(n)))[:12]
        links = "".join(
            f"<li><a href='svc:{html.escape(n)}'>{html.escape(G.nodes[n].get('short', n))}</a>"
            f" — {G.degree(n)} relations</li>"
            for n in hubs
            if G.degree(n)
        )
        self.header.setText(
            f"<p>{G.number_of_nodes()} services and {G.number_of_edges()} relations. "
            "Click a service on the graph, in the Services list or below to see how it "
            "relates to others, with the sentences of your notes that say so.</p>"
            + (f"<p><b>Most connected</b></p><ul>{links}</ul>" if links else "")
        )

    @Slot(str)
    def _link(self, link: str) -> None:
        if link.startswith("svc:"):
            self.serviceClicked.emit(link[4:])

    def _fit(self) -> None:
        self.view.expandAll()
        for row in range(self.model.rowCount()):
            # A relation's label reads best across the full width; its quotes carry file:line.
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
        # Long file names must not squeeze the quotes: the place column gets at most a third.
        wanted = self.view.sizeHintForColumn(REL_COL_WHERE) + 8
        self.view.header().resizeSection(REL_COL_WHERE, min(wanted, self.view.width() // 3))
        self._relayout.start()

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        evidence = index.data(EvidenceRole)
        if evidence is None:
            self.serviceClicked.emit(index.data(ServiceIdRole))
        elif evidence.line:
            self.evidenceClicked.emit(evidence.file, evidence.line)
