"""The Gaps panel: an exam to choose, the gaps grouped by kind, a search for a service's row."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.panels.gaps import (
    COL_DETAIL,
    COL_NAME,
    DEFAULT_EXAM,
    GapsModel,
    GapsPanel,
    KindRole,
    QueryRole,
    ServiceIdRole,
    exam_key,
)
from app.settings import open_settings
from graph_data.build import build
from graph_data.gaps import GAP_KINDS, KIND_TITLES, exam_codes, find_gaps
from tests.app.test_main_window import make_window, open_and_wait, write_notes


@pytest.fixture
def built(tmp_path):
    """The notes of the window tests and their graph (S3 Glacier is named, related to nothing)."""
    notes = write_notes(tmp_path)
    return notes, build(notes, index=False).graph


def rows(model, kind: str) -> list[QModelIndex]:
    group = model.index(model.group_row(kind), COL_NAME)
    return [model.index(r, COL_NAME, group) for r in range(model.rowCount(group))]


def test_the_model_passes_the_model_tester(qtmodeltester, built):
    _notes, G = built
    model = GapsModel()
    qtmodeltester.check(model)
    model.set_gaps(find_gaps(G, "SAA-C03"))
    qtmodeltester.check(model)
    model.set_gaps(None)
    assert model.rowCount() == 0


def test_the_panel_groups_the_gaps_by_kind_with_reasons_as_tooltips(qtbot, built):
    notes, G = built
    panel = GapsPanel()
    qtbot.addWidget(panel)
    panel.set_graph(G, notes)
    model = panel.model
    gaps = model.gaps
    assert panel.current_exam() == DEFAULT_EXAM == gaps.exam.code
    groups = [model.index(r, COL_NAME) for r in range(model.rowCount())]
    assert [g.data(KindRole) for g in groups] == list(GAP_KINDS)
    for group, (kind, items) in zip(groups, gaps.by_kind().items(), strict=True):
        assert group.data() == f"{KIND_TITLES[kind]} ({len(items)})"
        assert model.rowCount(group) == len(items)
    unrelated = {i.data(ServiceIdRole): i for i in rows(model, "unrelated")}
    glacier = unrelated["s3-glacier"]
    assert glacier.data() == "S3 Glacier"
    assert glacier.siblingAtColumn(COL_DETAIL).data() == "Storage"
    athena = next(i for i in rows(model, "missing") if i.data(ServiceIdRole) == "athena")
    assert athena.siblingAtColumn(COL_DETAIL).data() == "Analytics · domain 3"
    reason = next(g.reason for g in gaps.unrelated if g.service == "s3-glacier")
    assert glacier.data(Qt.ItemDataRole.ToolTipRole) == reason
    assert glacier.data(QueryRole) == "service:s3-glacier"
    missing = rows(model, "missing")
    assert "Athena" in [i.data() for i in missing]
    assert panel.summary.text() == gaps.summary
    assert panel.view.isExpanded(model.index(model.group_row("missing"), COL_NAME))


def test_area_rows_say_their_weight_and_lead_to_no_search(qtbot, built):
    notes, G = built
    panel = GapsPanel()
    qtbot.addWidget(panel)
    panel.set_graph(G, notes)
    (domain, *_) = rows(panel.model, "domain")
    assert domain.data().startswith("Domain ")
    assert "% of the exam · " in domain.siblingAtColumn(COL_DETAIL).data()
    assert domain.data(QueryRole) == "" and domain.data(ServiceIdRole) == ""
    with qtbot.assertNotEmitted(panel.searchRequested):
        panel.view.activated.emit(domain)


def test_activating_a_service_row_asks_for_its_search(qtbot, built):
    notes, G = built
    panel = GapsPanel()
    qtbot.addWidget(panel)
    panel.set_graph(G, notes)
    glacier = next(i for i in rows(panel.model, "unrelated") if i.data() == "S3 Glacier")
    with qtbot.waitSignal(panel.searchRequested) as blocker:
        panel.view.activated.emit(glacier.siblingAtColumn(COL_DETAIL))
    assert blocker.args == ["service:s3-glacier"]


def test_the_exam_is_remembered_per_notes_folder(qtbot, built, tmp_path):
    notes, G = built
    other = tmp_path / "other"
    other.mkdir()
    settings = open_settings()
    panel = GapsPanel(settings)
    qtbot.addWidget(panel)
    panel.set_graph(G, notes)
    with qtbot.waitSignal(panel.examChanged) as blocker:
        panel.set_exam("dva")
    assert blocker.args == ["DVA-C02"] and panel.model.gaps.exam.code == "DVA-C02"
    panel.set_graph(G, other)
    panel.set_exam("SOA-C03")
    panel.set_graph(G, notes)
    assert panel.current_exam() == "DVA-C02"
    assert panel.model.gaps.exam.code == "DVA-C02"
    panel.set_graph(G, other)
    assert panel.current_exam() == "SOA-C03"
    assert settings.value(exam_key(notes)) == "DVA-C02"
    # The next start, with the same settings, shows each folder its own exam.
    settings.sync()
    again = GapsPanel(open_settings())
    qtbot.addWidget(again)
    again.set_graph(G, notes)
    assert again.current_exam() == "DVA-C02"


def test_a_rebuild_of_the_same_folder_keeps_the_exam_chosen(qtbot, built):
    notes, G = built
    panel = GapsPanel()
    qtbot.addWidget(panel)
    panel.set_graph(G, notes)
    panel.set_exam("CLF-C02")
    panel.set_graph(G, notes)
    assert panel.current_exam() == "CLF-C02"


def test_every_exam_is_offered_and_nothing_is_shown_without_notes(qtbot):
    panel = GapsPanel()
    qtbot.addWidget(panel)
    assert [panel.exam.itemData(i) for i in range(panel.exam.count())] == list(exam_codes())
    assert panel.model.rowCount() == 0
    assert panel.summary.text().startswith("Open a notes folder")
    assert panel.exam.toolTip() and panel.exam.accessibleName()
    assert panel.view.toolTip() and panel.view.accessibleName()


def test_the_window_fills_the_gaps_and_a_row_runs_the_search(qtbot, tmp_path: Path):
    notes = write_notes(tmp_path)
    window = make_window(qtbot)
    open_and_wait(qtbot, window, notes)
    assert window.gaps_dock.objectName() == "gapsDock"
    assert window.gaps_dock.toggleViewAction() in window.panels_menu.actions()
    model = window.gaps.model
    assert model.gaps is not None and model.gaps.exam.code == DEFAULT_EXAM
    glacier = next(i for i in rows(model, "unrelated") if i.data() == "S3 Glacier")
    window.services_dock.raise_()
    with qtbot.waitSignal(window.search.resultsChanged) as blocker:
        window.gaps.view.activated.emit(glacier)
    assert window.search.query.text() == "service:s3-glacier"
    assert blocker.args[0] is not None and blocker.args[0].total >= 1
    assert window.search.isVisible()
