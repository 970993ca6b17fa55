"""Corrections in the app: hide, confirm, retag, add, rename, merge; undo/redo; kept on rebuilds."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.corrections import AddRelationDialog, MergeDialog, RenameDialog
from app.gui import sample_notes
from app.models import REL_COL_TEXT, REL_COL_WHERE, EvidenceRole
from graph_data import userdirs
from graph_data.corrections import corrections_path
from tests.app.test_main_window import make_window, open_and_wait


@pytest.fixture
def notes(tmp_path) -> Path:
    """A copy of the bundled sample notes, so live reload can watch edits to it."""
    return Path(shutil.copytree(sample_notes(), tmp_path / "notes"))


@pytest.fixture
def window(qtbot, notes):
    """A shown main window with the copied notes open."""
    w = make_window(qtbot)
    open_and_wait(qtbot, w, notes)
    return w


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its bytes, to prove the notes were left alone."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def weakest_edge(window) -> tuple[str, str, str]:
    """The least sure relation of the graph as ``(source, relation, target)``."""
    edges = window.G.edges(keys=True, data=True)
    u, v, rel, _d = min(edges, key=lambda e: (e[3]["confidence"], e[0], e[1], e[2]))
    return u, rel, v


def shown(window, u: str, rel: str, v: str) -> bool:
    """Whether the canvas draws the edge ``u rel v``."""
    return (u, v, rel) in window.canvas.visible_edges()


def saved(window, notes: Path) -> list[dict]:
    """The corrections stored on disk for ``notes``, once the pending writes are done."""
    window.corrector.flush()
    path = corrections_path(notes)
    return json.loads(path.read_text("utf-8"))["corrections"] if path.exists() else []


def unjoined_pair(window) -> tuple[str, str]:
    """Two services the graph does not join, both drawn."""
    ids = sorted(window.canvas.visible_service_ids())
    return next((a, b) for a in ids for b in ids if a < b and not window.G.has_edge(a, b))


def test_corrections_are_written_off_the_ui_thread_in_order(qtbot, window, notes):
    import threading

    writers = []
    real = window.corrector._write

    def spy(*args):
        writers.append(threading.current_thread())
        return real(*args)

    window.corrector._write = spy
    u, rel, v = weakest_edge(window)
    with qtbot.waitSignal(window.corrector.saved, timeout=10_000):
        window.corrector.hide(u, rel, v)
        window.undoAction.trigger()
        window.redoAction.trigger()
    assert writers and threading.main_thread() not in writers
    assert [c["action"] for c in saved(window, notes)] == ["hide"]  # the last state wins


def test_hide_undo_redo_follow_the_canvas_and_the_file(qtbot, window, notes):
    before = snapshot(notes)
    u, rel, v = weakest_edge(window)
    assert shown(window, u, rel, v)
    assert window.corrector.hide(u, rel, v)
    assert not shown(window, u, rel, v)
    today = date.today().isoformat()
    assert saved(window, notes) == [
        {
            "action": "hide",
            "source": u,
            "relation": rel,
            "target": v,
            "reason": "",
            "value": "",
            "when": today,
        }
    ]
    assert window.undoAction.isEnabled()
    assert "hide" in window.undoAction.text().lower()
    window.undoAction.trigger()
    assert shown(window, u, rel, v)
    assert saved(window, notes) == []
    window.redoAction.trigger()
    assert not shown(window, u, rel, v)
    assert [c["action"] for c in saved(window, notes)] == ["hide"]
    assert not window.result.graph.has_edge(u, v, rel), "exports use the corrected graph"
    assert snapshot(notes) == before


def test_details_buttons_confirm_retag_and_hide_with_ctrl_z(qtbot, window):
    u, rel, v = weakest_edge(window)
    window.select_service(u)
    assert window.details.select_relation(v, rel)
    assert window.details.confirm_button.isEnabled()
    qtbot.mouseClick(window.details.confirm_button, Qt.MouseButton.LeftButton)
    assert window.G[u][v][rel]["confirmed"]
    assert window.details.service == u, "the selection stays"
    group = window.details.current_group()
    assert (group.other, group.relation) == (v, rel), "and so does the current relation"
    assert group.note == "confirmed by you"
    other = next(r for r in ("integrates-with", "alternative-to") if r != rel)
    assert window.details.request("retag", other)
    assert window.G.has_edge(*sorted((u, v)), other)
    assert not window.G.has_edge(u, v, rel)
    window.undoAction.trigger()
    assert window.G.has_edge(u, v, rel)
    window.details.select_relation(v, rel)
    qtbot.mouseClick(window.details.hide_button, Qt.MouseButton.LeftButton)
    assert not shown(window, u, rel, v)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(window, u, rel, v)
    qtbot.keyClick(
        window.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not shown(window, u, rel, v)


def test_an_added_relation_is_drawn_with_the_reason_as_evidence(qtbot, window, notes):
    a, b = unjoined_pair(window)
    assert window.corrector.add(a, "integrates-with", b, "my lab wired them together")
    assert shown(window, a, "integrates-with", b)
    window.select_service(a)
    model = window.details.model
    row = next(r for r in range(model.rowCount()) if model.group(r).other == b)
    assert "added by you" in model.index(row, REL_COL_TEXT).data()
    quote = model.index(0, REL_COL_TEXT, model.index(row, 0))
    assert quote.data(EvidenceRole).text == "Added by you: my lab wired them together"
    assert quote.siblingAtColumn(REL_COL_WHERE).data() == "your correction"
    assert saved(window, notes)[0]["reason"] == "my lab wired them together"
    window.undoAction.trigger()
    assert not window.G.has_edge(a, b)


def test_the_add_dialog_says_what_is_missing(qtbot, window):
    a, b = unjoined_pair(window)
    dialog = AddRelationDialog(window.view_model.names(), window, source=a)
    qtbot.addWidget(dialog)
    assert dialog.values()[0] == a
    dialog.target.setCurrentIndex(dialog.target.findData(b))
    dialog.relation.setCurrentIndex(dialog.relation.findData("alternative-to"))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "why" in dialog.problem.text().lower()
    dialog.reason.setText("both store objects")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == (a, "alternative-to", b, "both store objects")
    same = AddRelationDialog(window.view_model.names(), window, source=a)
    qtbot.addWidget(same)
    same.target.setCurrentIndex(same.target.findData(a))
    same.reason.setText("x")
    same.accept()
    assert "different" in same.problem.text()


def test_rename_and_merge_change_names_and_services_and_undo(qtbot, window, notes):
    u, _rel, v = weakest_edge(window)
    assert window.corrector.rename(u, "My name for it")
    assert window.G.nodes[u]["short"] == "My name for it"
    assert window.view_model.names()[u] == "My name for it"
    assert window.canvas.item_for(u) is not None
    gone, kept = v, next(n for n in sorted(window.G) if n not in (u, v) and window.G.degree(n))
    moved = set(window.G.to_undirected().neighbors(gone)) - {kept}
    assert moved
    assert window.corrector.merge(gone, kept)
    assert gone not in window.canvas.visible_service_ids()
    assert gone not in window.services.model.service_ids()
    assert moved <= set(window.G.to_undirected().neighbors(kept))
    assert [c["action"] for c in saved(window, notes)] == ["rename", "merge"]
    window.undoAction.trigger()
    assert gone in window.canvas.visible_service_ids()
    window.undoAction.trigger()
    assert window.G.nodes[u]["short"] != "My name for it"
    assert saved(window, notes) == []


def test_rename_and_merge_dialogs(qtbot, window):
    sid = sorted(window.G)[0]
    rename = RenameDialog(window.view_model.names(), window, service=sid)
    qtbot.addWidget(rename)
    assert rename.name.text() == window.view_model.names()[sid]
    rename.name.setText("")
    rename.accept()
    assert rename.result() != QDialog.DialogCode.Accepted
    rename.name.setText("Other")
    rename.accept()
    assert rename.values() == (sid, "Other")
    merge = MergeDialog(window.view_model.names(), window, service=sid)
    qtbot.addWidget(merge)
    merge.kept.setCurrentIndex(merge.kept.findData(sid))
    merge.accept()
    assert "different" in merge.problem.text()


def test_corrections_survive_rebuild_note_edit_and_restart(qtbot, window, notes):
    u, rel, v = weakest_edge(window)
    a, b = unjoined_pair(window)
    window.corrector.hide(u, rel, v)
    window.corrector.add(a, "alternative-to", b, "they solve the same problem")
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.folders.reload()
    assert not shown(window, u, rel, v)
    assert shown(window, a, "alternative-to", b)
    assert window.undoAction.isEnabled(), "a rebuild keeps the undo history"
    note = next(p for p in sorted(notes.rglob("*.md")) if p.name != "index.md")
    with (
        qtbot.waitSignal(window.buildFinished, timeout=60_000) as blocker,
        note.open("a", encoding="utf-8") as fh,
    ):
        fh.write("\nKinesis Data Streams feeds Lambda.\n")
    assert note.relative_to(notes).as_posix() in blocker.args[0].result.reparsed
    assert not shown(window, u, rel, v)
    assert shown(window, a, "alternative-to", b)
    window.close()
    second = make_window(qtbot)
    open_and_wait(qtbot, second, notes)
    assert not shown(second, u, rel, v)
    assert shown(second, a, "alternative-to", b)
    assert not second.undoAction.isEnabled(), "a new session starts a new undo history"


def test_another_folder_brings_its_own_corrections_and_history(qtbot, window, notes, tmp_path):
    u, rel, v = weakest_edge(window)
    window.corrector.hide(u, rel, v)
    other = Path(shutil.copytree(sample_notes(), tmp_path / "other"))
    open_and_wait(qtbot, window, other)
    assert window.corrector.stack.count() == 0
    assert shown(window, u, rel, v), "the other folder has no corrections"
    assert saved(window, notes) and not saved(window, other)
    open_and_wait(qtbot, window, notes)
    assert not shown(window, u, rel, v)


def test_a_read_only_data_folder_is_explained_and_the_graph_stays_right(qtbot, window, notes):
    u, rel, v = weakest_edge(window)
    # A file where the corrections folder should be: every save fails, as on a read-only disk.
    (userdirs.data_dir() / "corrections").write_text("not a folder")
    with qtbot.waitSignal(window.corrector.saveFailed, timeout=10_000):
        assert window.corrector.hide(u, rel, v)  # saved off the UI thread: the news comes back
    assert not shown(window, u, rel, v)
    assert window.corrector.unsaved
    # What the decision taught is reported later, and must not push the failure out of sight.
    qtbot.waitUntil(lambda: not window.session.relearning, timeout=10_000)
    assert "Could not save your corrections" in window.statusBar().currentMessage()
    assert window.edit.save_box is not None and window.edit.save_box.isVisible()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.folders.reload()
    assert not shown(window, u, rel, v), "the rebuild keeps the unsaved correction"
    window.undoAction.trigger()
    assert shown(window, u, rel, v)


def test_the_edit_menu_holds_undo_redo_and_the_corrections(qtbot, window):
    texts = [a.text() for a in window.menus["&Edit"].actions() if not a.isSeparator()]
    assert texts[:2] == ["&Undo", "&Redo"]
    assert {"&Add relation…", "Re&name service…", "&Merge services…"} <= set(texts)
    assert window.undoAction.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [k.toString() for k in window.redoAction.shortcuts()]
    assert window.menuBar().actions()[1].text() == "&Edit"
    assert not window.undoAction.isEnabled()


def test_details_offers_replaces_both_ways_round(qtbot, window):
    u, rel, v = next(
        (a, k, b) for a, b, k in window.G.edges(keys=True) if k != "replaces" and a < b
    )
    window.select_service(u)
    assert window.details.select_relation(v, rel)
    window.details._fill_retag_menu()
    texts = [a.text() for a in window.details.retag_menu.actions()]
    name = {s: window.G.nodes[s]["short"] for s in (u, v)}
    assert f"{name[u]} replaces {name[v]}" in texts
    assert f"{name[v]} replaces {name[u]}" in texts
    # The second service first: the one the alphabet would not have picked.
    pick = next(a for a in window.details.retag_menu.actions() if a.text().startswith(name[v]))
    pick.trigger()
    assert window.G.has_edge(v, u, "replaces") and not window.G.has_edge(u, v, "replaces")


def test_undoing_a_merge_moves_no_other_service_and_keeps_the_users_zoom(qtbot, window):
    u, _rel, v = weakest_edge(window)
    kept = next(n for n in sorted(window.G) if n not in (u, v) and window.G.degree(n))
    window.canvas.zoom_in()
    zoom = window.canvas.zoom()
    before = window.canvas.positions()
    assert window.corrector.merge(v, kept)
    window.undoAction.trigger()
    after = window.canvas.positions()
    assert after == before, "every service, the merged one too, is back where it was"
    width = window.canvas.viewport().width()
    window.resize(window.width() - 120, window.height())
    qtbot.waitUntil(lambda: window.canvas.viewport().width() != width)
    assert window.canvas.zoom() == pytest.approx(zoom), "a resize does not re-fit a chosen zoom"


def test_edit_rename_asks_applies_and_frees_its_dialog(qtbot, window):
    sid = window.canvas.selected_service() or sorted(window.G)[0]
    window.select_service(sid)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RenameDialog)
        dialog.name.setText("Picked in the dialog")
        dialog.accept()

    QTimer.singleShot(0, answer)
    window.edit.choose_rename()
    assert window.G.nodes[sid]["short"] == "Picked in the dialog"
    qtbot.waitUntil(lambda: not window.findChildren(RenameDialog))


def test_a_replaces_relation_is_turned_round_from_its_menu_and_says_so(qtbot, window):
    u, _, v = next((a, r, b) for a, b, r in window.G.edges(keys=True) if r == "replaces")
    window.select_service(u)
    assert window.details.select_relation(v, "replaces")
    window.details._fill_retag_menu()
    words = [a.text() for a in window.details.retag_menu.actions()]
    name = window.corrector.name_of
    turned = f"{name(v)} replaces {name(u)}"
    assert turned in words and f"{name(u)} replaces {name(v)}" not in words
    next(a for a in window.details.retag_menu.actions() if a.text() == turned).trigger()
    assert window.G.has_edge(v, u, "replaces") and not window.G.has_edge(u, v, "replaces")
    assert "turn round" in window.undoAction.text().lower()
    window.select_service(v)
    assert window.details.select_relation(u, "replaces")
    assert window.details.current_group().note == "turned round by you"
    window.undoAction.trigger()
    assert window.G.has_edge(u, v, "replaces")


def test_a_changed_type_is_labelled_as_changed_not_confirmed(qtbot, window):
    u, rel, v = next((a, r, b) for a, b, r in window.G.edges(keys=True) if r == "integrates-with")
    window.select_service(u)
    assert window.details.select_relation(v, rel)
    assert window.details.request("retag", "alternative-to")
    window.select_service(u)
    assert window.details.select_relation(v, "alternative-to")
    assert window.details.current_group().note == "changed by you (was integrates with)"
