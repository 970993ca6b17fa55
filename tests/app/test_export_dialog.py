"""File › Export…: the dialog's scopes on the sample graph, its live preview, and real writes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from pypdf import PdfReader

from app.export_dialog import (
    SCOPE_ALL,
    SCOPE_NEIGHBOURS,
    SCOPE_SEARCH,
    SCOPE_VIEW,
    ExportDialog,
)
from app.export_writing import EXPORT_FORMATS
from app.gui import sample_notes
from app.main_window import MainWindow
from app.settings import open_settings
from graph_data.build import build
from graph_data.export import FORMATS
from graph_data.scope import Scope, select
from tests.graph_data.test_export import vis_items


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample notes built once with their search index (nothing here changes the graph)."""
    with pytest.MonkeyPatch.context() as mp:
        # Built before the per-test folders exist: keep its cache out of the real user folders.
        mp.setenv("SERVICE_ATLAS_CACHE", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("SERVICE_ATLAS_DATA", str(tmp_path_factory.mktemp("data")))
        return build(sample_notes(), index=True)


def around(G: nx.MultiDiGraph, service: str, depth: int, relations=None) -> set[str]:
    """The services within ``depth`` hops of ``service``, worked out without the core's scope."""
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from(
        (u, v) for u, v, r in G.edges(data="relation") if relations is None or r in relations
    )
    return set(nx.single_source_shortest_path_length(U, service, cutoff=depth))


def make_dialog(qtbot, G: nx.MultiDiGraph, **kwargs) -> ExportDialog:
    """A shown dialog over ``G``."""
    dialog = ExportDialog(G, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_formats_are_the_cores_and_pdf(qtbot, sample):
    dialog = make_dialog(qtbot, sample.graph)
    offered = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert offered == [*FORMATS, "pdf"] == list(EXPORT_FORMATS)
    dialog.set_format("markdown")
    assert not dialog.page_size_box.isEnabled()
    dialog.set_format("pdf")
    assert dialog.page_size_box.isEnabled()
    dialog.set_page_size("letter")
    assert (dialog.choice().fmt, dialog.choice().page_size) == ("pdf", "letter")
    with pytest.raises(ValueError, match="unknown format"):
        dialog.set_format("docx")


def test_neighbours_depth_one_and_two(qtbot, sample):
    G = sample.graph
    dialog = make_dialog(qtbot, G, selected="s3")
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=1)
    one = set(dialog.choice().graph)
    assert one == around(G, "s3", 1)
    assert dialog.choice().scope == Scope(
        focus=("s3",), depth=1, relations=frozenset(dialog.relation_boxes)
    )
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=2)
    two = set(dialog.choice().graph)
    assert two == around(G, "s3", 2)
    assert one < two
    assert dialog.choice().title == "Study sheet: S3"


def test_relation_filter_keeps_only_those_relations(qtbot, sample):
    G = sample.graph
    dialog = make_dialog(qtbot, G, selected="efs")
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=1)
    dialog.set_relations({"alternative-to"})
    sub = dialog.choice().graph
    assert {r for *_, r in sub.edges(data="relation")} == {"alternative-to"}
    assert set(sub) == around(G, "efs", 1, {"alternative-to"})
    assert set(sub) < around(G, "efs", 1)


