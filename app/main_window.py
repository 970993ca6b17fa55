"""The main window: the graph canvas in the centre; search, services, details and notes around."""

from __future__ import annotations

import contextlib
import html
import platform
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import networkx as nx
from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.actions import KEYS, MENUS, TOOLBAR, fill, make_actions
from app.canvas import GraphCanvas
from app.corrections import (
    AddRelationDialog,
    CorrectionsController,
    MergeDialog,
    RenameDialog,
)
from app.decisions import DecisionsDialog
from app.details import DetailsPanel
from app.exam_overlay import ExamOverlay
from app.filter_layout import FilterLayouts
from app.gaps_panel import GapsPanel
from app.models import COL_MENTIONS, COL_NAME, ServiceIdRole, ServicesModel, SortRole
from app.note_viewer import NoteViewer
from app.operations import OpChanges
from app.path_dialog import PathDialog
from app.problems import ProblemsPanel, build_problems
from app.review import ReviewPanel, learned_words
from app.search_panel import SearchPanel
from app.session import Session
from app.settings import (
    THEMES,
    ViewError,
    ViewState,
    apply_theme,
    last_view_path,
    load_view,
    resource,
    save_view,
)
from graph_data import __version__, userdirs
from graph_data.corrections import rejected_pairs
from graph_data.gaps import find_gaps, scope_services
from graph_data.graph import ego_graph, shortest_path
from graph_data.records import RELATIONS
from graph_data.scope import Scope, select
from graph_data.style import RELATION_STYLES
from graph_data.workspace import Workspace, views_folder

__all__ = ["MainWindow", "about_text"]

_MAX_RECENT = 8


def _icon(name: str) -> QIcon:
    return QIcon(str(resource(f"icons/{name}.svg")))


