"""The search panel: a query box with results as you type, snippets with the matches marked."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.models import HitRole, SearchResultsModel, SnippetHtmlRole
from app.operations import OpChanges
from app.session import Session
from app.view_model import ViewModel
from graph_data.corrections import rejected_pairs

__all__ = ["DEBOUNCE_MS", "HtmlDelegate", "SearchPanel"]

#: How long typing must pause before the search runs.
DEBOUNCE_MS = 200


class HtmlDelegate(QStyledItemDelegate):
    """Paints an item's :data:`SnippetHtmlRole` as rich text, wrapped to the view's width."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        text = index.data(SnippetHtmlRole) or ""
        if option.state & QStyle.StateFlag.State_Selected:
            # Grey on the selection colour is unreadable; the selection's text colour is not.
            text = text.replace(" style='color:gray'", "")
        doc.setHtml(text)
        doc.setTextWidth(max(120, option.rect.width()))
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """Override QStyledItemDelegate::paint."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(opt.rect.translated(-opt.rect.topLeft()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """Override QStyledItemDelegate::sizeHint."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.widget is not None:
            # A little narrower than the paint width, so the height never comes out short.
            opt.rect.setWidth(opt.widget.viewport().width() - 6)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)


class SearchPanel(QWidget):
    """Query box, message line, "only services in results" toggle and the results list.

    The query and the toggle are the view model's (a restored view sets them here); the
    services the results mention go back to it as :attr:`ViewModel.found`. With a session, each
    build gives the panel its new index and the rejected pairs.

    Signals:
        resultsChanged(object): the latest ``SearchResults``, or None when the box is empty.
        hitActivated(object): the user picked a hit.
        onlyResultsToggled(bool): "show only services in results" changed.
    """

    resultsChanged = Signal(object)
    hitActivated = Signal(object)
    onlyResultsToggled = Signal(bool)

    def __init__(
        self,
        view_model: ViewModel | None = None,
        session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view_model = view_model if view_model is not None else ViewModel(self)
        self.index = None
        self.results = None
        self._names: dict[str, str] = {}
        self._rejected: frozenset[frozenset[str]] = frozenset()
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('Search: words, "a phrase", AND / OR / NOT, service:S3')
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Search the notes")
        self.query.setToolTip(
            'Ctrl+F. Results appear as you type. Words, "exact phrases", AND, OR, NOT, '
            "word* prefixes and service:NAME"
        )
        self.only = QCheckBox("Show only services in results", self)
        self.only.setAccessibleName("Show only services in results")
        self.only.setToolTip("Hide services that no result mentions")
        self.only.toggled.connect(self.onlyResultsToggled)
        self.only.toggled.connect(self.view_model.set_only_results)
        self.view_model.onlyResultsChanged.connect(self.only.setChecked)
        self.view_model.queryChanged.connect(self._query_set)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAccessibleName("Search message")
        self.model = SearchResultsModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(HtmlDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.setAccessibleName("Search results")
        self.view.setToolTip("Click a result to read it in the note and see its services")
        self.view.clicked.connect(self._picked)
        self.view.activated.connect(self._picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.only)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        self.query.textChanged.connect(self.timer.start)
        self.query.textChanged.connect(self.view_model.set_query)
        if session is not None:
            session.changed.connect(self.show_changes)

    @Slot(object)
    def show_changes(self, changes: OpChanges) -> None:
        """A build or a correction: the rejected pairs, and the new index or the same results."""
        G = changes.result.graph
        if changes.graph:
            self.set_rejected(rejected_pairs(changes.result.corrections, G))
            if not changes.index and self.results is not None:
                self._publish()
        if changes.index:
            self.set_index(
                changes.result.search, {n: d.get("short", n) for n, d in G.nodes(data=True)}
            )

    @Slot(str)
    def _query_set(self, text: str) -> None:
        # Typed here, the box already holds it; set elsewhere (a view), it runs at once.
        if text != self.query.text():
            self.query.setText(text)
            self.run()

    def _publish(self) -> None:
        self.view_model.set_found(self.services() if self.results is not None else None)
        self.resultsChanged.emit(self.results)

    def set_index(self, index, names: dict[str, str] | None = None) -> None:
        """Search ``index`` (a ``SearchIndex`` or None) from now on, and rerun the query."""
        self.index = index
        self._names = dict(names or {})
        self.run()

    @Slot()
    def run(self) -> None:
        """Run the query box's search now (queries take milliseconds, so on the UI thread)."""
        self.timer.stop()
        text = self.query.text().strip()
        if not text or self.index is None:
            self.results = None
            self.model.set_results(None)
            self.message.setText("" if text else _HELP)
            self._publish()
            return
        found = self.index.search(text, pagelen=50)
        self.results = found
        self.model.set_results(found, self._names)
        self.message.setText(html.escape(_describe(found)))
        self._publish()

    def set_rejected(self, pairs: frozenset[frozenset[str]]) -> None:
        """Pairs the user rejected: never offered together as related (see :meth:`services`)."""
        self._rejected = frozenset(pairs)

    def services(self) -> list[str]:
        """The services mentioned by the current results, less those of a rejected pair with a
        service the query names."""
        if self.results is None or self.index is None:
            return []
        return list(self.index.services_in(self.results, self._rejected))

    def clear(self) -> bool:
        """Empty the query box and its results; False when it was empty already."""
        if not self.query.text():
            return False
        self.query.clear()
        self.run()
        return True

    def start_typing(self) -> None:
        """Put the cursor in the query box, its text selected (Ctrl+F)."""
        self.query.setFocus()
        self.query.selectAll()

    def search_for(self, query: str) -> None:
        """Run ``query`` now, as if typed."""
        self.query.setText(query)
        self.run()

    def pick(self, row: int) -> None:
        """Select and open the result on ``row`` (as a click would)."""
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self._picked(index)

    @Slot(QModelIndex)
    def _picked(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is not None:
            self.hitActivated.emit(hit)


_HELP = (
    "Results appear as you type. You can write:<ul style='margin-left:-20px'>"
    "<li>words: <i>cold start</i></li>"
    '<li>a phrase: <i>"port mapping"</i></li>'
    "<li>AND, OR, NOT: <i>backup NOT glacier</i></li>"
    "<li>a prefix: <i>encrypt*</i></li>"
    "<li>a service, file or heading: <i>service:ECS</i>, <i>file:exam</i>, <i>heading:VPC</i></li>"
    "</ul>"
)


def _describe(found) -> str:
    parts = [found.message] if found.message else []
    if found.total:
        shown = len(found.hits)
        parts.append(
            f"{found.total} matches" + (f", best {shown} shown" if shown < found.total else "")
        )
    else:
        tip = f" Did you mean “{found.suggestion}”?" if found.suggestion else ""
        parts.append(f"No matches.{tip}")
    return " ".join(parts)
