"""The ViewModel on its own, without a window: real objects, real signals."""

from __future__ import annotations

import networkx as nx
import pytest

from app.panels.search import SearchPanel
from app.panels.services import ServicesPanel
from app.settings import ViewState
from app.view_model import ViewModel
from graph_data.records import RELATIONS

SIGNALS = (
    "relationsChanged",
    "minEvidenceChanged",
    "hideIsolatedChanged",
    "depthChanged",
    "onlyResultsChanged",
    "queryChanged",
    "foundChanged",
    "focusChanged",
    "shownChanged",
    "selectionChanged",
    "pathChanged",
)


def chain() -> nx.MultiDiGraph:
    """a - b - c - d, and e alone: depth 2 around a reaches c, depth 1 does not."""
    G = nx.MultiDiGraph()
    for u, v in (("a", "b"), ("b", "c"), ("c", "d")):
        G.add_edge(u, v, key="integrates-with", relation="integrates-with")
    G.add_node("e")
    for n in G:
        G.nodes[n]["short"] = n.upper()
    return G


@pytest.fixture
def vm(qtbot) -> ViewModel:
    model = ViewModel()
    model.set_graph(chain())
    return model


def record(vm: ViewModel) -> list[tuple[str, tuple]]:
    """Every signal the view model sends from now on, in order, with its arguments."""
    seen: list[tuple[str, tuple]] = []
    for name in SIGNALS:
        getattr(vm, name).connect(lambda *args, name=name: seen.append((name, args)))
    return seen


def test_a_state_round_trip_emits_each_changed_signal_once_then_shown_once(vm):
    vm.focus_on("a")
    vm.set_depth(2)
    vm.set_relation("replaces", False)
    vm.set_min_evidence(2)
    vm.set_hide_isolated(False)
    vm.set_query("lambda")
    vm.set_only_results(True)
    saved = vm.state()
    assert saved.focus == "a" and saved.depth == 2 and "replaces" not in saved.relations
    vm.restore(ViewState())
    assert vm.state() == ViewState()
    seen = record(vm)
    vm.restore(saved)
    assert vm.state() == saved
    names = [name for name, _ in seen]
    assert names == [
        "relationsChanged",
        "minEvidenceChanged",
        "hideIsolatedChanged",
        "depthChanged",
        "onlyResultsChanged",
        "queryChanged",
        "focusChanged",
        "shownChanged",
    ]
    assert ("focusChanged", ("a",)) in seen
    assert ("relationsChanged", (tuple(r for r in RELATIONS if r != "replaces"),)) in seen


def test_restoring_the_same_state_changes_nothing_but_shows_once(qtbot, vm):
    vm.set_depth(3)
    with qtbot.assertNotEmitted(vm.depthChanged), qtbot.waitSignal(vm.shownChanged):
        vm.restore(vm.state())
    assert vm.depth == 3


def test_a_restored_focus_the_graph_lacks_is_dropped(vm):
    vm.restore(ViewState(focus="not-here", depth=2))
    assert vm.focus is None and vm.depth == 2


def test_focus_selects_and_back_leaves_it_once(qtbot, vm):
    seen = record(vm)
    assert vm.focus_on("a")
    assert [n for n, _ in seen] == ["focusChanged", "shownChanged", "selectionChanged"]
    assert vm.can_go_back() and vm.selection == "a"
    with qtbot.waitSignal(vm.focusChanged) as blocker:
        vm.back()
    assert blocker.args == [None]
    assert not vm.can_go_back()
    with qtbot.assertNotEmitted(vm.focusChanged), qtbot.assertNotEmitted(vm.shownChanged):
        vm.back()
    with qtbot.assertNotEmitted(vm.focusChanged):
        assert not vm.focus_on("not-here")


def test_the_depth_widens_the_focus(vm):
    vm.focus_on("a")
    assert vm.kept_services() == {"a", "b"}
    vm.set_depth(2)
    assert vm.kept_services() == {"a", "b", "c"}
    vm.set_depth(9)
    assert vm.depth == 3 and vm.kept_services() == {"a", "b", "c", "d"}