def test_the_weakest_confidence_leaves_out_weaker_relations(qtbot, sample):
    G = sample.graph
    confidences = sorted(c for *_, c in G.edges(data="confidence"))
    cut = round(confidences[len(confidences) // 2], 2)
    dialog = make_dialog(qtbot, G)
    dialog.set_scope(SCOPE_ALL)
    with qtbot.waitSignal(dialog.previewChanged) as changed:
        dialog.confidence_box.setValue(cut)
    kept = [c for *_, c in dialog.choice().graph.edges(data="confidence")]
    assert min(kept) >= cut and len(kept) == sum(c >= cut for c in confidences)
    assert changed.args[1] == len(kept) < G.number_of_edges()
    assert dialog.choice().scope.min_confidence == cut
    with pytest.raises(ValueError, match="between 0 and 1"):
        dialog.set_min_confidence(1.5)


def test_search_results_scope(qtbot, sample):
    G = sample.graph
    with sample.search as index:
        found = index.search("queue", pagelen=1000)
        services = set(index.services_in(found))
    assert len(services) >= 2
    dialog = make_dialog(qtbot, G, search_services=services, search_query="queue")
    dialog.set_scope(SCOPE_SEARCH)
    assert set(dialog.choice().graph) == services & set(G)
    assert dialog.choice().graph.number_of_nodes() < G.number_of_nodes()
    assert "queue" in dialog.choice().title


def test_view_and_whole_graph_scopes(qtbot, sample):
    G = sample.graph
    visible = set(list(G)[:12])
    dialog = make_dialog(qtbot, G, visible=visible)
    assert dialog.scope_name() == SCOPE_VIEW
    assert set(dialog.choice().graph) == visible
    dialog.set_scope(SCOPE_ALL)
    assert set(dialog.choice().graph) == set(G)
    dialog.set_relations({"replaces"})
    assert dialog.choice().graph.number_of_edges() == sum(
        1 for *_, r in G.edges(data="relation") if r == "replaces"
    )


def test_scopes_without_a_selection_or_search_are_disabled(qtbot, sample):
    dialog = make_dialog(qtbot, sample.graph)
    assert not dialog.scope_buttons[SCOPE_NEIGHBOURS].isEnabled()
    assert not dialog.scope_buttons[SCOPE_SEARCH].isEnabled()
    with pytest.raises(ValueError, match="not available"):
        dialog.set_scope(SCOPE_SEARCH)


def test_preview_follows_the_scope(qtbot, qtmodeltester, sample):
    G = sample.graph
    dialog = make_dialog(qtbot, G, selected="efs")
    with qtbot.waitSignal(dialog.previewChanged) as blocker:
        dialog.set_scope(SCOPE_NEIGHBOURS, depth=1)
    one = select(G, Scope(focus=("efs",), depth=1))
    assert blocker.args == [one.number_of_nodes(), one.number_of_edges()]
    assert dialog.preview.services_model.rowCount() == one.number_of_nodes()
    assert dialog.preview.relations_model.rowCount() == one.number_of_edges()
    assert f"<b>{one.number_of_nodes()}</b> services" in dialog.preview.count_label.text()
    assert "EFS" in dialog.preview.services_model.lines()
    assert not dialog.thumbnail_pixmap().isNull()
    with qtbot.waitSignal(dialog.previewChanged) as blocker:
        dialog.depth_box.setValue(2)
    assert blocker.args[0] == len(around(G, "efs", 2)) > one.number_of_nodes()
    assert dialog.preview.services_model.rowCount() == blocker.args[0]
    with qtbot.waitSignal(dialog.previewChanged) as blocker:
        dialog.relation_boxes["integrates-with"].setChecked(False)
    rest = select(G, Scope(focus=("efs",), depth=2, relations={"alternative-to", "replaces"}))
    assert blocker.args == [rest.number_of_nodes(), rest.number_of_edges()]
    lines = dialog.preview.relations_model.lines()
    assert len(lines) == rest.number_of_edges() > 0
    assert not any("integrates with" in line for line in lines)
    qtmodeltester.check(dialog.preview.services_model)
    qtmodeltester.check(dialog.preview.relations_model)


def test_nothing_to_export_shows_so(qtbot):
    dialog = make_dialog(qtbot, nx.MultiDiGraph())
    assert dialog.thumbnail_pixmap().isNull()
    assert "Nothing to export" in dialog.preview.thumbnail.text()
    assert "<b>0</b> services" in dialog.preview.count_label.text()


def test_dialog_writes_a_pdf_and_markdown(qtbot, tmp_path, sample):
    dialog = make_dialog(qtbot, sample.graph, selected="s3")
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=1)
    dialog.set_format("pdf")
    dialog.set_page_size("letter")
    with qtbot.waitSignal(dialog.exported) as blocker:
        out = dialog.write(tmp_path / "s3.pdf")
    assert blocker.args == [out]
    box = PdfReader(str(out)).pages[0].mediabox
    assert abs(float(box.width) - 612) <= 2 and abs(float(box.height) - 792) <= 2
    dialog.set_format("markdown")
    md = dialog.write(tmp_path / "s3.md").read_text()
    assert "# Study sheet: S3" in md and "## S3" in md


def test_the_selected_service_stands_out_in_html_and_pdf_exports(qtbot, tmp_path, sample):
    G = sample.graph
    dialog = make_dialog(qtbot, G, selected="s3")
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=2)
    assert dialog.choice().emphasis == "s3"
    # The preview draws it selected too, as the sheets will.
    assert not dialog.thumbnail_pixmap().isNull()
    assert dialog.preview.scene.selected_service() == "s3"
    dialog.set_format("html")
    page = dialog.write(tmp_path / "s3.html").read_text("utf-8")
    nodes = {n["id"]: n for n in vis_items(page, "nodes")}
    assert nodes["s3"]["label"] == "<b>S3</b>" and nodes["s3"]["borderWidth"] > 2
    faded = {n for n, d in nodes.items() if isinstance(d["color"], dict) and n != "s3"}
    assert faded == around(G, "s3", 2) - around(G, "s3", 1) != set()
    dialog.set_format("pdf")
    first = PdfReader(str(dialog.write(tmp_path / "s3.pdf"))).pages[0].extract_text()
    assert "S3 and its relations stand out" in " ".join(first.split())
    # Exporting the whole graph while S3 is selected: S3 stands out there too.
    dialog.set_scope(SCOPE_ALL)
    assert dialog.choice().emphasis == "s3"
    dialog.set_format("html")
    page = dialog.write(tmp_path / "all.html").read_text("utf-8")
    assert {n["id"]: n for n in vis_items(page, "nodes")}["s3"]["label"] == "<b>S3</b>"


def test_an_export_without_the_selected_service_emphasises_nothing(qtbot, tmp_path, sample):
    dialog = make_dialog(qtbot, sample.graph, selected="s3", search_services={"sqs", "sns"})
    dialog.set_scope(SCOPE_SEARCH)
    assert dialog.choice().emphasis is None
    dialog.set_format("html")
    page = dialog.write(tmp_path / "queues.html").read_text("utf-8")
    assert not [n for n in vis_items(page, "nodes") if isinstance(n["color"], dict)]
    assert "stand out" not in page


