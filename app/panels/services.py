"""The Services panel: every service of the graph by category, a filter box, and the selection."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.models import COL_MENTIONS, COL_NAME, ServiceIdRole, ServicesModel, SortRole
from app.operations import OpChanges
from app.session import Session
from app.view_model import ViewModel

__all__ = ["ServicesPanel"]


class ServicesPanel(QWidget):
    """A filter box over the tree of services by category; its current row is the selection.

    Picking a row selects that service in the view model, and the view model's selection is
    the current row (the panel does not echo the row it sets back). Clicking the current row
    again selects it again, so the canvas brings it back into view.

    Signals:
        none: a picked row reports through the view model's ``selectionChanged``.
    """

    def __init__(
        self,
        view_model: ViewModel | None = None,
        session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view_model = view_model if view_model is not None else ViewModel(self)
        self.model = ServicesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter services")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter services")
        self.filter.setToolTip("Show only services whose name contains this text")
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_MENTIONS, Qt.SortOrder.DescendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setAccessibleName("Services by category")
        self.view.setToolTip("Services found in the notes, by category; click to select")
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.filter)
        col.addWidget(self.view, 1)
        self.filter.textChanged.connect(self._filter)
        self._following = False
        self.view.selectionModel().currentChanged.connect(self._picked)
        self.view.clicked.connect(self._clicked)
        self.view_model.selectionChanged.connect(self._follow)
        if session is not None:
            session.changed.connect(self.show_changes)

    @Slot(object)
    def show_changes(self, changes: OpChanges) -> None:
        """A build or a correction: list its graph's services, the selection kept."""
        if not changes.graph:
            return
        self.model.set_graph(changes.result.graph)
        self.view.expandAll()
        if changes.build:
            # Measures every row; a correction renames one service at most.
            self.view.resizeColumnToContents(COL_NAME)
        self._follow(self.view_model.selection)

    @Slot(object)
    def _follow(self, sid: str | None) -> None:
        if sid is None:
            return
        index = self.proxy.mapFromSource(self.model.index_of(sid))
        if index.isValid() and self.view.currentIndex() != index:
            self._following = True
            try:
                self.view.setCurrentIndex(index)
            finally:
                self._following = False
            self.view.scrollTo(index)

    @Slot(QModelIndex, QModelIndex)
    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sid = current.siblingAtColumn(COL_NAME).data(ServiceIdRole)
        if sid and not self._following:
            self.view_model.select(sid)

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        # A click on the current row changes no current index, yet asks to see that service.
        # (A click on another row selects it twice: the repeat finds it in view already.)
        sid = index.siblingAtColumn(COL_NAME).data(ServiceIdRole)
        if sid:
            self.view_model.select(sid)

    @Slot(str)
    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.view.expandAll()
