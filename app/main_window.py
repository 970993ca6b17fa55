"""The main window: it assembles the canvas, the docks, the menus, toolbar and status bar.

It holds no state of its own. The :class:`~app.session.Session` owns the open folder, the
:class:`~app.view_model.ViewModel` what is shown; the panels bind to both, and the window
connects the view model's signals to the canvas.
"""

from __future__ import annotations

import html
import platform
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
)

from app.actions import KEYS, MENUS, TOOLBAR, fill, make_actions
from app.build_status import BuildStatus
from app.canvas import GraphCanvas
from app.central import CentralArea
from app.corrections import CorrectionsController
from app.edit_commands import EditCommands
from app.exam_overlay import ExamOverlay
from app.exporting import Exporting
from app.filter_layout import FilteredPlaces
from app.named_views import NamedViews
from app.operations import OpChanges
from app.panels.details import DetailsPanel
from app.panels.gaps import GapsPanel
from app.panels.note import NoteViewer
from app.panels.problems import ProblemsPanel
from app.panels.review import ReviewPanel, learned_words
from app.panels.search import SearchPanel
from app.panels.services import ServicesPanel
from app.path_finding import PathFinder
from app.recent_folders import RecentFolders
from app.session import Session
from app.settings import icon
from app.theme_menu import ThemeMenu
from app.view_controls import ViewControls
from app.view_model import ViewModel
from graph_data import __version__, userdirs
from graph_data.gaps import find_gaps, scope_services
from graph_data.workspace import Workspace