def _line_icon(color: str, dashed: bool) -> QIcon:
    pix = QPixmap(24, 24)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    pen = QPen(QColor(color), 3)
    pen.setStyle(Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.drawLine(2, 12, 22, 12)
    painter.end()
    return QIcon(pix)


class MainWindow(QMainWindow):
    """Service Atlas's window: the graph, search, services, details and the note viewer.

    Signals:
        buildFinished(object): the :class:`OpChanges` of the latest build, once views refreshed.
        buildFailed(str): a build failed (or found nothing usable); the message is on screen.
        exportRequested(): File › Export… was chosen (the export work connects to it).
        focusChanged(object): the focused service id, or None for the whole graph.
    """

    buildFinished = Signal(object)
    buildFailed = Signal(str)
    exportRequested = Signal()
    focusChanged = Signal(object)

    def __init__(self, settings: QSettings, samples: Path) -> None:
        super().__init__()
        self.settings = settings
        self.samples = Path(samples)
        self.session = Session(self)
        self.G: nx.MultiDiGraph | None = None
        self.focus: str | None = None
        self.path: list[str] = []
        self._pending_view: ViewState | None = None
        self._build_positions: dict[str, tuple[float, float]] = {}
        # A relation-type or evidence filter lays out what it leaves (off the UI thread).
        self.filter_layouts = FilterLayouts(self)
        self.filter_layouts.ready.connect(self._filtered_layout_ready)
        self._laid_out_for: tuple | None = None
        self._sized = False
        self.setWindowTitle("Service Atlas")
        self.setWindowIcon(_icon("service-atlas"))
        self.setDockNestingEnabled(True)
        self._make_central()
        self._make_docks()
        self._make_status()
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_corrections()
        self._connect()
        self.session.started.connect(self._build_started)
        self.session.progress.connect(self._on_progress)
        self.session.changed.connect(self._session_changed)
        self.session.failed.connect(self._on_failed)
        self.session.stale.connect(self.reload)
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

    # ------------------------------------------------------------------ construction

    def _make_central(self) -> None:
        self.canvas = GraphCanvas(self)
        self.canvas.setAccessibleName("Graph of services")
        self.canvas.setToolTip(
            "Click a service to see its details, double-click to focus on it, drag to pin it"
        )
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
        self.banner_button = QPushButton(_icon("open"), "Open your notes folder…", self.banner)
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
        self.depth = QSpinBox(self)
        self.depth.setRange(1, 3)
        self.depth.setPrefix("Depth ")
        self.depth.setAccessibleName("Focus depth")
        self.depth.setToolTip("How many hops around the focused service to show (1–3)")
        self.crumb_bar = QFrame(self)
        row = QHBoxLayout(self.crumb_bar)
        row.setContentsMargins(10, 2, 10, 2)
        row.addWidget(self.crumbs, 1)
        row.addWidget(self.depth)
        self.crumb_bar.hide()
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("Message")
        self.empty_button = QPushButton(_icon("open"), "Open a notes folder…", self)
        self.empty_button.setAccessibleName("Open a notes folder")
        self.empty_button.setToolTip("Choose another folder of notes (Ctrl+O)")
        empty_page = QWidget(self)
        col = QVBoxLayout(empty_page)
        col.addStretch(1)
        col.addWidget(self.empty)
        col.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(2)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(empty_page)
        body = QWidget(self)
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.banner)
        col.addWidget(self.crumb_bar)
        col.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._show_message("Reading your notes…", button=False)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.search = SearchPanel(self)
        self.search_dock = self._dock("Search", "searchDock", self.search, left)
        self.services_model = ServicesModel(self)
        self.services_proxy = QSortFilterProxyModel(self)
        self.services_proxy.setSourceModel(self.services_model)
        self.services_proxy.setSortRole(SortRole)
        self.services_proxy.setRecursiveFilteringEnabled(True)
        self.services_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.services_filter = QLineEdit(self)
        self.services_filter.setPlaceholderText("Filter services")
        self.services_filter.setClearButtonEnabled(True)
        self.services_filter.setAccessibleName("Filter services")
        self.services_filter.setToolTip("Show only services whose name contains this text")
        self.services_view = QTreeView(self)
        self.services_view.setModel(self.services_proxy)
        self.services_view.setSortingEnabled(True)
        self.services_view.sortByColumn(COL_MENTIONS, Qt.SortOrder.DescendingOrder)
        self.services_view.setAlternatingRowColors(True)
        self.services_view.setAccessibleName("Services by category")
        self.services_view.setToolTip("Services found in the notes, by category; click to select")
        services = QWidget(self)
        col = QVBoxLayout(services)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.services_filter)
        col.addWidget(self.services_view, 1)
        self.services_dock = self._dock("Services", "servicesDock", services, left)
        self.tabifyDockWidget(self.search_dock, self.services_dock)
        self.search_dock.raise_()
        self.details = DetailsPanel(self)
        self.details_dock = self._dock("Details", "detailsDock", self.details, right)
        self.viewer = NoteViewer(self)
        self.viewer_dock = self._dock("Note", "noteDock", self.viewer, right)
        self.splitDockWidget(self.details_dock, self.viewer_dock, Qt.Orientation.Vertical)
        self.problems = ProblemsPanel(self)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems, right)
        self.tabifyDockWidget(self.viewer_dock, self.problems_dock)
        self.gaps = GapsPanel(self.settings, self)
        self.gaps_dock = self._dock("Gaps", "gapsDock", self.gaps, right)
        self.exam_overlay = ExamOverlay(self.canvas)
        self.tabifyDockWidget(self.problems_dock, self.gaps_dock)
        self.viewer_dock.raise_()

    def _make_status(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.progress.setAccessibleName("Build progress")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the build")
        self.cancel_button.setToolTip("Stop reading the notes")
        self.cancel_button.hide()
        self.problems_button = QPushButton(self)
        self.problems_button.setFlat(True)
        self.problems_button.setAccessibleName("Show the problems of the last build")
        self.problems_button.setToolTip(
            "Some notes were skipped or read with care: show which and why"
        )
        self.problems_button.hide()
        self.statusBar().addPermanentWidget(self.problems_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

    def _action(self, text: str, slot, shortcut=None, icon: str | None = None, tip: str = ""):
        action = QAction(_icon(icon) if icon else QIcon(), text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.setStatusTip(action.toolTip())
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.actions_by_name = make_actions(self, _icon)
        self.relationActions: dict[str, QAction] = {}
        for relation in RELATIONS:
            style = RELATION_STYLES[relation]
            action = QAction(_line_icon(style.color, style.dashed), style.verb, self)
            action.setCheckable(True)
            action.setChecked(True)
            action.setToolTip(f"Show “{style.label}” relations")
            action.setStatusTip(action.toolTip())
            action.toggled.connect(self._apply_visibility)
            self.relationActions[relation] = action
        self.isolatedAction = QAction("&Hide services without relations", self)
        self.isolatedAction.setCheckable(True)
        # On by default: services named without any relation would fill a grid around the graph.
        self.isolatedAction.setChecked(True)
        self.isolatedAction.toggled.connect(self._apply_visibility)
        self.legendAction = QAction("&Legend", self)
        self.legendAction.setCheckable(True)
        self.legendAction.setChecked(True)
        self.legendAction.toggled.connect(self.canvas.legend().setVisible)
        self.themeGroup = QActionGroup(self)
        self.themeActions: dict[str, QAction] = {}
        for theme in THEMES:
            action = QAction(theme.capitalize(), self.themeGroup)
            action.setCheckable(True)
            action.setData(theme)
            self.themeActions[theme] = action
        self.themeActions["system"].setChecked(True)
        self.themeGroup.triggered.connect(lambda a: self.set_theme(a.data()))
        self.min_evidence = QSpinBox(self)
        self.min_evidence.setRange(1, 10)
        self.min_evidence.setPrefix("Evidence ≥ ")
        self.min_evidence.setAccessibleName("Minimum evidence per relation")
        self.min_evidence.setToolTip("Hide relations stated fewer times than this in the notes")
        self.min_evidence.valueChanged.connect(self._apply_visibility)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        places = {
            "@recent": lambda menu: setattr(self, "recent_menu", menu.addMenu("Open &recent")),
            "@relations": lambda menu: menu.addMenu("&Relations").addActions(
                list(self.relationActions.values())
            ),
            "@evidence": self._evidence_menu,
            "@isolated": lambda menu: menu.addAction(self.isolatedAction),
            "@theme": lambda menu: menu.addMenu("&Theme").addActions(self.themeGroup.actions()),
            "@legend": lambda menu: menu.addAction(self.legendAction),
            "@panels": self._panels_menu,
        }
        self.menus: dict[str, QMenu] = {}
        for title, entries in MENUS.items():
            self.menus[title] = menu = bar.addMenu(title)
            fill(menu, entries, self.actions_by_name, places)

    def _evidence_menu(self, menu: QMenu) -> None:
        evidence = menu.addMenu("&Minimum evidence")
        group = QActionGroup(self)
        for n in (1, 2, 3):
            action = QAction(f"{n} or more", group)
            action.setCheckable(True)
            action.setChecked(n == 1)
            action.triggered.connect(lambda _=False, n=n: self.min_evidence.setValue(n))
            evidence.addAction(action)
        self.min_evidence.valueChanged.connect(
            lambda v: [a.setChecked(a.text().startswith(f"{v} ")) for a in group.actions()]
        )

    def _panels_menu(self, menu: QMenu) -> None:
        self.panels_menu = docks = menu.addMenu("&Panels")
        for dock in (
            self.search_dock,
            self.services_dock,
            self.details_dock,
            self.viewer_dock,
            self.problems_dock,
            self.gaps_dock,
        ):
            docks.addAction(dock.toggleViewAction())

    def _make_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setAccessibleName("Main toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        places = {
            "@relations": lambda b: b.addActions(list(self.relationActions.values())),
            "@min_evidence": lambda b: b.addWidget(self.min_evidence),
        }
        fill(bar, TOOLBAR, self.actions_by_name, places)
        self.toolbar = bar

    def _connect(self) -> None:
        self.banner_button.clicked.connect(self.choose_folder)
        self.empty_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.cancel_build)
        self.crumbs.linkActivated.connect(lambda _link: self.back())
        self.depth.valueChanged.connect(self._apply_visibility)
        self.canvas.serviceSelected.connect(self.select_service)
        self.canvas.serviceActivated.connect(self.focus_on)
        self.canvas.selectionCleared.connect(self._selection_cleared)
        self.canvas.nodePinned.connect(self._pinned)
        self.search.resultsChanged.connect(self._results_changed)
        self.search.hitActivated.connect(self.open_hit)
        self.search.onlyResultsToggled.connect(self._apply_visibility)
        self.exportRequested.connect(self.export_dialog)
        self.details.serviceClicked.connect(self.select_service)
        self.details.focusRequested.connect(self.focus_on)
        self.details.evidenceClicked.connect(lambda f, line: self.open_note(f, line, line))
        self.problems.fileActivated.connect(lambda f: self.open_note(f, 1, 1))
        self.problems_button.clicked.connect(self.show_problems)
        self.gaps.searchRequested.connect(self.search_for)
        self.gaps.examChanged.connect(self._refresh_exam_overlay)
        # Services moved (a filter's layout): the hollow circles go where there is room now.
        self.canvas.moved.connect(self._refresh_exam_overlay)
        self.services_filter.textChanged.connect(self._filter_services)
        self.services_view.selectionModel().currentChanged.connect(self._service_picked)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_theme_changed)

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # 1400x900 where the screen allows, never larger than the screen's free area.
            free = self.screen().availableGeometry()
            self.resize(min(1400, int(free.width() * 0.92)), min(900, int(free.height() * 0.92)))
        state = s.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        relations = s.value("filters/relations", list(RELATIONS))
        relations = [relations] if isinstance(relations, str) else list(relations or [])
        for relation, action in self.relationActions.items():
            action.setChecked(relation in relations)
        self.min_evidence.setValue(int(s.value("filters/min_evidence", 1)))
        self.isolatedAction.setChecked(s.value("filters/hide_isolated", "true") == "true")
        theme = str(s.value("theme", "system"))
        self.themeActions.get(theme, self.themeActions["system"]).setChecked(True)
        self.set_theme(theme if theme in THEMES else "system")
        self._fill_recent()

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("filters/relations", self.relations())
        s.setValue("filters/min_evidence", self.min_evidence.value())
        s.setValue("filters/hide_isolated", "true" if self.isolatedAction.isChecked() else "false")
        s.setValue("theme", self.themeGroup.checkedAction().data())
        s.sync()

    def recent_folders(self) -> list[str]:
        """Recently opened folders, newest first."""
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember(self, notes: Path) -> None:
        recent = [str(notes)] + [p for p in self.recent_folders() if p != str(notes)]
        self.settings.setValue("recent", recent[:_MAX_RECENT])
        self.settings.setValue("last_folder", str(notes))
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for folder in self.recent_folders():
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self.open_folder(Path(f)))
        self.recent_menu.setEnabled(bool(self.recent_folders()))

    @Slot(str)
    def set_theme(self, theme: str) -> None:
        """Use the ``"system"``, ``"light"`` or ``"dark"`` colours."""
        self.canvas.set_dark(apply_theme(theme))
        if theme in self.themeActions:
            self.themeActions[theme].setChecked(True)

    @Slot()
    def _system_theme_changed(self) -> None:
        if self.themeGroup.checkedAction().data() == "system":
            self.set_theme("system")

    # ------------------------------------------------------------------ folders and builds

    def open_folder(self, notes: Path) -> None:
        """Build ``notes`` in the background; the views refresh when the build reports back."""
        notes = Path(notes)
        self._store_last_view()
        self._pending_view = None
        self.banner.setVisible(self._is_samples(notes))
        self.setWindowTitle(f"Service Atlas — {notes.name}")
        self.session.open(notes)
        if self.G is None:
            self._show_message(f"Reading the notes in {notes}…", button=False)

    def _is_samples(self, notes: Path) -> bool:
        try:
            return notes.resolve() == self.samples.resolve()
        except OSError:
            return False

    @Slot(object)
    def _build_started(self, notes: Path) -> None:
        self.statusBar().showMessage(f"Reading {notes}…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()

    @Slot()
    def reload(self) -> None:
        """Rebuild the open folder (the cache makes it incremental), keeping selection and view."""
        self.session.reload(initial=self._whole_positions())

    @Slot()
    def cancel_build(self) -> None:
        """Stop the running build."""
        self.session.cancel()

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a notes folder and open it."""
        start = str(self.notes if self.notes and not self._is_samples(self.notes) else Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Open notes folder", start)
        if chosen:
            self.open_folder(Path(chosen))

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if stage == "waiting":
            # Another window or command is building this folder: a wait of unknown length.
            self.progress.setRange(0, 0)
            self.progress.setFormat("waiting for another window or command on this folder")
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{stage} %v/%m")

    def _done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    @Slot(object)
    def _session_changed(self, changes: OpChanges) -> None:
        """A build finished, or a correction, undo or redo changed the graph."""
        self.gaps.set_graph(changes.result.graph, changes.result.notes)
        if changes.corrections:
            # A service merged away and brought back by undo returns to where the build put it.
            positions = {**self._build_positions, **self.canvas.positions()}
            self._apply(replace(changes, positions=positions))
            G = changes.result.graph
            self.review.show_learned(changes.learned)
            learned = f" · {learned_words(changes.learned)}" if changes.learned else ""
            self.statusBar().showMessage(
                f"{G.number_of_nodes()} services · {G.number_of_edges()} relations"
                f" · {self.corrector.last_change}{learned}"
            )
            return
        self._done()
        self._apply(changes)
        self.buildFinished.emit(changes)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._done()
        self.statusBar().showMessage(message)
        if self.G is None or message != "Cancelled.":
            self._show_message(f"Could not open these notes.\n\n{message}")
        self.buildFailed.emit(message)

    def _apply(self, changes: OpChanges) -> None:
        """Refresh the views from what the build changed."""
        G = changes.result.graph
        kept = not changes.folder
        keep = self.canvas.selected_service() if kept else None
        view = self.canvas.view_state()
        if changes.graph:
            self.G = G
            self._refresh_graph(changes, kept)
        if changes.graph:
            self.search.set_rejected(rejected_pairs(changes.result.corrections, G))
            if not changes.index and self.search.results is not None:
                self._results_changed(self.search.results)
        if changes.index:
            self.search.set_index(changes.result.search, self.names())
        if changes.build:
            self._remember(changes.result.notes)
        if changes.folder:
            self.focus, self.path = None, []
            self._apply_view(self._last_view(changes.result.notes))
        else:
            if self.focus not in G:
                self.focus = None
            # The view is put back just below: fitting first would be wasted work.
            self._show_visible(fit=False)
            self.canvas.restore_view(view)
        if keep and keep in G:
            self.select_service(keep)
        elif self.details.service and self.details.service in G:
            self.select_service(self.details.service)
        else:
            self.details.show_overview(G)
        if changes.graph:
            # Last, so moving on to the next relation to review selects its services.
            self.review.set_graph(G, keep=not changes.folder, result=changes.result)
        self._report(changes)

    def _refresh_graph(self, changes: OpChanges, kept: bool) -> None:
        """Redraw the canvas and the Services list for a new graph, keeping pins."""
        pinned = self.canvas.pinned_services() if kept else set()
        if changes.build:
            self._build_positions = dict(changes.positions)
            pinned |= changes.pinned
        self.filter_layouts.clear()
        self._laid_out_for = None
        if changes.corrections:
            self.canvas.replace_graph(changes.result.graph, changes.positions)
        else:
            self.canvas.set_graph(changes.result.graph, changes.positions)
        self.canvas.set_pinned(pinned)
        self._refresh_exam_overlay()
        self.services_model.set_graph(changes.result.graph)
        self.services_view.expandAll()
        if changes.build:
            # Measures every row; a correction renames one service at most.
            self.services_view.resizeColumnToContents(COL_NAME)

    @Slot()
    def toggle_exam_overlay(self) -> None:
        """View › Show exam scope on the graph: on or off, for the Gaps panel's exam."""
        self._refresh_exam_overlay()
        if self.examOverlayAction.isChecked() and self.G is not None:
            ghosts = len(self.exam_overlay.ghosts())
            self.statusBar().showMessage(
                f"{ghosts} service{'s' * (ghosts != 1)} of the {self.gaps.current_exam()} scope "
                "your notes never name, drawn hollow; services outside the scope washed out."
            )

    @Slot()
    def _refresh_exam_overlay(self) -> None:
        """Draw (or take away) the exam overlay for the graph and exam shown now."""
        if not self.examOverlayAction.isChecked() or self.G is None:
            self.exam_overlay.clear()
            return
        exam = self.gaps.current_exam()
        gaps = find_gaps(self.G, exam)
        self.exam_overlay.show_for(self.G, gaps.missing, scope_services(exam))

    def _report(self, changes: OpChanges) -> None:
        G = changes.result.graph
        if G.number_of_nodes() == 0:
            self._show_message(
                f"No AWS services were found in {changes.result.notes}.\n\n"
                "Service Atlas reads .md and .txt notes that name AWS services "
                "(for example S3, Lambda or DynamoDB). Open a folder holding such notes."
            )
        else:
            self.stack.setCurrentIndex(0)
        self.statusBar().showMessage(
            f"{G.number_of_nodes()} services · {G.number_of_edges()} relations"
        )
        self.problems.set_problems(build_problems(changes.result))
        count = len(changes.result.problems)
        self.problems_button.setText(f"⚠ {count} file problem{'s' if count != 1 else ''}")
        self.problems_button.setVisible(count > 0)

    @Slot()
    def show_problems(self) -> None:
        """Show and raise the Problems panel."""
        self.problems_dock.show()
        self.problems_dock.raise_()

    @Slot(str)
    def search_for(self, query: str) -> None:
        """Run ``query`` in the Search panel, brought forward (the Gaps panel asks for this)."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.query.setText(query)
        self.search.run()

    def _show_message(self, text: str, button: bool = True) -> None:
        self.empty.setText(text)
        self.empty_button.setVisible(button)
        self.stack.setCurrentIndex(1)

    # ------------------------------------------------------------------ corrections

    def _make_corrections(self) -> None:
        """The corrections controller, Edit menu (undo/redo, add, rename, merge) and Review dock."""
        self.undoAction = self.corrector.stack.createUndoAction(self, "&Undo")
        self.undoAction.setShortcut(QKeySequence.StandardKey.Undo)
        self.redoAction = self.corrector.stack.createRedoAction(self, "&Redo")
        self.redoAction.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undoAction, self.redoAction):
            self.addAction(action)
        self.addRelationAction = self._action("&Add relation…", self.choose_add_relation)
        self.renameAction = self._action("Re&name service…", self.choose_rename)
        self.mergeAction = self._action("&Merge services…", self.choose_merge)
        self.review = ReviewPanel(self)
        self.review_dock = self._dock(
            "Review", "reviewDock", self.review, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.details_dock, self.review_dock)
        self.details_dock.raise_()
        self.reviewAction = self._action("Re&view uncertain relations…", self.show_review)
        self.decisionsAction = self._action("Your &decisions…", self.show_decisions)
        self.decisions_dialog: DecisionsDialog | None = None
        menu = QMenu("&Edit", self)
        menu.addActions([self.undoAction, self.redoAction])
        menu.addSeparator()
        menu.addActions([self.addRelationAction, self.renameAction, self.mergeAction])
        menu.addSeparator()
        menu.addActions([self.reviewAction, self.decisionsAction])
        self.menuBar().insertMenu(self.menus["&View"].menuAction(), menu)
        self.panels_menu.addAction(self.review_dock.toggleViewAction())
        self.edit_menu = menu
        self._save_box: QMessageBox | None = None
        self.corrector.saveFailed.connect(self._corrections_not_saved)
        self.details.confirmRequested.connect(self.corrector.confirm)
        self.details.hideRequested.connect(self.corrector.hide)
        self.details.retagRequested.connect(self.corrector.retag)
        self.review.acceptRequested.connect(self.corrector.confirm)
        self.review.rejectRequested.connect(self.corrector.hide)
        self.review.retagRequested.connect(self.corrector.retag)
        self.review.addRequested.connect(self.corrector.add)
        self.session.examplesNotSaved.connect(self.statusBar().showMessage)
        self.review.edgeSelected.connect(self._review_edge)

    @Slot(str)
    def _corrections_not_saved(self, message: str) -> None:
        self.statusBar().showMessage(message)
        if self._save_box is None:
            self._save_box = QMessageBox(QMessageBox.Icon.Warning, "Corrections not saved", "")
            self._save_box.setParent(self, self._save_box.windowFlags())
        self._save_box.setText(message)
        self._save_box.open()

    @Slot(str, str, str)
    def _review_edge(self, source: str, _relation: str, target: str) -> None:
        """The review queue moved: select the relation's first service and ring both."""
        if self.select_service(source):
            self.canvas.highlight_services((source, target))

    @Slot()
    def show_review(self) -> None:
        """Edit › Review uncertain relations: show the queue and put the keyboard on it."""
        self.review_dock.show()
        self.review_dock.raise_()
        if not self.review.table.currentIndex().isValid() and self.review.model.rowCount():
            self.review.select_row(0)
        self.review.table.setFocus()

    @Slot()
    def show_decisions(self) -> DecisionsDialog:
        """Edit › Your decisions: every decision kept for this folder, each can be taken back."""
        if self.decisions_dialog is None:
            self.decisions_dialog = DecisionsDialog(self.corrector, self)
        if self.decisions_dialog.isVisible():
            self.decisions_dialog.raise_()  # already open behind the window: bring it forward
        self.decisions_dialog.show()
        return self.decisions_dialog

    def add_relation(self, source: str, relation: str, target: str, reason: str) -> bool:
        """Add a relation the notes imply, with ``reason`` as its evidence (undoable)."""
        return self.corrector.add(source, relation, target, reason)

    @Slot()
    def choose_add_relation(self) -> None:
        """Edit › Add relation…: ask for two services, a relation type and a reason."""
        if self.G is None:
            return
        dialog = AddRelationDialog(self.names(), self, self.canvas.selected_service())
        answer = _ask(dialog, dialog.values)
        if answer is not None:
            self.add_relation(*answer)

    @Slot()
    def choose_rename(self) -> None:
        """Edit › Rename service…: ask for a service and the name to show it under."""
        if self.G is None:
            return
        dialog = RenameDialog(self.names(), self, self.canvas.selected_service())
        answer = _ask(dialog, dialog.values)
        if answer is not None:
            self.corrector.rename(*answer)

    @Slot()
    def choose_merge(self) -> None:
        """Edit › Merge services…: fold one service (an alias) into another."""
        if self.G is None:
            return
        dialog = MergeDialog(self.names(), self, self.canvas.selected_service())
        answer = _ask(dialog, dialog.values)
        if answer is not None and self.corrector.merge(*answer):
            self.select_service(answer[1])

    # ------------------------------------------------------------------ names, selection

    def names(self) -> dict[str, str]:
        """Short names of the services in the graph, by id."""
        if self.G is None:
            return {}
        return {n: d.get("short", n) for n, d in self.G.nodes(data=True)}

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

    @Slot(str)
    def select_service(self, sid: str) -> bool:
        """Select a service on the canvas and in the list, and show its details."""
        if self.G is None or sid not in self.G:
            return False
        if sid not in self.canvas.visible_service_ids() and self.focus is not None:
            self.focus_on(sid)
        self.canvas.select_service(sid)
        self.details.show_service(self.G, sid)
        index = self.services_proxy.mapFromSource(self.services_model.index_of(sid))
        if index.isValid() and self.services_view.currentIndex() != index:
            self.services_view.selectionModel().blockSignals(True)
            self.services_view.setCurrentIndex(index)
            self.services_view.selectionModel().blockSignals(False)
            self.services_view.scrollTo(index)
        return True

    @Slot()
    def _selection_cleared(self) -> None:
        if self.G is not None:
            self.details.show_overview(self.G)

    @Slot(QModelIndex, QModelIndex)
    def _service_picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sid = current.siblingAtColumn(COL_NAME).data(ServiceIdRole)
        if sid:
            self.select_service(sid)

    @Slot(str)
    def _filter_services(self, text: str) -> None:
        self.services_proxy.setFilterFixedString(text)
        self.services_view.expandAll()

    @Slot(str, float, float)
    def _pinned(self, _sid: str, _x: float, _y: float) -> None:
        if self.result is None:
            return
        # The shown graph's folder: self.notes already names a folder still building.
        saved = Workspace(self.result.notes).remember_layout(
            self._whole_positions(), self.canvas.pinned_services()
        )
        if not saved:
            self.statusBar().showMessage(
                "Could not remember the layout (the cache folder is not writable)."
            )

    @Slot()
    def clear_all(self) -> None:
        """Esc: clear the search, then the selection and any highlight or path."""
        if self.search.query.text():
            self.search.query.clear()
            self.search.run()
            return
        self.path = []
        self.canvas.clear_selection()
        self.canvas.clear_highlight()
        self._selection_cleared()

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: show the search panel and put the cursor in the query box."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.query.setFocus()
        self.search.query.selectAll()

    # ------------------------------------------------------------------ filters and focus

    def relations(self) -> list[str]:
        """The relation types shown."""
        return [r for r, a in self.relationActions.items() if a.isChecked()]

    @Slot()
    def _apply_visibility(self) -> None:
        """Apply the filters and show the focus's neighbourhood and/or the results' services."""
        self._show_visible(fit=True)

    def _show_visible(self, fit: bool) -> None:
        if self.G is None:
            return
        self.canvas.set_filters(
            self.relations(),
            self.min_evidence.value(),
            self.isolatedAction.isChecked(),
            self._kept_services(),
        )
        self._update_crumbs()
        if fit:
            self.canvas.fit()
        self._lay_out_filtered()
        self._refresh_exam_overlay()

    def _lay_out_filtered(self) -> None:
        """Lay out what the relation-type and evidence filters leave; all of it: the saved one."""
        settings = (
            tuple(self.relations()),
            self.min_evidence.value(),
            self.isolatedAction.isChecked(),
        )
        if settings == self._laid_out_for:
            return
        first = self._laid_out_for is None
        self._laid_out_for = settings
        if self.canvas.filters_all():
            if not first:
                here = self.canvas.positions()
                pins = {n: here[n] for n in self.canvas.pinned_services() if n in here}
                back = {**self._build_positions, **pins}
                self.canvas.move_services({n: p for n, p in back.items() if n in here})
            return
        H = self.canvas.filtered_graph()
        here = self.canvas.positions()
        pinned = {n: here[n] for n in self.canvas.pinned_services() if n in H}
        self.filter_layouts.request(H, pinned)

    def _whole_positions(self) -> dict[str, tuple[float, float]]:
        """Where the whole graph puts each service: a filter's own layout is never saved as it."""
        here = self.canvas.positions()
        if self.canvas.filters_all():
            return here
        pins = {n: here[n] for n in self.canvas.pinned_services() if n in here}
        return {**here, **self._build_positions, **pins}

    @Slot(int, object)
    def _filtered_layout_ready(self, _number: int, positions: dict) -> None:
        if self.G is not None and not self.canvas.filters_all():
            self.canvas.move_services({n: p for n, p in positions.items() if n in self.G})

    def _kept_services(self) -> set[str] | None:
        """The focus's neighbourhood and/or the services in the results; None for all."""
        keep: set[str] | None = None
        if self.focus is not None and self.focus in self.G:
            keep = set(ego_graph(self.G, self.focus, self.depth.value()))
        if self.search.only.isChecked() and self.search.results is not None:
            found = set(self.search.services())
            keep = found if keep is None else keep & found
        return keep

    @Slot(str)
    def focus_on(self, sid: str) -> None:
        """Show only ``sid`` and its neighbours up to the depth box's number of hops."""
        if self.G is None or sid not in self.G:
            return
        self.focus = sid
        self._apply_visibility()
        self.canvas.select_service(sid)
        self.details.show_service(self.G, sid)
        self.focusChanged.emit(sid)

    @Slot()
    def focus_selection(self) -> None:
        """Go › Focus on selection: focus on the service selected on the canvas."""
        sid = self.canvas.selected_service()
        if sid is None:
            self.statusBar().showMessage("Select a service first, then focus on it.")
            return
        self.focus_on(sid)

    @Slot()
    def back(self) -> None:
        """Leave the focus and show the whole graph again."""
        if self.focus is None:
            return
        self.focus = None
        self._apply_visibility()
        self.focusChanged.emit(None)

    def _update_crumbs(self) -> None:
        self.backAction.setEnabled(self.focus is not None)
        if self.focus is None or self.G is None:
            self.crumb_bar.hide()
            return
        name = html.escape(self.G.nodes[self.focus].get("short", self.focus))
        self.crumbs.setText(f"<a href='all'>All services</a> › <b>{name}</b>")
        self.crumb_bar.show()

    # ------------------------------------------------------------------ search

    @Slot(object)
    def _results_changed(self, results) -> None:
        if results is None:
            self.canvas.highlight_services(())
        else:
            self.canvas.highlight_services(self.search.services())
        if self.search.only.isChecked():
            self._apply_visibility()

    @Slot(object)
    def open_hit(self, hit) -> None:
        """Open a result: its passage in the note viewer, and its services ringed on the canvas."""
        self.canvas.highlight_services(hit.services)
        if hit.kind == "service" or not hit.file:
            sid = hit.subject or (hit.services[0] if hit.services else None)
            if sid:
                self.select_service(sid)
            return
        self.open_note(hit.file, hit.line, hit.end_line)
        target = hit.subject if hit.subject in (self.G or ()) else None
        if target is None and hit.services:
            target = hit.services[0]
        if target:
            self.select_service(target)

    def open_note(self, file: str, line: int, end_line: int) -> bool:
        """Show a note read-only at ``line..end_line`` in the Note panel."""
        if self.notes is None or not file:
            return False
        self.viewer_dock.show()
        self.viewer_dock.raise_()
        ok = self.viewer.show_passage(self.notes, file, line, end_line)
        if not ok:
            self.statusBar().showMessage(self.viewer.title.text())
        return ok

    # ------------------------------------------------------------------ path

    @Slot()
    def choose_path(self) -> None:
        """Ask for two services and show the shortest chain of relations between them."""
        if self.G is None:
            return
        dialog = PathDialog(self.names(), self)
        if self.canvas.selected_service():
            i = dialog.source.findData(self.canvas.selected_service())
            dialog.source.setCurrentIndex(max(i, 0))
        answer = _ask(dialog, dialog.chosen)
        if answer is None:
            return
        a, b = answer
        if a and b:
            self.show_path_between(a, b)
        else:
            self.statusBar().showMessage("Pick two services from the lists.")

    def show_path_between(self, a: str, b: str) -> list[str]:
        """Show the shortest path from ``a`` to ``b`` on the canvas and its evidence in Details."""
        if self.G is None or a not in self.G or b not in self.G:
            return []
        self.focus = None
        self._apply_visibility()
        try:
            steps = shortest_path(self.G, a, b, relations=self.relations())
        except nx.NetworkXNoPath:
            names = self.names()
            self.statusBar().showMessage(f"No chain of relations joins {names[a]} and {names[b]}.")
            self.canvas.clear_highlight()
            return []
        ids = [a]
        for s in steps:
            ids.append(s.target if s.source == ids[-1] else s.source)
        self.path = ids
        self.canvas.show_path(ids)
        if steps:
            self.details.show_path(self.G, steps, a)
        return ids

    # ------------------------------------------------------------------ named views

    def current_view(self) -> ViewState:
        """The view as it is now: filters, focus and depth, query, pinned positions."""
        positions = self.canvas.positions()
        return ViewState(
            relations=tuple(self.relations()),
            min_evidence=self.min_evidence.value(),
            hide_isolated=self.isolatedAction.isChecked(),
            focus=self.focus,
            depth=self.depth.value(),
            query=self.search.query.text(),
            only_results=self.search.only.isChecked(),
            pinned={n: positions[n] for n in self.canvas.pinned_services() if n in positions},
        )

    def _apply_view(self, state: ViewState | None) -> None:
        if state is not None:
            widgets = (*self.relationActions.values(), self.min_evidence, self.isolatedAction)
            for w in widgets:
                w.blockSignals(True)
            for relation, action in self.relationActions.items():
                action.setChecked(relation in state.relations)
            self.min_evidence.setValue(state.min_evidence)
            self.isolatedAction.setChecked(state.hide_isolated)
            for w in widgets:
                w.blockSignals(False)
            self.depth.blockSignals(True)
            self.depth.setValue(state.depth)
            self.depth.blockSignals(False)
            self.search.only.blockSignals(True)
            self.search.only.setChecked(state.only_results)
            self.search.only.blockSignals(False)
            if state.query != self.search.query.text():
                self.search.query.setText(state.query)
                self.search.run()
            self.focus = state.focus if self.G is not None and state.focus in self.G else None
            if state.pinned and self.G is not None:
                for sid, (x, y) in state.pinned.items():
                    item = self.canvas.item_for(sid)
                    if item is not None:
                        item.move_to(x, y)
                self.canvas.set_pinned(set(state.pinned) | self.canvas.pinned_services())
        self._apply_visibility()

    def _last_view(self, notes: Path) -> ViewState | None:
        path = last_view_path(notes)
        if not path.exists():
            return None
        try:
            return load_view(path)
        except ViewError:
            return None

    def _store_last_view(self) -> None:
        if self.notes is None or self.G is None:
            return
        # Losing the last view is harmless: the folder still opens, only unfocused.
        with contextlib.suppress(OSError):
            save_view(last_view_path(self.notes), self.current_view())

    @Slot()
    def choose_save_view(self) -> None:
        """File › Save view…: write the current view to a JSON file the user picks."""
        start = str(views_folder() / "view.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save view", start, "Views (*.json)")
        if path:
            self.save_view_to(Path(path))

    def save_view_to(self, path: Path) -> bool:
        """Save the current view to ``path``."""
        try:
            save_view(path, self.current_view())
        except OSError as exc:
            QMessageBox.warning(self, "Save view", f"Could not save the view: {exc.strerror}")
            return False
        self.statusBar().showMessage(f"View saved to {path}")
        return True

    @Slot()
    def choose_open_view(self) -> None:
        """File › Open view…: restore a view saved earlier."""
        start = str(views_folder())
        path, _ = QFileDialog.getOpenFileName(self, "Open view", start, "Views (*.json)")
        if path:
            self.open_view(Path(path))

    def open_view(self, path: Path) -> bool:
        """Restore the view saved in ``path``; a bad file is explained, not raised."""
        try:
            state = load_view(path)
        except ViewError as exc:
            QMessageBox.warning(self, "Open view", str(exc))
            return False
        self._apply_view(state)
        return True

    # ------------------------------------------------------------------ help

    @Slot()
    def show_shortcuts(self) -> None:
        """Help › Keyboard shortcuts."""
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in KEYS)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<table cellpadding='3'>{rows}</table>")
        box.open()

    def export_view(
        self, path: Path, fmt: str, scope: Scope | None = None, *, page_size: str = "a4"
    ) -> Path:
        """Export ``scope`` (default: what the canvas shows) as ``fmt`` to ``path``.

        ``fmt`` is any of the core's formats or ``"pdf"`` (printed on ``page_size`` paper).
        Raises ``OSError`` or ``ExportError`` for the caller to report.
        """
        from app.export_dialog import write_export

        if scope is None:
            visible = self.canvas.visible_service_ids()
            scope = Scope(
                relations=frozenset(self.relations()),
                services=frozenset(visible) if visible else None,
            )
        sub = select(self.result.graph, scope)
        title = f"Service Atlas study sheet: {self.notes.name if self.notes else 'notes'}"
        # The sheet shows what the canvas shows: the selected (or focused) service stands out.
        emphasis = self.canvas.selected_service() or self.focus
        return write_export(
            sub,
            fmt,
            Path(path),
            title=title,
            page_size=page_size,
            positions=self.canvas.positions(),
            emphasis=emphasis if emphasis in sub else None,
            whole=self.result.graph,
        )

    @Slot()
    def export_dialog(self) -> None:
        """File › Export…: format, scope and relations with a live preview, then the file."""
        from app.export_dialog import ExportDialog

        if self.result is None:
            self.statusBar().showMessage("Open a notes folder before exporting.")
            return
        searched = self.search.results is not None
        old = getattr(self, "exporter", None)
        if old is not None:
            old.deleteLater()
        self.exporter = ExportDialog(
            self.result.graph,
            visible=self.canvas.visible_service_ids(),
            selected=self.canvas.selected_service() or self.focus,
            depth=self.depth.value(),
            relations=self.relations(),
            search_services=self.search.services() if searched else None,
            search_query=self.search.query.text(),
            positions=self.canvas.positions(),
            notes_name=self.notes.name if self.notes else "notes",
            folder=Path(str(self.settings.value("export/folder", Path.home()))),
            notes=self.notes,
            exam=self.gaps.current_exam(),
            parent=self,
        )
        self.exporter.exported.connect(self._exported)
        self.exporter.open()

    @Slot(object)
    def _exported(self, path: Path) -> None:
        self.statusBar().showMessage(f"Exported to {path}")
        # The next export starts in the same folder, in this session and the next.
        self.settings.setValue("export/folder", str(Path(path).parent))

    @Slot()
    def show_about(self) -> None:
        """Help › About: version, Qt and Python versions and the app's folders."""
        QMessageBox.about(self, "About Service Atlas", about_text())

    # ------------------------------------------------------------------ closing

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
        """Override QWidget::closeEvent: stop the build, keep settings and the last view."""
        self.session.close()
        self.filter_layouts.shutdown()
        self._store_last_view()
        self._save_settings()
        super().closeEvent(event)


def _ask(dialog: QDialog, read: Callable[[], object]) -> object | None:
    """Run a modal dialog and return ``read()`` if it was accepted; the dialog is freed after."""
    try:
        return read() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def about_text() -> str:
    """The About box's text."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return (
        f"<h3>Service Atlas {__version__}</h3>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}</p>"
        f"<p>Cache: {html.escape(str(userdirs.cache_dir()))}<br>"
        f"Data: {html.escape(str(userdirs.data_dir()))}<br>"
        f"Logs: {html.escape(str(userdirs.log_dir()))}</p>"
    )
