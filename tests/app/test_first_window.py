"""The desktop window, driven offscreen with pytest-qt: real widgets, real builds, real files."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

from app.gui import sample_notes
from app.service_model import (
    COL_MENTIONS,
    COL_NAME,
    SearchResultsModel,
    ServiceIdRole,
    ServiceTreeModel,
)
from app.window import MainWindow
from graph_data import userdirs
from graph_data.build import build
from tests.conftest import REPO

NOTE = (
    "# Containers\n\n## ECS\n\n"
    "- The Application Load Balancer gives ECS dynamic port mapping for tasks.\n"
    "- Fully integrated with IAM and CloudWatch.\n\n"
    "## SQS vs SNS\n\nSNS pushes messages to SQS queues for fan-out.\n"
)


@pytest.fixture
def notes(tmp_path):
    """A small notes folder written for these tests."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "containers.md").write_text(NOTE)
    return folder


@pytest.fixture
def window(qtbot):
    """A main window with settings kept in the test's config folder."""
    settings = QSettings(str(userdirs.config_dir() / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings, sample_notes())
    qtbot.addWidget(w)
    w.show()
    return w


def open_and_wait(qtbot, window, folder):
    """Open a folder and wait for the background build to report back."""
    with qtbot.waitSignal(window.buildFinished, timeout=60_000) as blocker:
        window.open_folder(folder)
    return blocker.args[0]


def service_rows(model):
    """{service id: mentions} listed by the tree model."""
    rows = {}
    for c in range(model.rowCount()):
        cat = model.index(c, 0)
        for r in range(model.rowCount(cat)):
            sid = model.index(r, COL_NAME, cat).data(ServiceIdRole)
            rows[sid] = int(model.index(r, COL_MENTIONS, cat).data())
    return rows


def test_models_pass_the_model_tester(qtmodeltester, notes):
    result = build(notes)
    tree = ServiceTreeModel()
    tree.set_graph(result.graph)
    qtmodeltester.check(tree)
    hits = SearchResultsModel()
    hits.set_results(result.search.search("ECS"))
    qtmodeltester.check(hits)
    result.search.close()


def test_open_folder_lists_services_by_category_with_counts(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    rows = service_rows(window.services_model)
    assert rows["ecs"] == 2 and rows["application-load-balancer"] == 1
    assert "services" in window.statusBar().currentMessage()
    assert window.settings.value("last_folder") == str(notes)


def test_search_then_open_the_passage_at_its_lines(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    with qtbot.waitSignal(window.searchDone, timeout=5_000) as blocker:
        qtbot.keyClicks(window.query, "dynamic port mapping")
    found = blocker.args[0]
    assert found.hits and found.hits[0].line == 5
    window.open_hit(window.results_model.index(0))
    assert window.last_viewer.selected_lines() == (5, found.hits[0].end_line) == (5, 6)
    assert window.tree.currentIndex().siblingAtColumn(COL_NAME).data(ServiceIdRole) in {
        "application-load-balancer",
        "ecs",
    }


def test_details_list_relations_with_evidence(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    assert window.select_service("ecs")
    text = window.details.toPlainText()
    assert "integrates with" in text and "IAM" in text and "containers.md:6" in text
    assert window.select_service("sqs")
    assert "alternative to" in window.details.toPlainText()


def test_malformed_query_gets_a_message(qtbot, window, notes):
    open_and_wait(qtbot, window, notes)
    window.query.setText('"ECS port')
    window.run_search()
    assert "Unbalanced quote" in window.search_message.text()


def test_unreadable_folder_gets_a_message_not_a_blank_window(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.buildFailed, timeout=10_000):
        window.open_folder(tmp_path / "missing")
    assert "does not exist" in window.details.toPlainText()


def png_size(path):
    """Width and height from a PNG header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot_mode_writes_a_png_of_the_requested_size(tmp_path, notes):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "gui",
            str(notes),
            "--select",
            "ECS",
            "--query",
            "port",
            "--screenshot",
            str(out),
            "--size",
            "900x600",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert png_size(out) == (900, 600)
    assert out.stat().st_size > 20_000  # a blank window compresses to almost nothing