__all__ = ["MainWindow", "about_text"]


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
        self.status = BuildStatus(self.session, self.statusBar())
        self._make_docks()
        bar = self.statusBar()
        self.views = NamedViews(vm, self.canvas, bar, self)
        self.paths = PathFinder(vm, self.canvas, bar, self)
        self.exporting = Exporting(
            self.session, vm, self.canvas, settings, self.gaps.current_exam, bar, self
        )
        self.edit = EditCommands(self.session, vm, self.canvas, self.review, self.review_dock, self)
        self.undoAction, self.redoAction = self.edit.undo, self.edit.redo
        self.theme = ThemeMenu(self)
        self.recent = RecentFolders(settings, self)
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
        self.exam_overlay = ExamOverlay(self.canvas)
        self.tabifyDockWidget(self.problems_dock, self.gaps_dock)
        self.viewer_dock.raise_()
        # Slots run in the order they were connected: the panels above take a new build's
        # index and problems first (a restored view runs its query on the new index), then
        # the canvas draws it, then the review queue moves on (selecting on the new graph),
        # and last the window says it is done.
        session.changed.connect(self._session_changed)
        self.review = ReviewPanel(session, self)
        self.review_dock = self._dock("Review", "reviewDock", self.review, right)
        self.tabifyDockWidget(self.details_dock, self.review_dock)
        self.details_dock.raise_()
        session.changed.connect(self._session_reported)

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
        vm.shownChanged.connect(self._show)
        vm.selectionChanged.connect(self._selected)
        vm.reselected.connect(self._selected)
        vm.pathChanged.connect(lambda ids: canvas.show_path(list(ids)) if ids else None)
        vm.focusChanged.connect(lambda focus: self.backAction.setEnabled(focus is not None))
        self.central.openRequested.connect(self.choose_folder)
        canvas.serviceSelected.connect(vm.select)
        canvas.serviceActivated.connect(vm.focus_on)
        canvas.selectionCleared.connect(lambda: vm.select(None))
        canvas.nodePinned.connect(self._pinned)
        # Services moved (a filter's layout): the hollow circles go where there is room now.
        canvas.moved.connect(self._refresh_exam_overlay)
        self.legendAction.toggled.connect(canvas.legend().setVisible)
        self.theme.darkChanged.connect(canvas.set_dark)
        self.search.resultsChanged.connect(self._results_changed)
        self.search.hitActivated.connect(self.open_hit)
        self.details.serviceClicked.connect(vm.select)
        self.details.focusRequested.connect(vm.focus_on)
        self.details.evidenceClicked.connect(lambda f, line: self.open_note(f, line, line))
        self.problems.fileActivated.connect(lambda f: self.open_note(f, 1, 1))
        self.status.problemsRequested.connect(lambda: _bring(self.problems_dock))
        self.gaps.searchRequested.connect(self.search_for)
        self.gaps.examChanged.connect(self._refresh_exam_overlay)
        self.exportRequested.connect(self.exporting.open_dialog)
        self.recent.chosen.connect(self.open_folder)
        session.failed.connect(self._on_failed)
        session.stale.connect(self.reload)
        session.examplesNotSaved.connect(self.statusBar().showMessage)

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

    # ------------------------------------------------------------------ folders and builds

    def open_folder(self, notes: Path) -> None:
        """Build ``notes`` in the background; the views refresh when the build reports back."""
        notes = Path(notes)
        self.views.store_last(self.notes)
        self.central.banner.setVisible(self._is_samples(notes))
        self.setWindowTitle(f"Service Atlas — {notes.name}")
        self.session.open(notes)
        if self.G is None:
            self.central.show_message(f"Reading the notes in {notes}…", button=False)

    def _is_samples(self, notes: Path) -> bool:
        try:
            return notes.resolve() == self.samples.resolve()
        except OSError:
            return False

    @Slot()
    def reload(self) -> None:
        """Rebuild the open folder (the cache makes it incremental), keeping selection and view."""
        self.session.reload(initial=self.places.whole_positions())

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a notes folder and open it."""
        start = str(self.notes if self.notes and not self._is_samples(self.notes) else Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Open notes folder", start)
        if chosen:
            self.open_folder(Path(chosen))

    @Slot(object)
    def _session_changed(self, changes: OpChanges) -> None:
        """Draw a build's (or a correction's) graph, keeping pins, view and selection."""
        G, kept = changes.result.graph, not changes.folder
        view = self.canvas.view_state()
        if changes.graph:
            pinned = self.canvas.pinned_services() if kept else set()
            if changes.build:
                pinned |= changes.pinned
            if changes.corrections:
                # A service merged away and brought back by undo returns where the build put it.
                positions = {**self.places.build_positions, **self.canvas.positions()}
                self.canvas.replace_graph(G, positions)
            else:
                self.canvas.set_graph(G, changes.positions)
            self.places.new_graph(changes.positions if changes.build else None)
            self.canvas.set_pinned(pinned)
            self.view_model.set_graph(G, fresh=changes.folder)
            self.canvas.highlight_services(self.view_model.found or ())
        if changes.build:
            self.recent.remember(changes.result.notes)
        last = self.views.last(changes.result.notes) if changes.folder else None
        if last is not None:
            self.views.restore(last)
        elif changes.folder:
            self._show()
        else:
            # The view is put back just below: fitting first would be wasted work.
            self._show(fit=False)
            self.canvas.restore_view(view)
        if self.view_model.selection is not None:
            self.canvas.select_service(self.view_model.selection)

    @Slot(object)
    def _session_reported(self, changes: OpChanges) -> None:
        G = changes.result.graph
        if G.number_of_nodes() == 0:
            self.central.show_message(
                f"No AWS services were found in {changes.result.notes}.\n\n"
                "Service Atlas reads .md and .txt notes that name AWS services "
                "(for example S3, Lambda or DynamoDB). Open a folder holding such notes."
            )
        else:
            self.central.show_graph()
        message = f"{G.number_of_nodes()} services · {G.number_of_edges()} relations"
        if changes.corrections:
            learned = f" · {learned_words(changes.learned)}" if changes.learned else ""
            self.statusBar().showMessage(f"{message} · {self.corrector.last_change}{learned}")
            return
        self.statusBar().showMessage(message)
        self.buildFinished.emit(changes)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)
        if self.G is None or message != "Cancelled.":
            self.central.show_message(f"Could not open these notes.\n\n{message}")
        self.buildFailed.emit(message)

    # ------------------------------------------------------------------ what is shown

    @Slot()
    def _show(self, fit: bool = True) -> None:
        """Apply the filters, the focus and the results to the canvas, then lay out and fit."""
        vm = self.view_model
        if vm.graph is None:
            return
        filters = (vm.relations, vm.min_evidence, vm.hide_isolated)
        self.canvas.set_filters(*filters, vm.kept_services())
        if fit:
            self.canvas.fit()
        self.places.update(filters)
        self._refresh_exam_overlay()

    @Slot(object)
    def _selected(self, sid: str | None) -> None:
        """The view model's selection on the canvas; a service the focus hides is focused."""
        if sid is None:
            self.canvas.clear_selection()
            return
        if self.view_model.focus is not None and sid not in self.canvas.visible_service_ids():
            self.view_model.focus_on(sid)
        self.canvas.select_service(sid)

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

    @Slot()
    def focus_selection(self) -> None:
        """Go › Focus on selection: focus on the service selected on the canvas."""
        sid = self.canvas.selected_service()
        if sid is None:
            self.statusBar().showMessage("Select a service first, then focus on it.")
            return
        self.view_model.focus_on(sid)

    @Slot()
    def clear_all(self) -> None:
        """Esc: clear the search, then the selection and any highlight or path."""
        if self.search.clear():
            return
        self.view_model.select(None)
        self.canvas.clear_highlight()

    @Slot(str, float, float)
    def _pinned(self, _sid: str, _x: float, _y: float) -> None:
        if self.result is None:
            return
        # The shown graph's folder: self.notes already names a folder still building.
        saved = Workspace(self.result.notes).remember_layout(
            self.places.whole_positions(), self.canvas.pinned_services()
        )
        if not saved:
            self.statusBar().showMessage(
                "Could not remember the layout (the cache folder is not writable)."
            )

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
        self.exam_overlay.show_for(self.G, find_gaps(self.G, exam).missing, scope_services(exam))

    # ------------------------------------------------------------------ search and notes

    @Slot(object)
    def _results_changed(self, _results) -> None:
        self.canvas.highlight_services(self.view_model.found or ())

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
        _bring(self.viewer_dock)
        ok = self.viewer.open_note(file, line, end_line)
        if not ok:
            self.statusBar().showMessage(self.viewer.title.text())
        return ok

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: show the search panel and put the cursor in the query box."""
        _bring(self.search_dock)
        self.search.start_typing()

    @Slot(str)
    def search_for(self, query: str) -> None:
        """Run ``query`` in the Search panel, brought forward (the Gaps panel asks for this)."""
        _bring(self.search_dock)
        self.search.search_for(query)

    # ------------------------------------------------------------------ help and closing

    @Slot()
    def show_shortcuts(self) -> None:
        """Help › Keyboard shortcuts."""
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in KEYS)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<table cellpadding='3'>{rows}</table>")
        box.open()

    @Slot()
    def show_about(self) -> None:
        """Help › About: version, Qt and Python versions and the app's folders."""
        QMessageBox.about(self, "About Service Atlas", about_text())

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
        self.places.shutdown()
        self.views.store_last(self.notes)
        self._save_settings()
        super().closeEvent(event)


def _bring(dock: QDockWidget) -> None:
    """Show ``dock`` and bring it in front of the docks tabbed with it."""
    dock.show()
    dock.raise_()


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
