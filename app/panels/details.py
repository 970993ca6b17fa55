"""The details panel: the selected service (or path) and its relations with their evidence."""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.corrections import retag_choices
from app.models import (
    REL_COL_TEXT,
    REL_COL_WHERE,
    EvidenceRole,
    RelationGroup,
    RelationsModel,
    ServiceIdRole,
)
from app.session import Session
from app.view_model import ViewModel
from graph_data.graph import degrees

__all__ = ["DetailsPanel", "EvidenceDelegate", "fit_place"]

_WRAP = QStyleOptionViewItem.ViewItemFeature.WrapText


def fit_place(metrics: QFontMetrics, file: str, line: int, width: int) -> str:
    """``file:line`` in at most ``width`` pixels: the file name is shortened, never the line.

    The folders go first, then the middle of the file's own name.
    """
    tail = f":{line}"
    base = file.replace("\\", "/").rsplit("/", 1)[-1]
    for name in (file, base):
        if metrics.horizontalAdvance(name + tail) <= width:
            return name + tail
    room = width - metrics.horizontalAdvance(tail)
    return metrics.elidedText(base, Qt.TextElideMode.ElideMiddle, max(room, 0)) + tail


class EvidenceDelegate(QStyledItemDelegate):
    """Draws relations and quotes word-wrapped in full, and each place as a ``file:line`` that fits.

    A tree view asks a delegate for a row's height without saying how wide the cell is, so the
    width is taken from the view's header here; the view must lay its rows out again when a
    column changes width.
    """

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Override QStyledItemDelegate::initStyleOption: wrap text, fit the place to the cell."""
        super().initStyleOption(option, index)
        # Next to a quote of many lines, its place belongs beside the first one.
        horizontal = option.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask
        option.displayAlignment = horizontal | Qt.AlignmentFlag.AlignTop
        if index.column() != REL_COL_WHERE:
            option.features |= _WRAP
            return
        # A hyphenated file name would wrap onto a second line instead of being shortened.
        option.features &= ~_WRAP
        evidence = index.data(EvidenceRole)
        width = option.rect.width() - 2 * self._margin(option) - 1
        if evidence is not None and evidence.line and width > 0:
            option.text = fit_place(option.fontMetrics, evidence.file, evidence.line, width)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Override QStyledItemDelegate::sizeHint: a text cell is as tall as its wrapped text."""
        opt = QStyleOptionViewItem(option)
        # The place column asks for its whole text (that sizes the column); it never wraps.
        wrapped = index.column() != REL_COL_WHERE
        opt.rect = QRect(0, 0, self._width(index), 1) if wrapped else QRect()
        return super().sizeHint(opt, index)

    def _width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        view = self._view
        head = view.header()
        parent = index.parent()
        if index.column() == REL_COL_TEXT and view.isFirstColumnSpanned(index.row(), parent):
            width = head.length()
        else:
            width = head.sectionSize(index.column())
        if head.visualIndex(index.column()) == 0:
            depth = 1 if parent.isValid() else 0
            width -= view.indentation() * (depth + int(view.rootIsDecorated()))
        return max(width, 1)

    def _margin(self, option: QStyleOptionViewItem) -> int:
        style = option.widget.style() if option.widget is not None else self._view.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, option.widget) + 1


