"""The main window driven offscreen with pytest-qt: real widgets, real builds, real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui import sample_notes
from app.help_menu import about_text
from app.main_window import MainWindow
from app.models import REL_COL_TEXT, REL_COL_WHERE, ServiceIdRole
from app.settings import last_view_path, open_settings
from graph_data import userdirs
from graph_data.records import RELATIONS

CONTAINERS = (
    "# Containers\n\n## ECS\n\n"
    "- ECS integrates with the Application Load Balancer so each task gets its own host port.\n"
    "- ECS sends container logs to CloudWatch Logs.\n\n"
    "## Messaging\n\nSNS fans out each message to several SQS queues.\n"
)
STORAGE = (
    "# Storage\n\n## EFS vs EBS\n\n"
    "EFS is an alternative to EBS when many instances must share one file system.\n"
    "Keep old archives in S3 Glacier.\n"
)
ALL = {
    "application-load-balancer",
    "cloudwatch-logs",
    "ebs",
    "ecs",
    "efs",
    "s3-glacier",
    "sns",
    "sqs",
}
# S3 Glacier is named without any relation, so it is hidden by default.
CONNECTED = ALL - {"s3-glacier"}


def write_notes(tmp_path: Path) -> Path:
    """A small notes folder written for these tests."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "containers.md").write_text(CONTAINERS)
    (folder / "storage.md").write_text(STORAGE)
    return folder


def make_window(qtbot) -> MainWindow:
    """A main window whose settings live in the test's own config folder."""
    window = MainWindow(open_settings(), sample_notes())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


def open_and_wait(qtbot, window: MainWindow, folder: Path):
    """Open a folder and wait for the background build to report back."""
    with qtbot.waitSignal(window.buildFinished, timeout=60_000) as blocker:
        window.open_folder(folder)
    return blocker.args[0]


def search(qtbot, window: MainWindow, text: str):
    """Type a query and wait for the debounced search to run."""
    with qtbot.waitSignal(window.search.resultsChanged, timeout=5_000) as blocker:
        window.search.query.clear()
        qtbot.keyClicks(window.search.query, text)
    return blocker.args[0]


def test_opening_a_folder_draws_one_item_per_service(qtbot, window, notes):
    changes = open_and_wait(qtbot, window, notes)
    assert set(changes.result.graph) == ALL
    assert window.controls.isolated.isChecked()
    assert window.canvas.visible_service_ids() == CONNECTED
    assert all(window.canvas.item_for(s) is not None for s in ALL)
    assert not window.canvas.item_for("s3-glacier").isVisible()
    assert set(window.services.model.service_ids()) == ALL
    assert window.central.stack.currentIndex() == 0
    assert window.statusBar().currentMessage().startswith("8 services")
    assert not window.central.banner.isVisible()
    assert window.settings.value("last_folder") == str(notes)
    window.controls.isolated.setChecked(False)
    assert window.canvas.visible_service_ids() == ALL


def test_the_samples_show_the_open_your_notes_banner(qtbot, window):
    open_and_wait(qtbot, window, sample_notes())
    assert window.central.banner.isVisible()
    assert window.central.banner_button.text().startswith("Open your notes folder")
    assert window.canvas.visible_service_ids()


