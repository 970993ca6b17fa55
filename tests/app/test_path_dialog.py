"""Path between services: the dialog runs on Enter, and Details lists the path in its order."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox

from app.gui import sample_notes
from app.main_window import MainWindow
from app.models import REL_COL_TEXT, ServiceIdRole
from app.panels.details import DetailsPanel
from app.path_dialog import PathDialog
from app.settings import open_settings
from graph_data.catalog import load_catalog
from graph_data.graph import build_graph, shortest_path
from graph_data.records import Evidence, Relation

# Undirected relations are stored with source < target, so every hop of the path from Kinesis
# Data Streams to Athena is stored against the path's direction, as on the user's notes.
HOPS = (
    ("ec2", "kinesis-data-streams", "streams.md", 3, "Consumers on EC2 read Kinesis Data Streams."),
    ("ec2", "elastic-load-balancing", "web.md", 5, "EC2 sits behind Elastic Load Balancing."),
    ("athena", "elastic-load-balancing", "logs.md", 7, "Athena reads Elastic Load Balancing logs."),
)
IN_ORDER = "Kinesis Data Streams → EC2 → Elastic Load Balancing → Athena"
NOTE = (
    "# Streaming\n\n"
    "Kinesis Data Streams integrates with EC2 consumers.\n\n"
    "EC2 integrates with Elastic Load Balancing.\n\n"
    "Athena integrates with Elastic Load Balancing logs.\n"
)
# The offscreen platform cannot raise the completion list or grab the keyboard for it.
POPUP_LOG = "This plugin does not support (raise|grabbing the keyboard)"


@pytest.fixture
def graph():
    """A small graph of real catalog services joined by a three-hop chain."""
    relations = [
        Relation(a, "integrates-with", b, (Evidence(file, line, text),), 0.8)
        for a, b, file, line, text in HOPS
    ]
    return build_graph(load_catalog(), relations)


def hop_labels(panel: DetailsPanel) -> list[str]:
    """The text of each hop's row, top to bottom."""
    return [panel.model.index(r, REL_COL_TEXT).data() for r in range(panel.model.rowCount())]


def test_the_path_header_lists_the_services_in_path_order(qtbot, qtmodeltester, graph):
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    steps = shortest_path(graph, "kinesis-data-streams", "athena")
    assert [s.source for s in steps] == ["ec2", "ec2", "athena"], "stored against the path"
    panel.show_path(graph, steps, "kinesis-data-streams")
    qtmodeltester.check(panel.model)
    assert f"Path: {IN_ORDER}</h3>" in panel.header.text()
    assert "3 hops" in panel.header.text()
    assert hop_labels(panel) == [
        "integrates with · Kinesis Data Streams → EC2",
        "integrates with · EC2 → Elastic Load Balancing",
        "integrates with · Elastic Load Balancing → Athena",
    ]
    ids = [panel.model.index(r, REL_COL_TEXT).data(ServiceIdRole) for r in range(3)]
    assert ids == ["ec2", "elastic-load-balancing", "athena"], "a hop's row selects where it goes"
    # Corrections still name each relation as it is stored.
    assert [(g.source, g.target) for g in map(panel.model.group, range(3))] == [
        (a, b) for a, b, *_ in HOPS
    ]


def test_the_path_order_is_found_without_being_told_where_it_starts(qtbot, graph):
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_path(graph, shortest_path(graph, "kinesis-data-streams", "athena"))
    assert IN_ORDER in panel.header.text()
    panel.show_path(graph, shortest_path(graph, "athena", "kinesis-data-streams"), "athena")
    assert " → ".join(reversed(IN_ORDER.split(" → "))) in panel.header.text()


def test_a_replaces_hop_walked_backwards_reads_replaced_by(qtbot, graph):
    # "replaces" is directed: its source is the successor.
    graph.add_edge(
        "athena", "kinesis-data-streams", "replaces", relation="replaces", evidence=[], confidence=1
    )
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    steps = shortest_path(graph, "kinesis-data-streams", "athena", relations=["replaces"])
    panel.show_path(graph, steps, "kinesis-data-streams")
    assert hop_labels(panel) == ["replaced by · Kinesis Data Streams → Athena"]


@pytest.fixture
def dialog(qtbot, graph) -> PathDialog:
    """A shown path dialog over the small graph's services."""
    names = {n: d["short"] for n, d in graph.nodes(data=True)}
    dialog = PathDialog(names)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_and_press_enter(qtbot, box: QComboBox, text: str) -> None:
    """Type ``text`` as a user would, then press Enter where the keyboard's keys go."""
    qtbot.keyClicks(box.lineEdit(), text)
    popup = box.completer().popup()
    # The completion list is open and takes the keys: that is where Enter used to vanish.
    assert popup.isVisible()
    qtbot.keyClick(QApplication.activePopupWidget() or box.lineEdit(), Qt.Key.Key_Return)


@pytest.mark.qt_log_ignore(POPUP_LOG)
def test_enter_in_each_box_runs_the_dialog(qtbot, dialog):
    assert dialog.chosen() == (None, None), "no service is preselected for the user"
    type_and_press_enter(qtbot, dialog.source, "Kinesis Data Streams")
    assert dialog.isVisible(), "the second service is still missing"
    assert dialog.target.hasFocus()
    assert "go to" in dialog.problem.text()
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        type_and_press_enter(qtbot, dialog.target, "athena")
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.chosen() == ("kinesis-data-streams", "athena")


def test_enter_without_the_completion_list_runs_it_once(qtbot, dialog):
    dialog.source.setEditText("EC2")
    dialog.target.setEditText("Athena")
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    qtbot.keyClick(dialog.target.lineEdit(), Qt.Key.Key_Return)
    assert accepted == [True]
    assert dialog.chosen() == ("ec2", "athena")


def test_a_name_that_is_no_service_keeps_the_dialog_open(qtbot, dialog):
    dialog.source.setEditText("EC2")
    dialog.target.setEditText("Kinesis")
    qtbot.keyClick(dialog.target.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "No service is called “Kinesis”" in dialog.problem.text()


def open_built_window(qtbot, folder: Path) -> MainWindow:
    """A shown main window with ``folder`` built and shown."""
    window = MainWindow(open_settings(), sample_notes())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.buildFinished, timeout=60_000):
        window.open_folder(folder)
    return window


@pytest.mark.qt_log_ignore(POPUP_LOG)
def test_go_path_between_services_runs_on_enter_and_shows_the_path_in_order(qtbot, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "streaming.md").write_text(NOTE)
    window = open_built_window(qtbot, folder)
    seen = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, PathDialog)
            seen.append(dialog)
            type_and_press_enter(qtbot, dialog.source, "Kinesis Data Streams")
            type_and_press_enter(qtbot, dialog.target, "Athena")
        finally:
            # A failed step must not leave the modal dialog waiting for a user.
            if isinstance(dialog, PathDialog) and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, answer)
    window.paths.choose()
    assert seen, "Go › Path between services opened the dialog"
    assert window.view_model.path == [
        "kinesis-data-streams",
        "ec2",
        "elastic-load-balancing",
        "athena",
    ]
    assert f"Path: {IN_ORDER}</h3>" in window.details.header.text()
