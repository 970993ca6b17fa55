"""Edit › Decisions…: every decision kept for the open notes folder, and taking one back.

The list reads the corrections controller's saved decisions (hidden, confirmed, retagged, added,
renamed, merged), so it holds those of earlier sessions too; **Take back** removes one through the
controller's undo stack, and the graph shows that relation or service as the notes state it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.corrections import CorrectionsController
from graph_data.corrections import Correction

__all__ = [
    "COL_DATE",
    "COL_DECISION",
    "COL_REASON",
    "CorrectionRole",
    "DecisionsDialog",
    "DecisionsModel",
]

COL_DECISION, COL_DATE, COL_REASON = range(3)
_HEADERS = ("Decision", "Date", "Your words")
#: The :class:`~graph_data.corrections.Correction` of a row.
CorrectionRole = Qt.ItemDataRole.UserRole + 30

Index = QModelIndex | QPersistentModelIndex


class DecisionsModel(QAbstractTableModel):
    """The controller's decisions, newest first: a thin adapter that follows every change."""

    def __init__(self, controller: CorrectionsController, parent=None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._items: list[Correction] = []
        controller.correctionsChanged.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the decisions again (after a change, an undo, or another folder)."""
        self.beginResetModel()
        self._items = list(reversed(self._controller.corrections.items))
        self.endResetModel()

    def correction(self, row: int) -> Correction:
        """The decision on ``row``."""
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::rowCount."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """Override QAbstractItemModel::columnCount."""
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::headerData."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(_HEADERS):
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Override QAbstractItemModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        c = self._items[index.row()]
        if role == CorrectionRole:
            return c
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == COL_DECISION:
            return self._controller.describe(c, past=True)
        if index.column() == COL_DATE:
            return c.when or "earlier"
        return c.reason or (c.value if c.action == "rename" else "")


class DecisionsDialog(QDialog):
    """The open folder's decisions, with **Take back** for the selected one."""

    def __init__(self, controller: CorrectionsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your decisions")
        self.setAccessibleName("Your decisions")
        self._controller = controller
        self.model = DecisionsModel(controller, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Decisions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DECISION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DATE, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(
            "No decisions yet: confirm, hide or change relations in Details "
            "or Review, and they are listed here.",
            self,
        )
        self.empty.setWordWrap(True)
        self.take_back_button = QPushButton("&Take back", self)
        self.take_back_button.setToolTip("Show this relation or service as your notes state it")
        self.take_back_button.clicked.connect(self.take_back_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.take_back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.model.modelReset.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.resize(640, 360)
        self._update()

    def select_row(self, row: int) -> None:
        """Select the decision on ``row``."""
        self.table.selectRow(row)

    @Slot()
    def take_back_selected(self) -> bool:
        """Take the selected decision back; False when none is selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return False
        return self._controller.take_back(self.model.correction(rows[0].row()))

    @Slot()
    def _update(self) -> None:
        has = self.model.rowCount() > 0
        self.empty.setVisible(not has)
        self.table.setVisible(has)
        self.take_back_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
