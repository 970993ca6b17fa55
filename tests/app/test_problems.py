"""The Problems panel, and whole app sessions over hostile and real notes that leave them alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.panels.note import NoteViewer
from app.panels.problems import (
    COL_FILE,
    COL_PROBLEM,
    COL_SEVERITY,
    FileRole,
    ProblemsModel,
    ProblemsPanel,
)
from graph_data.reader import MAX_BYTES
from graph_data.records import Problem
from tests.app.test_main_window import make_window, open_and_wait, search
from tests.hostile import make_hostile, snapshot

PROBLEMS = (
    Problem("b.md", "skipped: binary file", "skipped"),
    Problem("a.md", "not valid UTF-8; read as cp1252, some characters may be wrong"),
    Problem("", "the build cache was damaged and has been rebuilt", "info"),
)


@pytest.fixture
def hostile(tmp_path):
    """A small hostile corpus (no huge files: the app's handling, not the reader's, is tested)."""
    corpus = make_hostile(tmp_path / "hostile", big_mb=0, long_line_mb=0, tiny_notes=20)
    corpus.before = snapshot(corpus.root)
    yield corpus
    (corpus.root / "locked.md").chmod(0o644)


def test_model_rows_kinds_and_roles(qtmodeltester):
    model = ProblemsModel()
    model.set_problems(PROBLEMS)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 3
    kinds = [model.index(r, COL_SEVERITY).data() for r in range(3)]
    assert kinds == ["Skipped", "Read with care", "Note"]
    assert model.index(2, COL_FILE).data() == "(build)"
    assert model.index(0, COL_PROBLEM).data() == "skipped: binary file"
    assert model.index(1, COL_FILE).data(FileRole) == "a.md"
    assert model.skipped_count() == 1
    model.set_problems(())
    assert model.rowCount() == 0


def test_the_kind_comes_from_the_severity_not_from_words_in_the_message():
    model = ProblemsModel()
    model.set_problems(
        (
            Problem("big.md", "left out: 21 MB is over the limit", "skipped"),
            Problem("skipped-notes.md", "not valid UTF-8; read as cp1252"),
        )
    )
    kinds = [model.index(r, COL_SEVERITY).data() for r in range(2)]
    assert kinds == ["Skipped", "Read with care"]
    assert model.skipped_count() == 1


def test_panel_summary_and_activation(qtbot):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    assert "without trouble" in panel.summary.text()
    panel.set_problems(PROBLEMS)
    assert panel.summary.text().startswith("1 file left out of the graph; 2 other notes")
    row = next(
        r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, COL_FILE).data() == "a.md"
    )
    with qtbot.waitSignal(panel.fileActivated) as blocker:
        panel.view.activated.emit(panel.proxy.index(row, COL_PROBLEM))
    assert blocker.args == ["a.md"]
    skipped = next(
        r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, COL_FILE).data() == "b.md"
    )
    with qtbot.assertNotEmitted(panel.fileActivated):
        panel.view.activated.emit(panel.proxy.index(skipped, COL_FILE))
    with qtbot.assertNotEmitted(panel.fileActivated):
        build_row = next(
            r
            for r in range(panel.proxy.rowCount())
            if panel.proxy.index(r, COL_FILE).data() == "(build)"
        )
        panel.view.activated.emit(panel.proxy.index(build_row, COL_FILE))


def test_window_lists_each_bad_file_once_and_opens_it(qtbot, hostile):
    window = make_window(qtbot)
    open_and_wait(qtbot, window, hostile.root)
    model = window.problems.model
    files = [model.index(r, COL_FILE).data() for r in range(model.rowCount())]
    for rel in hostile.skipped | hostile.degraded:
        assert files.count(rel) == 1, (rel, files)
    assert window.status.problems_button.isVisible()
    assert window.status.problems_button.text().startswith(f"⚠ {len(window.result.problems)} file")
    window.viewer_dock.raise_()
    qtbot.mouseClick(window.status.problems_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.problems.isVisible())
    degraded = next(iter(hostile.degraded))
    assert window.navigation.open_note(degraded, 1, 1)
    assert snapshot(hostile.root) == hostile.before


def test_clean_folder_hides_the_problems_button(qtbot, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# SNS\n\nSNS fans out to SQS queues.\n")
    window = make_window(qtbot)
    open_and_wait(qtbot, window, folder)
    assert not window.status.problems_button.isVisible()
    assert window.problems.model.rowCount() == 0


def _session(qtbot, folder: Path, out: Path) -> None:
    """Open, search, select, focus, export and close: what a user does in one sitting."""
    window = make_window(qtbot)
    open_and_wait(qtbot, window, folder)
    search(qtbot, window, "SQS")
    service = next(iter(window.result.graph))
    assert window.select_service(service)
    window.view_model.focus_on(service)
    window.view_model.back()
    window.exporting.export_view(out / "sheet.md", "markdown")
    window.exporting.export_view(out / "sheet.html", "html")
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.folders.reload()
    window.close()
    assert (out / "sheet.md").is_file()


def test_app_session_leaves_hostile_notes_untouched(qtbot, hostile, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _session(qtbot, hostile.root, out)
    assert snapshot(hostile.root) == hostile.before


@pytest.mark.notes
def test_app_session_leaves_real_notes_untouched(qtbot, shared_notes, tmp_path):
    copy = tmp_path / "notes"
    shutil.copytree(shared_notes, copy)
    before = snapshot(copy)
    out = tmp_path / "out"
    out.mkdir()
    _session(qtbot, copy, out)
    assert snapshot(copy) == before


def test_the_note_viewer_refuses_what_the_build_skips_and_decodes_like_it(qtbot, tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    (root / "binary.md").write_bytes(bytes(range(256)) * 64)
    with (root / "huge.md").open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    (root / "utf16.md").write_bytes("# SNS\n\nSNS fans out to SQS.\n".encode("utf-16"))
    viewer = NoteViewer()
    qtbot.addWidget(viewer)
    assert not viewer.show_passage(root, "binary.md", 1, 1)
    assert "binary" in viewer.title.text()
    assert not viewer.show_passage(root, "huge.md", 1, 1)
    assert "limit" in viewer.title.text() and viewer.text.toPlainText() == ""
    assert viewer.show_passage(root, "utf16.md", 3, 3)
    assert viewer.text.toPlainText().splitlines()[2] == "SNS fans out to SQS."


def test_the_note_viewer_refuses_a_link_out_of_the_folder_as_the_build_does(qtbot, tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("a key that must not be shown\n", "utf-8")
    (root / "link.md").symlink_to(secret)
    viewer = NoteViewer()
    qtbot.addWidget(viewer)
    assert not viewer.show_passage(root, "link.md", 1, 1)
    assert "outside the notes folder" in viewer.title.text()
    assert viewer.text.toPlainText() == ""