def test_search_result_opens_the_passage_and_rings_its_services(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    found = search(qtbot, window, "host port")
    assert found.total >= 1
    assert window.search.model.rowCount() == len(found.hits)
    window.search.pick(0)
    assert window.viewer.highlighted_lines() == (5, 6)
    assert "own host port" in window.viewer.highlighted_text()
    assert {"ecs", "application-load-balancer"} <= window.canvas.highlighted_services()
    assert window.canvas.selected_service() == "ecs"


def test_only_services_in_results_filters_the_graph(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    search(qtbot, window, "queues")
    window.search.only.setChecked(True)
    assert window.canvas.visible_service_ids() == {"sns", "sqs"}
    window.search.only.setChecked(False)
    assert window.canvas.visible_service_ids() == CONNECTED


def test_a_malformed_query_is_explained(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    search(qtbot, window, '"unclosed')
    assert "quote" in window.search.message.text().lower()
    search(qtbot, window, "AND (")
    assert "operator" in window.search.message.text().lower()


def test_details_list_relations_with_evidence_that_opens_the_note(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    assert window.select_service("ecs")
    model = window.details.model
    others = {model.index(r, 0).data(ServiceIdRole) for r in range(model.rowCount())}
    assert others == {"application-load-balancer", "cloudwatch-logs"}
    assert "Amazon Elastic Container Service" in window.details.header.text()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(ServiceIdRole) == "cloudwatch-logs"
    )
    view = window.details.view
    group = model.index(row, REL_COL_TEXT)
    assert view.isExpanded(group)
    assert model.index(0, REL_COL_WHERE, group).data() == "containers.md:6"
    where = model.index(0, REL_COL_TEXT, group)
    view.scrollTo(where)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(where).center()
    )
    assert window.viewer.highlighted_lines() == (6, 6)
    assert window.viewer.path == notes / "containers.md"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(group).center()
    )
    assert window.canvas.selected_service() == "cloudwatch-logs"
    assert window.details.service == "cloudwatch-logs"


def test_relation_filters_min_evidence_and_hide_isolated(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    window.controls.isolated.setChecked(True)
    assert "s3-glacier" not in window.canvas.visible_service_ids()
    window.controls.relations["alternative-to"].setChecked(False)
    assert not {"efs", "ebs"} & window.canvas.visible_service_ids()
    window.controls.relations["alternative-to"].setChecked(True)
    window.controls.min_evidence.setValue(2)
    assert window.canvas.visible_service_ids() == {"efs", "ebs"}
    window.controls.min_evidence.setValue(1)
    window.controls.isolated.setChecked(False)
    assert window.canvas.visible_service_ids() == ALL


def test_double_click_focus_breadcrumb_and_backspace(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    with qtbot.waitSignal(window.view_model.focusChanged):
        window.canvas.serviceActivated.emit("ecs")
    assert window.canvas.visible_service_ids() == {
        "ecs",
        "application-load-balancer",
        "cloudwatch-logs",
    }
    assert window.central.crumb_bar.isVisible()
    assert "All services" in window.central.crumbs.text() and "ECS" in window.central.crumbs.text()
    window.canvas.setFocus()
    window.activateWindow()
    with qtbot.waitSignal(window.view_model.focusChanged) as blocker:
        qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)
    assert blocker.args == [None]
    assert window.canvas.visible_service_ids() == CONNECTED
    assert not window.central.crumb_bar.isVisible()


def test_the_details_panel_offers_focus_on_the_service_it_shows(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    window.select_service("ecs")
    assert "href='focus:ecs'" in window.details.header.text()
    with qtbot.waitSignal(window.view_model.focusChanged) as blocker:
        window.details.header.linkActivated.emit("focus:ecs")
    assert blocker.args == ["ecs"]
    assert window.canvas.visible_service_ids() == {
        "ecs",
        "application-load-balancer",
        "cloudwatch-logs",
    }


def test_focus_depth_two_reaches_the_neighbours_neighbours(qtbot, window, tmp_path):
    chain = tmp_path / "chain"
    chain.mkdir()
    (chain / "web.md").write_text(
        "# Web\n\nECS integrates with the Application Load Balancer.\n"
        "The Application Load Balancer integrates with AWS WAF.\n"
    )
    open_and_wait(qtbot, window, chain)
    with qtbot.waitSignal(window.view_model.focusChanged):
        window.canvas.serviceActivated.emit("ecs")
    assert window.canvas.visible_service_ids() == {"ecs", "application-load-balancer"}
    window.controls.depth.setValue(2)
    assert window.canvas.visible_service_ids() == {"ecs", "application-load-balancer", "waf"}
    window.controls.depth.setValue(1)
    assert window.canvas.visible_service_ids() == {"ecs", "application-load-balancer"}


def test_path_between_two_services(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    ids = window.paths.between("application-load-balancer", "cloudwatch-logs")
    assert ids == ["application-load-balancer", "ecs", "cloudwatch-logs"]
    assert window.details.model.rowCount() == 2
    assert "Path" in window.details.header.text()
    assert window.canvas.focused_edges()
    assert window.paths.between("sns", "ebs") == []
    assert "No chain" in window.statusBar().currentMessage()


def test_live_reload_picks_up_a_new_note_and_keeps_the_selection(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    window.select_service("ecs")
    (notes / "streams.md").write_text("# Streaming\n\nKinesis Data Streams feeds Lambda.\n")
    qtbot.waitUntil(
        lambda: "kinesis-data-streams" in window.canvas.visible_service_ids(), timeout=30_000
    )
    assert window.canvas.selected_service() == "ecs"
    assert window.details.service == "ecs"


def test_named_views_save_and_restore(qtbot, window, notes, tmp_path):
    open_and_wait(qtbot, window, notes)
    window.view_model.focus_on("ecs")
    window.controls.depth.setValue(2)
    window.controls.min_evidence.setValue(1)
    window.controls.relations["replaces"].setChecked(False)
    path = tmp_path / "view.json"
    assert window.views.save_to(path)
    window.view_model.back()
    window.controls.relations["replaces"].setChecked(True)
    assert window.views.open(path)
    assert window.view_model.focus == "ecs"
    assert window.controls.depth.value() == 2
    assert list(window.view_model.relations) == [r for r in RELATIONS if r != "replaces"]


def test_the_last_view_and_settings_come_back(qtbot, notes):
    first = make_window(qtbot)
    open_and_wait(qtbot, first, notes)
    first.view_model.focus_on("ecs")
    first.controls.isolated.setChecked(False)
    first.close()
    assert last_view_path(notes).is_file()
    second = make_window(qtbot)
    assert not second.controls.isolated.isChecked()
    assert second.recent.folders()[0] == str(notes)
    open_and_wait(qtbot, second, notes)
    assert second.view_model.focus == "ecs"
    assert "ecs" in second.canvas.visible_service_ids()
    assert "sns" not in second.canvas.visible_service_ids()


def test_an_empty_folder_says_so_on_the_canvas_area(qtbot, window, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    open_and_wait(qtbot, window, empty)
    assert window.central.stack.currentIndex() == 1
    assert "No AWS services" in window.central.empty.text()
    assert window.central.empty_button.isVisible()


def test_a_missing_folder_is_a_plain_message(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.buildFailed, timeout=30_000) as blocker:
        window.open_folder(tmp_path / "absent")
    assert "Traceback" not in blocker.args[0]
    assert window.central.stack.currentIndex() == 1
    assert "Could not open" in window.central.empty.text()


def test_export_action_emits_and_has_ctrl_e(qtbot, window):
    assert window.exportAction.shortcut().toString() == "Ctrl+E"
    with qtbot.waitSignal(window.exportRequested):
        window.exportAction.trigger()


def test_escape_clears_search_then_selection(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    search(qtbot, window, "queues")
    window.select_service("sqs")
    window.clearAction.trigger()
    assert window.search.query.text() == ""
    assert window.canvas.highlighted_services() == set()
    window.clearAction.trigger()
    assert window.canvas.selected_service() is None


def test_every_control_has_a_tooltip_and_an_accessible_name(window):
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QSpinBox

    for kind in (QLineEdit, QPushButton, QSpinBox, QCheckBox):
        for widget in window.findChildren(kind):
            if widget.parent() is not None and widget.parent().inherits("QAbstractSpinBox"):
                continue
            assert widget.accessibleName(), widget
            assert widget.toolTip(), widget


def test_theme_override_and_about(qtbot, window):
    window.theme.set_theme("dark")
    assert window.canvas.is_dark()
    assert QApplication.palette().window().color().lightness() < 128
    window.theme.set_theme("light")
    assert not window.canvas.is_dark()
    window.theme.set_theme("system")
    text = about_text()
    assert str(userdirs.cache_dir()) in text and "Python" in text and "Qt" in text


@pytest.mark.notes
def test_real_notes_dynamic_port_mapping(qtbot, window, shared_notes):
    open_and_wait(qtbot, window, shared_notes)
    found = search(qtbot, window, "dynamic port mapping")
    assert found.total >= 1
    assert {"ecs", "application-load-balancer"} <= set(found.hits[0].services)
    window.search.pick(0)
    assert window.viewer.highlighted_lines()[0] == found.hits[0].line


def test_path_dialog_completes_names_to_ids(qtbot, window, notes):
    from app.path_dialog import PathDialog

    open_and_wait(qtbot, window, notes)
    dialog = PathDialog(window.view_model.names(), window)
    qtbot.addWidget(dialog)
    dialog.source.setEditText("application load balancer")
    dialog.target.setEditText("CloudWatch Logs")
    assert dialog.chosen() == ("application-load-balancer", "cloudwatch-logs")
    dialog.target.setEditText("no such service")
    assert dialog.chosen()[1] is None
    assert dialog.source.completer().filterMode() == Qt.MatchFlag.MatchContains


def test_export_writes_the_visible_view(qtbot, tmp_path, window, notes):
    import json

    open_and_wait(qtbot, window, notes)
    out = window.exporting.export_view(tmp_path / "view.json", "json")
    data = json.loads(out.read_text())
    assert {n["id"] for n in data["nodes"]} == set(window.canvas.visible_service_ids())
    sheet = window.exporting.export_view(tmp_path / "sheet.md", "markdown")
    assert "## " in sheet.read_text()


def test_a_folder_another_process_is_building_waits_then_opens(qtbot, window, notes):
    from graph_data.build import cache_folder
    from graph_data.folderlock import held

    with held(cache_folder(notes)):
        window.open_folder(notes)
        qtbot.waitUntil(
            lambda: "waiting for another" in window.status.progress.format(), timeout=30_000
        )
        assert window.status.progress.maximum() == 0  # busy: a wait of unknown length
        assert window.status.progress.isVisible()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000) as blocker:
        pass
    assert set(blocker.args[0].result.graph) == ALL
