"""File › Export…: choose a format, what part of the graph to export, and see it before writing.

The part of the graph is a :class:`graph_data.scope.Scope` cut out with
:func:`graph_data.scope.select`, the same function the ``export`` command uses, so the app and
the command line export the same services for the same choices. The selected service (or the
focus) is drawn emphasised in the HTML and PDF sheets and in the preview, whatever the scope,
as long as the export holds it. Choosing the file is a step of its own
(:meth:`ExportDialog.choose_file`), so :meth:`ExportDialog.write` can be called with a path
directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.export_preview import ExportPreview
from app.export_writing import EXPORT_FORMATS, write_export
from graph_data.atomic import UnsafeTarget
from graph_data.export import ExportError, NotesFolderTarget, check_target
from graph_data.export.sheet import short_name
from graph_data.gaps import Gaps, UnknownExam, find_gaps, get_exam, scope_services
from graph_data.records import RELATIONS
from graph_data.scope import Scope, ScopeError, select
from graph_data.style import relation_label

__all__ = [
    "PAGE_SIZE_LABELS",
    "SCOPE_ALL",
    "SCOPE_LABELS",
    "SCOPE_NEIGHBOURS",
    "SCOPE_SEARCH",
    "SCOPE_VIEW",
    "ExportChoice",
    "ExportDialog",
]

#: Page size name -> what the page size box shows.
PAGE_SIZE_LABELS = {"a4": "A4 (210 × 297 mm)", "letter": "Letter (8.5 × 11 in)"}

SCOPE_VIEW = "view"
SCOPE_NEIGHBOURS = "neighbours"
SCOPE_SEARCH = "search"
SCOPE_ALL = "all"
#: Scope name -> its radio button's text, in the order the dialog lists them.
SCOPE_LABELS = {
    SCOPE_VIEW: "Current view (visible services)",
    SCOPE_NEIGHBOURS: "Selected service and its neighbours to depth",
    SCOPE_SEARCH: "Services in the search results",
    SCOPE_ALL: "Whole graph (with filters)",
}

Point = tuple[float, float]


@dataclass(frozen=True)
class ExportChoice:
    """What the dialog will write: scope, subgraph, format, paper, title and emphasised service."""

    scope: Scope
    graph: nx.MultiDiGraph
    fmt: str
    page_size: str
    title: str
    emphasis: str | None = None


class ExportDialog(QDialog):
    """Format, page size, scope and relation types, with a live preview of the export.

    Signals:
        previewChanged(int, int): the services and relations the export holds, after a change.
        exported(object): the path just written.
    """

    previewChanged = Signal(int, int)
    exported = Signal(object)

    def __init__(
        self,
        G: nx.MultiDiGraph,
        *,
        visible: Iterable[str] | None = None,
        selected: str | None = None,
        depth: int = 1,
        relations: Iterable[str] | None = None,
        search_services: Iterable[str] | None = None,
        search_query: str = "",
        positions: Mapping[str, Point] | None = None,
        notes_name: str = "notes",
        folder: Path | None = None,
        notes: Path | None = None,
        exam: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self._G = G
        self._visible = frozenset(visible) if visible else None
        self._selected = selected if selected in G else None
        self._search = None if search_services is None else frozenset(search_services)
        self._query = search_query.strip()
        self._positions = dict(positions or {})
        self._notes_name = notes_name
        #: The notes folder: exports go there only when the user agrees, and never over a note.
        self._notes = notes
        self._folder = folder if folder is not None and folder.is_dir() else Path.home()
        #: The message box of the last failed export (kept so it can be read and closed).
        self.error_box: QMessageBox | None = None
        self._build_format_box()
        self._build_scope_box(depth)
        self._build_relation_box(RELATIONS if relations is None else relations)
        self._build_confidence_box()
        self._build_exam_box(exam)
        self._build_preview()
        self._build_layout()
        self._update_preview()

    # ------------------------------------------------------------------ widgets

    def _build_format_box(self) -> None:
        self.format_box = QComboBox(self)
        for name, (ext, desc) in EXPORT_FORMATS.items():
            self.format_box.addItem(f"{desc} ({ext})", name)
        self.format_box.setAccessibleName("Export format")
        self.page_size_box = QComboBox(self)
        for name, label in PAGE_SIZE_LABELS.items():
            self.page_size_box.addItem(label, name)
        self.page_size_box.setAccessibleName("Page size")
        self.page_size_box.setToolTip("Paper of the PDF")
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _build_scope_box(self, depth: int) -> None:
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        for i, (name, label) in enumerate(SCOPE_LABELS.items()):
            button = QRadioButton(label, self)
            button.setAccessibleName(label)
            self.scope_group.addButton(button, i)
            self.scope_buttons[name] = button
        self.depth_box = QSpinBox(self)
        self.depth_box.setRange(1, 3)
        self.depth_box.setValue(min(max(depth, 1), 3))
        self.depth_box.setAccessibleName("Neighbourhood depth")
        self.depth_box.setToolTip("How many hops around the selected service to export (1–3)")
        neighbours = self.scope_buttons[SCOPE_NEIGHBOURS]
        if self._selected is None:
            neighbours.setEnabled(False)
            neighbours.setToolTip("Select a service on the graph first")
        else:
            short = short_name(self._G, self._selected)
            neighbours.setText(f"Selected service ({short}) and its neighbours to depth")
            neighbours.setToolTip(f"{short} and the services up to this many hops from it")
        search = self.scope_buttons[SCOPE_SEARCH]
        if self._search is None:
            search.setEnabled(False)
            search.setToolTip("Search the notes first")
        else:
            search.setToolTip(f"The {len(self._search)} services the search mentions")
        self.scope_buttons[SCOPE_VIEW].setChecked(True)
        self.scope_group.idToggled.connect(self._scope_toggled)
        self.depth_box.valueChanged.connect(self._depth_changed)

    def _build_relation_box(self, relations: Iterable[str]) -> None:
        wanted = set(relations)
        self.relation_boxes: dict[str, QCheckBox] = {}
        for relation in RELATIONS:
            label = relation_label(relation)
            box = QCheckBox(label, self)
            box.setAccessibleName(f"Export {label} relations")
            box.setChecked(relation in wanted)
            box.toggled.connect(self._update_preview)
            self.relation_boxes[relation] = box

    def _build_confidence_box(self) -> None:
        self.confidence_box = QDoubleSpinBox(self)
        self.confidence_box.setRange(0.0, 1.0)
        self.confidence_box.setSingleStep(0.05)
        self.confidence_box.setDecimals(2)
        self.confidence_box.setSpecialValueText("any")
        self.confidence_box.setAccessibleName("Weakest confidence to export")
        self.confidence_box.setToolTip(
            "Leave out relations the notes state less surely than this (0: export every one)"
        )
        self.confidence_box.valueChanged.connect(self._update_preview)

    def _build_exam_box(self, exam: str | None) -> None:
        """ "Only services in the exam's scope", for the exam the Gaps panel shows."""
        self._exam = None
        self._gaps = None
        self.exam_box = QCheckBox("Only services in the exam's scope", self)
        self.exam_box.setAccessibleName("Only services in the exam's scope")
        if exam:
            try:
                self._exam = get_exam(exam)
            except UnknownExam:
                self._exam = None
        if self._exam is None:
            self.exam_box.setEnabled(False)
            self.exam_box.setToolTip("Choose an exam in the Gaps panel first")
        else:
            self.exam_box.setText(f"Only services in the {self._exam.code} scope")
            self.exam_box.setToolTip(
                f"Services of the {self._exam.title} scope; a Markdown sheet also lists those "
                "your notes never name"
            )
        self.exam_box.toggled.connect(self._update_preview)

    def _build_preview(self) -> None:
        self.preview = ExportPreview(self._positions, self._selected, self)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Page size:", self.page_size_box)
        scope = QGroupBox("What to export", self)
        column = QVBoxLayout(scope)
        for name, button in self.scope_buttons.items():
            if name == SCOPE_NEIGHBOURS:
                row = QHBoxLayout()
                row.addWidget(button)
                row.addWidget(self.depth_box)
                row.addStretch(1)
                column.addLayout(row)
            else:
                column.addWidget(button)
        relations = QHBoxLayout()
        relations.addWidget(QLabel("Relations:", self))
        for box in self.relation_boxes.values():
            relations.addWidget(box)
        relations.addStretch(1)
        column.addLayout(relations)
        weakest = QHBoxLayout()
        weakest.addWidget(QLabel("Leave out relations with confidence below:", self))
        weakest.addWidget(self.confidence_box)
        weakest.addStretch(1)
        column.addLayout(weakest)
        column.addWidget(self.exam_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export…")
        self.buttons.accepted.connect(self._export_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(scope)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 640)

    # ------------------------------------------------------------------ choices

    def set_format(self, fmt: str) -> None:
        """Choose the format ``fmt`` (a key of :data:`EXPORT_FORMATS`)."""
        i = self.format_box.findData(fmt)
        if i < 0:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        self.format_box.setCurrentIndex(i)

    def set_page_size(self, size: str) -> None:
        """Choose the paper of a PDF: ``"a4"`` or ``"letter"``."""
        i = self.page_size_box.findData(size)
        if i < 0:
            raise ValueError(f"unknown page size {size!r}; choose a4 or letter")
        self.page_size_box.setCurrentIndex(i)

    def set_scope(self, scope: str, depth: int | None = None) -> None:
        """Choose what to export (one of :data:`SCOPE_LABELS`), and the depth for neighbours."""
        button = self.scope_buttons.get(scope)
        if button is None:
            raise ValueError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPE_LABELS)}")
        if not button.isEnabled():
            raise ValueError(f"the scope {scope!r} is not available: {button.toolTip()}")
        if depth is not None:
            self.depth_box.setValue(depth)
        button.setChecked(True)

    def set_relations(self, relations: Iterable[str]) -> None:
        """Export only relations of these types."""
        wanted = set(relations)
        for relation, box in self.relation_boxes.items():
            box.setChecked(relation in wanted)

    def set_min_confidence(self, value: float) -> None:
        """Leave out relations whose confidence is below ``value`` (0 to 1; 0 keeps every one)."""
        if not 0 <= value <= 1:
            raise ValueError(f"a confidence lies between 0 and 1, not {value}")
        self.confidence_box.setValue(value)

    def scope_name(self) -> str:
        """The chosen scope's name (a key of :data:`SCOPE_LABELS`)."""
        return next(n for n, b in self.scope_buttons.items() if b.isChecked())

    def scope(self) -> Scope:
        """The chosen part of the graph as a core :class:`Scope`."""
        relations = frozenset(r for r, box in self.relation_boxes.items() if box.isChecked())
        kept = {"relations": relations, "min_confidence": round(self.confidence_box.value(), 2)}
        exam = self.exam_scope()
        name = self.scope_name()
        if name == SCOPE_NEIGHBOURS and self._selected is not None:
            focus = (self._selected,)
            return Scope(focus=focus, depth=self.depth_box.value(), services=exam, **kept)
        services = None
        if name == SCOPE_SEARCH and self._search is not None:
            services = self._search
        elif name == SCOPE_VIEW and self._visible is not None:
            services = self._visible
        if exam is not None:
            services = exam if services is None else services & exam
        return Scope(services=services, **kept)

    def exam_scope(self) -> frozenset[str] | None:
        """The services of the chosen exam's scope when the export is limited to it."""
        if self._exam is None or not self.exam_box.isChecked():
            return None
        return scope_services(self._exam)

    def exam_gaps(self) -> Gaps | None:
        """The exam's gaps in the whole graph, when the export is limited to its scope."""
        if self._exam is None or not self.exam_box.isChecked():
            return None
        if self._gaps is None:
            self._gaps = find_gaps(self._G, self._exam)
        return self._gaps

    def title(self) -> str:
        """The sheet's title for the chosen scope."""
        exam = f" ({self._exam.code} scope)" if self.exam_scope() is not None else ""
        name = self.scope_name()
        if name == SCOPE_NEIGHBOURS and self._selected is not None:
            return f"Study sheet: {short_name(self._G, self._selected)}{exam}"
        if name == SCOPE_SEARCH and self._query:
            return f"Study sheet: search “{self._query}”{exam}"
        return f"Service Atlas study sheet: {self._notes_name}{exam}"

    def choice(self) -> ExportChoice:
        """Everything the dialog will write: scope, subgraph, format, paper, title, emphasis."""
        scope = self.scope()
        sub = select(self._G, scope)
        return ExportChoice(
            scope=scope,
            graph=sub,
            fmt=self.format_box.currentData(),
            page_size=self.page_size_box.currentData(),
            title=self.title(),
            emphasis=self._selected if self._selected in sub else None,
        )

    # ------------------------------------------------------------------ preview

    @Slot()
    def _format_changed(self) -> None:
        self.page_size_box.setEnabled(self.format_box.currentData() == "pdf")

    @Slot(int, bool)
    def _scope_toggled(self, _id: int, checked: bool) -> None:
        # Each change toggles one button off and one on; one preview update is enough.
        if checked:
            self._update_preview()

    @Slot(int)
    def _depth_changed(self, _depth: int) -> None:
        if self.scope_name() == SCOPE_NEIGHBOURS:
            self._update_preview()

    @Slot()
    def _update_preview(self) -> None:
        """Recount and relist the services and relations, and redraw the picture."""
        sub = self.choice().graph
        self.preview.show_graph(sub)
        self.previewChanged.emit(sub.number_of_nodes(), sub.number_of_edges())

    def thumbnail_pixmap(self) -> QPixmap:
        """The preview picture for the current choices (empty when nothing would be exported)."""
        return self.preview.pixmap()

    # ------------------------------------------------------------------ writing

    def write(self, path: Path) -> Path:
        """Write the chosen export to ``path`` (no questions asked) and return the path.

        Raises ``OSError``, ``ExportError`` or ``ScopeError`` for the caller to report.
        """
        choice = self.choice()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_export(
                choice.graph,
                choice.fmt,
                Path(path),
                title=choice.title,
                page_size=choice.page_size,
                positions=self._positions,
                emphasis=choice.emphasis,
                whole=self._G,
                gaps=self.exam_gaps(),
            )
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.exported.emit(written)
        return written

    def export_to(self, path: Path, *, into_notes: bool = False) -> Path | None:
        """Write to ``path``; on failure show one readable line in a message box, return None.

        A path inside the notes folder is written only with ``into_notes`` (the user agreed),
        and never over a note.
        """
        try:
            if self._notes is not None:
                check_target(path, self._notes, force=into_notes)
            return self.write(path)
        except UnsafeTarget as exc:
            self._show_error(f"Could not write {path}: {exc}")
        except OSError as exc:
            self._show_error(f"Could not write {path}: {exc.strerror or exc}")
        except (ExportError, ScopeError, nx.NetworkXError) as exc:
            self._show_error(f"Could not export to {path}: {exc}")
        return None

    def _show_error(self, message: str) -> None:
        self.error_box = QMessageBox(
            QMessageBox.Icon.Warning, "Export failed", message, QMessageBox.StandardButton.Ok, self
        )
        self.error_box.setTextFormat(Qt.TextFormat.PlainText)
        self.error_box.open()

    def suggested_path(self) -> Path:
        """Where the file chooser starts: the last folder and a name from the title."""
        ext = EXPORT_FORMATS[self.format_box.currentData()][0]
        stem = "".join(c if c.isalnum() else "-" for c in self.title().lower())
        stem = "-".join(part for part in stem.split("-") if part)[:60] or "service-atlas"
        return self._folder / f"{stem}{ext}"

    def choose_file(self) -> Path | None:
        """Ask for the file to write (the chooser asks before overwriting); None if cancelled."""
        fmt = self.format_box.currentData()
        ext, desc = EXPORT_FORMATS[fmt]
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", str(self.suggested_path()), f"{desc} (*{ext});;All files (*)"
        )
        if not path:
            return None
        chosen = Path(path)
        if not chosen.suffix and not (fmt == "csv" and chosen.is_dir()):
            chosen = chosen.with_suffix(ext)
        return chosen

    @Slot()
    def _export_clicked(self) -> None:
        path = self.choose_file()
        if path is None:
            return
        self._folder = path.parent
        if self.export_to(path, into_notes=self._agrees_to_notes_folder(path)) is not None:
            self.accept()

    def _agrees_to_notes_folder(self, path: Path) -> bool:
        """Ask before writing into the notes folder (never needed elsewhere)."""
        if self._notes is None:
            return False
        try:
            check_target(path, self._notes)
            return False
        except NotesFolderTarget as exc:
            if exc.overwrites:
                return False  # refused whatever the answer: export_to says why
        answer = QMessageBox.question(
            self,
            "Export into your notes folder?",
            f"{path.name} would be saved inside your notes folder. Service Atlas marks its "
            "study sheets so that they are not read as notes. Save it there anyway?",
        )
        return answer == QMessageBox.StandardButton.Yes
