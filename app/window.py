"""The main window: services by category, search with snippets, details with evidence."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSettings, QSortFilterProxyModel, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.service_model import (
    COL_MENTIONS,
    COL_NAME,
    HitRole,
    SearchResultsModel,
    ServiceIdRole,
    ServiceTreeModel,
    SortRole,
)
from app.workers import BuildOp, OpChanges
from graph_data import __version__
from graph_data.graph import edge_relations
from graph_data.records import RELATIONS
from graph_data.style import RELATION_STYLES

__all__ = ["MainWindow"]

_MAX_RECENT = 8


class NoteViewer(QDialog):
    """A read-only view of one note, scrolled to a line with the passage highlighted."""

    def __init__(self, path: Path, line: int, end_line: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{path.name} — line {line}")
        self.resize(800, 600)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Note text")
        try:
            self.text.setPlainText(path.read_text("utf-8", errors="replace"))
        except OSError as exc:
            self.text.setPlainText(f"The note could not be opened: {exc.strerror or exc}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.highlight(line, end_line)

    def highlight(self, line: int, end_line: int) -> None:
        """Select lines ``line..end_line`` (1-based) and scroll them into view."""
        doc = self.text.document()
        start = doc.findBlockByLineNumber(max(0, line - 1))
        end = doc.findBlockByLineNumber(max(0, end_line - 1))
        cursor = QTextCursor(start)
        cursor.setPosition(
            end.position() + max(0, end.length() - 1), QTextCursor.MoveMode.KeepAnchor
        )
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fff3b0"))
        extra = (
            QPlainTextEdit.ExtraSelection() if hasattr(QPlainTextEdit, "ExtraSelection") else None
        )

        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        del extra
        self.text.setExtraSelections([sel])
        self.text.setTextCursor(QTextCursor(start))
        self.text.centerCursor()

    def selected_lines(self) -> tuple[int, int]:
        """The highlighted line range (for tests)."""
        [sel] = self.text.extraSelections()
        doc = self.text.document()
        first = doc.findBlock(sel.cursor.selectionStart()).blockNumber() + 1
        last = doc.findBlock(sel.cursor.selectionEnd()).blockNumber() + 1
        return first, last


class MainWindow(QMainWindow):
    """Service Atlas's window.

    Signals:
        buildFinished(object): the :class:`OpChanges` of the latest build, once views refreshed.
        buildFailed(str): a build failed; the message is also shown in the status bar.
        searchDone(object): the :class:`SearchResults` of the latest search.
    """

    buildFinished = Signal(object)
    buildFailed = Signal(str)
    searchDone = Signal(object)

    def __init__(self, settings: QSettings, samples: Path) -> None:
        super().__init__()
        self.settings = settings
        self.samples = samples
        self.notes: Path | None = None
        self.result = None
        self._op: BuildOp | None = None
        self.setWindowTitle("Service Atlas")
        self.resize(1400, 900)
        self._build_widgets()
        self._build_menus()
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.run_search)

    # --- construction -----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.banner = QLabel(self)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet("padding: 6px; background: palette(alternate-base);")
        self.banner.linkActivated.connect(lambda _link: self.choose_folder())
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('Search notes — words, "phrases", AND/OR/NOT, service:S3')
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Search the notes")
        self.query.setToolTip("Ctrl+F. Results appear as you type.")
        self.query.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_message = QLabel(self)
        self.search_message.setWordWrap(True)
        self.results_model = SearchResultsModel(self)
        self.results = QListView(self)
        self.results.setModel(self.results_model)
        self.results.setWordWrap(True)
        self.results.setSpacing(4)
        self.results.setAlternatingRowColors(True)
        self.results.setAccessibleName("Search results")
        self.results.activated.connect(self.open_hit)
        self.results.clicked.connect(self.open_hit)
        left = QWidget(self)
        lay = QVBoxLayout(left)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.query)
        lay.addWidget(self.search_message)
        lay.addWidget(self.results)

        self.services_model = ServiceTreeModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.services_model)
        self.proxy.setSortRole(SortRole)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COL_MENTIONS, Qt.SortOrder.DescendingOrder)
        self.tree.setAccessibleName("Services by category")
        self.tree.setAlternatingRowColors(True)
        self.tree.selectionModel().currentChanged.connect(self._tree_selected)

        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("Details of the selected service")
        self.details.anchorClicked.connect(self._link_clicked)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setSizes([420, 380, 600])
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addWidget(splitter, 1)
        self.setCentralWidget(body)

        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setVisible(False)
        self.cancel.setToolTip("Stop the build")
        self.cancel.clicked.connect(lambda: self._op and self._op.cancel())
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open notes folder…", self, shortcut=QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_folder)
        file_menu.addAction(open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self._fill_recent()
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        find = QAction("Find", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.query.setFocus(), self.query.selectAll()))
        self.addAction(find)
        clear = QAction("Clear", self, shortcut=QKeySequence(Qt.Key.Key_Escape))
        clear.triggered.connect(self.query.clear)
        self.addAction(clear)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Service Atlas", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # --- folders and builds -----------------------------------------------------------------

    def open_folder(self, notes: Path) -> None:
        """Build ``notes`` in the background; views refresh when the build reports back."""
        self.notes = Path(notes)
        if self._op is not None:
            self._op.cancel()
        is_samples = self.notes.resolve() == self.samples.resolve()
        if is_samples:
            self.banner.setText(
                "You are looking at the bundled sample notes. "
                '<a href="open"><b>Open your notes folder…</b></a> (Ctrl+O)'
            )
        else:
            self.banner.setText(f"Notes: {html.escape(str(self.notes))}")
        self.setWindowTitle(f"Service Atlas — {self.notes.name}")
        self.statusBar().showMessage(f"Reading {self.notes}…")
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        op = BuildOp(self.notes)
        op.signals.progress.connect(self._on_progress)
        op.signals.finished.connect(self._on_built)
        op.signals.failed.connect(self._on_failed)
        self._op = op
        op.start()

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a notes folder and open it."""
        start = str(self.notes or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Open notes folder", start)
        if chosen:
            self.open_folder(Path(chosen))

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{stage} %v/%m")

    @Slot(object)
    def _on_built(self, changes: OpChanges) -> None:
        if self.sender() is not None and self._op and self.sender() is not self._op.signals:
            return  # a superseded build
        self.result = changes.result
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.services_model.set_graph(changes.result.graph)
        self.tree.expandAll()
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(COL_NAME, 230)
        for col in (1, 2):
            self.tree.resizeColumnToContents(col)
        G = changes.result.graph
        problems = f", {len(changes.problems)} files skipped" if changes.problems else ""
        self.statusBar().showMessage(
            f"{G.number_of_nodes()} services, {G.number_of_edges()} relations{problems}"
        )
        if changes.problems:
            self.details.setHtml(
                "<h3>Some files were skipped</h3><ul>"
                + "".join(f"<li>{html.escape(p)}</li>" for p in changes.problems)
                + "</ul>"
            )
        elif G.number_of_nodes() == 0:
            self.details.setHtml(
                "<h3>No AWS services found here</h3><p>This folder has no notes that name AWS "
                "services. Open another folder with File › Open notes folder… (Ctrl+O).</p>"
            )
        self._remember(self.notes)
        if self.query.text():
            self.run_search()
        self.buildFinished.emit(changes)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.statusBar().showMessage(message)
        self.details.setHtml(f"<h3>Could not open these notes</h3><p>{html.escape(message)}</p>")
        self.buildFailed.emit(message)

    def _remember(self, notes: Path) -> None:
        recent = [str(notes)] + [p for p in self.recent_folders() if p != str(notes)]
        self.settings.setValue("recent", recent[:_MAX_RECENT])
        self.settings.setValue("last_folder", str(notes))
        self._fill_recent()

    def recent_folders(self) -> list[str]:
        """Recently opened folders, newest first."""
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for folder in self.recent_folders():
            action = self.recent_menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self.open_folder(Path(f)))
        self.recent_menu.setEnabled(bool(self.recent_folders()))

    # --- selection and details --------------------------------------------------------------

    def select_service(self, sid: str) -> bool:
        """Select a service in the tree and show its details."""
        index = self.services_model.index_of(sid)
        if not index.isValid():
            return False
        view_index = self.proxy.mapFromSource(index)
        self.tree.setCurrentIndex(view_index)
        self.tree.scrollTo(view_index, QTreeView.ScrollHint.PositionAtCenter)
        self.show_details(sid)
        return True

    @Slot()
    def _tree_selected(self, current, _previous) -> None:
        sid = current.siblingAtColumn(COL_NAME).data(ServiceIdRole)
        if sid:
            self.show_details(sid)

    def show_details(self, sid: str) -> None:
        """Name, category, description, aliases and relations with their evidence."""
        G = self.result.graph
        node = G.nodes[sid]
        parts = [
            f"<h2>{html.escape(node['short'])}</h2>",
            f"<p><i>{html.escape(node['name'])}</i> · {html.escape(node['category'])}</p>",
            f"<p>{html.escape(node.get('description', ''))}</p>",
        ]
        if node.get("aliases"):
            parts.append(f"<p>Also written: {html.escape(', '.join(node['aliases']))}</p>")
        parts.append(
            f"<p>{node.get('mentions', 0)} mentions in {len(node.get('files', []))} files</p>"
        )
        rels = edge_relations(G, sid)
        for relation in RELATIONS:
            group = [r for r in rels if r.relation == relation]
            if not group:
                continue
            style = RELATION_STYLES[relation]
            parts.append(f"<h3 style='color:{style.color}'>{html.escape(style.label)}</h3><ul>")
            for r in group:
                other = r.target if r.source == sid else r.source
                arrow = ""
                if relation == "replaces":
                    arrow = "replaces " if r.source == sid else "replaced by "
                parts.append(
                    f"<li>{arrow}<a href='svc:{html.escape(other)}'>"
                    f"{html.escape(G.nodes[other]['short'])}</a> "
                    f"<small>(confidence {r.confidence:.2f})</small><ul>"
                )
                for e in r.evidence:
                    where = f"{e.file}:{e.line}" if e.line else "your correction"
                    parts.append(
                        f"<li><a href='ev:{e.line}:{html.escape(e.file)}'>{html.escape(where)}</a>"
                        f" — “{html.escape(e.text)}”</li>"
                    )
                parts.append("</ul></li>")
            parts.append("</ul>")
        if not rels:
            parts.append("<p>No relations found for this service yet.</p>")
        self.details.setHtml("".join(parts))

    @Slot(QUrl)
    def _link_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("svc:"):
            self.select_service(target[4:])
        elif target.startswith("ev:"):
            _, line, file = target.split(":", 2)
            self.open_note(file, int(line), int(line))

    def open_note(self, file: str, line: int, end_line: int) -> NoteViewer | None:
        """Open a note read-only at a line; returns the viewer (tests inspect it)."""
        if not self.notes or not file:
            return None
        viewer = NoteViewer(self.notes / file, line, end_line, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        self.last_viewer = viewer
        return viewer

    # --- search -----------------------------------------------------------------------------

    @Slot()
    def run_search(self) -> None:
        """Search the notes for the query box's text (runs on the UI thread: queries take ms)."""
        text = self.query.text().strip()
        if not text or self.result is None or self.result.search is None:
            self.results_model.set_results(None)
            self.search_message.setText("")
            return
        found = self.result.search.search(text, pagelen=50)
        self.results_model.set_results(found)
        note = found.message or ""
        if not found.total:
            tip = f" Did you mean “{found.suggestion}”?" if found.suggestion else ""
            note = (note + " " if note else "") + f"No matches.{tip}"
        else:
            note = (note + " " if note else "") + f"{found.total} matches"
        self.search_message.setText(note)
        self.searchDone.emit(found)

    @Slot()
    def open_hit(self, index) -> None:
        """Open a result: the note at the passage, or the service's details."""
        hit = index.data(HitRole)
        if hit is None:
            return
        if hit.kind == "service":
            self.select_service(hit.subject or hit.services[0])
            return
        if hit.services:
            self.select_service(hit.services[0])
        self.open_note(hit.file, hit.line, hit.end_line)

    # --- about ------------------------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        """Version, Qt and Python versions and the folders the app uses."""
        QMessageBox.about(self, "About Service Atlas", about_text())


def about_text() -> str:
    """The About box's text."""
    import platform

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from graph_data import userdirs

    return (
        f"<h3>Service Atlas {__version__}</h3>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}</p>"
        f"<p>Cache: {html.escape(str(userdirs.cache_dir()))}<br>"
        f"Data: {html.escape(str(userdirs.data_dir()))}<br>"
        f"Logs: {html.escape(str(userdirs.log_dir()))}</p>"
    )