class DetailsPanel(QWidget):
    """Name, category, description and aliases of a service, then its relations and evidence.

    It follows the view model: the selected service, else the path shown, else an overview
    of the graph.

    Signals:
        serviceClicked(str): the user picked a related service (its id).
        evidenceClicked(str, int): the user picked a piece of evidence (file, line).
        confirmRequested(str, str, str): confirm the relation (source, relation, target).
        hideRequested(str, str, str): hide the relation (source, relation, target).
        retagRequested(str, str, str, str): give the relation another type (the last argument).
        focusRequested(str): show only this service and its neighbours (its id).
    """

    serviceClicked = Signal(str)
    evidenceClicked = Signal(str, int)
    confirmRequested = Signal(str, str, str)
    hideRequested = Signal(str, str, str)
    retagRequested = Signal(str, str, str, str)
    focusRequested = Signal(str)

    def __init__(
        self,
        view_model: ViewModel | None = None,
        session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view_model = view_model if view_model is not None else ViewModel(self)
        self.view_model.selectionChanged.connect(self._follow)
        self.view_model.pathChanged.connect(self._follow)
        self.view_model.graphChanged.connect(self._follow)
        self.service: str | None = None
        self._graph = None
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.header.setTextFormat(self.header.textFormat().RichText)
        self.header.setAccessibleName("Selected service")
        self.header.linkActivated.connect(self._link)
        self.model = RelationsModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.delegate = EvidenceDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setUniformRowHeights(False)
        self.view.setIndentation(14)
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
        self._make_correction_tools()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.tools)
        layout.addStretch(0)
        self.show_message("Select a service on the graph or in the Services list.")
        if session is not None:
            corrector = session.corrector
            self.confirmRequested.connect(corrector.confirm)
            self.hideRequested.connect(corrector.hide)
            self.retagRequested.connect(corrector.retag)

    def _make_correction_tools(self) -> None:
        """Confirm / Hide / Change type for the current relation, as buttons and a context menu."""
        self.tools = QWidget(self)
        row = QHBoxLayout(self.tools)
        row.setContentsMargins(0, 0, 0, 0)
        self.confirm_button = self._tool("Confirm", "Confirm the current relation: it is right")
        self.hide_button = self._tool("Hide", "Hide the current relation: it is wrong")
        self.retag_button = self._tool("Change type", "Give the current relation another type")
        self.retag_menu = QMenu(self)
        self.retag_button.setMenu(self.retag_menu)
        self.retag_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.confirm_button.clicked.connect(lambda: self._request("confirm"))
        self.hide_button.clicked.connect(lambda: self._request("hide"))
        self.retag_menu.aboutToShow.connect(self._fill_retag_menu)
        for button in (self.confirm_button, self.hide_button, self.retag_button):
            row.addWidget(button)
        row.addStretch(1)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(self._update_tools)
        self.model.modelReset.connect(self._update_tools)
        self._update_tools()

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self.tools)
        button.setText(text)
        button.setToolTip(f"{tip} (pick it with the arrow keys, or right-click it)")
        button.setAccessibleName(tip)
        return button

    def current_group(self) -> RelationGroup | None:
        """The relation on the current row (or owning the current quote), if any."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        top = index.parent() if index.parent().isValid() else index
        group = self.model.group(top.row())
        return group if group.source else None

    def select_relation(self, other: str, relation: str) -> bool:
        """Make the relation to ``other`` of type ``relation`` the current row."""
        for row in range(self.model.rowCount()):
            group = self.model.group(row)
            if group.other == other and group.relation == relation:
                self.view.setCurrentIndex(self.model.index(row, REL_COL_TEXT))
                return True
        return False

    def request(self, action: str, new: str = "", order: tuple[str, str] | None = None) -> bool:
        """Ask for ``action`` ("confirm", "hide" or "retag" to ``new``) on the current relation.

        ``order`` gives the two services' order for a new "replaces" (successor first).
        """
        group = self.current_group()
        if group is None:
            return False
        edge = (group.source, group.relation, group.target)
        if action == "retag":
            first, second = order or (group.source, group.target)
            self.retagRequested.emit(first, group.relation, second, new)
        elif action == "confirm":
            self.confirmRequested.emit(*edge)
        else:
            self.hideRequested.emit(*edge)
        return True

    def _request(self, action: str) -> None:
        self.request(action)

    @Slot()
    def _update_tools(self) -> None:
        group = self.current_group()
        for button in (self.confirm_button, self.hide_button, self.retag_button):
            button.setEnabled(group is not None)
        self.tools.setVisible(self.model.rowCount() > 0)

    @Slot()
    def _fill_retag_menu(self) -> None:
        self.retag_menu.clear()
        group = self.current_group()
        if group is None:
            return
        choices = retag_choices(group.source, group.relation, group.target, self._name)
        for words, new, a, b in choices:
            action = self.retag_menu.addAction(words)
            action.triggered.connect(
                lambda _=False, new=new, a=a, b=b: self.request("retag", new, (a, b))
            )

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        if self.current_group() is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Confirm this relation", lambda: self._request("confirm"))
        menu.addAction("Hide this relation", lambda: self._request("hide"))
        self._fill_retag_menu()
        sub = menu.addMenu("Change type to")
        sub.addActions(self.retag_menu.actions())
        menu.popup(self.view.viewport().mapToGlobal(pos))

    @Slot(object)
    def _follow(self, _what: object = None) -> None:
        """Show what the view model holds: the path shown, else the selection, else the graph."""
        vm = self.view_model
        G = vm.graph
        if G is None:
            return
        if vm.path_steps:
            self.show_path(G, vm.path_steps, vm.path[0])
        elif vm.selection is not None:
            self.show_service(G, vm.selection)
        else:
            self.show_overview(G)

    def show_message(self, text: str) -> None:
        """Show a plain message and no relations."""
        self.service = None
        self.header.setText(f"<p>{html.escape(text)}</p>")
        self.model.set_service(None, None)
        self.view.hide()

    def show_service(self, G, sid: str) -> None:
        """Show service ``sid`` of ``G`` (shown again, it keeps the current relation)."""
        group = self.current_group() if self.service == sid else None
        self.service = sid
        self._graph = G
        d = G.nodes[sid]
        parts = [
            f"<h2 style='margin:0'>{html.escape(d.get('short', sid))}</h2>",
            f"<p><i>{html.escape(d.get('name', sid))}</i> · {html.escape(d.get('category', ''))}",
            f"<br>{d.get('mentions', 0)} mentions in {len(d.get('files', []))} files"
            f" · <a href='focus:{html.escape(sid, quote=True)}'>Focus on it</a></p>",
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
        if group is not None:
            self.select_relation(group.other, group.relation)

    def _name(self, sid: str) -> str:
        graph = self._graph
        return graph.nodes[sid].get("short", sid) if graph is not None and sid in graph else sid

    def show_path(self, G, steps, start: str | None = None) -> None:
        """Show a path from ``start``: its services in order, then each hop with its evidence."""
        self.service = None
        self.model.set_path(G, steps, start)
        names = [G.nodes[sid].get("short", sid) for sid in self.model.path()]
        self.header.setText(
            f"<h3 style='margin:0'>Path: {html.escape(' → '.join(names))}</h3>"
            f"<p>{len(steps)} hops; each with the notes that state it.</p>"
        )
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
        count = degrees(G)
        hubs = sorted(G, key=lambda n: (-count[n], str(n)))[:12]
        links = "".join(
            f"<li><a href='svc:{html.escape(n)}'>{html.escape(G.nodes[n].get('short', n))}</a>"
            f" — {count[n]} relations</li>"
            for n in hubs
            if count[n]
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
        elif link.startswith("focus:"):
            self.focusRequested.emit(link[6:])

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