def test_a_failed_export_is_one_line_in_a_message_box(qtbot, tmp_path, sample):
    dialog = make_dialog(qtbot, sample.graph)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert dialog.export_to(blocker / "sheet.md") is None
    assert dialog.error_box is not None and dialog.error_box.isVisible()
    text = dialog.error_box.text()
    assert "\n" not in text and "Traceback" not in text and str(blocker) in text
    dialog.error_box.close()


def test_suggested_path_follows_format_and_title(qtbot, sample):
    dialog = make_dialog(qtbot, sample.graph, selected="s3")
    dialog.set_scope(SCOPE_NEIGHBOURS)
    dialog.set_format("pdf")
    assert dialog.suggested_path().name == "study-sheet-s3.pdf"
    dialog.set_format("anki")
    assert dialog.suggested_path().suffix == ".apkg"


def test_window_export_dialog_uses_the_windows_state(qtbot, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "messaging.md").write_text(
        "# Messaging\n\n## SNS\n\n- SNS fans out each message to several SQS queues.\n"
        "- Lambda polls SQS for work.\n\n## Streams\n\nKinesis Data Streams is an alternative "
        "to SQS when consumers must replay records.\n"
    )
    before = sorted(p.name for p in notes.rglob("*"))
    window = MainWindow(open_settings(), sample_notes())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.open_folder(notes)
    window.select_service("sns")
    window.exportAction.trigger()
    dialog = window.exporting.dialog
    assert dialog.isVisible()
    dialog.set_scope(SCOPE_NEIGHBOURS, depth=1)
    assert set(dialog.choice().graph) == around(window.result.graph, "sns", 1)
    dialog.set_format("pdf")
    out = dialog.write(tmp_path / "sns.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    assert "Exported to" in window.statusBar().currentMessage()
    dialog.close()
    window.exportAction.trigger()
    assert window.exporting.dialog.suggested_path().parent == tmp_path, (
        "the next export starts there"
    )
    window.exporting.dialog.close()
    # export_view keeps working for callers that pass a path and a format (and now a scope).
    view = window.exporting.export_view(tmp_path / "view.pdf", "pdf", page_size="letter")
    assert abs(float(PdfReader(str(view)).pages[0].mediabox.width) - 612) <= 2
    scoped = window.exporting.export_view(
        tmp_path / "sqs.json", "json", Scope(focus=("sqs",), depth=1)
    )
    assert "kinesis-data-streams" in scoped.read_text()
    assert sorted(p.name for p in notes.rglob("*")) == before
    assert not list(Path(tmp_path).glob(".*.tmp"))


def test_export_never_lands_over_a_note_and_asks_for_the_notes_folder(qtbot, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "s3.md"
    note.write_text("# S3\n\n- S3 sends events to Lambda.\n", encoding="utf-8")
    G = nx.MultiDiGraph()
    G.add_node("s3", short="S3", name="Amazon S3", category="Storage")
    dialog = make_dialog(qtbot, G, notes=notes)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("markdown"))
    before = note.read_bytes()
    assert dialog.export_to(note, into_notes=True) is None
    assert "never overwrites your notes" in dialog.error_box.text()
    assert note.read_bytes() == before
    assert dialog.export_to(notes / "sheet.md") is None
    assert "inside your notes folder" in dialog.error_box.text()
    assert not (notes / "sheet.md").exists()
    assert dialog.export_to(notes / "sheet.md", into_notes=True) == notes / "sheet.md"
    assert dialog.export_to(tmp_path / "elsewhere.md") == tmp_path / "elsewhere.md"


def test_an_export_limited_to_the_exams_scope_lists_what_the_notes_lack(qtbot, tmp_path, sample):
    from graph_data.export.markdown import md_text
    from graph_data.gaps import find_gaps, scope_services

    G = sample.graph
    dialog = make_dialog(qtbot, G, exam="saa")
    dialog.set_scope(SCOPE_ALL)
    every = dialog.choice().graph.number_of_nodes()
    with qtbot.waitSignal(dialog.previewChanged):
        dialog.exam_box.setChecked(True)
    sub = dialog.choice().graph
    assert set(sub) <= scope_services("saa") and sub.number_of_nodes() < every
    assert "SAA-C03 scope" in dialog.choice().title
    dialog.set_format("markdown")
    path = dialog.write(tmp_path / "saa.md")
    text = Path(path).read_text("utf-8")
    missing = find_gaps(G, "saa").missing
    assert missing and "\n## Not in your notes yet\n" in text
    assert all(f"- **{md_text(g.short)}**" in text for g in missing)


def test_without_an_exam_the_scope_box_says_where_to_choose_one(qtbot, sample):
    dialog = make_dialog(qtbot, sample.graph)
    assert not dialog.exam_box.isEnabled() and "Gaps panel" in dialog.exam_box.toolTip()
    assert dialog.exam_scope() is None
