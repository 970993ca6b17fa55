"""The View menu's and the toolbar's filter controls, bound both ways to the ViewModel.

A control sets the view model; the view model's signals set the control (setting a control to
the value it shows emits nothing, so neither side echoes the other). The filters chosen are
remembered between runs in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QSpinBox, QWidget

from app.view_model import MAX_DEPTH, ViewModel
from graph_data.records import RELATIONS
from graph_data.style import RELATION_STYLES

__all__ = ["ViewControls", "line_icon"]


def line_icon(color: str, dashed: bool) -> QIcon:
    """A short line in a relation's colour and dash: the icon of its toggle."""
    pix = QPixmap(24, 24)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    pen = QPen(QColor(color), 3)
    pen.setStyle(Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.drawLine(2, 12, 22, 12)
    painter.end()
    return QIcon(pix)


class ViewControls(QObject):
    """A toggle per relation type, "hide services without relations", minimum evidence, depth.

    ``relations``, ``isolated``, ``min_evidence`` and ``depth`` are the widgets and actions the
    window puts in its menus, toolbar and breadcrumb bar.

    Signals:
        none: the controls report through the view model's signals.
    """

    def __init__(self, view_model: ViewModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.view_model = vm = view_model
        self.relations: dict[str, QAction] = {}
        for relation in RELATIONS:
            style = RELATION_STYLES[relation]
            action = QAction(line_icon(style.color, style.dashed), style.verb, parent)
            action.setCheckable(True)
            action.setChecked(relation in vm.relations)
            action.setToolTip(f"Show “{style.label}” relations")
            action.setStatusTip(action.toolTip())
            action.toggled.connect(lambda on, r=relation: vm.set_relation(r, on))
            self.relations[relation] = action
        self.isolated = QAction("&Hide services without relations", parent)
        self.isolated.setCheckable(True)
        self.isolated.setChecked(vm.hide_isolated)
        self.isolated.toggled.connect(vm.set_hide_isolated)
        self.min_evidence = QSpinBox(parent)
        self.min_evidence.setRange(1, 10)
        self.min_evidence.setPrefix("Evidence ≥ ")
        self.min_evidence.setAccessibleName("Minimum evidence per relation")
        self.min_evidence.setToolTip("Hide relations stated fewer times than this in the notes")
        self.min_evidence.setValue(vm.min_evidence)
        self.min_evidence.valueChanged.connect(vm.set_min_evidence)
        self.depth = QSpinBox(parent)
        self.depth.setRange(1, MAX_DEPTH)
        self.depth.setPrefix("Depth ")
        self.depth.setAccessibleName("Focus depth")
        self.depth.setToolTip("How many hops around the focused service to show (1–3)")
        self.depth.setValue(vm.depth)
        self.depth.valueChanged.connect(vm.set_depth)
        self._evidence_group = QActionGroup(self)
        vm.relationsChanged.connect(self._relations_shown)
        vm.hideIsolatedChanged.connect(self.isolated.setChecked)
        vm.minEvidenceChanged.connect(self._min_evidence_shown)
        vm.depthChanged.connect(self.depth.setValue)

    def add_evidence_menu(self, menu: QMenu) -> None:
        """View › Minimum evidence: 1, 2 or 3 or more, following the toolbar's box."""
        evidence = menu.addMenu("&Minimum evidence")
        for n in (1, 2, 3):
            action = QAction(f"{n} or more", self._evidence_group)
            action.setCheckable(True)
            action.setChecked(n == self.view_model.min_evidence)
            action.triggered.connect(lambda _=False, n=n: self.view_model.set_min_evidence(n))
            evidence.addAction(action)

    def restore(self, settings: QSettings) -> None:
        """Take the filters of the last run from ``settings``."""
        relations = settings.value("filters/relations", list(RELATIONS))
        relations = [relations] if isinstance(relations, str) else list(relations or [])
        self.view_model.set_relations(relations)
        self.view_model.set_min_evidence(int(settings.value("filters/min_evidence", 1)))
        hide = settings.value("filters/hide_isolated", "true") == "true"
        self.view_model.set_hide_isolated(hide)

    def save(self, settings: QSettings) -> None:
        """Keep the filters for the next run in ``settings``."""
        vm = self.view_model
        settings.setValue("filters/relations", list(vm.relations))
        settings.setValue("filters/min_evidence", vm.min_evidence)
        settings.setValue("filters/hide_isolated", "true" if vm.hide_isolated else "false")

    @Slot(object)
    def _relations_shown(self, relations: tuple[str, ...]) -> None:
        for relation, action in self.relations.items():
            action.setChecked(relation in relations)

    @Slot(int)
    def _min_evidence_shown(self, n: int) -> None:
        self.min_evidence.setValue(n)
        for action in self._evidence_group.actions():
            action.setChecked(action.text().startswith(f"{n} "))