def test_only_results_keeps_what_the_results_mention(qtbot, vm):
    vm.set_found({"b", "e"})
    assert vm.kept_services() is None, "the results alone hide nothing"
    with qtbot.waitSignal(vm.shownChanged):
        vm.set_only_results(True)
    assert vm.kept_services() == {"b", "e"}
    vm.focus_on("a")
    assert vm.kept_services() == {"b"}
    with qtbot.waitSignal(vm.shownChanged):
        vm.set_found({"a"})
    vm.set_only_results(False)
    with qtbot.assertNotEmitted(vm.shownChanged):
        vm.set_found({"c"})


def test_filters_signal_only_when_they_change(qtbot, vm):
    with qtbot.waitSignal(vm.relationsChanged) as blocker:
        vm.set_relation("alternative-to", False)
    assert "alternative-to" not in blocker.args[0]
    with qtbot.assertNotEmitted(vm.relationsChanged):
        vm.set_relation("alternative-to", False)
        vm.set_relations(["bogus", *vm.relations])
    with qtbot.assertNotEmitted(vm.minEvidenceChanged):
        vm.set_min_evidence(0)  # at least 1, and 1 it is


def test_a_handlers_change_joins_the_same_round(vm):
    vm.focusChanged.connect(lambda _focus: vm.set_depth(2))
    seen = record(vm)
    vm.focus_on("b")
    names = [n for n, _ in seen]
    assert names.count("shownChanged") == 1
    assert names.index("depthChanged") < names.index("shownChanged")
    assert vm.kept_services() == {"a", "b", "c", "d"}


def test_a_new_graph_drops_what_left_it_without_showing(qtbot, vm):
    vm.focus_on("b")
    vm.set_path("a", ())
    G = chain()
    G.remove_node("b")
    with qtbot.assertNotEmitted(vm.shownChanged), qtbot.waitSignal(vm.graphChanged):
        vm.set_graph(G)
    assert vm.focus is None and vm.selection is None and vm.path == []
    vm.focus_on("c")
    vm.set_graph(chain())
    assert vm.focus == "c", "the same folder keeps its focus"
    vm.set_graph(chain(), fresh=True)
    assert vm.focus is None and vm.selection == "c"


def test_selecting_leaves_the_path(qtbot, vm):
    class Step:
        source, target = "a", "b"

    assert vm.set_path("a", [Step()]) == ["a", "b"]
    with qtbot.waitSignal(vm.pathChanged) as blocker:
        vm.select("c")
    assert blocker.args == [()]
    assert not vm.select("not-here") and vm.selection == "c"


def test_the_search_panel_follows_a_restored_query(qtbot):
    vm = ViewModel()
    panel = SearchPanel(vm)
    qtbot.addWidget(panel)
    vm.restore(ViewState(query="cold start", only_results=True))
    assert panel.query.text() == "cold start"
    assert panel.only.isChecked()
    panel.only.setChecked(False)
    assert not vm.only_results
    qtbot.keyClicks(panel.query, "!")
    assert vm.query == "cold start!"


def test_the_services_list_and_the_selection_follow_each_other(qtbot, qtmodeltester):
    vm = ViewModel()
    panel = ServicesPanel(vm)
    qtbot.addWidget(panel)
    G = chain()
    for n in G:
        G.nodes[n].update(category="Compute", name=n, mentions=1)
    vm.set_graph(G)
    panel.model.set_graph(G)
    qtmodeltester.check(panel.proxy)
    vm.select("c")
    assert panel.view.currentIndex().data() == "C"
    index = panel.proxy.mapFromSource(panel.model.index_of("d"))
    with qtbot.waitSignal(vm.selectionChanged) as blocker:
        panel.view.setCurrentIndex(index)
    assert blocker.args == ["d"]
