"""Edit › Your decisions: every decision kept for a folder, across restarts, and taking it back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.decisions import COL_DATE, COL_DECISION, CorrectionRole, DecisionsModel
from tests.app.test_corrections_ui import notes, saved, shown, weakest_edge, window  # noqa: F401
from tests.app.test_main_window import make_window, open_and_wait


def test_a_hidden_relation_can_be_brought_back_after_a_restart(qtbot, window, notes):  # noqa: F811
    u, rel, v = weakest_edge(window)
    assert window.corrector.hide(u, rel, v)
    assert saved(window, notes)
    window.close()
    second = make_window(qtbot)
    open_and_wait(qtbot, second, notes)
    assert not shown(second, u, rel, v)
    assert not second.undoAction.isEnabled(), "undo does not reach an earlier session"
    dialog = second.edit.show_decisions()
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 1
    short = second.G.nodes[u].get("short", u)
    assert model.index(0, COL_DECISION).data().startswith(f"Hidden: {short}")
    assert model.index(0, COL_DATE).data() == date.today().isoformat()
    assert not dialog.take_back_button.isEnabled(), "nothing selected yet"
    dialog.select_row(0)
    assert dialog.take_back_button.isEnabled()
    with qtbot.waitSignal(second.corrector.correctionsChanged):
        qtbot.mouseClick(dialog.take_back_button, Qt.MouseButton.LeftButton)
    assert shown(second, u, rel, v), "the relation is back as the notes state it"
    assert model.rowCount() == 0 and dialog.empty.isVisible()
    assert saved(second, notes) == []
    # Taking back is itself undoable.
    second.undoAction.trigger()
    assert not shown(second, u, rel, v) and model.rowCount() == 1


def test_the_decisions_model_lists_newest_first_and_passes_the_model_tester(
    qtbot,
    qtmodeltester,
    window,  # noqa: F811
):
    edges = sorted(window.G.edges(keys=True, data="confidence"), key=lambda e: (e[3], e[:3]))
    (u1, v1, r1, _), (u2, v2, r2, _) = edges[:2]
    window.corrector.hide(u1, r1, v1)
    window.corrector.confirm(u2, r2, v2)
    model = DecisionsModel(window.corrector)
    qtmodeltester.check(model)
    first = model.index(0, COL_DECISION).data(CorrectionRole)
    assert (first.action, first.source, first.target) == ("confirm", u2, v2)
    assert model.index(1, COL_DECISION).data().startswith("Hidden: ")
    window.undoAction.trigger()
    assert model.rowCount() == 1, "the list follows undo"
