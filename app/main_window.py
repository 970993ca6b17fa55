"""The main window: it assembles the canvas, the docks, the menus, toolbar and status bar.

It holds no state of its own. The :class:`~app.session.Session` owns the open folder, the
:class:`~app.view_model.ViewModel` what is shown; the panels bind to both, the
:class:`~app.graph_presenter.GraphPresenter` binds the canvas to both, and the window connects
what is left: menus, toolbar, status bar and the docks' requests to each other.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

from app.actions import MENUS, TOOLBAR, fill, make_actions
from app.build_status import BuildStatus
from app.canvas import GraphCanvas
from app.central import CentralArea
from app.corrections import CorrectionsController
from app.edit_commands import EditCommands
from app.exam_overlay import ExamOverlay, ExamScopeToggle
from app.exporting import Exporting
from app.filter_layout import FilteredPlaces
from app.folder_opening import FolderOpening
from app.graph_presenter import GraphPresenter
from app.help_menu import HelpMenu
from app.named_views import NamedViews
from app.navigation import Navigation, bring
from app.panels.details import DetailsPanel
from app.panels.gaps import GapsPanel
from app.panels.note import NoteViewer
from app.panels.problems import ProblemsPanel
from app.panels.review import ReviewPanel
from app.panels.search import SearchPanel
from app.panels.services import ServicesPanel
from app.path_finding import PathFinder
from app.recent_folders import RecentFolders
from app.session import Session
from app.settings import icon
from app.theme_menu import ThemeMenu
from app.view_controls import ViewControls
from app.view_model import ViewModel

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """Service Atlas's window: the graph, search, services, details and the note viewer.

    Signals:
        buildFinished(object): the :class:`OpChanges` of the latest build, once views refreshed.
        buildFailed(str): a build failed (or found nothing usable); the message is on screen.
        exportRequested(): File › Export… was chosen (the export work connects to it).
    """

    buildFinished = Signal(object)
    buildFailed = Signal(str)
    exportRequested = Signal()

    def __init__(self, settings: QSettings, samples: Path) -> None:
        super().__init__()
        self.settings = settings
        self.samples = Path(samples)
        self.session = Session(self)
        self.view_model = vm = ViewModel(self)
        self._sized = False
        self.setWindowTitle("Service Atlas")
        self.setWindowIcon(icon("service-atlas"))
        self.setDockNestingEnabled(True)
        self.canvas = GraphCanvas(self)
        self.canvas.setAccessibleName("Graph of services")
        self.canvas.setToolTip(
            "Click a service to see its details, double-click to focus on it, drag to pin it"
        )
        self.controls = ViewControls(vm, self)
        self.central = CentralArea(self.canvas, self.controls.depth, vm, self)
        self.setCentralWidget(self.central)
        self.central.show_message("Reading your notes…", button=False)
        self.places = FilteredPlaces(self.canvas, self)
        bar = self.statusBar()
        self.status = BuildStatus(self.session, bar)
        self.views = NamedViews(self.session, vm, self.canvas, bar, self)
        self.recent = RecentFolders(settings, self)
        self._make_docks()
        self.navigation = Navigation(
            self.session,
            vm,
            self.canvas,
            (self.search, self.search_dock),
            (self.viewer, self.viewer_dock),
            bar,
            self,
        )
        self.help = HelpMenu(self)
        self.paths = PathFinder(vm, self.canvas, bar, self)
        self.exporting = Exporting(
            self.session, vm, self.canvas, settings, self.gaps.current_exam, bar, self
        )
        self.edit = EditCommands(self.session, vm, self.canvas, self.review, self.review_dock, self)
        self.undoAction, self.redoAction = self.edit.undo, self.edit.redo
        self.theme = ThemeMenu(self)
        self.legendAction = QAction("&Legend", self)
        self.legendAction.setCheckable(True)
        self.legendAction.setChecked(True)
        self.actions_by_name = make_actions(self, icon)
        self._make_menus()
        self._make_toolbar()
        self._connect()
        self._restore_settings()

    @property
    def notes(self) -> Path | None:
        """The folder shown or being built (owned by the session)."""
        return self.session.notes

    @property
    def result(self):
        """The last build's result, corrections applied (owned by the session)."""
        return self.session.result

    @property
    def corrector(self) -> CorrectionsController:
        """The open folder's corrections and their undo stack (owned by the session)."""
        return self.session.corrector

    @property
    def G(self) -> nx.MultiDiGraph | None:
        """The graph shown (owned by the view model)."""
        return self.view_model.graph

    # ------------------------------------------------------------------ construction

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        vm, session = self.view_model, self.session
        self.search = SearchPanel(vm, session, self)
        self.search_dock = self._dock("Search", "searchDock", self.search, left)
        self.services = ServicesPanel(vm, session, self)
        self.services_dock = self._dock("Services", "servicesDock", self.services, left)
        self.tabifyDockWidget(self.search_dock, self.services_dock)
        self.search_dock.raise_()
        self.details = DetailsPanel(vm, session, self)
        self.details_dock = self._dock("Details", "detailsDock", self.details, right)
        self.viewer = NoteViewer(session, self)
        self.viewer_dock = self._dock("Note", "noteDock", self.viewer, right)
        self.splitDockWidget(self.details_dock, self.viewer_dock, Qt.Orientation.Vertical)
        self.problems = ProblemsPanel(session, self)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems, right)
        self.tabifyDockWidget(self.viewer_dock, self.problems_dock)
        self.gaps = GapsPanel(self.settings, session, self)
        self.gaps_dock = self._dock("Gaps", "gapsDock", self.gaps, right)
        self.exam_scope = ExamScopeToggle(
            ExamOverlay(self.canvas), vm, self.gaps.current_exam, self.statusBar(), self
        )
        self.exam_overlay = self.exam_scope.overlay
        self.tabifyDockWidget(self.problems_dock, self.gaps_dock)
        self.viewer_dock.raise_()
        # Slots run in the order they were connected: the panels above take a new build's
        # index and problems first (a restored view runs its query on the new index), then
        # the canvas draws it, then the review queue moves on (selecting on the new graph),
        # and last the folder opening says it is done (so it is made last).
        self.presenter = GraphPresenter(
            session, vm, self.canvas, self.places, self.views, self.central
        )
        self.review = ReviewPanel(session, self)
        self.review_dock = self._dock("Review", "reviewDock", self.review, right)
        self.tabifyDockWidget(self.details_dock, self.review_dock)
        self.details_dock.raise_()
        self.folders = FolderOpening(
            session, vm, self.places, self.views, self.central, self.recent, self.samples, self
        )
        self.folders.finished.connect(self.buildFinished)
        self.folders.failed.connect(self.buildFailed)

    def _make_menus(self) -> None:
        places = {
            "@recent": self.recent.add_to,
            "@undo": self.edit.add_undo,
            "@relations": lambda menu: menu.addMenu("&Relations").addActions(
                list(self.controls.relations.values())
            ),
            "@evidence": self.controls.add_evidence_menu,
            "@isolated": lambda menu: menu.addAction(self.controls.isolated),
            "@theme": self.theme.add_to,
            "@legend": lambda menu: menu.addAction(self.legendAction),
            "@panels": self._panels_menu,
        }
        self.menus: dict[str, QMenu] = {}
        for title, entries in MENUS.items():
            self.menus[title] = menu = self.menuBar().addMenu(title)
            fill(menu, entries, self.actions_by_name, places)

    def _panels_menu(self, menu: QMenu) -> None:
        self.panels_menu = docks = menu.addMenu("&Panels")
        for dock in (
            self.search_dock,
            self.services_dock,
            self.details_dock,
            self.viewer_dock,
            self.problems_dock,
            self.gaps_dock,
            self.review_dock,
        ):
            docks.addAction(dock.toggleViewAction())

    def _make_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setAccessibleName("Main toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        places = {
            "@relations": lambda b: b.addActions(list(self.controls.relations.values())),
            "@min_evidence": lambda b: b.addWidget(self.controls.min_evidence),
        }
        fill(bar, TOOLBAR, self.actions_by_name, places)
        self.toolbar = bar

    def _connect(self) -> None:
        vm, canvas, session = self.view_model, self.canvas, self.session
        vm.focusChanged.connect(lambda focus: self.backAction.setEnabled(focus is not None))
        self.presenter.drawn.connect(self.exam_scope.refresh)
        # Services moved (a filter's layout): the hollow circles go where there is room now.
        canvas.moved.connect(self.exam_scope.refresh)
        self.legendAction.toggled.connect(canvas.legend().setVisible)
        self.theme.darkChanged.connect(canvas.set_dark)
        go = self.navigation
        self.details.serviceClicked.connect(vm.select)
        self.details.focusRequested.connect(vm.focus_on)
        self.details.evidenceClicked.connect(lambda f, line: go.open_note(f, line, line))
        self.problems.fileActivated.connect(lambda f: go.open_note(f, 1, 1))
        self.status.problemsRequested.connect(lambda: bring(self.problems_dock))
        self.gaps.searchRequested.connect(go.search_for)
        self.gaps.examChanged.connect(self.exam_scope.refresh)
        self.exportRequested.connect(self.exporting.open_dialog)
        session.examplesNotSaved.connect(self.statusBar().showMessage)
        session.layoutNotSaved.connect(self.statusBar().showMessage)

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # 1400x900 where the screen allows, never larger than the screen's free area.
            free = self.screen().availableGeometry()
            self.resize(min(1400, int(free.width() * 0.92)), min(900, int(free.height() * 0.92)))
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.controls.restore(self.settings)
        self.theme.restore(self.settings)

    def _save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.controls.save(self.settings)
        self.theme.save(self.settings)
        self.settings.sync()

    # ------------------------------------------------------------------ services and closing

    def open_folder(self, notes: Path) -> None:
        """Build ``notes`` in the background; :attr:`buildFinished` reports when it is shown."""
        self.folders.open(notes)

    @Slot(str)
    def select_service(self, sid: str) -> bool:
        """Select a service on the canvas and in the list, and show its details."""
        return self.view_model.select(sid)

    def resolve(self, name: str) -> str | None:
        """The id of a service named ``name`` (id, short name, full name or alias), or None."""
        if self.G is None:
            return None
        if name in self.G:
            return name
        try:
            sid = self.result.catalog.resolve(name).id
        except (KeyError, ValueError):
            return None
        return sid if sid in self.G else None

    def showEvent(self, event) -> None:
        """Override QWidget::showEvent: give the docks sensible sizes the first time."""
        super().showEvent(event)
        if not self._sized and not isinstance(self.settings.value("windowState"), QByteArray):
            # After the first layout pass, or the docks' requested sizes are overridden.
            QTimer.singleShot(0, self._size_docks)
        self._sized = True

    @Slot()
    def _size_docks(self) -> None:
        left, right = max(260, self.width() // 5), max(340, min(460, self.width() * 3 // 10))
        self.resizeDocks([self.search_dock], [left], Qt.Orientation.Horizontal)
        self.resizeDocks([self.details_dock], [right], Qt.Orientation.Horizontal)
        third = max(200, self.height() // 3)
        self.resizeDocks(
            [self.details_dock, self.viewer_dock], [2 * third, third], Qt.Orientation.Vertical
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override QWidget::closeEvent: stop the build, finish the writes, keep the settings."""
        self.session.close()
        self.places.shutdown()
        self.views.store_last(self.notes)
        self._save_settings()
        super().closeEvent(event)
